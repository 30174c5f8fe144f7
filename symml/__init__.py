"""symml: symbolic derivations for machine-learning mathematics, shown step by step and checked numerically.

>>> import sympy as sp, symml
>>> x = sp.Symbol("x")
>>> bool(symml.Step("Differentiate", sp.diff(x**2, x), "power rule").math == 2*x)
True

``import symml`` is light: the public names and the sub-packages (``symml.mle``, ``symml.testing``, ...) are
imported on first use (a module ``__getattr__``), so the ``symml`` command and scripts that need one part do not
pay for SymPy, NumPy or SciPy until they use them.
"""
import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported lazily by __getattr__; this block tells the type checker
    from symml import derive, losses
    from symml.checker import check, check_steps
    from symml.derivation import Comparison, Derivation, Step, Verification
    from symml.model import Model
    from symml.optimize.minimize import Eq
    from symml.optimize.minimize import Ge, Le
    from symml.matrix_calculus import (  # the matrix-expression vocabulary
        dims,
        matrix,
        vector,
        exp,
        log,
        sigmoid,
        softplus,
        tanh,
        sqrt,
        abs,
        relu,
        maximum,
        power,
        sum,
        mean,
        trace,
        det,
        logdet,
        inv,
        diag,
        hadamard,
        kron,
        norm,
        sq_norm,
        softmax,
        logsumexp,
    )
from symml.errors import (
    BudgetExceededError,
    DataError,
    ModelError,
    NotIdentifiableError,
    ParameterError,
    ParseError,
    ShapeError,
    SymmlError,
    UnknownFamilyError,
    UnsupportedOperationError,
    UnboundedError,
    InfeasibleError,
    NoClosedFormError,
    LinearAlgebraError,
)

__version__ = "0.1.0"

__all__ = [
    "derive",
    "losses",
    "Model",
    "Eq",
    "Ge",
    "Le",
    "dims",
    "matrix",
    "vector",
    "exp",
    "log",
    "sigmoid",
    "softplus",
    "tanh",
    "sqrt",
    "abs",
    "relu",
    "maximum",
    "power",
    "sum",
    "mean",
    "trace",
    "det",
    "logdet",
    "inv",
    "diag",
    "hadamard",
    "kron",
    "norm",
    "sq_norm",
    "softmax",
    "logsumexp",
    "check",
    "check_steps",
    "Derivation",
    "Step",
    "Verification",
    "Comparison",
    "SymmlError",
    "ModelError",
    "UnknownFamilyError",
    "ParameterError",
    "NotIdentifiableError",
    "BudgetExceededError",
    "DataError",
    "ParseError",
    "ShapeError",
    "UnsupportedOperationError",
    "UnboundedError",
    "InfeasibleError",
    "NoClosedFormError",
    "LinearAlgebraError",
]


#: Where each lazily imported public name lives.
_LAZY_NAMES = {
    "check": "symml.checker", "check_steps": "symml.checker", "Model": "symml.model", "Eq": "symml.optimize.minimize",
    "Ge": "symml.optimize.minimize", "Le": "symml.optimize.minimize",
    **dict.fromkeys(("Comparison", "Derivation", "Step", "Verification"), "symml.derivation"),
    **dict.fromkeys(__all__[__all__.index("dims"):__all__.index("logsumexp") + 1], "symml.matrix_calculus"),
}
_SUBMODULES = {"budget", "checker", "cli", "derivation", "derive", "errors", "losses", "matrix_calculus", "mle",
               "model", "operations", "render", "testing"}


def __getattr__(name: str) -> Any:
    """Import a public name or a sub-package on first use (PEP 562)."""
    if name in _SUBMODULES or (not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}")):
        return importlib.import_module(f"{__name__}.{name}")
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # Tab completion shows the public API, not the helpers this module imports (importlib, Any)
    return sorted({*__all__, *_SUBMODULES, *(name for name in globals() if name.startswith("__"))})

"""symml: symbolic derivations for machine-learning mathematics, shown step by step and checked numerically.

>>> import sympy as sp, symml
>>> x = sp.Symbol("x")
>>> bool(symml.Step("Differentiate", sp.diff(x**2, x), "power rule").math == 2*x)
True
"""
from symml import derive, losses
from symml.checker import check, check_steps
from symml.derivation import Comparison, Derivation, Step, Verification
from symml.model import Model
from symml.optimize.minimize import Eq
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
)

__version__ = "0.1.0"

__all__ = [
    "derive",
    "losses",
    "Model",
    "Eq",
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
]

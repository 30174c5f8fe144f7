"""Lambdified functions of a sample and parameters, rewritten for floating point first: what every numeric part
of the MLE, Bayes and probability engines evaluates (``SampleFunction``).
"""
from __future__ import annotations

import builtins
import dis
import operator
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import sympy as sp
from sympy.printing.codeprinter import PrintMethodNotImplementedError

from symml.errors import UnsupportedOperationError
from symml.floating_point_rewrites import SAMPLES, for_floating_point, numpy_names

__all__ = ["SampleFunction"]


@dataclass(frozen=True)
class SampleFunction:
    """A lambdified expression and the symbols it takes, in order; called with a ``{Symbol: value}`` map.

    Attributes:
        function: the NumPy function (module scipy+numpy, stabilised).
        arguments: its arguments; a leading observation symbol receives the whole sample, shape (n,).
    """

    function: Callable[..., Any]
    arguments: tuple[sp.Symbol, ...]
    #: the arguments' values out of a ``{Symbol: value}`` map in one C call (a generator costs ~0.2 us a symbol)
    _values: Callable[[Mapping[sp.Symbol, Any]], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        arguments = self.arguments
        get = operator.itemgetter(*arguments) if arguments else (lambda values: ())
        values = (lambda mapping: (get(mapping),)) if len(arguments) == 1 else get
        object.__setattr__(self, "_values", values)

    @classmethod
    def of(cls, expr: sp.Expr, leading: Sequence[sp.Symbol] = (), scalar: bool = False,
           cse: bool = False) -> "SampleFunction":
        """Compile ``expr``; ``leading`` symbols come first, the other free symbols follow sorted by name.
        ``scalar``: for Python numbers only, through ``math`` first (10x faster on a scalar than NumPy; a domain
        error raises ValueError or ZeroDivisionError instead of returning nan or inf). ``cse``: common
        subexpressions computed once (for a ``Tuple`` of expressions sharing arrays)."""
        expr = sp.sympify(expr)
        others = sorted(expr.free_symbols - set(leading), key=lambda s: s.name)
        arguments = tuple(leading) + tuple(others)
        # Plain placeholders: lambdify puts every symbol's name in the function's namespace, where a parameter
        # called beta or gamma would hide the special function of that name.
        placeholders = sp.symbols(f"_a0:{len(arguments)}")
        code = for_floating_point(expr, SAMPLES).xreplace(dict(zip(arguments, placeholders)))
        try:
            modules = [numpy_names(), *(["math"] if scalar else []), "scipy", "numpy"]
            function = sp.lambdify(placeholders, code, modules=modules, cse=cse)
        except PrintMethodNotImplementedError as failure:
            raise UnsupportedOperationError(f"NumPy/SciPy has no function for a part of {expr}: {failure}") from None
        # lambdify prints a function it cannot translate by its bare name: a NameError when called, refused here
        unknown = sorted({i.argval for i in dis.get_instructions(function) if i.opname == "LOAD_GLOBAL"}
                         - set(function.__globals__) - set(dir(builtins)))
        if unknown:
            raise UnsupportedOperationError(f"NumPy/SciPy has no function for a part of {expr}: {', '.join(unknown)}")
        return cls(function, arguments)

    def needs(self, values: Mapping[sp.Symbol, Any]) -> list[sp.Symbol]:
        """The arguments ``values`` does not provide."""
        return [a for a in self.arguments if a not in values]

    def __call__(self, values: Mapping[sp.Symbol, Any]) -> Any:
        return self.function(*self._values(values))



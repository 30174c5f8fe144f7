r"""A function the notes define, used where they leave some of its arguments implicit or apply it to other data.

Three ways notes apply a function they defined in a display, which a plain match of name and number of arguments
misses (the application then stays an undefined function, and the step undecided):

- the data left implicit: ``L(\theta; X) = \prod_i f(x_i; \theta)``, then ``\log L(\theta)`` and
  ``\frac{d}{d\theta} \log L(\theta)``. An application whose arguments are exactly the first parameters of the
  definition is the defined function with the others as they were defined (not for a density or probability:
  ``p(x)`` after ``p(x \mid \theta)`` is the marginal), provided the definition's body depends on each argument
  given (``J(w_1, w_2, b) = ...`` written in p_i alone is not taken to be a function of w_1: its derivative by w_1
  would vanish for want of a dependence the notes never wrote);
- the density of one observation: ``f(x; \theta) = \frac{1}{\theta} e^{-x/\theta}`` in notes whose data are
  ``x_i`` is read as the joint density of the data vector x (``f_x``), but a body that uses x as one number
  (no ``x_i`` in it) defines the density of one observation: ``f(x_i; \theta)`` is that body at ``x_i``;
- the arguments left out altogether: ``L(w) = \|Xw - y\|^2``, then ``\nabla_w L = 2X^T(Xw - y)``. A function
  defined with its arguments (J(θ), f(x), ℓ(θ), E(w)) is that function of them wherever the notes write its
  letter bare (not a density or probability: a bare ``p`` is often the parameter of a Bernoulli law).

>>> import sympy as sp
>>> theta, X = sp.symbols("theta X")
>>> applies(sp.Function("L")(theta), (theta, X), sp.log(theta) * X)
True
>>> applies(sp.Function("J")(theta), (theta, X), X)
False
>>> x = sp.Symbol("x")
>>> observation_functions(sp.Function("f_x")(x, theta), sp.exp(-x / theta) / theta)
{'f': ((x, theta), exp(-x/theta)/theta)}
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.events import PROBABILITY_NAMES

__all__ = ["applies", "observation_functions", "bare_function_values"]

#: Names of densities and probabilities: dropping an argument of one (``p(x)`` after ``p(x \mid \theta)``) leaves
#: a marginal, not the same function.
_DENSITIES = (*PROBABILITY_NAMES, "q", "Q")


def applies(application: AppliedUndef, parameters: tuple[Any, ...], body: Any) -> bool:
    """Whether the definition ``name(parameters) = body`` gives the value of ``application`` (same name): the same
    number of arguments, or (the data left implicit) the first parameters themselves, each of which the body uses."""
    given = application.args
    if not parameters or len(given) == len(parameters):
        return True
    if str(application.func).split("_")[0] in _DENSITIES:  # p(x) after p(x | theta) is the marginal: another function
        return False
    return (0 < len(given) < len(parameters) and tuple(given) == tuple(parameters[:len(given)])
            and all(argument in body.free_symbols for argument in given))


def observation_functions(left: Any, body: Any, defined: Any = ()) -> dict[str, tuple[tuple[Any, ...], Any]]:
    """The definition of the function of one observation that ``left = body`` also gives (``f`` for
    ``f_x(x, theta)`` when the body uses x as a number), as ``{name: (parameters, body)}``, unless that name is
    among the ``defined`` ones; else empty."""
    if not isinstance(left, AppliedUndef):
        return {}
    name = str(left.func)
    labels = {str(indexed.base) for indexed in body.atoms(sp.Indexed)} if isinstance(body, sp.Basic) else set()
    for argument in left.args:
        if isinstance(argument, sp.Symbol) and name.endswith(f"_{argument.name}") and argument.name not in labels \
                and len(name) > len(argument.name) + 1 and name[:-len(argument.name) - 1] not in defined:
            return {name[:-len(argument.name) - 1]: (tuple(left.args), body)}
    return {}


def bare_function_values(expr: Any, defined: Any) -> dict[Any, Any]:
    """The value of each letter in ``expr`` that the notes defined as a function of arguments and write bare:
    ``{L: the body of L(w)}`` (the function at its own arguments), from ``defined`` (``{name: (parameters,
    body)}``)."""
    values = {}
    for symbol in expr.free_symbols if isinstance(expr, sp.Basic) else ():
        parameters, body = defined.get(str(symbol), ((), None))
        if parameters and symbol not in parameters and str(symbol).split("_")[0] not in _DENSITIES \
                and isinstance(body, sp.Basic) and not body.has(symbol) \
                and all(body.has(parameter) for parameter in parameters):  # J(w, b) in p_i alone: not of w
            values[symbol] = body
    return values

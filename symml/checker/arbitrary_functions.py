r"""Functions the notes never define are arbitrary: a step that holds for every function holds for random ones.

``p(x)``, ``f(x_i; \theta)``, ``L(\theta)``, ``P(X = x, Z = k)``, ``\gamma_{z}(k)``: an application of a function
that no row defines has no value at a point, so the random probe cannot evaluate a step that uses one. When the
two sides apply different functions or the same functions at different arguments (``\sum_k P(x, k) / \sum_j
P(x, j) = 1``, ``(f(x) + g(y))^2 - g(y)^2 - 2 f(x) g(y) = f(x)^2``), the step is probed again with every undefined
function replaced by a random smooth function, several draws, each fixed per function name and number of arguments:

- the family has no algebraic closure: a random quadratic polynomial of the arguments plus three random Gaussian
  bumps (up or down) of random linear forms of them (so ``f(x + y) = f(x) + f(y)``, ``f(x y) = f(x) f(y)``,
  ``f(x)^2 = f(x^2)`` and ``f(x) f(y) = f(x + y) f(0)`` fail for it, as they do for almost every function);
- a function SymPy knows to be positive (a probability of events) is the exponential of such a function, and
  a probability (``p``, ``P``, ``Pr``, ``q`` or a joint probability ``P[X,Z]``) is its logistic sigmoid, in (0, 1);
  any other function is drawn with a zero at a random point (both signs) in one draw out of two and as its
  exponential in the others, so that a step true only for positive functions (``|f(x)| = f(x)``) is not taken to
  hold.

Agreement at every random point of every draw: the step holds for arbitrary functions (numerically, and the
verdict says so). A disagreement is never a counterexample: the notes may use a property of the function they state
in words (``f`` linear, ``P`` a Gaussian); the step is undecided, "it holds only for particular functions".

>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> f, g = sp.Function("f"), sp.Function("g")
>>> for_arbitrary_functions((f(x) + g(y))**2 - g(y)**2 - 2*f(x)*g(y), f(x)**2).kind.value
'Equivalent numerically'
>>> for_arbitrary_functions(f(x + y), f(x) + f(y)).reason
'holds only for particular functions f: for random smooth ones the sides differ'
"""
from __future__ import annotations

import random
from typing import Any, Callable

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.probe import probe
from symml.checker.verdict import Verdict, VerdictKind

__all__ = ["for_arbitrary_functions", "undefined_functions"]

#: Random functions drawn per step: a step holds for arbitrary functions only if it holds for each of them.
DRAWS = 3
#: Gaussian bumps in each random function.
_BUMPS = 3
#: Names of probabilities: drawn in (0, 1).
_PROBABILITIES = ("p", "P", "Pr", "q", "Q")
_Key = tuple[str, int]


def undefined_functions(*sides: Any) -> dict[_Key, AppliedUndef]:
    """The undefined functions the sides apply, by (name, number of arguments), each with one application."""
    found: dict[_Key, AppliedUndef] = {}
    for side in sides:
        if isinstance(side, sp.Basic):
            for application in side.atoms(AppliedUndef):
                found.setdefault((str(application.func), len(application.args)), application)
    return found


def for_arbitrary_functions(left: Any, right: Any, *, points: int = 8, seed: int = 0,
                            **probe_options: Any) -> Verdict | None:
    """The verdict on ``left = right`` with each undefined function replaced by random smooth ones (see the module
    docstring); None when the sides apply no undefined function or an argument is a matrix."""
    functions = undefined_functions(left, right)
    if not functions or any(isinstance(argument, sp.MatrixExpr) or getattr(argument, "is_Matrix", False)
                            for application in functions.values() for argument in application.args):
        return None
    names = ", ".join(sorted({name for name, _ in functions}))
    agreed, assumptions = 0, tuple[str, ...]()
    for draw in range(DRAWS):
        rng = random.Random(f"{seed}/{draw}")
        concrete = {key: _random_function(key, application, rng, signed=draw % 2 == 1)
                    for key, application in sorted(functions.items())}
        sides = [_substituted(side, concrete) for side in (left, right)]
        found = probe(*sides, points=points, seed=seed + draw, **probe_options)
        if found.counterexample is not None:
            return Verdict(VerdictKind.UNDECIDED, left, right, reason=f"holds only for particular functions "
                           f"{names}: for random smooth ones the sides differ")
        if not found.agreed and found.reason.startswith("cannot"):  # no value even with concrete functions
            return None
        agreed, assumptions = agreed + found.agreed, assumptions or found.assumptions
    if not agreed:
        return None
    return Verdict(VerdictKind.NUMERICALLY_EQUIVALENT, left, right,
                   method=f"{DRAWS} random smooth functions in place of {names} (which the notes do not define), "
                          "at random points at 30 digits", points=agreed, assumptions=assumptions,
                   notes=(f"holds for arbitrary {names}, as far as random functions show",))


def _substituted(side: Any, concrete: dict[_Key, Callable[..., Any]]) -> Any:
    if not isinstance(side, sp.Basic):
        return side
    return side.replace(lambda e: isinstance(e, AppliedUndef) and (str(e.func), len(e.args)) in concrete,
                        lambda e: concrete[(str(e.func), len(e.args))](*e.args))


def _random_function(key: _Key, application: AppliedUndef, rng: random.Random, signed: bool) -> sp.Lambda:
    """A random smooth function of ``key``'s number of arguments: a probability in (0, 1), a positive function, or
    (``signed``, for a function not known to be positive) one of either sign."""
    name, arity = key
    arguments = sp.symbols(f"a0:{arity}", real=True)

    def coefficient(scale: int = 1) -> sp.Rational:
        return sp.Rational(rng.randint(-9, 9), 7 * scale)

    value = coefficient() + sum(coefficient() * a for a in arguments)
    value += sum(coefficient(9) * a * b for k, a in enumerate(arguments) for b in arguments[k:])
    for _ in range(_BUMPS):
        form = sum(sp.Rational(rng.randint(1, 9), 5) * a for a in arguments) - sp.Rational(rng.randint(-9, 9), 5)
        value += rng.choice((-1, 1)) * sp.Rational(rng.randint(5, 15), 5) * sp.exp(-form ** 2)
    if name.split("[")[0].split("_")[0] in _PROBABILITIES:
        return sp.Lambda(arguments, 1 / (1 + sp.exp(-value)))
    if application.is_positive or not signed:
        return sp.Lambda(arguments, sp.exp(value))
    # one of either sign: zero at a random point, so that it changes sign where the probe samples
    root = {a: sp.Rational(rng.randint(-9, 9), 5) for a in arguments}
    return sp.Lambda(arguments, value - value.xreplace(root))

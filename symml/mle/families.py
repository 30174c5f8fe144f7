"""sympy.stats families by name: which univariate families exist, and a random variable with named parameters.

The list is read from sympy.stats itself (every ``<Name>Distribution`` class of a single continuous, discrete
or finite distribution that has a public constructor ``sympy.stats.<Name>``), so symml keeps no table of
families. Parameter symbols are named after the constructor's arguments, with a few renamed to the letters
textbooks use (``mean`` -> mu, ``std`` -> sigma, ``lamda`` -> lambda, ...), and carry the assumptions
(positive, integer) that the distribution's own ``check`` implies.

>>> family_names()[:3]
('Arcsin', 'Benini', 'Bernoulli')
>>> X = random_variable("Normal")
>>> [(p.name, p.is_positive) for p in parameters_of(X)]
[('mu', None), ('sigma', True)]
"""
from __future__ import annotations

import difflib
import functools
import inspect
import re
from typing import Any, Sequence

import sympy as sp
import sympy.stats as stats
from sympy.stats import crv_types, drv_types, frv_types
from sympy.stats.crv import SingleContinuousDistribution
from sympy.stats.drv import SingleDiscreteDistribution
from sympy.stats.frv import SingleFiniteDistribution

from symml.errors import ModelError, UnknownFamilyError

__all__ = ["family_names", "random_variable", "parameters_of"]

_SINGLE_DISTRIBUTIONS = (SingleContinuousDistribution, SingleDiscreteDistribution, SingleFiniteDistribution)
_DistributionClass = type[SingleContinuousDistribution | SingleDiscreteDistribution | SingleFiniteDistribution]
_DISTRIBUTION_MODULES = (crv_types, drv_types, frv_types)

#: Constructor argument names renamed to the letter textbooks use; the sample size is n, so trials become m.
_CONVENTIONAL_NAMES = {
    "mean": "mu",
    "std": "sigma",
    "lamda": "lambda",
    "rate": "lambda",
    "left": "a",
    "right": "b",
    "xm": "x_m",
    "n": "m",
}

#: Used only when a distribution's ``check`` says nothing about the sign of a parameter.
_SCALE_LIKE_NAMES = {"sigma", "std", "scale", "theta", "rate", "lamda", "lambda", "s"}


@functools.lru_cache(maxsize=None)
def _distribution_classes() -> dict[str, _DistributionClass]:
    """``{family name: Distribution class}`` for every univariate family with a public constructor."""
    classes: dict[str, _DistributionClass] = {}
    for module in _DISTRIBUTION_MODULES:
        for attribute, cls in vars(module).items():
            if not (inspect.isclass(cls) and attribute.endswith("Distribution")):
                continue
            if cls in _SINGLE_DISTRIBUTIONS or not issubclass(cls, _SINGLE_DISTRIBUTIONS):
                continue
            family = attribute[: -len("Distribution")] or attribute
            constructor = getattr(stats, family, None) or getattr(stats, attribute, None)
            if callable(constructor) and getattr(cls, "_argnames", None):
                classes[constructor.__name__] = cls
    return classes


def _free_arguments(constructor: Any) -> tuple[str, ...]:
    """The family's parameters: the constructor's arguments after ``name`` that have no default, or, when all
    have defaults (``Arcsin(name, a=0, b=1)``), all of them."""
    arguments = [p for p in inspect.signature(constructor).parameters.values() if p.name != "name"]
    required = tuple(p.name for p in arguments if p.default is inspect.Parameter.empty)
    return required or tuple(p.name for p in arguments)


def family_names() -> tuple[str, ...]:
    """The names of the univariate sympy.stats families, sorted.

    >>> "Normal" in family_names() and "Poisson" in family_names() and "MultivariateNormal" not in family_names()
    True
    """
    return tuple(sorted(_distribution_classes()))


def _conventional(argument_names: Sequence[str]) -> list[str]:
    """Rename arguments to textbook letters unless that would make two parameters share a name."""
    renamed = []
    for name in argument_names:
        candidate = _CONVENTIONAL_NAMES.get(name, name)
        clash = candidate != name and (candidate in argument_names or candidate in renamed)
        renamed.append(name if clash else candidate)
    return renamed


def _check_rejects(cls: _DistributionClass, arguments: list[Any], position: int, probe: sp.Symbol) -> bool:
    """Whether the distribution's ``check`` refuses ``probe`` in place of argument ``position``."""
    trial = list(arguments)
    trial[position] = probe
    try:
        cls.check(*trial)
    except ValueError:
        return True
    except (TypeError, AttributeError, NotImplementedError):  # a check that cannot handle the probe tells nothing
        return False
    return False


def _assumptions(cls: _DistributionClass, arguments: list[Any], position: int, name: str) -> dict[str, bool]:
    """Assumptions for one parameter, read from what ``cls.check`` rejects (negative or non-integer values)."""
    assumptions: dict[str, bool] = {"real": True}
    if _check_rejects(cls, arguments, position, sp.Symbol("probe", negative=True)):
        assumptions = {"positive": True}
    elif name in _SCALE_LIKE_NAMES and _is_silent(cls, arguments, position):
        assumptions = {"positive": True}
    if _check_rejects(cls, arguments, position, sp.Symbol("probe", noninteger=True, positive=True)):
        assumptions["integer"] = True
    return assumptions


def _is_silent(cls: _DistributionClass, arguments: list[Any], position: int) -> bool:
    """Whether ``check`` ignores argument ``position``: it accepts ``I`` there (any comparison with ``I`` fails)."""
    trial = list(arguments)
    trial[position] = sp.I
    try:
        cls.check(*trial)
    except (ValueError, TypeError, AttributeError, NotImplementedError):  # the check looked at the argument
        return False
    return True


def random_variable(name: str, parameter_names: Sequence[str] | None = None, symbol: str = "X") -> Any:
    """A sympy.stats random variable of the family ``name`` with symbolic parameters.

    Args:
        name: a family name from :func:`family_names` ("Normal", "Poisson", ...).
        parameter_names: names for the parameters, in the constructor's order (default: the constructor's
            argument names, renamed to textbook letters: ``mean`` -> ``mu``, ``std`` -> ``sigma``, ...).
            Giving more names than the family's required arguments also names its optional ones.
        symbol: the name of the random variable.

    Raises:
        UnknownFamilyError: ``name`` is not a univariate sympy.stats family; the message lists those that are.

    >>> X = random_variable("Poisson")
    >>> parameters_of(X)
    (lambda,)
    >>> parameters_of(random_variable("Binomial"))
    (m, p)
    >>> random_variable("normal").pspace.distribution.__class__.__name__
    'NormalDistribution'

    The family may be written as a call, naming its parameters or fixing some to numbers:

    >>> random_variable("Normal(m, 1)").pspace.distribution.args
    (m, 1)
    """
    fixed: dict[int, sp.Rational] = {}
    if isinstance(name, str) and "(" in name:
        if parameter_names is not None:
            raise ModelError(f"{name!r} names its parameters; give them in the text or as parameter names, not both")
        name, parameter_names, fixed = _family_call(name)
    classes = _distribution_classes()
    by_case = [family for family in classes if isinstance(name, str) and family.lower() == name.lower()]
    if name not in classes and len(by_case) == 1:  # "normal", "NORMAL": the family's name in any case
        name = by_case[0]
    if name not in classes:
        close = difflib.get_close_matches(str(name), family_names(), n=3)
        suggestion = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise UnknownFamilyError(
            f"unknown family {name!r}{suggestion}; the univariate sympy.stats families are: {', '.join(family_names())}"
        )
    constructor = getattr(stats, name)
    cls = classes[name]
    all_arguments = [p for p in inspect.signature(constructor).parameters if p != "name"]
    argument_names = list(_free_arguments(constructor))
    if parameter_names is not None:
        parameter_names = [str(p) for p in parameter_names]
        if len(parameter_names) > len(all_arguments):
            raise ModelError(
                f"{name} has {len(all_arguments)} arguments ({', '.join(all_arguments)}), "
                f"but {len(parameter_names)} parameter names were given"
            )
        argument_names = all_arguments[: max(len(parameter_names), len(argument_names))]
        names = parameter_names + _conventional(argument_names)[len(parameter_names):]
    else:
        names = _conventional(argument_names)
    plain = [fixed.get(i, sp.Symbol(n)) for i, n in enumerate(names)] + _defaults(constructor, len(names))
    symbols = [fixed[position] if position in fixed else sp.Symbol(n, **_assumptions(cls, plain, position, n))
               for position, n in enumerate(names)]
    try:
        return constructor(symbol, *symbols)
    except (ValueError, TypeError, NotImplementedError) as failure:
        raise ModelError(f"sympy.stats could not build {name}({', '.join(names)}): {failure}") from None


_CALL = re.compile(r"\s*([A-Za-z]\w*)\s*\((.*)\)\s*")
_NAME = re.compile(r"[A-Za-z]\w*")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?(/\d+)?")


def _family_call(text: str) -> tuple[str, list[str], dict[int, sp.Rational]]:
    """("Normal", ["mu", "1"], {1: 1}) from "Normal(mu, 1)": the family, its arguments as written, and those fixed
    to numbers. Read by pattern, never evaluated."""
    call = _CALL.fullmatch(text)
    arguments = [a.strip() for a in call.group(2).split(",")] if call and call.group(2).strip() else []
    unreadable = [a for a in arguments if not (_NAME.fullmatch(a) or _NUMBER.fullmatch(a))]
    if call is None or unreadable:
        raise UnknownFamilyError(f"cannot read the family {text!r}: write a family and its parameters as names or "
                                 "numbers, such as 'Normal(mu, sigma)' or 'Normal(mu, 1)'")
    fixed = {i: sp.Rational(a) for i, a in enumerate(arguments) if _NUMBER.fullmatch(a)}
    return call.group(1), arguments, fixed


def _defaults(constructor: Any, given: int) -> list[Any]:
    """The default values of the constructor's arguments after the first ``given`` (what ``check`` receives)."""
    parameters = [p for p in inspect.signature(constructor).parameters.values() if p.name != "name"]
    return [sp.sympify(p.default) for p in parameters[given:]]


def parameters_of(random_variable: Any) -> tuple[sp.Symbol, ...]:
    """The free parameter symbols of a sympy.stats random variable, in the distribution's argument order.

    >>> parameters_of(random_variable("Gamma"))
    (k, theta)
    """
    arguments = random_variable.pspace.distribution.args
    seen: list[sp.Symbol] = []
    for argument in arguments:
        if isinstance(argument, sp.Basic):
            for symbol in sorted(argument.free_symbols, key=lambda s: s.name):
                if symbol not in seen:
                    seen.append(symbol)
    return tuple(seen)

"""The law of one random variable as the probability derivations use it: a density on a support.

:func:`as_law` reads a univariate sympy.stats random variable, a :class:`symml.Model` (a user's log-density with
its ``support``) or a family name, through :func:`symml.model.as_model`, so symml keeps no density table. A
``support`` that is an ``Interval`` means a continuous law (expectations are integrals); a ``Range``,
``FiniteSet``, ``Naturals0`` or an intersection with the integers means a discrete one (expectations are sums).

>>> import sympy as sp, sympy.stats as st
>>> lam = sp.Symbol("lambda", positive=True)
>>> law = as_law(st.Poisson("X", lam))
>>> law.discrete, law.limits
(True, (0, oo))
>>> law.log_density
-lambda + x*log(lambda) - log(factorial(x))
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sympy as sp
from sympy.stats.compound_rv import CompoundPSpace
from sympy.stats.rv import RandomSymbol, random_symbols

from symml.errors import ModelError
from symml.mle.likelihood import expand_log_density
from symml.mle.normalisation import check_density
from symml.mle.statistics import support_assumptions
from symml.model import _SINGLE, Model, as_model

__all__ = ["Law", "as_law", "in_terms_of", "apart_from", "with_real_parameters"]

_INTEGERS = (sp.S.Naturals0, sp.S.Naturals, sp.S.Integers)


@dataclass(frozen=True)
class Law:
    """A density f(x) > 0 on ``support`` (a pmf when ``discrete``), and where it came from.

    Attributes:
        variable: the symbol x of one value of the random variable.
        density: f(x) on the support (no Piecewise).
        log_density: log f(x), logs of products split (valid: f > 0 on the support).
        support: where f > 0: an Interval, or a set of integers or points.
        discrete: whether expectations are sums.
        parameters: the parameters, in the model's order.
        name: how titles name the law ("X ~ Normal(mu, sigma)").
        random_variable: the sympy.stats random variable, if the law came from one.
    """

    variable: sp.Symbol
    density: sp.Expr
    log_density: sp.Expr
    support: sp.Set
    discrete: bool
    parameters: tuple[sp.Symbol, ...]
    name: str
    random_variable: Any = None

    @property
    def limits(self) -> tuple[sp.Expr, sp.Expr]:
        """The lowest and highest value of the support (integer bounds for a discrete law)."""
        return _limits(self.support, self.variable)

    @property
    def points(self) -> tuple[sp.Expr, ...] | None:
        """The support's points when it is a finite set of given points ({0, 1}), else None."""
        return tuple(self.support.args) if isinstance(self.support, sp.FiniteSet) else None

    def signed(self) -> sp.Symbol:
        """A stand-in for x carrying what the support says of its sign (x > 0 on (0, oo)), for integration."""
        return sp.Dummy(self.variable.name, **support_assumptions(self.support))


def _is_discrete(support: sp.Set) -> bool:
    if isinstance(support, (sp.FiniteSet, sp.Range)) or support in _INTEGERS:
        return True
    return isinstance(support, sp.Intersection) and any(
        isinstance(part, sp.Range) or part in _INTEGERS for part in support.args)


def _limits(support: sp.Set, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    if isinstance(support, sp.Interval):
        return support.start, support.end
    if support == sp.S.Naturals0:
        return sp.S.Zero, sp.S.Infinity
    if support == sp.S.Naturals:
        return sp.S.One, sp.S.Infinity
    if support == sp.S.Integers:
        return sp.S.NegativeInfinity, sp.S.Infinity
    if isinstance(support, sp.Range):
        return support.inf, support.sup
    if isinstance(support, sp.FiniteSet):
        return sp.Min(*support.args), sp.Max(*support.args)
    if isinstance(support, sp.Intersection):
        lows, highs = zip(*(_limits(part, x) for part in support.args))
        return sp.Max(*lows), sp.Min(*highs)
    raise ModelError(f"cannot integrate or sum over the support {support}: give an Interval, a Range or a FiniteSet")


def as_law(source: Any) -> Law:
    """The :class:`Law` of a sympy.stats random variable, a :class:`symml.Model` or a family name.

    Raises:
        ModelError: not one of those, a multivariate random variable, or a support that is neither an interval
            nor a set of integers or points.
    """
    if isinstance(source, Law):
        return source
    table = _probability_table(source)
    if table is not None:
        return table
    if isinstance(source, RandomSymbol) and isinstance(source.pspace, CompoundPSpace):
        inner = source.pspace.distribution.args[0]
        raise ModelError(f"{source} has a random parameter ({inner.__class__.__name__.removesuffix('Distribution')} "
                         f"of {', '.join(map(str, random_symbols(inner)))}), a compound law: here a law's parameters "
                         "are symbols; write the conditional law with a symbol for the parameter and take the "
                         "expectation over the parameter's law (E[g(Y)] = E[E[g(Y) | L]])")
    if isinstance(source, RandomSymbol) and not isinstance(getattr(source.pspace, "distribution", None), _SINGLE):
        raise ModelError(f"{source} is a multivariate random variable: expectations and divergences here take one "
                         "univariate law (or two sympy.stats MultivariateNormal variables, at matrix level); "
                         "symml.derive.entropy takes a multivariate law too (a Dirichlet)")
    model: Model = as_model(source)
    x = model.data
    support = model.support
    discrete = _is_discrete(support)
    if not discrete and not isinstance(support, sp.Interval):
        raise ModelError(f"the support of {model.name} is {support}: give an Interval (continuous) or a Range, "
                         "FiniteSet or Naturals0 (discrete)")
    _limits(support, x)  # refuse a support we cannot sum over now, not at the first expectation
    # the normaliser and score routes rest on the density integrating to one for every parameter value: a truncated
    # density written without its normaliser gave E[X] = 1/θ on [0, 5]
    check_density(model, normalised=True)
    signed = sp.Dummy(x.name, **support_assumptions(support))
    log_density = expand_log_density(model.log_density_on_support.subs(x, signed)).subs(signed, x)
    density = sp.exp(model.log_density_on_support)
    return Law(x, density, log_density, support, discrete, model.parameters, model.name, model.random_variable)


def _probability_table(source: Any) -> Law | None:
    """The law of a sympy.stats ``FiniteRV`` given by its table {value: probability} (not one expression in x, so
    no Model): the pmf is SymPy's Piecewise over the values, and every expectation is a sum over those points."""
    from sympy.stats.frv_types import FiniteDistributionHandmade

    distribution = getattr(getattr(source, "pspace", None), "distribution", None)
    if not isinstance(source, RandomSymbol) or not isinstance(distribution, FiniteDistributionHandmade):
        return None
    x = sp.Symbol("x", real=True)
    density = distribution.pmf(x)
    density = density(x) if isinstance(density, sp.Lambda) else density  # the table comes back unapplied
    parameters = tuple(sorted(set().union(*(sp.sympify(v).free_symbols for v in distribution.dict.values())),
                              key=lambda s: s.name))
    return Law(x, density, sp.log(density), sp.FiniteSet(*distribution.dict), True, parameters,
               f"{source} with P(X = k) given by its table", source)


def in_terms_of(law: Law, g: Any) -> sp.Expr:
    """``g`` as an expression in the law's variable: the random variable's symbol X is replaced by x.

    Raises:
        ModelError: ``g`` is not a SymPy expression.
    """
    try:
        g = sp.sympify(g, strict=True)
    except (sp.SympifyError, TypeError):
        raise ModelError(f"the function of the random variable must be a SymPy expression, not {type(g).__name__}")
    if not isinstance(g, sp.Expr):
        raise ModelError(f"the function of the random variable must be a SymPy expression, not {g}")
    others = sorted(map(str, g.atoms(RandomSymbol) - {law.random_variable}))
    if others:
        # replacing every random variable by x would make E[H(X1 - X2)] the expectation of H(0)
        raise ModelError(f"{g} involves {', '.join(others)}, which is not the random variable of {law.name}: an "
                         "expectation here is over one random variable (symml.derive.expectation(g) takes g in several "
                         "independent ones)")
    return g.xreplace({law.random_variable: law.variable}) if law.random_variable is not None else g


def apart_from(law: Law, g: Any) -> Law:
    """``law`` with its variable renamed (x -> x') when ``g``, written in its random variable, also holds a
    symbol equal to that variable: E[(mu + s Z - x)^2] keeps the user's x a constant instead of reading it as Z.
    (Written without the random variable, g may use x for its value: E[x**2].)"""
    if law.random_variable is None or not isinstance(g, sp.Basic) or not g.has(law.random_variable):
        return law
    taken = {s.name for s in g.free_symbols} | {s.name for s in law.parameters}
    if law.variable.name not in taken:
        return law
    name = law.variable.name + "'"
    while name in taken:
        name += "'"
    fresh = sp.Symbol(name, **law.variable.assumptions0)
    return replace(law, variable=fresh, density=law.density.xreplace({law.variable: fresh}),
                   log_density=law.log_density.xreplace({law.variable: fresh}))


def with_real_parameters(law: Law) -> tuple[Law, dict[sp.Symbol, sp.Symbol]]:
    """The law with each parameter typed without assumptions (``Symbol("theta")``) taken real, as a law's parameters
    are, and the map back to the typed symbols: complex, the Laplace's d|x − θ|/dθ brought re(θ), im(θ) and their
    derivatives into every integral, left unevaluated after the whole budget."""
    real = {p: sp.Symbol(p.name, real=True) for p in law.parameters if p.is_real is None}
    if not real:
        return law, {}
    return (replace(law, density=law.density.xreplace(real), log_density=law.log_density.xreplace(real),
                    parameters=tuple(real.get(p, p) for p in law.parameters)),
            {v: k for k, v in real.items()})

"""The record a maximum-likelihood derivation carries: everything ``numpy()`` and ``verify()`` need.

The engine (:mod:`symml.mle.engine`) fills it in; the numeric side (:mod:`symml.mle.numeric`,
:mod:`symml.mle.verification`) reads it. Estimators are written through sample statistics
(:class:`Statistic`), so a NumPy estimator reduces the data once per statistic and then evaluates a
closed form: vectorised, and as fast as hand-written NumPy.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

import sympy as sp

__all__ = ["Statistic", "MLEProblem", "Reduction"]

#: How a statistic reduces the sample: the mean (or sum) of a function of each observation, or an order statistic.
Reduction = Literal["sum", "mean", "min", "max", "median"]


@dataclass(frozen=True)
class Statistic:
    """A sample statistic, e.g. the sample mean ``xbar = mean(x_i)`` or the minimum ``x_(1) = min(x_i)``.

    Attributes:
        symbol: the symbol estimators use for it (``Symbol("xbar")`` prints as x-bar).
        reduction: how the sample is reduced.
        summand: a function of the observation symbol (and of statistics defined before this one, which is how
            centred moments such as ``mean((x - xbar)**2)`` stay numerically stable; and of fixed parameters,
            e.g. ``mean((x - mu)**2)`` with mu known); for order statistics, usually ``x``.
        definition: the statistic written over the indexed sample, for display (``Sum(x[i], (i, 1, n))/n``).
    """

    symbol: sp.Symbol
    reduction: Reduction
    summand: sp.Expr
    definition: sp.Expr


@dataclass(frozen=True)
class MLEProblem:
    """A maximum-likelihood problem for an i.i.d. sample ``x_1..x_n`` and what the engine derived about it.

    Attributes:
        title: one line describing the problem ("Maximum likelihood for X ~ Normal(mu, sigma)").
        observation: the symbol of one observation in ``log_density``.
        log_density: log f(x | parameters) of one observation; a Piecewise may carry the support.
        support: the set of x where the density is positive, given the parameters.
        parameters: every parameter of the model, in the model's order.
        wrt: the parameters being estimated.
        fixed: the other parameters; NumPy estimators take their values by name.
        sample_size: the symbol n.
        statistics: the statistics the estimators use, in evaluation order.
        estimators: closed forms ``{parameter: expression in statistics, n and fixed parameters}``; a parameter
            with no closed form is absent.
        stationarity: for parameters with no closed form, the equations a numeric solver must satisfy
            (written through statistics where possible; otherwise through the data sums). A parameter profiled out
            appears as ``Eq(theta, expression in the others)`` (Gamma: ``Eq(theta, xbar/k)``).
        initial_guess: a method-of-moments start for each parameter without a closed form.
        random_variable: the sympy.stats random variable the model came from, if it came from one (for sampling).
        not_concave_in: the parameters without a closed form in which the log-likelihood is not known to be
            concave: a root of the stationarity equations may be a local maximum, so ``numpy()`` compares it with a
            multi-start search and ``verify()`` runs a multi-start search of its own.
        concave_profile: whether, with the parameters that have a closed form given the others profiled out, the
            log-likelihood is proven strictly concave in the one unknown left for every sample
            (:func:`symml.mle.concave_profile.profile_is_concave`): a root of its equation is then the maximum, and
            ``numpy()`` needs no multi-start search or second-order check.
        unstated_ranges: the parameters without a closed form declared only real whose values are not all
            admissible (the density is complex at some): ``numpy()`` checks that the density integrates at its
            estimate (:func:`symml.mle.normalisation.unstated_ranges`).
    """

    title: str
    observation: sp.Symbol
    log_density: sp.Expr
    support: sp.Set
    parameters: tuple[sp.Symbol, ...]
    wrt: tuple[sp.Symbol, ...]
    fixed: tuple[sp.Symbol, ...]
    sample_size: sp.Symbol
    statistics: tuple[Statistic, ...]
    estimators: Mapping[sp.Symbol, sp.Expr]
    stationarity: tuple[sp.Eq, ...] = ()
    initial_guess: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    random_variable: Any = None
    not_concave_in: tuple[sp.Symbol, ...] = ()
    concave_profile: bool = False
    unstated_ranges: tuple[sp.Symbol, ...] = ()

    @property
    def closed_form(self) -> bool:
        """Whether every estimated parameter has a closed form."""
        return all(parameter in self.estimators for parameter in self.wrt)

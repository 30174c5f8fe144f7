"""MLEProblem records written by hand, as the engine would fill them in: the numeric side is tested on these
independently of the engine. Each comes with its scipy.stats twin (the oracle) and true parameter values.

The closed forms here are the textbook answers (an oracle table, allowed in tests only).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import scipy.stats as ss
import sympy as sp
import sympy.stats as st

from symml.mle.problem import MLEProblem, Statistic

x = sp.Symbol("x", real=True)
n = sp.Symbol("n", positive=True, integer=True)
mu = sp.Symbol("mu", real=True)
sigma, lam, theta, k, b = sp.symbols("sigma lambda theta k b", positive=True)
alpha, beta, nu = sp.symbols("alpha beta nu", positive=True)
a_end, b_end = sp.symbols("a b", real=True)
xbar, m2, mlog, mlog1m = sp.symbols("xbar m2 mlog mlog1m")
lowest, highest, middle = sp.symbols("x_min x_max x_med")


def _mean(symbol: sp.Symbol, summand: sp.Expr) -> Statistic:
    return Statistic(symbol, "mean", summand, summand)


def _order(symbol: sp.Symbol, reduction: str) -> Statistic:
    return Statistic(symbol, reduction, x, x)


@dataclass(frozen=True)
class Case:
    """A hand-built problem, the scipy.stats distribution of its model, and where to simulate it."""

    problem: MLEProblem
    scipy: Callable[..., Any]  # scipy.stats frozen distribution from {name: value} of every parameter
    truth: dict[str, float]
    smooth: bool = True

    @property
    def fixed(self) -> dict[str, float]:
        return {str(p): self.truth[str(p)] for p in self.problem.fixed}


def _problem(title, log_density, support, parameters, wrt, statistics, estimators, **more) -> MLEProblem:
    fixed = tuple(p for p in parameters if p not in wrt)
    return MLEProblem(title, x, log_density, support, parameters, wrt, fixed, n, statistics, estimators, **more)


def _normal_log_density() -> sp.Expr:
    return -sp.log(sigma) - sp.log(2 * sp.pi) / 2 - (x - mu) ** 2 / (2 * sigma**2)


CASES = {
    "normal": Case(
        _problem("Normal", _normal_log_density(), sp.Reals, (mu, sigma), (mu, sigma),
                 (_mean(xbar, x), _mean(m2, (x - xbar) ** 2)), {mu: xbar, sigma: sp.sqrt(m2)},
                 random_variable=st.Normal("X", mu, sigma)),
        lambda v: ss.norm(v["mu"], v["sigma"]), {"mu": 1.3, "sigma": 0.7}),
    "normal_sd": Case(
        _problem("Normal, known mean", _normal_log_density(), sp.Reals, (mu, sigma), (sigma,),
                 (_mean(m2, (x - mu) ** 2),), {sigma: sp.sqrt(m2)}, random_variable=st.Normal("X", mu, sigma)),
        lambda v: ss.norm(v["mu"], v["sigma"]), {"mu": -2.0, "sigma": 1.7}),
    "exponential": Case(
        _problem("Exponential", sp.log(lam) - lam * x, sp.Interval(0, sp.oo), (lam,), (lam,), (_mean(xbar, x),),
                 {lam: 1 / xbar}, random_variable=st.Exponential("X", lam)),
        lambda v: ss.expon(scale=1 / v["lambda"]), {"lambda": 2.5}),
    "poisson": Case(
        _problem("Poisson", x * sp.log(lam) - lam - sp.loggamma(x + 1), sp.S.Naturals0, (lam,), (lam,),
                 (_mean(xbar, x),), {lam: xbar}, random_variable=st.Poisson("X", lam)),
        lambda v: ss.poisson(v["lambda"]), {"lambda": 3.2}),
    "uniform_zero_theta": Case(
        _problem("Uniform(0, theta)", sp.Piecewise((-sp.log(theta), (x >= 0) & (x <= theta)), (-sp.oo, True)),
                 sp.Interval(0, theta), (theta,), (theta,), (_order(highest, "max"),), {theta: highest},
                 random_variable=st.Uniform("X", 0, theta)),
        lambda v: ss.uniform(0, v["theta"]), {"theta": 2.0}, smooth=False),
    "uniform": Case(
        _problem("Uniform(a, b)", sp.Piecewise((-sp.log(b_end - a_end), (x >= a_end) & (x <= b_end)), (-sp.oo, True)),
                 sp.Interval(a_end, b_end), (a_end, b_end), (a_end, b_end),
                 (_order(lowest, "min"), _order(highest, "max")), {a_end: lowest, b_end: highest},
                 random_variable=st.Uniform("X", a_end, b_end)),
        lambda v: ss.uniform(v["a"], v["b"] - v["a"]), {"a": -1.0, "b": 3.0}, smooth=False),
    "laplace_location": Case(
        _problem("Laplace location", -sp.log(2 * b) - sp.Abs(x - mu) / b, sp.Reals, (mu, b), (mu,),
                 (_order(middle, "median"),), {mu: middle}, random_variable=st.Laplace("X", mu, b)),
        lambda v: ss.laplace(v["mu"], v["b"]), {"mu": 0.8, "b": 1.5}, smooth=False),
    "gamma": Case(  # no closed form for k; the scale profiles out
        _problem("Gamma", (k - 1) * sp.log(x) - x / theta - sp.loggamma(k) - k * sp.log(theta), sp.Interval(0, sp.oo),
                 (k, theta), (k, theta), (_mean(xbar, x), _mean(m2, (x - xbar) ** 2), _mean(mlog, sp.log(x))), {theta: xbar / k},
                 stationarity=(sp.Eq(sp.log(k) - sp.digamma(k), sp.log(xbar) - mlog),),
                 initial_guess={k: xbar**2 / m2}, random_variable=st.Gamma("X", k, theta)),
        lambda v: ss.gamma(v["k"], scale=v["theta"]), {"k": 2.5, "theta": 1.7}),
    "beta": Case(  # no closed form: a square system through statistics
        _problem("Beta", (alpha - 1) * sp.log(x) + (beta - 1) * sp.log(1 - x) - sp.log(sp.beta(alpha, beta)),
                 sp.Interval(0, 1), (alpha, beta), (alpha, beta), (_mean(mlog, sp.log(x)), _mean(mlog1m, sp.log(1 - x))), {},
                 stationarity=(sp.Eq(sp.digamma(alpha) - sp.digamma(alpha + beta), mlog),
                               sp.Eq(sp.digamma(beta) - sp.digamma(alpha + beta), mlog1m)),
                 initial_guess={alpha: sp.Integer(1), beta: sp.Integer(1)}, random_variable=st.Beta("X", alpha, beta)),
        lambda v: ss.beta(v["alpha"], v["beta"]), {"alpha": 2.0, "beta": 3.5}),
    "student_t_location": Case(  # no closed form, and the score keeps a sum over the data: maximisation
        _problem("Student-t location", sp.loggamma((nu + 1) / 2) - sp.loggamma(nu / 2) - sp.log(sp.pi * nu) / 2
                 - (nu + 1) / 2 * sp.log(1 + (x - mu) ** 2 / nu), sp.Reals, (mu, nu), (mu,), (_order(middle, "median"),), {},
                 stationarity=(sp.Eq(sp.Sum((sp.IndexedBase("x")[sp.Symbol("i")] - mu)
                                            / (nu + (sp.IndexedBase("x")[sp.Symbol("i")] - mu) ** 2), (sp.Symbol("i"), 1, n)), 0),),
                 initial_guess={mu: middle}),
        lambda v: ss.t(v["nu"], loc=v["mu"]), {"mu": 2.0, "nu": 3.0}),
}

"""Benchmark: the maximum wall time of each public entry point over a representative set of calls, beside the
budget it documents (symml/budget.py); a call more than 2 s past its budget is flagged.

Run:  python benchmarks/bench_budgets.py      (about a minute on one core)

The derivations have whole-call budgets too: the maximum-likelihood derivation and the stationary point that of
the solving core (symml.optimize.core.DERIVE_SECONDS), the matrix gradient and Hessian theirs
(symml.matrix_calculus.derivatives.DERIVE_SECONDS). The MLE calls include a user's log-density (its normalisation
is checked by quadrature) and Uniform(theta, theta + 1) (an interval of maximisers). Also prints the overhead of
budget.within_process (one fork).

``python benchmarks/bench_budgets.py --derivations`` times instead the probability derivations whose steps share
DERIVATION_SECONDS (symml.budget.SharedBudget), with the default budgets: Fisher information, moments and entropy of
harder families and of scipy.stats densities typed from their reference pages (each ran 10-180 s before the share),
each compared with quadrature of scipy's density or with scipy.stats; one line each: CPU seconds of the derivation
and of numpy(), the route (symbolic, or numeric: a term left to quadrature), the relative error. About 5 minutes.
"""
from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import scipy.stats as ss  # noqa: E402
import sympy as sp  # noqa: E402
import sympy.stats as st  # noqa: E402
from scipy import integrate  # noqa: E402

import symml  # noqa: E402
from symml.budget import NUMPY_SECONDS, RENDER_SECONDS, VERIFY_SECONDS, within_process  # noqa: E402
from symml.checker.decide import PROBE_SECONDS  # noqa: E402
from symml.errors import SymmlError  # noqa: E402
from symml.probability.integration import is_closed  # noqa: E402
from symml.matrix_calculus.derivatives import DERIVE_SECONDS as MATRIX_DERIVE_SECONDS  # noqa: E402
from symml.optimize.core import DERIVE_SECONDS as CORE_DERIVE_SECONDS  # noqa: E402

BUDGETS: dict[str, float | None] = {
    "derive.mle": CORE_DERIVE_SECONDS, "derive.gradient": MATRIX_DERIVE_SECONDS,
    "derive.hessian": MATRIX_DERIVE_SECONDS, "derive.stationary_point": CORE_DERIVE_SECONDS,
    "check": PROBE_SECONDS, "numpy()": NUMPY_SECONDS, "verify()": VERIFY_SECONDS, "latex()": RENDER_SECONDS,
    "markdown()": RENDER_SECONDS, "str()": RENDER_SECONDS,
}
FAMILIES = ["Normal", "Exponential", "Gamma", "Weibull", "Beta", "Poisson", "LogitNormal", "NegativeBinomial",
            "Uniform", "Laplace", "StudentT"]


def _timed(times: dict[str, list[float]], entry: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    started = time.perf_counter()
    try:
        return fn(*args, **kwargs)
    except SymmlError as failure:
        print(f"  {entry} {args[:1]}: {type(failure).__name__}: {str(failure)[:100]}")
        return None
    finally:
        times[entry].append(time.perf_counter() - started)


def _derivations(times: dict[str, list[float]]) -> list[Any]:
    derivations = [_timed(times, "derive.mle", symml.derive.mle, family) for family in FAMILIES]
    observation, theta = sp.Symbol("x", real=True), sp.Symbol("theta", real=True)
    for model in (symml.Model(-(observation - theta) ** 2 / 2 - sp.log(2 * sp.pi) / 2, observation),
                  symml.Model(sp.Integer(0), observation, sp.Interval(theta, theta + 1))):
        derivations.append(_timed(times, "derive.mle", symml.derive.mle, model))
    n, d = symml.dims("n d")
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    loss = symml.losses.logistic(X, w, y)
    derivations.append(_timed(times, "derive.gradient", symml.derive.gradient, loss, w))
    derivations.append(_timed(times, "derive.hessian", symml.derive.hessian, loss, w))
    ridge = symml.losses.ridge(X, w, y, sp.Symbol("lambda", positive=True))
    derivations.append(_timed(times, "derive.stationary_point", symml.derive.stationary_point, ridge, w))
    return [d for d in derivations if d is not None]


def main() -> None:
    times: dict[str, list[float]] = defaultdict(list)
    for derivation in _derivations(times):
        _timed(times, "numpy()", derivation.numpy)
        _timed(times, "verify()", derivation.verify)
        _timed(times, "latex()", derivation.latex)
        _timed(times, "markdown()", derivation.markdown)
        _timed(times, "str()", str, derivation)
    x = sp.Symbol("x")
    for claim in ["sin(x)^2 + cos(x)^2 = 1", "log(exp(x) + exp(-x)) = x + log(1 + exp(-2*x))",
                  r"\frac{d}{dx} x e^{x} = (x + 1) e^{x}", "x = x + 10^(-20)"]:
        _timed(times, "check", symml.check, claim)
    _timed(times, "check", symml.check, "x*exp(x) + exp(x)", sp.diff(x * sp.exp(x), x))
    print(f"\n{'entry point':26s} {'calls':>5s} {'max s':>8s} {'budget s':>9s}")
    for entry, budget in BUDGETS.items():
        worst = max(times[entry], default=0.0)
        shown = "stages" if budget is None else f"{budget:g}"
        flag = "  OVER BUDGET" if budget is not None and worst > budget + 2 else ""
        print(f"{entry:26s} {len(times[entry]):5d} {worst:8.2f} {shown:>9s}{flag}")
    started = time.perf_counter()
    for _ in range(20):
        within_process(5, "nothing", int)
    print(f"\nbudget.within_process overhead: {(time.perf_counter() - started) / 20 * 1000:.1f} ms per call")


def _fisher_by_quadrature(frozen: Callable[..., Any], theta: list[float], lower: float, upper: float) -> np.ndarray:
    """I_ij = ∫ s_i s_j f, the scores by central differences of scipy's log-density."""
    theta_ = np.asarray(theta, dtype=float)

    def score(x: float, i: int) -> float:
        step = np.zeros_like(theta_)
        step[i] = 1e-5 * max(1.0, abs(theta_[i]))
        with np.errstate(invalid="ignore"):
            difference = frozen(*(theta_ + step)).logpdf(x) - frozen(*(theta_ - step)).logpdf(x)
        return difference / (2 * step[i]) if np.isfinite(difference) else 0.0  # where the density underflows

    k = theta_.size
    return np.array([[integrate.quad(lambda x: score(x, i) * score(x, j) * frozen(*theta_).pdf(x), lower, upper,
                                     limit=200)[0] for j in range(k)] for i in range(k)])


def _mean_variance(frozen: Any) -> list[float]:
    return [float(v) for v in frozen.stats("mv")]


# typed from https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.<name>.html: (log-density, support,
# parameter values, scipy's frozen law of them)
_SCIPY_PAGES: dict[str, tuple[str, sp.Set, dict[str, float], Callable[..., Any]]] = {
    "fisk": ("log(c) + (c - 1)*log(x) - 2*log(1 + x**c)", sp.Interval(0, sp.oo), {"c": 3.4}, ss.fisk),
    "foldnorm": ("log(sqrt(2/pi)) + log(cosh(c*x)) - (x**2 + c**2)/2", sp.Interval(0, sp.oo), {"c": 1.3}, ss.foldnorm),
    "nakagami": ("log(2) + nu*log(nu) - loggamma(nu) + (2*nu - 1)*log(x) - nu*x**2", sp.Interval(0, sp.oo),
                 {"nu": 1.7}, ss.nakagami),
    "wrapcauchy": ("log(1 - c**2) - log(2*pi) - log(1 + c**2 - 2*c*cos(x))", sp.Interval(0, 2 * sp.pi), {"c": 0.4},
                   ss.wrapcauchy),
    "kappa3": ("log(a) - (a + 1)/a*log(a + x**a)", sp.Interval(0, sp.oo), {"a": 2.5}, ss.kappa3),
    "mielke": ("log(k) + (k - 1)*log(x) - (1 + k/s)*log(1 + x**s)", sp.Interval(0, sp.oo), {"k": 2.5, "s": 4.5},
               ss.mielke),
    "exponnorm": ("-log(2*K) + 1/(2*K**2) - x/K + log(erfc(-(x - 1/K)/sqrt(2)))", sp.Interval(-sp.oo, sp.oo),
                  {"K": 1.5}, ss.exponnorm),
}


def _derivation_cases() -> list[tuple[str, Callable[[], Any], dict[str, float], Callable[[], Any]]]:
    """(name, the derivation, parameter values, the oracle's value: a matrix, [mean, variance] or a number)."""
    positive = lambda name: sp.Symbol(name, positive=True)  # noqa: E731
    mu, inf = sp.Symbol("mu", real=True), np.inf

    def rice() -> Any:
        x, b = sp.Symbol("x", positive=True), positive("b")
        return symml.derive.fisher_information(symml.Model(
            logpdf=sp.log(x) - (x**2 + b**2) / 2 + sp.log(sp.besseli(0, x * b)), data=x, support=sp.Interval(0, sp.oo)))

    def von_mises_moments() -> list[float]:  # sympy.stats' von Mises lives on [0, 2π]
        first, second = (integrate.quad(lambda t: t**k * ss.vonmises(2.3, loc=0.7).pdf(t), 0, 2 * np.pi)[0]
                         for k in (1, 2))
        return [first, second - first**2]

    cases = [
        ("Fisher StudentT(nu)", lambda: symml.derive.fisher_information(st.StudentT("X", positive("nu"))),
         {"nu": 4.5}, lambda: _fisher_by_quadrature(ss.t, [4.5], -inf, inf)),
        ("Fisher VonMises(kappa)", lambda: symml.derive.fisher_information(
            st.VonMises("X", mu, positive("kappa")), wrt=["kappa"]),
         {"mu": 0.7, "kappa": 2.3}, lambda: _fisher_by_quadrature(lambda k: ss.vonmises(k, loc=0.7), [2.3],
                                                                   0.7 - np.pi, 0.7 + np.pi)),
        ("Fisher Wald(mu, lambda)", lambda: symml.derive.fisher_information(st.Wald("X", positive("mu"),
                                                                                    positive("lambda"))),
         {"mu": 1.3, "lambda": 2.1}, lambda: _fisher_by_quadrature(lambda m, lam: ss.invgauss(m / lam, scale=lam),
                                                                    [1.3, 2.1], 0, inf)),
        ("Fisher Rice(b), besseli", rice, {"b": 0.775}, lambda: _fisher_by_quadrature(ss.rice, [0.775], 0, inf)),
        ("moments VonMises", lambda: symml.derive.moments(st.VonMises("X", mu, positive("kappa")), upto=2),
         {"mu": 0.7, "kappa": 2.3}, von_mises_moments),
        ("moments BetaBinomial", lambda: symml.derive.moments(st.BetaBinomial(
            "X", sp.Symbol("n", positive=True, integer=True), positive("a"), positive("b")), upto=2),
         {"n": 7, "a": 1.5, "b": 2.5}, lambda: _mean_variance(ss.betabinom(7, 1.5, 2.5))),
        ("moments Gumbel", lambda: symml.derive.moments(st.Gumbel("X", positive("b"), mu), upto=2),
         {"b": 1.3, "mu": 0.4}, lambda: _mean_variance(ss.gumbel_r(0.4, 1.3))),
    ]
    for name, (logpdf, support, values, law) in _SCIPY_PAGES.items():
        model = symml.Model(logpdf=logpdf, data="x", support=support)
        shape = list(values.values())
        lower, upper = (float(end) for end in (support.inf, support.sup))
        cases += [
            (f"entropy {name}", lambda model=model: symml.derive.entropy(model), values,
             lambda law=law, shape=shape: float(law(*shape).entropy())),
            (f"Fisher {name}", lambda model=model: symml.derive.fisher_information(model), values,
             lambda law=law, shape=shape, lower=lower, upper=upper: _fisher_by_quadrature(law, shape, lower, upper)),
            (f"moments {name}", lambda model=model: symml.derive.moments(model, upto=2), values,
             lambda law=law, shape=shape: _mean_variance(law(*shape))),
        ]
    return cases


def derivations() -> None:
    """One line per probability derivation: its CPU time, numpy()'s, the route and the error against the oracle."""
    print(f"{'case':26s} {'derive s':>9s} {'numpy s':>8s} {'route':>9s} {'rel. error':>11s}")
    for name, derive, values, oracle in _derivation_cases():
        started = time.process_time()
        derivation = derive()
        derived = time.process_time()
        found = derivation.numpy()(**values)
        evaluated = time.process_time()
        results = list(derivation.result.values()) if isinstance(derivation.result, dict) else list(derivation.result) \
            if isinstance(derivation.result, sp.MatrixBase) else [derivation.result]
        got = np.array([found["mean"], found["variance"]]) if isinstance(found, dict) else np.ravel(found)
        want = np.ravel(oracle())
        error = np.max(np.abs(got - want)) / np.max(np.abs(want))
        route = "symbolic" if all(is_closed(sp.sympify(r)) for r in results) else "numeric"
        print(f"{name:26s} {derived - started:9.1f} {evaluated - derived:8.2f} {route:>9s} {error:11.1e}")


if __name__ == "__main__":
    derivations() if "--derivations" in sys.argv else main()

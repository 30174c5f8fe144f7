"""The slow checks of scipy.stats' documented densities (tests/test_world_scipy_stats.py has the fast ones): each
problem typed as a user copies it from https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.<name>.html,
derived with the default budgets, its numpy() compared with scipy.stats. Prints one line per problem: right or
WRONG, the CPU time. Run: ``OPENBLAS_NUM_THREADS=1 python benchmarks/world_scipy_stats.py``.
"""
from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import scipy.stats as ss  # noqa: E402
import sympy as sp  # noqa: E402

import symml  # noqa: E402


def lomax_mean() -> tuple[float, float]:
    # with c of unknown sign SymPy gave E[X] = c/(c² − c) − ∞c/(c − 1); numpy() returned −∞
    model = symml.Model(logpdf="log(c) - (c + 1)*log(1 + x)", data="x", support=sp.Interval(0, sp.oo))
    return float(symml.derive.expectation(model, model.data).numpy()(c=1.88)), float(ss.lomax(1.88).mean())


def fatiguelife_variance() -> tuple[float, float]:
    # the MGF's Taylor series ran out of budget and raised BudgetExceededError
    model = symml.Model(logpdf="log(x + 1) - log(2*c*sqrt(2*pi*x**3)) - (x - 1)**2/(2*x*c**2)", data="x",
                        support=sp.Interval(0, sp.oo))
    return float(symml.derive.moments(model, upto=2).numpy()(c=1.5)["variance"]), float(ss.fatiguelife(1.5).var())


def halflogistic_variance() -> tuple[float, float]:
    # SymPy's E[X²] held a Lerch transcendent, 4Φ(−1, 2, 1) − log²4, which numpy() refused
    model = symml.Model(logpdf="log(2) - x - 2*log(1 + exp(-x))", data="x", support=sp.Interval(0, sp.oo))
    return float(symml.derive.moments(model, upto=2).numpy()()["variance"]), float(ss.halflogistic.var())


def wald_entropy() -> tuple[float, float]:
    # E[log X] came out as an unevaluated ∂I_ν/∂ν, on which SciPy's printer crashed; with the default budget
    import sympy.stats as st

    mu, lam = sp.symbols("mu lambda", positive=True)
    found = symml.derive.entropy(st.Wald("X", mu, lam)).numpy()(mu=0.5, **{"lambda": 2.0})
    return float(found), float(ss.invgauss(0.25, scale=2.0).entropy())


def bradford_fisher() -> tuple[float, float]:
    # came out as −19.6 (SymPy's Risch integrator with log(1 + c) inside a sum)
    from scipy import integrate

    model = symml.Model(logpdf="log(c) - log(log(1 + c)) - log(1 + c*x)", data="x", support=sp.Interval(0, 1))
    found = float(np.asarray(symml.derive.fisher_information(model).numpy()(c=0.299)).ravel()[0])
    h = 1e-6
    def squared_score(t: float) -> float:
        return ((ss.bradford.logpdf(t, 0.299 + h) - ss.bradford.logpdf(t, 0.299 - h)) / (2 * h))**2

    oracle = integrate.quad(lambda t: squared_score(t) * ss.bradford.pdf(t, 0.299), 0, 1)[0]
    return found, oracle


def rice_fisher() -> tuple[float, float]:
    # with SymPy's besseli (typed as text it is refused by name)
    from scipy import integrate

    x, b = sp.Symbol("x", positive=True), sp.Symbol("b", positive=True)
    model = symml.Model(logpdf=sp.log(x) - (x**2 + b**2) / 2 + sp.log(sp.besseli(0, x * b)), data=x,
                        support=sp.Interval(0, sp.oo))
    found = float(np.asarray(symml.derive.fisher_information(model).numpy()(b=0.775)).ravel()[0])
    h = 1e-6
    oracle = integrate.quad(lambda t: ((ss.rice.logpdf(t, 0.775 + h) - ss.rice.logpdf(t, 0.775 - h)) / (2 * h))**2
                            * ss.rice.pdf(t, 0.775), 0, np.inf)[0]
    return found, oracle


if __name__ == "__main__":
    for problem in (lomax_mean, fatiguelife_variance, halflogistic_variance, wald_entropy, bradford_fisher,
                    rice_fisher):
        start = time.process_time()
        found, oracle = problem()
        outcome = "right" if np.isclose(found, oracle, rtol=1e-6) else "WRONG"
        print(f"{problem.__name__:22s} {outcome:5s} symml {found:.10g}  scipy {oracle:.10g}  "
              f"{time.process_time() - start:6.1f} s CPU")

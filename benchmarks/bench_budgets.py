"""Benchmark: the maximum wall time of each public entry point over a representative set of calls, beside the
budget it documents (symml/budget.py); a call more than 2 s past its budget is flagged.

Run:  python benchmarks/bench_budgets.py      (about a minute on one core)

The derivations have whole-call budgets too: the maximum-likelihood derivation and the stationary point that of
the solving core (symml.optimize.core.DERIVE_SECONDS), the matrix gradient and Hessian theirs
(symml.matrix_calculus.derivatives.DERIVE_SECONDS). The MLE calls include a user's log-density (its normalisation
is checked by quadrature) and Uniform(theta, theta + 1) (an interval of maximisers). Also prints the overhead of
budget.within_process (one fork).
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

import sympy as sp  # noqa: E402

import symml  # noqa: E402
from symml.budget import NUMPY_SECONDS, RENDER_SECONDS, VERIFY_SECONDS, within_process  # noqa: E402
from symml.checker.decide import PROBE_SECONDS  # noqa: E402
from symml.errors import SymmlError  # noqa: E402
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


if __name__ == "__main__":
    main()

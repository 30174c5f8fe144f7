"""A concurrent workload for the stress test and ``benchmarks/bench_stress.py``: threads deriving (MLE, matrix
gradient), checking claims and running short budgets at once; results compared with a single-threaded run."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy as sp

import symml
from symml.budget import within
from symml.errors import BudgetExceededError, SymmlError

x = sp.Symbol("x")


def _mle(family: str) -> Callable[[], str]:
    def task() -> str:
        derivation = symml.derive.mle(family)
        estimate = derivation.numpy()(x=np.linspace(0.5, 3.0, 50))
        return f"{derivation.summary} {sorted((k, round(v, 12)) for k, v in estimate.items())}"
    return task


def _logistic_gradient() -> str:
    n, d = symml.dims("n d")
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    return str(symml.derive.gradient(symml.losses.logistic(X, w, y), w).result)


def _check() -> str:
    return str(bool(symml.check("x*exp(x) + exp(x)", sp.diff(x * sp.exp(x), x))))


def _short_budget() -> str:
    # Expires or not depending on the load: either answer is allowed, nothing else is.
    try:
        return str(within(0.002, "a short simplify", sp.simplify, (sp.sin(x) ** 2 + sp.cos(x) ** 2) ** 3))
    except BudgetExceededError:
        return "1"


TASKS: dict[str, Callable[[], str]] = {
    "mle Exponential": _mle("Exponential"),
    "mle Normal": _mle("Normal"),
    "mle Gamma": _mle("Gamma"),
    "logistic gradient": _logistic_gradient,
    "check": _check,
    "short budget": _short_budget,
}


@dataclass
class StressReport:
    calls: int = 0
    mismatches: list[str] = field(default_factory=list)
    escaped: list[str] = field(default_factory=list)  # exceptions other than a SymmlError
    rss_growth_mb: float = 0.0


def reference_results() -> dict[str, str]:
    """Each task's answer, single-threaded."""
    return {name: task() for name, task in TASKS.items()}


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def run_stress(seconds: float, threads: int = 8) -> StressReport:
    """Run the tasks round-robin in ``threads`` threads for ``seconds``; compare with single-threaded answers."""
    reference = reference_results()
    report = StressReport()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(offset: int) -> None:
        names = list(TASKS)
        k = offset
        while time.monotonic() < deadline:
            name = names[k % len(names)]
            k += 1
            try:
                answer = TASKS[name]()
            except SymmlError as failure:
                answer = f"{type(failure).__name__}: {failure}"
            except BaseException as failure:  # what the stress test looks for: anything that is not symml's
                with lock:
                    report.escaped.append(f"{name}: {type(failure).__name__}: {failure}")
                continue
            with lock:
                report.calls += 1
                if answer != reference[name]:
                    report.mismatches.append(f"{name}: {answer!r} != {reference[name]!r}")

    def round_of_threads(until: float) -> None:
        nonlocal deadline
        deadline = until
        pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()

    round_of_threads(time.monotonic() + seconds / 3)  # warm-up: caches fill
    before = _rss_mb()
    round_of_threads(time.monotonic() + 2 * seconds / 3)
    report.rss_growth_mb = _rss_mb() - before
    return report

"""Benchmark of start-up: ``import symml`` and the ``symml`` command against ``python -c "import sympy"``.

    python benchmarks/bench_cli.py [--repeats 7]

Each command runs in a fresh interpreter (wall time of the whole process, the median of ``--repeats`` runs,
interleaved so that machine load hits every command alike); the ratios are to ``import sympy`` measured in the
same run. Goals (issues 8 and 17): ``import symml`` <= 1.2x ``import sympy``; ``symml --help`` under 0.3 s;
``symml mle Normal`` under 1 s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = {
    "python (empty)": [sys.executable, "-c", "pass"],
    "import sympy": [sys.executable, "-c", "import sympy"],
    "import symml": [sys.executable, "-c", "import symml"],
    "symml --help": [sys.executable, "-m", "symml", "--help"],
    "symml mle Normal": [sys.executable, "-m", "symml", "mle", "Normal"],
    "symml gradient (logistic)": [sys.executable, "-m", "symml", "gradient", "sum(softplus(X@w)) - transpose(y)@X@w",
                                  "--wrt", "w", "--matrix", "X:n,d", "--vector", "w:d", "--vector", "y:n"],
}
GOALS = {"import symml": ("ratio", 1.2), "symml --help": ("seconds", 0.3), "symml mle Normal": ("seconds", 1.0)}


def _seconds(command: list[str]) -> float:
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    repeats = parser.parse_args().repeats
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(repeats):
        for name, command in COMMANDS.items():
            times[name].append(_seconds(command))
    baseline = statistics.median(times["import sympy"])
    print(f"{'command':<28}{'median s':>10}{'x import sympy':>16}  goal")
    for name, samples in times.items():
        median = statistics.median(samples)
        kind, limit = GOALS.get(name, ("", 0.0))
        goal = "" if not kind else f"{'<=' if kind == 'ratio' else '<'} {limit}{'x' if kind == 'ratio' else ' s'}: "
        if kind:
            goal += "met" if (median / baseline if kind == "ratio" else median) <= limit else "NOT met"
        print(f"{name:<28}{median:>10.3f}{median / baseline:>16.2f}  {goal}")


if __name__ == "__main__":
    main()

"""Stress: 8 threads deriving (MLE, matrix gradient), checking and running short budgets at once for 60 s; the
answers must equal the single-threaded ones, no internal exception may escape, memory must not grow.

Run:  python benchmarks/bench_stress.py [seconds]      (default 60; the test suite runs a 9 s version)
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.stress import run_stress  # noqa: E402


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    report = run_stress(seconds, threads=8)
    print(f"{report.calls} calls in {seconds:g} s on 8 threads")
    print(f"answers differing from a single thread: {len(report.mismatches)}")
    for mismatch in report.mismatches[:5]:
        print("  ", mismatch[:200])
    print(f"exceptions other than SymmlError: {len(report.escaped)}")
    for escaped in report.escaped[:5]:
        print("  ", escaped[:200])
    print(f"resident memory growth after warm-up: {report.rss_growth_mb:.1f} MB")
    sys.exit(1 if report.mismatches or report.escaped else 0)


if __name__ == "__main__":
    main()

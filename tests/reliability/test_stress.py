"""8 threads deriving and checking at once under short budgets give the single-threaded answers, let no
internal exception escape and do not grow memory. (A 60 s version: benchmarks/bench_stress.py.)"""
from tests.reliability.stress import run_stress


def test_eight_threads_deriving_and_checking_concurrently_agree_with_a_single_thread():
    report = run_stress(seconds=9.0, threads=8)
    assert report.calls > 8
    assert report.escaped == []
    assert report.mismatches == []
    assert report.rss_growth_mb < 50

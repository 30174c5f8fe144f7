"""The corpus: every correct claim is judged equivalent, every wrong twin not equivalent with a valid
counterexample (re-evaluated independently, respecting the assumptions); none takes long."""
from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp

import symml
from symml.checker import VerdictKind
from tests.checker.corpus import PAIRS
from tests.checker.independent import value_at

#: Seconds one claim may take (the whole corpus runs in well under a minute).
CLAIM_SECONDS = 15.0


def _timed_check(left, right, options):
    started = time.perf_counter()
    verdict = symml.check(left, right, **options)
    elapsed = time.perf_counter() - started
    assert elapsed < CLAIM_SECONDS, f"took {elapsed:.1f} s"
    return verdict


def _close(a, b, tolerance=1e-8):
    a, b = (np.array(sp.Matrix(v).tolist() if isinstance(v, sp.MatrixBase) else [[v]], dtype=complex) for v in (a, b))
    return a.shape == b.shape and np.allclose(a, b, rtol=tolerance, atol=tolerance)


def test_corpus_has_at_least_fifty_correct_and_fifty_wrong_claims():
    assert len(PAIRS) >= 50
    assert len({pair.name for pair in PAIRS}) == len(PAIRS)


@pytest.mark.parametrize("pair", PAIRS, ids=[pair.name for pair in PAIRS])
def test_correct_claim_is_equivalent(pair):
    verdict = _timed_check(pair.left, pair.right, pair.options)
    assert verdict, str(verdict)
    assert verdict.kind in (VerdictKind.EQUIVALENT, VerdictKind.NUMERICALLY_EQUIVALENT,
                            VerdictKind.EQUIVALENT_UP_TO_CONSTANT)
    assert verdict.counterexample is None


@pytest.mark.parametrize("pair", PAIRS, ids=[pair.name for pair in PAIRS])
def test_wrong_claim_has_a_valid_counterexample(pair):
    verdict = _timed_check(pair.left, pair.wrong, pair.options)
    assert not verdict
    assert verdict.kind is VerdictKind.NOT_EQUIVALENT
    example = verdict.counterexample
    left, right = value_at(verdict.left, example.values), value_at(verdict.right, example.values)
    # the reported values are the sides' true values there, and they really differ
    assert _close(left, example.left) and _close(right, example.right)
    assert not _close(left, right, tolerance=1e-6)
    _assert_respects_assumptions(example.values, pair.options)


def _assert_respects_assumptions(values, options):
    for symbol, value in values:
        if isinstance(value, sp.MatrixBase):
            matrix = np.array(value.tolist(), dtype=float)
            symmetric = {str(m.name) for m in [*options.get("symmetric", ()), *options.get("positive_definite", ())]}
            if symbol.name in symmetric:
                assert np.allclose(matrix, matrix.T)
            if symbol.name in {str(m.name) for m in options.get("positive_definite", ())}:
                assert np.linalg.eigvalsh(matrix).min() > 0
            continue
        if isinstance(value, int):
            assert value >= 1
            continue
        if symbol.is_positive:
            assert value > 0
        if symbol.is_integer:
            assert value.is_integer
        if symbol.is_real:
            assert value.is_real

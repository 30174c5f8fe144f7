"""Every rule in the coverage list: the derived gradient and Hessian agree with finite differences of the same
function written by hand in NumPy (tests/matrix/cases.py), over random shapes and values; verify() agrees."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symml
from symml.testing import check_gradient, check_hessian
from tests.matrix.cases import CASES, Case, d, draw, k, n

IDS = [case.name for case in CASES]


@lru_cache(maxsize=None)
def derived(index: int, kind: str):
    case = CASES[index]
    derivation = getattr(symml.derive, kind)(case.expr, case.wrt)
    return derivation, derivation.numpy()



def _inputs(case: Case, sizes: tuple, seed: int) -> dict:
    return draw(case, {n: sizes[0], d: sizes[1], k: sizes[2]}, np.random.default_rng(seed))


sizes = st.tuples(st.integers(2, 6), st.integers(2, 5), st.integers(2, 4))


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
@settings(max_examples=12)
@given(shape=sizes, seed=st.integers(0, 2**16))
def test_gradient_agrees_with_differences_of_the_hand_written_function(index, shape, seed):
    case = CASES[index]
    _, gradient = derived(index, "gradient")
    values = _inputs(case, shape, seed)
    name = case.wrt.name
    error = check_gradient(lambda x: case.numpy({**values, name: x}),
                           lambda x: gradient(**{**values, name: x}), values[name],
                           seed=seed, symmetric=case.wrt.name in ("S", "Sigma"))
    assert error < 1e-6


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
@settings(max_examples=8)
@given(shape=sizes, seed=st.integers(0, 2**16))
def test_hessian_agrees_with_second_differences_of_the_hand_written_function(index, shape, seed):
    case = CASES[index]
    _, hessian = derived(index, "hessian")
    values = _inputs(case, shape, seed)
    name = case.wrt.name
    error = check_hessian(lambda x: case.numpy({**values, name: x}),
                          lambda x: hessian(**{**values, name: x}), values[name],
                          seed=seed, symmetric=case.wrt.name in ("S", "Sigma"))
    assert error < 1e-4


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_verify_passes_for_gradient_and_hessian(index):
    for kind in ("gradient", "hessian"):
        report = derived(index, kind)[0].verify()
        assert report, str(report)


@pytest.mark.parametrize("index", [i for i, case in enumerate(CASES) if not case.smooth], ids=[
    case.name for case in CASES if not case.smooth])
def test_subgradients_are_stated_as_such(index):
    derivation = derived(index, "gradient")[0]
    assert any("subgradient" in remark for remark in derivation.remarks)
    assert any("subgradient" in step.why for step in derivation.steps)

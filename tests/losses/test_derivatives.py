"""Every loss: the gradient and Hessian symml derives agree with hand-written NumPy and with central differences.

Each loss is derived once, with symbolic shapes; hypothesis then draws the sizes and the values (ill-scaled
columns included), and the derived NumPy functions are checked against (a) the hand-written gradient and Hessian
in ``oracles`` and (b) central differences of the hand-written loss and gradient, which involve no derivation.
"""
from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import symml
from tests.losses.cases import CASES, Case
from tests.losses.oracles import central_gradient, central_hessian, max_relative_error

TOLERANCE = 1e-5  # central differences with h ~ 1e-6 |x| are good to about 1e-8 here; the margin is generous

points = st.tuples(st.integers(2, 12), st.integers(1, 4), st.integers(0, 2**32 - 1))


@functools.cache
def _derived(name: str, kind: str):
    case = CASES[name]
    derive = symml.derive.gradient if kind == "gradient" else symml.derive.hessian
    return derive(case.loss, case.wrt)


@functools.cache
def _numpy(name: str, kind: str):
    return _derived(name, kind).numpy()


def _draw(case: Case, point: tuple[int, int, int]) -> dict:
    n, d, seed = point
    inputs = case.sample(np.random.default_rng(seed), n, d)
    if case.margin is not None:
        assume(case.margin(inputs) > 1e-3)  # finite differences straddle no kink
    return inputs


def _unknown(case: Case, inputs: dict) -> np.ndarray:
    return np.asarray(inputs[case.wrt.name], dtype=float)


def _derived_gradient(name: str, inputs: dict) -> np.ndarray:
    return np.asarray(_numpy(name, "gradient")(**inputs))


def _derived_hessian(name: str, inputs: dict) -> np.ndarray:
    return np.asarray(_numpy(name, "hessian")(**inputs)) * np.ones((1, 1))  # a 0 Hessian may come back as 0.0


def _symmetric_direction(case: Case, rng: np.random.Generator, shape: tuple) -> np.ndarray:
    direction = rng.standard_normal(shape)
    return (direction + direction.T) / 2 if case.wrt.T == case.wrt else direction


@pytest.mark.parametrize("name", CASES)
@given(point=points)
def test_gradient_numpy_agrees_with_the_hand_written_gradient(name, point):
    case = CASES[name]
    inputs = _draw(case, point)
    assert max_relative_error(_derived_gradient(name, inputs), case.call("_gradient", inputs)) < 1e-9


@pytest.mark.parametrize("name", CASES)
@given(point=points)
def test_gradient_agrees_with_central_differences_of_the_loss(name, point):
    case = CASES[name]
    inputs = _draw(case, point)
    unknown = _unknown(case, inputs)
    numeric = central_gradient(lambda v: case.call("", inputs, **{case.wrt.name: v}), unknown)
    assert max_relative_error(_derived_gradient(name, inputs).reshape(unknown.shape), numeric) < TOLERANCE


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.has_oracle("_hessian")])
@given(point=points)
def test_hessian_numpy_agrees_with_the_hand_written_hessian(name, point):
    case = CASES[name]
    inputs = _draw(case, point)
    expected = case.call("_hessian", inputs)
    assert max_relative_error(_derived_hessian(name, inputs) * np.ones_like(expected), expected) < 1e-9


@pytest.mark.parametrize("name", CASES)
@given(point=points)
def test_hessian_quadratic_form_agrees_with_central_differences_of_the_gradient(name, point):
    # vec(E)ᵀ H vec(E) = d/dt <∇L(U + tE), E> at t = 0; E symmetric for a symmetric unknown (Σ, Λ), where only
    # symmetric directions are meaningful. For a vector unknown the full Hessian is compared as well.
    case = CASES[name]
    inputs = _draw(case, point)
    unknown = _unknown(case, inputs)
    hessian = _derived_hessian(name, inputs)
    rng = np.random.default_rng(point[2] + 1)
    for _ in range(3):
        E = _symmetric_direction(case, rng, unknown.shape)
        h = 1e-6 * max(1.0, float(np.max(np.abs(unknown))))
        along = [np.sum(case.call("_gradient", inputs, **{case.wrt.name: unknown + s * h * E}) * E) for s in (1, -1)]
        numeric = (along[0] - along[1]) / (2 * h)
        e = E.ravel(order="F")
        derived = e @ (hessian * np.ones((e.size, e.size))) @ e
        assert max_relative_error(derived, numeric) < TOLERANCE
    if unknown.ndim == 1:
        numeric = central_hessian(lambda v: case.call("_gradient", inputs, **{case.wrt.name: v}), unknown)
        assert max_relative_error(hessian * np.ones_like(numeric), numeric) < TOLERANCE


@pytest.mark.parametrize("name", CASES)
def test_engine_verify_passes_for_the_gradient_and_the_hessian(name):
    assert _derived(name, "gradient").verify()
    assert _derived(name, "hessian").verify()


@pytest.mark.parametrize("name", CASES)
def test_every_derivation_renders_in_katex(name, katex):
    for kind in ("gradient", "hessian"):
        derivation = _derived(name, kind)
        assert katex.errors(derivation.latex()) == []
        assert katex.errors(derivation.markdown()) == []

"""The second-order condition under equality constraints: the bordered Hessian decides a constrained maximum or
minimum, and the verdict is checked by perturbing the optimum along the constraint numerically."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import symml

x, y, z = sp.symbols("x y z", positive=True)
a, b = sp.symbols("a b", real=True)
_CACHE: dict = {}


def _cached(key, build):
    if key not in _CACHE:
        _CACHE[key] = build()
    return _CACHE[key]


def _bordered(derivation):
    return next(s for s in derivation.steps if s.title == "Second-order check: bordered Hessian")


def _product_on_a_line():
    return _cached("xy", lambda: symml.derive.maximize(x * y, [x, y], subject_to=[x + y - 2]))


def test_xy_on_a_line_is_a_constrained_maximum_by_the_bordered_hessian():
    assert "constrained maximum" in _bordered(_product_on_a_line()).why


@settings(max_examples=20, deadline=None)
@given(st.floats(-0.9, 0.9).filter(lambda t: abs(t) > 1e-6))
def test_moving_along_x_plus_y_equals_2_lowers_xy(t):
    found = _product_on_a_line().numpy()()
    xs, ys = found["x"], found["y"]
    assert (xs + t) * (ys - t) < xs * ys


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(-1, 1), min_size=3, max_size=3).filter(lambda v: np.ptp(v) > 1e-3))
def test_moving_along_the_plane_x_plus_y_plus_z_equals_3_lowers_xyz(direction):
    derivation = _cached("xyz", lambda: symml.derive.maximize(x * y * z, [x, y, z], subject_to=[x + y + z - 3]))
    assert "constrained maximum" in _bordered(derivation).why
    found = derivation.numpy()()
    point = np.array([found["x"], found["y"], found["z"]])
    tangent = np.array(direction) - np.mean(direction)  # keeps x + y + z = 3
    step = 0.1 * tangent / np.linalg.norm(tangent)
    assert np.prod(point + step) < np.prod(point)


def test_ab_on_the_diagonal_is_a_constrained_minimum():
    derivation = symml.derive.minimize(a * b, [a, b], subject_to=[a - b])
    assert "constrained minimum" in _bordered(derivation).why
    found = derivation.numpy()()
    at, bt = found["a"], found["b"]
    assert all((at + t) * (bt + t) > at * bt for t in (-0.3, 0.2, 1e-3))  # a = b moves along the constraint


def test_maximising_where_the_bordered_hessian_shows_a_minimum_is_said():
    derivation = symml.derive.maximize(a * b, [a, b], subject_to=[a - b])
    assert any("constrained minimum, not a maximum" in r for r in derivation.remarks)

"""minimize / maximize over scalar unknowns: stationarity, Lagrange multipliers, KKT active sets, bad problems.

Every optimum is checked against scipy.optimize (SLSQP with the constraints) through verify(), which starts from a
fixed point independent of the answer, and against hand-computed NumPy where that is the clearer oracle.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st
from scipy import optimize

import symml

x, y = sp.symbols("x y", real=True)
a, b = sp.symbols("a b", real=True)
P = sp.symbols("p1:5", positive=True)
_CACHE: dict = {}


def test_maximum_of_the_bernoulli_entropy_is_one_half():
    p = sp.Symbol("p", positive=True)
    derivation = symml.derive.maximize(-p * sp.log(p) - (1 - p) * sp.log(1 - p), p)
    assert derivation.numpy()() == pytest.approx(0.5) and derivation.verify()


def test_convex_conjugate_of_exp_is_attained_at_log_y_with_a_concavity_argument():
    t, slope = sp.Symbol("t", real=True), sp.Symbol("y", positive=True)
    derivation = symml.derive.maximize(slope * t - sp.exp(t), t)
    assert derivation.numpy()(y=3.0) == pytest.approx(np.log(3.0), rel=1e-12)
    assert any("concave" in s.title for s in derivation.steps) and derivation.verify()


def test_a_one_by_one_matrix_unknown_is_a_scalar():
    z = symml.matrix("z", 1, 1)
    shape = sp.Symbol("a", positive=True)
    derivation = symml.derive.maximize(shape * symml.log(z) - z, z)  # mode of z^a e^-z (Stirling)
    assert float(derivation.numpy()(a=2.5)) == pytest.approx(2.5) and derivation.verify()


def test_categorical_mle_on_the_simplex_is_the_empirical_frequencies():
    counts = sp.symbols("c1:5", positive=True)
    loglik = sum(c * sp.log(p) for c, p in zip(counts, P))
    derivation = symml.derive.maximize(loglik, P, subject_to=[sp.Eq(sum(P), 1)])
    values = dict(c1=3.0, c2=1.0, c3=4.0, c4=2.0)
    found = derivation.numpy()(**values)
    assert np.allclose([found[p.name] for p in P], np.array([3, 1, 4, 2]) / 10)
    assert derivation.verify(data=values)


def _maximum_entropy():
    if "entropy" not in _CACHE:
        m = sp.Symbol("m", positive=True)
        entropy = -sum(p * sp.log(p) for p in P)
        _CACHE["entropy"] = symml.derive.maximize(entropy, P, subject_to=[
            sp.Eq(sum(P), 1), sp.Eq(sum((i + 1) * p for i, p in enumerate(P)), m)])
    return _CACHE["entropy"]


def test_maximum_entropy_with_a_mean_constraint_has_the_gibbs_form():
    derivation = _maximum_entropy()
    found = np.array([derivation.numpy()(m=2.0)[p.name] for p in P])
    # Gibbs: p_i ∝ exp(ν i), so successive ratios are equal; the mean constraint holds
    assert np.allclose(found[1:] / found[:-1], found[1] / found[0]) and found @ np.arange(1, 5) == pytest.approx(2.0)
    assert derivation.verify(data={"m": 2.0})
    assert any("No closed form" in r for r in derivation.remarks)  # the multiplier of the mean is numeric


@settings(max_examples=10, deadline=None)
@given(st.floats(1.1, 3.9))
def test_maximum_entropy_numpy_finds_the_multiplier_for_every_mean_inside_the_support(mean):
    # the moment equation is not monotone in the multiplier (m = 3.5 stalled scipy's root from 0): Newton, then a
    # bracketed root, checked against SLSQP on the primal
    assert _maximum_entropy().verify(data={"m": mean})


def test_kkt_names_the_active_set_and_its_condition_on_the_data():
    derivation = symml.derive.minimize((x - a) ** 2, x, subject_to=[x >= 0])
    titles = [s.title for s in derivation.steps]
    assert "Active set: none" in titles and any(t.startswith("Active set: $") for t in titles)
    solver = derivation.numpy()
    assert solver(a=1.5) == pytest.approx(1.5) and solver(a=-1.5) == pytest.approx(0.0)
    assert derivation.verify(instances=4)


@settings(max_examples=15, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3))
def test_projection_onto_a_half_plane_agrees_with_slsqp(first, second):
    derivation = _half_plane()
    assert derivation.verify(data={"a": first, "b": second})



def _half_plane():
    if "half" not in _CACHE:
        _CACHE["half"] = symml.derive.minimize((x - a) ** 2 + (y - b) ** 2, [x, y], subject_to=[x + y <= 1])
    return _CACHE["half"]


def test_an_unbounded_objective_is_an_unbounded_error():
    with pytest.raises(symml.UnboundedError):
        symml.derive.minimize(3 * x + 1, x)
    with pytest.raises(symml.UnboundedError):
        symml.derive.minimize(-(x**2) + x, x)


def test_infeasible_constraints_are_an_infeasible_error():
    with pytest.raises(symml.InfeasibleError):
        symml.derive.minimize(x**2, x, subject_to=[x >= 1, x <= 0])


def test_an_unknown_that_does_not_appear_is_a_parameter_error():
    with pytest.raises(symml.ParameterError, match="does not appear"):
        symml.derive.minimize(x**2, y)


def test_a_scalar_unknown_beside_data_matrices_exports_numpy_and_refuses_verify_clearly_prml_3_21():
    # PRML 3.21 with w given: σ̂² = ‖y − Xw‖²/n is derived, but numpy() raised SymPy's PrintMethodNotImplementedError
    n, d = symml.dims("n d")
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    s2 = sp.Symbol("s2", positive=True)
    derivation = symml.derive.minimize(n / 2 * sp.log(s2) * sp.Identity(1) + symml.sq_norm(y - X @ w) / (2 * s2), s2)
    X0, w0, y0 = np.eye(3), np.ones(3), np.array([1.0, 3.0, 0.0])
    from symml.matrix_calculus.algebra import Scalar

    explicit = {X: sp.Matrix(X0), w: sp.Matrix(w0), y: sp.Matrix(y0)}
    value = derivation.result[s2].replace(lambda e: isinstance(e, Scalar),
                                                     lambda e: e.matrix.xreplace(explicit).doit()[0, 0])
    assert float(value.subs(n, 3)) == pytest.approx(np.sum((y0 - X0 @ w0) ** 2) / 3)
    # numpy() exports the closed form at matrix level (it refused, before the exact line search needed it)
    assert derivation.numpy()(X=X0, w=w0, y=y0) == pytest.approx(np.sum((y0 - X0 @ w0) ** 2) / 3)
    with pytest.raises(symml.UnsupportedOperationError, match="optimise jointly"):
        derivation.verify()


def test_a_binomial_in_an_exponential_is_solved_in_radicals():
    # e^x − 2e^{−2x} = 0 is e^{3x} = 2: it was "no closed form" (a cubic in e^x, taken for one beyond radicals)
    x = sp.Symbol("x", real=True)
    derived = symml.derive.minimize(sp.exp(x) + sp.exp(-2 * x), [x])
    want = optimize.minimize_scalar(lambda t: np.exp(t) + np.exp(-2 * t), bounds=(-5, 5), method="bounded",
                                    options={"xatol": 1e-12}).x
    assert derived.result and float(derived.result[x]) == pytest.approx(want, abs=1e-8)


def test_a_cubics_real_root_is_written_and_returned_as_a_real_number():
    # 4x³ − 6x + 1 has three real roots; Cardano's form went through i and numpy() returned the complex −1.30 + 0j
    x = sp.Symbol("x", real=True)
    derived = symml.derive.minimize(x**4 - 3 * x**2 + x, [x])
    grid = np.linspace(-3, 3, 600_001)
    assert not derived.result[x].has(sp.I)
    value = derived.numpy()()
    assert np.isrealobj(value) and float(value) == pytest.approx(grid[np.argmin(grid**4 - 3 * grid**2 + grid)], abs=1e-5)

"""Canonical correlation analysis (Hotelling 1936; Murphy PML2 28.3.4): max aᵀΣ_xy b s.t. aᵀΣ_xx a = 1,
bᵀΣ_yy b = 1, two vector unknowns with a multiplier each. It was refused ("several vector or matrix unknowns");
the Lagrangian's stationarity gives equal multipliers and the generalised eigenproblem
[[0, Σ_xy], [Σ_yxᵀ, 0]] z = ρ diag(Σ_xx, Σ_yy) z. Oracles: numpy CCA by whitening (the top singular value and
vectors of Σ_xx^(−½) Σ_xy Σ_yy^(−½)) and SLSQP under both constraints.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize

import symml

n, d = symml.dims("n d")


def _inverse_root(S: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh(S)
    return vectors @ np.diag(values**-0.5) @ vectors.T


def _covariances(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = rng.normal(size=(200, 3))
    Y = X[:, :2] @ np.array([[1.0, 0.5], [-0.3, 2.0]]) + rng.normal(size=(200, 2))
    X, Y = X - X.mean(0), Y - Y.mean(0)
    return X.T @ X / 200, Y.T @ Y / 200, X.T @ Y / 200


def _cca(Sxx: np.ndarray, Syy: np.ndarray, Sxy: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    Rx, Ry = _inverse_root(Sxx), _inverse_root(Syy)
    U, singular, Vt = np.linalg.svd(Rx @ Sxy @ Ry)
    return singular[0], Rx @ U[:, 0], Ry @ Vt[0]


def _slsqp_value(Sxx: np.ndarray, Syy: np.ndarray, Sxy: np.ndarray) -> float:
    runs = [optimize.minimize(lambda z: -(z[:3] @ Sxy @ z[3:]), start, method="SLSQP",
                              constraints=[{"type": "eq", "fun": lambda z: z[:3] @ Sxx @ z[:3] - 1},
                                           {"type": "eq", "fun": lambda z: z[3:] @ Syy @ z[3:] - 1}],
                              options={"ftol": 1e-15, "maxiter": 500})
            for start in (np.full(5, 0.5), np.r_[np.full(3, 0.5), np.full(2, -0.5)])]
    return -min(run.fun for run in runs)


@pytest.mark.parametrize(("p", "q"), [(3, 2), (d, n)])
def test_cca_is_the_top_generalised_eigenvector_of_the_stacked_stationarity(p, q):
    a, b = symml.vector("a", p), symml.vector("b", q)
    Sxy = symml.matrix("Sigma_xy", p, q)
    Sxx, Syy = symml.matrix("Sigma_xx", p, p, symmetric=True), symml.matrix("Sigma_yy", q, q, symmetric=True)
    derivation = symml.derive.maximize(a.T @ Sxy @ b, wrt=[a, b], subject_to=[
        symml.Eq(a.T @ Sxx @ a, 1), symml.Eq(b.T @ Syy @ b, 1)])
    covariances = _covariances(np.random.default_rng(12))
    found = derivation.numpy()(Sigma_xx=covariances[0], Sigma_yy=covariances[1], Sigma_xy=covariances[2])
    correlation, a_ref, b_ref = _cca(*covariances)
    assert found["a"] @ covariances[2] @ found["b"] == pytest.approx(correlation, rel=1e-10)
    assert found["a"] @ covariances[2] @ found["b"] == pytest.approx(_slsqp_value(*covariances), rel=1e-7)
    sign = np.sign(found["a"] @ a_ref)
    assert np.r_[found["a"], found["b"]] == pytest.approx(sign * np.r_[a_ref, b_ref], abs=1e-8)
    assert derivation.verify()


def test_the_equal_multipliers_and_the_eigenproblem_are_shown():
    a, b = symml.vector("a", d), symml.vector("b", n)
    Sxy = symml.matrix("Sigma_xy", d, n)
    Sxx, Syy = symml.matrix("Sigma_xx", d, d, symmetric=True), symml.matrix("Sigma_yy", n, n, symmetric=True)
    derivation = symml.derive.maximize(a.T @ Sxy @ b, wrt=[a, b], subject_to=[
        symml.Eq(a.T @ Sxx @ a, 1), symml.Eq(b.T @ Syy @ b, 1)])
    titles = [step.title for step in derivation.steps]
    assert titles[2:4] == ["The multipliers are equal", "A generalised eigenproblem"]
    assert not any("CCA" in step.why or "canonical" in step.why for step in derivation.steps)


def test_two_unknowns_without_the_bilinear_shape_are_refused_naming_it():
    a, b = symml.vector("a", d), symml.vector("b", n)
    with pytest.raises(symml.UnsupportedOperationError, match="bilinear"):
        symml.derive.maximize(symml.sq_norm(a) + symml.sq_norm(b), wrt=[a, b], subject_to=[
            symml.Eq(a.T @ a, 1), symml.Eq(b.T @ b, 1)])

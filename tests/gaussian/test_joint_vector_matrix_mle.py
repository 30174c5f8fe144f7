"""Joint maximum likelihood of a vector and a matrix at matrix level: (μ, Ω) of a Gaussian in precision form
(Stan's multi_normal_prec), log f(y) = ½ log det Ω − ½ (y − μ)ᵀ Ω (y − μ), over a lone data vector y read as one
draw of an i.i.d. sample. The score in μ, Ω(ȳ − μ) = 0, gives μ̂ = ȳ free of Ω; substituted, the score in Ω gives
Ω̂ = S⁻¹ with S the scatter about ȳ over n. Oracles: NumPy (the mean and the inverse of the biased covariance),
and scipy.optimize on the log-likelihood written here in NumPy at d = 2 (Ω through its Cholesky factor)."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml

D = symml.dims("d")
Y, MU = symml.vector("y", D), symml.vector("mu", D)
OMEGA = symml.matrix("Om", D, D, symmetric=True)
SIGMA = symml.matrix("Sigma", D, D, symmetric=True)


def _precision_form():
    logpdf = sp.log(sp.Determinant(OMEGA)) / 2 - (Y - MU).T * OMEGA * (Y - MU) / 2
    return symml.Model(logpdf=logpdf, data=Y)


@pytest.fixture(scope="module")
def precision():
    return symml.derive.mle(_precision_form(), wrt=[MU, OMEGA])


def _sample(seed: int, n: int, d: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    mixing = rng.standard_normal((d, d)) + 2 * np.eye(d)
    return rng.standard_normal((n, d)) @ mixing.T + rng.standard_normal(d)


def test_precision_form_estimates_are_the_mean_and_the_inverse_biased_covariance_at_d_4(precision):
    data = _sample(1, n=60, d=4)
    found = precision.numpy()(y=data)
    assert np.allclose(found["mu"], data.mean(axis=0), rtol=1e-12)
    assert np.allclose(found["Om"], np.linalg.inv(np.cov(data, rowvar=False, bias=True)), rtol=1e-9)


def test_precision_form_maximises_the_log_likelihood_found_by_scipy_at_d_2(precision):
    data = _sample(2, n=25, d=2)

    def unpack(theta: np.ndarray) -> tuple:
        cholesky = np.array([[np.exp(theta[2]), 0.0], [theta[3], np.exp(theta[4])]])
        return theta[:2], cholesky @ cholesky.T

    def negative_log_likelihood(theta: np.ndarray) -> float:
        mu, omega = unpack(theta)
        centred = data - mu
        return -(len(data) * np.linalg.slogdet(omega)[1] - np.einsum("ij,jk,ik->", centred, omega, centred)) / 2

    best = optimize.minimize(negative_log_likelihood, np.zeros(5), method="BFGS", options={"gtol": 1e-10})
    mu, omega = unpack(best.x)
    found = precision.numpy()(y=data)
    assert np.allclose(found["mu"], mu, rtol=1e-5, atol=1e-6)
    assert np.allclose(found["Om"], omega, rtol=1e-5, atol=1e-6)


def test_mean_is_solved_first_and_substituted_into_the_precision(precision):
    # the score in μ, Ω(ȳ − μ) = 0, cancels the invertible Ω: μ̂ free of Ω, and Ω̂ written with μ̂ (a profile)
    shown = {eq.lhs.name: eq.rhs for eq in precision.summary}
    assert not shown["muhat"].has(OMEGA) and shown["Omhat"].has(sp.MatrixSymbol("muhat", D, 1))
    assert not precision.result[OMEGA].has(MU)


def test_precision_form_verify_passes(precision):
    assert precision.verify().passed


def test_parameters_named_by_strings_take_the_same_route():
    derived = symml.derive.mle(_precision_form(), wrt=["mu", "Om"])
    data = _sample(3, n=30, d=3)
    assert np.allclose(derived.numpy()(y=data)["Om"], np.linalg.inv(np.cov(data, rowvar=False, bias=True)),
                       rtol=1e-9)


@pytest.mark.parametrize("log_det", [-sp.log(sp.Determinant(SIGMA)) / 2, sp.log(sp.Determinant(SIGMA.I)) / 2],
                         ids=["minus_log_det_sigma", "log_det_sigma_inverse"])
def test_covariance_form_estimate_is_the_biased_covariance(log_det):
    model = symml.Model(logpdf=log_det - (Y - MU).T * SIGMA.I * (Y - MU) / 2, data=Y)
    found = symml.derive.mle(model, wrt=[MU, SIGMA]).numpy()(y=(data := _sample(4, n=40, d=3)))
    assert np.allclose(found["mu"], data.mean(axis=0), rtol=1e-12)
    assert np.allclose(found["Sigma"], np.cov(data, rowvar=False, bias=True), rtol=1e-10)


def test_precision_alone_from_one_draw_has_no_maximum_and_is_refused():
    # Ω vvᵀ = I (v = y − μ) has no solution for d > 1; the pseudo-inverse's vvᵀ/‖v‖⁴ was returned as Ω̂ before.
    # Oracle: the log-likelihood ½ log det Ω − ½ vᵀΩv grows without bound along Ω = I + t uuᵀ with u ⟂ v.
    v, u = np.array([1.0, 2.0]), np.array([2.0, -1.0])
    values = [np.linalg.slogdet(np.eye(2) + t * np.outer(u, u))[1] / 2 - v @ (np.eye(2) + t * np.outer(u, u)) @ v / 2
              for t in (1.0, 1e3, 1e6)]
    assert values[0] < values[1] < values[2]
    with pytest.raises(symml.UnboundedError, match="no solution"):
        symml.derive.mle(_precision_form(), wrt=[OMEGA])


def test_covariance_alone_from_one_draw_has_no_maximum_and_is_refused():
    # Σ = vvᵀ solves the stationarity condition formally but is singular where Σ⁻¹ must exist; it was returned as Σ̂.
    # Oracle: −½ log det Σ − ½ vᵀΣ⁻¹v grows without bound along Σ = εI + vvᵀ as ε → 0.
    v = np.array([1.0, 2.0])
    values = [-np.linalg.slogdet(e * np.eye(2) + np.outer(v, v))[1] / 2
              - v @ np.linalg.solve(e * np.eye(2) + np.outer(v, v), v) / 2 for e in (1.0, 1e-3, 1e-6)]
    assert values[0] < values[1] < values[2]
    model = symml.Model(logpdf=-sp.log(sp.Determinant(SIGMA)) / 2 - (Y - MU).T * SIGMA.I * (Y - MU) / 2, data=Y)
    with pytest.raises(symml.UnboundedError, match="rank one"):
        symml.derive.mle(model, wrt=[SIGMA])


def test_refusal_over_one_draw_points_to_a_list_of_one_model():
    with pytest.raises(symml.UnboundedError, match=r"pass the Model in a list"):
        symml.derive.mle(_precision_form(), wrt=[OMEGA])


def test_precision_alone_from_a_sample_is_the_inverse_scatter_about_the_known_mean():
    derived = symml.derive.mle([_precision_form()], wrt=[OMEGA])
    data, mean = _sample(5, n=40, d=3), np.array([0.5, -1.0, 2.0])
    centred = data - mean
    assert np.allclose(derived.numpy()(y=data, mu=mean)["Om"], np.linalg.inv(centred.T @ centred / len(data)),
                       rtol=1e-9)


def test_a_design_matrix_keeps_the_vector_the_whole_data_set():
    # y − Xw − Zv: X and Z are data, so y is one response vector, not a draw; the two vector unknowns are the
    # least-squares fit on the stacked design (block elimination of the joint normal equations)
    n, p, q = symml.dims("n p q")
    y, w, v = symml.vector("y", n), symml.vector("w", p), symml.vector("v", q)
    residual = y - symml.matrix("X", n, p) * w - symml.matrix("Z", n, q) * v
    fit = symml.derive.mle(symml.Model(logpdf=-(residual.T * residual) / 2, data=y), wrt=[w, v]).numpy()
    rng = np.random.default_rng(1)
    X, Z, Y = rng.normal(size=(20, 2)), rng.normal(size=(20, 3)), rng.normal(size=20)
    estimate = fit(X=X, Z=Z, y=Y)
    reference = np.linalg.lstsq(np.hstack([X, Z]), Y, rcond=None)[0]
    assert np.allclose(np.concatenate([np.ravel(estimate["w"]), np.ravel(estimate["v"])]), reference, rtol=1e-10)

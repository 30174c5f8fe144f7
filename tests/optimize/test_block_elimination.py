"""Least squares and ridge over two (or three) vector unknowns, ‖y − Xw − Zv‖² over (w, v): the joint normal
equations solved at matrix level by block elimination (symml/optimize/block_elimination.py). Oracles: numpy's
least squares on the stacked design [X Z] (with √λ I rows appended for ridge) and scipy BFGS over the stacked
unknowns (verify())."""
import numpy as np
import pytest
import sympy as sp

import symml

n, d, k, m = symml.dims("n d k m")
X, Z, U = symml.matrix("X", n, d), symml.matrix("Z", n, k), symml.matrix("U", n, m)
y, w, v, u = symml.vector("y", n), symml.vector("w", d), symml.vector("v", k), symml.vector("u", m)
lam = sp.Symbol("lambda", positive=True)
rng = np.random.default_rng(3)
XN, ZN, UN, YN = rng.normal(size=(40, 3)), rng.normal(size=(40, 2)), rng.normal(size=(40, 2)), rng.normal(size=40)


def _lstsq(design, target):
    return np.linalg.lstsq(design, target, rcond=None)[0]


def test_two_blocks_of_regressors_are_the_least_squares_fit_on_the_stacked_design():
    fit = symml.derive.minimize(symml.sq_norm(y - X * w - Z * v), wrt=[w, v]).numpy()(X=XN, Z=ZN, y=YN)
    reference = _lstsq(np.hstack([XN, ZN]), YN)
    assert np.allclose(np.ravel(fit["w"]), reference[:3], rtol=1e-10, atol=1e-12)
    assert np.allclose(np.ravel(fit["v"]), reference[3:], rtol=1e-10, atol=1e-12)


def test_the_second_block_is_the_fit_on_the_residuals_of_the_first():
    # Frisch–Waugh–Lovell: v̂ = (Zᵀ(I − P_X)Z)⁻¹Zᵀ(I − P_X)y, the Schur complement of XᵀX in the normal equations
    derived = symml.derive.minimize(symml.sq_norm(y - X * w - Z * v), wrt=[w, v])
    residual_maker = np.eye(40) - XN @ np.linalg.pinv(XN)
    fit = derived.numpy()(X=XN, Z=ZN, y=YN)
    assert np.allclose(np.ravel(fit["v"]), _lstsq(residual_maker @ ZN, residual_maker @ YN), rtol=1e-10)


def test_ridge_on_both_blocks_is_least_squares_with_root_lambda_rows_appended():
    objective = symml.sq_norm(y - X * w - Z * v) + lam * symml.sq_norm(w) + lam * symml.sq_norm(v)
    fit = symml.derive.minimize(objective, wrt=[w, v]).numpy()(X=XN, Z=ZN, y=YN, **{"lambda": 0.7})
    design = np.vstack([np.hstack([XN, ZN]), np.sqrt(0.7) * np.eye(5)])
    reference = _lstsq(design, np.concatenate([YN, np.zeros(5)]))
    assert np.allclose(np.concatenate([np.ravel(fit["w"]), np.ravel(fit["v"])]), reference, rtol=1e-10)


def test_three_blocks_are_eliminated_in_turn():
    fit = symml.derive.minimize(symml.sq_norm(y - X * w - Z * v - U * u), wrt=[w, v, u]).numpy()(
        X=XN, Z=ZN, U=UN, y=YN)
    reference = _lstsq(np.hstack([XN, ZN, UN]), YN)
    assert np.allclose(np.concatenate([np.ravel(fit[name]) for name in "wvu"]), reference, rtol=1e-9)


def test_maximising_the_negated_objective_gives_the_same_fit():
    fit = symml.derive.maximize(-symml.sq_norm(y - X * w - Z * v), wrt=[w, v]).numpy()(X=XN, Z=ZN, y=YN)
    assert np.allclose(np.ravel(fit["v"]), _lstsq(np.hstack([XN, ZN]), YN)[3:], rtol=1e-10)


def test_verify_optimises_over_the_stacked_unknowns():
    objective = symml.sq_norm(y - X * w - Z * v) + lam * symml.sq_norm(v)
    assert symml.derive.minimize(objective, wrt=[w, v]).verify().passed


def test_the_derivation_shows_the_schur_complement_and_the_back_substitution():
    derived = symml.derive.minimize(symml.sq_norm(y - X * w - Z * v), wrt=[w, v])
    titles = [step.title for step in derived.steps]
    assert "Back-substitute" in titles and "Second-order condition" in titles
    assert derived.result[v].has(sp.Inverse(Z.T * Z - Z.T * X * (X.T * X).I * X.T * Z))

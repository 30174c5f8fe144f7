"""Conditional and marginal of a partitioned Gaussian (PRML 2.3.1-2.3.2), checked against numpy on random SPD joints.

The oracle never uses the Schur complement: the full joint covariance is inverted numerically and the conditional
is read off the precision blocks; the marginal is compared with the joint's own blocks and, for a one-dimensional
x_b, with the joint density integrated by quadrature (verify()).
"""
import time
from functools import cache

import numpy as np
from hypothesis import given, settings, strategies as st
from scipy.stats import multivariate_normal
import pytest
import sympy as sp

import symml
from symml.gaussian import JointGaussian
from symml.testing import random_spd

d_a, d_b = symml.dims("d_a d_b")
JOINT = JointGaussian.blocks(d_a, d_b)


@cache
def conditional(given="x_b"):
    return symml.derive.conditional(JOINT, given=getattr(JOINT, given))


@cache
def marginal(keep="x_a"):
    return symml.derive.marginal(JOINT, keep=getattr(JOINT, keep))


def _split(rng, na, nb):
    mean, cov = rng.normal(size=na + nb), random_spd(rng, na + nb)
    blocks = dict(mu_a=mean[:na], mu_b=mean[na:], Sigma_aa=cov[:na, :na], Sigma_ab=cov[:na, na:],
                  Sigma_bb=cov[na:, na:])
    return blocks, mean, cov


@pytest.mark.parametrize("d", [2, 5, 20])
def test_conditional_matches_the_precision_blocks_of_the_inverted_joint(d):
    # Σ_a|b = Λ_aa⁻¹, μ_a|b = μ_a − Λ_aa⁻¹Λ_ab(x_b − μ_b) with Λ = Σ⁻¹ computed numerically
    rng = np.random.default_rng(d)
    na, nb = d - d // 2, d // 2
    blocks, mean, cov = _split(rng, na, nb)
    x_b = rng.normal(size=nb)
    out = conditional().numpy()(**blocks, x_b=x_b)
    P = np.linalg.inv(cov)
    np.testing.assert_allclose(out["covariance"], np.linalg.inv(P[:na, :na]), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(out["mean"], mean[:na] - np.linalg.solve(P[:na, :na], P[:na, na:] @ (x_b - mean[na:])),
                               rtol=1e-8, atol=1e-10)


def test_conditional_on_x_a_is_p_of_x_b_given_x_a():
    rng = np.random.default_rng(7)
    blocks, mean, cov = _split(rng, 3, 2)
    x_a = rng.normal(size=3)
    out = conditional("x_a").numpy()(**blocks, x_a=x_a)
    P = np.linalg.inv(cov)
    np.testing.assert_allclose(out["covariance"], np.linalg.inv(P[3:, 3:]), rtol=1e-8)
    np.testing.assert_allclose(out["mean"], mean[3:] - np.linalg.solve(P[3:, 3:], P[3:, :3] @ (x_a - mean[:3])),
                               rtol=1e-8)


def test_conditional_mean_agrees_with_monte_carlo_regression_of_x_a_on_x_b():
    # E[x_a | x_b] is the least-squares regression of x_a on (1, x_b) over joint draws
    rng = np.random.default_rng(3)
    blocks, mean, cov = _split(rng, 2, 2)
    draws = rng.multivariate_normal(mean, cov, size=200_000)
    design = np.column_stack([np.ones(len(draws)), draws[:, 2:]])
    coef, *_ = np.linalg.lstsq(design, draws[:, :2], rcond=None)
    x_b = np.array([0.3, -0.5])
    out = conditional().numpy()(**blocks, x_b=x_b)
    np.testing.assert_allclose(out["mean"], coef[0] + x_b @ coef[1:], atol=0.03)


@pytest.mark.parametrize("d", [2, 5, 20])
def test_marginal_is_the_kept_block_of_the_joint(d):
    rng = np.random.default_rng(d)
    na, nb = d - d // 2, d // 2
    blocks, mean, cov = _split(rng, na, nb)
    out = marginal("x_b").numpy()(mu_b=blocks["mu_b"], Sigma_bb=blocks["Sigma_bb"])
    np.testing.assert_allclose(out["covariance"], cov[na:, na:])
    np.testing.assert_allclose(out["mean"], mean[na:])


def test_marginal_precision_found_by_completing_the_square_is_the_schur_complement_of_the_precision():
    # the step before the block inverse: Λ_aa − Λ_ab Λ_bb⁻¹ Λ_ba, numerically the inverse of Σ_aa
    precision = next(s for s in marginal().steps if s.title.startswith("Hessian") and "x_a" in str(s.lines[0])).lines[1].rhs
    rng = np.random.default_rng(1)
    cov = random_spd(rng, 5)
    P = np.linalg.inv(cov)
    from symml.matrix_calculus.numpy_export import numpy_function
    f = numpy_function(precision, sorted(precision.atoms(sp.MatrixSymbol), key=lambda s: s.name))
    np.testing.assert_allclose(f(Lambda_aa=P[:3, :3], Lambda_ab=P[:3, 3:], Lambda_bb=P[3:, 3:]),
                               np.linalg.inv(cov[:3, :3]), rtol=1e-8)


@pytest.mark.parametrize("given", ["x_a", "x_b"])
def test_conditional_verifies(given):
    assert conditional(given).verify()


def test_marginal_verifies_by_quadrature():
    assert marginal().verify()


def test_derivation_time_does_not_grow_with_the_dimension():
    # flat cost: symbolic sizes and d = 3000 take the same route (ratio, generous for a loaded machine)
    def timed(joint):
        start = time.perf_counter()
        symml.derive.conditional(joint, given=joint.x_b)
        return time.perf_counter() - start

    symbolic = timed(JOINT)
    concrete = timed(JointGaussian.blocks(3000, 3000))
    assert concrete < 5 * symbolic + 1.0


def test_a_symbol_that_is_not_a_part_is_a_model_error():
    with pytest.raises(symml.ModelError, match="not a part"):
        symml.derive.conditional(JOINT, given=symml.vector("z", d_b))


def test_blocks_of_the_wrong_shape_are_a_shape_error():
    with pytest.raises(symml.ShapeError, match="cov_ab"):
        JointGaussian(JOINT.x_a, JOINT.x_b, JOINT.mean_a, JOINT.mean_b, JOINT.cov_aa, symml.matrix("C", d_b, d_a),
                      JOINT.cov_bb)


def test_a_non_joint_is_a_model_error():
    with pytest.raises(symml.ModelError, match="JointGaussian"):
        symml.derive.marginal("joint", keep=JOINT.x_a)


def test_numpy_names_missing_arguments():
    with pytest.raises(symml.ParameterError, match="missing"):
        marginal().numpy()(mu_a=[0.0])


@settings(max_examples=10)
@given(seed=st.integers(0, 10_000), na=st.integers(1, 4), nb=st.integers(1, 4))
def test_conditional_times_marginal_is_the_joint_density(seed, na, nb):
    # log p(x_a | x_b) + log p(x_b) = log p(x_a, x_b) at any point, for any SPD joint
    rng = np.random.default_rng(seed)
    blocks, mean, cov = _split(rng, na, nb)
    point = rng.normal(size=na + nb)
    cond = conditional().numpy()(**blocks, x_b=point[na:])
    marg = marginal("x_b").numpy()(mu_b=blocks["mu_b"], Sigma_bb=blocks["Sigma_bb"])
    total = (multivariate_normal(cond["mean"], cond["covariance"]).logpdf(point[:na])
             + multivariate_normal(marg["mean"], marg["covariance"]).logpdf(point[na:]))
    assert total == pytest.approx(multivariate_normal(mean, cov).logpdf(point), rel=1e-9, abs=1e-9)


@cache
def one_by_one_conditional():
    joint = JointGaussian.blocks(1, 1)
    return symml.derive.conditional(joint, given=joint.x_b).numpy()


@settings(max_examples=15, deadline=None)
@given(st.integers(-300, 300), st.floats(0.1, 0.9), st.floats(-5.0, 5.0))
def test_a_one_by_one_conditional_is_finite_at_every_scale_of_the_covariance(exponent, correlation, z):
    # Σ_ab²/Σ_bb squared 1e300 (inf); the quotient is formed first. Oracle: mpmath at 50 digits, PRML 2.81-2.82
    import mpmath

    scale = 10.0**exponent
    s_aa, s_ab, s_bb, x_b = 2 * scale, correlation * scale, scale, z * np.sqrt(scale)
    found = one_by_one_conditional()(mu_a=[0.0], mu_b=[0.0], Sigma_aa=[[s_aa]], Sigma_ab=[[s_ab]],
                                     Sigma_bb=[[s_bb]], x_b=[x_b])
    with mpmath.workdps(50):
        S_aa, S_ab, S_bb, X = (mpmath.mpf(v) for v in (s_aa, s_ab, s_bb, x_b))
        mean, covariance = float(S_ab * X / S_bb), float(S_aa - S_ab**2 / S_bb)
    assert found["mean"] == pytest.approx(mean, rel=1e-13)
    assert found["covariance"] == pytest.approx(covariance, rel=1e-13)


def test_the_one_by_one_conditional_of_covariances_near_1e300_is_finite():
    found = one_by_one_conditional()(mu_a=[0.0], mu_b=[0.0], Sigma_aa=[[2e300]], Sigma_ab=[[1e300]],
                                     Sigma_bb=[[1e300]], x_b=[1e150])
    assert found == {"mean": pytest.approx(1e150, rel=1e-15), "covariance": pytest.approx(1e300, rel=1e-15)}

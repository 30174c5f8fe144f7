"""Maximum likelihood with several observed variables (symml.mle.joint): pairs (xᵢ, yᵢ) sharing one index, and
independent samples of different sizes sharing parameters. Oracles: scipy.optimize on the joint log-likelihood
written here in NumPy, numpy.linalg.lstsq, class means and the pooled variance computed here."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize
from scipy.special import gammaln

import symml
from symml.errors import DataError, ModelError, ParameterError, ShapeError

X, Y, MU, A, B = sp.symbols("x y mu a b", real=True)
S1, S2, V, PHI, LAM, T1, T2 = sp.symbols("sigma1 sigma2 v phi lambda t1 t2", positive=True)
MU0, MU1 = sp.symbols("mu0 mu1", real=True)
LABEL = sp.Symbol("y", integer=True, nonnegative=True)
COUNT_X, COUNT_Y = (sp.Symbol(name, integer=True, nonnegative=True) for name in "xy")
BINARY = sp.FiniteSet(0, 1)


@pytest.fixture(scope="module")
def gda():
    """y ~ Bernoulli(φ), x | y ~ N(μ_y, v): the density of one pair written as the marginal times the conditional."""
    logpdf = (LABEL * sp.log(PHI) + (1 - LABEL) * sp.log(1 - PHI) - (1 - LABEL) * (X - MU0) ** 2 / (2 * V)
              - LABEL * (X - MU1) ** 2 / (2 * V) - sp.log(2 * sp.pi * V) / 2)
    model = symml.Model(logpdf=logpdf, data=(X, LABEL), support=sp.ProductSet(sp.S.Reals, BINARY),
                        parameters=[PHI, MU0, MU1, V])
    return symml.derive.mle(model)


@pytest.fixture(scope="module")
def regression():
    """y | x ~ N(a + b x, v): a conditional density, the covariate's own density left out (free of a, b, v)."""
    model = symml.Model(logpdf=-(Y - A - B * X) ** 2 / (2 * V) - sp.log(2 * sp.pi * V) / 2, data=(X, Y),
                        parameters=[A, B, V])
    return symml.derive.mle(model)


def _labelled(seed: int, n: int = 30) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 2).astype(float)
    return rng.normal(2.0 * labels - 1.0, 1.5), labels


def test_two_instruments_give_the_precision_weighted_mean_of_samples_of_different_sizes():
    first = symml.Model(logpdf=-(X - MU) ** 2 / (2 * S1 ** 2), data=X, parameters=[MU, S1])
    second = symml.Model(logpdf=-(Y - MU) ** 2 / (2 * S2 ** 2), data=Y, parameters=[MU, S2])
    estimate = symml.derive.mle([first, second], wrt=MU).numpy()
    rng = np.random.default_rng(3)
    xs, ys, s1, s2 = rng.normal(1.0, 0.5, 40), rng.normal(1.0, 2.0, 25), 0.5, 2.0
    best = optimize.minimize_scalar(lambda m: ((xs - m) ** 2).sum() / (2 * s1 ** 2)
                                    + ((ys - m) ** 2).sum() / (2 * s2 ** 2)).x
    assert estimate(x=xs, y=ys, sigma1=s1, sigma2=s2)["mu"] == pytest.approx(best, rel=1e-7)


def test_a_shared_poisson_rate_from_two_exposures_is_total_count_over_total_exposure():
    first = symml.Model(logpdf=COUNT_X * sp.log(LAM * T1) - LAM * T1 - sp.loggamma(COUNT_X + 1), data=COUNT_X,
                        support=sp.S.Naturals0, parameters=[LAM, T1])
    second = symml.Model(logpdf=COUNT_Y * sp.log(LAM * T2) - LAM * T2 - sp.loggamma(COUNT_Y + 1), data=COUNT_Y,
                         support=sp.S.Naturals0, parameters=[LAM, T2])
    derivation = symml.derive.mle([first, second], wrt=LAM)
    rng = np.random.default_rng(4)
    xs, ys, t1, t2 = rng.poisson(2.0, 12).astype(float), rng.poisson(7.0, 30).astype(float), 1.0, 3.5

    def negative_loglik(lam: float) -> float:
        return -float((xs * np.log(lam * t1) - lam * t1).sum() + (ys * np.log(lam * t2) - lam * t2).sum())

    best = optimize.minimize_scalar(negative_loglik, bounds=(1e-6, 50.0), method="bounded",
                                    options={"xatol": 1e-10}).x
    assert derivation.numpy()(x=xs, y=ys, t1=t1, t2=t2)["lambda"] == pytest.approx(best, rel=1e-7)
    assert derivation.verify().passed


def test_regression_as_a_conditional_density_gives_least_squares_and_rss_over_n(regression):
    rng = np.random.default_rng(5)
    xs = rng.uniform(-2.0, 2.0, 25)
    ys = 0.5 + 1.5 * xs + rng.normal(0.0, 0.3, 25)
    (a, b), rss, *_ = np.linalg.lstsq(np.column_stack([np.ones_like(xs), xs]), ys, rcond=None)
    found = regression.numpy()(x=xs, y=ys)
    assert (found["a"], found["b"], found["v"]) == pytest.approx((a, b, rss[0] / 25), rel=1e-9)


def test_regression_verifies_against_scipy_on_the_joint_log_likelihood(regression):
    assert regression.verify().passed


def test_a_covariate_that_never_varies_is_a_data_error_not_nan(regression):
    with pytest.raises(DataError, match="divides by"):
        regression.numpy()(x=[1.0, 1.0, 1.0], y=[1.0, 2.0, 4.0])


def test_poisson_regression_has_no_closed_form_and_numpy_maximises_the_joint_log_likelihood():
    model = symml.Model(logpdf=COUNT_Y * (A + B * X) - sp.exp(A + B * X) - sp.loggamma(COUNT_Y + 1),
                        data=(X, COUNT_Y), support=sp.ProductSet(sp.S.Reals, sp.S.Naturals0), parameters=[A, B])
    derivation = symml.derive.mle(model)
    assert "No closed form: stationarity equations" in [step.title for step in derivation.steps]
    assert derivation.result == {}
    rng = np.random.default_rng(6)
    xs = rng.uniform(-1.0, 1.0, 40)
    ys = rng.poisson(np.exp(0.3 + 0.8 * xs)).astype(float)

    def negative_loglik(theta: np.ndarray) -> float:
        eta = theta[0] + theta[1] * xs
        return -float((ys * eta - np.exp(eta) - gammaln(ys + 1)).sum())

    best = optimize.minimize(negative_loglik, np.zeros(2), method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000}).x
    found = derivation.numpy()(x=xs, y=ys)
    assert (found["a"], found["b"]) == pytest.approx(tuple(best), rel=1e-6)


def test_gda_gives_the_class_frequency_class_means_and_pooled_variance_in_closed_form(gda):
    assert set(gda.result) == {PHI, MU0, MU1, V}
    xs, labels = _labelled(7)
    means = {0: xs[labels == 0].mean(), 1: xs[labels == 1].mean()}
    pooled = ((xs - np.where(labels == 1, means[1], means[0])) ** 2).mean()
    found = gda.numpy()(x=xs, y=labels)
    assert (found["phi"], found["mu0"], found["mu1"], found["v"]) == pytest.approx(
        (labels.mean(), means[0], means[1], pooled), rel=1e-10)


def test_gda_verifies_against_scipy_on_the_joint_log_likelihood(gda):
    assert gda.verify().passed


def test_gda_keeps_the_pooled_variance_of_data_far_from_zero(gda):
    # raw moments near 1e8 lose every digit of a variance near 2; numpy() gets them back from the data
    xs, labels = _labelled(9)
    plain, shifted = gda.numpy()(x=xs, y=labels), gda.numpy()(x=xs + 1e8, y=labels)
    assert shifted["v"] == pytest.approx(plain["v"], rel=1e-6)
    assert shifted["mu0"] - 1e8 == pytest.approx(plain["mu0"], abs=1e-6)


def test_gda_on_data_near_the_largest_float_is_a_data_error_not_inf(gda):
    xs, labels = _labelled(10)
    with pytest.raises(DataError, match="not finite"):
        gda.numpy()(x=xs * 1e300, y=labels)


def test_gda_scales_to_large_data(gda):
    xs, labels = _labelled(8)
    found = gda.numpy()(x=xs * 1e100, y=labels)
    plain = gda.numpy()(x=xs, y=labels)
    assert found["mu1"] == pytest.approx(plain["mu1"] * 1e100, rel=1e-12)
    assert found["v"] == pytest.approx(plain["v"] * 1e200, rel=1e-9)


@pytest.mark.parametrize("labels", [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
def test_gda_with_an_empty_class_is_a_data_error(gda, labels):
    with pytest.raises(DataError, match="no observations"):
        gda.numpy()(x=[0.1, 0.5, 0.9], y=labels)


def test_gda_with_one_pair_is_a_data_error(gda):
    with pytest.raises(DataError):
        gda.numpy()(x=[0.3], y=[1.0])


def test_a_label_outside_its_support_is_a_data_error(gda):
    with pytest.raises(DataError, match="outside its support"):
        gda.numpy()(x=[0.1, 0.5], y=[0.0, 0.5])


def test_a_pair_of_arrays_of_different_lengths_is_a_shape_error(gda):
    with pytest.raises(ShapeError, match="one length"):
        gda.numpy()(x=[0.1, 0.5, 0.7], y=[0.0, 1.0])


def test_naive_bayes_with_a_bernoulli_feature_gives_class_conditional_frequencies():
    feature = sp.Symbol("x", integer=True, nonnegative=True)
    theta0, theta1 = sp.symbols("theta0 theta1", positive=True)
    logpdf = (LABEL * sp.log(PHI) + (1 - LABEL) * sp.log(1 - PHI)
              + (1 - LABEL) * (feature * sp.log(theta0) + (1 - feature) * sp.log(1 - theta0))
              + LABEL * (feature * sp.log(theta1) + (1 - feature) * sp.log(1 - theta1)))
    model = symml.Model(logpdf=logpdf, data=(LABEL, feature), support=sp.ProductSet(BINARY, BINARY),
                        parameters=[PHI, theta0, theta1])
    estimate = symml.derive.mle(model).numpy()
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1], dtype=float)
    features = np.array([1, 0, 0, 0, 1, 1, 0, 1, 1, 0], dtype=float)
    found = estimate(x=features, y=labels)
    assert (found["phi"], found["theta0"], found["theta1"]) == pytest.approx((0.6, 0.25, 4 / 6), rel=1e-12)


def test_a_variable_in_two_samples_is_a_model_error():
    first = symml.Model(logpdf=-(X - MU) ** 2 / 2, data=X)
    with pytest.raises(ModelError, match="belongs to two samples"):
        symml.derive.mle([first, first])


def test_estimating_what_is_not_a_parameter_is_a_parameter_error():
    first = symml.Model(logpdf=-(X - MU) ** 2 / 2, data=X)
    second = symml.Model(logpdf=-(Y - MU) ** 2 / 2, data=Y)
    with pytest.raises(ParameterError, match="not a parameter"):
        symml.derive.mle([first, second], wrt="sigma")


def test_a_joint_derivation_renders_in_katex(gda, katex):
    assert "Normalise the sums" in gda.text()
    assert katex.errors(gda.latex()) == []
    assert katex.errors(gda.markdown()) == []


def test_a_joint_density_without_parameters_is_a_model_error():
    with pytest.raises(ModelError, match="no parameters"):
        symml.derive.mle(symml.Model(logpdf=-(X ** 2 + Y ** 2) / 2, data=(X, Y)))


def test_naive_bayes_with_two_bernoulli_features_is_a_proven_maximum_in_about_a_second():
    # each class-conditional frequency maximises its own term: the Hessian is diagonal, each entry signed on its own
    # from the facts 0 < θ̂ < 1 (it was 5 x 5 leading minors: 3.0 s CPU to its budget, the maximum left undecided)
    import time

    a, b = (sp.Symbol(name, integer=True, nonnegative=True) for name in "ab")
    t0, t1, e0, e1 = sp.symbols("theta0 theta1 eta0 eta1", positive=True)

    def bernoulli(v, p):
        return v * sp.log(p) + (1 - v) * sp.log(1 - p)

    logpdf = bernoulli(LABEL, PHI) + (1 - LABEL) * (bernoulli(a, t0) + bernoulli(b, e0)) \
        + LABEL * (bernoulli(a, t1) + bernoulli(b, e1))
    model = symml.Model(logpdf=logpdf, data=(LABEL, a, b), support=sp.ProductSet(BINARY, BINARY, BINARY),
                        parameters=[PHI, t0, t1, e0, e1])
    start = time.process_time()
    derivation = symml.derive.mle(model)
    assert time.process_time() - start < 2.5
    assert "is negative definite" in derivation.text()
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1], dtype=float)
    first = np.array([1, 0, 0, 0, 1, 1, 0, 1, 1, 0], dtype=float)
    second = np.array([1, 1, 0, 0, 0, 0, 0, 1, 1, 1], dtype=float)
    found = derivation.numpy()(y=labels, a=first, b=second)
    counts = (labels.mean(), first[labels == 0].mean(), first[labels == 1].mean(), second[labels == 0].mean(),
              second[labels == 1].mean())
    assert (found["phi"], found["theta0"], found["theta1"], found["eta0"], found["eta1"]) == pytest.approx(
        counts, rel=1e-12)
    assert derivation.verify().passed

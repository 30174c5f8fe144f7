"""Questions refused or mishandled before (left11, left12), each now derived and checked by an independent numeric
oracle."""
import numpy as np
import pytest
import scipy.integrate as si
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml
from symml import derive
from symml.errors import ModelError


# --- 1. a parameter outside its range -------------------------------------------------------------------------------

def _gumbel_with_negative_scale():
    b, mu = sp.Symbol("b", positive=True), sp.Symbol("mu", real=True)
    return st.Gumbel("X", b, mu).subs(b, -2)  # subs skips the check sympy.stats runs when it builds the variable


def test_gumbel_density_at_negative_scale_is_not_a_density():
    # the oracle: SymPy's formula at b = -2 integrates to -1 by quadrature, so no expectation under it is meaningful
    X = _gumbel_with_negative_scale()
    x = sp.Symbol("x", real=True)
    density = sp.lambdify(x, st.density(X)(x).subs(sp.Symbol("mu", real=True), 0))
    with np.errstate(over="ignore"):  # e^{e^{x/2}} overflows to inf far right, where the density is -0
        assert si.quad(density, -np.inf, np.inf)[0] == pytest.approx(-1.0, abs=1e-8)


@pytest.mark.parametrize("operation", [lambda X: derive.expectation(X), lambda X: derive.entropy(X),
                                       lambda X: derive.mle(X)])
def test_negative_gumbel_scale_is_refused_naming_the_parameter(operation):
    with pytest.raises(ModelError, match="outside its range: Scale parameter beta must be positive"):
        operation(_gumbel_with_negative_scale())


def test_parameter_range_check_is_every_family_s_own():
    s = sp.Symbol("s", positive=True)
    with pytest.raises(ModelError, match="Standard deviation must be positive"):
        derive.expectation(st.Normal("Y", 0, s).subs(s, -1) ** 2)
    with pytest.raises(ModelError, match="Lambda must be positive"):
        derive.expectation(st.Poisson("N", s).subs(s, -3))


def test_scale_of_unknown_sign_is_not_refused():
    b = sp.Symbol("b", real=True)
    assert derive.expectation(st.Gumbel("X", 2, b)).result == b + 2 * sp.EulerGamma


# --- 2. E[xᵀAx] of a sympy.stats MultivariateNormal ----------------------------------------------------------------

_A = sp.Matrix([[1, 0], [2, 3]])


def _monte_carlo(mean, covariance, g, draws=400_000):
    samples = np.random.default_rng(7).multivariate_normal(mean, covariance, size=draws)
    values = g(samples)
    return values.mean(), values.std() / np.sqrt(draws)


def test_quadratic_form_of_numeric_gaussian_vector_matches_monte_carlo():
    # E[xᵀAx] = tr(AΣ) + μᵀAμ = 13 + 17
    mean, covariance = [1, 2], [[2, 1], [1, 3]]
    X = st.MultivariateNormal("X", mean, covariance)
    x = sp.Matrix([X[0], X[1]])
    result = derive.expectation(x.T * _A * x).result
    estimate, error = _monte_carlo(mean, covariance, lambda s: np.einsum("ni,ij,nj->n", s, np.array(_A, float), s))
    assert result == 30 and abs(estimate - 30) < 5 * error


def test_quadratic_and_linear_form_of_symbolic_gaussian_vector_matches_monte_carlo():
    m1, m2, s1, s2, r = sp.symbols("m1 m2 s1 s2 r", real=True)
    Y = st.MultivariateNormal("Y", [m1, m2], [[s1, r], [r, s2]])
    derivation = derive.expectation(Y[0] * Y[1] + 3 * Y[1] - 2)
    at = dict(m1=0.3, m2=-1.0, s1=2.0, s2=1.0, r=0.5)
    estimate, error = _monte_carlo([0.3, -1.0], [[2.0, 0.5], [0.5, 1.0]], lambda s: s[:, 0] * s[:, 1] + 3 * s[:, 1] - 2)
    assert abs(derivation.numpy()(**at) - estimate) < 5 * error
    assert derivation.verify().passed


def test_non_polynomial_of_gaussian_vector_is_refused_naming_why():
    Y = st.MultivariateNormal("Y", [0, 0], [[1, 0], [0, 1]])
    with pytest.raises(symml.errors.UnsupportedOperationError, match="not a polynomial"):
        derive.expectation(sp.exp(Y[0]) * Y[1])


def test_gaussian_vector_with_indefinite_covariance_is_refused():
    s = sp.Symbol("s", positive=True)
    Y = st.MultivariateNormal("Y", [0, 0], [[s, 0], [0, 1]]).subs(s, -1)
    with pytest.raises(ModelError, match="outside its range"):
        derive.expectation(Y[0] * Y[1])


# --- 3. a prior on finitely many values (DeGroot & Schervish 7.2) ---------------------------------------------------

_VALUES = [sp.Rational(k, 10) for k in range(1, 6)]
_PRIOR_WEIGHTS = [sp.Rational(w, 15) for w in (5, 4, 3, 2, 1)]
_FLIPS = np.array([1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0])


def _bernoulli_posterior_by_arithmetic(data):
    import scipy.stats as ss

    joint = np.array([float(w) * np.prod(ss.bernoulli.pmf(data, float(v))) for v, w in zip(_VALUES, _PRIOR_WEIGHTS)])
    return joint / joint.sum()


def test_posterior_on_finitely_many_values_matches_direct_arithmetic():
    p = sp.Symbol("p", positive=True)
    prior = st.FiniteRV("P", dict(zip(_VALUES, _PRIOR_WEIGHTS)))
    derivation = derive.posterior(st.Bernoulli("X", p), prior, wrt=p)
    table = derivation.result.pspace.distribution.dict
    n, mean = sp.Symbol("n", integer=True, positive=True), sp.Symbol("mean(x)")
    at = {s: (len(_FLIPS) if s.name == "n" else _FLIPS.mean()) for v in table.values() for s in v.free_symbols}
    expected = _bernoulli_posterior_by_arithmetic(_FLIPS)
    assert [float(table[v].subs(at)) for v in _VALUES] == pytest.approx(expected, rel=1e-12)
    assert np.exp(derivation.numpy()(p=np.array(_VALUES, float), x=_FLIPS)) == pytest.approx(expected, rel=1e-12)
    assert derivation.verify().passed


def test_map_on_finitely_many_values_is_the_argmax_of_direct_arithmetic():
    p = sp.Symbol("p", positive=True)
    prior = st.FiniteRV("P", dict(zip(_VALUES, _PRIOR_WEIGHTS)))
    derivation = derive.map(st.Bernoulli("X", p), prior, wrt=p)
    assert derivation.verify().passed
    estimate = derivation.numpy()
    for flips in (_FLIPS, np.ones(8), np.zeros(8), np.array([1, 1, 0])):
        assert estimate(x=flips)["p"] == float(_VALUES[int(np.argmax(_bernoulli_posterior_by_arithmetic(flips)))])


def test_finite_prior_value_below_the_sample_maximum_gets_no_mass():
    # Uniform(0, θ) with θ ∈ {1, 2, 3} equally likely, x = (1.5, 0.3): π(θ) ∝ θ⁻ⁿ on θ ≥ 1.5
    theta = sp.Symbol("theta", positive=True)
    prior = st.FiniteRV("T", {1: sp.Rational(1, 3), 2: sp.Rational(1, 3), 3: sp.Rational(1, 3)})
    logpdf = derive.posterior(st.Uniform("X", 0, theta), prior, wrt=theta).numpy()
    weights = np.array([0.0, 2.0 ** -2, 3.0 ** -2])
    with np.errstate(divide="ignore"):
        assert logpdf(theta=np.array([1.0, 2.0, 3.0]), x=np.array([1.5, 0.3])) == pytest.approx(
            np.log(weights / weights.sum()))


# --- 4. Uniform(c − θ, c + θ): the centre from the support's constraints --------------------------------------------

_SAMPLE = np.array([2.3, 0.4, 1.7, 3.1, 1.2])


def _uniform_log_likelihood(c, theta, x=_SAMPLE):
    inside = (x.min() >= c - theta) & (x.max() <= c + theta)
    with np.errstate(divide="ignore"):
        return np.where(inside, -len(x) * np.log(2 * theta), -np.inf)


def test_centre_and_half_width_are_midrange_and_half_range_by_a_grid_search():
    c, theta = sp.Symbol("c", real=True), sp.Symbol("theta", positive=True)
    derivation = derive.mle(st.Uniform("X", c - theta, c + theta))
    estimate = derivation.numpy()(x=_SAMPLE)
    centres, widths = np.meshgrid(np.linspace(0, 4, 801), np.linspace(0.5, 3, 501), indexing="ij")
    best = np.unravel_index(np.argmax(_uniform_log_likelihood(centres, widths)), centres.shape)
    assert estimate["c"] == pytest.approx(centres[best], abs=5e-3)
    assert estimate["theta"] == pytest.approx(widths[best], abs=5e-3)
    assert estimate == pytest.approx({"c": 1.75, "theta": 1.35}, rel=1e-12)
    assert any("is unique" in remark for remark in derivation.remarks)


def test_centre_with_known_half_width_is_any_point_of_a_flat_interval_by_a_grid_search():
    c = sp.Symbol("c", real=True)
    low, high = derive.mle(st.Uniform("X", c - 2, c + 2), wrt=c).numpy()(x=_SAMPLE)["c"]
    grid = np.linspace(-2, 6, 8001)
    values = _uniform_log_likelihood(grid, 2.0)
    flat = grid[values == values.max()]
    assert (low, high) == pytest.approx((flat.min(), flat.max()), abs=1e-3)
    assert (low, high) == pytest.approx((_SAMPLE.max() - 2, _SAMPLE.min() + 2))


# --- 5. PCA with several directions: max tr(BᵀSB) s.t. BᵀB = I ---------------------------------------------------

def _best_on_stiefel_by_qr(M, k, sign):
    """The optimum of sign·tr(BᵀMB) over B = Q of the QR decomposition of an unconstrained d x k matrix (BFGS)."""
    import scipy.optimize as so

    d = M.shape[0]

    def negated(flat):
        B = np.linalg.qr(flat.reshape(d, k))[0]
        return -sign * np.trace(B.T @ M @ B)

    starts = np.random.default_rng(3).standard_normal((5, d * k))
    best = min((so.minimize(negated, start, method="BFGS") for start in starts), key=lambda r: r.fun)
    return np.linalg.qr(best.x.reshape(d, k))[0]


@pytest.mark.parametrize("maximise", [True, False])
def test_several_directions_on_orthonormal_columns_are_extreme_eigenvectors_by_eigh_and_qr_search(maximise):
    n, d, k = symml.dims("n d k")
    X, B = symml.matrix("X", n, d), symml.matrix("B", d, k)
    operation = derive.maximize if maximise else derive.minimize
    derivation = operation(sp.Trace(B.T @ X.T @ X @ B), wrt=B, subject_to=[symml.Eq(B.T @ B, sp.Identity(k))])
    Xv = np.random.default_rng(4).standard_normal((30, 5)) * np.array([3.0, 2.0, 1.5, 1.0, 0.5])
    M = Xv.T @ Xv
    found = derivation.numpy()(X=Xv, k=2)
    values, vectors = np.linalg.eigh(M)
    extreme = vectors[:, -2:] if maximise else vectors[:, :2]
    searched = _best_on_stiefel_by_qr(M, 2, 1 if maximise else -1)
    assert found.T @ found == pytest.approx(np.eye(2), abs=1e-12)
    # the same subspace as eigh's and as the search's: equal projections
    assert found @ found.T == pytest.approx(extreme @ extreme.T, abs=1e-10)
    assert found @ found.T == pytest.approx(searched @ searched.T, abs=1e-5)
    assert np.trace(found.T @ M @ found) == pytest.approx((values[-2:] if maximise else values[:2]).sum())
    assert derivation.verify().passed


def test_reconstruction_error_on_orthonormal_columns_is_least_at_the_top_right_singular_vectors():
    # ‖X − XBBᵀ‖²_F on BᵀB = I (PCA with k directions) was refused; reduced by trace algebra to tr(XᵀX) − tr(BᵀXᵀXB)
    n, d, k = symml.dims("n d k")
    X, B = symml.matrix("X", n, d), symml.matrix("B", d, k)
    derivation = derive.minimize(symml.sq_norm(X - X @ B @ B.T), wrt=B, subject_to=[symml.Eq(B.T @ B, sp.Identity(k))])
    assert [step.title for step in derivation.steps][:2] == ["Expand the objective (trace algebra)", "Use the constraint"]
    Xv = np.random.default_rng(4).standard_normal((30, 5)) * np.array([3.0, 2.0, 1.5, 1.0, 0.5])
    found = derivation.numpy()(X=Xv, k=2)
    top = np.linalg.svd(Xv)[2][:2].T
    assert found @ found.T == pytest.approx(top @ top.T, abs=1e-10)
    searched = _best_on_stiefel_by_qr(-Xv.T @ Xv, 2, -1)  # the error's search, up to its constant tr(XᵀX)
    error = lambda W: np.sum((Xv - Xv @ W @ W.T) ** 2)  # noqa: E731
    assert error(found) == pytest.approx(error(searched), rel=1e-9)
    assert derivation.verify().passed


def test_quartic_on_orthonormal_columns_the_constraint_does_not_reduce_is_refused():
    # tr((BᵀSB)²) keeps B four times on BᵀB = I: no trace form, the numeric route is named
    d, k = symml.dims("d k")
    S, B = symml.matrix("S", d, d, symmetric=True), symml.matrix("B", d, k)
    with pytest.raises(symml.errors.UnsupportedOperationError, match="tr\\(WᵀMW\\)"):
        derive.minimize(sp.Trace(B.T @ S @ B @ B.T @ S @ B), wrt=B, subject_to=[symml.Eq(B.T @ B, sp.Identity(k))])


# --- 6. KL between two Dirichlets; the law of a Normal plus a Poisson ------------------------------------------------

def test_kl_between_dirichlets_matches_monte_carlo_and_quadrature():
    import scipy.stats as ss

    a, b = sp.symbols("a1:4", positive=True), sp.symbols("b1:4", positive=True)
    derivation = derive.kl(st.Dirichlet("P", list(a)), st.Dirichlet("Q", list(b)))
    alpha, beta = np.array([2.0, 3.5, 1.5]), np.array([1.2, 2.0, 4.0])
    value = derivation.numpy()(**{f"a{i + 1}": v for i, v in enumerate(alpha)},
                               **{f"b{i + 1}": v for i, v in enumerate(beta)})
    draws = np.random.default_rng(5).dirichlet(alpha, 200_000)
    ratio = ss.dirichlet.logpdf(draws.T, alpha) - ss.dirichlet.logpdf(draws.T, beta)
    assert abs(value - ratio.mean()) < 5 * ratio.std() / np.sqrt(len(ratio))


def test_density_of_normal_plus_poisson_is_a_series_matching_monte_carlo():
    mu, sigma, lam = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True), sp.Symbol("lambda", positive=True)
    derivation = derive.moments(st.Normal("X", mu, sigma) + st.Poisson("N", lam))
    density = next(step for step in derivation.steps if step.title == "Density of the sum").math.rhs
    assert isinstance(density, sp.Sum)  # no closed form, said in a remark
    assert any("no closed form" in remark for remark in derivation.remarks)
    k, low, high = density.limits[0]
    (s,) = density.function.free_symbols - {k, mu, sigma, lam}
    assert (low, high) == (0, sp.oo)
    term = sp.lambdify((k, s), density.function.subs({mu: 0.5, sigma: 0.4, lam: 2.0}), modules=["scipy", "numpy"])
    grid = np.linspace(-2.0, 14.0, 321)
    values = term(np.arange(60.0)[:, None], grid[None, :]).sum(axis=0)  # partial sums: the terms past 60 are < 1e-50
    assert si.simpson(values, x=grid) == pytest.approx(1.0, abs=1e-5)
    rng = np.random.default_rng(6)
    sums = rng.normal(0.5, 0.4, 400_000) + rng.poisson(2.0, 400_000)
    inside = (grid >= 2.0) & (grid <= 3.0)
    fraction = np.mean((sums >= 2.0) & (sums <= 3.0))
    assert abs(si.simpson(values[inside], x=grid[inside]) - fraction) < 5 * np.sqrt(fraction * (1 - fraction) / 4e5)


def test_density_of_exponential_plus_bernoulli_is_closed_and_matches_monte_carlo():
    lam = sp.Symbol("lambda", positive=True)
    derivation = derive.moments(st.Exponential("X", lam) + st.Bernoulli("B", sp.Rational(1, 3)))
    density = next(step for step in derivation.steps if step.title == "Density of the sum").math.rhs
    assert not density.has(sp.Sum)
    (s,) = density.free_symbols - {lam}
    f = sp.lambdify(s, density.subs(lam, 1.5))
    assert si.quad(f, -1, 1, points=[0])[0] + si.quad(f, 1, np.inf)[0] == pytest.approx(1.0, abs=1e-10)
    rng = np.random.default_rng(8)
    sums = rng.exponential(1 / 1.5, 400_000) + rng.binomial(1, 1 / 3, 400_000)
    fraction = np.mean((sums >= 0.8) & (sums <= 1.6))
    assert abs(si.quad(f, 0.8, 1.6, points=[1])[0] - fraction) < 5 * np.sqrt(fraction * (1 - fraction) / 4e5)


# --- left12 1. a MAP whose stationary point can leave the support: the result is the clamped mode -------------------

def _bounded_mode(log_posterior, low, high):
    """Bounded Brent's maximiser; at an end of the bounds it stops ~1e-7 inside, hence the tests' 1e-6."""
    import scipy.optimize as so

    return so.minimize_scalar(lambda t: -log_posterior(t), bounds=(low, high), method="bounded",
                              options={"xatol": 1e-12}).x


def _printed_mode(derivation, x):
    """The summary's right side evaluated at the sample: what the derivation prints, as a number."""
    estimate = derivation.summary[0].rhs
    at = {s: (len(x) if s.name == "n" else x.mean()) for s in estimate.free_symbols}
    return float(estimate.subs(at))


_POSITIVE_MEAN_SAMPLES = [np.array([-3.0, -2.0, -1.0]), np.array([0.2, -0.1, 0.3]), np.array([2.5, 3.0, 1.0, 2.2])]


def test_map_of_normal_mean_declared_positive_is_the_clamped_mode_of_bounded_brent():
    # N(μ, 1) data, μ > 0, prior N(0, 1): μ̂ = max(0, n x̄/(n + 1)); the stationary point alone was printed
    mu = sp.Symbol("mu", positive=True)
    derivation = derive.map(st.Normal("X", mu, 1), st.Normal("M", 0, 1), wrt=mu)
    assert isinstance(derivation.summary[0].rhs, sp.Piecewise)
    assert any(step.title == "Clamp to the domain" for step in derivation.steps)
    for x in _POSITIVE_MEAN_SAMPLES:
        oracle = _bounded_mode(lambda m: -((x - m) ** 2).sum() / 2 - m**2 / 2, 0.0, 100.0)
        assert derivation.numpy()(x=x)["mu"] == pytest.approx(oracle, abs=1e-6)
        assert _printed_mode(derivation, x) == pytest.approx(oracle, abs=1e-6)


def test_mle_of_normal_mean_declared_positive_is_the_clamped_maximum_of_bounded_brent():
    # the same clamp for a likelihood alone: μ̂ = x̄ was printed and returned (−2 for x = −3, −2, −1, outside μ > 0)
    mu = sp.Symbol("mu", positive=True)
    derivation = derive.mle(st.Normal("X", mu, 1), wrt=[mu])
    assert isinstance(derivation.summary[0].rhs, sp.Piecewise)
    for x in _POSITIVE_MEAN_SAMPLES:
        oracle = _bounded_mode(lambda m: -((x - m) ** 2).sum() / 2, 0.0, 100.0)
        assert derivation.numpy()(x=x)["mu"] == pytest.approx(oracle, abs=1e-6)
        assert _printed_mode(derivation, x) == pytest.approx(oracle, abs=1e-6)


def test_map_of_exponential_rate_under_uniform_prior_is_clamped_to_the_prior_support():
    # Exp(λ) data, λ ~ U(1, 5): λ̂ = 1/x̄ clamped to [1, 5] (a TypeError 'Invalid comparison of non-real zoo' before)
    lam = sp.Symbol("lambda", positive=True)
    derivation = derive.map(st.Exponential("X", lam), st.Uniform("L", 1, 5), wrt=lam)
    for x in (np.array([5.0, 6.0, 7.0]), np.array([0.1, 0.05, 0.2]), np.array([0.4, 0.3, 0.5])):
        oracle = _bounded_mode(lambda l: len(x) * np.log(l) - l * x.sum(), 1.0, 5.0)
        assert derivation.numpy()(x=x)["lambda"] == pytest.approx(oracle, abs=1e-6)
        assert _printed_mode(derivation, x) == pytest.approx(oracle, abs=1e-6)


@pytest.mark.parametrize("likelihood, log_likelihood, samples", [
    (lambda t: st.Exponential("X", t), lambda x, t: len(x) * np.log(t) - t * x.sum(),
     [np.array([0.1, 0.2]), np.array([5.0, 6.0, 7.0]), np.array([0.3, 0.4, 0.5, 0.45])]),
    (lambda t: st.Normal("X", t, 1), lambda x, t: -((x - t) ** 2).sum() / 2,
     [np.array([-3.0, -2.0]), np.array([5.0, 6.0, 7.0]), np.array([1.5, 2.1]), np.array([0.1, -0.2, 0.3])]),
])
def test_laplace_prior_on_a_positive_parameter_is_the_subgradient_mode_on_the_half_line(likelihood, log_likelihood,
                                                                                       samples):
    # prior Laplace(2, 1): a kink at 2 inside (0, ∞); the Exponential's raised PolynomialError, the Normal's gave 2
    # where the mode is the end 0
    theta = sp.Symbol("theta", positive=True)
    derivation = derive.map(likelihood(theta), st.Laplace("L", 2, 1), wrt=theta)
    for x in samples:
        oracle = _bounded_mode(lambda t: log_likelihood(x, t) - abs(t - 2), 1e-12, 100.0)
        assert derivation.numpy()(x=x)["theta"] == pytest.approx(oracle, abs=1e-6)
        assert _printed_mode(derivation, x) == pytest.approx(oracle, abs=1e-6)


# --- left12 2. ridge on data of order 1e160 -------------------------------------------------------------------------

def _ridge_by_mpmath(X, y, lam):
    import mpmath

    with mpmath.workdps(60):
        A, b = mpmath.matrix(X.tolist()), mpmath.matrix(y.tolist())
        w = mpmath.lu_solve(A.T * A + lam * mpmath.eye(A.cols), A.T * b)
        return np.array([float(v) for v in w])


@pytest.mark.parametrize("scale", [1.0, 1e160, 1e300])
def test_ridge_solution_is_finite_and_exact_where_the_gram_matrix_overflows(scale):
    # (λI + XᵀX)⁻¹Xᵀy formed XᵀX = inf at entries of 1e160: nan; now solved at X's scale
    n, d = symml.dims("n d")
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    lam = sp.Symbol("lambda", positive=True)
    ridge = derive.stationary_point(symml.losses.ridge(X, w, y, lam), w).numpy()
    rng = np.random.default_rng(9)
    X0, y0 = rng.normal(size=(20, 3)) * scale, rng.normal(size=20) * scale
    for y_scale in (1.0, 1.0 / scale):
        with np.errstate(over="raise", invalid="raise"):  # λ/s² underflowing beside XᵀX/s² is its true size
            found = ridge(X=X0, y=y0 * y_scale, **{"lambda": 0.5})
        assert found == pytest.approx(_ridge_by_mpmath(X0, y0 * y_scale, 0.5), rel=1e-12)


# --- left12 3. E[g(x)] of a Gaussian vector for g of degree > 2, from the MGF ---------------------------------------

def _moment_by_mgf_differences(mean, covariance, powers, h=1e-2):
    """∂^k M(0) by central differences of M(t) = E[e^{tᵀx}] evaluated in closed form (an oracle independent of the
    symbolic derivatives), Richardson-extrapolated from steps h and h/2: O(h⁴) error."""
    return (4 * _central_difference(mean, covariance, powers, h / 2) - _central_difference(mean, covariance, powers, h)) / 3


def _central_difference(mean, covariance, powers, h):
    import itertools

    mean, covariance = np.array(mean, float), np.array(covariance, float)

    def mgf(t):
        return np.exp(t @ mean + t @ covariance @ t / 2)

    axes = [i for i, k in enumerate(powers) for _ in range(k)]
    total = 0.0
    for signs in itertools.product((1, -1), repeat=len(axes)):
        t = np.zeros(len(mean))
        for axis, sign in zip(axes, signs):
            t[axis] += sign * h
        total += np.prod(signs) * mgf(t)
    return total / (2 * h) ** len(axes)


def test_product_of_squares_of_gaussian_components_matches_mgf_differences_and_monte_carlo():
    mean, covariance = [1, 2], [[2, 1], [1, 3]]
    X = st.MultivariateNormal("X", mean, covariance)
    derivation = derive.expectation(X[0] ** 2 * X[1] ** 2)
    assert derivation.result == 31
    assert _moment_by_mgf_differences(mean, covariance, (2, 2)) == pytest.approx(31, rel=1e-6)
    estimate, error = _monte_carlo(mean, covariance, lambda s: s[:, 0] ** 2 * s[:, 1] ** 2)
    assert abs(estimate - 31) < 5 * error


def test_fourth_power_of_a_projection_of_a_gaussian_vector_matches_monte_carlo():
    # (aᵀx)⁴ with a = (2, −1), μ = 0: aᵀx ~ N(0, aᵀΣa = 7), so E = 3·7² = 147
    covariance = [[2, 1], [1, 3]]
    X = st.MultivariateNormal("X", [0, 0], covariance)
    derivation = derive.expectation((2 * X[0] - X[1]) ** 4)
    estimate, error = _monte_carlo([0, 0], covariance, lambda s: (2 * s[:, 0] - s[:, 1]) ** 4)
    assert derivation.result == 147 and abs(estimate - 147) < 5 * error
    assert any(step.title == "Moments as derivatives of the MGF" for step in derivation.steps)


def test_quartic_of_symbolic_gaussian_vector_passes_its_monte_carlo_verify():
    m1, m2, s1, s2, r = sp.symbols("m1 m2 s1 s2 r", real=True)
    Y = st.MultivariateNormal("Y", [m1, m2], [[s1, r], [r, s2]])
    derivation = derive.expectation(Y[0] ** 3 * Y[1] + Y[1] ** 4)
    at = dict(m1=0.3, m2=-1.0, s1=2.0, s2=1.0, r=0.5)
    estimate, error = _monte_carlo([0.3, -1.0], [[2.0, 0.5], [0.5, 1.0]],
                                   lambda s: s[:, 0] ** 3 * s[:, 1] + s[:, 1] ** 4)
    assert abs(derivation.numpy()(**at) - estimate) < 5 * error
    assert derivation.verify().passed


# --- left12 5. absolute deviations beside a quadratic or a linear term: a convex piecewise quadratic ----------------

_i, _n = sp.Idx("i"), sp.Symbol("n", integer=True, positive=True)
_x, _y, _c = sp.IndexedBase("x", real=True), sp.IndexedBase("y", real=True), sp.IndexedBase("c", positive=True)
_w, _lam = sp.Symbol("w", real=True), sp.Symbol("lambda", positive=True)
_rng = np.random.default_rng(1)
_X, _C = _rng.normal(size=15), _rng.uniform(0.5, 2.0, size=15)
_Y = 2 * _X + _rng.normal(size=15)


def _brent_and_grid(objective):
    """The minimiser by bounded Brent, checked against the best of a grid of step 1e-3 on [−10, 10]."""
    import scipy.optimize as so

    found = so.minimize_scalar(objective, bounds=(-10.0, 10.0), method="bounded", options={"xatol": 1e-12}).x
    grid = np.linspace(-10.0, 10.0, 20_001)
    values = np.array([objective(v) for v in grid])
    assert abs(found - grid[np.argmin(values)]) < 2e-3
    return found


@pytest.mark.parametrize("objective, numeric, data", [
    # Σ|yᵢ − w xᵢ| + λw²: least absolute deviations with a ridge penalty
    (sp.Sum(sp.Abs(_y[_i] - _w * _x[_i]), (_i, 1, _n)) + _lam * _w**2,
     lambda v: np.abs(_Y - v * _X).sum() + 3 * v**2, dict(x=_X, y=_Y, **{"lambda": 3.0})),
    # Σ cᵢ|yᵢ − w| + λw: a weighted median beside a linear term with data weights
    (sp.Sum(_c[_i] * sp.Abs(_y[_i] - _w), (_i, 1, _n)) + _lam * _w,
     lambda v: (_C * np.abs(_Y - v)).sum() + 3 * v, dict(c=_C, y=_Y, **{"lambda": 3.0})),
    # Σ|yᵢ − w| + λw² + 5w
    (sp.Sum(sp.Abs(_y[_i] - _w), (_i, 1, _n)) + _lam * _w**2 + 5 * _w,
     lambda v: np.abs(_Y - v).sum() + 3 * v**2 + 5 * v, dict(y=_Y, **{"lambda": 3.0})),
    # a quadratic inside the sum and a kink outside it
    (sp.Sum(sp.Abs(_y[_i] - _w * _x[_i]) + _w**2 / 10, (_i, 1, _n)) + 2 * sp.Abs(_w - 1),
     lambda v: np.abs(_Y - v * _X).sum() + 1.5 * v**2 + 2 * abs(v - 1), dict(x=_X, y=_Y)),
])
def test_absolute_deviations_beside_a_quadratic_or_linear_term_minimised_per_piece(objective, numeric, data):
    derivation = derive.minimize(objective, wrt=_w)
    assert [s.title for s in derivation.steps if s.title.startswith(("On each piece", "At a point"))]
    assert derivation.numpy()(**data) == pytest.approx(_brent_and_grid(numeric), abs=1e-7)


def test_linear_term_beyond_the_total_weight_is_unbounded_said_by_numpy():
    derivation = derive.minimize(sp.Sum(_c[_i] * sp.Abs(_y[_i] - _w), (_i, 1, _n)) + _lam * _w, wrt=_w)
    assert any("decreases without end" in remark for remark in derivation.remarks)
    with pytest.raises(symml.errors.DataError, match="unbounded below"):
        derivation.numpy()(c=_C, y=_Y, **{"lambda": 2 * _C.sum()})


# --- left12 6. an integer parameter without a family: the N of a Binomial(N, 3/10) ----------------------------------

_COUNTS = np.array([3, 5, 4])


def _binomial_n_posterior_by_arithmetic(log_prior, top=400):
    """π(N | x) ∝ π₀(N) Πᵢ C(N, xᵢ) pᵡ(1 − p)^{N − x} at N = 0..top, by scipy.stats (the prior's tail past top is
    below 1e-100 for the priors used)."""
    values = np.arange(top + 1)
    with np.errstate(divide="ignore"):
        log_joint = log_prior(values) + np.array([ss.binom.logpmf(_COUNTS, v, 0.3).sum() for v in values])
    return values, np.exp(log_joint - np.logaddexp.reduce(log_joint))


@pytest.mark.parametrize("prior, log_prior", [
    (lambda: st.Poisson("P", 10), lambda v: ss.poisson.logpmf(v, 10)),
    (lambda: st.Geometric("P", sp.Rational(1, 5)), lambda v: ss.geom.logpmf(v, 0.2)),
])
def test_binomial_n_under_an_infinite_integer_prior_is_a_series_matching_direct_arithmetic(prior, log_prior):
    # the normaliser is a sum over the integers: numpy() refused ('a sum over the integers, which numpy() does not
    # compute'); now summed until its terms are negligible, and the posterior mean summed the same way
    N = sp.Symbol("N", integer=True, positive=True)
    derivation = derive.posterior(st.Binomial("X", N, sp.Rational(3, 10)), prior(), wrt=N)
    assert any(step.title == "Normalise by a series" for step in derivation.steps)
    values, expected = _binomial_n_posterior_by_arithmetic(log_prior)
    found = np.exp(derivation.numpy()(N=values[:120], x=_COUNTS))
    assert found == pytest.approx(expected[:120], abs=1e-13)
    summary = derive.posterior_summary(derivation).numpy()(x=_COUNTS)
    mean = expected @ values
    assert summary["mean"] == pytest.approx(mean, rel=1e-12)
    assert summary["variance"] == pytest.approx(expected @ (values - mean) ** 2, rel=1e-10)
    assert summary["mode"] == values[np.argmax(expected)]
    assert summary["median"] == values[np.searchsorted(np.cumsum(expected), 0.5)]


def test_binomial_n_under_a_uniform_prior_on_twenty_values_matches_direct_arithmetic():
    # prior uniform on {1..20}: numpy() ran past its 30 s budget (every weight inside every case); now 0.1 s
    N = sp.Symbol("N", integer=True, positive=True)
    derivation = derive.posterior(st.Binomial("X", N, sp.Rational(3, 10)), st.DiscreteUniform("P", list(range(1, 21))),
                                  wrt=N)
    values, expected = _binomial_n_posterior_by_arithmetic(lambda v: np.where((v >= 1) & (v <= 20), 0.0, -np.inf))
    with np.errstate(divide="ignore"):
        assert np.exp(derivation.numpy()(N=values[1:21], x=_COUNTS)) == pytest.approx(expected[1:21], abs=1e-14)
    assert derive.posterior_summary(derivation).numpy()(x=_COUNTS)["mean"] == pytest.approx(expected @ values,
                                                                                             rel=1e-12)

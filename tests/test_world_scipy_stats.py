"""The densities scipy.stats documents, typed the way a user copies them from its reference pages, through the
public API: moments, entropy, Fisher information and maximum likelihood of the shape parameter.

Each test names the page it copies (https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.<name>.html,
"standardized form") and checks symml's answer against scipy.stats itself (``.stats``, ``.entropy``, ``.logpdf``
fed to scipy.optimize) or quadrature of scipy's own density: never symml against itself.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate, optimize

import symml

RNG = np.random.default_rng(2027)
BRADFORD = "log(c) - log(log(1 + c)) - log(1 + c*x)"  # f(x, c) = c/(log(1 + c)(1 + cx)) on [0, 1]


def bradford():
    return symml.Model(logpdf=BRADFORD, data="x", support=sp.Interval(0, 1))


def shape_mle(law, data, low, high):
    """The oracle: scipy's log-density (or log-pmf) of ``law(shape)`` maximised over the shape on [low, high] (log-spaced grid,
    then a bounded search around the best point)."""
    def negative_log_likelihood(shape):
        frozen = law(shape)
        return -np.sum(frozen.logpmf(data) if hasattr(frozen, "logpmf") else frozen.logpdf(data))

    grid = np.geomspace(low, high, 200)
    best = grid[np.argmin([negative_log_likelihood(g) for g in grid])]
    return optimize.minimize_scalar(negative_log_likelihood, bounds=(max(low, best / 2), min(high, best * 2)),
                                    method="bounded", options={"xatol": 1e-12}).x


def test_bradford_mean_and_variance_typed_with_a_real_shape():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.bradford.html (c = 0.299, the page's
    example). SymPy's Risch integrator gave E[X] = 1/log(1 + c), missing −1/c, and a negative variance."""
    moments = symml.derive.moments(bradford(), upto=2).numpy()(c=0.299)
    mean, variance = ss.bradford.stats(0.299, moments="mv")
    assert (moments["mean"], moments["variance"]) == pytest.approx((mean, variance), rel=1e-10)


def test_bradford_entropy_takes_the_generic_branch_of_sympys_piecewise():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.bradford.html: E[log(1 + cX)] came from
    the branch SymPy puts first for c = 0 (it gave 0, the entropy log(log(1 + c)/c) without log(1 + c)/2)."""
    entropy = symml.derive.entropy(bradford()).numpy()
    for c in (0.299, 3.0):
        assert entropy(c=c) == pytest.approx(ss.bradford.entropy(c), rel=1e-9, abs=1e-12)


def test_bradford_score_cross_term_with_its_constant_log_inside_a_sum():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.bradford.html: the Fisher information's
    E[s(X)²] expands to terms such as E[X/((1 + c)(1 + cX) log(1 + c))] with the product multiplied out, the
    constant log(1 + c) inside a sum; SymPy gave −1/((1 + c)² log²(1 + c)), negative, and the information came out
    as −19.6. Here E[(1 − X)/((1 + c)(1 + cX) log(1 + c))], which SymPy gave as 11.2 at c = 0.299 (it is 1.41)."""
    model = bradford()
    c, x = model.parameters[0], model.data
    term = (1 - x) / sp.expand((1 + c) * (1 + c * x) * sp.log(1 + c))
    # a short budget: E[X/...] tries its generating function E[e^{tX}/...] first, which has no closed form
    value = symml.derive.expectation(model, term, seconds=2.0).numpy()(c=0.299)
    oracle = integrate.quad(lambda t: (1 - t) / (1.299 * (1 + 0.299 * t) * np.log(1.299)) * ss.bradford.pdf(t, 0.299),
                            0, 1)[0]
    assert value == pytest.approx(oracle, rel=1e-9)


def test_bradford_mle_of_a_typed_shape_checks_its_density_without_crashing():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.bradford.html: the density check probed
    c = −3/10, where SymPy's exact integral is real but written with iπ terms; float() of it raised TypeError."""
    estimator = symml.derive.mle(bradford()).numpy()
    data = ss.bradford.rvs(0.299, size=400, random_state=RNG)
    assert estimator(x=data)["c"] == pytest.approx(shape_mle(lambda c: ss.bradford(c), data, 1e-4, 1e3), rel=1e-5)


def test_moments_keep_the_direct_route_when_the_mgf_taylor_series_runs_out_of_budget(monkeypatch):
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.fatiguelife.html: the fatigue-life law's
    M(t) is 0/0 at t = 0 and its Taylor series took longer than its budget, which escaped as BudgetExceededError
    though the direct route had every moment. Reproduced cheaply on a uniform law with no budget for the series."""
    import symml.probability.moments as moments_module
    from symml.budget import within

    def series_out_of_budget(seconds, what, fn, *args, **kwargs):
        # a zero budget was not enough: a series SymPy had cached from an earlier test finished within it
        if what.startswith("the Taylor series"):
            raise symml.BudgetExceededError(what, seconds)
        return within(seconds, what, fn, *args, **kwargs)

    monkeypatch.setattr(moments_module, "within", series_out_of_budget)
    a, b = sp.Symbol("a", real=True), sp.Symbol("b", real=True)
    x = sp.Symbol("x", real=True)
    derivation = symml.derive.moments(symml.Model(logpdf=-sp.log(b - a), data=x, support=sp.Interval(a, b)), upto=2)
    found = derivation.numpy()(a=1.0, b=4.0)
    mean, variance = ss.uniform(1.0, 3.0).stats(moments="mv")
    assert (found["mean"], found["variance"]) == pytest.approx((mean, variance), rel=1e-12)
    assert any("direct route only" in remark for remark in derivation.remarks)


def test_discrete_laplace_variance_sums_over_all_the_integers():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.dlaplace.html: f(k) = tanh(a/2) e^{−a|k|}
    on every integer. SymPy leaves the sums; their numeric partial sums started at −∞ and added nothing, so the
    variance came out 0."""
    model = symml.Model(logpdf="log(tanh(a/2)) - a*Abs(k)", data="k", support=sp.Range(-sp.oo, sp.oo))
    moments = symml.derive.moments(model, upto=2).numpy()(a=0.8)
    mean, variance = ss.dlaplace(0.8).stats(moments="mv")
    assert (moments["mean"], moments["variance"]) == pytest.approx((mean, variance), rel=1e-10, abs=1e-12)


def test_lomax_variance_is_infinite_where_the_second_moment_diverges():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.lomax.html: E[X²] diverges for c ≤ 2;
    quadrature extrapolated the divergent tail to −18.9 (a negative variance)."""
    model = symml.Model(logpdf="log(c) - (c + 1)*log(1 + x)", data="x", support=sp.Interval(0, sp.oo))
    second_moment = symml.derive.expectation(model, model.data**2, seconds=0.3).numpy()(c=1.88)
    assert second_moment == ss.lomax(1.88).moment(2) == np.inf


def test_a_rice_density_typed_with_besseli_reads_the_bessel_function():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.rice.html: scipy writes the Rice density
    with I₀ (scipy.special.i0); typed as besseli(0, x*b) it was first an arbitrary function (the Fisher information
    came out as −b²), then refused by name; it is SymPy's besseli, and the mean is scipy's."""
    model = symml.Model(logpdf="log(x) - (x**2 + b**2)/2 + log(besseli(0, x*b))", data="x", support=sp.Interval(0, sp.oo))
    mean = symml.derive.expectation(model, model.data, seconds=1.0).numpy()(b=1.4)
    assert mean == pytest.approx(ss.rice(1.4).mean(), rel=1e-12)


def test_maxwell_entropy_with_a_real_scale_has_no_polar_numbers_left_for_numpy():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.maxwell.html, with its scale s typed in:
    SymPy's Meijer G route left polar_lift(s) in the entropy, and numpy() raised NameError."""
    model = symml.Model(logpdf="log(sqrt(2/pi)) + 2*log(x) - x**2/(2*s**2) - 3*log(s)", data="x",
                        support=sp.Interval(0, sp.oo))
    assert symml.derive.entropy(model).numpy()(s=1.7) == pytest.approx(ss.maxwell(scale=1.7).entropy(), rel=1e-12)


def test_a_density_built_with_an_undefined_sympy_function_is_refused_by_name():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.rice.html with I₀ written as
    sp.Function("I0"): an arbitrary function's derivatives have arbitrary expectations, and the Fisher information
    came out as −b² (scipy's, by quadrature of the squared score, is positive)."""
    x, b = sp.Symbol("x", positive=True), sp.Symbol("b", positive=True)
    with pytest.raises(symml.ModelError, match="I0 .*not a function symml knows"):
        symml.Model(logpdf=sp.log(x) - (x**2 + b**2) / 2 + sp.log(sp.Function("I0")(x * b)), data=x,
                    support=sp.Interval(0, sp.oo))


def test_logarithmic_series_entropy_is_real_with_its_normaliser_logged_as_a_positive_number():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.logser.html (sympy.stats.Logarithmic): the
    pmf −pᵏ/(k log(1 − p)) was split as log(log(1 − p)) + iπ + ..., and the entropy came out nan."""
    p = sp.Symbol("p", positive=True)
    entropy = symml.derive.entropy(st.Logarithmic("X", p)).numpy()
    for value in (0.2, 0.6):
        assert entropy(p=value) == pytest.approx(ss.logser.entropy(value), rel=1e-9)


def test_gompertz_entropy_keeps_the_branch_its_polar_numbers_named():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.gompertz.html: SymPy's E[X] was
    log(c e^{iπ}) − Ei(c e^{iπ}), real; with its polar numbers read as −c it gained an iπ (Ei(−c) is the principal
    value), and the entropy was nan from numpy()."""
    model = symml.Model(logpdf="log(c) + x - c*(exp(x) - 1)", data="x", support=sp.Interval(0, sp.oo))
    entropy = symml.derive.entropy(model).numpy()
    for c in (0.7, 3.0):
        assert entropy(c=c) == pytest.approx(ss.gompertz.entropy(c), rel=1e-12)


def test_half_logistic_entropy_has_its_lerch_transcendent_expanded_for_numpy():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.halflogistic.html: SymPy's entropy was
    2Φ(−1, 1, 1) + 2 − log 8, whose Lerch transcendent NumPy/SciPy cannot evaluate (numpy() refused it); SymPy's
    own expansion makes it log 2. (The variance, 4Φ(−1, 2, 1) − log²4 before, is in benchmarks/world_scipy_stats.py.)"""
    model = symml.Model(logpdf="log(2) - x - 2*log(1 + exp(-x))", data="x", support=sp.Interval(0, sp.oo))
    assert symml.derive.entropy(model).numpy()() == pytest.approx(ss.halflogistic.entropy(), rel=1e-12)


def test_wald_entropy_integrates_the_log_term_a_bessel_derivative_left_open():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.wald.html (sympy.stats.Wald, scipy's
    invgauss(μ/λ, scale=λ)): E[log X] came out as ∂/∂ν I_ν(λ/μ) at ν = ±1/2, unevaluated, and SciPy's printer
    crashed on the Derivative; it is no closed form, and numpy() integrates the term (a short budget here)."""
    mu, lam = sp.symbols("mu lambda", positive=True)
    entropy = symml.derive.entropy(st.Wald("X", mu, lam), seconds=1.0).numpy()
    for m, s in ((1.0, 1.0), (0.5, 2.0)):
        assert entropy(mu=m, **{"lambda": s}) == pytest.approx(ss.invgauss(m / s, scale=s).entropy(), rel=1e-9)


def test_wald_entropy_leaves_log_x_to_quadrature_once_its_generating_function_cannot_be_differentiated():
    """E[log X] is ∂/∂s of E[X^s], a Bessel function of order s − 1/2 that SymPy cannot differentiate in its order:
    the integral of the same term is not tried (it spent the whole 8 s shared budget before), and the derivation
    says so. 1.2 s CPU with the default budget (8.4 s before). Oracle: scipy's invgauss entropy."""
    import time

    mu, lam = sp.symbols("mu lambda", positive=True)
    started = time.process_time()
    derivation = symml.derive.entropy(st.Wald("X", mu, lam))
    assert time.process_time() - started < 4.0
    assert any("not tried" in remark for remark in derivation.remarks)
    assert derivation.numpy()(mu=0.5, **{"lambda": 2.0}) == pytest.approx(ss.invgauss(0.25, scale=2.0).entropy(),
                                                                         rel=1e-12)


def kumaraswamy():
    a, b = sp.symbols("a b", positive=True)
    return st.Kumaraswamy("X", a, b)


def test_kumaraswamy_moments_over_the_support_where_its_density_is_real():
    """SymPy's Kumaraswamy law (scipy has none; the oracle is quadrature of f(x) = abx^(a−1)(1 − x^a)^(b−1) on
    [0, 1]) is declared on [0, ∞), where past x = 1 its density is complex; the moments came out inf and nan."""
    moments = symml.derive.moments(kumaraswamy(), upto=2).numpy()(a=2.0, b=3.0)
    density = lambda t: 6 * t * (1 - t**2)**2  # noqa: E731
    mean = integrate.quad(lambda t: t * density(t), 0, 1)[0]
    second = integrate.quad(lambda t: t**2 * density(t), 0, 1)[0]
    assert (moments["mean"], moments["variance"]) == pytest.approx((mean, second - mean**2), rel=1e-10)


def test_kumaraswamy_mle_accepts_data_in_the_unit_interval():
    """With the support [0, ∞) every sample in (0, 1) was refused (DataError); the oracle is scipy's L-BFGS-B on
    the log-likelihood written in NumPy."""
    u = RNG.uniform(size=300)
    data = (1 - (1 - u)**(1 / 3))**(1 / 2)  # the inverse CDF at a = 2, b = 3
    found = symml.derive.mle(kumaraswamy()).numpy()(x=data)

    def negative_log_likelihood(p):
        return -np.sum(np.log(p[0] * p[1]) + (p[0] - 1) * np.log(data) + (p[1] - 1) * np.log1p(-data**p[0]))

    oracle = optimize.minimize(negative_log_likelihood, [1.0, 1.0], bounds=[(1e-6, None)] * 2, method="L-BFGS-B",
                               options={"ftol": 1e-15, "gtol": 1e-12}).x
    assert (found["a"], found["b"]) == pytest.approx(tuple(oracle), rel=1e-6)


def zipfian():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.zipfian.html: f(k) = k^(−a)/H(n, a) on
    k = 1..n, built with SymPy's harmonic."""
    k, n = sp.Symbol("k", integer=True, positive=True), sp.Symbol("n", integer=True, positive=True)
    a = sp.Symbol("a", positive=True)
    return symml.Model(logpdf=-a * sp.log(k) - sp.log(sp.harmonic(n, a)), data=k, support=sp.Range(1, n + 1))


def test_zipfian_moments_sum_their_harmonic_numbers_below_an_exponent_of_one():
    """The mean H(n, a − 1)/H(n, a) was nan at a = 1.3: SymPy prints H(n, s) as ζ(s) − ζ(s, n + 1), which SciPy
    evaluates only for s > 1."""
    moments = symml.derive.moments(zipfian(), upto=2).numpy()(a=1.3, n=10)
    mean, variance = ss.zipfian.stats(1.3, 10, moments="mv")
    assert (moments["mean"], moments["variance"]) == pytest.approx((mean, variance), rel=1e-12)


def test_a_zipfian_pmf_typed_with_harmonic_reads_the_harmonic_number():
    """The same pmf typed as text: harmonic was refused by name (a function symml could not read)."""
    n = sp.Symbol("n", integer=True, positive=True)
    typed = symml.Model(logpdf="-a*log(k) - log(harmonic(n, a))", data="k", support=sp.Range(1, n + 1))
    mean = symml.derive.expectation(typed, typed.data).numpy()(a=1.3, n=10)
    assert mean == pytest.approx(ss.zipfian.mean(1.3, 10), rel=1e-12)


def test_zipfian_entropy_sums_the_log_term_its_normaliser_cannot_be_differentiated_for():
    """E[log k] by differentiating log H(n, a) in a left an unevaluated Derivative, on which numpy() refused."""
    entropy = symml.derive.entropy(zipfian()).numpy()
    for a in (0.6, 1.3):
        assert entropy(a=a, n=10) == pytest.approx(ss.zipfian.entropy(a, 10), rel=1e-12)


def test_zipfian_mle_of_the_exponent_with_n_known():
    """The score holds ∂H(n, a)/∂a, which SymPy leaves unevaluated (the solver fell back to a finite-difference
    search, 8e-9 off); the oracle is scipy's bounded maximum of zipfian.logpmf."""
    a = next(p for p in zipfian().parameters if p.name == "a")
    data = ss.zipfian.rvs(1.3, 10, size=300, random_state=RNG)
    found = symml.derive.mle(zipfian(), wrt=[a]).numpy()(k=data, n=10)["a"]
    assert found == pytest.approx(shape_mle(lambda s: ss.zipfian(s, 10), data, 0.01, 10.0), rel=1e-6)
    k = np.arange(1, 11)  # and the root of the score −mean(log k) − H'(n, a)/H(n, a), summed in NumPy, by brentq
    root = optimize.brentq(lambda s: -np.mean(np.log(data)) + np.sum(np.log(k) * k**-s) / np.sum(k**-s), 0.01, 10,
                           xtol=1e-15)
    assert found == pytest.approx(root, rel=1e-10)


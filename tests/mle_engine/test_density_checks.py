"""A user's log-density must be a density: real on its support, integrating there to a constant free of the
parameters. Otherwise mle() says so (ModelError) instead of reporting a flat or monotone likelihood."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
import sympy as sp
from scipy import integrate

import symml
from symml.errors import ModelError
from symml.mle import mle

x = sp.Symbol("x", real=True)
theta = sp.Symbol("theta", positive=True)
mu = sp.Symbol("mu", real=True)


def test_a_log_density_complex_on_the_support_is_refused_naming_the_point():
    with pytest.raises(ModelError, match="is complex on the support") as raised:
        mle(symml.Model(logpdf=sp.log(x - mu), data=x))
    point, at = re.search(r"at x = (\S+) \(mu = (\S+)\)", str(raised.value)).groups()
    assert float(point) < float(sp.Rational(at))  # log of a negative number there


@pytest.mark.parametrize("logpdf", [sp.log(theta), theta * x], ids=["constant", "growing"])
def test_an_improper_density_is_refused_with_its_integral(logpdf):
    with pytest.raises(ModelError, match=r"does not integrate to 1 over the support .* \(it integrates to oo"):
        mle(symml.Model(logpdf=logpdf, data=x, support=sp.Interval(0, sp.oo)))


def test_a_normalising_constant_that_depends_on_the_parameters_is_refused_with_the_integrals():
    # exp(-theta x) without log(theta): integrates to 1/theta, so its likelihood's maximum estimates nothing
    with pytest.raises(ModelError, match="normalising constant depends on the estimated parameters") as raised:
        mle(symml.Model(logpdf=-theta * x, data=x, support=sp.Interval(0, sp.oo)))
    quoted = re.findall(r"to (\S+) at theta = ([0-9/]+)", str(raised.value))
    for value, at in quoted:  # each quoted integral checked by scipy's quadrature
        expected, _ = integrate.quad(lambda t: math.exp(-float(sp.Rational(at)) * t), 0, np.inf)
        assert float(value) == pytest.approx(expected, rel=1e-5)
    assert len(quoted) == 2


def test_a_density_missing_only_a_constant_factor_is_accepted_and_the_constant_is_remarked():
    derivation = mle(symml.Model(logpdf=-(x - mu) ** 2 / 2, data=x))
    data = np.random.default_rng(3).normal(0.7, 1.0, 200)
    assert derivation.numpy()(x=data)["mu"] == pytest.approx(data.mean(), rel=1e-12)
    (remark,) = [r for r in derivation.remarks if "not to 1" in r]
    expected, _ = integrate.quad(lambda t: math.exp(-t * t / 2), -np.inf, np.inf)  # sqrt(2 pi)
    assert float(re.search(r"integrates to (\S+) over", remark).group(1)) == pytest.approx(expected, rel=1e-5)


def test_a_normalised_user_density_gets_no_remark():
    derivation = mle(symml.Model(logpdf=sp.log(theta) - theta * x, data=x, support=sp.Interval(0, sp.oo)))
    assert not [r for r in derivation.remarks if "integrate" in r]


k = sp.Symbol("k", integer=True, nonnegative=True)


def test_a_pmf_whose_sum_depends_on_the_parameter_is_refused_with_the_sums():
    # theta e^(-theta k) on {0, 1, ...} sums to theta/(1 - e^(-theta)): its "MLE" 1/mean(k) was returned and verified
    with pytest.raises(ModelError, match="normalising constant depends on the estimated parameters") as raised:
        mle(symml.Model(logpdf=sp.log(theta) - theta * k, data=k, support=sp.Range(0, sp.oo)))
    quoted = re.findall(r"to (\S+) at theta = ([0-9/]+)", str(raised.value))
    for value, at in quoted:  # each quoted sum checked by a partial sum in numpy
        expected = (float(sp.Rational(at)) * np.exp(-float(sp.Rational(at)) * np.arange(2000))).sum()
        assert float(value) == pytest.approx(expected, rel=1e-5)  # quoted to 6 digits
    assert len(quoted) == 2


@pytest.mark.parametrize("logpdf", [theta * k, k * sp.log(theta) - theta], ids=["growing", "missing factorial"])
def test_a_pmf_whose_terms_do_not_vanish_is_refused_as_divergent(logpdf):
    # e^(theta k), and theta^k e^(-theta) (the Poisson without 1/k!) at theta > 1: the terms grow, the sum diverges
    with pytest.raises(ModelError, match="its terms do not vanish"):
        mle(symml.Model(logpdf=logpdf, data=k, support=sp.Range(0, sp.oo)))


def test_a_slowly_decaying_pmf_is_summed_exactly():
    # 1/(k(k + 1)) on {1, 2, ...} sums to 1 (telescoping; no geometric decay, so SymPy's summation decides)
    from symml.mle.normalisation import check_density

    assert check_density(symml.Model(logpdf=-sp.log(k) - sp.log(k + 1) + 0 * theta, data=k,
                                     support=sp.Range(1, sp.oo), parameters=[theta])) == ()


def test_a_harmonic_pmf_is_refused_as_divergent():
    from symml.mle.normalisation import check_density

    with pytest.raises(ModelError, match=r"sums to oo"):
        check_density(symml.Model(logpdf=-sp.log(k + theta), data=k, support=sp.Range(0, sp.oo)))


def test_a_normalised_pmf_with_its_factorial_passes_and_its_mle_matches_scipy():
    from scipy import optimize, stats

    derivation = mle(symml.Model(logpdf=k * sp.log(theta) - theta - sp.log(sp.factorial(k)), data=k,
                                 support=sp.Range(0, sp.oo)))
    data = np.random.default_rng(4).poisson(2.5, 300).astype(float)
    fit = optimize.minimize_scalar(lambda t: -stats.poisson.logpmf(data, t).sum(), bounds=(0.1, 10), method="bounded",
                                   options={"xatol": 1e-10})
    assert derivation.numpy()(x=data)["theta"] == pytest.approx(fit.x, rel=1e-7)


def test_a_maximum_where_the_density_does_not_integrate_is_refused_not_returned():
    # The chi density with its shape k declared only real: the likelihood has a local maximum at k = -11.3
    # (-log Γ(k/2) is large between Γ's poles), where x^(k-1) is not integrable at 0: not a density. It was returned
    # as the estimate; the maximiser over k > 0 is 3.66 (scipy.stats.chi by a bounded scalar search).
    from scipy import optimize, stats

    k = sp.Symbol("k", real=True)
    positive_x = sp.Symbol("x", positive=True)
    sample = stats.chi(3.7).rvs(size=300, random_state=2)
    estimator = mle(symml.Model((k - 1)*sp.log(positive_x) - positive_x**2/2 - (k/2 - 1)*sp.log(2) - sp.loggamma(k/2),
                                positive_x, sp.Interval(0, sp.oo))).numpy()
    best = optimize.minimize_scalar(lambda s: -np.sum(stats.chi(s).logpdf(sample)), bounds=(0.1, 50), method="bounded").x
    assert best == pytest.approx(3.66, abs=0.01)
    with pytest.raises(symml.DataError, match=r"outside the parameter space.*declare its admissible values"):
        estimator(x=sample)


def test_the_mle_and_an_expectation_share_one_quadrature_per_parameter_value():
    # the MLE checks the density (wrt its parameters), as_law checks it again with normalised=True: same totals
    from symml.mle import normalisation
    from symml.probability.law import as_law

    rate = sp.Symbol("rate", positive=True)
    model = symml.Model(logpdf=sp.log(rate) + sp.log(2) - 2 * rate * x, data=x, support=sp.Interval(0, sp.oo))
    normalisation.check_density(model, (rate,))
    computed = normalisation._total.cache_info().misses
    as_law(model)
    assert normalisation._total.cache_info().misses == computed

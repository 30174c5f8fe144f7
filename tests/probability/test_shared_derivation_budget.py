"""A probability derivation's symbolic steps share one budget (symml.budget.DERIVATION_SECONDS): past it, every term
left is an integral evaluated numerically, the derivation says so, and the answer agrees with quadrature of scipy's
density. The budget is cut to half a second here so that each test is short; benchmarks/bench_budgets.py times the
same problems with the default budget."""
import time

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate

import symml
import symml.probability.expectation as expectation_module
import symml.probability.fisher as fisher_module
import symml.probability.information as information_module
import symml.probability.moments as moments_module

SHARE = 0.5


@pytest.fixture(autouse=True)
def short_shared_budget(monkeypatch):
    for module in (expectation_module, fisher_module, information_module, moments_module):
        monkeypatch.setattr(module, "DERIVATION_SECONDS", SHARE)


def fisher_by_quadrature(frozen_at, theta, lower, upper, step=1e-5):
    """∫ s(x)² f(x) dx, the score s by central differences of scipy's log-density in the parameter."""
    def score(x):
        with np.errstate(invalid="ignore"):  # −∞ − (−∞) where the density underflows
            difference = frozen_at(theta + step).logpdf(x) - frozen_at(theta - step).logpdf(x)
        return difference / (2 * step) if np.isfinite(difference) else 0.0  # where the density underflows

    return integrate.quad(lambda x: score(x)**2 * frozen_at(theta).pdf(x), lower, upper, limit=200)[0]


def says_the_shared_budget_ran_out(derivation):
    return any("symbolic work its derivation shares" in remark for remark in derivation.remarks)


def test_student_t_fisher_information_in_its_degrees_of_freedom_falls_back_to_quadrature_in_time():
    # it ran past 150 s: forty expectations, each term tried by four routes under its own budget
    started = time.process_time()
    derivation = symml.derive.fisher_information(st.StudentT("X", sp.Symbol("nu", positive=True)), seconds=SHARE)
    assert time.process_time() - started < 5 * SHARE + 2
    assert says_the_shared_budget_ran_out(derivation)
    found = derivation.numpy()(nu=4.5)
    assert found[0, 0] == pytest.approx(fisher_by_quadrature(ss.t, 4.5, -np.inf, np.inf), rel=1e-7)


def test_rice_fisher_information_typed_with_besseli_falls_back_to_quadrature_in_time():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.rice.html with SymPy's besseli: right, but
    it took 183 s."""
    x, b = sp.Symbol("x", positive=True), sp.Symbol("b", positive=True)
    model = symml.Model(logpdf=sp.log(x) - (x**2 + b**2) / 2 + sp.log(sp.besseli(0, x * b)), data=x,
                        support=sp.Interval(0, sp.oo))
    started = time.process_time()
    derivation = symml.derive.fisher_information(model, seconds=SHARE)
    assert time.process_time() - started < 5 * SHARE + 2
    found = derivation.numpy()(b=0.775)
    assert float(np.asarray(found).ravel()[0]) == pytest.approx(fisher_by_quadrature(ss.rice, 0.775, 0, np.inf), rel=1e-6)


def test_von_mises_mean_and_variance_on_its_support_fall_back_to_quadrature_in_time():
    # sympy.stats' von Mises lives on [0, 2π]; its moments ran 35 s CPU before both routes gave up
    mu, kappa = sp.Symbol("mu", real=True), sp.Symbol("kappa", positive=True)
    started = time.process_time()
    derivation = symml.derive.moments(st.VonMises("X", mu, kappa), upto=2)
    assert time.process_time() - started < 5 * SHARE + 2
    found = derivation.numpy()(mu=0.7, kappa=2.3)
    density = ss.vonmises(2.3, loc=0.7).pdf  # 2π-periodic: the same density on [0, 2π]
    first, second = (integrate.quad(lambda t: t**k * density(t), 0, 2 * np.pi)[0] for k in (1, 2))
    assert (found["mean"], found["variance"]) == pytest.approx((first, second - first**2), rel=1e-9)


def test_fisk_entropy_typed_from_scipys_page_falls_back_to_quadrature_in_time():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.fisk.html: f(x, c) = c x^{c−1}/(1 + x^c)²."""
    model = symml.Model(logpdf="log(c) + (c - 1)*log(x) - 2*log(1 + x**c)", data="x", support=sp.Interval(0, sp.oo))
    started = time.process_time()
    derivation = symml.derive.entropy(model)
    assert time.process_time() - started < 5 * SHARE + 2
    assert derivation.numpy()(c=3.4) == pytest.approx(ss.fisk(3.4).entropy(), rel=1e-9)


def test_fisk_fisher_information_left_to_quadrature_evaluates_its_tails_without_overflow():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.fisk.html: the tail probe of a term left
    as an integral evaluated x**c at x = 1e40 in Python floats, and numpy() raised OverflowError."""
    model = symml.Model(logpdf="log(c) + (c - 1)*log(x) - 2*log(1 + x**c)", data="x", support=sp.Interval(0, sp.oo))
    found = symml.derive.fisher_information(model, seconds=SHARE).numpy()(c=3.4)
    assert float(np.asarray(found).ravel()[0]) == pytest.approx(fisher_by_quadrature(ss.fisk, 3.4, 0, np.inf), rel=1e-7)

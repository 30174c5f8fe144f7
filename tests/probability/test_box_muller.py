"""Box–Muller: the derived sampler's coordinates are N(0, 1) and independent (KS, correlation, a 2-D test)."""
import numpy as np
import pytest
import scipy.stats as ss

import symml


@pytest.fixture(scope="module")
def box_muller():
    return symml.derive.box_muller()


@pytest.fixture(scope="module")
def draws(box_muller):
    return box_muller.numpy()(20_000, rng=np.random.default_rng(11))


def test_each_coordinate_passes_a_kolmogorov_smirnov_test_against_the_standard_normal(draws):
    assert draws.shape == (20_000, 2)
    for column in draws.T:
        assert ss.kstest(column, "norm").pvalue > 0.01


def test_the_coordinates_are_uncorrelated_and_independent_on_a_grid(draws):
    assert abs(np.corrcoef(draws.T)[0, 1]) < 4 / np.sqrt(len(draws))
    # the 4 x 4 table of quartile cells: a chi-squared test of independence
    cells = [np.digitize(column, ss.norm.ppf([0.25, 0.5, 0.75])) for column in draws.T]
    table = np.zeros((4, 4))
    np.add.at(table, tuple(cells), 1)
    assert ss.chi2_contingency(table).pvalue > 0.01
    # and the squared radius is chi-squared with 2 degrees of freedom, as for two independent N(0, 1)
    assert ss.kstest((draws**2).sum(axis=1), ss.chi2(2).cdf).pvalue > 0.01


def test_the_joint_density_factorises_into_two_standard_normals(box_muller):
    factorise = box_muller.steps[-1]
    assert "independent standard normals" in factorise.why
    assert "(shown)" in box_muller.steps[2].why  # det ∂u/∂z · det ∂z/∂u = 1


def test_box_muller_verifies(box_muller):
    report = box_muller.verify()
    assert report, str(report)

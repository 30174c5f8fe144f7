"""Mutual information and information gain: against Monte Carlo and scipy.stats.entropy, never against themselves."""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import ModelError, ShapeError

s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
rho = sp.Symbol("rho", real=True)
a, b, c = sp.symbols("a b c", positive=True)


def bivariate(mean=(0, 0)):
    return st.MultivariateNormal("Z", list(mean), [[s1**2, rho * s1 * s2], [rho * s1 * s2, s2**2]])


def test_bivariate_normal_mutual_information_is_minus_half_log_one_minus_rho_squared():
    d = symml.derive.mutual_information(bivariate())
    assert sp.simplify(d.result + sp.log(1 - rho**2) / 2) == 0


@pytest.mark.parametrize("r", [-0.8, 0.3, 0.95])
def test_bivariate_normal_mutual_information_matches_monte_carlo(r):
    # I = E[log p(x, y) - log p(x) - log p(y)], averaged over 200,000 draws
    cov = np.array([[1.3**2, r * 1.3 * 0.7], [r * 1.3 * 0.7, 0.7**2]])
    z = np.random.default_rng(5).multivariate_normal([0.0, 0.0], cov, 200_000)
    terms = (ss.multivariate_normal([0, 0], cov).logpdf(z) - ss.norm(0, 1.3).logpdf(z[:, 0])
             - ss.norm(0, 0.7).logpdf(z[:, 1]))
    derived = symml.derive.mutual_information(bivariate()).numpy()(rho=r)
    assert derived == pytest.approx(terms.mean(), abs=4 * terms.std() / np.sqrt(len(terms)))


def test_a_general_covariance_gives_half_log_of_the_variance_product_over_the_determinant():
    d = symml.derive.mutual_information(st.MultivariateNormal("Z", [1, 2], [[a, c], [c, b]]))
    assert float(d.numpy()(a=2.0, b=1.5, c=0.9)) == pytest.approx(0.5 * np.log(2.0 * 1.5 / (2.0 * 1.5 - 0.81)))


def test_verify_checks_the_chain_rule_by_quadrature():
    assert symml.derive.mutual_information(bivariate((0.5, -1))).verify()


def oracle(joint):
    joint = np.asarray(joint, dtype=float)
    return ss.entropy(joint.ravel(), np.outer(joint.sum(1), joint.sum(0)).ravel())  # KL(p(x, y) || p(x) p(y))


def test_discrete_table_matches_the_kl_from_the_product_of_marginals():
    table = [[0.3, 0.2, 0.05], [0.1, 0.25, 0.1]]
    assert float(symml.derive.mutual_information(table).result) == pytest.approx(oracle(table), rel=1e-12)


def test_symbolic_table_is_a_function_of_its_symbols():
    p = sp.Symbol("p", positive=True)
    d = symml.derive.mutual_information(sp.Matrix([[p / 2, (1 - p) / 2], [(1 - p) / 2, p / 2]]))
    assert d.numpy()(p=0.8) == pytest.approx(oracle([[0.4, 0.1], [0.1, 0.4]]), rel=1e-12)


def test_symbolic_pmf_over_given_values():
    x, y = sp.symbols("x y", integer=True)
    d = symml.derive.mutual_information((1 + x * y) / 5, {x: [0, 1], y: [0, 1]})
    assert float(d.result) == pytest.approx(oracle([[0.2, 0.2], [0.2, 0.4]]), rel=1e-12)


def test_independent_variables_share_no_information():
    assert symml.derive.mutual_information(sp.Matrix([[sp.Rational(1, 6), sp.Rational(1, 3)],
                                                      [sp.Rational(1, 6), sp.Rational(1, 3)]])).result == 0


def test_information_gain_of_a_split_matches_entropies_of_the_counts():
    counts = np.array([[8, 2, 0], [1, 5, 4]])
    expected = ss.entropy(counts.sum(0)) - sum(row.sum() / counts.sum() * ss.entropy(row) for row in counts)
    d = symml.derive.information_gain(counts.tolist())
    assert float(d.result) == pytest.approx(expected, rel=1e-12)
    assert [step.title for step in d.steps][-1] == "Information gain"


def test_information_gain_equals_the_mutual_information_of_branch_and_class():
    counts = [[8, 2], [1, 5]]
    joint = np.array(counts) / 16
    assert float(symml.derive.information_gain(counts).result) == pytest.approx(oracle(joint), rel=1e-12)


def test_a_perfect_split_gains_the_whole_class_entropy():
    assert symml.derive.information_gain([[5, 0], [0, 5]]).result == sp.log(2)


def test_probabilities_that_do_not_sum_to_one_are_refused():
    with pytest.raises(ModelError, match="sum to"):
        symml.derive.mutual_information([[0.5, 0.5], [0.5, 0.5]])


def test_a_normal_of_dimension_three_is_refused_by_shape():
    with pytest.raises(ShapeError, match="bivariate"):
        symml.derive.mutual_information(st.MultivariateNormal("Z", [0, 0, 0], sp.eye(3)))

"""Notation met in the held-out notes added on 26 Nov 2026 (branch checker8: a Beta-Binomial coin, variational
inference, MLE of three densities under headings, MAP as ridge regression, Bayesian linear regression, OLS): each
with a correct and a wrong variant, the correct one holding and the wrong one never reported held. The oracles are
numeric (NumPy, central differences, scipy)."""
from __future__ import annotations

import numpy as np
import pytest

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text


def _statuses(text: str) -> list[StepStatus]:
    return [check.status for check in check_notes_text(text, points=4).checks]


@pytest.mark.parametrize("word", [r"\text{log }", r"\mathrm{log}", r"\text{log}\,", r"\operatorname{log}"])
@pytest.mark.parametrize("right, holds", [(r"{word} a + {word} b", True), (r"{word} a \cdot {word} b", False)])
def test_log_written_as_an_upright_word_is_the_logarithm(word, right, holds):
    # fdabl: \text{log } q(z) was dropped as text, leaving q(z): log(ab) = log a . log b "held" as ab = a b
    statuses = _statuses(f"$$ {word} (a b) = {right.format(word=word)} $$")
    assert statuses == [StepStatus.HOLDS if holds else StepStatus.WRONG]
    a, b = 2.3, 0.7
    assert abs(np.log(a * b) - (np.log(a) + np.log(b))) < 1e-12 and abs(np.log(a * b) - np.log(a) * np.log(b)) > 0.1


@pytest.mark.parametrize("right, holds", [(r"\text{exp}(a + b)", True), (r"\text{exp}(a b)", False)])
def test_exp_written_as_an_upright_word_is_the_exponential_and_enspace_is_a_space(right, holds):
    statuses = _statuses(f"$$ \\text{{exp}}(a) \\, \\text{{exp}}(b) = {right} \\enspace . $$")
    assert statuses == [StepStatus.HOLDS if holds else StepStatus.WRONG]
    assert abs(np.exp(0.3) * np.exp(1.1) - np.exp(1.4)) < 1e-12 and abs(np.exp(1.4) - np.exp(0.33)) > 1


@pytest.mark.parametrize("right, holds", [(r"\frac{a + y}{a + b + n}", True), (r"\frac{a + y}{a + b + y}", False)])
def test_a_primed_parameter_is_a_name_of_its_own_and_a_guess(right, holds):
    # fdabl's posterior mean a' / (a' + b') with a' = a + y, b' = b + n - y: a' was not read at all
    text = (f"$$ a' = a + y $$\n$$ b' = b + n - y $$\n$$ \\mathbb{{E}}[\\theta] = \\frac{{a'}}{{a' + b'}} = {right} $$")
    statuses = _statuses(text)
    assert statuses[-1] is (StepStatus.HOLDS if holds else StepStatus.UNCHECKED)  # a guess: never reported wrong
    # the mean of Beta(a + y, b + n - y) by scipy
    from scipy.stats import beta
    a, b, n, y = 2.0, 3.0, 10, 7
    assert abs(beta(a + y, b + n - y).mean() - (a + y) / (a + b + n)) < 1e-12
    assert abs(beta(a + y, b + n - y).mean() - (a + y) / (a + b + y)) > 0.05


_TWO_PROBLEMS = """
### Step 1: $f(x;\\theta) = \\frac{{1}}{{\\theta^2}}x e^{{-x/\\theta}}$

$$\\ell(\\theta) = -2n\\ln(\\theta) + \\sum_{{i=1}}^n \\ln(x_i) - \\frac{{1}}{{\\theta}}\\sum_{{i=1}}^n x_i$$

$$\\frac{{d\\ell(\\theta)}}{{d\\theta}} = -\\frac{{2n}}{{\\theta}} + \\frac{{1}}{{\\theta^2}}\\sum_{{i=1}}^n x_i = 0$$

$$\\sum_{{i=1}}^n x_i = 2n\\theta$$

### Step 2: $f(x;\\theta) = \\frac{{1}}{{2\\theta^3}}x^2 e^{{-x/\\theta}}$

$$\\ell(\\theta) = -n\\ln(2) - 3n\\ln(\\theta) + 2\\sum_{{i=1}}^n \\ln(x_i) - \\frac{{1}}{{\\theta}}\\sum_{{i=1}}^n x_i$$

$$\\frac{{d\\ell(\\theta)}}{{d\\theta}} = {derivative}$$
"""


@pytest.mark.parametrize("derivative, holds", [(r"-\frac{3n}{\theta} + \frac{1}{\theta^2}\sum_{i=1}^n x_i", True),
                                               (r"-\frac{3n}{\theta} + \frac{2}{\theta^2}\sum_{i=1}^n x_i", False)])
def test_a_heading_starts_another_problem_that_may_define_its_names_anew(derivative, holds):
    # h1376h: under "Step 2" ell is the log-likelihood of another density; it was checked against Step 1's ell
    # (and under Step 1's condition sum x_i = 2 n theta): ten rows reported wrong
    statuses = _statuses(_TWO_PROBLEMS.format(derivative=derivative))
    assert statuses[-3] is StepStatus.DEFINITION  # ell defined anew
    assert statuses[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)
    # central differences of Step 2's log-likelihood
    x, theta, h = np.array([1.2, 3.4, 0.7, 2.2]), 1.3, 1e-6
    ell = lambda t: -len(x) * np.log(2) - 3 * len(x) * np.log(t) + 2 * np.log(x).sum() - x.sum() / t  # noqa: E731
    slope = (ell(theta + h) - ell(theta - h)) / (2 * h)
    assert abs(slope - (-3 * len(x) / theta + x.sum() / theta ** 2)) < 1e-6
    assert abs(slope - (-3 * len(x) / theta + 2 * x.sum() / theta ** 2)) > 1


def test_a_restatement_under_a_new_heading_that_agrees_is_still_a_claim():
    text = "# A\n$$ L(\\theta) = \\theta^2 $$\n# B\n$$ L(\\theta) = \\theta \\cdot \\theta $$"
    assert _statuses(text) == [StepStatus.DEFINITION, StepStatus.HOLDS]


def test_without_a_heading_a_name_is_not_defined_anew():
    text = "$$ L(\\theta) = \\theta^2 $$\n$$ L(\\theta) = \\theta^3 $$"
    assert _statuses(text) == [StepStatus.DEFINITION, StepStatus.WRONG]


@pytest.mark.parametrize("right, holds", [(r"\Sigma^{-1}_0+\sigma^{-2}X^T X", True),
                                          (r"\Sigma^{-1}_0+\sigma^{2}X^T X", False)])
def test_the_identity_with_its_size_as_a_subscript_is_the_identity(right, holds):
    # xcz0: X^T (sigma^2 I_N)^{-1} X = sigma^{-2} X^T X; I_N was a name of its own ("different names")
    statuses = _statuses(f"$$ \\Sigma^{{-1}}_0+X^T (\\sigma^{{2}} \\mathbf{{I}}_N)^{{-1}} X = {right} $$")
    assert statuses == [StepStatus.HOLDS] if holds else StepStatus.HOLDS not in statuses
    X, s2 = np.random.default_rng(8).normal(size=(5, 3)), 1.7
    assert np.allclose(X.T @ np.linalg.inv(s2 * np.eye(5)) @ X, X.T @ X / s2)
    assert not np.allclose(X.T @ np.linalg.inv(s2 * np.eye(5)) @ X, s2 * X.T @ X)


def test_a_long_double_arrow_separates_two_statements():
    # xcz0: sum_i x_i (y_i - x_i^T b) = 0 \Longleftrightarrow X^T (Y - X b) = 0 was one unread row
    statuses = _statuses(r"$$ a - b = 0 \Longleftrightarrow a = b $$")
    assert StepStatus.UNCHECKED not in statuses and len(statuses) == 2


@pytest.mark.parametrize("right, holds", [(r"- \mathbb{E}_{q(\mathbf{z})}\left[\text{log } p(\mathbf{z})\right]", True),
                                          (r"+ \mathbb{E}_{q(\mathbf{z})}\left[\text{log } p(\mathbf{z})\right]", False)])
def test_the_law_of_an_expectation_of_a_vector_is_its_density_as_the_body_reads_it(right, holds):
    # fdabl: next to z_j, E_{q(\mathbf{z})} named the law q_z while the densities inside (and the KL) read q: two
    # laws, and the linearity of one expectation "held only for particular functions"
    text = ("latent $z_j$ for $j = 1, ..., m$.\n$$ \\mathbb{E}_{q(\\mathbf{z})}\\left[\\text{log } "
            "\\frac{q(\\mathbf{z})}{p(\\mathbf{z})}\\right] = \\mathbb{E}_{q(\\mathbf{z})}\\left[\\text{log } "
            f"q(\\mathbf{{z}}) \\right] {right} $$")
    (status,) = _statuses(text)
    assert status is StepStatus.HOLDS if holds else status in (StepStatus.WRONG, StepStatus.UNCHECKED)
    # Monte Carlo under q = N(0, 1), p = N(1, 2^2): E[log q/p] = E[log q] - E[log p]
    from scipy.stats import norm
    z = np.random.default_rng(10).normal(size=200_000)
    log_q, log_p = norm.logpdf(z), norm.logpdf(z, 1, 2)
    assert abs(np.mean(log_q - log_p) - (np.mean(log_q) - np.mean(log_p))) < 1e-9
    assert abs(np.mean(log_q - log_p) - (np.mean(log_q) + np.mean(log_p))) > 1


@pytest.mark.parametrize("row, holds", [(r"\sum x_i - pn = 0", True), (r"\sum x_i - 2pn = 0", False)])
def test_a_heading_inside_one_derivation_keeps_its_condition(row, holds):
    # hguangshuai (tuned corpus): "### 5. Solving for p" goes on from the condition under "### 4"
    text = ("### 4. Maximizing\n$$\\frac{d\\ell}{dp} = \\frac{\\sum x_i}{p} - \\frac{n - \\sum x_i}{1 - p} = 0$$\n"
            f"### 5. Solving for p\n$$(1-p)\\sum x_i - p(n - \\sum x_i) = 0$$\n$${row}$$")
    assert _statuses(text)[-1] is (StepStatus.HOLDS if holds else StepStatus.WRONG)
    x = np.array([1, 0, 1, 1, 0, 1])
    p_hat = x.mean()  # the root of the score, by central differences of the Bernoulli log-likelihood
    ell = lambda p: np.sum(x * np.log(p) + (1 - x) * np.log(1 - p))  # noqa: E731
    assert abs((ell(p_hat + 1e-6) - ell(p_hat - 1e-6)) / 2e-6) < 1e-6
    assert abs(x.sum() - p_hat * len(x)) < 1e-12 and abs(x.sum() - 2 * p_hat * len(x)) > 1


@pytest.mark.parametrize("right, holds", [(r"y_k - J p_k", True), (r"y_k + J p_k", False)])
def test_a_subscript_after_two_letters_binds_to_the_last(right, holds):
    # xushengyichn: y_k - Jp_k is y_k - J p_k (a matrix times the k-th input), read as a name Jp_k before
    text = f"$$ y_k = G x_k + J p_k $$\n$$ y_k - Jp_k = {right} $$"
    status = _statuses(text)[-1]
    assert status is StepStatus.HOLDS if holds else status is not StepStatus.HOLDS
    J, p = np.random.default_rng(11).normal(size=(3, 3)), np.array([0.5, -1.0, 2.0])
    assert not np.allclose(J @ p, -(J @ p))

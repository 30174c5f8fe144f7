"""Readings added on branch checker12 from the census of the held-out notes' undecided steps (densities with a
parameter subscript and a bar, primed sum indices with limits): each with a correct and a wrong variant, the
correct one holding and the wrong one never reported held. The oracles are numeric (NumPy, SciPy)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy.stats import multivariate_normal, norm

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text


def _statuses(text: str, line: int) -> list[StepStatus]:
    return [c.status for c in check_notes_text(text, points=4).checks if c.line == line]


def _joint_conditional_and_marginal(x: Any, z: Any) -> tuple[Any, Any, Any]:
    """p(x, z), p(x | z) and p(z) of a correlated bivariate normal (scipy's densities), at (x, z) (arrays too)."""
    joint = multivariate_normal([0.3, -0.2], [[1.0, 0.6], [0.6, 2.0]]).pdf(np.stack(np.broadcast_arrays(x, z), -1))
    marginal = norm(-0.2, np.sqrt(2.0)).pdf(z)
    conditional = norm(0.3 + 0.6 / 2.0 * (np.asarray(z) + 0.2), np.sqrt(1.0 - 0.6 ** 2 / 2.0)).pdf(x)
    return joint, conditional, marginal


def test_the_oracle_product_rule_of_the_bivariate_normal():
    joint, conditional, marginal = _joint_conditional_and_marginal(0.7, -1.1)
    assert abs(joint - conditional * marginal) < 1e-12 and abs(joint - conditional) > 0.1


def test_the_product_rule_holds_for_a_density_with_a_parameter_subscript():
    # adi14041999 (a VAE's ELBO), row 56: p_theta(x, z) = p_theta(x | z) p_theta(z) was undecided
    assert _statuses(r"$$p_\theta(x,z) = p_\theta(x|z)p_\theta(z)$$", 1) == [StepStatus.HOLDS]


@pytest.mark.parametrize("right", [r"p_\theta(x|z)", r"p_\theta(z|x)p_\theta(z)"])
def test_a_conditional_with_a_parameter_subscript_is_not_the_joint(right):
    # p_theta(x | z) was read as p_theta(x, z, theta), the joint itself: p_theta(x, z) = p_theta(x | z) "held"
    statuses = _statuses(f"$$p_\\theta(x,z) = {right}$$", 1)
    assert StepStatus.HOLDS not in statuses and StepStatus.WRONG not in statuses  # densities the notes leave open
    joint, conditional, _ = _joint_conditional_and_marginal(0.7, -1.1)
    assert abs(joint - conditional) > 0.1  # the step is wrong for a bivariate normal


@pytest.mark.parametrize("right, holds", [
    (r"\mathbb{E}_{q_\phi(z|x)}[\log p_\theta(x|z)] + \mathbb{E}_{q_\phi(z|x)}[\log p_\theta(z)]", True),
    (r"\mathbb{E}_{q_\phi(z|x)}[\log p_\theta(x|z)]", False),
])
def test_inside_an_expectation_a_parametrised_conditional_is_the_joint_over_the_marginal(right, holds):
    # adi14041999, rows 60-64: the ELBO split into the reconstruction and prior terms
    statuses = _statuses(f"$$\\mathbb{{E}}_{{q_\\phi(z|x)}}[\\log p_\\theta(x,z)] = {right}$$", 1)
    assert (StepStatus.HOLDS in statuses) is holds and StepStatus.WRONG not in statuses
    # Monte Carlo under q = N(0.5, 1): E[log p(x, z)] against E[log p(x | z)] (+ E[log p(z)]), at x = 0.7
    z = np.random.default_rng(12).normal(0.5, 1.0, 2000)
    joint, conditional, marginal = (np.log(density) for density in _joint_conditional_and_marginal(0.7, z))
    assert np.allclose(joint, conditional + marginal)
    assert abs(np.mean(joint) - np.mean(conditional)) > 0.5


@pytest.mark.parametrize("right, status", [(r"-(x - \theta z) z", StepStatus.HOLDS),
                                           (r"-(x - \theta z)", StepStatus.WRONG)])
def test_a_parametrised_conditional_the_notes_define_is_differentiated_by_its_parameter(right, status):
    # the planted error: d/dtheta of -log p_theta(x | z), p_theta(x | z) = N(x; theta z, 1), without its factor z
    text = ("$$p_\\theta(x \\mid z) = \\frac{1}{\\sqrt{2\\pi}} \\exp\\left(-\\frac{(x - \\theta z)^2}{2}\\right)$$\n\n"
            f"$$-\\nabla_\\theta \\log p_\\theta(x \\mid z) = {right}$$\n")
    assert _statuses(text, 3) == [status]
    x, z, theta, h = 0.7, -1.3, 0.4, 1e-6  # central differences of scipy's log density
    score = -(norm(theta * z + h * z, 1).logpdf(x) - norm(theta * z - h * z, 1).logpdf(x)) / (2 * h)
    assert abs(score - (-(x - theta * z) * z)) < 1e-6 and abs(score - (-(x - theta * z))) > 0.1


@pytest.mark.parametrize("right, holds", [
    (r"u_j - \log\sum_{j'=1}^{V}\exp\left(u_{j'}\right)", True),
    (r"u_j - \sum_{j'=1}^{V} u_{j'}", False),
])
def test_a_primed_sum_index_with_limits_is_a_sum_index(right, holds):
    # jli05 (word2vec), rows 7 and 11: \sum_{j'=1}^{V} was "a sum over a set or with a condition on its index"
    text = f"Let $V = 3$.\n\n$$\\log \\frac{{\\exp(u_j)}}{{\\sum_{{j'=1}}^{{V}}\\exp(u_{{j'}})}} = {right}$$\n"
    statuses = _statuses(text, 3)
    assert (StepStatus.HOLDS in statuses) is holds and (StepStatus.WRONG in statuses) is not holds
    u = np.random.default_rng(7).normal(size=3)
    log_softmax = u - np.log(np.sum(np.exp(u)))
    assert np.allclose(log_softmax, u - np.logaddexp.reduce(u)) and not np.allclose(log_softmax, u - np.sum(u))


@pytest.mark.parametrize("sign, holds", [("-", True), ("", False)])
def test_a_divergence_from_a_conditional_law_is_the_expectation_under_that_law(sign, holds):
    # adi14041999, rows 68-84: D_KL(q(z | x) || p(z)) was "a divergence between these laws is not read" (its first
    # law was read as q(x, z) / q(x), Bayes' rule inside the divergence, not as the law of z given x)
    text = ("$$\\mathbb{E}_{q(z|x)}[\\log p(z)] - \\mathbb{E}_{q(z|x)}[\\log q(z|x)] = "
            f"{sign}D_{{KL}}(q(z|x) \\| p(z))$$\n")
    statuses = _statuses(text, 1)
    assert (StepStatus.HOLDS in statuses) is holds and StepStatus.WRONG not in statuses
    # q(z | x) = N(a, 1), p(z) = N(0, 1): E_q[log p - log q] by Monte Carlo is -KL = -a^2 / 2, not +a^2 / 2
    a, z = 0.8, np.random.default_rng(3).normal(0.8, 1.0, 200_000)
    expected = np.mean(norm(0, 1).logpdf(z) - norm(a, 1).logpdf(z))
    assert abs(expected - (-a ** 2 / 2)) < 0.01 and abs(expected - a ** 2 / 2) > 0.5


@pytest.mark.parametrize("right, holds", [(r"\frac{n(n-1)}{2}", True), (r"n(n-1)", False)])
def test_binom_is_the_binomial_coefficient(right, holds):
    # n1o (GLMs), row 45: "\log \binom{N_i}{y_i}" was "the command \binom is not supported"
    from scipy.special import comb

    statuses = _statuses(f"$$\\binom{{n}}{{2}} = {right}$$\n", 1)
    assert statuses == [StepStatus.HOLDS if holds else StepStatus.WRONG]
    assert all(comb(n, 2, exact=True) == n * (n - 1) // 2 != n * (n - 1) for n in range(2, 30))


@pytest.mark.parametrize("right, holds", [(r"2 {\bf x}^{T} {\bf y}", True), (r"{\bf x}^{T} {\bf y}", False)])
def test_the_plain_tex_bold_switch_is_read_through_like_mathbf(right, holds):
    # takahiro (kernel ridge), rows 12-25: "{\bf w} = ({\bf \Phi}^T {\bf \Phi} + \lambda {\bf I})^{-1} ..." was "the
    # command \bf is not supported"
    text = ("Let ${\\bf x} \\in \\mathbb{R}^d$ and ${\\bf y} \\in \\mathbb{R}^d$.\n\n"
            f"$${{\\bf x}}^{{T}} {{\\bf y}} + {{\\bf y}}^{{T}} {{\\bf x}} = {right}$$\n")
    statuses = _statuses(text, 3)
    assert (StepStatus.HOLDS in statuses) is holds and (StepStatus.WRONG in statuses) is not holds
    x, y = np.random.default_rng(5).normal(size=(2, 4))
    assert abs(x @ y + y @ x - 2 * x @ y) < 1e-12 and abs(x @ y + y @ x - x @ y) > 1e-3


@pytest.mark.parametrize("right, holds", [(r"x_i - \log \sum_{k=1}^{n} e^{x_k}", True),
                                          (r"x_i + \log \sum_{k=1}^{n} e^{x_k}", False)])
def test_a_subscript_after_a_call_is_an_entry_of_the_functions_value(right, holds):
    # mattpetersen (softmax), rows 4-34, and telhc, row 4: "s(\mathbf x)_i = ..." was "unexpected input at _ i"
    text = ("$$s(\\mathbf x)_i = \\frac{e^{x_i}}{\\sum_{k=1}^{n} e^{x_k}}$$\n\n"
            f"$$\\log s(\\mathbf x)_i = {right}$$\n")
    statuses = _statuses(text, 3)
    # the wrong variant differs at its counterexample, but x alone beside x_i is read as a number (a guess): unchecked
    assert (StepStatus.HOLDS in statuses) is holds and StepStatus.WRONG not in statuses
    x = np.random.default_rng(4).normal(size=5)
    log_softmax = np.log(np.exp(x) / np.sum(np.exp(x)))
    normaliser = np.logaddexp.reduce(x)
    assert np.allclose(log_softmax, x - normaliser) and not np.allclose(log_softmax, x + normaliser)

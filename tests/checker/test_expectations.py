r"""The notes checker reads expectations, variances, covariances, divergences and integrals against a density
as a linear operator under a law (symml/checker/expectations.py, symml/checker/latex_expectations.py): each
notation holds in its correct form and is reported wrong in a realistic wrong one; a reading that had to guess
which names are random is never reported wrong.

The independent check of each judgement: every identity below is evaluated by Monte Carlo on a concrete law
(test_the_judgements_agree_with_monte_carlo_on_a_concrete_law).
"""
from __future__ import annotations

import numpy as np
import pytest

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text

#: (notation, a correct claim, the same claim with a realistic error)
CLAIMS = [
    ("E[X], linearity", r"E[2X + 3] = 2E[X] + 3", r"E[2X + 3] = 2E[X] + 6"),
    (r"\mathrm{Var} by its definition", r"\mathrm{Var}(X) = E[X^2] - E[X]^2", r"\mathrm{Var}(X) = E[X^2] + E[X]^2"),
    (r"\mathrm{Var} of an affine map", r"\mathrm{Var}(2X + 1) = 4 \mathrm{Var}(X)",
     r"\mathrm{Var}(2X + 1) = 2 \mathrm{Var}(X)"),
    (r"\mathrm{Cov}", r"\mathrm{Cov}(X, Y) = E[XY] - E[X]E[Y]", r"\mathrm{Cov}(X, Y) = E[XY] + E[X]E[Y]"),
    (r"\mathbb{E}_q, the law's variable from the body",
     r"\mathbb{E}_{q}[\log q(z) - \log p(x, z)] = \mathbb{E}_q[\log q(z)] - \mathbb{E}_q[\log p(x, z)]",
     r"\mathbb{E}_{q}[\log q(z) - \log p(x, z)] = \mathbb{E}_q[\log q(z)] + \mathbb{E}_q[\log p(x, z)]"),
    (r"E_{z \sim q(z)}, a constant comes out", r"\mathbb{E}_{z \sim q(z)}[\log p(x)] = \log p(x)",
     r"\mathbb{E}_{z \sim q(z)}[\log p(x)] = 2 \log p(x)"),
    (r"\langle \cdot \rangle_{p(x)}", r"\langle 2x + 1 \rangle_{p(x)} = 2\langle x \rangle_{p(x)} + 1",
     r"\langle 2x + 1 \rangle_{p(x)} = 2\langle x \rangle_{p(x)} + 2"),
    (r"\mathrm{KL} as an integral against q", r"\mathrm{KL}(q(z) \| p(z)) = \int q(z) \log \frac{q(z)}{p(z)} dz",
     r"\mathrm{KL}(q(z) \| p(z)) = \int q(z) \log \frac{p(z)}{q(z)} dz"),
    (r"D_{KL} as an expectation", r"D_{KL}[q(z) || p(z)] = \mathbb{E}_{q(z)}[\log q(z) - \log p(z)]",
     r"D_{KL}[q(z) || p(z)] = \mathbb{E}_{q(z)}[\log p(z) - \log q(z)]"),
    (r"\int with the integrand running to dz",
     r"\int q(z) \log q(z) - q(z) \log p(z) \, dz = \mathbb{E}_{q(z)}[\log q(z)] - \mathbb{E}_{q(z)}[\log p(z)]",
     r"\int q(z) \log q(z) - q(z) \log p(z) \, dz = \mathbb{E}_{q(z)}[\log q(z)] + \mathbb{E}_{q(z)}[\log p(z)]"),
    (r"E_{\epsilon \sim \mathcal{N}(0, 1)}: the moments of the named law",
     r"\mathbb{E}_{\epsilon \sim \mathcal{N}(0, 1)}[(\mu + \sigma \epsilon)^2] = \mu^2 + \sigma^2",
     r"\mathbb{E}_{\epsilon \sim \mathcal{N}(0, 1)}[(\mu + \sigma \epsilon)^2] = \mu^2 + 2 \sigma^2"),
    (r"\sum_z over a latent variable: the marginal", r"\log p(x) = \log \sum_z p(x, z)",
     r"\log p(x) = \log \sum_z p(x, z) + 1"),
    (r"\int against a written-out normal density: its moments",
     r"\int_{-\infty}^{\infty} \mathcal{N}(x; \mu, \sigma^2) \, x^2 \, dx = \mu^2 + \sigma^2",
     r"\int_{-\infty}^{\infty} \mathcal{N}(x; \mu, \sigma^2) \, x^2 \, dx = \mu^2 + 2 \sigma^2"),
]


def _statuses(claim: str) -> list[StepStatus]:
    return [check.status for check in check_notes_text(f"$$ {claim} $$", kind="md").checks]


@pytest.mark.parametrize("notation, right, wrong", CLAIMS, ids=[c[0] for c in CLAIMS])
def test_an_expectation_claim_holds_and_its_wrong_variant_is_reported_wrong(notation, right, wrong):
    assert _statuses(right) == [StepStatus.HOLDS]
    assert _statuses(wrong) == [StepStatus.WRONG]


def test_an_expectation_that_does_not_say_which_names_are_random_is_never_reported_wrong():
    # a and b may be constants or random: E[aX + b] = aE[X] + 2b is not shown wrong on a guess
    assert StepStatus.WRONG not in _statuses(r"E[a X + b] = a E[X] + 2 b")


def test_the_law_of_an_expectation_carries_to_the_rows_that_follow():
    notes = ("$$ \\mathrm{KL}(q(z) \\| p(z \\mid x)) = \\int q(z) \\log \\frac{q(z)}{p(z \\mid x)} dz $$\n"
             "$$ \\mathbb{E}_q[\\log q(z) + \\log p(x)] = \\mathbb{E}_q[\\log q(z)] + \\log p(x) $$\n")
    assert [c.status for c in check_notes_text(notes, kind="md").checks] == [StepStatus.HOLDS, StepStatus.HOLDS]


def test_inside_an_expectation_a_conditional_density_is_the_joint_over_the_marginal():
    # Bayes' rule, as ELBO derivations use it: p(z | x) = p(x, z) / p(x), and p(z, x) is the joint p(x, z)
    right = r"\mathbb{E}_{z \sim q(z)}[\log p(z \mid x)] = \mathbb{E}_{z \sim q(z)}[\log p(z, x)] - \log p(x)"
    assert _statuses(right) == [StepStatus.HOLDS]
    # the wrong sign is not shown to hold (p of one and of two arguments: no random function can stand for both,
    # so it is undecided rather than wrong)
    assert StepStatus.HOLDS not in _statuses(right.replace("- \\log p(x)", "+ \\log p(x)"))
    elbo = r"\log p(x) = \mathbb{E}_{z \sim q(z)}[\log \frac{p(x \mid z) p(z)}{p(z \mid x)}]"
    assert _statuses(elbo) == [StepStatus.HOLDS]


def test_the_judgements_agree_with_monte_carlo_on_a_concrete_law():
    # an independent check of the claims above on X ~ Gamma(2, 1.5), Y = X + noise, q = N(0.3, 1), p = N(-1, 2^2)
    rng = np.random.default_rng(0)
    X = rng.gamma(2.0, 1.5, 400_000)
    Y = 0.5 * X + rng.normal(0.0, 1.0, X.size)
    E = np.mean
    assert abs(E(2 * X + 3) - (2 * E(X) + 3)) < 1e-9 and abs(E(2 * X + 3) - (2 * E(X) + 6)) > 1
    assert abs(np.var(X) - (E(X ** 2) - E(X) ** 2)) < 1e-9 and abs(np.var(2 * X + 1) - 4 * np.var(X)) < 1e-6
    assert abs(np.var(2 * X + 1) - 2 * np.var(X)) > 1
    assert abs(E(X * Y) - E(X) * E(Y) - np.cov(X, Y, bias=True)[0, 1]) < 1e-9
    z = rng.normal(0.3, 1.0, 400_000)
    log_q = -0.5 * (z - 0.3) ** 2 - 0.5 * np.log(2 * np.pi)
    log_p = -0.5 * ((z + 1) / 2) ** 2 - np.log(2) - 0.5 * np.log(2 * np.pi)
    kl_closed_form = np.log(2 / 1) + (1 + (0.3 + 1) ** 2) / (2 * 4) - 0.5
    assert abs(E(log_q - log_p) - kl_closed_form) < 0.01  # KL(q || p) = E_q[log q - log p]
    assert abs(E(log_p - log_q) - kl_closed_form) > 0.5  # the wrong variant's sign
    assert abs(E(z ** 2) - (0.3 ** 2 + 1)) < 0.01 and abs(E(z ** 2) - (0.3 ** 2 + 2)) > 0.5  # the normal's moment


_ONE_HOT_STEPS = "$$ \\frac{\\partial L}{\\partial z_i} = a_i \\sum_k y_k - y_i $$\n$$ = FINAL $$\n"


def _last_status(text: str) -> StepStatus:
    return check_notes_text(text, kind="md").checks[-1].status


def test_a_step_that_uses_one_hot_labels_holds_when_the_notes_state_that_they_sum_to_one():
    stated = "The labels are one-hot, $\\sum_k y_k = 1$.\n\n"
    assert _last_status(stated + _ONE_HOT_STEPS.replace("FINAL", "a_i - y_i")) is StepStatus.HOLDS
    assert _last_status(_ONE_HOT_STEPS.replace("FINAL", "a_i - y_i")) is StepStatus.UNCHECKED  # not stated
    assert _last_status("Centred: $\\sum_k y_k = 0$.\n\n" + _ONE_HOT_STEPS.replace("FINAL", "a_i - y_i")) \
        is StepStatus.UNCHECKED  # another fact than the one the step needs
    assert _last_status(stated + _ONE_HOT_STEPS.replace("FINAL", "a_i - 2 y_i")) is StepStatus.WRONG


def test_a_declared_normal_law_gives_the_moments_of_its_variable():
    declared = "$$ X \\sim \\mathcal{N}(\\mu, \\sigma^2) $$\n"
    assert _last_status(declared + "$$ E[X^2] = \\mu^2 + \\sigma^2 $$\n") is StepStatus.HOLDS
    assert _last_status(declared + "$$ E[X^2] = \\mu^2 + 2 \\sigma^2 $$\n") is StepStatus.WRONG
    assert _last_status(declared + "$$ \\mathrm{Var}(3 X) = 9 \\sigma^2 $$\n") is StepStatus.HOLDS


def test_the_density_of_a_named_law_is_a_convention_so_it_can_show_a_step_holds_but_never_wrong():
    declared = "$$ P: X \\sim \\mathcal{N}(\\mu_1, \\sigma_1^2) $$\n"
    assert _last_status(declared + "$$ \\langle x^2 \\rangle_{p(x)} = \\mu_1^2 + \\sigma_1^2 $$\n") is StepStatus.HOLDS
    assert _last_status(declared + "$$ \\langle x^2 \\rangle_{p(x)} = \\mu_1^2 $$\n") is not StepStatus.WRONG


def test_a_variable_declared_with_two_laws_has_neither():
    declared = ("$$ P: X \\sim \\mathcal{N}(\\mu_1, \\sigma_1^2) $$\n"
                "$$ Q: X \\sim \\mathcal{N}(\\mu_2, \\sigma_2^2) $$\n")
    assert _last_status(declared + "$$ E[X^2] = \\mu_2^2 + \\sigma_2^2 $$\n") is not StepStatus.HOLDS

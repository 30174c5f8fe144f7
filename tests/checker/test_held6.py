"""Notation and structures met in the held-out notes added on 26 Nov 2026 (branch checkheld6: GDA, variational
Bayes, batch normalization, momentum and Adam, Bayesian linear regression, QDA), and the typed claims that stayed
undecided: each with a correct and a wrong variant, the correct one holding and the wrong one caught (or, where
the reading is ambiguous, never reported wrong). The oracles are central differences and numpy."""
from __future__ import annotations

import re

import numpy as np
import pytest

import symml
from symml.checker import StepStatus
from symml.checker.notes import check_notes_text


def _statuses(text: str) -> list[StepStatus]:
    return [check.status for check in check_notes_text(text, points=4).checks]


def _values(counterexample) -> dict[str, float]:
    return {str(name): float(value) for name, value in counterexample.values}


@pytest.mark.parametrize("right, status", [(r"-2(a - \mu)", StepStatus.HOLDS), (r"2(a - \mu)", StepStatus.WRONG)])
def test_a_name_given_a_value_in_a_variable_depends_on_it_under_a_derivative(right, status):
    # kevinzakka's batch norm: sigma^2 = (1/m) sum_i (x_i - mu)^2, then d sigma^2 / d mu; it was differentiated as
    # a constant and the correct step reported wrong. The notes' own reading (tau^2 a function of mu) must hold,
    # and a step is wrong only where tau^2 read as a constant fails too.
    text = r"$$\tau^2 = (a - \mu)^2 + 1$$" "\n\n" f"$$\\frac{{\\partial \\tau^2}}{{\\partial \\mu}} = {right}$$"
    assert _statuses(text) == [StepStatus.CONDITION, status]
    a, mu, h = 0.4, 1.3, 1e-6
    slope = (((a - mu - h) ** 2 + 1) - ((a - mu + h) ** 2 + 1)) / (2 * h)
    assert abs(slope - (-2 * (a - mu))) < 1e-6 and abs(slope - 2 * (a - mu)) > 1


@pytest.mark.parametrize("closed_form", [r"(1 - \beta) \sum_{t = 1}^n \beta^{n - t} \delta_t",
                                         r"\sum_{t = 1}^n \beta^{n - t} \delta_t"])
def test_an_element_before_the_current_one_is_not_a_size(closed_form):
    # m_{t-1} in an exponential moving average is the previous average, not a size like m: read as a positive
    # integer it vanished from the names compared and the correct closed form (the first) was reported wrong
    text = (r"$$m_t = \beta m_{t - 1} + (1 - \beta) \delta_t$$" "\n\n" f"$$m_n = {closed_form}$$")
    assert StepStatus.WRONG not in _statuses(text)
    beta, deltas, average = 0.9, np.array([0.3, -1.2, 2.0]), 0.0
    for delta in deltas:
        average = beta * average + (1 - beta) * delta
    unrolled = (1 - beta) * sum(beta ** (3 - t) * deltas[t - 1] for t in (1, 2, 3))
    assert abs(average - unrolled) < 1e-12 and abs(average - unrolled / (1 - beta)) > 0.1


def test_jensen_reversed_is_wrong_for_a_law_it_names_and_jensen_holds():
    assert symml.check_steps([r"\log\mathbb{E}_q[A] \ge \mathbb{E}_q[\log A]"]).checks[0].status is StepStatus.HOLDS
    wrong = symml.check_steps([r"\log\mathbb{E}_q[A] \le \mathbb{E}_q[\log A]"], points=4).first_wrong
    assert wrong is not None
    values = _values(wrong.counterexample)
    weights = np.array([values[f"E_q: P(outcome {o})"] for o in (1, 2, 3)])
    outcomes = np.array([values[f"A(outcome {o})"] for o in (1, 2, 3)])
    assert abs(weights.sum() - 1) < 1e-12
    assert np.log(weights @ outcomes) > weights @ np.log(outcomes) + 1e-3  # the law breaks the reversed bound


def test_the_svm_derivative_in_b_without_the_labels_is_wrong_when_typed():
    lagrangian = (r"\frac{\partial}{\partial b}\left(\frac{1}{2}\|\mathbf{w}\|^2 - \sum_{i=1}^n \alpha_i "
                  r"(y_i(\mathbf{w}^\top\mathbf{x}_i + b) - 1)\right) = ")
    assert symml.check_steps([lagrangian + r"-\sum_{i=1}^n\alpha_i y_i"], points=4).checks[0].status \
        is StepStatus.HOLDS
    wrong = symml.check_steps([lagrangian + r"-\sum_{i=1}^n\alpha_i"], points=4).first_wrong
    assert wrong is not None
    values = _values(wrong.counterexample)
    n = int(values["n"])
    alpha = np.array([values[f"alpha[{i}]"] for i in range(1, n + 1)])
    y = np.array([values[f"y[{i}]"] for i in range(1, n + 1)])
    w, x, h = 0.7, np.linspace(-1, 1, n), 1e-6
    dual = lambda b: 0.5 * w ** 2 - np.sum(alpha * (y * (w * x + b) - 1))  # noqa: E731
    slope = (dual(0.2 + h) - dual(0.2 - h)) / (2 * h)
    assert abs(slope - (-np.sum(alpha * y))) < 1e-6 and abs(slope - (-np.sum(alpha))) > 1e-3


def test_gmm_responsibilities_without_the_prior_are_wrong_under_a_joint_law():
    claim = r"P(Z = k \mid X = x) = \frac{P(X = x \mid Z = k)P(Z = k)}{\sum_{j=1}^K P(X = x \mid Z = j)%s}"
    assert symml.check_steps([claim % r"P(Z = j)"], points=4).checks[0].status is StepStatus.HOLDS
    wrong = symml.check_steps([claim % ""], points=4).first_wrong
    assert wrong is not None
    cells = {name: value for name, value in _values(wrong.counterexample).items() if name.startswith("P(X ")}
    joint = {}
    for name, mass in cells.items():
        at_x, z = re.fullmatch(r"P\(X (=|≠) x, Z = (\d)\)", name).groups()
        joint[(at_x == "=", int(z))] = mass
    p_x = sum(mass for (at_x, _), mass in joint.items() if at_x)
    p_z = {z: joint[(True, z)] + joint[(False, z)] for z in (1, 2, 3)}
    posterior = joint[(True, 1)] / p_x  # P(Z = 1 | X = x)
    without_prior = joint[(True, 1)] / sum(joint[(True, z)] / p_z[z] for z in (1, 2, 3))
    with_prior = joint[(True, 1)] / sum(joint[(True, z)] for z in (1, 2, 3))
    assert abs(sum(cells.values()) - 1) < 1e-12 and abs(posterior - with_prior) < 1e-12
    assert abs(posterior - without_prior) > 1e-3


@pytest.mark.parametrize("constant, right, status", [
    (r"C_2", r"-\frac{1}{2}w^2 + a w + C_2", StepStatus.HOLDS),
    (r"\text{const.}", r"-\frac{1}{2}w^2 + a w + \text{const.}", StepStatus.HOLDS),
    (r"C_2", r"-\frac{1}{2}w^2 + 2 a w + C_3", StepStatus.CONDITION),
    (r"\text{const}", r"-\frac{1}{2}w^2 + 2 a w + \text{const}", StepStatus.WRONG)])
def test_a_row_equal_up_to_a_constant_in_the_chains_variable_holds(constant, right, status):
    # btabibian's variational factor and algorithmikee's log posterior: "+ C_3", "+ const." absorb what does not
    # depend on the variable of interest (w in ln p(w)); a term in w absorbed is a slip (never hidden by new names)
    text = (f"$$\\begin{{align}} \\ln p(w) &= -\\frac{{1}}{{2}}(w - a)^2 + {constant} \\\\ &= {right} "
            "\\end{align}$$")
    assert _statuses(text) == [StepStatus.DEFINITION, status]
    w = np.linspace(-2, 2, 5)
    difference = -(w - 0.3) ** 2 / 2 - (-w ** 2 / 2 + 0.3 * w)
    assert np.ptp(difference) < 1e-12 and np.ptp(difference - 0.3 * w) > 1  # a constant; then a term in w


def test_a_blockquoted_display_is_read():
    # algorithmikee sets results apart as quotes: "> $$ ... $$", each line of the display starting with ">"
    for right, status in ((r"a + 2b", StepStatus.HOLDS), (r"a + b", StepStatus.WRONG)):
        text = f"> $$\n> \\begin{{align}}\n> a + b + b &= {right}\n> \\end{{align}}\n> $$"
        assert _statuses(text) == [status]


def test_a_name_defined_in_words_or_as_a_set_is_no_claim():
    # btabibian's N = \text{number of data points}, tohhongxiang's I_0 = \{i : y^{(i)} = 0\}: what the names mean
    assert _statuses(r"$$N = \text{number of data points}$$") == [StepStatus.GIVEN]
    assert _statuses(r"$$I_0 = \{i: y^{(i)} = 0 \}$$") == [StepStatus.GIVEN]
    assert _statuses(r"$$a = \{b + c\} = b + c$$")[-1] is StepStatus.HOLDS  # braces that group are not a set


@pytest.mark.parametrize("right, status", [(r"\lambda_0\mu^2 - 2\lambda_0\mu_0\mu + \lambda_0\mu_0^2", StepStatus.HOLDS),
                                           (r"\lambda_0\mu^2 + \lambda_0\mu_0^2", StepStatus.WRONG)])
def test_a_subscripted_greek_parameter_before_a_bracket_multiplies_it(right, status):
    # btabibian's lambda_0(mu - mu_0)^2 is the prior precision times a square, not a function lambda_0 applied
    assert _statuses(f"$$ \\lambda_0(\\mu-\\mu_0)^2 = {right} $$") == [status]
    lam, mu, mu0 = 1.7, 0.4, -0.9
    assert abs(lam * (mu - mu0) ** 2 - (lam * mu ** 2 - 2 * lam * mu0 * mu + lam * mu0 ** 2)) < 1e-12


def test_a_function_with_a_raised_plus_is_the_updated_function():
    # btabibian's q_mu^+(mu): the factor after an update, a function of mu (e^{+(...)} is not written)
    assert _statuses(r"$$ \frac{d}{d\mu} \ln q_\mu^+(\mu) = \frac{q_\mu^+{}'(\mu)}{q_\mu^+(\mu)} $$") \
        != [StepStatus.WRONG]
    assert _statuses(r"$$ q_\mu^+(\mu) = e^{-\mu^2} \\ \ln q_\mu^+(\mu) = -\mu^2 $$")[-1] is StepStatus.HOLDS


@pytest.mark.parametrize("right, status", [(r"\frac{1}{N}\sum_{n=1}^N x_n", StepStatus.HOLDS),
                                           (r"\frac{1}{N}\sum_{n=1}^N x_n^2", StepStatus.WRONG)])
def test_a_sum_over_a_letter_that_is_also_a_size_keeps_its_index(right, status):
    # btabibian writes the mean as (1/N) sum_{n=1}^N x_n: n is the sum's index there, a size elsewhere; putting a
    # value in for the size captured the index ("Invalid limits"), and x bar was the mean over n, not N
    assert _statuses(f"$$ \\bar{{x}} = {right} $$") == [status]
    x = np.array([0.5, -1.0, 2.5])
    assert abs(x.mean() - x.sum() / 3) < 1e-12 and abs(x.mean() - (x ** 2).sum() / 3) > 0.5


@pytest.mark.parametrize("rest, status", [(r"+ \sum_{i = 1}^n y_i \log \phi", StepStatus.HOLDS),
                                          (r"+ \sum_{i = 1}^n y_i \log (2\phi)", StepStatus.WRONG)])
def test_a_row_that_goes_on_after_spacing_continues_the_expression(rest, status):
    # tohhongxiang's "\\ & \qquad+ \sum_{i = 1}^n y^{(i)} \log \phi": the spacing lines the term up under the
    # right side above; it was taken for a justification and dropped (its sum's "i = 1" for a relation)
    text = ("$$\\begin{align*} \\sum_{i=1}^n (x_i + y_i \\log \\phi) &= \\sum_{i=1}^n x_i \\\\\n"
            f"& \\qquad{rest} \\end{{align*}}$$")
    assert _statuses(text) == [status]
    x, y, phi = np.array([0.2, 1.0, -0.5]), np.array([1.0, 0.0, 1.0]), 0.3
    assert abs(np.sum(x + y * np.log(phi)) - (np.sum(x) + np.sum(y * np.log(phi)))) < 1e-12
    assert abs(np.sum(x + y * np.log(phi)) - (np.sum(x) + np.sum(y * np.log(2 * phi)))) > 0.5


@pytest.mark.parametrize("right, status", [(r"\frac{n_1}{\phi} - \frac{n_0}{1 - \phi}", StepStatus.HOLDS),
                                           (r"\frac{n_1}{\phi} - \frac{n_1}{1 - \phi}", StepStatus.UNCHECKED)])
def test_names_defined_in_a_bullet_after_the_display_are_used_together(right, status):
    # tohhongxiang: "... = n_1/phi - n_0/(1 - phi)" then the bullet "- where $n_1 = sum_i y_i$ and $n_0 = n - ...$"
    text = ("$$\n\\frac{1}{\\phi} \\sum_{i=1}^n y_i - \\frac{1}{1 - \\phi} \\left(n - \\sum_{i=1}^n y_i \\right) = "
            f"{right}\n$$\n- where $n_1 = \\sum_{{i=1}}^n y_i$ and $n_0 = n - \\sum_{{i=1}}^n y_i$\n")
    assert _statuses(text) == [status]  # the wrong one is not made wrong by a fact (a guess at what it defines)
    y, phi = np.array([1.0, 0.0, 1.0, 1.0]), 0.35
    n_1, n_0 = y.sum(), len(y) - y.sum()
    assert abs(y.sum() / phi - (len(y) - y.sum()) / (1 - phi) - (n_1 / phi - n_0 / (1 - phi))) < 1e-12
    assert abs(n_1 / phi - n_0 / (1 - phi) - (n_1 / phi - n_1 / (1 - phi))) > 1

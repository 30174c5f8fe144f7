"""Conditions, solving steps, bounds and the derivatives of named activations in notes. Each behaviour has a
correct and a wrong variant; every "wrong" is confirmed at its counterexample by an independent evaluation
(plain floats and NumPy, not SymPy), and every derivative that "holds" by central differences.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text


def _checks(text: str):
    return check_notes_text(text, points=4).checks


def _point(check) -> dict[str, float]:
    """The counterexample of a check as plain floats by the reader's names."""
    values = check.counterexample.as_dict()
    return {name: float(Fraction(value)) for name, value in values.items()
            if name not in ("left side", "right side", "difference")}


def _central_difference(f, x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


# --- bounds -------------------------------------------------------------------------------------------------

def test_a_bound_whose_difference_is_a_square_holds_with_that_reason():
    (check,) = _checks(r"$$ (a + b)^2 \le 2(a^2 + b^2) $$")
    assert check.status is StepStatus.HOLDS and "non-negative" in check.note and check.verdict.proved


def test_a_bound_that_fails_at_every_point_is_wrong_with_a_counterexample():
    (check,) = _checks(r"$$ a^2 + b^2 < 2ab $$")
    assert check.status is StepStatus.WRONG
    at = _point(check)
    assert at["a"] ** 2 + at["b"] ** 2 > 2 * at["a"] * at["b"]


@pytest.mark.parametrize("row", [r"(a + b)^2 \le a^2 + b^2", r"e^t < 1", r"\frac{a + b}{2} < \sqrt{a b}"])
def test_a_bound_that_holds_for_some_signs_is_never_wrong(row):
    (check,) = _checks(f"$$ {row} $$")  # ab <= 0; t < 0; a, b < 0: what the prose may say
    assert check.status is StepStatus.CONDITION
    assert (1.0 + -2.0) ** 2 <= 1.0 + 4.0 and math.exp(-1.0) < 1 and (-1.0 + -4.0) / 2 < math.sqrt(4.0)


def test_am_gm_is_checked_at_random_points_where_the_names_are_positive():
    (check,) = _checks(r"$$ \frac{a + b}{2} \ge \sqrt{a b} $$")
    assert check.status is StepStatus.HOLDS and "a > 0" in check.note and not check.verdict.proved
    a, b = 0.3, 5.0
    assert (a + b) / 2 >= math.sqrt(a * b)


@pytest.mark.parametrize("row", [r"x^2 \le x", r"y_i (w x_i + b) \ge 1"])
def test_a_bound_that_holds_on_part_of_the_domain_is_a_constraint_never_wrong(row):
    (check,) = _checks(f"$$ {row} $$")  # x in [0, 1], which notes say in words; a margin imposed on w and b
    assert check.status is StepStatus.CONDITION and "constraint" in check.note
    assert 0.5 ** 2 <= 0.5 and 2.0 ** 2 > 2.0  # it holds at some points and fails at others


def test_a_bound_continuing_a_chain_that_holds_on_part_of_the_domain_is_unchecked():
    checks = _checks(r"$$ x \cdot x = x^2 \le x $$")
    assert checks[-1].status is StepStatus.UNCHECKED and "domain" in checks[-1].note


def test_two_names_said_to_differ_are_an_assumption():
    (check,) = _checks(r"$$ \mathbf{x}_1 \neq \mathbf{x}_2 $$")
    assert check.status is StepStatus.GIVEN


@pytest.mark.parametrize("relation, status", [("<", StepStatus.HOLDS), (">", StepStatus.UNCHECKED)])
def test_a_bound_ending_a_chain_compares_its_last_side(relation, status):  # > holds for a negative mean
    checks = _checks(rf"$$ -\frac{{n \cdot \bar{{y}}}}{{\bar{{y}}^2}} = -\frac{{n}}{{\bar{{y}}}} {relation} 0 $$")
    assert [c.status for c in checks] == [StepStatus.HOLDS, status]


@pytest.mark.parametrize("bound, status", [(r"\alpha \le C", StepStatus.HOLDS), (r"\alpha \ge C", StepStatus.WRONG)])
def test_a_bound_after_a_condition_is_checked_where_the_condition_holds(bound, status):
    text = "$$ \\mu \\ge 0 $$\n$$ C - \\alpha - \\mu = 0 \\Rightarrow " f"{bound} $$"
    checks = _checks(text)
    assert checks[0].status is StepStatus.GIVEN and "domain condition" in checks[0].note
    assert checks[-1].status is status
    if status is StepStatus.WRONG:  # a point where C = alpha + mu, mu >= 0, and alpha < C
        at = _point(checks[-1])
        assert at["α"] < at["C"]


def test_a_bound_on_functions_the_notes_do_not_define_is_unchecked():
    (check,) = _checks(r"$$ \log p(x) \ge \mathcal{L}(q) $$")
    assert check.status is StepStatus.UNCHECKED


# --- solving steps and estimators ---------------------------------------------------------------------------

BINOMIAL = r"""$$ \frac{k}{p} - \frac{n-k}{1-p} = 0 $$

$$ k(1-p) = (n-k) p $$
"""


def test_an_estimator_that_solves_the_condition_before_it_holds():
    checks = _checks(BINOMIAL + r"$$ \hat{p} = \frac{k}{n} $$")
    assert checks[-1].status is StepStatus.HOLDS and "solves the condition" in checks[-1].note


@pytest.mark.parametrize("row", [r"\hat{p} = \frac{k}{n-1}", r"p = \frac{k}{n-1}"])
def test_a_wrong_solution_is_wrong_at_a_point_where_the_condition_holds(row):
    check = _checks(BINOMIAL + f"$$ {row} $$")[-1]
    assert check.status is StepStatus.WRONG
    at = _point(check)
    k, n, p = at["k"], at["n"], at["p"]
    assert abs(k / p - (n - k) / (1 - p)) < 1e-9  # the earlier rows hold there
    assert abs(p - k / (n - 1)) > 1e-6             # and the claimed solution is another number


def test_an_estimator_defined_before_any_condition_is_a_definition():
    (check,) = _checks(r"$$ \hat{\mu} = \frac{1}{n} \sum_{i=1}^n x_i $$")
    assert check.status is StepStatus.DEFINITION


def test_a_value_chosen_for_a_name_of_the_condition_is_a_new_condition_never_wrong():
    text = r"""$$
\begin{align*}
P &= \frac{1}{1 + e^{-z}} \\
=> 0.5 &= \frac{1}{1 + e^{-z}} \\
=> 1 &= 0.5 + 0.5e^{-z} \\
=> z &= 0
\end{align*}
$$"""
    statuses = [c.status for c in _checks(text)]
    assert statuses[1] is StepStatus.CONDITION and statuses[2:] == [StepStatus.HOLDS, StepStatus.HOLDS]


def test_a_solved_row_that_misses_the_solution_after_a_chosen_value_is_wrong():
    text = "$$ P = \\frac{1}{1 + e^{-z}} $$\n$$ 0.5 = \\frac{1}{1 + e^{-z}} $$\n$$ z = 1 $$"
    check = _checks(text)[-1]
    assert check.status is StepStatus.WRONG
    assert abs(0.5 - 1 / (1 + math.exp(-1.0))) > 0.1  # the row's z = 1 does not give 0.5


# --- derivatives of named activations -----------------------------------------------------------------------

@pytest.mark.parametrize("row, derivative, status", [
    (r"\tanh'(z) = 1 - \tanh^2(z)", lambda z: 1 - np.tanh(z) ** 2, StepStatus.HOLDS),
    (r"\tanh'(z) = 1 + \tanh^2(z)", lambda z: 1 + np.tanh(z) ** 2, StepStatus.WRONG),
    (r"\sigma'(z) = \sigma(z)(1 - \sigma(z))", lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, StepStatus.HOLDS),
    (r"\text{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & \text{otherwise} \end{cases}",
     lambda z: float(z > 0), StepStatus.HOLDS),
    (r"\text{ReLU}'(z) = \begin{cases} 0 & z > 0 \\ 1 & \text{otherwise} \end{cases}",
     lambda z: float(z <= 0), StepStatus.WRONG),
])
def test_the_derivative_of_a_named_activation_is_checked(row, derivative, status):
    activations = {"tanh": np.tanh, "sigma": lambda z: 1 / (1 + np.exp(-z)), "ReLU": lambda z: max(z, 0.0)}
    name = next(n for n in activations if n in row)
    (check,) = _checks(f"$$ {row} $$")
    assert check.status is status
    z = 0.7  # the row's right side against central differences of the activation
    agrees = bool(abs(_central_difference(activations[name], z) - derivative(z)) < 1e-6)
    assert agrees is (status is StepStatus.HOLDS)


@pytest.mark.parametrize("right, status", [(r"(2x + x^2) e^x", StepStatus.HOLDS), (r"2x e^x", StepStatus.WRONG)])
def test_the_prime_of_a_function_the_notes_define_differentiates_its_definition(right, status):
    checks = _checks(f"$$ f(x) = x^2 e^x $$\n\n$$ f'(x) = {right} $$")
    assert [c.status for c in checks] == [StepStatus.DEFINITION, status]
    f = lambda x: x ** 2 * math.exp(x)  # noqa: E731
    x = 0.4
    claimed = (2 * x + x ** 2) * math.exp(x) if status is StepStatus.HOLDS else 2 * x * math.exp(x)
    assert (abs(_central_difference(f, x) - claimed) < 1e-6) is (status is StepStatus.HOLDS)


# --- Jensen's inequality --------------------------------------------------------------------------------------

ELBO = (r"$$ \log \mathbb{E}_{q(z)}\left[\frac{p(x,z)}{q(z)}\right] {relation} "
        r"\mathbb{E}_{q(z)}[\log p(x,z)] - \mathbb{E}_{q(z)}[\log q(z)] $$")


def test_the_elbo_bound_holds_by_jensens_inequality():
    (check,) = _checks(ELBO.replace("{relation}", r"\ge"))
    assert check.status is StepStatus.HOLDS and "Jensen" in check.note
    # the law behind it, at a discrete q and a positive p(x, z): log E_q[p/q] >= E_q[log p/q]
    rng = np.random.default_rng(0)
    q, joint = rng.dirichlet(np.ones(5)), rng.uniform(0.1, 2.0, 5)
    assert np.log(np.sum(q * joint / q)) >= np.sum(q * np.log(joint / q))


@pytest.mark.parametrize("relation", [r"\le", r"<"])
def test_the_reversed_elbo_bound_is_never_reported_to_hold(relation):
    (check,) = _checks(ELBO.replace("{relation}", relation))
    assert check.status is StepStatus.UNCHECKED  # opaque expectations: no counterexample can be evaluated


@pytest.mark.parametrize("relation, status", [(r"\le", StepStatus.HOLDS), (r"\ge", StepStatus.CONDITION)])
def test_a_bound_about_signs_is_not_decided_by_taking_the_names_positive(relation, status):
    (check,) = _checks(rf"$$ |a + b| {relation} |a| + |b| $$")
    assert check.status is status
    assert abs(1.5 + -2.0) < abs(1.5) + abs(-2.0)  # the reverse fails for names of opposite signs


# --- vectors --------------------------------------------------------------------------------------------------

VECTORS = r"Let $\mathbf{u} \in \mathbb{R}^d$, $\mathbf{v} \in \mathbb{R}^d$ and $C \in \mathbb{R}^{d \times d}$." "\n"


@pytest.mark.parametrize("relation, status", [(r"\le", StepStatus.HOLDS), (r"\ge", StepStatus.WRONG)])
def test_cauchy_schwarz_between_declared_vectors_is_checked_at_random_vectors(relation, status):
    (check,) = _checks(VECTORS + rf"$$ (\mathbf{{u}}^\top \mathbf{{v}})^2 {relation} "
                       r"(\mathbf{u}^\top \mathbf{u})(\mathbf{v}^\top \mathbf{v}) $$")
    assert check.status is status
    u, v = np.random.default_rng(1).normal(size=(2, 3))
    assert (u @ v) ** 2 < (u @ u) * (v @ v)  # strict for vectors that are not parallel


@pytest.mark.parametrize("row, status", [
    (r"C \mathbf{v} = \lambda \mathbf{v}", StepStatus.HOLDS),
    (r"C \mathbf{v} = 2 \lambda \mathbf{v}", StepStatus.UNCHECKED),  # not that condition rescaled: never wrong
])
def test_the_eigen_equation_is_the_stationarity_condition_rescaled(row, status):
    text = VECTORS + (r"$$ \frac{\partial L}{\partial \mathbf{v}} = 2 C \mathbf{v} - 2 \lambda \mathbf{v} = 0 $$"
                      f"\n$$ {row} $$")
    checks = _checks(text)
    assert checks[1].status is StepStatus.CONDITION and checks[-1].status is status
    C, v, lam = np.diag([2.0, 3.0, 5.0]), np.array([0.0, 1.0, 0.0]), 3.0  # an eigenpair solves both forms
    assert np.allclose(2 * C @ v - 2 * lam * v, 0) and np.allclose(C @ v, lam * v)


@pytest.mark.parametrize("row, status", [
    (r"\log p(x) = \mathcal{L}(q) + \mathrm{KL}(q(z) \| p(z \mid x)) \ge \mathcal{L}(q)", StepStatus.HOLDS),
    (r"D_{KL}(q(z) \| p(z)) \ge 0", StepStatus.HOLDS),
    (r"\mathbb{E}_{q(z)}\left[\log \frac{q(z)}{p(x, z)}\right] \ge 0", StepStatus.UNCHECKED),  # not a density of z
    (r"\log p(x) = \mathcal{L}(q) + \mathrm{KL}(q(z) \| p(z \mid x)) \le \mathcal{L}(q)", StepStatus.UNCHECKED),
])
def test_a_kl_divergence_is_non_negative_by_gibbs_inequality(row, status):
    assert _checks(f"$$ {row} $$")[-1].status is status
    q, p = np.array([0.2, 0.5, 0.3]), np.array([0.4, 0.4, 0.2])  # KL(q || p) >= 0 for two distributions
    assert np.sum(q * np.log(q / p)) >= 0


@pytest.mark.parametrize("right, status", [
    (r"\mathrm{softmax}(\mathbf{z})_i (1 - \mathrm{softmax}(\mathbf{z})_i)", StepStatus.HOLDS),
    (r"\mathrm{softmax}(\mathbf{z})_i (1 + \mathrm{softmax}(\mathbf{z})_i)", StepStatus.WRONG),
])
def test_an_element_of_the_softmax_is_differentiated_by_the_rules(right, status):
    (check,) = _checks(rf"$$ \frac{{\partial}}{{\partial z_i}} \mathrm{{softmax}}(\mathbf{{z}})_i = {right} $$")
    assert check.status is status
    z = np.array([0.3, -1.2, 0.8])
    softmax = lambda v: np.exp(v) / np.sum(np.exp(v))  # noqa: E731
    step = np.array([1e-6, 0.0, 0.0])
    derivative = (softmax(z + step)[0] - softmax(z - step)[0]) / 2e-6
    s = softmax(z)[0]
    assert abs(derivative - s * (1 - s)) < 1e-8 and abs(derivative - s * (1 + s)) > 0.1

"""Names, definitions and substitutions across rows: a name defined by a chain stands for its most explicit member
(symml.checker.definition_chains), a name mentioned before it is defined (``$$y_i$$`` in a sentence) is defined by
the equation after it, and a row that states a claim and imposes a condition (symml.checker.condition_claims)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from symml.checker import StepStatus
from symml.checker.condition_claims import nonvanishing_factor
from symml.checker.definition_chains import explicit_member
from symml.checker.notes import check_notes_text

#: A likelihood defined by a chain whose first member is opaque (``f_{X_i}(x_i)``, read as letters), then its log.
_CHAIN = ("$$\\begin{align*}\n"
          "L(\\mu; x) & = \\prod_{i=1}^n f X_i(x_i) \\\\\n"
          "& = \\prod_{i=1}^n e^{-(x_i - \\mu)^2}\n"
          "\\end{align*}$$\n\n"
          "$$\\ell(\\mu) = \\log(L(\\mu; x))$$\n\n")


def _statuses(text: str) -> dict[int, list[StepStatus]]:
    statuses: dict[int, list[StepStatus]] = {}
    for check in check_notes_text(text, points=4).checks:
        statuses.setdefault(check.line, []).append(check.status)
    return statuses


def test_a_name_defined_by_a_chain_stands_for_its_explicit_member():
    statuses = _statuses(_CHAIN + "$$\\ell(\\mu) = -\\sum_{i=1}^n (x_i - \\mu)^2$$\n")
    assert statuses[8] == [StepStatus.HOLDS]


def test_a_wrong_use_of_a_name_defined_by_a_chain_is_reported():
    statuses = _statuses(_CHAIN + "$$\\ell(\\mu) = -2 \\sum_{i=1}^n (x_i - \\mu)^2$$\n")
    assert statuses[8] == [StepStatus.WRONG]


def test_a_chain_with_a_slip_makes_its_name_a_guess_never_a_wrong_step():
    # the chain's third member is not its second: which one L stands for is unknown, so a later step that disagrees
    # with the one taken is not reported wrong (the slip in the chain is)
    chain = _CHAIN.replace("e^{-(x_i - \\mu)^2}\n", "e^{-(x_i - \\mu)^2} \\\\\n& = e^{-2\\sum_{i=1}^n (x_i - \\mu)^2}\n")
    statuses = _statuses(chain + "$$\\ell(\\mu) = -\\sum_{i=1}^n (x_i - \\mu)^2$$\n")
    assert statuses[4] == [StepStatus.WRONG] and statuses[9] == [StepStatus.UNCHECKED]


def test_the_explicit_member_is_the_last_whose_names_mean_something_outside_it():
    f, X, x, mu, C, q = sp.symbols("f X x mu C q")
    assert explicit_member([f * X * x, (x - mu) ** 2, x ** 2 - 2 * x * mu + mu ** 2], (mu, x)) == 2
    assert explicit_member([x ** 2 * q ** 2, (x * q) ** 2, q * C * q], ()) == 1  # C: a matrix the last one names
    assert explicit_member([f * X, x * mu], ()) == 0  # no member shares its names: keep the first


_MENTIONED = ("The length of the projection $$y_i$$ of $$x_i$$ is $$y_i = x_i q$$. The variance:\n\n"
              "$$V = \\frac{1}{n} \\sum_{i=1}^n y_i^2 = \\frac{1}{n} \\sum_{i=1}^n (x_i q)^2$$\n")


def test_a_name_mentioned_in_a_sentence_is_defined_by_the_equation_after_it():
    statuses = _statuses(_MENTIONED)
    assert StepStatus.DEFINITION in statuses[1] and statuses[3] == [StepStatus.DEFINITION, StepStatus.HOLDS]


def test_a_step_that_contradicts_a_definition_after_a_mention_is_wrong():
    statuses = _statuses(_MENTIONED.replace("\\frac{1}{n} \\sum_{i=1}^n (x_i q)^2", "\\frac{1}{n-1} \\sum_{i=1}^n "
                                                                                     "(x_i q)^2"))
    assert statuses[3] == [StepStatus.DEFINITION, StepStatus.WRONG]
    n, xs, q = 4, np.array([0.5, -1.0, 2.0, 0.3]), 1.7  # the planted n - 1 changes the value
    assert abs(np.sum((xs * q) ** 2) / n - np.sum((xs * q) ** 2) / (n - 1)) > 0.1


_LOG_LIKELIHOOD = "$$\\ell(\\mu, \\sigma) = -n \\log \\sigma - \\frac{\\sum_{i=1}^n (x_i - \\mu)^2}{2 \\sigma^2}$$\n\n"


def test_a_claim_rescaled_by_a_positive_factor_before_its_condition_is_not_wrong():
    # since sigma > 0 the notes simplify d ell / d sigma = -n/sigma + S/sigma^3 = 0 to -n + S/sigma^2 = 0, writing
    # the derivative's name on the left: the condition rescaled, not a wrong derivative
    statuses = _statuses(_LOG_LIKELIHOOD + "$$\\frac{\\partial}{\\partial \\sigma} \\ell(\\mu, \\sigma) = -n + "
                                           "\\frac{\\sum_{i=1}^n (x_i - \\mu)^2}{\\sigma^2} = 0$$\n")
    assert statuses[3][0] is StepStatus.UNCHECKED and StepStatus.WRONG not in statuses[3]


def test_a_claim_off_by_a_number_before_its_condition_is_wrong():
    statuses = _statuses(_LOG_LIKELIHOOD + "$$\\frac{\\partial}{\\partial \\sigma} \\ell(\\mu, \\sigma) = -\\frac{n}"
                                           "{\\sigma} + \\frac{\\sum_{i=1}^n (x_i - \\mu)^2}{2\\sigma^3} = 0$$\n")
    assert statuses[3][0] is StepStatus.WRONG
    # central differences of ell in sigma against the row's right side
    x = np.array([0.2, 1.5, -0.7])
    ell = lambda s: -len(x) * np.log(s) - np.sum(x ** 2) / (2 * s ** 2)  # noqa: E731
    derivative = (ell(1.3 + 1e-6) - ell(1.3 - 1e-6)) / 2e-6
    assert abs(derivative - (-len(x) / 1.3 + np.sum(x ** 2) / (2 * 1.3 ** 3))) > 0.1


def test_the_factor_between_a_claim_and_its_rescaled_condition_is_a_power_of_a_positive_name():
    s, n, S = sp.Symbol("s", positive=True), sp.Symbol("n", positive=True, integer=True), sp.Symbol("S")
    assert nonvanishing_factor(-n / s + S / s ** 3, -n + S / s ** 2) == s
    assert nonvanishing_factor(-n / s + S / s ** 3, -2 * n / s + 2 * S / s ** 3) is None  # a number: a slip
    assert nonvanishing_factor(-n / s + S / s ** 3, -n + S) is None  # not a factor of the whole


_WHERE = ("$$ \\frac{1}{n} \\sum_{i=1}^n (x_i q)^2 = \\frac{1}{n} \\sum_{i=1}^n y_i^2 $$\n"
          "where $y_i = x_i q$ is the projection.\n")


def test_a_substitution_stated_after_the_display_makes_the_step_hold():
    check = check_notes_text(_WHERE, points=4).checks[-1]
    assert check.status is StepStatus.HOLDS and "y_i = x_i q" in check.note


def test_a_step_that_the_stated_substitution_does_not_explain_stays_unchecked():
    check = check_notes_text(_WHERE.replace("\\frac{1}{n} \\sum_{i=1}^n y_i^2", "\\frac{2}{n} \\sum_{i=1}^n y_i^2"),
                             points=4).checks[-1]
    assert check.status is StepStatus.UNCHECKED
    xs, q = np.array([0.5, -1.0, 2.0]), 1.7  # the sides differ given y_i = x_i q
    assert abs(np.mean((xs * q) ** 2) - 2 * np.mean((xs * q) ** 2)) > 0.1


def test_a_name_the_prose_says_denotes_an_expression_is_substituted():
    text = "Here $z$ denotes $w x$.\n\n$$ \\frac{d}{dw} (w x)^2 = 2 z x $$\n"
    check = check_notes_text(text, points=4).checks[-1]
    assert check.status is StepStatus.HOLDS and "z = w x" in check.note


def test_a_consequence_of_two_conditions_is_not_refuted_at_a_point_that_breaks_the_first():
    # c + a^2 = 2ab holds where both a = b and c = ab hold; at a solution of the second alone (a = c/b) it fails,
    # but that point breaks the first: no counterexample (it was reported wrong there)
    text = "$$ a - b = 0 $$\n\n$$ c - a b = 0 $$\n\n$$ c + a^2 = 2 a b $$\n"
    assert check_notes_text(text, points=4).checks[-1].status is not StepStatus.WRONG
    a = b = 1.7  # numerically, at a point of both conditions
    c = a * b
    assert abs(c + a ** 2 - 2 * a * b) < 1e-12

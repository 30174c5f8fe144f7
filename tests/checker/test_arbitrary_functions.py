"""Functions the notes never define are arbitrary (symml/checker/arbitrary_functions.py): a step that holds for
every function holds for random smooth ones; one that holds only for particular functions is undecided, never
wrong. Each "holds" is checked independently below: the same step with functions the test picks (numpy)."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symml.checker import VerdictKind
from symml.checker.arbitrary_functions import for_arbitrary_functions
from symml.checker.decide import decide
from symml.checker.notes import check_notes_text
from symml.checker.steps import StepStatus

x, y = sp.symbols("x y", real=True)
n = sp.Symbol("n", integer=True, positive=True)
i, k = sp.symbols("i k", integer=True)
f, g = sp.Function("f"), sp.Function("g")
P = sp.Function("P[X,Z]", positive=True)
PX = sp.Function("P[X]", positive=True)

# classic non-identities: each holds for some functions (linear, exponential, ...) but not for every function
NON_IDENTITIES = {
    "f(x + y) = f(x) + f(y)": (f(x + y), f(x) + f(y)),
    "f(x y) = f(x) f(y)": (f(x * y), f(x) * f(y)),
    "f(x)^2 = f(x^2)": (f(x) ** 2, f(x ** 2)),
    "f(x) f(y) = f(x + y) f(0)": (f(x) * f(y), f(x + y) * f(0)),
    "(f o g)' = f' g'": (sp.Derivative(f(g(x)), x), sp.Derivative(f(x), x) * sp.Derivative(g(x), x)),
    "f(g(x)) = g(f(x))": (f(g(x)), g(f(x))),
    "|f(x)| = f(x)": (sp.Abs(f(x)), f(x)),
    "sqrt(f(x)^2) = f(x)": (sp.sqrt(f(x) ** 2), f(x)),
}


@pytest.mark.parametrize("name", NON_IDENTITIES)
def test_a_non_identity_between_undefined_functions_is_undecided_never_wrong(name):
    verdict = decide(*NON_IDENTITIES[name], points=4)
    assert verdict.kind is VerdictKind.UNDECIDED, (name, verdict)


def test_the_reason_says_the_step_holds_only_for_particular_functions():
    verdict = for_arbitrary_functions(f(x + y), f(x) + f(y), points=4)
    assert verdict.kind is VerdictKind.UNDECIDED and "particular functions f" in verdict.reason


def test_the_sum_of_a_product_is_not_the_product_of_the_sums():
    # the discrete form of "the integral of f g is the integral of f times the integral of g" (quadrature of random
    # functions at 30 digits takes a minute; the sum is the same law)
    verdict = for_arbitrary_functions(sp.Sum(f(sp.Indexed("x", i)) * g(sp.Indexed("x", i)), (i, 1, n)),
                                      sp.Sum(f(sp.Indexed("x", i)), (i, 1, n)) * sp.Sum(g(sp.Indexed("x", i)),
                                                                                        (i, 1, n)), points=2)
    assert verdict is not None and not verdict


def test_a_step_that_holds_for_every_function_holds_numerically_and_says_so():
    # f(x) g(y) / (g(y) f(x + y)) f(x + y) = f(x): the applications differ, the values cancel
    verdict = decide(f(x) * g(y) * f(x + y) / (g(y) * f(x + y)) + f(x + y) - f(y + x), f(x), points=4)
    assert verdict, verdict
    numeric = for_arbitrary_functions((f(x) + g(y)) ** 2 - g(y) ** 2 - 2 * f(x) * g(y), f(x) ** 2, points=4)
    assert numeric.kind is VerdictKind.NUMERICALLY_EQUIVALENT and "arbitrary f, g" in numeric.notes[0]


def test_bayes_rule_holds_for_arbitrary_joint_probabilities():
    # P(Z = 1 | X = x) = P(x, 1) / (P(x, 1) + P(x, 2)) = 1 / (1 + P(x, 2) / P(x, 1)): other applications, equal values
    left = P(x, 1) / (P(x, 1) + P(x, 2))
    verdict = for_arbitrary_functions(left, 1 / (1 + P(x, 2) / P(x, 1)), points=2)
    assert verdict.kind is VerdictKind.NUMERICALLY_EQUIVALENT
    assert not for_arbitrary_functions(left, 1 / (1 + P(x, 1) / P(x, 2)), points=2)
    # checked independently with a probability the test picks: a softmax of random scores
    scores = np.random.default_rng(0).normal(size=2)
    joint = np.exp(scores) / np.exp(scores).sum()
    assert np.isclose(joint[0] / joint.sum(), 1 / (1 + joint[1] / joint[0]))


def test_a_wrong_normaliser_is_not_reported_to_hold():
    j = sp.Symbol("j", integer=True)
    left = P(x, k) / sp.Sum(P(x, j), (j, 1, n))
    assert not for_arbitrary_functions(left, P(x, k) / PX(x), points=4)  # the sum rule is not assumed


def test_a_probability_is_drawn_between_zero_and_one():
    # log(1 - P) is real for every draw: the probe finds real values at every point
    verdict = for_arbitrary_functions(sp.log(1 - PX(x)) + sp.log(PX(x)), sp.log(PX(x) * (1 - PX(x))), points=4)
    assert verdict.kind is VerdictKind.NUMERICALLY_EQUIVALENT and verdict.points >= 12


def test_the_derivative_of_an_undefined_function_stays_symbolic_and_is_compared_for_random_ones():
    # d/dx f(x)^2 = 2 f(x) f'(x) for every f; 2 f'(x) for none
    assert decide(sp.Derivative(f(x) ** 2, x), 2 * f(x) * sp.Derivative(f(x), x), points=4)
    verdict = decide(sp.Derivative(f(x) ** 2, x) + sp.Derivative(g(x ** 2), x), 2 * sp.Derivative(f(x), x)
                     + sp.Derivative(g(x ** 2), x), points=4)
    assert not verdict


def test_a_step_of_notes_between_undefined_functions_is_undecided_with_the_reason():
    report = check_notes_text("$$ f(x + y) = f(x) + f(y) $$", kind="md")
    (check,) = report.checks
    assert check.status is StepStatus.UNDECIDED and "particular functions" in check.note

"""check_steps: each step against the previous ones; conditions and implications are not failures."""
from __future__ import annotations

import sympy as sp

import symml
from symml.checker import StepStatus

x = sp.Symbol("x", real=True)
mu = sp.Symbol("mu", real=True)
n = sp.Symbol("n", integer=True, positive=True)
i = sp.Symbol("i", integer=True)
data = sp.IndexedBase("x", real=True)
ell = sp.Function("ell")

GAUSSIAN_MEAN = [
    r"\ell(\mu) = -\frac{n}{2}\log(2\pi) - \frac{1}{2}\sum_{i=1}^n (x_i - \mu)^2",
    r"\frac{d\ell}{d\mu} = \sum_{i=1}^n (x_i - \mu)",
    r"\sum_{i=1}^n (x_i - \mu) = 0",
    r"\sum_{i=1}^n x_i - n\mu = 0",
    r"\mu = \frac{1}{n}\sum_{i=1}^n x_i",
]


def test_a_correct_derivation_has_no_wrong_step():
    report = symml.check_steps(GAUSSIAN_MEAN)
    assert report and report.first_wrong is None
    statuses = [check.status for check in report.checks]
    assert statuses == [StepStatus.DEFINITION, StepStatus.HOLDS, StepStatus.CONDITION, StepStatus.HOLDS,
                        StepStatus.HOLDS]


def test_setting_the_derivative_to_zero_is_unchecked_not_wrong():
    report = symml.check_steps(GAUSSIAN_MEAN)
    assert "condition" in report.checks[2].note


def test_a_wrong_rearrangement_of_a_condition_is_found_with_a_point_where_the_previous_holds():
    steps = list(GAUSSIAN_MEAN)
    steps[3] = r"\sum_{i=1}^n x_i - 2 n\mu = 0"
    report = symml.check_steps(steps)
    assert not report and report.first_wrong.label == "step 4"
    assert "does not follow from step 3" in str(report)
    assert report.first_wrong.counterexample is not None


def test_a_solution_that_does_not_satisfy_the_condition_is_wrong():
    # the unbiased denominator n - 1 does not solve sum_i x_i - n mu = 0
    steps = GAUSSIAN_MEAN[:-1] + [r"\mu = \frac{1}{n-1}\sum_{i=1}^n x_i"]
    report = symml.check_steps(steps)
    assert report.first_wrong.label == "step 5"


def test_a_wrong_derivative_step_is_named_with_its_counterexample():
    steps = list(GAUSSIAN_MEAN)
    steps[1] = r"\frac{d\ell}{d\mu} = 2\sum_{i=1}^n (x_i - \mu)"
    report = symml.check_steps(steps)
    assert report.first_wrong.label == "step 2" and report.first_wrong.counterexample is not None


def test_expression_chain_reports_which_step_does_not_follow():
    report = symml.check_steps([(x + 1)**2, x**2 + 2*x + 1, x**2 + x + 1, x**2 + 1])
    assert report.first_wrong.label == "step 3"
    assert report.summary() == "step 3 does not follow from step 2"


def test_sympy_objects_and_step_records_are_accepted():
    loglik = ell(mu)
    body = -sp.Sum((data[i] - mu)**2, (i, 1, n)) / 2
    steps = [
        sp.Eq(loglik, body, evaluate=False),
        symml.Step("differentiate", sp.Eq(sp.Derivative(loglik, mu), sp.Sum(data[i] - mu, (i, 1, n)),
                                          evaluate=False)),
    ]
    report = symml.check_steps(steps)
    assert report and [c.status for c in report.checks] == [StepStatus.DEFINITION, StepStatus.HOLDS]


def test_an_implication_symml_cannot_check_is_unchecked_not_wrong():
    # cos x = x implies sin^2 x = 1 - x^2, but cos x = x is transcendental: SymPy cannot solve it
    report = symml.check_steps(["cos(x) - x = 0", "sin(x)^2 = 1 - x^2"])
    assert report
    assert report.checks[1].status is StepStatus.UNCHECKED and "cannot check" in report.checks[1].note


def test_report_markdown_renders_in_katex(katex):
    steps = list(GAUSSIAN_MEAN)
    steps[1] = r"\frac{d\ell}{d\mu} = 2\sum_{i=1}^n (x_i - \mu)"
    assert katex.errors(symml.check_steps(steps)._repr_markdown_()) == []

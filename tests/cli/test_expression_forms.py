"""``symml gradient`` reads an expression starting with a minus as the expression (not as an option) and a norm's
order given by name, norm(X, "fro"); other strings stay refused. Results checked by central differences."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.special import log_softmax

import symml
from symml.errors import ParseError
from symml.matrix_calculus.cli import declare, read_expression
from symml.testing import check_gradient
from tests.cli import run_cli as _run

CROSS_ENTROPY = ["-transpose(y)@log(softmax(z))", "--wrt", "z", "--vector", "z:d", "--vector", "y:d"]


def test_an_expression_starting_with_a_minus_is_read_as_the_expression(capsys):
    status, out, err = _run(capsys, "gradient", *CROSS_ENTROPY, "--verify")
    assert status == 0 and err == "" and "passed" in out


def test_the_negated_cross_entropy_read_from_the_command_line_matches_central_differences():
    symbols = declare([], ["z:d", "y:d"], [])
    gradient = symml.derive.gradient(read_expression(CROSS_ENTROPY[0], symbols), symbols["z"]).numpy()
    rng = np.random.default_rng(3)
    y, z = rng.dirichlet(np.ones(4)), rng.normal(size=4)
    assert check_gradient(lambda v: -y @ log_softmax(v), lambda v: np.ravel(gradient(z=v, y=y)), z) < 1e-7


def test_frobenius_norm_by_name_is_read_and_its_gradient_matches_central_differences(capsys):
    status, out, err = _run(capsys, "gradient", 'norm(X, "fro")', "--wrt", "X", "--matrix", "X:n,d", "--verify")
    assert status == 0 and err == "" and "passed" in out
    symbols = declare(["X:n,d"], [], [])
    gradient = symml.derive.gradient(read_expression('norm(X, "fro")', symbols), symbols["X"]).numpy()
    X = np.random.default_rng(4).normal(size=(3, 2))
    assert check_gradient(lambda A: np.linalg.norm(A, "fro"), lambda A: gradient(X=A), X) < 1e-7


@pytest.mark.parametrize("expression, message", [
    ('norm(X, "nuc")', "the constant 'nuc' is not allowed"),
    ('exp("fro")', "a string is read only as a norm's order"),
    ('norm("fro", X)', "a string is read only as a norm's order"),
    ('"fro"', "the constant 'fro' is not allowed"),
])
def test_strings_other_than_a_norms_order_are_refused(expression, message):
    with pytest.raises(ParseError, match=message):
        read_expression(expression, declare(["X:n,d"], [], []))

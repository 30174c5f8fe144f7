"""``symml gradient`` / ``symml hessian``: strings read by the checker's whitelisting reader, declared matrices,
the three formats and ``--verify``; the derived result checked against finite differences written here."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

import symml
from symml.errors import ParseError
from symml.matrix_calculus.cli import declare, read_expression
from symml.testing import check_gradient, check_hessian
from tests.cli import run_cli as _run

LOGISTIC = ["sum(softplus(X@w)) - transpose(y)@X@w", "--wrt", "w", "--matrix", "X:n,d", "--vector", "w:d",
            "--vector", "y:n"]


def _logistic_loss(X, y):
    return lambda w: np.sum(np.logaddexp(0.0, X @ w)) - y @ X @ w


@pytest.mark.parametrize("format_", ["text", "latex", "markdown"])
def test_gradient_prints_a_verified_derivation_in_each_format(capsys, format_):
    status, out, err = _run(capsys, "gradient", *LOGISTIC, "--format", format_, "--verify")
    assert status == 0 and err == "" and "passed" in out


@pytest.mark.parametrize("kind", ["gradient", "hessian"])
def test_the_derivative_read_from_a_string_matches_finite_differences(kind):
    import symml

    symbols = declare(["X:n,d"], ["w:d", "y:n"], [])
    derived = getattr(symml.derive, kind)(read_expression(LOGISTIC[0], symbols), symbols["w"]).numpy()
    rng = np.random.default_rng(1)
    X, y, w = rng.normal(size=(6, 3)), rng.integers(0, 2, 6).astype(float), rng.normal(size=3)
    if kind == "gradient":
        assert check_gradient(_logistic_loss(X, y), lambda v: np.ravel(derived(X=X, w=v, y=y)), w) < 1e-7
        assert np.allclose(np.ravel(derived(X=X, w=w, y=y)), X.T @ (expit(X @ w) - y))  # Xᵀ(σ(Xw) − y)
    else:
        assert check_hessian(_logistic_loss(X, y), lambda v: derived(X=X, w=v, y=y), w) < 1e-5


def test_hessian_command_with_a_symmetric_matrix_and_a_scalar(capsys):
    status, out, _ = _run(capsys, "hessian", "sq_norm(X@w - y) + lam*sq_norm(w)", "--wrt", "w", "--matrix", "X:n,d",
                          "--vector", "w:d", "--vector", "y:n", "--verify")
    assert status == 0 and "Verification passed" in out
    status, out, _ = _run(capsys, "gradient", "logdet(S) - trace(inv(S)@A)", "--wrt", "S", "--symmetric", "S:d",
                          "--matrix", "A:d,d", "--verify")
    assert status == 0 and "Verification passed" in out


def test_numpys_transpose_attribute_reads_as_the_transpose(capsys):
    status, out, _ = _run(capsys, "gradient", "sum(softplus(X@w)) - y.T@X@w", *LOGISTIC[1:], "--verify")
    assert status == 0 and "Verification passed" in out


@pytest.mark.parametrize("expression, message", [
    ("__import__('os').system('true')", "a call of something other than a plain function name"),
    ("X.shape", "attribute access (.shape) is not allowed"),
    ("sum(lam)", "sums the entries of a matrix"),
])
def test_unsafe_or_malformed_strings_are_refused_in_one_line(capsys, expression, message):
    status, out, err = _run(capsys, "gradient", expression, *LOGISTIC[1:])
    assert status == 2 and out == "" and err.count("\n") == 1 and message in err


@pytest.mark.parametrize("arguments, message", [
    (["--wrt", "v"], "--wrt 'v' does not appear in the expression"),
    (["--matrix", "X:n"], "--matrix expects NAME:ROWS,COLS"),
    (["--vector", "w:d-1"], "a size is a dimension name or a positive integer"),
    (["--document"], "--document needs --format latex"),
])
def test_bad_declarations_are_one_line_errors(capsys, arguments, message):
    status, _, err = _run(capsys, "gradient", *LOGISTIC, *arguments)
    assert status == 2 and err.count("\n") == 1 and message in err


def test_an_undeclared_wrt_is_a_scalar_and_its_derivative_agrees_with_finite_differences(capsys):
    status, out, _ = _run(capsys, "gradient", "log(1 + exp(-y*w*x))", "--wrt", "w", "--format", "latex")
    assert status == 0 and "\\sigma" in out
    expression = read_expression("log(1 + exp(-y*w*x))", {})
    symbols = {str(s): s for s in expression.free_symbols}
    derivation = symml.derive.gradient(expression, symbols["w"])
    w, x, y, step = 0.3, 1.7, -1.0, 1e-6
    loss = lambda w: np.log1p(np.exp(-y * w * x))  # noqa: E731
    numeric = (loss(w + step) - loss(w - step)) / (2 * step)
    at = {symbols["w"]: w, symbols["x"]: x, symbols["y"]: y}
    assert abs(float(derivation.result.subs(at)) - numeric) < 1e-8


def test_an_equation_is_not_an_expression():
    with pytest.raises(ParseError, match="one expression"):
        read_expression("a = b", {})

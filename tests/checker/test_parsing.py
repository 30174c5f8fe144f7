"""Strings are parsed without evaluating code; LaTeX as notes write it."""
from __future__ import annotations

import pytest
import sympy as sp

import symml
from symml.checker.parse_latex import parse_latex
from symml.checker.parse_text import parse_text
from symml.checker.vocabulary import Namespace

x, t, mu = sp.symbols("x t mu", real=True)  # names in strings are real
i = sp.Symbol("i", integer=True)
n = sp.Symbol("n", integer=True, positive=True)
data = sp.IndexedBase("x", real=True)


@pytest.mark.parametrize("attack", [
    "__import__('os').system('echo hi')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__",
    "x.conjugate()",
    "(lambda: 1)()",
    "[c for c in ()]",
    "open('/etc/passwd')",
    "exp(x, base=2)",
    "'abc'",
    "__builtins__",
    "f(*args)",
    "9**9**9**9",
])
def test_dangerous_string_is_rejected_with_a_parse_error(attack, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(symml.ParseError):
        symml.check(attack, "1")
    assert list(tmp_path.iterdir()) == []  # nothing ran


def test_the_rejection_names_the_refused_construct():
    with pytest.raises(symml.ParseError, match="attribute access"):
        parse_text("x.__class__")
    with pytest.raises(symml.ParseError, match="lambda"):
        parse_text("(lambda: 1)()")


def test_caret_is_power_and_equals_separates_sides():
    assert parse_text("x^2 = x*x") == [x**2, x**2]


def test_string_names_reuse_the_users_symbols_and_their_assumptions():
    positive = sp.Symbol("x", positive=True)
    verdict = symml.check("sqrt(x**2)", positive)
    assert verdict.proved  # sqrt(x^2) = x only because x > 0 was known


def test_unknown_function_names_become_undefined_functions():
    (expr,) = parse_text("f(x) + g(x, 1)")
    assert expr == sp.Function("f")(x) + sp.Function("g")(x, 1)


def test_sums_integrals_and_derivatives_are_kept_unevaluated():
    assert parse_text("sum(x[i], (i, 1, n))") == [sp.Sum(data[i], (i, 1, n))]
    assert parse_text("integrate(x**2, (x, 0, 1))") == [sp.Integral(x**2, (x, 0, 1))]
    assert parse_text("diff(x**3, x)") == [sp.Derivative(x**3, x)]


def test_implicit_products_in_plain_strings_are_read_as_students_type_them():
    x = sp.Symbol("x", real=True)
    assert parse_text("2x + 1") == [2 * x + 1]
    with pytest.raises(symml.ParseError, match=r"2\*x"):  # log x: log times x or log of x? Still an error
        parse_text("log x + 1")


# --- LaTeX -------------------------------------------------------------------------------------------------

def test_latex_derivative_operator_applies_to_the_rest_of_the_product():
    sides = parse_latex(r"\frac{d}{d\mu} \sum_i (x_i-\mu)^2 + 1")
    assert sides == [("", sp.Derivative(sp.Sum((data[i] - mu)**2, (i, 1, n)), mu) + 1)]


def test_latex_sum_without_limits_runs_from_one_to_n():
    ((_, total),) = parse_latex(r"\sum_i x_i")
    assert total == sp.Sum(data[i], (i, 1, n))


@pytest.mark.parametrize("latex, expected", [
    (r"\log(x) + \exp(t) + \sqrt{x}", sp.log(x) + sp.exp(t) + sp.sqrt(x)),
    (r"\ln x^2", sp.log(x**2)),
    (r"\log^2 x", sp.log(x)**2),
    (r"\sigma(t)", 1 / (1 + sp.exp(-t))),
    (r"\frac{x}{t}", x / t),
    (r"\frac{\partial}{\partial x} x^2", sp.Derivative(x**2, x)),
    (r"\frac{d^2}{dx^2} x^4", sp.Derivative(x**4, (x, 2))),
    (r"\int_0^1 x^2 \, dx", sp.Integral(x**2, (x, 0, 1))),
    (r"\left| x - 1 \right|", sp.Abs(x - 1)),
    (r"e^{x} \cdot 2", 2 * sp.exp(x)),
    (r"\hat{\mu} + \theta_0", sp.Symbol("mu_hat", real=True) + sp.Symbol("theta_0", real=True)),
])
def test_latex_forms_of_notes(latex, expected):
    assert parse_latex(latex) == [("", expected)]


def test_latex_transpose_of_matrix_symbols_from_the_namespace():
    d = sp.Symbol("d", integer=True, positive=True)
    w, X = sp.MatrixSymbol("w", d, 1), sp.MatrixSymbol("X", d, d)
    ((_, quadratic),) = parse_latex(r"w^\top X w", Namespace({"w": w, "X": X}))
    assert quadratic == w.T * X * w


def test_latex_definition_relation_is_read():
    sides = parse_latex(r"f(x) := x^2")
    assert [relation for relation, _ in sides] == ["", ":="]


def test_unsupported_latex_is_a_parse_error_that_quotes_the_place():
    with pytest.raises(symml.ParseError, match="wp"):
        parse_latex(r"\wp(x)")


def test_latex_derivative_of_a_function_letter_is_the_function_of_the_variable():
    z = sp.Symbol("z", real=True)
    ((_, derivative),) = parse_latex(r"\frac{d\sigma}{dz}")
    assert derivative == sp.Derivative(1 / (1 + sp.exp(-z)), z)


def test_latex_norms_of_scalars_vectors_and_matrices():
    d = sp.Symbol("d", integer=True, positive=True)
    w = sp.MatrixSymbol("w", d, 1)
    assert parse_latex(r"\lVert x \rVert")[0][1] == sp.Abs(x)
    assert parse_latex(r"\|w\|^2", Namespace({"w": w}))[0][1] == sp.Trace(w.T * w)


def test_data_and_a_scalar_of_the_same_name_are_kept_apart():
    # notes write x_i for the data and x for a variable of integration
    namespace = Namespace()
    ((_, total),) = parse_latex(r"\sum_i x_i", namespace)
    ((_, integral),) = parse_latex(r"\int_0^1 x^2 \, dx", namespace)
    assert total == sp.Sum(data[i], (i, 1, n)) and integral == sp.Integral(x**2, (x, 0, 1))


def test_superscript_exponents_in_plain_text_are_powers():
    expression = parse_text("x² + x⁻¹")[0]
    (x,) = expression.free_symbols
    assert expression.subs(x, 2) == sp.Rational(9, 2)


@pytest.mark.parametrize("claim", ["QᵀQ = I", "xᵢ = xᵢ"])
def test_modifier_letters_that_python_would_merge_into_a_name_are_refused(claim):
    # Python reads the identifier QᵀQ as QTQ: one scalar name, and a verdict about the wrong claim
    with pytest.raises(symml.ParseError, match="merge into the name"):
        parse_text(claim)


def test_an_operator_plain_text_does_not_read_is_named_and_a_bar_points_to_latex():
    with pytest.raises(symml.ParseError, match=r"the operator \| is not read in plain text.*LaTeX"):
        parse_text("p(y|x)")
    with pytest.raises(symml.ParseError, match="the operator % is not read"):
        parse_text("a % b")


def test_a_term_after_a_sum_that_does_not_use_its_index_is_read_once():
    # the sum's scope is tried on the terms that follow and undone when they do not use its index: a word split
    # into letters on the way (pn) must not be split twice (it read as p n², a false "wrong" in real notes)
    ((_, read),) = parse_latex(r"\sum x_i - pn + p")
    names = {str(s): s for s in read.free_symbols}
    rest = read.replace(lambda e: isinstance(e, sp.Sum), lambda e: sp.S.Zero)
    assert sp.expand(rest - (names["p"] - names["n"] * names["p"])) == 0

"""Calculus of explicit scalar functions, step by step: derivatives, gradients (the vector of partials),
Jacobians, Hessians, Laplacians and directional derivatives w.r.t. scalar symbols.

Every partial derivative is derived by :class:`~symml.calculus.rules.RuleWalk` (each rule named), then written
as a person writes it (:func:`~symml.calculus.readable.readable`: σ(z) − y, not a tower of exponentials).
Kinks (Abs, Max, Min, Piecewise) are located and the subgradient used there is stated.
``numpy()`` gives a stable vectorised function; ``verify()`` compares with finite differences.

>>> import sympy as sp

>>> x = sp.Symbol("x", real=True)
>>> d = derivative(x**2 * sp.exp(x), x)
>>> d.result
x*(x + 2)*exp(x)
>>> [step.title for step in d.steps]
['Function', 'Product rule', 'Power rule', 'Known derivative: exp', 'Simplify']
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy as sp

from symml.calculus.labels import Label

from symml.budget import SOLVE_SECONDS, within
from symml.calculus.nonsmooth import kink_remarks
from symml.calculus.readable import readable
from symml.calculus.rules import RuleWalk
from symml.derivation import Derivation, Step
from symml.errors import ParameterError, ShapeError
from symml.render.printer import latex

__all__ = ["ScalarDerivativeProblem", "derivative", "gradient", "jacobian", "hessian", "laplacian",
           "directional_derivative", "scalar_symbols", "is_scalar_problem"]

_L, _F = Label("L"), Label("f")


@dataclass(frozen=True)
class ScalarDerivativeProblem:
    """A derivative of explicit scalar functions w.r.t. scalar symbols; ``numpy()``/``verify()`` dispatch on it.

    Attributes:
        title: one line describing the problem.
        kind: "derivative", "gradient", "jacobian", "hessian", "laplacian", "directional_derivative" or "taylor".
        function: the scalar expression (a tuple of them for a Jacobian).
        wrt: the variables, in order.
        direction: the direction's components (directional derivative), else None.
        point: the expansion point's coordinates, in the order of wrt (Taylor polynomial), else None.
        order: the Taylor polynomial's order (0 otherwise).
    """

    title: str
    kind: str
    function: Any
    wrt: tuple[sp.Symbol, ...]
    direction: tuple[sp.Expr, ...] | None = None
    point: tuple[sp.Expr, ...] | None = None
    order: int = 0


# --- inputs -----------------------------------------------------------------------------------------------
def scalar_symbols(wrt: Any) -> tuple[sp.Symbol, ...] | None:
    """wrt as a tuple of scalar symbols, or None when it is not a symbol or a list of symbols."""
    symbols = tuple(wrt) if isinstance(wrt, (list, tuple)) else (wrt,)
    if symbols and all(isinstance(s, sp.Symbol) and not isinstance(s, sp.MatrixSymbol) for s in symbols):
        return symbols
    return None


def _is_scalar_expression(expr: Any) -> bool:
    from symml.matrix_calculus.expressions import is_matrix

    # data x[i] are scalars too (Σᵢ (yᵢ − w xᵢ)²); an Indexed unknown goes to index notation before this
    return isinstance(expr, sp.Expr) and not is_matrix(expr) and not expr.has(sp.MatrixSymbol)


def is_scalar_problem(expr: Any, wrt: Any) -> bool:
    """Whether (expr, wrt) is explicit scalar calculus: scalar expression(s) and scalar symbol(s).

    >>> x = sp.Symbol("x")
    >>> is_scalar_problem(x**2, x), is_scalar_problem([x, x**2], [x])
    (True, True)
    """
    functions = list(expr) if isinstance(expr, (list, tuple, sp.MatrixBase)) else [expr]
    return scalar_symbols(wrt) is not None and bool(functions) and \
        all(_is_scalar_expression(sp.sympify(f)) for f in functions)


def _inputs(expr: Any, wrt: Any) -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    symbols = scalar_symbols(wrt)
    if symbols is None:
        raise ShapeError(f"differentiate with respect to a scalar symbol or a list of them, not {wrt!r}")
    if len(set(symbols)) != len(symbols):
        raise ParameterError(f"a variable is repeated in {list(symbols)}")
    try:
        expr = sp.sympify(expr, strict=True)
    except sp.SympifyError:
        raise ShapeError(f"expected a SymPy expression to differentiate, not {type(expr).__name__}") from None
    if not _is_scalar_expression(expr):
        if isinstance(expr, sp.Basic) and expr.has(sp.MatrixSymbol):
            raise ShapeError(f"{expr} is built from matrices: derive.derivative takes scalar expressions; "
                             "symml.derive.gradient(f, theta) gives the derivative of a scalar function of matrices "
                             "in a scalar theta")
        raise ShapeError(f"{expr} is not a scalar expression of scalar symbols")
    return expr, symbols


# --- steps ------------------------------------------------------------------------------------------------
def _partial_symbol(of: sp.Expr, wrt: Sequence[sp.Symbol]) -> sp.Derivative:
    return sp.Derivative(of, *wrt, evaluate=False)


@dataclass
class _Partials:
    """The partial derivatives of one function, with the steps and remarks that derived them."""

    steps: list[Step]
    values: list[sp.Expr]
    remarks: list[str]


def _log_of_a_product(node: sp.Expr) -> bool:
    """Whether node is log(u) of a product of factors or a power with a symbolic exponent: log of a density typed
    as one fraction (sympy.stats' Student-t), whose derivative f′/f would be a tower of quotients."""
    if not isinstance(node, sp.log):
        return False
    u = node.args[0]
    varying = [f for f in sp.Mul.make_args(u) if f.free_symbols]
    return len(varying) > 1 or any(isinstance(f, sp.Pow) and not f.exp.is_Integer for f in varying)


def _partials(expr: sp.Expr, wrt: Sequence[sp.Symbol], name: sp.Symbol = _L) -> _Partials:
    steps: list[Step] = []
    values: list[sp.Expr] = []
    remarks: list[str] = []
    expanded = expr.replace(_log_of_a_product, sp.expand_log)
    if expanded != expr:  # the log of a density written as one fraction: its derivative would be f′/f, a tower
        steps.append(Step("Expand the logarithms", sp.Eq(name, expanded, evaluate=False),
                          "log(ab) = log a + log b and log(aᵏ) = k log a, for positive a and b"))
        expr = expanded
    for x in wrt:
        walk = RuleWalk(x)
        raw = walk.derivative(expr)
        value = readable(raw)
        label = f" (∂/∂{x})" if len(wrt) > 1 else ""
        steps.extend(Step(step.title + label, step.math, step.why) for step in walk.steps)
        if value != raw:
            steps.append(Step("Simplify" + label, sp.Eq(_partial_symbol(name, [x]), value, evaluate=False),
                              "the shortest of the simplified forms, with σ and softplus recognised"))
        values.append(value)
        remarks.extend(kink_remarks(walk))
    return _Partials(steps, values, remarks)


def _second_partials(first: Sequence[sp.Expr], wrt: Sequence[sp.Symbol]) -> tuple[list[Step], sp.Matrix]:
    """The Hessian from the first partials: each differentiated again; the rules used are named per entry."""
    steps: list[Step] = []
    rows: list[list[sp.Expr]] = []
    for i, partial in enumerate(first):
        row = []
        for j, x in enumerate(wrt):
            if j < i:  # symmetric (Schwarz): the entries below the diagonal are those above it
                row.append(rows[j][i])
                continue
            walk = RuleWalk(x)
            value = readable(walk.derivative(partial))
            rules = ", ".join(dict.fromkeys(step.title.lower() for step in walk.steps)) or "a linear term"
            steps.append(Step(f"Second partial ∂²L/∂{wrt[i]}∂{x}",
                              sp.Eq(_partial_symbol(_L, [wrt[i], x]), value, evaluate=False), f"rules: {rules}"))
            row.append(value)
        rows.append(row)
    return steps, sp.Matrix(rows)


def _function_step(name: sp.Symbol, expr: Any) -> Step:
    return Step("Function", sp.Eq(name, expr, evaluate=False), "explicit scalar function of scalar variables")


def _finish(kind: str, function: Any, wrt: tuple, steps: list[Step], result: Any, summary: Any,
            remarks: Sequence[str], **problem_fields: Any) -> Derivation:
    shown = latex(sp.Matrix(function) if isinstance(function, tuple) else function)
    variables = ", ".join(latex(x) for x in wrt)
    problem = ScalarDerivativeProblem(
        title=f"{kind.replace('_', ' ').capitalize()} of ${shown}$ with respect to ${variables}$",
        kind=kind, function=function, wrt=wrt, **problem_fields)
    assumptions = ["variables are real" + ("; " + ", ".join(f"${latex(s)} > 0$" for s in sorted(
        (s for s in sp.Tuple(function).free_symbols if s.is_positive), key=str)) if any(
        s.is_positive for s in sp.Tuple(function).free_symbols) else "")]
    return Derivation(problem=problem, steps=tuple(steps), result=result, summary=(summary,),
                      assumptions=tuple(assumptions), remarks=tuple(dict.fromkeys(remarks)))


def _derive(what: str, build: Any) -> Any:
    return within(SOLVE_SECONDS, what, build)


# --- the public functions ---------------------------------------------------------------------------------
def derivative(expr: Any, x: sp.Symbol) -> Derivation:
    """The derivative df/dx of a scalar expression, each rule named.

    >>> x = sp.Symbol("x", real=True)
    >>> derivative(sp.sin(x)/x, x).result
    (x*cos(x) - sin(x))/x**2
    """
    if isinstance(expr, str):  # typed as LaTeX or plain text: read, then derived as written
        from symml.calculus.latex_input import derivative as typed_derivative
        return typed_derivative(expr, x)
    if isinstance(x, sp.Symbol) and isinstance(expr, sp.Basic) and expr.has(sp.MatrixSymbol):
        # a scalar made of matrices (yᵀK(θ)⁻¹y, log det K(θ)) is matrix calculus: its gradient in one scalar
        # symbol is the derivative asked for, derived at matrix level
        from symml.matrix_calculus import gradient as matrix_level_gradient
        return matrix_level_gradient(expr, x)
    expr, (x,) = _inputs(expr, [x] if isinstance(x, sp.Symbol) else x)
    found = _derive(f"the derivative of {expr}", lambda: _partials(expr, [x], _F))
    steps = [_function_step(_F, expr), *found.steps]
    summary = sp.Eq(_partial_symbol(_F, [x]), found.values[0], evaluate=False)
    return _finish("derivative", expr, (x,), steps, found.values[0], summary, found.remarks)


def gradient(expr: Any, wrt: Any) -> Derivation:
    """The gradient: the derivative for one symbol, the column of partials ∂L/∂xᵢ for a list of them.

    >>> mu, s = sp.symbols("mu s", real=True)
    >>> gradient(mu**2/2 + sp.exp(s)/2 - s/2, [mu, s]).result
    Matrix([
    [            mu],
    [(exp(s) - 1)/2]])
    """
    expr, symbols = _inputs(expr, wrt)
    found = _derive(f"the gradient of {expr}", lambda: _partials(expr, symbols))
    steps = [_function_step(_L, expr), *found.steps]
    if isinstance(wrt, (list, tuple)):
        result: Any = sp.Matrix(found.values)
        lhs: Any = sp.Matrix([_partial_symbol(_L, [x]) for x in symbols])
        steps.append(Step("Gradient", sp.Eq(lhs, result, evaluate=False), "the column of partial derivatives"))
    else:
        result, lhs = found.values[0], _partial_symbol(_L, symbols)
    return _finish("gradient", expr, symbols, steps, result, sp.Eq(lhs, result, evaluate=False), found.remarks)


def jacobian(exprs: Any, wrt: Any) -> Derivation:
    """The Jacobian J[i, j] = ∂fᵢ/∂xⱼ of a list of scalar functions (shape (number of f, number of x)).

    >>> x, y = sp.symbols("x y", real=True)
    >>> jacobian([x*y, x + y**2], [x, y]).result
    Matrix([
    [y,   x],
    [1, 2*y]])
    """
    functions = list(exprs) if isinstance(exprs, (list, tuple, sp.MatrixBase)) else [exprs]
    checked = [_inputs(f, wrt) for f in functions]
    symbols = checked[0][1]
    functions = [f for f, _ in checked]
    names = [Label(f"f_{k + 1}") for k in range(len(functions))]

    def build() -> tuple[list[Step], list[list[sp.Expr]], list[str]]:
        steps, rows, remarks = [], [], []
        for name, f in zip(names, functions):
            found = _partials(f, symbols, name)
            steps.append(_function_step(name, f))
            steps.extend(found.steps)
            rows.append(found.values)
            remarks.extend(found.remarks)
        return steps, rows, remarks

    steps, rows, remarks = _derive("the Jacobian", build)
    result = sp.Matrix(rows)
    symbol = sp.Matrix([[_partial_symbol(n, [x]) for x in symbols] for n in names])
    steps.append(Step("Jacobian", sp.Eq(symbol, result, evaluate=False), "row i holds the partials of fᵢ"))
    return _finish("jacobian", tuple(functions), symbols, steps, result,
                   sp.Eq(Label("J"), result, evaluate=False), remarks)


def hessian(expr: Any, wrt: Any) -> Derivation:
    """The Hessian H[i, j] = ∂²L/∂xᵢ∂xⱼ (symmetric), from the gradient differentiated again.

    >>> x, y = sp.symbols("x y", real=True)
    >>> hessian(x**3 + x*y**2, [x, y]).result
    Matrix([
    [6*x, 2*y],
    [2*y, 2*x]])
    """
    expr, symbols = _inputs(expr, wrt)

    def build() -> tuple[list[Step], sp.Matrix, list[str]]:
        found = _partials(expr, symbols)
        more, H = _second_partials(found.values, symbols)
        return [_function_step(_L, expr), *found.steps, *more], H, found.remarks

    steps, H, remarks = _derive(f"the Hessian of {expr}", build)
    steps.append(Step("Hessian", sp.Eq(Label("H"), H, evaluate=False),
                      "symmetric: mixed partials of a twice continuously differentiable function agree"))
    if any(isinstance(node, sp.Piecewise) or node.has(sp.Abs, sp.Max, sp.Min) for node in [expr]):
        remarks.append("At kinks the second derivatives are those of the case that holds there (0 for |u|), "
                       "valid almost everywhere.")
    return _finish("hessian", expr, symbols, steps, H, sp.Eq(Label("H"), H, evaluate=False), remarks)


def laplacian(expr: Any, wrt: Any) -> Derivation:
    """The Laplacian ΔL = Σᵢ ∂²L/∂xᵢ², the trace of the Hessian.

    >>> x, y = sp.symbols("x y", real=True)
    >>> laplacian(x**2 * y + y**3, [x, y]).result
    8*y
    """
    H = hessian(expr, wrt)
    value = readable(H.result.trace())
    step = Step("Trace of the Hessian", sp.Eq(Label("ΔL"), value, evaluate=False), "ΔL = Σᵢ ∂²L/∂xᵢ²")
    return _finish("laplacian", H.problem.function, H.problem.wrt, [*H.steps, step], value,
                   sp.Eq(Label("ΔL"), value, evaluate=False), H.remarks)


def directional_derivative(expr: Any, wrt: Any, direction: Any) -> Derivation:
    """D_v L = ∇L · v, the rate of change of L along v (not normalised: scale v to unit length for a slope).

    >>> x, y = sp.symbols("x y", real=True)
    >>> directional_derivative(x**2 + 3*y, [x, y], [1, 2]).result
    2*x + 6
    """
    G = gradient(expr, wrt if isinstance(wrt, (list, tuple)) else [wrt])
    v = sp.Matrix(list(direction) if isinstance(direction, (list, tuple, sp.MatrixBase)) else [direction])
    if len(v) != len(G.problem.wrt):
        raise ShapeError(f"the direction {list(v)} needs one component per variable {list(G.problem.wrt)}")
    value = readable(sp.expand((G.result.T * v)[0, 0]))
    symbol = Label("D_v L")
    step = Step("Along the direction", sp.Eq(symbol, value, evaluate=False), f"D_v L = ∇L · v with v = {list(v)}")
    return _finish("directional_derivative", G.problem.function, G.problem.wrt, [*G.steps, step], value,
                   sp.Eq(symbol, value, evaluate=False), G.remarks, direction=tuple(v))

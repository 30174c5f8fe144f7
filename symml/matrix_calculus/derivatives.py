"""The public derivatives, each a finished :class:`~symml.Derivation`: gradient, Jacobian, Hessian, Laplacian
and directional derivative of matrix expressions, derived by the differential method at matrix level.

Convention: denominator layout — the gradient with respect to W has the shape of W (so that
dL = tr(∇_W Lᵀ dW)); Jacobians are numerator layout, vec(dF) = J vec(dW), so the Hessian of a vector
argument is the usual symmetric d x d matrix and that of a matrix argument acts on vec(dW) (Kronecker-structured).

>>> import symml
>>> n, d = symml.dims("n d")
>>> X = symml.matrix("X", n, d); w = symml.vector("w", d); y = symml.vector("y", n)
>>> g = gradient(symml.sum(symml.softplus(X @ w)) - y.T @ X @ w, w)
>>> g.result
X.T*(sigmoid(X*w) - y)
>>> hessian(symml.sum(symml.softplus(X @ w)) - y.T @ X @ w, w).result.shape
(d, d)
"""
from __future__ import annotations

from typing import Any, Callable

import sympy as sp
from sympy.matrices.expressions import KroneckerProduct

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import ShapeError
from symml.matrix_calculus.conformability import check_conformable, check_distinct_names, with_scalar_factors
from symml.matrix_calculus.dag import atoms_of, distinct_nodes
from symml.matrix_calculus.algebra import add, factor, interned, mul, scale, to_scalar, transpose
from symml.matrix_calculus.canonical import gradient_from_differential, jacobian_from_differential
from symml.matrix_calculus.differential import (
    DifferentialOf,
    Rules,
    differential,
    scalar_differential,
    subgradient_used,
)
from symml.matrix_calculus.expressions import Det, LogDet, SymmetricMatrixSymbol, Tr, is_matrix, is_scalar_valued
from symml.matrix_calculus.norm_forms import quadratic_form
from symml.matrix_calculus.operators import MatrixDifferential
from symml.matrix_calculus.problem import DerivativeSymbol, Kind, MatrixDerivativeProblem, layout
from symml.matrix_calculus.scalar_variable import check_scalar_variable, derivative_steps, is_scalar_variable
from symml.matrix_calculus.written_entries import matrix_form_of_entries
from symml.render.printer import latex

__all__ = ["gradient", "jacobian", "hessian", "laplacian", "directional_derivative"]

#: Budget for one derivation; the work is structural and normally takes milliseconds.
DERIVE_SECONDS = SOLVE_SECONDS

_L, _F = sp.Symbol("L"), sp.Symbol("f")


# --- inputs -----------------------------------------------------------------------------------------------
def _prepare(expr: Any, wrt: Any, symmetric: bool, scalar_allowed: bool = True) -> tuple[Any, Any]:
    if scalar_allowed and is_scalar_variable(wrt) and not symmetric:
        check_scalar_variable(expr, wrt)
        return expr, wrt
    if not isinstance(wrt, sp.MatrixSymbol):
        raise ShapeError(
            f"differentiate with respect to a matrix or vector symbol (symml.matrix, symml.vector), not {wrt!r}"
        )
    if not isinstance(expr, sp.Basic):
        raise ShapeError(f"expected a SymPy or symml expression to differentiate, not {type(expr).__name__}")
    check_conformable(expr)
    check_distinct_names(expr)
    expr = interned(with_scalar_factors(expr))
    if symmetric and not isinstance(wrt, SymmetricMatrixSymbol):
        if wrt.shape[0] != wrt.shape[1]:
            raise ShapeError(f"symmetric=True needs a square matrix; {wrt} has shape {wrt.shape}")
        symmetric_wrt = SymmetricMatrixSymbol(wrt.name, *wrt.shape)
        return expr.xreplace({wrt: symmetric_wrt}), symmetric_wrt
    return expr, wrt


def _require_scalar(expr: Any, what: str) -> None:
    if not is_scalar_valued(expr):
        raise ShapeError(f"the {what} needs a scalar function; {expr} has shape {expr.shape} (use jacobian)")


def _shape_text(expr: Any) -> str:
    symbols = sorted(atoms_of(expr, sp.MatrixSymbol), key=lambda s: s.name)
    parts = [f"${latex(s)} \\in \\mathbb{{R}}^{{{latex(s.shape[0])} \\times {latex(s.shape[1])}}}$" for s in symbols]
    return "shapes " + ", ".join(parts) if parts else "no matrix symbols"


def _assumptions(expr: Any, W: sp.MatrixSymbol, symmetric: bool) -> tuple[str, ...]:
    found = [f"Layout: {layout(W)}", "dimensions are positive integers; results hold for every size"]
    if atoms_of(expr, sp.Inverse, sp.Determinant, Det, LogDet):
        found.append("matrices under inverse, det and log det are invertible (positive determinant under log det)")
    if symmetric:
        found.append(
            f"${latex(W)}$ is symmetric: its gradient is the symmetric part (G + Gᵀ)/2 of the unconstrained one, the "
            "gradient for the trace inner product on symmetric matrices (the Matrix Cookbook's entrywise "
            "convention G + Gᵀ − G ∘ I differs off the diagonal)"
        )
    return tuple(found)


def _remarks(expr: Any, W: Any, result: Any) -> tuple[str, ...]:
    remarks = [f"Layout convention: {layout(W)}."]
    if subgradient_used(expr):
        remarks.append(
            "abs, relu and sign are not differentiable at 0: the result is a subgradient, with sign(0) = 0 and "
            "H(0) = 0 (their second derivatives are taken as 0, which holds almost everywhere)."
        )
    divisors = _norms_divided_by(result)
    for argument in dict.fromkeys(_norm_arguments(expr)):
        if argument not in divisors:  # ‖Xw − y‖² and ‖x‖³ differentiate to formulas finite at 0: nothing to say
            continue
        shown = latex(argument)
        remarks.append(
            f"The norm of ${shown}$ is not differentiable where ${shown} = 0$: the formula is 0/0 there (nan in "
            "numpy(), which computes the norm scaled by the largest entry, so that it is exact at tiny entries); a norm is convex and smallest at that point, so $0$ is a subgradient there."
        )
    return tuple(remarks)


def _norms_divided_by(result: Any) -> set:
    """The A of each quadratic form (AᵀA, AᵀMA) that ``result`` divides by: a negative power of it."""
    found = set()
    for node in distinct_nodes(result):
        if isinstance(node, (sp.Pow, sp.HadamardPower)) and node.exp.is_negative:
            form = quadratic_form(node.base)
            if form is not None:
                found.add(form.A)
    return found


def _norm_arguments(expr: Any) -> list:
    """The A of each norm ‖A‖ = (AᵀA)^(1/2), tr(AᵀA)^(1/2) or (AᵀMA)^(1/2) (a Mahalanobis distance) in ``expr``."""
    found = []
    for node in distinct_nodes(expr):
        form = quadratic_form(node.base) if isinstance(node, sp.HadamardPower) and node.exp == sp.S.Half else None
        if form is not None:
            found.append(form.A)
    return found


# --- steps ------------------------------------------------------------------------------------------------
def _function_step(name: sp.Symbol, expr: Any) -> Step:
    shown = to_scalar(expr) if is_matrix(expr) and is_scalar_valued(expr) else expr
    return Step("Function", sp.Eq(name, shown, evaluate=False), _shape_text(expr))


def _inner_display(G: Any, dW: Any) -> Any:
    product = sp.MatMul(sp.Transpose(G), dW, evaluate=False)
    return product if dW.shape[1] == 1 else sp.Trace(product)


def _gradient_steps(expr: Any, W: sp.MatrixSymbol, symmetric: bool) -> tuple[list[Step], Any]:
    """The steps from L to its gradient, and the gradient (symmetrised for a symmetric W)."""
    rules = Rules()
    dW = MatrixDifferential.of(W)
    dL = scalar_differential(to_scalar(expr), W, rules)
    G = gradient_from_differential(dL, dW)
    steps = [_function_step(_L, expr), *rules.steps()]
    steps.append(Step("Differential", sp.Eq(DifferentialOf(_L), dL, evaluate=False),
                      "the rules above, node by node; $\\mathrm{d}" + latex(W) + "$ enters linearly"))
    steps.append(Step(
        "Canonical form", sp.Eq(DifferentialOf(_L), _inner_display(G, dW), evaluate=False),
        "trace cyclicity $\\operatorname{tr}(ABC) = \\operatorname{tr}(CAB)$ (Matrix Cookbook (16)), the transpose of a "
        "scalar, $\\operatorname{tr}(A^{\\top}(B \\odot C)) = \\operatorname{tr}((A \\odot B)^{\\top} C)$ and "
        "$\\operatorname{sum}(A) = \\operatorname{tr}(\\mathbf{1}^{\\top} A \\mathbf{1})$",
    ))
    symbol = DerivativeSymbol("gradient", _L, W, *W.shape)
    steps.append(Step("Gradient", sp.Eq(symbol, G, evaluate=False),
                      f"read off: $\\mathrm{{d}}L = \\operatorname{{tr}}(G^{{\\top}} \\mathrm{{d}}{latex(W)})$ gives the gradient "
                      f"$G$ ({layout(W)})"))
    if symmetric:
        G_t = transpose(G)
        symmetrised = G if G_t == G else factor(scale(sp.S.Half, add([G, G_t])))
        steps.append(Step("Symmetric argument", sp.Eq(symbol, symmetrised, evaluate=False),
                          "dW is symmetric, so only the symmetric part (G + Gᵀ)/2 of G is determined"
                          + (" — here G is symmetric already" if G_t == G else "")))
        G = symmetrised
    return steps, G


def _jacobian_steps(F: Any, W: sp.MatrixSymbol, name: sp.Basic, kind: str) -> tuple[list[Step], Any]:
    rules = Rules()
    dW = MatrixDifferential.of(W)
    dF = differential(F, W, rules)
    J = jacobian_from_differential(dF, dW) if dF is not None else sp.ZeroMatrix(_size(F), _size(W))
    shown = sp.ZeroMatrix(*F.shape) if dF is None else dF
    steps = [*rules.steps(), Step("Differential", sp.Eq(DifferentialOf(name), shown, evaluate=False),
                                       "the rules above, node by node")]
    symbol = DerivativeSymbol(kind, name if kind != "hessian" else _L, W, _size(F), _size(W))
    name_text = f"${latex(name)}$"
    vec_rule = "$\\operatorname{vec}(A \\, \\mathrm{d}W B) = (B^{\\top} \\otimes A) \\operatorname{vec}(\\mathrm{d}W)$ (Matrix Cookbook (520)), " \
                "$\\operatorname{vec}(a \\odot M) = \\operatorname{diag}(a) \\operatorname{vec}(M)$"
    steps.append(Step("Read off" if W.shape[1] == 1 else "Vectorise", sp.Eq(symbol, J, evaluate=False),
                      ("$\\mathrm{d}f = J \\, \\mathrm{d}w$" if W.shape[1] == 1 else "$\\operatorname{vec}(\\mathrm{d}f) = J \\operatorname{vec}(\\mathrm{d}W)$") + f" gives $J$, here $f = $ {name_text}; " + vec_rule))
    return steps, J


def _size(M: Any) -> Any:
    return M.shape[0] * M.shape[1]


def _derive(kind: Kind, expr: Any, W: Any, build: Callable[[], tuple[list[Step], Any, tuple]], *,
            symmetric: bool = False, direction: Any = None, read_back: str | None = None) -> Derivation:
    steps, result, summary = within(DERIVE_SECONDS, f"the {kind.replace('_', ' ')} of {expr}", build)
    problem = MatrixDerivativeProblem(
        title=f"{kind.replace('_', ' ').capitalize()} of ${latex(expr)}$ with respect to ${latex(W)}$",
        kind=kind, function=expr, wrt=W, symmetric=symmetric, direction=direction,
    )
    return Derivation(problem=problem, steps=tuple(steps), result=result, summary=summary,
                      assumptions=_assumptions(expr, W, symmetric),
                      remarks=_remarks(expr, W, result) + ((read_back,) if read_back else ()))


# --- the public functions ---------------------------------------------------------------------------------
def gradient(expr: Any, wrt: Any, *, symmetric: bool = False) -> Derivation:
    """The gradient ∇_W L of a scalar L (a scalar or 1 x 1 expression), shape of W (denominator layout).

    Args:
        expr: the scalar function L, built from symml's constructors or plain SymPy matrix expressions.
        wrt: the matrix or vector symbol W, or a scalar symbol t (then the result is the scalar ∂L/∂t).
        symmetric: W is a symmetric matrix (also implied by ``symml.matrix(..., symmetric=True)``): the
            gradient is then the symmetric part (G + Gᵀ)/2 of the unconstrained gradient G.

    >>> import symml
    >>> S = symml.matrix("S", 3, 3)
    >>> gradient(symml.logdet(S), S).result
    S.T**(-1)
    """
    expr, read_back = matrix_form_of_entries(expr)
    expr, W = _prepare(expr, wrt, symmetric)
    _require_scalar(expr, "gradient")
    symmetric = isinstance(W, SymmetricMatrixSymbol)

    def build() -> tuple:
        if is_scalar_variable(W):
            steps, G = derivative_steps(expr, W, "gradient")
            return steps, G, (steps[-1].math,)
        steps, G = _gradient_steps(expr, W, symmetric)
        return steps, G, (sp.Eq(DerivativeSymbol("gradient", _L, W, *W.shape), G, evaluate=False),)

    return _derive("gradient", expr, W, build, symmetric=symmetric, read_back=read_back)


def hessian(expr: Any, wrt: Any) -> Derivation:
    """The Hessian of a scalar L: the Jacobian of its gradient, d(∇L) = H dw.

    For a vector w of shape (d, 1) the result is a d x d matrix; for a matrix W it acts on vec(dW)
    (shape (size W, size W)), written with Kronecker products; for a scalar symbol t it is ∂²L/∂t².

    >>> import symml
    >>> X = symml.matrix("X", 5, 3); w = symml.vector("w", 3)
    >>> hessian(symml.sq_norm(X @ w), w).result
    2*X.T*X
    """
    expr, read_back = matrix_form_of_entries(expr)
    expr, W = _prepare(expr, wrt, False)
    _require_scalar(expr, "Hessian")

    def build() -> tuple:
        if is_scalar_variable(W):
            steps, H = derivative_steps(expr, W, "hessian")
            return steps, H, (steps[-1].math,)
        steps, G = _gradient_steps(expr, W, False)
        more, H = _jacobian_steps(G, W, DerivativeSymbol("gradient", _L, W, *W.shape), "hessian")
        symbol = DerivativeSymbol("hessian", _L, W, _size(W), _size(W))
        return steps + more, H, (sp.Eq(symbol, H, evaluate=False),)

    return _derive("hessian", expr, W, build, symmetric=isinstance(W, SymmetricMatrixSymbol), read_back=read_back)


def jacobian(expr: Any, wrt: Any) -> Derivation:
    """The Jacobian J = ∂vec(f)/∂vec(W)ᵀ of a vector or matrix function f, numerator layout (shape (size f, size W)).

    >>> import symml
    >>> W = symml.matrix("W", 4, 3); x = symml.vector("x", 3)
    >>> jacobian(W @ x, x).result
    W

    With respect to a scalar symbol t the Jacobian is ∂f/∂t, of the shape of f (Matrix Cookbook 2.4):

    >>> import sympy as sp
    >>> t = sp.Symbol("t")
    >>> jacobian(t**2 * W @ x, t).result
    (2*t)*W*x
    """
    expr, read_back = matrix_form_of_entries(expr)
    expr, W = _prepare(expr, wrt, False)
    if not is_matrix(expr):
        raise ShapeError(f"the Jacobian needs a vector or matrix function; {expr} is a scalar (use gradient)")

    def build() -> tuple:
        if is_scalar_variable(W):
            steps, J = derivative_steps(expr, W, "jacobian")
            return steps, J, (steps[-1].math,)
        steps, J = _jacobian_steps(expr, W, _F, "jacobian")
        steps.insert(0, _function_step(_F, expr))
        return steps, J, (sp.Eq(DerivativeSymbol("jacobian", _F, W, _size(expr), _size(W)), J, evaluate=False),)

    return _derive("jacobian", expr, W, build, read_back=read_back)


def _trace(M: Any) -> sp.Expr:
    """tr M, using tr(A + B) = tr A + tr B and tr(A ⊗ B) = tr A tr B."""
    if isinstance(M, sp.MatAdd):
        return sp.Add(*(_trace(term) for term in M.args))
    if isinstance(M, sp.MatMul):
        coefficient, matrices = M.as_coeff_matrices()
        if coefficient != 1:
            return coefficient * _trace(sp.MatMul(*matrices) if len(matrices) > 1 else matrices[0])
        if matrices[0].shape[1] == 1:  # tr(u Rᵀ) = Rᵀu, a 1 x 1 product (cyclic): tr(x xᵀ) = xᵀx
            return to_scalar(mul(*matrices[1:], matrices[0]))
    if isinstance(M, KroneckerProduct):
        return sp.Mul(*(_trace(f) for f in M.args))
    if isinstance(M, sp.Identity):
        return M.shape[0]
    return to_scalar(M) if tuple(M.shape) == (1, 1) else sp.Trace(M)


def laplacian(expr: Any, wrt: Any) -> Derivation:
    """The Laplacian Δ_W L = tr(∇²_W L), the sum of the unmixed second derivatives; a scalar.

    >>> import symml
    >>> w = symml.vector("w", 3)
    >>> laplacian(symml.sq_norm(w), w).result
    6
    """
    expr, read_back = matrix_form_of_entries(expr)
    expr, W = _prepare(expr, wrt, False, scalar_allowed=False)
    _require_scalar(expr, "Laplacian")

    def build() -> tuple:
        steps, G = _gradient_steps(expr, W, False)
        more, H = _jacobian_steps(G, W, DerivativeSymbol("gradient", _L, W, *W.shape), "hessian")
        value = _trace(H)
        symbol = DerivativeSymbol("laplacian", _L, W, 1, 1)
        trace_step = Step("Trace of the Hessian", sp.Eq(symbol, value, evaluate=False),
                          "Δ L = tr ∇²L; tr(A + B) = tr A + tr B, tr(A ⊗ B) = tr A tr B")
        return steps + more + [trace_step], value, (sp.Eq(symbol, value, evaluate=False),)

    return _derive("laplacian", expr, W, build, read_back=read_back)


def directional_derivative(expr: Any, wrt: Any, direction: Any) -> Derivation:
    """The derivative of f at W along V: lim (f(W + tV) − f(W)) / t = ⟨∇_W f, V⟩ for a scalar f, J vec(V) otherwise.

    Args:
        expr: the function (scalar, vector or matrix expression).
        wrt: the symbol W.
        direction: a symbol V of the shape of W.

    >>> import symml
    >>> A = symml.matrix("A", 3, 3); w = symml.vector("w", 3); v = symml.vector("v", 3)
    >>> directional_derivative(w.T @ A @ w, w, v).result
    Scalar(w.T*(A + A.T)*v)
    """
    expr, read_back = matrix_form_of_entries(expr)
    expr, W = _prepare(expr, wrt, False, scalar_allowed=False)
    if not isinstance(direction, sp.MatrixSymbol) or direction.shape != W.shape:
        raise ShapeError(f"the direction must be a matrix symbol of the shape of {W}, {W.shape}; got {direction!r}")
    symbol = DerivativeSymbol("directional_derivative", _L if is_scalar_valued(expr) else _F, direction,
                              *(expr.shape if is_matrix(expr) else (1, 1)))

    def build() -> tuple:
        if is_scalar_valued(expr):
            steps, G = _gradient_steps(expr, W, False)
            value = to_scalar(mul(transpose(G), direction)) if W.shape[1] == 1 else \
                sp.Trace(mul(transpose(G), direction))
            why = "$D_V L = \\langle \\nabla L, V \\rangle = \\operatorname{tr}(\\nabla L^{\\top} V)$"
        else:
            rules = Rules()
            dF = differential(expr, W, rules)
            steps = [_function_step(_F, expr), *rules.steps()]
            value = sp.ZeroMatrix(*expr.shape) if dF is None else dF.xreplace({MatrixDifferential.of(W): direction})
            why = "the differential evaluated at dW = V"
        steps.append(Step("Along the direction", sp.Eq(symbol, value, evaluate=False), why))
        return steps, value, (sp.Eq(symbol, value, evaluate=False),)

    return _derive("directional_derivative", expr, W, build, direction=direction, read_back=read_back)

"""Stationary points of a loss with respect to a vector or matrix: the gradient set to zero, solved at matrix level.

SymPy's ``solve`` refuses matrix equations of symbolic shape. This module solves the ones that ML losses produce
by general rules that each keep the equation equivalent, shown as steps:

1. divide by a common scalar factor;
2. cancel an invertible factor that every term shares on the left (or on the right), e.g. Σ⁻¹;
3. clear the unknown's inverse by multiplying through by the unknown (it is invertible where its inverse appears);
4. collect the terms that are linear in the unknown, ``A U = B`` (or ``U A = B``), and solve ``U = A⁻¹B``.

Normal equations (least squares, ridge: ``(XᵀX + λI)⁻¹Xᵀy``), the Gaussian mean and covariance (``Σ = S/n``) and
the precision (``Λ = nS⁻¹``) all come out of these rules. Where the unknown enters non-linearly (logistic
regression: σ(Xw)), there is no closed form: the derivation says so, shows the stationarity condition, and its
``numpy()`` solves it numerically by damped Newton steps on the derived gradient and Hessian.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any, Callable, Literal, Sequence

import numpy as np
import sympy as sp
from sympy.matrices.expressions import Inverse, MatAdd, MatMul, MatrixExpr

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import NotIdentifiableError, ShapeError, UnsupportedOperationError
from symml.operations import numpy_function, verify
from symml.render.printer import latex
from symml.testing import random_spd

__all__ = ["stationary_point", "StationaryProblem", "solve_linear_matrix_equation", "MatrixEquationSolution"]

Side = Literal["left", "right"]


@dataclass(frozen=True)
class _Term:
    """One term ``coefficient * F1 F2 ... Fk`` of a matrix sum; no factor is a scalar."""

    coefficient: sp.Expr
    factors: tuple[MatrixExpr, ...]

    def expr(self, shape: tuple) -> MatrixExpr:
        if not self.factors:
            return self.coefficient * sp.Identity(shape[0])
        return MatMul(self.coefficient, *self.factors).doit() if self.coefficient != 1 else MatMul(*self.factors).doit()


@dataclass(frozen=True)
class MatrixEquationSolution:
    """What solving ``expression = 0`` for ``unknown`` gave: the steps taken, and the solution or why there is none.

    Attributes:
        steps: the equivalent equations, one :class:`Step` per rule applied.
        solution: the unknown as a matrix expression free of it, or None.
        reason: when ``solution`` is None, why no rule applies (in words).
    """

    steps: tuple[Step, ...]
    solution: MatrixExpr | None
    reason: str = ""


def _split(expr: MatrixExpr) -> tuple[sp.Expr, tuple[MatrixExpr, ...]]:
    coefficient, matrices = expr.as_coeff_mmul()
    factors = matrices.args if isinstance(matrices, MatMul) else (matrices,)
    return coefficient, tuple(f for f in factors if not isinstance(f, sp.Identity))


def _terms(expr: MatrixExpr, unknown: MatrixExpr) -> list[_Term]:
    """Distribute products over the sums that contain ``unknown``; sums free of it stay whole (readable results)."""
    expr = expr.doit()
    if isinstance(expr, MatAdd):
        return [term for arg in expr.args for term in _terms(arg, unknown)]
    coefficient, factors = _split(expr)
    choices = [
        _terms(f, unknown) if isinstance(f, MatAdd) and f.has(unknown) else [_Term(sp.S.One, (f,))] for f in factors
    ]
    if all(len(c) == 1 for c in choices):
        return [_Term(coefficient, factors)]
    terms = []
    for picked in product(*choices):
        term_coefficient = coefficient * sp.Mul(*(t.coefficient for t in picked))
        matrix = MatMul(*(f for t in picked for f in t.factors)).doit() if any(t.factors for t in picked) else None
        if matrix is None:
            terms.append(_Term(term_coefficient, ()))
        else:
            inner, inner_factors = _split(matrix)
            terms.append(_Term(term_coefficient * inner, inner_factors))
    return terms


def _rebuild(terms: Sequence[_Term]) -> list[_Term]:
    """Re-split terms after factors changed (so that ``Σ Σ⁻¹ = I`` and ``1ᵀ1 = n`` are applied)."""
    rebuilt = []
    for term in terms:
        if not term.factors:
            rebuilt.append(term)
            continue
        coefficient, factors = _split(MatMul(*term.factors).doit())
        rebuilt.append(_Term(term.coefficient * coefficient, factors))
    return rebuilt


def _sum(terms: Sequence[_Term], shape: tuple) -> MatrixExpr:
    if not terms:
        return sp.ZeroMatrix(*shape)
    return MatAdd(*(t.expr(shape) for t in terms)) if len(terms) > 1 else terms[0].expr(shape)


def _common_scalar(terms: Sequence[_Term]) -> sp.Expr:
    markers = sp.symbols(f"_m0:{len(terms)}", cls=sp.Dummy)
    factored = sp.factor_terms(sp.Add(*(t.coefficient * m for t, m in zip(terms, markers))))
    common, _ = factored.as_independent(*markers, as_Add=False)
    return common


def _is_invertible(factor: MatrixExpr, unknown: MatrixExpr, unknown_invertible: bool) -> bool:
    if isinstance(factor, Inverse):
        return True
    return unknown_invertible and factor == unknown


class _Solver:
    """Applies the rules to ``terms = 0`` for ``unknown``, recording each equivalent equation as a step."""

    def __init__(self, expression: MatrixExpr, unknown: MatrixExpr):
        self.unknown = unknown
        self.shape = expression.shape
        self.inverse = Inverse(unknown)
        self.unknown_invertible = expression.has(self.inverse)
        expression = expression.doit()
        self.terms = [t for t in _terms(expression, unknown) if t.coefficient != 0]
        self.steps: list[Step] = []

    def equation(self) -> sp.Eq:
        return sp.Eq(_sum(self.terms, self.shape), sp.ZeroMatrix(*self.shape), evaluate=False)

    def record(self, title: str, why: str) -> None:
        self.steps.append(Step(title, self.equation(), why))

    def divide_common_scalar(self) -> None:
        common = _common_scalar(self.terms)
        if common != 1 and common != 0:
            self.terms = [_Term(sp.cancel(t.coefficient / common), t.factors) for t in self.terms]
            self.record(f"Multiply by ${latex(1 / common)}$", "it clears a non-zero scalar factor common to every term")

    def cancel_common_factor(self, side: Side) -> bool:
        position = 0 if side == "left" else -1
        if not all(t.factors for t in self.terms):
            return False
        first = self.terms[0].factors[position]
        if not all(t.factors[position] == first for t in self.terms):
            return False
        if not _is_invertible(first, self.unknown, self.unknown_invertible):
            return False
        self.terms = [_Term(t.coefficient, t.factors[1:] if side == "left" else t.factors[:-1]) for t in self.terms]
        self.shape = (first.shape[1], self.shape[1]) if side == "left" else (self.shape[0], first.shape[0])
        self.record(
            f"Cancel ${latex(first)}$ on the {side}",
            f"every term has it as its {side} factor, and it is invertible: multiply by its inverse",
        )
        return True

    def clear_inverse(self, side: Side) -> bool:
        position = 0 if side == "left" else -1
        if not any(t.factors and t.factors[position] == self.inverse for t in self.terms):
            return False
        u = self.unknown
        self.terms = _rebuild(
            [
                _Term(t.coefficient, (u, *t.factors) if side == "left" else (*t.factors, u))
                if t.factors
                else _Term(t.coefficient, (u,))
                for t in self.terms
            ]
        )
        self.record(
            f"Multiply by ${latex(u)}$ on the {side}",
            f"${latex(u)}$ is invertible (its inverse appears), so the equation keeps its solutions",
        )
        return True

    def isolate(self) -> None:
        """Apply rules 1-3 until none applies (a bounded number of rounds: each removes a factor)."""
        self.divide_common_scalar()
        sides: tuple[Side, Side] = ("left", "right")
        for _ in range(2 * len(self.unknown.shape) + 4):
            changed = False
            for side in sides:
                changed |= self.cancel_common_factor(side)
            for side in sides:
                if self.clear_inverse(side):
                    changed = True
                    break
            if not changed:
                return
            self.divide_common_scalar()

    def collect(self) -> MatrixEquationSolution:
        """Rule 4: ``A U + C = 0`` gives ``U = A⁻¹(−C)``; ``U A + C = 0`` gives ``U = (−C)A⁻¹``."""
        u = self.unknown
        with_u = [t for t in self.terms if t.coefficient.has(u) or any(f.has(u) for f in t.factors)]
        constant = [t for t in self.terms if t not in with_u]
        if not with_u:
            return self._none("the condition does not depend on the unknown")
        sides: set[str] = set()
        coefficients: list[_Term] = []
        for term in with_u:
            positions = [i for i, f in enumerate(term.factors) if f.has(u)]
            if term.coefficient.has(u) or len(positions) != 1 or term.factors[positions[0]] != u:
                return self._none("the unknown enters non-linearly (through a function, a transpose or a power)")
            (i,) = positions
            last = len(term.factors) - 1
            if 0 < i < last:
                return self._none("the unknown is multiplied on both sides (a Sylvester equation)")
            if last > 0:
                sides.add("left" if i == last else "right")
            rest = term.factors[:i] if i == last else term.factors[1:]
            coefficients.append(_Term(term.coefficient, rest))
        if len(sides) > 1:
            return self._none("the unknown is multiplied on the left in some terms and on the right in others")
        side = sides.pop() if sides else "left"
        right_hand = _sum([_Term(-t.coefficient, t.factors) for t in constant], u.shape)
        size = u.shape[0] if side == "left" else u.shape[1]
        if all(not t.factors for t in coefficients):
            scale = sp.Add(*(t.coefficient for t in coefficients))
            collected = sp.Eq(scale * u, right_hand, evaluate=False)
            self.steps.append(Step("Collect the terms in the unknown", collected, ""))
            solution = (right_hand / scale).doit() if scale != 1 else right_hand
            self.steps.append(Step("Solve", sp.Eq(u, solution, evaluate=False), f"divide by ${latex(scale)}$"))
            return MatrixEquationSolution(tuple(self.steps), solution)
        matrix = _sum(coefficients, (size, size))
        lhs = MatMul(matrix, u) if side == "left" else MatMul(u, matrix)
        self.steps.append(Step("Collect the terms in the unknown", sp.Eq(lhs, right_hand, evaluate=False), ""))
        solution = MatMul(Inverse(matrix), right_hand) if side == "left" else MatMul(right_hand, Inverse(matrix))
        solution = solution.doit()
        self.steps.append(
            Step(
                "Solve",
                sp.Eq(u, solution, evaluate=False),
                f"multiply by the inverse of ${latex(matrix)}$ on the {side}; it is invertible exactly when the "
                "stationary point is unique",
            )
        )
        return MatrixEquationSolution(tuple(self.steps), solution)

    def _none(self, reason: str) -> MatrixEquationSolution:
        return MatrixEquationSolution(tuple(self.steps), None, reason)


def solve_linear_matrix_equation(expression: MatrixExpr, unknown: sp.MatrixSymbol) -> MatrixEquationSolution:
    """Solve ``expression = 0`` for the matrix or vector ``unknown``, at matrix level (any symbolic shape).

    Args:
        expression: a matrix expression of the shape of ``unknown`` (typically a gradient).
        unknown: the MatrixSymbol to solve for (a symmetric one, ``symml.matrix(..., symmetric=True)``, is its own
            transpose).

    Returns:
        the steps, and the solution or, when none of the rules applies, ``None`` with the reason.

    >>> import sympy as sp
    >>> n, d = sp.symbols("n d", integer=True, positive=True)
    >>> X, w, y = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("w", d, 1), sp.MatrixSymbol("y", n, 1)
    >>> solve_linear_matrix_equation(2*X.T*(X*w - y), w).solution
    (X.T*X)**(-1)*X.T*y
    """
    solver = _Solver(expression, unknown)
    solver.record("Stationarity condition", "the gradient vanishes at a minimum of a differentiable loss")
    solver.isolate()
    return solver.collect()


# --- the derivation: gradient, stationarity, solution (or the numeric route) -----------------------------------
@dataclass(frozen=True)
class StationaryProblem:
    """A stationary point of a scalar loss with respect to one matrix or vector symbol, and what was derived.

    Attributes:
        title: one line describing the problem.
        loss: the scalar (1 x 1) loss expression.
        wrt: the unknown (a SymmetricMatrixSymbol when it is symmetric).
        gradient: the derived gradient (denominator layout: the shape of ``wrt``).
        solution: the closed form of the unknown, or None when there is none.
        hessian: the derived Hessian (a vector unknown's (d, d) matrix; on vec for a matrix), for the numeric
            route; None when there is a closed form or the Hessian could not be derived.
        smooth: False when the loss uses abs, relu or a step, so that stationarity means 0 ∈ ∂L.
    """

    title: str
    loss: Any
    wrt: sp.MatrixSymbol
    gradient: Any
    solution: MatrixExpr | None
    hessian: Any = None
    smooth: bool = True


def _estimate_symbol(W: sp.MatrixSymbol) -> sp.MatrixSymbol:
    """Ŵ for display: SymPy's LaTeX printer turns a trailing "hat" into \\hat{}."""
    return sp.MatrixSymbol(f"{W.name}hat", *W.shape)


def stationary_point(loss: Any, wrt: Any, *, symmetric: bool = False) -> Derivation:
    """Where the gradient of ``loss`` with respect to ``wrt`` vanishes, solved at matrix level when it can be.

    The gradient is derived by :func:`symml.derive.gradient` and set to zero; the matrix equation is solved by
    the rules of :func:`solve_linear_matrix_equation`. When no rule gives a closed form (the unknown enters
    through sigmoid, exp, ...), the derivation says so and shows the stationarity condition; its ``numpy()`` then
    solves that condition numerically: Levenberg-Marquardt (SciPy's MINPACK) on the derived gradient with the
    derived Hessian as its Jacobian, that is Newton steps, damped where the Hessian is singular (the softmax
    weights are determined only up to a shift per class). A closed form's ``numpy()`` evaluates ``A⁻¹B`` as ``np.linalg.solve(A, B)``.

    Args:
        loss: a scalar (1 x 1) expression, e.g. from :mod:`symml.losses`.
        wrt: the unknown, a matrix or vector symbol.
        symmetric: ``wrt`` is a symmetric matrix (implied by ``symml.matrix(..., symmetric=True)``).

    Returns:
        a Derivation whose ``result`` is the closed form (a matrix expression) or None.

    >>> import symml, sympy as sp
    >>> n, d = symml.dims("n d")
    >>> X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    >>> stationary_point(symml.losses.ridge(X, w, y, sp.Symbol("lambda")), w).result
    (lambda*I + X.T*X)**(-1)*X.T*y
    """
    from symml.matrix_calculus.derivatives import gradient, hessian
    from symml.matrix_calculus.differential import subgradient_used

    derived = gradient(loss, wrt, symmetric=symmetric)
    W, G = derived.problem.wrt, derived.result
    solved = within(SOLVE_SECONDS, f"solving the stationarity condition for {W}", solve_linear_matrix_equation, G, W)
    smooth = not subgradient_used(loss)
    title = f"Stationary point of ${latex(derived.problem.function)}$ in ${latex(W)}$"
    remarks = [r for r in derived.remarks]
    if solved.solution is not None:
        estimate = _estimate_symbol(W)
        problem = StationaryProblem(title, derived.problem.function, W, G, solved.solution, smooth=smooth)
        remarks.append(
            "numpy() evaluates the closed form; an inverse applied to a matrix is computed with np.linalg.solve."
        )
        return Derivation(
            problem=problem,
            steps=derived.steps + solved.steps,
            result=solved.solution,
            summary=(sp.Eq(estimate, solved.solution, evaluate=False),),
            assumptions=derived.assumptions,
            remarks=tuple(remarks),
        )
    condition = sp.Eq(G, sp.ZeroMatrix(*G.shape), evaluate=False)
    steps = list(derived.steps + solved.steps)
    if smooth:
        second = hessian(loss, W)
        steps.append(Step("Hessian, for Newton's method", second.summary[0], "derived by symml.derive.hessian"))
        remarks.append(
            f"No closed form: {solved.reason}. numpy() solves the stationarity condition numerically (damped "
            "Newton steps: Levenberg-Marquardt on the derived gradient, with the derived Hessian as its Jacobian)."
        )
        hessian_result = second.result
    else:
        remarks.append(
            f"No closed form: {solved.reason}. The loss is not differentiable everywhere: stationarity means "
            "0 ∈ ∂L, and the condition shown uses one subgradient. numpy() has no solver for non-smooth losses."
        )
        hessian_result = None
    problem = StationaryProblem(title, derived.problem.function, W, G, None, hessian_result, smooth)
    return Derivation(
        problem=problem,
        steps=tuple(steps),
        result=None,
        summary=(condition,),
        assumptions=derived.assumptions,
        remarks=tuple(remarks),
    )


# --- numpy() and verify() ------------------------------------------------------------------------------------
def _signature(expr: Any, unknown: sp.MatrixSymbol) -> tuple[list, list]:
    """The matrix inputs of ``expr`` other than ``unknown``, and its scalar parameters (free symbols not dims)."""
    matrices = sorted((m for m in expr.atoms(sp.MatrixSymbol) if m != unknown), key=lambda m: m.name)
    dims = {dim for m in [*matrices, unknown] for dim in m.shape}
    parameters = sorted((s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s not in dims),
                        key=lambda s: s.name)
    return matrices, parameters


def _size_of(unknown: sp.MatrixSymbol, inputs: Sequence[sp.MatrixSymbol], data: dict) -> tuple[int, int]:
    """The unknown's numeric shape, read off the data arrays the way the NumPy export reads dimensions."""
    sizes: dict = {}
    for symbol in inputs:
        array = np.asarray(data[symbol.name])
        shape = array.shape if array.ndim == 2 else (array.size, 1)
        sizes.update(zip(symbol.shape, shape))
    rows, cols = unknown.shape
    try:
        return int(sizes.get(rows, rows)), int(sizes.get(cols, cols))
    except TypeError:
        raise ShapeError(f"the shape {unknown.shape} of {unknown.name} cannot be read off the inputs") from None


def _newton(problem: StationaryProblem) -> Callable[..., np.ndarray]:
    from scipy.optimize import root

    from symml.matrix_calculus.numpy_export import numpy_function as export

    W = problem.wrt
    inputs, parameters = _signature(problem.gradient, W)
    gradient = export(problem.gradient, [*inputs, W], parameters=parameters)
    hessian = export(problem.hessian, [*inputs, W], parameters=parameters)

    def solve(**data: Any) -> np.ndarray:
        shape = _size_of(W, inputs, data)

        def unflatten(v: np.ndarray) -> np.ndarray:
            return v.reshape(shape, order="F")

        found = root(
            lambda v: np.asarray(gradient(**data, **{W.name: unflatten(v)})).ravel(order="F"),
            np.zeros(shape[0] * shape[1]),
            jac=lambda v: np.asarray(hessian(**data, **{W.name: unflatten(v)})),
            method="lm",
        )
        if not found.success or not np.all(np.isfinite(found.x)):
            raise NotIdentifiableError(
                f"Damped Newton steps on the stationarity condition did not converge ({found.message.strip()}): the "
                "loss may have no finite minimiser (for logistic regression: separable classes)"
            )
        return found.x if shape[1] == 1 else unflatten(found.x)

    return solve


@numpy_function.register(StationaryProblem)
def _numpy_stationary(problem: StationaryProblem, derivation: Derivation, **options: Any) -> Callable[..., Any]:
    """The closed form as a NumPy function of the other inputs (``A⁻¹B`` by ``np.linalg.solve``), or else a
    numeric solver of the stationarity condition; both take their inputs by name and return the unknown
    (a vector as a 1-D array)."""
    from symml.matrix_calculus.numpy_export import numpy_function as export

    if problem.solution is not None:
        inputs, parameters = _signature(problem.solution, problem.wrt)
        closed_form = export(problem.solution, inputs, parameters=parameters)
        needed = {s.name for s in [*inputs, *parameters]}
        loss_inputs = {s.name for group in _signature(problem.loss, problem.wrt) for s in group}

        def evaluate(**data: Any) -> np.ndarray:
            # inputs of the loss that the closed form does not use (Sigma for the mean) are accepted and ignored
            used = {name: value for name, value in data.items() if name in needed or name not in loss_inputs}
            value = np.asarray(closed_form(**used))
            return value.reshape(-1) if problem.wrt.shape[1] == 1 else value

        evaluate.source = closed_form.source  # type: ignore[attr-defined]
        return evaluate
    if not problem.smooth:
        raise UnsupportedOperationError(
            f"{problem.title}: the loss is not differentiable everywhere and has no closed form; symml has no "
            "numeric solver for non-smooth stationarity conditions (0 ∈ ∂L)"
        )
    return _newton(problem)


def _random_data(problem: StationaryProblem, rng: np.random.Generator) -> dict[str, Any]:
    """Random inputs for :func:`_verify_stationary`: symmetric matrices positive definite, others uniform on (0, 1)
    (so that targets are valid probabilities or rates), scalars in (0.5, 2); a dimension that is the row count of
    a non-square input (a sample size) is 4 times larger, so that the minimiser is unique."""
    inputs, parameters = _signature(problem.loss, problem.wrt)
    sample_sizes = {m.shape[0] for m in inputs if m.shape[0] != m.shape[1] and m.shape[1] != 1}
    sizes = {dim: int(rng.integers(2, 5)) * (4 if dim in sample_sizes else 1)
             for m in [*inputs, problem.wrt] for dim in m.shape if isinstance(dim, sp.Symbol)}
    data: dict[str, Any] = {}
    for m in inputs:
        rows, cols = (int(sizes.get(dim, dim)) for dim in m.shape)
        if m.shape[0] == m.shape[1] and m.T == m:
            data[m.name] = random_spd(rng, rows)
        else:
            data[m.name] = rng.uniform(0.0, 1.0, (rows, cols))
    data.update({p.name: float(rng.uniform(0.5, 2.0)) for p in parameters})
    return data


@verify.register(StationaryProblem)
def _verify_stationary(problem: StationaryProblem, derivation: Derivation, *, seed: int = 0,
                       data: dict | None = None, tolerance: float = 1e-4, **options: Any) -> Verification:
    """Minimise the loss itself with BFGS (no derived derivative used) and compare the minimiser with ``numpy()``.

    The search starts from the derived point perturbed by 10 % of its root-mean-square (or from 0 when there is no closed
    form); a symmetric unknown is searched over symmetric matrices. Random inputs come from ``seed`` unless
    ``data`` gives them (by name).
    """
    from scipy.optimize import minimize

    from symml.matrix_calculus.numpy_export import numpy_function as export

    rng = np.random.default_rng(seed)
    data = dict(data) if data is not None else _random_data(problem, rng)
    W = problem.wrt
    inputs, parameters = _signature(problem.loss, W)
    loss = export(problem.loss, [*inputs, W], parameters=parameters)
    derived = np.asarray(derivation.numpy()(**{k: v for k, v in data.items() if k != W.name}), dtype=float)
    shape = _size_of(W, inputs, data)
    symmetric = W.T == W

    def as_unknown(v: np.ndarray) -> np.ndarray:
        M = v.reshape(shape, order="F")
        return (M + M.T) / 2 if symmetric else M

    scale = float(np.sqrt(np.mean(derived**2))) or 1.0
    start = as_unknown((derived.reshape(shape, order="F") + 0.1 * scale * rng.standard_normal(shape)).ravel("F"))
    if problem.solution is None:
        start = np.zeros(shape)
    found = minimize(lambda v: loss(**data, **{W.name: as_unknown(v)}), start.ravel(order="F"), method="BFGS",
                     options={"gtol": 1e-10, "maxiter": 5000})
    numeric = as_unknown(found.x).reshape(derived.shape, order="F")
    comparisons = [
        Comparison(f"{W.name}[{', '.join(map(str, index))}]", float(a), float(b), relative_error(a, b, scale))
        for index, a, b in zip(np.ndindex(derived.shape), derived.ravel(), numeric.ravel())
    ]
    return Verification.from_comparisons(
        comparisons,
        method="scipy.optimize.minimize (BFGS) on the loss itself, from a perturbed start",
        tolerance=tolerance,
        seed=seed,
        details=(("shape", str(shape)), ("optimizer", found.message)),
    )

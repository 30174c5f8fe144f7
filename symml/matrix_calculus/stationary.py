"""Stationary points of a loss with respect to a vector or matrix: the gradient set to zero, solved at matrix level.

The gradient comes from the matrix-calculus engine; the equation ∇L = 0 is solved by the solving core's matrix
rules (:mod:`symml.optimize.matrix_solve`: invertible factors cancelled, linear terms collected and solved with the
invertibility condition stated, homogeneous systems as eigenproblems, rank-one coefficients by the minimum-norm
solution, 1 x 1 unknowns as scalar equations). Normal equations (least squares, ridge: ``(XᵀX + λI)⁻¹Xᵀy``), the
Gaussian mean and covariance (``Σ = S/n``) and the precision (``Λ = nS⁻¹``) all come out of these rules. Where the
unknown enters non-linearly (logistic regression: σ(Xw)), there is no closed form: the derivation says so, shows the
stationarity condition, and its ``numpy()`` solves it numerically by damped Newton steps on the derived gradient and
Hessian.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal, Sequence

import numpy as np
import sympy as sp
from sympy.matrices.expressions import Inverse, MatAdd, MatMul, MatrixExpr

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import NotIdentifiableError, ShapeError, UnsupportedOperationError
from symml.matrix_calculus.continuity import continuous
from symml.operations import numpy_function, verify
from symml.optimize.matrix_solve import solve_linear_matrix_equation
from symml.render.printer import latex
from symml.testing import random_spd

__all__ = ["stationary_point", "StationaryProblem"]

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
        eigen: ``(M, λ)`` when the stationary points are the eigenvectors of M (the condition is M W = λ W).
        family: the stationary points form a family and ``solution`` is its minimum-norm member.
        l1: for ``smooth + c · sum(|W|)``, the :class:`~symml.optimize.proximal.L1Split` (proximal gradient).
        continuous_gradient: the gradient is continuous although the loss uses abs or relu (Huber: C¹), so that
            numpy() minimises it by L-BFGS on the derived value and gradient.
        epigraph: for a loss linear in its relu and abs terms (hinge, absolute deviations), the
            :class:`~symml.matrix_calculus.epigraph.EpigraphSplit` that numpy() minimises by SLSQP.
    """

    title: str
    loss: Any
    wrt: sp.MatrixSymbol
    gradient: Any
    solution: MatrixExpr | None
    hessian: Any = None
    smooth: bool = True
    eigen: tuple | None = None
    family: bool = False
    l1: Any = None
    continuous_gradient: bool = True
    epigraph: Any = None


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
    from symml.optimize.core import DERIVE_SECONDS

    unknowns = wrt if isinstance(wrt, (list, tuple)) else [wrt]
    if all(isinstance(u, sp.Symbol) for u in unknowns) and not (
            isinstance(loss, sp.Basic) and loss.atoms(sp.MatrixSymbol)):
        raise ShapeError(f"stationary_point solves for a matrix or vector unknown; {loss} is a function of the scalar "
                         f"{', '.join(map(str, unknowns))}: use symml.derive.minimize or maximize (the stationarity "
                         "condition solved, then the second-order check) or symml.derive.gradient for the condition")
    return within(DERIVE_SECONDS, "the stationary point", _stationary_point, loss, wrt, symmetric)


def _stationary_point(loss: Any, wrt: Any, symmetric: bool) -> Derivation:
    from symml.matrix_calculus.derivatives import gradient, hessian
    from symml.matrix_calculus.differential import subgradient_used

    derived = gradient(loss, wrt, symmetric=symmetric)
    W, G = derived.problem.wrt, derived.result
    solved = within(SOLVE_SECONDS, f"solving the stationarity condition for {W}", solve_linear_matrix_equation, G, W)
    smooth = not subgradient_used(loss)
    continuous_gradient = smooth or continuous(G)
    title = f"Stationary point of ${latex(derived.problem.function)}$ in ${latex(W)}$"
    remarks = [r for r in derived.remarks]
    if solved.solution is not None:
        estimate = _estimate_symbol(W)
        problem = StationaryProblem(title, derived.problem.function, W, G, solved.solution, smooth=smooth,
                                    family=solved.kind == "minimum-norm")
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
    if solved.eigen is not None:
        matrix, eigenvalue = solved.eigen[:2]
        right = MatMul(solved.eigen[2], W) if len(solved.eigen) > 2 else W
        eigen_equation = sp.Eq(MatMul(matrix, W), eigenvalue * right, evaluate=False)
        remarks.append(
            f"The stationary points are the eigenvectors of ${latex(matrix)}$ (with ${latex(eigenvalue)}$ its "
            "eigenvalue), not a single point: which one is optimal needs a constraint such as "
            f"${latex(W)}^\\top {latex(W)} = 1$ (symml.derive.maximize with subject_to)."
        )
        problem = StationaryProblem(title, derived.problem.function, W, G, None, smooth=smooth, eigen=solved.eigen)
        return Derivation(problem=problem, steps=tuple(steps), result=eigen_equation, summary=(eigen_equation,),
                          assumptions=derived.assumptions, remarks=tuple(remarks))
    epigraph = None
    if smooth:
        second = hessian(loss, W)
        steps.append(Step("Hessian, for Newton's method", second.summary[0], "derived by symml.derive.hessian"))
        remarks.append(
            f"No closed form: {solved.reason}. numpy() solves the stationarity condition numerically (damped "
            "Newton steps: Levenberg-Marquardt on the derived gradient, with the derived Hessian as its Jacobian)."
        )
        hessian_result = second.result
    else:
        from symml.optimize.proximal import l1_split

        split = l1_split(derived.problem.function, W)
        if split is not None:
            steps.extend(split.steps)
            remarks.append(
                f"No closed form: {solved.reason}. The loss is smooth plus ${latex(split.weight)}$ times an L1 norm: "
                "stationarity means 0 ∈ ∂L. numpy() runs proximal gradient descent (ISTA with backtracking) with the "
                "soft-threshold derived above."
            )
        elif continuous_gradient:
            remarks.append(
                f"No closed form: {solved.reason}. The loss uses abs or relu, but each jump of its gradient is "
                "multiplied by a factor that vanishes where it jumps: the gradient is continuous (the loss is C¹), "
                "so the condition shown is exact. numpy() minimises the loss by L-BFGS on the derived value and "
                "gradient."
            )
        else:
            from symml.matrix_calculus.epigraph import epigraph_split

            epigraph = epigraph_split(derived.problem.function, W)
            remarks.append(
                f"No closed form: {solved.reason}. The loss is not differentiable everywhere: stationarity means "
                "0 ∈ ∂L, and the condition shown uses one subgradient. " + (
                    "numpy() has no solver for this non-smooth loss." if epigraph is None else
                    "The loss is linear in its relu and abs terms: numpy() minimises its epigraph form (each term a "
                    "slack T with T ≥ its argument, and T ≥ 0 for relu or T ≥ −its argument for abs) by SLSQP, a "
                    "local minimum (the global one for a convex loss)."))
        hessian_result = None
    problem = StationaryProblem(title, derived.problem.function, W, G, None, hessian_result, smooth,
                                l1=split if not smooth else None, continuous_gradient=continuous_gradient,
                                epigraph=epigraph)
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


def _value_and_gradient(loss: Any, loss_gradient: Any, W: sp.MatrixSymbol, inputs: list,
                        parameters: list) -> Callable[[dict, tuple], tuple[Callable, Callable]]:
    """For data and the unknown's shape: the loss and its gradient as functions of the unknown flattened (order F)."""
    from symml.matrix_calculus.numpy_export import numpy_function as export

    value_of = export(loss, [*inputs, W], parameters=parameters)
    gradient_of = export(loss_gradient, [*inputs, W], parameters=parameters)

    def at(data: dict, shape: tuple) -> tuple[Callable, Callable]:
        def value(w: np.ndarray) -> float:
            return float(np.asarray(value_of(**data, **{W.name: w.reshape(shape, order="F")})).ravel()[0])

        def grad(w: np.ndarray) -> np.ndarray:
            return np.asarray(gradient_of(**data, **{W.name: w.reshape(shape, order="F")}),
                              dtype=float).ravel(order="F")

        return value, grad

    return at


def _proximal(problem: StationaryProblem) -> Callable[..., np.ndarray]:
    from symml.matrix_calculus.derivatives import gradient
    from symml.optimize.proximal import TAU, V, proximal_gradient

    W, split = problem.wrt, problem.l1
    inputs, parameters = _signature(problem.loss, W)
    smooth_at = _value_and_gradient(split.smooth, gradient(split.smooth, W).result, W, inputs, parameters)
    weight = sp.lambdify(parameters, split.weight)
    threshold = sp.lambdify([V, TAU], split.threshold, "numpy")

    def solve(**data: Any) -> np.ndarray:
        shape = _size_of(W, inputs, data)
        c = float(weight(*[data[p.name] for p in parameters]))
        value, grad = smooth_at(data, shape)
        found = proximal_gradient(value, grad, lambda v, t: np.asarray(threshold(v, t * c), dtype=float),
                                  np.zeros(shape[0] * shape[1]))
        return found if shape[1] == 1 else found.reshape(shape, order="F")

    return solve


def _quasi_newton(problem: StationaryProblem) -> Callable[..., np.ndarray]:
    """L-BFGS on the loss and its derived gradient, for a loss that is C¹ but has no Hessian everywhere (Huber)."""
    from scipy.optimize import minimize

    W = problem.wrt
    inputs, parameters = _signature(problem.loss, W)
    loss_at = _value_and_gradient(problem.loss, problem.gradient, W, inputs, parameters)

    def solve(**data: Any) -> np.ndarray:
        shape = _size_of(W, inputs, data)
        value, grad = loss_at(data, shape)
        found = minimize(value, np.zeros(shape[0] * shape[1]), jac=grad, method="L-BFGS-B",
                         options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10000})
        if not np.all(np.isfinite(found.x)) or not np.isfinite(found.fun):
            raise NotIdentifiableError(f"L-BFGS on the loss did not reach a finite minimiser ({found.message})")
        return found.x if shape[1] == 1 else found.x.reshape(shape, order="F")

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
    if problem.eigen is not None:
        raise UnsupportedOperationError(
            f"{problem.title}: the stationary points are the eigenvectors of {problem.eigen[0]}, a family rather "
            "than one point; add the constraint that selects one (symml.derive.maximize(..., subject_to=...))"
        )
    if problem.l1 is not None:
        return _proximal(problem)
    if not problem.smooth and problem.continuous_gradient:
        return _quasi_newton(problem)
    if problem.epigraph is not None:
        from symml.matrix_calculus.epigraph import epigraph_minimiser

        inputs, parameters = _signature(problem.loss, problem.wrt)
        solve = epigraph_minimiser(problem.epigraph, problem.wrt, inputs, parameters,
                                   lambda data: _size_of(problem.wrt, inputs, data))
        return lambda **data: (lambda found: found.reshape(-1) if problem.wrt.shape[1] == 1 else found)(solve(**data))
    if not problem.smooth:
        raise UnsupportedOperationError(
            f"{problem.title}: the loss is not differentiable everywhere and has no closed form; symml has no "
            "numeric solver for non-smooth stationarity conditions (0 ∈ ∂L)"
        )
    return _newton(problem)


def _random_data(problem: Any, rng: np.random.Generator) -> dict[str, Any]:
    """Random inputs of a problem's ``loss`` other than its unknown ``wrt`` (for :func:`_verify_stationary` and the
    other matrix-level checks): symmetric matrices positive definite, others uniform on (0, 1)
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

    The search starts from the identity (a square unknown) or a constant vector of 0.1, never from the derived
    point; a symmetric unknown is searched over symmetric matrices. Random inputs come from ``seed`` unless
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

    # A symmetric unknown under log det or an inverse lives on the positive definite cone: search over its
    # Cholesky factor L (W = L Lᵀ), so that every trial point is in the domain.
    from symml.matrix_calculus.expressions import Det, LogDet

    cone = symmetric and any(node.args[0] == W for node in problem.loss.atoms(LogDet, Det, sp.Inverse))

    def as_unknown(v: np.ndarray) -> np.ndarray:
        M = v.reshape(shape, order="F")
        if cone:
            L = np.tril(M)
            return L @ L.T
        return (M + M.T) / 2 if symmetric else M

    scale = float(np.sqrt(np.mean(derived**2))) or 1.0
    # The search never starts at (or near) the answer it checks: the identity for a square unknown (positive
    # definite, where log det and inverses are defined), else a fixed small vector independent of the answer.
    # For a family of minimisers of a quadratic, BFGS from zero stays in the span of the gradients and so finds
    # the minimum-norm member, which is what the derivation claims.
    start = np.zeros(shape) if problem.family else np.eye(shape[0]) if shape[0] == shape[1] else np.full(shape, 0.1)
    def objective(v: np.ndarray, sense: float) -> float:
        with np.errstate(all="ignore"):
            value = sense * float(np.real(loss(**data, **{W.name: as_unknown(v)})))
        return value if np.isfinite(value) else np.inf  # outside the domain (log det of a non-PD matrix)

    def search(sense: float) -> Any:
        found = minimize(objective, start.ravel(order="F"), args=(sense,), method="BFGS",
                         options={"gtol": 1e-10, "maxiter": 5000})
        if not found.success:  # restart where BFGS stopped: a line search that met the domain's edge
            found = minimize(objective, found.x, args=(sense,), method="BFGS", options={"gtol": 1e-10, "maxiter": 5000})
        return found

    if problem.l1 is not None:
        return _verify_l1(problem, derived, data, shape, seed, tolerance)
    if problem.epigraph is not None:
        return _verify_kinked(lambda v: objective(v, 1.0), derived, start, shape, seed, tolerance)
    found, searched = search(1.0), "minimize (BFGS) on the loss itself"
    if not (found.success or _flat(objective, found)):
        # a concave objective (a log-likelihood in a precision matrix: log det L − tr(SL)) has no minimum: the
        # search for one ends away from any stationary point, so its stationary point, a maximum, is searched the
        # same way on the negated loss, and kept where the loss is flat there (judged blind to the derived answer)
        other = search(-1.0)
        if _flat(objective, other):
            found, searched = other, "minimize (BFGS) on the negated loss (it has no minimum: a maximum)"
    numeric = as_unknown(found.x).reshape(derived.shape, order="F")
    comparisons = [
        Comparison(f"{W.name}[{', '.join(map(str, index))}]", float(a), float(b), relative_error(a, b, scale))
        for index, a, b in zip(np.ndindex(derived.shape), derived.ravel(), numeric.ravel())
    ]
    return Verification.from_comparisons(
        comparisons,
        method=f"scipy.optimize.{searched}, from a start independent of the derived answer",
        tolerance=tolerance,
        seed=seed,
        details=(("shape", str(shape)), ("optimizer", found.message)),
    )


def _flat(objective: Callable[[np.ndarray, float], float], found: Any) -> bool:
    """Whether a search ended where the loss's gradient (central differences) nearly vanishes."""
    value = float(found.fun)
    return bool(np.isfinite(value)) and _slope(objective, found.x) <= 1e-4 * (1.0 + abs(value))


def _slope(objective: Callable[[np.ndarray, float], float], point: np.ndarray) -> float:
    """The length of the loss's gradient at ``point`` by central differences (inf outside the domain)."""
    slopes = []
    for i in range(point.size):
        step = np.zeros_like(point)
        step[i] = 1e-6 * (1.0 + abs(point[i]))
        slopes.append((objective(point + step, 1.0) - objective(point - step, 1.0)) / (2 * step[i]))
    with np.errstate(invalid="ignore"):
        length = float(np.linalg.norm(slopes))
    return length if np.isfinite(length) else np.inf


def _verify_kinked(objective: Callable[[np.ndarray], float], derived: np.ndarray, start: np.ndarray, shape: tuple,
                   seed: int, tolerance: float) -> Verification:
    """A loss with kinks solved through its epigraph: Powell's derivative-free search on the loss itself (restarted
    at its own answer until it stops improving), compared by the loss's value, which is what a kink leaves unique
    (absolute deviations may be minimised on a segment): the derived point must do at least as well."""
    from scipy.optimize import minimize

    found = minimize(objective, start.ravel(order="F"), method="Powell", options={"xtol": 1e-12, "ftol": 1e-15})
    for _ in range(5):
        again = minimize(objective, found.x, method="Powell", options={"xtol": 1e-12, "ftol": 1e-15})
        if again.fun >= found.fun - 1e-15 * max(1.0, abs(found.fun)):
            break
        found = again
    value = objective(derived.reshape(-1, order="F") if derived.ndim == 1 else derived.ravel(order="F"))
    excess = max(0.0, value - found.fun) / max(1.0, abs(found.fun))
    return Verification.from_comparisons(
        [Comparison("loss at the minimum", value, float(found.fun), excess)],
        method="scipy.optimize.minimize (Powell, derivative-free, restarted) on the loss itself, from a start "
        "independent of the derived answer; the derived point's loss must be no larger", tolerance=tolerance,
        seed=seed, details=(("shape", str(shape)), ("optimizer", str(found.message))))


def _verify_l1(problem: StationaryProblem, derived: np.ndarray, data: dict, shape: tuple, seed: int,
               tolerance: float) -> Verification:
    """smooth(u - v) + c Σ(u + v) over u, v >= 0 by L-BFGS-B: a smooth reformulation of the L1 penalty, solved
    from a constant start, independent of the proximal iteration and the soft-threshold."""
    from scipy.optimize import minimize

    from symml.matrix_calculus.numpy_export import numpy_function as export

    W, split = problem.wrt, problem.l1
    inputs, parameters = _signature(problem.loss, W)
    smooth = export(split.smooth, [*inputs, W], parameters=parameters)
    c = float(sp.lambdify(parameters, split.weight)(*[data[p.name] for p in parameters]))
    size = shape[0] * shape[1]

    def objective(z: np.ndarray) -> float:
        w = (z[:size] - z[size:]).reshape(shape, order="F")
        return float(np.asarray(smooth(**data, **{W.name: w})).ravel()[0]) + c * float(np.sum(z))

    found = minimize(objective, np.full(2 * size, 0.1), method="L-BFGS-B", bounds=[(0.0, None)] * (2 * size),
                     options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 20000})
    numeric = (found.x[:size] - found.x[size:]).reshape(derived.shape, order="F")
    scale = float(np.sqrt(np.mean(derived**2))) or 1.0
    comparisons = [
        Comparison(f"{W.name}[{', '.join(map(str, index))}]", float(a), float(b), relative_error(a, b, scale))
        for index, a, b in zip(np.ndindex(derived.shape), derived.ravel(), numeric.ravel())
    ]
    return Verification.from_comparisons(
        comparisons, method="scipy.optimize.minimize (L-BFGS-B) on the split W = U - V, U, V >= 0, with the L1 "
        "penalty linear in U + V, from a constant start", tolerance=tolerance, seed=seed,
        details=(("shape", str(shape)), ("optimizer", str(found.message))))

"""Recalibrating a classifier: the Platt-scaling and temperature-scaling objectives, their derivatives, their fit.

**Platt scaling** (Platt 1999) maps a score s to P(y = 1 | s) = σ(a s + b) and fits (a, b) by the negative
log-likelihood of targets t_i (the labels, or Platt's smoothed targets t₊ = (N₊ + 1)/(N₊ + 2) for positives and
t₋ = 1/(N₋ + 2) for negatives, which keep the minimiser finite when the scores separate the classes). Since
−t log σ(z) − (1 − t) log(1 − σ(z)) = softplus(z) − t z, at matrix level with s, t of shape (n, 1):

.. math:: L(a, b) = \\mathbf{1}^\\top \\operatorname{softplus}(a s + b \\mathbf{1}) - t^\\top (a s + b \\mathbf{1})

**Temperature scaling** (Guo et al. 2017) divides the logits Z (n × K) by one T > 0; with Y the one-hot labels,

.. math:: L(T) = \\mathbf{1}^\\top \\operatorname{logsumexp}_{\\text{rows}}(Z / T) - \\mathbf{1}^\\top (Y \\circ Z)\\mathbf{1} / T

Gradients and Hessians come from the matrix-calculus engine (the scalars a, b, T as variables); the stationarity
equations are transcendental, so there is no closed-form minimiser, and ``numpy()`` fits by Newton's method on
the derived gradient and Hessian (with backtracking). L(a, b) is convex (its Hessian is Σ σ(1 − σ) [s 1]ᵀ[s 1]);
L is convex in β = 1/T (log-sum-exp of functions linear in β, minus a linear term), so L(T) has a single minimum
on T > 0 that a descent method reaches.

>>> d = derive_platt_scaling()
>>> d.result["gradient a"]
-Scalar(t.T*s) + Scalar(sum(HadamardProduct(sigmoid(a*s + b*1), s)))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import BudgetExceededError, ParameterError
from symml.operations import numpy_function, verify

__all__ = ["derive_platt_scaling", "derive_temperature_scaling", "Recalibration", "RecalibrationProblem",
           "platt_targets", "newton_minimise"]


@dataclass(frozen=True)
class RecalibrationProblem:
    """A recalibration objective and its derived derivatives (matrix expressions in the data symbols).

    Attributes:
        title: one line.
        kind: ``"platt"`` (parameters a, b; data s, t) or ``"temperature"`` (parameter T; data Z, Y).
        objective: L, a 1 × 1 matrix expression.
        derivatives: ``{"gradient a": ∂L/∂a, "hessian a,b": ∂²L/∂a∂b, ...}``.
        parameters: the scalars fitted, in order.
        data: the matrix symbols of the data, in order.
    """

    title: str
    kind: str
    objective: Any
    derivatives: Mapping[str, Any]
    parameters: tuple[sp.Symbol, ...]
    data: tuple[Any, ...]


@dataclass(frozen=True)
class Recalibration:
    """What ``numpy()`` returns: the objective, its derived gradient and Hessian, and the fit.

    For Platt scaling ``objective(theta, scores, targets)`` with theta = (a, b); ``fit(scores, labels,
    smoothing=True)`` returns (a, b) and ``probabilities(theta, scores)`` σ(a s + b). For temperature scaling
    ``objective(T, logits, labels)`` with logits (n, K) and integer labels (n,); ``fit(logits, labels)`` returns T
    and ``probabilities(T, logits)`` the softmax of logits / T.
    """

    objective: Callable[..., float]
    gradient: Callable[..., Any]
    hessian: Callable[..., Any]
    fit: Callable[..., Any]
    probabilities: Callable[..., np.ndarray]


def _engine_derivatives(objective: Any, parameters: tuple[sp.Symbol, ...]) -> dict[str, Any]:
    """∂L/∂θ_i by the matrix-calculus engine, and ∂²L/∂θ_i∂θ_j as the derivative of ∂L/∂θ_i w.r.t. θ_j."""
    from symml.matrix_calculus.derivatives import gradient

    found: dict[str, Any] = {}
    for i, p in enumerate(parameters):
        first = gradient(objective, p).result
        found[f"gradient {p.name}"] = first
        for q in parameters[i:]:
            found[f"hessian {p.name},{q.name}"] = gradient(first, q).result
    return found


def _derivative_steps(problem: RecalibrationProblem, written: sp.Expr) -> list[Step]:
    steps = []
    for name, expr in problem.derivatives.items():
        kind, which = name.split(" ")
        by = [sp.Symbol(w, real=True) for w in which.split(",")]
        steps.append(Step(f"{'Gradient' if kind == 'gradient' else 'Hessian'} entry, by the matrix-calculus engine",
                          sp.Eq(sp.Derivative(written, *by), expr, evaluate=False),
                          "differential rules through softplus (derivative σ) and the row-wise log-sum-exp "
                          "(derivative softmax), the scalars entering as coefficients"))
    return steps


def derive_platt_scaling() -> Derivation:
    """Platt scaling: the NLL of σ(a s + b) against targets t, its gradient and Hessian in (a, b), the fit.

    Returns:
        A Derivation whose ``result`` is a dict of the objective and its derivatives (``"gradient a"``,
        ``"hessian a,b"``, ...); ``numpy()`` returns a :class:`Recalibration` (fit by Newton's method).
    """
    import symml

    n = sp.Symbol("n", positive=True, integer=True)
    a, b = sp.symbols("a b", real=True)
    s, t = symml.vector("s", n), symml.vector("t", n)
    z = a * s + b * sp.OneMatrix(n, 1)
    objective = symml.sum(symml.softplus(z)) - t.T @ z
    written = sp.Function("L")(a, b)
    zs, ts = sp.Symbol("z", real=True), sp.Symbol("t", real=True)
    sigma = 1 / (1 + sp.exp(-zs))
    per_point = -ts * sp.log(sigma) - (1 - ts) * sp.log(1 - sigma)
    softplus_form = sp.log(1 + sp.exp(zs)) - ts * zs
    try:
        shown = within(SIMPLIFY_SECONDS, "the Bernoulli NLL as softplus", sp.simplify,
                       sp.expand_log(per_point - softplus_form, force=True)) == 0
    except BudgetExceededError:
        shown = False
    problem = RecalibrationProblem("Platt scaling: σ(a s + b) fitted by its negative log-likelihood", "platt",
                                   objective, _engine_derivatives(objective, (a, b)), (a, b), (s, t))
    stationarity = [sp.Eq(problem.derivatives[f"gradient {p.name}"], 0, evaluate=False) for p in (a, b)]
    steps = [
        Step("Model and targets", sp.Eq(sp.Symbol("P(y = 1 | s)"), 1 / (1 + sp.exp(-(a * sp.Symbol("s") + b))),
                                        evaluate=False),
             "targets $t_i$: the labels, or Platt's $t_+ = (N_+ + 1)/(N_+ + 2)$, $t_- = 1/(N_- + 2)$ (a prior of one "
             "pseudo-observation per class; the minimiser is then finite even when the scores separate the classes)"),
        Step("Negative log-likelihood of one target", sp.Eq(per_point, softplus_form, evaluate=False),
             "shown equal by simplification" if shown else "not shown equal symbolically"),
        Step("Objective at matrix level", sp.Eq(written, objective, evaluate=False),
             "summed over the n scores: $\\mathbf{1}^\\top \\operatorname{softplus}(z) - t^\\top z$, $z = a s + b\\mathbf{1}$"),
        *_derivative_steps(problem, written),
        Step("Stationarity", tuple(stationarity),
             "transcendental in $(a, b)$: no closed-form minimiser; the Hessian "
             "$\\sum_i \\sigma_i (1 - \\sigma_i) [s_i\\ 1]^\\top [s_i\\ 1]$ is positive semidefinite, so $L$ is convex "
             "and Newton's method on the derived gradient and Hessian finds the minimum"),
    ]
    remarks = ("No closed form: numpy().fit runs Newton's method with backtracking on the derived gradient and "
               "Hessian (verify() compares it with scipy.optimize.minimize).",)
    return Derivation(problem, tuple(steps), {"objective": objective, **problem.derivatives},
                      tuple(stationarity), remarks=remarks)


def derive_temperature_scaling() -> Derivation:
    """Temperature scaling: the softmax cross-entropy of Z/T against one-hot labels Y, its derivatives in T, the fit.

    Returns:
        A Derivation whose ``result`` is a dict of the objective, ``"gradient T"`` and ``"hessian T,T"``;
        ``numpy()`` returns a :class:`Recalibration` (fit by safeguarded Newton's method).
    """
    import symml

    n, k = sp.Symbol("n", positive=True, integer=True), sp.Symbol("K", positive=True, integer=True)
    T = sp.Symbol("T", positive=True)
    Z, Y = symml.matrix("Z", n, k), symml.matrix("Y", n, k)
    objective = symml.sum(symml.logsumexp(Z / T, axis=1)) - symml.sum(symml.hadamard(Y, Z)) / T
    written = sp.Function("L")(T)
    problem = RecalibrationProblem("Temperature scaling: softmax(Z/T) fitted by its cross-entropy", "temperature",
                                   objective, _engine_derivatives(objective, (T,)), (T,), (Z, Y))
    stationarity = (sp.Eq(problem.derivatives["gradient T"], 0, evaluate=False),)
    steps = [
        Step("Objective at matrix level", sp.Eq(written, objective, evaluate=False),
             "$-\\log \\operatorname{softmax}(z_i / T)_{y_i} = \\operatorname{logsumexp}(z_i / T) - z_{i y_i} / T$, "
             "summed over the rows of $Z$; $Y$ one-hot"),
        *_derivative_steps(problem, written),
        Step("Stationarity", stationarity,
             "the mean logit of the true class equals the mean logit under softmax(Z/T): transcendental in $T$, "
             "no closed form; $L$ is convex in $1/T$, so it has a single minimum on $T > 0$ (none when every "
             "prediction is right: then $L$ decreases as $T \\to 0$)"),
    ]
    remarks = ("No closed form: numpy().fit runs Newton's method on the derived first and second derivatives, "
               "with a gradient step where the second derivative is not positive, and backtracking that keeps "
               "T > 0 (verify() compares it with scipy.optimize.minimize_scalar).",)
    return Derivation(problem, tuple(steps), {"objective": objective, **problem.derivatives},
                      stationarity, remarks=remarks)


def platt_targets(labels: np.ndarray) -> np.ndarray:
    """Platt's smoothed targets: (N₊ + 1)/(N₊ + 2) for the positives, 1/(N₋ + 2) for the negatives."""
    labels = np.asarray(labels)
    if not np.all((labels == 0) | (labels == 1)):
        raise ParameterError("Platt scaling needs labels 0 or 1")
    positives = labels.sum()
    negatives = labels.size - positives
    return np.where(labels == 1, (positives + 1) / (positives + 2), 1 / (negatives + 2))


def newton_minimise(objective: Callable[[np.ndarray], float], gradient: Callable[[np.ndarray], np.ndarray],
                    hessian: Callable[[np.ndarray], np.ndarray], start: np.ndarray, *,
                    positive: bool = False, iterations: int = 100) -> np.ndarray:
    """Newton's method with backtracking (Armijo); a gradient step where the Hessian gives no descent direction;
    ``positive`` keeps every coordinate > 0."""
    x = np.asarray(start, dtype=float)
    for _ in range(iterations):
        g = np.atleast_1d(gradient(x))
        h = np.atleast_2d(hessian(x))
        try:
            step = np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            step = g
        if not g @ step > 0:
            step = g
        value, size = objective(x), 1.0
        while size > 1e-14:
            candidate = x - size * step
            if (not positive or np.all(candidate > 0)) and objective(candidate) <= value - 1e-4 * size * (g @ step):
                break
            size /= 2
        else:
            return x
        if np.max(np.abs(candidate - x)) <= 1e-12 * (1 + np.max(np.abs(x))):
            return candidate
        x = candidate
    return x


def _compiled(problem: RecalibrationProblem) -> dict[str, Callable[..., Any]]:
    from symml.matrix_calculus.numpy_export import numpy_function as matrix_numpy

    exprs = {"objective": problem.objective, **problem.derivatives}
    return {name: matrix_numpy(expr, list(problem.data), parameters=problem.parameters) for name, expr in exprs.items()}


@numpy_function.register(RecalibrationProblem)
def _numpy(problem: RecalibrationProblem, derivation: Any, **options: Any) -> Recalibration:
    f = _compiled(problem)
    if problem.kind == "platt":
        def platt(name: str) -> Callable[..., float]:
            return lambda theta, scores, targets: f[name](a=theta[0], b=theta[1], s=scores, t=targets)

        def gradient(theta: np.ndarray, scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
            return np.array([platt("gradient a")(theta, scores, targets), platt("gradient b")(theta, scores, targets)])

        def hessian(theta: np.ndarray, scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
            ab = platt("hessian a,b")(theta, scores, targets)
            return np.array([[platt("hessian a,a")(theta, scores, targets), ab],
                             [ab, platt("hessian b,b")(theta, scores, targets)]])

        def fit(scores: np.ndarray, labels: np.ndarray, smoothing: bool = True) -> np.ndarray:
            scores = np.asarray(scores, dtype=float)
            targets = platt_targets(labels) if smoothing else np.asarray(labels, dtype=float)
            return newton_minimise(lambda th: platt("objective")(th, scores, targets),
                                   lambda th: gradient(th, scores, targets), lambda th: hessian(th, scores, targets),
                                   np.zeros(2))

        def probabilities(theta: np.ndarray, scores: np.ndarray) -> np.ndarray:
            from scipy.special import expit

            return expit(theta[0] * np.asarray(scores) + theta[1])

        return Recalibration(platt("objective"), gradient, hessian, fit, probabilities)

    def onehot(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
        return np.eye(np.shape(logits)[1])[np.asarray(labels, dtype=int)]

    def temperature(name: str) -> Callable[..., float]:
        return lambda T, logits, labels: f[name](T=float(np.squeeze(T)), Z=logits, Y=onehot(logits, labels))

    def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
        logits, Y = np.asarray(logits, dtype=float), onehot(logits, labels)
        at = lambda name: lambda T: f[name](T=float(np.squeeze(T)), Z=logits, Y=Y)  # noqa: E731
        return float(newton_minimise(at("objective"), at("gradient T"), at("hessian T,T"), np.ones(1),
                                     positive=True)[0])

    def softmax(T: float, logits: np.ndarray) -> np.ndarray:
        from scipy.special import softmax as stable

        return stable(np.asarray(logits) / T, axis=1)

    return Recalibration(temperature("objective"), temperature("gradient T"), temperature("hessian T,T"),
                         fit_temperature, softmax)


def simulated(kind: str, seed: int = 0, size: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Miscalibrated scores and labels: overconfident scores (Platt), or logits scaled up by 2.5 (temperature)."""
    rng = np.random.default_rng(seed)
    if kind == "platt":
        positive = rng.uniform(size=size) < 0.4
        scores = np.where(positive, rng.normal(1.0, 1.0, size), rng.normal(-0.5, 1.0, size)) * 3.0
        return scores, positive.astype(float)
    classes = 4
    labels = rng.integers(0, classes, size)
    logits = rng.normal(0.0, 1.0, (size, classes)) + 1.5 * np.eye(classes)[labels]
    return 2.5 * logits, labels


@verify.register(RecalibrationProblem)
def _verify(problem: RecalibrationProblem, derivation: Any, seed: int = 0, tolerance: float = 1e-5,
            **options: Any) -> Verification:
    """The derived gradient and Hessian against central differences of the objective, and the Newton fit against
    scipy.optimize, on simulated miscalibrated scores."""
    from scipy.optimize import minimize, minimize_scalar

    from symml.testing import check_gradient, check_hessian

    fitted = _numpy(problem, derivation)
    data = simulated(problem.kind, seed)
    if problem.kind == "platt":
        data = (data[0], platt_targets(data[1]))
        at = np.array([0.4, -0.2])
    else:
        at = np.array([1.7])
    value = lambda x: float(fitted.objective(x, *data))  # noqa: E731
    comparisons = [
        Comparison("gradient (finite differences)", 0.0, 0.0,
                   check_gradient(value, lambda x: np.atleast_1d(fitted.gradient(x, *data)), at)),
        Comparison("Hessian (finite differences)", 0.0, 0.0,
                   check_hessian(value, lambda x: np.atleast_2d(fitted.hessian(x, *data)), at)),
    ]
    if problem.kind == "platt":
        found = newton_minimise(value, lambda x: fitted.gradient(x, *data), lambda x: fitted.hessian(x, *data),
                                np.zeros(2))
        reference = minimize(value, np.zeros(2), method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000}).x
        comparisons += [Comparison(f"fitted {p.name} (Nelder-Mead)", float(u), float(v), relative_error(u, v, 1.0))
                        for p, u, v in zip(problem.parameters, found, reference)]
    else:
        found_t = fitted.fit(*simulated(problem.kind, seed))
        reference_t = minimize_scalar(lambda T: value(np.array([T])), bounds=(1e-3, 1e3), method="bounded",
                                      options={"xatol": 1e-10}).x
        comparisons.append(Comparison("fitted T (bounded Brent)", found_t, float(reference_t),
                                      relative_error(found_t, reference_t, 1.0)))
    return Verification.from_comparisons(
        comparisons, method="central differences of the objective; scipy.optimize on simulated miscalibrated scores",
        tolerance=tolerance, seed=seed)

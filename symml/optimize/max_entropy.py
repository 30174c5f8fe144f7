"""Continuous maximum entropy: the density with the largest differential entropy under moment constraints.

maximise H[p] = −∫ p log p dx subject to ∫ p dx = 1 and ∫ T_j(x) p dx = m_j over a support [lo, hi]. The
Lagrangian is an integral of ℓ(p(x), x) = −p log p + λ₀ p + Σ λ_j T_j(x) p, so it is stationary when ℓ is
stationary in the value p(x) at every x (the functional derivative vanishes pointwise; Cover & Thomas, Elements of
Information Theory, 12.1). That pointwise problem goes through the solving core: p(x) = exp(λ₀ − 1 + Σ λ_j T_j(x)),
a maximum since ∂²ℓ/∂p² = −1/p < 0. On an unbounded support the coefficient of the highest power of x in the
exponent must be negative for p to be integrable. The multipliers are then solved from the constraints: the
moment equations divided by the normalisation (free of λ₀), then λ₀ from ∫ p = 1. Quadratic exponents on the
real line are integrated by completing the square (u = x − h leaves (−∞, ∞) unchanged). Mean and second moment on
ℝ give the Gaussian; a mean on [0, ∞) gives the Exponential.

>>> x, m = sp.Symbol("x", real=True), sp.Symbol("m", positive=True)
>>> maximum_entropy(x, (0, sp.oo), {x: m}).result
exp(-x/m)/m
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import NoClosedFormError, ParameterError, UnsupportedOperationError
from symml.operations import numpy_function, verify
from symml.render.printer import latex

__all__ = ["MaxEntropyProblem", "maximum_entropy"]


@dataclass(frozen=True)
class MaxEntropyProblem:
    """A maximum-entropy problem and its derived density.

    Attributes:
        title: one line describing the problem.
        x: the variable.
        support: (lo, hi).
        moments: {T(x): value} constraints ∫ T p dx = value (besides ∫ p dx = 1).
        density: the derived p(x).
    """

    title: str
    x: sp.Symbol
    support: tuple
    moments: tuple
    density: sp.Expr

    @property
    def parameters(self) -> list[sp.Symbol]:
        return sorted(self.density.free_symbols - {self.x}, key=lambda s: s.name)


def maximum_entropy(x: sp.Symbol, support: tuple, moments: Mapping[Any, Any]) -> Derivation:
    """The maximum-entropy density on ``support`` with the given moments, derived.

    Args:
        x: the variable, a real Symbol.
        support: ``(lo, hi)``, limits possibly infinite (``(-sp.oo, sp.oo)``, ``(0, sp.oo)``).
        moments: ``{T(x): value}``, polynomial functions of x and their expectations (``{x: m, x**2: s}``).

    Returns:
        a Derivation whose ``result`` is the density p(x); ``numpy()`` gives ``pdf(x=points, **parameters)``,
        ``verify()`` compares with a discretised maximisation of the entropy (SLSQP on a grid).

    Raises:
        ParameterError: x is not a Symbol, or a moment function is not a polynomial in x.
        NoClosedFormError: the multipliers cannot be solved from the constraints in closed form.
    """
    from symml.optimize.core import DERIVE_SECONDS

    if not isinstance(x, sp.Symbol):
        raise ParameterError(f"the variable must be a Symbol, not {x!r}")
    pairs = tuple((sp.sympify(T), sp.sympify(v)) for T, v in moments.items())
    limits = tuple(map(sp.sympify, support))
    if any(not T.is_polynomial(x) or not T.has(x) for T, _ in pairs):
        raise ParameterError("the moment functions must be non-constant polynomials in x (a moment such as "
                             "E[log x] leaves multipliers without a closed form)")
    if not pairs and not all(limit.is_finite for limit in limits):
        # on [a, b] no moment constraint gives the Uniform (Cover & Thomas 12.1); on an unbounded support the
        # entropy of a spreading density grows without bound
        raise ParameterError("without a moment constraint the support must be bounded: on an unbounded support the "
                             "entropy has no maximum")
    return within(DERIVE_SECONDS, "the maximum-entropy density", _derive, x, limits, pairs)


def _derive(x: sp.Symbol, support: tuple, pairs: tuple) -> Derivation:
    from symml.optimize.core import Objective, optimise
    from symml.optimize.scalar_solve import solve_stationarity

    lo, hi = support
    lams = sp.symbols(f"lambda_0:{len(pairs) + 1}", real=True)
    p = sp.Symbol("p", positive=True)
    density = sp.Function("p")(x)
    integral = lambda f: sp.Integral(f, (x, lo, hi))  # noqa: E731 - a local shorthand for the displays
    ell = -p * sp.log(p) + lams[0] * p + sum((lam * T * p for lam, (T, _) in zip(lams[1:], pairs)), sp.S.Zero)
    steps = [Step("Problem", (sp.Eq(sp.Symbol("H[p]"), integral(-density * sp.log(density))),
                              sp.Eq(integral(density), 1),
                              *(sp.Eq(integral(T * density), v) for T, v in pairs)),
                  "maximise the differential entropy over densities on the support with these moments"),
             Step("Lagrangian", sp.Eq(sp.Symbol("L[p]"), integral(ell.subs(p, density)) - lams[0]
                                      - sum((lam * v for lam, (_, v) in zip(lams[1:], pairs)), sp.S.Zero)),
                  "one multiplier per constraint; the functional is an integral of a function of the value p(x)")]
    outcome = optimise(Objective(ell, (p,), maximise=True, symbol=sp.Symbol("ell"), name="integrand"))
    steps.append(Step("Pointwise stationarity", sp.Eq(sp.diff(ell, p), 0),
                      "the functional derivative δL/δp(x) = ∂ℓ/∂p vanishes at every x (perturb p near one point)"))
    steps.extend(s for s in outcome.steps if s.title != "Stationarity")
    if p not in outcome.solution:
        raise NoClosedFormError("the pointwise stationarity condition has no closed-form solution")
    form = sp.expand(sp.log(outcome.solution[p]), force=True)
    exponent, unknowns, renamed = _integrable(form, x, lams, lo, hi, steps)
    moments_of = [sp.S.One, *(T for T, _ in pairs)]
    Z = [_integrate(T, exponent, x, lo, hi, steps if i == 0 else None) for i, T in enumerate(moments_of)]
    ratios = {u: _simplify(z / Z[0]) - v for u, z, (_, v) in zip(unknowns[1:], Z[1:], pairs)}
    steps.append(Step("Moment equations", tuple(sp.Eq(r + v, v) for r, (_, v) in zip(ratios.values(), pairs)),
                      "each constraint divided by the normalisation ∫ p dx = 1: free of λ₀"))
    solved = solve_stationarity(ratios, [])
    if set(solved.closed) != set(ratios):
        raise NoClosedFormError("the multipliers cannot be solved from the moment equations in closed form: "
                                f"{solved.stationarity}")
    # e^{λ₀−1} is fixed by ∫ p dx = 1: p(x) = exp(r(x)) / ∫ exp(r) dx, r the exponent without λ₀ − 1
    shape = sp.expand(exponent - (unknowns[0] - 1))
    partition = sp.powsimp(_simplify(Z[0] * sp.exp(1 - unknowns[0])).subs(solved.closed))
    coefficient, exponential = partition.as_independent(sp.exp, as_Add=False)
    shift = exponential.args[0] if isinstance(exponential, sp.exp) else sp.log(exponential)
    steps.append(Step("Multipliers", (*(sp.Eq(u, v) for u, v in solved.closed.items()),
                                      sp.Eq(sp.exp(unknowns[0] - 1), 1 / partition)),
                      "the moment equations solved; then e^{λ₀−1} from the normalisation ∫ p dx = 1"))
    inside = within(SIMPLIFY_SECONDS, "simplify of the exponent", sp.factor,
                    sp.together(shape.subs(solved.closed) - shift))
    result = sp.exp(inside) / coefficient
    steps.append(Step("Maximum-entropy density", sp.Eq(density, result),
                      "the pointwise maximiser exp(r(x)) divided by its integral, the multipliers substituted"
                      + (f" (${renamed}$)" if renamed else "")))
    title = f"Maximum entropy on $[{latex(lo)}, {latex(hi)}]$ with " + ", ".join(
        f"$E[{latex(T)}] = {latex(v)}$" for T, v in pairs)
    problem = MaxEntropyProblem(title, x, support, pairs, result)
    return Derivation(problem=problem, steps=tuple(steps), result=result, summary=(sp.Eq(density, result),))


def _simplify(expr: sp.Expr) -> sp.Expr:
    """``sp.simplify`` under the budget; past it the expression as it is (still correct, only longer)."""
    from symml.errors import BudgetExceededError

    try:
        return within(SIMPLIFY_SECONDS, "simplify in the maximum-entropy derivation", sp.simplify, expr)
    except BudgetExceededError:
        return expr


def _integrable(form: sp.Expr, x: sp.Symbol, lams: tuple, lo: Any, hi: Any, steps: list) -> tuple:
    """The exponent with the multiplier of its highest power of x written −κ (κ > 0) when the support is unbounded
    that way; the unknowns to solve for, and a sentence on the renaming."""
    poly = sp.Poly(form, x)
    top = poly.coeffs()[0]
    degree = poly.degree()
    leading = [lam for lam in lams if top.has(lam)]
    unbounded = (hi == sp.oo) or (lo == -sp.oo and degree % 2 == 0)
    if not unbounded or len(leading) != 1 or top != leading[0]:
        return form, list(lams), ""
    kappa = sp.Symbol("kappa", positive=True)
    steps.append(Step("Integrability", sp.Eq(leading[0], -kappa),
                      f"on an unbounded support p is integrable only if the coefficient of $x^{{{degree}}}$, which "
                      "dominates the exponent as |x| grows, is negative"))
    return form.subs(leading[0], -kappa), [kappa if lam == leading[0] else lam for lam in lams], \
        f"\\kappa = -{latex(leading[0])}"


def _integrate(T: sp.Expr, exponent: sp.Expr, x: sp.Symbol, lo: Any, hi: Any, steps: list | None) -> sp.Expr:
    """∫ T(x) exp(exponent) dx, completing the square first for a quadratic exponent on the real line."""
    if (lo, hi) == (-sp.oo, sp.oo) and sp.Poly(exponent, x).degree() == 2:
        c2, c1, c0 = sp.Poly(exponent, x).all_coeffs()
        u, h = sp.Symbol("u", real=True), -c1 / (2 * c2)
        constant = _simplify(c0 - c1**2 / (4 * c2))
        if steps is not None:
            steps.append(Step("Complete the square", sp.Eq(exponent, c2 * (x - h) ** 2 + constant, evaluate=False),
                              "then u = x − h, which leaves (−∞, ∞) unchanged, turns each integral into Gaussian "
                              "moments ∫ uʲ exp(−κu²) du"))
        shifted = sp.expand(T.subs(x, u + h))
        moments = sum((coefficient * within(SIMPLIFY_SECONDS, "a Gaussian moment", sp.integrate,
                                            u**j * sp.exp(c2 * u**2), (u, -sp.oo, sp.oo), conds="none")
                       for (j,), coefficient in sp.Poly(shifted, u).terms()), sp.S.Zero)
        return sp.exp(constant) * moments
    return within(SIMPLIFY_SECONDS, "an integral of the density", sp.integrate, T * sp.exp(exponent), (x, lo, hi),
                  conds="none")


# --- numpy() and verify() -------------------------------------------------------------------------------------
@numpy_function.register(MaxEntropyProblem)
def _numpy_density(problem: MaxEntropyProblem, derivation: Derivation, **options: Any) -> Callable[..., np.ndarray]:
    symbols = [problem.x, *problem.parameters]
    pdf = sp.lambdify(symbols, problem.density, modules="numpy")
    limits = sp.lambdify(symbols, list(problem.support), modules="numpy")

    def density(**values: Any) -> np.ndarray:
        missing = [s.name for s in symbols if s.name not in values]
        if missing:
            raise ParameterError(f"missing values for {', '.join(missing)} (pass them by name)")
        arguments = [values[s.name] for s in symbols]
        at = np.asarray(arguments[0], dtype=float)
        lo, hi = limits(*arguments)
        # the shape of x (a constant density, the Uniform, gives one number otherwise), and 0 off the support
        return np.where((at >= lo) & (at <= hi), np.asarray(pdf(*arguments), dtype=float), 0.0)

    return density


@verify.register(MaxEntropyProblem)
def _verify_density(problem: MaxEntropyProblem, derivation: Derivation, *, seed: int = 0, data: dict | None = None,
                    points: int = 51, tolerance: float = 2e-2) -> Verification:
    """The entropy maximised over probabilities on a grid with the same moments, against the derived density: the
    constraints (by quadrature, to 1e-8), the entropy and the density at the grid points (to the grid's
    discretisation error, ``tolerance``). The grid's maximum is found through its convex dual, min over λ of
    log Σᵢ exp(λᵀT(xᵢ)) − λᵀc (trust-exact with its exact Hessian, a few unknowns): SLSQP over the 51 cells
    themselves stopped short of the maximum (density off by 34%) whenever BLAS ran on several threads."""
    from scipy.integrate import quad

    if not all(limit.is_number for limit in problem.support):
        raise UnsupportedOperationError("verify() of a maximum-entropy density needs numeric support limits (it "
                                        "maximises the entropy on a grid over the support)")
    rng = np.random.default_rng(seed)
    pdf = derivation.numpy()
    parameters = dict(data) if data is not None else _feasible(problem, pdf, rng)
    at = lambda t: float(pdf(x=t, **parameters))  # noqa: E731
    lo, hi = (float(v) for v in problem.support)
    mean = quad(lambda t: t * at(t), lo, hi)[0]
    spread = np.sqrt(quad(lambda t: (t - mean) ** 2 * at(t), lo, hi)[0])
    left, right = max(lo, mean - 7 * spread), min(hi, mean + 7 * spread)
    width = (right - left) / points
    grid = left + width * (np.arange(points) + 0.5)
    moments = [(sp.lambdify(problem.x, T, modules="numpy"), float(v.subs({s: parameters[s.name]
                                                                          for s in v.free_symbols})))
               for T, v in problem.moments]
    features = np.array([np.broadcast_to(T(grid), grid.shape).astype(float) for T, _ in moments])
    probabilities = _grid_maximum(features, np.array([v for _, v in moments]))
    entropy = -quad(lambda t: at(t) * np.log(at(t)) if at(t) > 0 else 0.0, lo, hi)[0]
    discrete = -float(np.sum(probabilities * np.log(probabilities))) + np.log(width)
    comparisons = [Comparison("∫ p dx", quad(at, lo, hi)[0], 1.0, abs(quad(at, lo, hi)[0] - 1.0))]
    comparisons += [Comparison(f"E[{T}]", quad(lambda t, f=f: f(t) * at(t), lo, hi)[0], v,
                               relative_error(quad(lambda t, f=f: f(t) * at(t), lo, hi)[0], v, 1.0))
                    for (T, _), (f, v) in zip(problem.moments, moments)]
    comparisons.append(Comparison("entropy: derived against the grid's maximum", entropy, discrete,
                                  relative_error(entropy, discrete, 1.0)))
    density = np.array([at(t) for t in grid])
    worst = float(np.max(np.abs(probabilities / width - density)) / np.max(density))
    comparisons.append(Comparison("density at the grid points (worst, relative to its peak)", 0.0, worst, worst))
    return Verification.from_comparisons(comparisons, method=f"the maximum of −Σ q log q over {points} grid cells "
                                         "with the moment constraints, by scipy.optimize.minimize (trust-exact) of "
                                         "its convex dual; quadrature (scipy.integrate.quad) for the constraints",
                                         tolerance=tolerance, seed=seed, details=(("parameters", str(parameters)),))


def _grid_maximum(features: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The probabilities q over grid cells of largest entropy with Σ q T(xᵢ) = ``targets`` (``features``: one row
    T(xᵢ) per moment): q ∝ exp(λᵀT(xᵢ)) at the minimum of the dual log Σ exp(λᵀT(xᵢ)) − λᵀc, each row centred and
    scaled for the conditioning of λ."""
    from scipy.optimize import minimize
    from scipy.special import logsumexp, softmax

    centre, scale = features.mean(axis=1), features.std(axis=1) + 1e-300
    standard = (features - centre[:, None]) / scale[:, None]
    goal = (targets - centre) / scale

    def dual(lam: np.ndarray) -> tuple[float, np.ndarray]:
        exponent = lam @ standard
        return float(logsumexp(exponent) - lam @ goal), standard @ softmax(exponent) - goal

    def curvature(lam: np.ndarray) -> np.ndarray:
        q = softmax(lam @ standard)
        expected = standard @ q
        return (standard * q) @ standard.T - np.outer(expected, expected)

    found = minimize(dual, np.zeros(len(targets)), jac=True, hess=curvature, method="trust-exact",
                     options={"gtol": 1e-12, "maxiter": 1000})
    return softmax(found.x @ standard)


def _feasible(problem: MaxEntropyProblem, pdf: Callable[..., np.ndarray], rng: np.random.Generator) -> dict:
    """Random parameters in [0.5, 2] for which the derived density is finite and positive (moments feasible)."""
    for _ in range(100):
        values = {s.name: float(rng.uniform(0.5, 2.0)) for s in problem.parameters}
        probe = pdf(x=np.array([float(problem.support[0]) if problem.support[0].is_finite else -1.0, 0.5, 1.0]),
                    **values)
        if np.all(np.isfinite(probe)) and np.all(probe >= 0) and np.any(probe > 0):
            return values
    raise ParameterError("no feasible random parameters found: pass data=...")

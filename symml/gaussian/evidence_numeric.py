"""``numpy()`` and ``verify()`` of evidence maximisation: the derived fixed-point updates iterated, against
scipy.optimize maximising the log evidence (the normal logpdf of t under N(0, β⁻¹I + α⁻¹ΦΦᵀ), computed directly).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Verification, relative_error
from symml.errors import NoClosedFormError, ParameterError
from symml.gaussian.checks import check_for
from symml.gaussian.completing_square import simplified
from symml.gaussian.evidence_maximisation import GAMMA
from symml.gaussian.checks import numeric_size
from symml.gaussian.numeric import SPECIAL, array_size, output_function
from symml.gaussian.problem import GaussianProblem
from symml.matrix_calculus.algebra import Scalar

__all__ = ["fixed_point"]


def _scalar_function(expr: sp.Expr) -> Callable[[dict], float]:
    """A function of named values for a scalar expression whose 1 x 1 products are evaluated as matrices."""
    atoms = sorted(expr.atoms(Scalar), key=str)
    masks = [sp.Dummy() for _ in atoms]
    products = [output_function(atom.matrix) for atom in atoms]
    symbols = sorted(expr.xreplace(dict(zip(atoms, masks))).free_symbols - set(masks), key=str)
    body = sp.lambdify([*masks, *symbols], expr.xreplace(dict(zip(atoms, masks))), modules="numpy")

    def evaluate(values: dict) -> float:
        inner = [float(np.asarray(f(**{k: values[k] for k in names})).reshape(())) for f, names in products]
        return float(body(*inner, *(values[s.name] for s in symbols)))

    return evaluate


def fixed_point(problem: GaussianProblem, tolerance: float = 1e-10, max_iterations: int = 10_000,
                **options: Any) -> Callable[..., dict[str, Any]]:
    """``fit(Phi=..., t=..., alpha=start, beta=start)``: the updates iterated until the hyperparameters change by
    less than ``tolerance`` (relative); returns {"alpha", "beta", "gamma", "mean", "covariance", "iterations"}."""
    model, spread, updates = problem.model
    alpha = model.prior.precision.as_coeff_matrices()[0]
    mean_f, mean_names = output_function(model.square.mean)
    cov_f, cov_names = output_function(simplified(sp.Inverse(model.square.precision)))
    spread_f, spread_names = output_function(spread)
    steps = {str(h): _scalar_function(u) for h, u in updates.items()}
    matrices = {m for expr in (model.square.mean, spread) for m in expr.atoms(sp.MatrixSymbol)}
    sizes = {dim.name: (m.name, axis) for m in matrices for axis, dim in enumerate(m.shape)
             if isinstance(dim, sp.Symbol)}
    expected = (mean_names | cov_names | spread_names) - set(sizes)

    def fit(**data: Any) -> dict[str, Any]:
        if set(data) != expected:
            raise ParameterError(f"expected arguments {sorted(expected)} (the hyperparameters as starting values)")
        values = {**data, **{dim: array_size(data[name], axis) for dim, (name, axis) in sizes.items()}}
        for iteration in range(1, max_iterations + 1):
            m_N = np.asarray(mean_f(**{k: values[k] for k in mean_names}), dtype=float)
            eigenvalues = np.linalg.eigvalsh(spread_f(**{k: values[k] for k in spread_names}))
            gamma = float(np.sum(eigenvalues / (values[alpha.name] + eigenvalues)))
            current = {**values, model.mean_symbol.name: m_N, GAMMA.name: gamma}
            new = {name: step(current) for name, step in steps.items()}
            change = max(abs(new[k] - values[k]) / abs(values[k]) for k in new)
            values.update(new)
            if change < tolerance:
                break
        else:
            raise NoClosedFormError(f"the evidence fixed point did not converge in {max_iterations} iterations")
        return {**{name: values[name] for name in steps}, "gamma": gamma, "iterations": iteration,
                "mean": np.asarray(mean_f(**{k: values[k] for k in mean_names})).reshape(-1),
                "covariance": np.asarray(cov_f(**{k: values[k] for k in cov_names}))}

    fit.arguments = sorted(expected)  # type: ignore[attr-defined]
    return fit


SPECIAL["evidence_maximisation"] = fixed_point


@check_for("evidence_maximisation")
def _verify(problem: GaussianProblem, derivation: Any, n: int = 40, m: int = 4, seed: int = 0,
            **options: Any) -> Verification:
    """Data from a linear model; the derived fixed point against scipy.optimize of the directly computed log
    evidence over (log α, log β) (Nelder-Mead from the same start)."""
    from scipy.optimize import minimize
    from scipy.stats import multivariate_normal

    model, _, updates = problem.model
    n = numeric_size(model.likelihood.variable.shape[0], n)  # the user's sizes where they are numbers
    m = numeric_size(model.wrt.shape[0], m)
    rng = np.random.default_rng(seed)
    Phi = rng.normal(size=(n, m))
    t = Phi @ rng.normal(size=m) + 0.5 * rng.normal(size=n)
    names = {model.likelihood.mean.atoms(sp.MatrixSymbol).difference({model.wrt}).pop().name: Phi,
             model.likelihood.variable.name: t}
    alpha, beta = model.prior.precision.as_coeff_matrices()[0], model.likelihood.precision.as_coeff_matrices()[0]
    free = [str(h) for h in updates]  # the others stay at 1

    def negative_log_evidence(logs: np.ndarray) -> float:
        hyper = {alpha.name: 1.0, beta.name: 1.0, **dict(zip(free, np.exp(logs)))}
        covariance = np.eye(n) / hyper[beta.name] + Phi @ Phi.T / hyper[alpha.name]
        return -float(multivariate_normal(np.zeros(n), covariance).logpdf(t))

    best = minimize(negative_log_evidence, np.zeros(len(free)), method="Nelder-Mead",
                    options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 5000})
    numeric = dict(zip(free, np.exp(best.x)))
    fitted = derivation.numpy()(**names, **{alpha.name: 1.0, beta.name: 1.0})
    comparisons = [Comparison(str(h), fitted[str(h)], numeric[str(h)], relative_error(fitted[str(h)], numeric[str(h)]))
                   for h in updates]
    return Verification.from_comparisons(
        comparisons, tolerance=1e-5, seed=seed, sample_size=n,
        method=f"scipy.optimize.minimize (Nelder-Mead over log α, log β) of the log evidence, the normal logpdf of t "
               f"under N(0, β⁻¹I + α⁻¹ΦΦᵀ) (n = {n}, m = {m})")

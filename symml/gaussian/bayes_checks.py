"""``verify()`` of the matrix-level Bayes derivations, at random sizes and values, by numeric methods only:

- posterior: its mean by ``scipy.optimize.minimize`` (BFGS) of the negative log joint written with
  ``scipy.stats.multivariate_normal``, its covariance as the inverse of a finite-difference Hessian there, and its
  log-density (``numpy()``) as log likelihood + log prior - log evidence at points around the mean;
- MAP: the same optimiser;
- evidence: the data's own Gaussian law under the generative process (θ drawn from the prior, the data from the
  likelihood: mean A m₀ + b, covariance L⁻¹ + A P₀⁻¹ Aᵀ with A read off the likelihood's mean numerically),
  scored by ``scipy.stats.multivariate_normal.logpdf``;
- predictive: the same law with the numeric posterior in place of the prior.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Verification, relative_error
from symml.gaussian.bayes import BayesModel
from symml.errors import UnsupportedOperationError
from symml.gaussian.checks import check_for, entrywise_comparisons, numeric_size, numpy_at
from symml.gaussian.density import Gaussian
from symml.gaussian.numeric import output_function
from symml.matrix_calculus.expressions import SymmetricMatrixSymbol
from symml.testing import random_spd

__all__ = ["random_values"]


def random_values(exprs: list, rng: np.random.Generator) -> dict[str, Any]:
    """Random values by name for the symbols of ``exprs``: sizes 2-5, SPD symmetric matrices, positive scalars."""
    matrices = sorted({m for e in exprs for m in e.atoms(sp.MatrixSymbol)}, key=lambda m: m.name)
    dims = sorted({d for m in matrices for d in m.shape if isinstance(d, sp.Symbol)}, key=lambda s: s.name)
    sizes = {dim: int(rng.integers(2, 6)) for dim in dims}
    values: dict[str, Any] = {}
    for m in matrices:
        rows, cols = (int(sizes.get(dim, dim)) for dim in m.shape)
        values[m.name] = random_spd(rng, rows) if isinstance(m, SymmetricMatrixSymbol) else rng.normal(size=(rows,
                                                                                                           cols))
    scalars = {s for e in exprs for s in e.free_symbols if isinstance(s, sp.Symbol)} - set(dims) - set(matrices)
    values.update({s.name: float(rng.uniform(0.5, 2.0)) for s in scalars})
    return values


def _evaluate(expr: Any, values: dict, size: int | None = None) -> np.ndarray:
    """The expression at the values; given its number of rows, an identity input of that size times it, so that
    its dimension is known even when no matrix symbol in it fixes it (β I, the mean 1μ of N scalar draws)."""
    if isinstance(expr, sp.ZeroMatrix):
        return np.zeros((size or 0, 1))
    if size is not None:
        identity = sp.MatrixSymbol("_identity", expr.shape[0], expr.shape[0])
        expr, values = identity @ expr, {**values, "_identity": np.eye(size)}
    function, names = output_function(expr)
    value = np.asarray(function(**{k: values[k] for k in names}), dtype=float)
    return value.reshape(1, 1) if value.ndim == 0 else value  # a 1 x 1 expression evaluates to a number


def _law(gaussian: Gaussian, wrt: sp.MatrixSymbol, values: dict, size: int) -> tuple[np.ndarray, np.ndarray, Any]:
    """The likelihood's mean as an affine map of θ read off numerically: (A, b), and its covariance."""
    shape = np.shape(values[gaussian.variable.name])
    rows = shape[1] if gaussian.rows else shape[0]

    def mean_at(theta: np.ndarray) -> np.ndarray:
        return _evaluate(gaussian.mean, {**values, wrt.name: theta}, rows).reshape(-1)

    b = mean_at(np.zeros(size))
    A = np.column_stack([mean_at(e) - b for e in np.eye(size)])
    return A, b, np.linalg.inv(_evaluate(gaussian.precision, values, A.shape[0]))


def _log_joint(model: BayesModel, values: dict, size: int) -> Callable[[np.ndarray], float]:
    from scipy.stats import multivariate_normal

    A, b, noise = _law(model.likelihood, model.wrt, values, size)
    m0, P0 = _evaluate(model.prior.mean, values, size).reshape(-1), _evaluate(model.prior.precision, values, size)
    data = np.atleast_2d(values[model.likelihood.variable.name])
    data = data if model.likelihood.rows else data.reshape(1, -1)
    prior = multivariate_normal(m0, np.linalg.inv(P0))
    return lambda theta: float(prior.logpdf(theta) + multivariate_normal(A @ theta + b, noise).logpdf(data).sum())


def _numeric_posterior(model: BayesModel, values: dict) -> tuple[np.ndarray, np.ndarray]:
    from scipy.optimize import minimize

    size = values[model.wrt.name].shape[0]
    f = _log_joint(model, values, size)
    best = minimize(lambda theta: -f(theta), np.zeros(size), method="BFGS", options={"gtol": 1e-10})
    h, E = 1e-2, np.eye(size)
    hessian = np.array([[(f(best.x + h * (E[i] + E[j])) - f(best.x + h * (E[i] - E[j]))
                          - f(best.x - h * (E[i] - E[j])) + f(best.x - h * (E[i] + E[j]))) / (4 * h * h)
                         for j in range(size)] for i in range(size)])
    return best.x, np.linalg.inv(-hessian)


def _setup(model: BayesModel, seed: int, extra: tuple = ()) -> tuple[dict, np.random.Generator]:
    rng = np.random.default_rng(seed)
    values = random_values([model.likelihood.log_density(), model.prior.log_density(), *extra], rng)
    values[model.wrt.name] = values[model.wrt.name].reshape(-1)
    return values, rng


@check_for("posterior")
def _posterior(problem: Any, derivation: Any, seed: int = 0, **options: Any) -> Verification:
    model = problem.model
    values, rng = _setup(model, seed)
    mean, covariance = _numeric_posterior(model, values)
    comparisons = entrywise_comparisons(numpy_at(derivation, values, moments=True),
                                        {"mean": mean, "covariance": covariance})
    # the density: log likelihood + log prior minus the log evidence (the data's own law), at points around the mean
    log_joint, log_z = _log_joint(model, values, mean.size), _numeric_log_evidence(model, values)
    logpdf = derivation.numpy()
    others = {k: values[k] for k in logpdf.arguments if k != model.wrt.name}
    for k, w in enumerate(mean + rng.normal(size=(3, mean.size)) * np.sqrt(np.diag(covariance))):
        derived, numeric = logpdf(w, **others), log_joint(w) - log_z
        comparisons.append(Comparison(f"log posterior density at point {k}", derived, numeric,
                                      relative_error(derived, numeric, scale=1.0)))
    return Verification.from_comparisons(
        comparisons, tolerance=1e-5, seed=seed,
        method="scipy.optimize.minimize (BFGS) of the negative log joint (scipy.stats.multivariate_normal) for the "
               "mean, the inverse of a finite-difference Hessian there for the covariance; the log density against "
               "log likelihood + log prior - log evidence (the data's multivariate_normal law) at 3 points")


@check_for("map")
def _map(problem: Any, derivation: Any, seed: int = 0, **options: Any) -> Verification:
    model = problem.model
    values, _ = _setup(model, seed)
    mean, _ = _numeric_posterior(model, values)
    derived = numpy_at(derivation, values)
    return Verification.from_comparisons(
        entrywise_comparisons(derived, {model.wrt.name: mean}), tolerance=1e-5, seed=seed,
        method="scipy.optimize.minimize (BFGS) of the negative log posterior (scipy.stats.multivariate_normal)")


def _numeric_log_evidence(model: BayesModel, values: dict) -> float:
    """log p(data) from the data's own Gaussian law under the generative process (scipy.stats)."""
    from scipy.stats import multivariate_normal

    size = values[model.wrt.name].shape[0]
    A, b, noise = _law(model.likelihood, model.wrt, values, size)
    m0, P0 = _evaluate(model.prior.mean, values, size).reshape(-1), _evaluate(model.prior.precision, values, size)
    data = np.asarray(values[model.likelihood.variable.name], dtype=float)
    rows = data.shape[0] if model.likelihood.rows else 1
    spread = A @ np.linalg.inv(P0) @ A.T
    law = multivariate_normal(np.tile(A @ m0 + b, rows), np.kron(np.ones((rows, rows)), spread)
                              + np.kron(np.eye(rows), noise))
    return float(law.logpdf(data.reshape(-1)))


@check_for("evidence")
def _evidence(problem: Any, derivation: Any, seed: int = 0, **options: Any) -> Verification:
    model = problem.model
    values, _ = _setup(model, seed)
    numeric = _numeric_log_evidence(model, values)
    derived = numpy_at(derivation, values)["log_evidence"]
    return Verification.from_comparisons(
        [Comparison("log evidence", derived, numeric, relative_error(derived, numeric, scale=1.0))],
        tolerance=1e-8, seed=seed,
        method="scipy.stats.multivariate_normal.logpdf of the data under the generative process (parameter from "
               "the prior, data from the likelihood)")


@check_for("predictive")
def _predictive(problem: Any, derivation: Any, seed: int = 0, **options: Any) -> Verification:
    model, new = problem.model
    values, _ = _setup(model, seed, (new.log_density(),))
    mean, covariance = _numeric_posterior(model, values)
    size = mean.shape[0]
    A, b, noise = _law(new, model.wrt, values, size)
    numeric = {"mean": A @ mean + b, "covariance": noise + A @ covariance @ A.T}
    derived = numpy_at(derivation, values)
    return Verification.from_comparisons(
        entrywise_comparisons(derived, numeric), tolerance=1e-5, seed=seed,
        method="the new observation's law under the numeric posterior (BFGS mean, finite-difference Hessian)")


@check_for("product")
def _product(problem: Any, derivation: Any, seed: int = 0, **options: Any) -> Verification:
    """At the variable's size when it is a number (1 to 3), else d = 2: the normaliser by a tensor Gauss-Legendre rule
    on the product of the two scipy.stats densities; the mean by BFGS on the log product, the covariance as the
    inverse of its finite-difference Hessian."""
    from scipy.optimize import minimize
    from scipy.stats import multivariate_normal

    first, second = problem.model
    rng = np.random.default_rng(seed)
    size = numeric_size(first.variable.shape[0], 2)
    if size > 3:
        raise UnsupportedOperationError(f"verify() integrates the product over at most 3 dimensions, not {size}")
    exprs = [first.log_density(), second.log_density()]
    matrices = {m for e in exprs for m in e.atoms(sp.MatrixSymbol)}
    dims = {dim for m in matrices for dim in m.shape if isinstance(dim, sp.Symbol)}
    values = random_values([e.xreplace({dim: size for dim in dims}) for e in exprs], rng)
    laws = [multivariate_normal(_evaluate(g.mean, values, size).reshape(-1),
                                np.linalg.inv(_evaluate(g.precision, values, size)))
            for g in (first, second)]
    log_product = lambda x: laws[0].logpdf(x) + laws[1].logpdf(x)  # noqa: E731
    best = minimize(lambda x: -log_product(x), np.zeros(size), method="BFGS", options={"gtol": 1e-10})
    h, E = 1e-2, np.eye(size)
    hessian = np.array([[(log_product(best.x + h * (E[i] + E[j])) - log_product(best.x + h * (E[i] - E[j]))
                          - log_product(best.x - h * (E[i] - E[j])) + log_product(best.x - h * (E[i] + E[j])))
                         / (4 * h * h) for j in range(size)] for i in range(size)])
    covariance = np.linalg.inv(-hessian)
    # tensor Gauss-Legendre rule over ±9 standard deviations: the integrand is smooth; 200 nodes a side suffice
    # in one or two dimensions, 60 in three
    nodes, weights = np.polynomial.legendre.leggauss(200 if size < 3 else 60)
    spread = 9 * np.sqrt(np.max(np.diag(covariance)))
    axes = [best.x[k] + spread * nodes for k in range(size)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1)
    integrand = np.exp(log_product(grid)).reshape((len(nodes),) * size)
    for _ in range(size):
        integrand = integrand @ weights
    integral = float(spread ** size * integrand)
    derived = numpy_at(derivation, values)
    numeric = {"mean": best.x, "covariance": covariance, "log_normaliser": np.log(integral)}
    return Verification.from_comparisons(
        entrywise_comparisons(derived, numeric), tolerance=1e-5, seed=seed,
        method=f"at d = {size}: BFGS and a finite-difference Hessian of the log product (scipy.stats densities); the "
               f"normaliser by a tensor Gauss-Legendre rule ({len(nodes)} nodes a side) over ±9 standard deviations")


@check_for("wishart")
def _wishart(problem: Any, derivation: Any, seed: int = 0, rows: int = 20, d: int = 3, points: int = 4,
             **options: Any) -> Verification:
    """The derived posterior's scipy.stats.wishart logpdf against the log likelihood (multivariate_normal) plus the
    log prior (wishart) at random SPD precisions: their differences between points must agree (the normaliser
    cancels)."""
    return _matrix_prior_check(problem, derivation, seed, rows, d, points, "wishart", np.linalg.inv)


@check_for("inverse_wishart")
def _inverse_wishart(problem: Any, derivation: Any, seed: int = 0, rows: int = 20, d: int = 3, points: int = 4,
                     **options: Any) -> Verification:
    """The same with scipy.stats.invwishart, at random SPD covariances."""
    return _matrix_prior_check(problem, derivation, seed, rows, d, points, "invwishart", lambda S: S)


def _matrix_prior_check(problem: Any, derivation: Any, seed: int, rows: int, d: int, points: int, family: str,
                        covariance_of: Callable[[np.ndarray], np.ndarray]) -> Verification:
    """The derived posterior's scipy.stats ``family`` logpdf against multivariate_normal (covariance
    ``covariance_of(point)``) plus the ``family`` log prior, compared as differences between random SPD points;
    and numpy()'s normalised density against the derived law's."""
    import scipy.stats

    from scipy.stats import multivariate_normal

    law = getattr(scipy.stats, family)
    likelihood, prior = problem.model
    rng = np.random.default_rng(seed)
    rows, d = numeric_size(likelihood.variable.shape[0], rows), numeric_size(prior.variable.shape[0], d)
    X, mu, scale, nu = rng.normal(size=(rows, d)), rng.normal(size=d), random_spd(rng, d), d + 1.5
    values = {likelihood.variable.name: X, likelihood.mean.name: mu, prior.scale.name: scale, str(prior.dof): nu}
    derived_law = numpy_at(derivation, values, hyperparameters=True)
    posterior = law(df=derived_law["dof"], scale=derived_law["scale"])
    at = [random_spd(rng, d) for _ in range(points)]
    derived = [posterior.logpdf(P) for P in at]
    own = derivation.numpy()(np.array(at), **values)  # the derivation's own density, normalised as scipy's
    numeric = [multivariate_normal(mu, covariance_of(P)).logpdf(X).sum() + law(df=nu, scale=scale).logpdf(P)
               for P in at]
    comparisons = [Comparison(f"log posterior ratio at point {k}", derived[k] - derived[0], numeric[k] - numeric[0],
                              relative_error(derived[k] - derived[0], numeric[k] - numeric[0], scale=1.0))
                   for k in range(1, points)]
    comparisons += [Comparison(f"numpy() log density at point {k}", own[k], derived[k],
                               relative_error(own[k], derived[k], scale=1.0)) for k in range(points)]
    return Verification.from_comparisons(
        comparisons, tolerance=1e-8, seed=seed,
        method=f"scipy.stats.{family} logpdf of the derived posterior against the multivariate_normal log likelihood "
               f"plus the {family} log prior, compared as differences between {points} random SPD matrices")

"""A numeric MLE whose equations read the sample only through statistics is solved as that small problem
(symml/mle/reduced_problem.py): Newton's method in Python floats with the derived Jacobian, the derived Hessian at
the root, the profile log-likelihood on a grid, the density on the support proven once. Its estimates maximise
scipy.stats' log-likelihood (found by scipy.optimize, independently); it hands every sample it cannot certify to
the generic solver, which decides (and raises) as before.
"""
from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st
from scipy import optimize

from derivations import build
from symml.errors import DataError
from symml.mle.newton import newton_system
from symml.mle.numeric_solver import NumericSolver
from symml.mle.reduced_problem import FEW, _negative_definite, _real_on_support
from tests.mle_numeric.catalog_oracle import ORACLE
from tests.mle_numeric.oracle import scipy_log_likelihood

REDUCED = ["mle.gamma_shape", "mle.beta"]
SOLVERS = {name: NumericSolver(build(name).problem) for name in REDUCED}
GENERIC = {name: copy.copy(solver) for name, solver in SOLVERS.items()}
for _solver in GENERIC.values():
    _solver.reduced = None  # the generic solver alone


def _sample(name: str, size: int, seed: int, shapes: tuple[float, float]) -> tuple[np.ndarray, dict[str, float]]:
    oracle = ORACLE[name]
    truth = dict(oracle.truth)
    truth.update(zip([str(p) for p in build(name).problem.wrt], shapes))
    return oracle.scipy(truth).rvs(size=size, random_state=np.random.default_rng(seed)), truth


def _reduced(name: str, sample: np.ndarray) -> list[float] | None:
    with np.errstate(all="ignore"):  # as inside the estimator: a log of 0 is -inf, handed over, not a warning
        return SOLVERS[name].reduced.solve(sample, {build(name).problem.sample_size: float(sample.size)})


def _scipy_maximum(name: str, sample: np.ndarray, truth: dict[str, float], start: list[float]) -> dict[str, float]:
    """scipy.optimize.minimize (BFGS, finite differences, log coordinates) of scipy.stats' negative log-likelihood,
    from ``start`` moved by a factor 1.5 in each parameter."""
    names = [str(p) for p in build(name).problem.wrt]

    def negative(z: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            total = scipy_log_likelihood(ORACLE[name].scipy({**truth, **dict(zip(names, np.exp(z)))}), sample)
        return -total / sample.size if math.isfinite(total) else math.inf

    result = optimize.minimize(negative, np.log(start) + math.log(1.5), method="BFGS",
                               options={"gtol": 1e-9, "maxiter": 200})
    return dict(zip(names, np.exp(result.x)))


@settings(max_examples=16, deadline=None)
@given(name=st.sampled_from(REDUCED), size=st.integers(3, FEW), seed=st.integers(0, 10**6),
       shapes=st.tuples(st.floats(0.3, 30.0), st.floats(0.3, 30.0)))
def test_reduced_estimate_maximises_the_scipy_log_likelihood(name, size, seed, shapes):
    sample, truth = _sample(name, size, seed, shapes)
    estimate = _reduced(name, sample)
    assert estimate is not None  # a sample of distinct observations from the model: certified
    names = [str(p) for p in build(name).problem.wrt]
    reference = _scipy_maximum(name, sample, truth, estimate)
    at_estimate = scipy_log_likelihood(ORACLE[name].scipy({**truth, **dict(zip(names, estimate))}), sample)
    at_reference = scipy_log_likelihood(ORACLE[name].scipy({**truth, **reference}), sample)
    assert at_estimate >= at_reference - 1e-10 * abs(at_reference)
    for parameter, value in zip(names, estimate):
        assert math.isclose(value, reference[parameter], rel_tol=1e-4), (parameter, value, reference)


@settings(max_examples=10, deadline=None)
@given(name=st.sampled_from(REDUCED), size=st.integers(2, 40), seed=st.integers(0, 10**6))
def test_reduced_estimate_equals_the_generic_solvers(name, size, seed):
    sample, _ = _sample(name, size, seed, tuple(ORACLE[name].truth[str(p)] for p in build(name).problem.wrt))
    estimate = _reduced(name, sample)
    try:
        expected = GENERIC[name](sample, {build(name).problem.sample_size: float(size)})
    except DataError:
        assert estimate is None
        return
    if estimate is not None:
        assert all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(estimate, expected)), (estimate, expected)


@pytest.mark.parametrize("scale", [1e-200, 1e-8, 1.0, 1e8, 1e200])
def test_gamma_at_extreme_scales_scales_theta_only(scale):
    sample, _ = _sample("mle.gamma_shape", 10, 3, (2.5, 1.7))
    (k, theta), (k_scaled, theta_scaled) = _reduced("mle.gamma_shape", sample), _reduced("mle.gamma_shape", sample * scale)
    assert math.isclose(k_scaled, k, rel_tol=1e-9) and math.isclose(theta_scaled, theta * scale, rel_tol=1e-9)


def test_a_few_observations_take_the_reduced_path_without_the_generic_solver(monkeypatch):
    sample, _ = _sample("mle.beta", 10, 0, (2.0, 3.5))
    estimator = build("mle.beta").numpy()
    expected = estimator(sample)

    def generic(*_):
        raise AssertionError("the generic solver ran")

    monkeypatch.setattr(NumericSolver, "_solve", generic)
    assert estimator(sample) == expected


def _outcome(call) -> list[float] | str:
    try:
        return [float(v) for v in call()]
    except DataError as failure:
        return str(failure)


@pytest.mark.parametrize("name, sample", [  # one repeated value: UnboundedError (test_unbounded_samples.py)
    ("mle.gamma_shape", [0.0, 1.0, 2.0]),  # on the closed end of the support: mean log x = -inf
    ("mle.beta", [0.0, 0.5, 0.7]),  # log 0
])
def test_samples_without_a_certified_estimate_go_to_the_generic_solver(name, sample):
    assert _reduced(name, np.array(sample)) is None
    expected = _outcome(lambda: GENERIC[name](np.array(sample), {build(name).problem.sample_size: float(len(sample))}))
    assert _outcome(lambda: build(name).numpy()(np.array(sample)).values()) == expected


def test_models_whose_equations_keep_sums_over_the_data_are_not_reduced():
    assert NumericSolver(build("mle.student_t_location").problem).reduced is None


def test_a_higher_point_on_the_grid_is_seen():
    sample, _ = _sample("mle.gamma_shape", 10, 0, (2.5, 1.7))
    reduced = SOLVERS["mle.gamma_shape"].reduced
    values = {build("mle.gamma_shape").problem.sample_size: 10.0}
    k, _ = _reduced("mle.gamma_shape", sample)
    reduced.plan.complete(sample, values)
    constants = tuple(map(float, reduced._read(values)))
    for wrong in (k / 3.0, 3.0 * k):  # not the maximum: the grid around it holds k
        likelihood = float(reduced._grid(np.array([wrong]), *constants)[0])
        assert not reduced._highest_on_grid([wrong], constants, likelihood)
    assert reduced._highest_on_grid([k], constants, float(reduced._grid(np.array([k]), *constants)[0]))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-10.0, 10.0), min_size=6, max_size=6), st.integers(1, 3))
def test_negative_definite_agrees_with_the_eigenvalues(entries, size):
    a = np.array(entries[:size * size] + [0.0] * (size * size - len(entries[:size * size]))).reshape(size, size)
    matrix = -(a @ a.T) + np.diag(np.linspace(-1.0, 1.0, size)) * 0.5
    upper = [matrix[i, j] for i in range(size) for j in range(i, size)]
    largest = float(np.max(np.linalg.eigvalsh(matrix)))
    if abs(largest) > 1e-6 * (1.0 + np.max(np.abs(matrix))):  # away from singular, where rounding decides
        assert _negative_definite(upper, size) == (largest < 0)


@settings(max_examples=20, deadline=None)
@given(st.floats(0.1, 10.0), st.floats(0.1, 10.0), st.floats(0.1, 10.0))
def test_newton_system_solves_a_three_unknown_system(a, b, c):
    # t0 t1 = a b, t1 t2 = b c, t0 t2 = a c: the positive root is (a, b, c)
    def residuals_and_jacobian(t):
        return (t[0] * t[1] - a * b, t[1] * t[2] - b * c, t[0] * t[2] - a * c,
                t[1], t[0], 0.0, 0.0, t[2], t[1], t[2], 0.0, t[0])

    root = newton_system(residuals_and_jacobian, [1.0, 1.0, 1.0])
    assert root is not None and np.allclose(root, [a, b, c], rtol=1e-12)


def test_a_summand_not_real_on_the_support_is_not_proven():
    problem = build("mle.gamma_shape").problem  # support (0, oo)
    x = problem.observation
    assert _real_on_support(problem, [sp.log(x), x])
    assert not _real_on_support(problem, [sp.log(x - 1)])
    assert not _real_on_support(problem, [sp.sqrt(x - 2)])

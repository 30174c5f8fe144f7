"""The fast paths of the MLE estimators give what the plain ones give.

A closed-form estimator called with a float or integer NumPy array takes the compiled thin path
(symml/mle/closed_form.py); called with a list it takes the plain path, which validates and reduces the general
way: the two must agree on every sample, at extreme scales, for int64 counts, at n = 1 and 2, and raise the same
DataError on bad data. A numeric estimator's Newton steps (symml/mle/newton.py) must land where the brentq fallback
does, and its separated log-likelihood (sums of the data summed once per sample) must equal the mean of the
log-density over the sample.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from symml.errors import DataError
from symml.mle import numeric_solver
from symml.mle.newton import newton_root
from symml.mle.numeric import mle_estimator
from symml.mle.numeric_solver import NumericSolver
from tests.mle_numeric.hand_built import CASES

CLOSED = [name for name, case in CASES.items() if case.problem.closed_form]
ESTIMATORS = {name: mle_estimator(CASES[name].problem) for name in CASES}


def _outcome(name: str, x) -> dict | str:
    """The estimate, or the message of the DataError it raised."""
    try:
        return ESTIMATORS[name](x, **CASES[name].fixed)
    except DataError as failure:
        return str(failure)


def _agree(name: str, sample: np.ndarray, tolerance: float = 1e-12) -> bool:
    """Whether the thin path (the array) and the plain path (the list) give the same estimate or error."""
    fast, plain = _outcome(name, sample), _outcome(name, sample.tolist())
    if isinstance(fast, str) or isinstance(plain, str):
        return fast == plain
    return fast.keys() == plain.keys() and all(
        math.isclose(fast[p], plain[p], rel_tol=tolerance, abs_tol=1e-300) for p in fast)


@settings(max_examples=20, deadline=None)
@given(name=st.sampled_from(CLOSED), size=st.integers(3, 400), seed=st.integers(0, 10**6),
       log_scale=st.sampled_from([-250.0, -20.0, 0.0, 20.0, 250.0]))
def test_thin_closed_form_path_equals_the_plain_path_at_any_scale(name, size, seed, log_scale):
    case = CASES[name]
    sample = case.scipy(case.truth).rvs(size=size, random_state=np.random.default_rng(seed))
    if sample.dtype.kind == "f":
        sample = sample * 10.0**log_scale
    assert _agree(name, sample, 1e-11)


@settings(max_examples=10, deadline=None)
@given(rate=st.floats(0.5, 1e6), size=st.integers(1, 500), seed=st.integers(0, 10**6))
def test_int64_counts_take_the_thin_path_and_agree_with_the_plain_one(rate, size, seed):
    counts = np.random.default_rng(seed).poisson(rate, size).astype(np.int64)
    if counts.sum() == 0:
        return
    assert _agree("poisson", counts)


@pytest.mark.parametrize("sample", [[1.5], [1.5, 1.5], [0.25, 3.0]], ids=["n=1", "n=2 equal", "n=2"])
@pytest.mark.parametrize("name", CLOSED)
def test_one_or_two_observations_give_the_same_answer_or_error_on_both_paths(name, sample):
    assert _agree(name, np.array(sample, dtype=np.int64 if name == "poisson" else float))


@pytest.mark.parametrize("size", [20, 5000], ids=["Python's reductions", "NumPy's and dasum"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("name", CLOSED)
def test_non_finite_data_is_a_data_error_on_the_thin_path(name, bad, size):
    case = CASES[name]
    sample = case.scipy(case.truth).rvs(size=size, random_state=np.random.default_rng(3)).astype(float)
    sample[7] = bad
    with pytest.raises(DataError, match=r"x\[7\]"):
        ESTIMATORS[name](sample, **case.fixed)


def test_a_summand_reveals_non_finite_data_only_where_it_is_non_finite_at_every_non_finite_x():
    import sympy as sp

    from symml.mle.closed_form import _reveals

    x, mu = sp.Symbol("x", real=True), sp.Symbol("mu", real=True)
    for summand in (x, sp.Abs(mu - x), sp.log(x), (x - mu) ** 2, 3 * x + 1):
        assert _reveals(summand, x), summand
        for bad in (np.nan, np.inf, -np.inf):
            with np.errstate(all="ignore"):
                assert not np.isfinite(sp.lambdify((x, mu), summand, "numpy")(bad, 0.5))
    for summand in (1 / x, sp.exp(-x), x**-2, mu):
        assert not _reveals(summand, x), summand


def test_an_observation_outside_the_support_is_a_data_error_on_the_thin_path():
    sample = np.array([0.5, 1.0, -0.25, 2.0])
    with pytest.raises(DataError, match="outside the support"):
        ESTIMATORS["exponential"](sample)


def test_a_bad_fixed_value_is_a_parameter_error_on_the_thin_path():
    from symml.errors import ParameterError

    name = str(CASES["normal_sd"].problem.fixed[0])
    with pytest.raises(ParameterError, match=name):
        ESTIMATORS["normal_sd"](np.array([1.0, 2.0]), **{name: math.nan})


def test_fixed_values_checked_once_are_checked_again_when_they_change():
    from symml.errors import ParameterError

    estimator = mle_estimator(CASES["normal_sd"].problem)
    name = str(CASES["normal_sd"].problem.fixed[0])
    sample = np.array([1.0, 2.0, 4.0])
    first = estimator(sample, **{name: 1.0})
    assert estimator(sample, **{name: np.float64(1.0)}) == first == estimator(sample.tolist(), **{name: 1.0})
    for bad in (math.nan, np.array([1.0, 2.0]), "one"):
        with pytest.raises(ParameterError, match=name):
            estimator(sample, **{name: bad})
    assert estimator(sample, **{name: 2.0}) == estimator(sample.tolist(), **{name: 2.0}) != first


@settings(max_examples=5, deadline=None)
@given(name=st.sampled_from(["gamma", "student_t_location"]), size=st.integers(30, 600), seed=st.integers(0, 10**6),
       log_scale=st.sampled_from([-100.0, 0.0, 100.0]))
def test_newton_lands_where_the_brentq_fallback_does(name, size, seed, log_scale):
    case = CASES[name]
    sample = case.scipy(case.truth).rvs(size=size, random_state=np.random.default_rng(seed))
    if name == "gamma":
        sample = sample * 10.0**log_scale
    newton = ESTIMATORS[name](sample, **case.fixed)
    original = numeric_solver.newton_root
    numeric_solver.newton_root = lambda *args, **kwargs: None  # every root through the bracketing fallback
    try:
        bracketed = mle_estimator(case.problem)(sample, **case.fixed)
    finally:
        numeric_solver.newton_root = original
    assert all(math.isclose(newton[p], bracketed[p], rel_tol=1e-9) for p in newton)


def _prepared_solver(name, seed, size):
    """The case's solver with its statistic plan and sums prepared on a sample of ``size`` drawn at the truth."""
    case = CASES[name]
    solver = NumericSolver(case.problem)
    sample = case.scipy(case.truth).rvs(size=size, random_state=np.random.default_rng(seed)).astype(float)
    values = {p: case.fixed[str(p)] for p in case.problem.fixed}
    values[case.problem.sample_size] = float(sample.size)
    solver.plan.complete(sample, values)
    solver.sums.prepare(sample, values)
    return case, solver, sample, values


def _moved_truth(case, solver, moves):
    """The truth moved by ``moves``: a positive unknown scaled by exp(move), any other shifted by it."""
    return np.array([case.truth[str(u)] * (math.exp(m) if u.is_positive else 1.0) + (0.0 if u.is_positive else m)
                     for u, m in zip(solver.unknowns, moves)])


@settings(max_examples=6, deadline=None)
@given(name=st.sampled_from(["gamma", "beta", "student_t_location"]), seed=st.integers(0, 10**6),
       moves=st.lists(st.floats(-2.0, 2.0), min_size=2, max_size=2))
def test_separated_log_likelihood_is_the_mean_log_density(name, seed, moves):
    case, solver, sample, values = _prepared_solver(name, seed, 300)
    theta = _moved_truth(case, solver, moves)
    separated = solver._mean_log_likelihood(sample, values, theta)
    plain = float(np.mean(solver._terms(sample, values, theta)))
    assert math.isclose(separated, plain, rel_tol=1e-10, abs_tol=1e-10)


@settings(max_examples=6, deadline=None)
@given(name=st.sampled_from(["gamma", "beta", "student_t_location"]), seed=st.integers(0, 10**6),
       moves=st.lists(st.lists(st.floats(-700.0, 700.0), min_size=2, max_size=2), min_size=2, max_size=6))
def test_the_log_likelihood_at_many_points_at_once_is_the_one_at_each(name, seed, moves):
    case, solver, sample, values = _prepared_solver(name, seed, 12)
    thetas = [_moved_truth(case, solver, move) for move in moves]  # exp(+-700): far outside too
    with np.errstate(all="ignore"):
        at_once = solver._mean_log_likelihoods(sample, values, thetas)
        one_by_one = [solver._mean_log_likelihood(sample, values, theta) for theta in thetas]
    assert all(a == b or math.isclose(a, b, rel_tol=1e-13) for a, b in zip(at_once, one_by_one)), (at_once, one_by_one)


def test_polygamma_is_compiled_as_the_ufunc_of_its_order():
    import inspect

    import scipy.special
    import sympy as sp

    from symml.mle.numeric_solver import _with_zeta
    from symml.mle.sample_function import SampleFunction

    z = sp.Symbol("z", positive=True)
    for order in range(4):
        compiled = SampleFunction.of(_with_zeta(sp.polygamma(order, z + 1)))
        assert "polygamma" not in inspect.getsource(compiled.function)
        for point in (1e-3, 0.7, 12.0, 1e6):
            assert math.isclose(compiled.function(point), scipy.special.polygamma(order, point + 1), rel_tol=1e-14)


def test_newton_finds_a_root_of_a_bent_equation_from_far_away():
    # log t = 10 from t = 1: capped log steps, then quadratic convergence
    assert math.isclose(newton_root(lambda t: (math.log(t) - 10.0, 1.0 / t), 1.0, positive=True), math.exp(10.0))


def test_newton_bisects_inside_the_bracket_it_found():
    # tanh overshoots wildly from 1.2 (Newton diverges on it unguarded); the bracket keeps it to the root 0
    seen = []

    def f(t):
        seen.append(t)
        return math.tanh(t), 1.0 - math.tanh(t) ** 2

    assert abs(newton_root(f, 1.2, positive=False)) < 1e-12
    assert max(abs(t) for t in seen) < 10.0


def test_newton_stops_once_quadratic_convergence_makes_the_next_step_vanish():
    # t^3 = 2 from 1.5: steps 0.2, 0.035, 1e-3, 8e-7, then ~5e-13, whose result is not evaluated (6 calls before)
    seen = []

    def f(t):
        seen.append(t)
        return t**3 - 2.0, 3.0 * t**2

    root = newton_root(f, 1.5, positive=False)
    assert math.isclose(root, 2.0 ** (1 / 3), rel_tol=4e-16) and len(seen) == 5


def test_newton_gives_up_on_a_flat_or_undefined_equation():
    assert newton_root(lambda t: (1.0, 0.0), 1.0, positive=False) is None
    assert newton_root(lambda t: (math.nan, 1.0), 1.0, positive=False) is None


@pytest.mark.parametrize("name", ["normal", "normal_sd"])
def test_the_thin_path_gives_no_warning_at_the_extremes_of_the_double_range(name):
    import warnings

    sample = CASES[name].scipy(CASES[name].truth).rvs(size=200, random_state=np.random.default_rng(5))
    for scale in (1e-300, 1e300 / np.max(np.abs(sample))):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert _agree(name, sample * scale, 1e-11)


@settings(max_examples=15, deadline=None)
@given(size=st.integers(1, 300), seed=st.integers(0, 10**6), log_scale=st.sampled_from([-200.0, 0.0, 200.0]))
def test_the_multi_start_quantiles_are_numpys(size, seed, log_scale):
    from symml.mle.self_checks import _quantiles

    sample = np.random.default_rng(seed).standard_cauchy(size) * 10.0**log_scale
    probabilities = np.linspace(0.05, 0.95, 7)
    assert np.allclose(_quantiles(sample, probabilities), np.quantile(sample, probabilities), rtol=1e-14, atol=0.0)


@pytest.fixture(scope="module")
def one_pass_estimators():
    """Pareto's mean of log x and Weibull scale's mean of x^beta, each with a support check by the minimum: the
    estimators whose one statistic and check take one blocked pass, forced here from 1 observation in blocks of 7."""
    from unittest import mock

    from derivations import build
    from symml.mle import closed_form

    with mock.patch.multiple(closed_form, FUSED_FROM=1, BLOCK=7):
        estimators = {name: build(name).numpy() for name in ("mle.pareto", "mle.weibull_scale")}
        for estimator in estimators.values():  # compiled on the first sample past FUSED_FROM
            estimator(np.array([2.0, 3.0]), **{"x_m": 1.5} if estimator is estimators["mle.pareto"] else {"beta": 1.5})
    return estimators


@settings(max_examples=20, deadline=None)
@given(name=st.sampled_from(["mle.pareto", "mle.weibull_scale"]), size=st.integers(1, 60), seed=st.integers(0, 10**6),
       log_scale=st.sampled_from([-250.0, -1.0, 0.0, 1.0, 250.0]), bad=st.sampled_from([None, math.nan, math.inf, -1.0]))
def test_one_blocked_pass_gives_what_the_plain_path_gives(one_pass_estimators, name, size, seed, log_scale, bad):
    rng = np.random.default_rng(seed)
    scale = 10.0**log_scale
    if name == "mle.pareto":  # a scale on both sides of 1: log x of either sign (dasum only where it is not negative)
        fixed = {"x_m": scale}
        sample = scale * (1.0 + rng.pareto(3.0, size))
    else:
        fixed = {"beta": float(rng.uniform(0.3, 3.0))}
        sample = scale * rng.weibull(fixed["beta"], size)
    if bad is not None:
        sample[size // 2] = bad
    outcomes = []
    for x in (sample, sample.tolist()):
        try:
            outcomes.append(one_pass_estimators[name](x, **fixed))
        except DataError as failure:
            outcomes.append(str(failure))
    fast, plain = outcomes
    if isinstance(fast, str) or isinstance(plain, str):
        assert fast == plain
    else:
        assert all(math.isclose(fast[p], plain[p], rel_tol=1e-11) for p in fast), (fast, plain)


@pytest.mark.parametrize("size", [10, 5000], ids=["Python's reductions", "the minimum and dasum"])
def test_the_shifted_exponential_reads_one_extreme_and_still_refuses_a_non_finite_observation(size):
    import sympy as sp

    from tests.mle_numeric import hand_built as hb

    problem = hb._problem("Shifted exponential", sp.log(hb.lam) - hb.lam * (hb.x - hb.mu), sp.Interval(hb.mu, sp.oo),
                          (hb.mu, hb.lam), (hb.mu,), (hb._order(hb.lowest, "min"),), {hb.mu: hb.lowest})
    estimator = mle_estimator(problem)
    sample = 2.0 + np.random.default_rng(4).exponential(size=size)
    assert estimator(sample, **{"lambda": 1.5}) == {"mu": float(np.min(sample))}
    for bad in (math.nan, math.inf, -math.inf):
        broken = sample.copy()
        broken[size // 2] = bad
        with pytest.raises(DataError, match=rf"x\[{size // 2}\]"):
            estimator(broken, **{"lambda": 1.5})

"""Acceptance: the gradients and Hessians of six named losses and 21 calculus exercises agree with central
finite differences of hand-written NumPy functions, at points drawn by hypothesis."""
from __future__ import annotations

import functools

import numpy as np
import pytest
import sympy as sp
from hypothesis import Phase, assume, given, settings, strategies as st

import symml
from symml.testing import gradient_errors, hessian_errors
from tests.calculus.exercises import EXERCISES, LOSSES, Case

CASES = LOSSES + EXERCISES


@functools.lru_cache(maxsize=None)
def _derived(name: str, kind: str):
    case = next(c for c in CASES if c.name == name)
    wrt = list(case.wrt) if len(case.wrt) > 1 else case.wrt[0]
    return getattr(symml.derive, kind)(case.expr, wrt)


@functools.lru_cache(maxsize=None)
def _numpy(name: str, kind: str):
    return _derived(name, kind).numpy()


def _point(case: Case, draw) -> np.ndarray:
    # rounded: symml.testing scales its step with |x|, which a subnormal point would make useless
    values = np.array([round(draw(st.floats(case.low, case.high)), 3) for _ in case.wrt])
    assume(all(abs(values[0] - kink) > 0.05 for kink in case.kinks))
    return values


def _keywords(case: Case, point: np.ndarray) -> dict:
    others = sorted(set(case.expr.free_symbols) - set(case.wrt), key=lambda s: s.name)
    values = dict(zip((s.name for s in case.wrt), point))
    fixed = dict(zip(others, case.fixed)) if len(others) <= 1 else None
    assert fixed is not None, "cases hold at most one fixed parameter"
    values.update({s.name: v for s, v in fixed.items()})
    return values


def _agree(errors, tolerance: float) -> bool:
    # relative, except where the derivative is 0 (a stationary point), where relative error has no scale
    return all(error < tolerance or abs(derived - numeric) < 1e-9 for derived, numeric, error in errors)


def test_there_are_six_losses_and_at_least_twenty_exercises():
    assert len(LOSSES) == 6 and len(EXERCISES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@settings(max_examples=10, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(data=st.data())
def test_gradient_agrees_with_finite_differences(case, data):
    point = _point(case, data.draw)
    keywords = _keywords(case, point)
    f = lambda v: case.numpy(*v, *case.fixed)  # noqa: E731
    grad = lambda v: _numpy(case.name, "gradient")(**dict(keywords, **dict(zip((s.name for s in case.wrt), v))))  # noqa: E731
    assert _agree(gradient_errors(f, grad, point), 1e-6)


@pytest.mark.parametrize("case", [c for c in CASES if not c.kinks], ids=[c.name for c in CASES if not c.kinks])
@settings(max_examples=5, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(data=st.data())
def test_hessian_agrees_with_finite_differences(case, data):
    point = _point(case, data.draw)
    keywords = _keywords(case, point)
    names = [s.name for s in case.wrt]
    f = lambda v: case.numpy(*v, *case.fixed)  # noqa: E731
    hess = lambda v: _numpy(case.name, "hessian")(**dict(keywords, **dict(zip(names, v)))).reshape(len(v), len(v))  # noqa
    assert _agree(hessian_errors(f, hess, point), 1e-4)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_derivation_names_its_rules_and_verifies(case):
    derivation = _derived(case.name, "gradient")
    rules = {step.title.split(" (")[0] for step in derivation.steps}
    assert rules & {"Sum rule", "Product rule", "Quotient rule", "Chain rule", "Power rule", "Constant factor",
                    "Power rule and chain rule", "Exponential rule", "Logarithmic differentiation",
                    "Rule for a function defined by cases"} or any(r.startswith("Known derivative") for r in rules)
    assert derivation.verify()

"""Symbolic work is bounded: `within` stops a runaway call and says what ran out of time."""
import time

import pytest
import sympy as sp

from symml.budget import within
from symml.errors import BudgetExceededError


def _spin_forever():
    while True:
        pass


def _swallowing_spin():
    # SymPy code often has `except Exception`: the budget must get through it.
    while True:
        try:
            sum(range(1000))
        except Exception:
            pass


def test_a_call_within_budget_returns_its_value():
    x = sp.Symbol("x")
    assert within(5, "simplify", sp.simplify, sp.sin(x) ** 2 + sp.cos(x) ** 2) == 1


def test_a_runaway_call_raises_budget_exceeded_naming_the_work():
    started = time.perf_counter()
    with pytest.raises(BudgetExceededError, match="the spin did not finish within its budget of 0.3 s"):
        within(0.3, "the spin", _spin_forever)
    assert time.perf_counter() - started < 2


def test_except_exception_in_the_guarded_code_cannot_swallow_the_timeout():
    with pytest.raises(BudgetExceededError):
        within(0.3, "spin", _swallowing_spin)


def test_an_inner_budget_expiring_leaves_the_outer_one_running():
    def inner_times_out():
        with pytest.raises(BudgetExceededError):
            within(0.2, "inner", _spin_forever)
        return "outer finished"

    assert within(5, "outer", inner_times_out) == "outer finished"


def _busy(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_no_timeout_arrives_after_the_call_has_returned():
    # Budgets that expire just as the call ends race with its return; none may leak out afterwards.
    for _ in range(100):
        try:
            within(0.001, "race", _busy, 0.001)
        except BudgetExceededError:
            pass
    _busy(0.5)  # a leaked timeout would be raised in here


def test_an_outer_budget_expiring_as_an_inner_call_ends_leaks_no_timeout():
    # The outer timeout can land at the start of an inner call's clean-up; the inner watchdog must not
    # keep firing into the thread afterwards.
    def many_inner_calls():
        while True:
            within(10, "inner", int)

    for _ in range(20):
        with pytest.raises(BudgetExceededError, match="outer"):
            within(0.02, "outer", many_inner_calls)
    _busy(1.0)  # a leaked timeout would be raised in here


def test_errors_raised_by_the_call_pass_through_unchanged():
    with pytest.raises(ZeroDivisionError):
        within(1, "division", lambda: 1 / 0)

"""symml never catches exceptions it did not raise: a user's own timeout or interrupt passes through untouched."""
import signal
import time

import pytest
import sympy as sp

import symml
from symml.mle import families


class UserTimeout(Exception):
    """What a user's SIGALRM handler raises: an Exception, so a blanket ``except Exception`` would swallow it."""


class _InterruptedCheck:
    """A distribution class whose ``check`` is interrupted by the user while symml probes it."""

    def __init__(self, interruption):
        self.interruption = interruption

    def check(self, *arguments):
        raise self.interruption


@pytest.mark.parametrize("interruption", [UserTimeout(), KeyboardInterrupt(), SystemExit(3)])
def test_an_interruption_while_reading_a_familys_parameter_checks_passes_through(interruption):
    probe = sp.Symbol("probe", negative=True)
    with pytest.raises(type(interruption)):
        families._check_rejects(_InterruptedCheck(interruption), [sp.Symbol("a")], 0, probe)
    with pytest.raises(type(interruption)):
        families._is_silent(_InterruptedCheck(interruption), [sp.Symbol("a")], 0)


def _derive():
    symml.derive.mle("Weibull")
    n, d = symml.dims("n d")
    X, w = symml.matrix("X", n, d), symml.vector("w", d)
    symml.derive.gradient(symml.sum(symml.softplus(X @ w)), w)


def test_a_sigalrm_handlers_exception_during_a_derivation_reaches_the_caller():
    fired = []

    def on_alarm(signum, frame):
        fired.append(True)
        raise UserTimeout

    started = time.perf_counter()
    _derive()
    duration = time.perf_counter() - started
    previous = signal.signal(signal.SIGALRM, on_alarm)
    swallowed = 0
    try:
        for k in range(10):
            fired.clear()
            signal.setitimer(signal.ITIMER_REAL, duration * (k + 0.5) / 10)
            try:
                _derive()
            except UserTimeout:
                continue
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            swallowed += bool(fired)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert swallowed == 0

"""Time budgets for symbolic work: no call into SymPy may hang.

``within(seconds, what, fn, *args)`` runs ``fn`` in the calling thread and, when the budget runs out,
raises :class:`~symml.errors.BudgetExceededError` there. A watchdog thread injects the timeout as an
asynchronous exception, so it works in any thread (Jupyter kernels, pytest, web servers), and the
exception derives from ``BaseException`` so that SymPy's many ``except Exception`` blocks cannot swallow it.
It is delivered between Python bytecodes: a single long C call (a huge integer product) finishes first.
One watchdog thread serves every budget in the process.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> within(SIMPLIFY_SECONDS, "simplify", sp.simplify, sp.sin(x)**2 + sp.cos(x)**2)
1
"""
from __future__ import annotations

import ctypes
import queue
import sys
import threading
import time
from types import FrameType
from typing import Any, Callable, TypeVar

from symml.errors import BudgetExceededError

__all__ = ["within", "SIMPLIFY_SECONDS", "SOLVE_SECONDS", "INTEGRATE_SECONDS"]

T = TypeVar("T")

# Default budgets, in seconds of wall-clock time, for one call of each kind.
SIMPLIFY_SECONDS = 5.0
SOLVE_SECONDS = 10.0
INTEGRATE_SECONDS = 15.0

# How often the watchdog re-raises while the guarded code has not yet stopped (it may have caught one).
_RERAISE_SECONDS = 0.2


class _Expired(BaseException):
    """Injected into the guarded thread; each call uses its own subclass so nested budgets stay apart."""


def _raise_in_thread(thread_id: int, exception: type[BaseException] | None) -> None:
    # With None, CPython clears an exception that was scheduled but not yet raised.
    target = ctypes.py_object(exception) if exception is not None else None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), target)


def _on_stack(thread_id: int, frame: FrameType) -> bool:
    current = sys._current_frames().get(thread_id)
    while current is not None:
        if current is frame:
            return True
        current = current.f_back
    return False


class _Budget:
    """One guarded call: when it is due, which thread and frame run it, and the exception that stops it."""

    def __init__(self, seconds: float, thread_id: int, frame: FrameType) -> None:
        self.due = time.monotonic() + seconds
        self.thread_id = thread_id
        self.frame = frame
        self.expired: type[_Expired] = type("_Expired", (_Expired,), {})
        # Whoever holds the gate decides: the watchdog fires only while holding it, and the guarded thread
        # takes it for good when the call ends, so no timeout is scheduled after the call has returned.
        self.gate = threading.Lock()


class _Watchdog:
    """A single daemon thread that stops guarded calls when they are due.

    One thread for all budgets, started once: starting a thread per call would be slow, and CPython gives a
    thread being started its parent's id for a moment, so a timeout aimed at the parent could land in it.
    The guarded threads touch only operations that are single C calls (set.add, set.discard,
    SimpleQueue.put, Lock.acquire): a timeout can land between any two bytecodes, and a Python-level lock
    interrupted half-way would stay held for ever.
    """

    _SWEEP_SECONDS = 1.0  # wake at least this often, in case a wake-up was cut short by a timeout

    def __init__(self) -> None:
        self._budgets: set[_Budget] = set()
        self._wakeups: queue.SimpleQueue[None] = queue.SimpleQueue()
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, budget: _Budget) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    thread = threading.Thread(target=self._run, name="symml budget watchdog", daemon=True)
                    thread.start()
                    self._thread = thread
        self._budgets.add(budget)
        self._wakeups.put(None)

    def discard(self, budget: _Budget) -> None:
        self._budgets.discard(budget)

    def _run(self) -> None:
        while True:
            now = time.monotonic()
            for budget in [budget for budget in list(self._budgets) if budget.due <= now]:
                self._fire(budget)
            next_due = min((budget.due for budget in list(self._budgets)), default=now + self._SWEEP_SECONDS)
            try:
                self._wakeups.get(timeout=min(max(next_due - time.monotonic(), 0.0), self._SWEEP_SECONDS))
            except queue.Empty:
                pass

    def _fire(self, budget: _Budget) -> None:
        if not budget.gate.acquire(blocking=False):
            self.discard(budget)  # the call has ended
            return
        try:
            # The guarded thread's clean-up can itself be cut short (an outer budget expiring at that very
            # moment); a call whose frame has left the stack is over, whatever its gate says.
            if not _on_stack(budget.thread_id, budget.frame):
                self.discard(budget)
                return
            _raise_in_thread(budget.thread_id, budget.expired)
            # The guarded code may catch it; raise again until the call ends.
            budget.due = time.monotonic() + _RERAISE_SECONDS
        finally:
            budget.gate.release()


_watchdog = _Watchdog()


def within(seconds: float, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Return ``fn(*args, **kwargs)``, or raise BudgetExceededError naming ``what`` after ``seconds``.

    Args:
        seconds: the wall-clock budget.
        what: what is being computed, for the error message ("solve of the score equations").
        fn: the function to call; its arguments follow.
    """
    budget = _Budget(seconds, threading.get_ident(), sys._getframe())
    _watchdog.add(budget)
    try:
        try:
            return fn(*args, **kwargs)
        finally:
            budget.gate.acquire()
            _raise_in_thread(budget.thread_id, None)
            _watchdog.discard(budget)
    except budget.expired:
        raise BudgetExceededError(what, seconds) from None

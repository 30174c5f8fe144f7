"""Time budgets for symbolic work: no call into SymPy may hang.

``within(seconds, what, fn, *args)`` runs ``fn`` in the calling thread and, when the budget runs out,
raises :class:`~symml.errors.BudgetExceededError` there. A watchdog thread injects the timeout as an
asynchronous exception, so it works in any thread (Jupyter kernels, pytest, web servers), and the
exception derives from ``BaseException`` so that SymPy's many ``except Exception`` blocks cannot swallow it.
It is delivered between Python bytecodes: a single long C call (a huge integer product) finishes first.
One watchdog thread serves every budget in the process.

Work that a thread budget cannot stop (long exact integer arithmetic inside one C call) goes through
``within_process(seconds, what, fn, *args)``: the same contract, computed in a forked worker process that is
killed when the budget runs out. It costs a fork (a few milliseconds), so it is for the stages known to reach
such arithmetic, not for every call.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> within(SIMPLIFY_SECONDS, "simplify", sp.simplify, sp.sin(x)**2 + sp.cos(x)**2)
1
"""
from __future__ import annotations

import ctypes
import os
import queue
import sys
import threading
import time
from types import FrameType
from typing import Any, Callable, TypeVar

from symml.errors import BudgetExceededError

__all__ = ["within", "within_process", "SIMPLIFY_SECONDS", "SOLVE_SECONDS", "INTEGRATE_SECONDS", "RENDER_SECONDS",
           "NUMPY_SECONDS", "VERIFY_SECONDS"]

T = TypeVar("T")

# Default budgets, in seconds of wall-clock time, for one call of each kind.
SIMPLIFY_SECONDS = 5.0
SOLVE_SECONDS = 10.0
INTEGRATE_SECONDS = 15.0
# Budgets of the public operations on a finished Derivation, each as a whole.
RENDER_SECONDS = 20.0  # latex(), markdown(), text() / str(), and the Jupyter reprs
NUMPY_SECONDS = 30.0  # numpy(): code generation
VERIFY_SECONDS = 60.0  # verify(): simulation and an independent numeric solve

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
                    _ignore_timeouts_in_finalizers()
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


def _ignore_timeouts_in_finalizers() -> None:
    """A timeout that lands while the guarded thread runs a finalizer (``__del__``, a weakref callback, called by
    the garbage collector between two bytecodes) cannot propagate: Python reports it to ``sys.unraisablehook``
    and goes on. The watchdog raises it again 0.2 s later, so nothing is lost; the report is noise about symml's
    internals and is dropped here. Any other unraisable exception goes to the hook installed before."""
    previous = sys.unraisablehook
    if getattr(previous, "_symml_wrapper", False):
        return

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, _Expired):
            previous(unraisable)

    hook._symml_wrapper = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook


_watchdog = _Watchdog()


def _forget_parent_budgets() -> None:
    # A forked child has only the forking thread: the parent's watchdog thread and budgets are not there, and a
    # watchdog marked as started would never fire in the child.
    global _watchdog
    _watchdog = _Watchdog()


os.register_at_fork(after_in_child=_forget_parent_budgets)


def within(seconds: float, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Return ``fn(*args, **kwargs)``, or raise BudgetExceededError naming ``what`` after ``seconds``.

    Args:
        seconds: the wall-clock budget.
        what: what is being computed, for the error message ("solve of the score equations").
        fn: the function to call; its arguments follow.
    """
    budget = _Budget(seconds, threading.get_ident(), sys._getframe())
    try:
        try:
            # Registered inside the guarded region: a timeout landing as soon as the watchdog knows the budget
            # (before ``fn`` even starts) is caught below like any other.
            _watchdog.add(budget)
            return fn(*args, **kwargs)
        finally:
            budget.gate.acquire()
            _raise_in_thread(budget.thread_id, None)
            _watchdog.discard(budget)
    except budget.expired:
        raise BudgetExceededError(what, seconds) from None


# How often a caller waiting on a worker process wakes, so that an outer budget can still stop it.
_POLL_SECONDS = 0.05


def within_process(seconds: float, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Return ``fn(*args, **kwargs)`` computed in a worker process that is killed after ``seconds``.

    A hard limit for work a thread budget (:func:`within`) cannot interrupt because it is one long C call:
    ``factorial(10**8)``, ``(3**1000)**1000``, an exact rational ``expand`` that multiplies huge integers. The
    worker is a fork of the caller (Linux), so ``fn`` and its arguments need not be picklable; its result and
    its exceptions come back pickled (SymPy expressions are picklable) and an exception raised by ``fn`` is
    re-raised here unchanged. The caller waits in short polls, so an outer :func:`within` budget, a
    KeyboardInterrupt or a signal handler's exception still stop the wait; the worker is killed whatever ends it.

    Cost: a fork and a pipe, about 10-20 ms per call with SymPy loaded (``benchmarks/bench_budgets.py``
    prints it), so use it for the stages known to reach such arithmetic, not for every call.

    Raises:
        BudgetExceededError: the worker did not finish within ``seconds`` (it has been killed).
        UnsupportedOperationError: the worker died without an answer, or its answer could not be sent back.

    >>> within_process(5, "a big power", pow, 3, 1000) % 1000
    1
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_run_and_send, args=(sender, fn, args, kwargs), daemon=True)
    worker.start()
    sender.close()
    try:
        deadline = time.monotonic() + seconds
        while not receiver.poll(min(_POLL_SECONDS, max(deadline - time.monotonic(), 0.0))):
            if time.monotonic() >= deadline:
                raise BudgetExceededError(what, seconds)
            if not worker.is_alive() and not receiver.poll(0):
                raise _worker_failure(what, f"the worker process ended with exit code {worker.exitcode}")
        try:
            succeeded, value = receiver.recv()
        except EOFError:
            raise _worker_failure(what, f"the worker process ended with exit code {worker.exitcode}") from None
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receiver.close()
    if succeeded:
        return value
    raise value


def _run_and_send(sender: Any, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    """In the worker: compute, and send ``(True, result)`` or ``(False, exception)`` back to the caller."""
    import pickle

    try:
        answer: tuple[bool, Any] = (True, fn(*args, **kwargs))
    except BaseException as failure:  # not handled here: re-raised in the caller's process
        answer = (False, failure)
    try:
        sender.send(answer)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as failure:
        sender.send((False, _worker_failure("the worker's answer", f"it cannot be sent back: {failure}")))
    finally:
        sender.close()


def _worker_failure(what: str, why: str) -> Exception:
    from symml.errors import UnsupportedOperationError

    return UnsupportedOperationError(f"{what} failed in its worker process: {why}")

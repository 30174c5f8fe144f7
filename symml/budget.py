"""Time budgets for symbolic work: no call into SymPy may hang.

``within(seconds, what, fn, *args)`` runs ``fn`` in the calling thread and, when the budget runs out,
raises :class:`~symml.errors.BudgetExceededError` there. A budget counts the CPU time of the calling thread (plus
the time it waits for a worker process), so a derivation gives the same answer on a busy machine as on an idle
one: measured in wall-clock time, at a load of 10 on 2 cores the Beta-Bernoulli posterior mode ran past its solve
budget and lost its closed form. A wall-clock limit of ten times the budget remains for a
thread that is blocked and spends no CPU time at all. A watchdog thread injects the timeout as an
asynchronous exception, so it works in any thread (Jupyter kernels, pytest, web servers), and the
exception derives from ``BaseException`` so that SymPy's many ``except Exception`` blocks cannot swallow it.
It is delivered between Python bytecodes: a single long C call (a huge integer product) finishes first.
One watchdog thread serves every budget in the process.

A derivation makes dozens of budgeted calls (the Fisher information of a Student t: forty expectations, each
with its normaliser, score, generating-function and integral routes), and budgets that each hold alone add up to
minutes. ``SharedBudget(seconds).run(fn, *args)`` gives all the budgets inside ``fn`` one allowance: each
``within`` gets at most what is left of it, and once it is spent each raises
:class:`~symml.errors.SharedBudgetSpentError` (a BudgetExceededError) at once, so every step takes its own
fallback (numeric, said so) and the derivation ends.

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
from typing import Any, Callable, Generator, TypeVar

from symml.errors import BudgetExceededError, SharedBudgetSpentError

__all__ = ["within", "within_process", "SharedBudget", "DERIVATION_SECONDS", "SIMPLIFY_SECONDS", "SOLVE_SECONDS",
           "INTEGRATE_SECONDS", "RENDER_SECONDS", "NUMPY_SECONDS", "VERIFY_SECONDS"]

T = TypeVar("T")

# Default budgets, in CPU seconds of the calling thread, for one call of each kind.
SIMPLIFY_SECONDS = 5.0
SOLVE_SECONDS = 10.0
INTEGRATE_SECONDS = 15.0
# Budgets of the public operations on a finished Derivation, each as a whole.
RENDER_SECONDS = 20.0  # latex(), markdown(), text() / str(), and the Jupyter reprs
NUMPY_SECONDS = 30.0  # numpy(): code generation
VERIFY_SECONDS = 60.0  # verify(): simulation and an independent numeric solve
# The symbolic work of one probability derivation (moments, entropy, Fisher information), shared by all its steps
DERIVATION_SECONDS = 8.0

# How often the watchdog re-raises while the guarded code has not yet stopped (it may have caught one).
_RERAISE_SECONDS = 0.2

# The wall-clock limit of a budget, as a multiple of its CPU seconds: only a thread that is blocked (spending no
# CPU time) reaches it; at a load of 10 on 2 cores a busy thread gets about a fifth of a core.
_WALL_FACTOR = 10.0

# Wall seconds each thread has spent waiting for a worker process (within_process), counted as work by the
# budgets of that thread: finished waits, and the start of the current one. Plain dict operations, single C calls.
_waited: dict[int, float] = {}
_waiting_since: dict[int, float] = {}


def _cpu_clock() -> int | None:
    """The CPU-time clock of the calling thread, or None where the platform has none (then budgets are wall time)."""
    try:
        return time.pthread_getcpuclockid(threading.get_ident())
    except (AttributeError, OSError):
        return None


class _Expired(BaseException):
    """Injected into the guarded thread; each call uses its own subclass so nested budgets stay apart."""


# PyThreadState_SetAsyncExc(thread id, exception class): schedules the exception in that thread; with NULL for the
# class, clears one that was scheduled but not yet raised.
_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


class _Budget:
    """One guarded call: when it is due, which thread runs it, and the exception that stops it.

    The call runs inside a generator (:func:`_guarded`): CPython clears ``gi_running`` in C the moment the call
    ends, however it ends, so that flag says whether the call is still going without the watchdog having to
    look at the thread's stack (``sys._current_frames()`` can deadlock in CPython 3.11, see ``_Watchdog._fire``).
    """

    def __init__(self, seconds: float, thread_id: int) -> None:
        self.thread_id = thread_id
        self.clock = _cpu_clock()  # read by the watchdog: the CPU time of this (the guarded) thread
        self.allowance = seconds
        self.due = time.monotonic() + (seconds * _WALL_FACTOR if self.clock is not None else seconds)
        self.started = self.spent() if self.clock is not None else 0.0
        self.expired: type[_Expired] = type("_Expired", (_Expired,), {})
        self.call: Generator[None, None, Any] | None = None
        # The arguments of the injection, built here rather than in the watchdog: see ``_Watchdog._fire``.
        self.injection = (ctypes.c_ulong(thread_id), ctypes.py_object(self.expired))
        self.fired = False  # set (under the gate) once the watchdog has injected the timeout
        # Whoever holds the gate decides: the watchdog fires only while holding it, and the guarded thread
        # takes it for good when the call ends, so no timeout is scheduled after the call has returned.
        self.gate = threading.Lock()

    def spent(self) -> float:
        """CPU seconds of the guarded thread plus the wall seconds it has waited for worker processes."""
        return _spent(self.thread_id, self.clock)  # type: ignore[arg-type]  # only called with a clock

    def left(self, now: float) -> float:
        """Seconds until the budget is due: the smaller of its CPU time and its wall-clock limit left."""
        wall = self.due - now
        if self.clock is None:
            return wall
        try:
            return min(wall, self.allowance - (self.spent() - self.started))
        except OSError:  # the thread has ended, so has the call: the watchdog discards the budget
            return wall


def _spent(thread_id: int, clock: int) -> float:
    """CPU seconds of a thread (its clock) plus the wall seconds it has waited for worker processes."""
    waited = _waited.get(thread_id, 0.0)
    since = _waiting_since.get(thread_id)
    if since is not None:
        waited += time.monotonic() - since
    return time.clock_gettime(clock) + waited


class SharedBudget:
    """A budget shared by every :func:`within` and :func:`within_process` run inside ``share.run(fn, ...)``: each
    gets at most what is left of ``seconds``, and once they are spent each raises SharedBudgetSpentError without
    starting.

    For a derivation made of many budgeted steps, each with a fallback: the steps share one allowance instead of
    adding their budgets up, and once it is spent they all fall back at once. It counts from its creation, like a
    budget, the CPU seconds of the thread that created it (plus its waits for worker processes; wall seconds
    where the platform has no thread CPU clock); ``run`` may be called again later (a stage in between, such as a
    hard :func:`within` that must not be cut short by it, runs outside). Nested shares: the tightest counts. Work
    outside any budget (a plain ``sp.expand``) is not stopped, only counted. A thread's shares are its own.

    >>> import sympy as sp
    >>> SharedBudget(0.0).run(within, SIMPLIFY_SECONDS, "simplify", sp.simplify, sp.Integer(1))
    Traceback (most recent call last):
    symml.errors.SharedBudgetSpentError: simplify stopped: the 0 s of symbolic work its derivation shares are spent
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._thread_id = threading.get_ident()
        self._clock = _cpu_clock()
        self._started = self._now()

    def _now(self) -> float:
        return time.monotonic() if self._clock is None else _spent(self._thread_id, self._clock)

    def left(self) -> float:
        """Seconds left of the share."""
        return self.seconds - (self._now() - self._started)

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)``, with every budget inside it sharing this one."""
        call = _shared_call(fn, args, kwargs)
        # The call is a generator so that the share counts exactly while it runs (gi_running), however it ends:
        # nothing need be removed afterwards, which a timeout landing at that moment could prevent.
        _shares().append((self, call))
        try:
            next(call)
        except StopIteration as returned:
            if isinstance(returned.value, _RaisedStopIteration):
                raise returned.value.exception from None
            return returned.value
        raise AssertionError("unreachable: _shared_call never yields")


def _shared_call(fn: Callable[..., T], args: tuple, kwargs: dict) -> Generator[None, None, T]:
    try:
        return fn(*args, **kwargs)
    except StopIteration as raised:  # a generator may not let it out (PEP 479): SharedBudget.run raises it instead
        return _RaisedStopIteration(raised)  # type: ignore[return-value]
    yield  # unreachable: makes this function a generator


# The shares of each thread with the calls they cover, outermost first (a worker thread starts with none).
_open_shares = threading.local()


def _shares() -> list[tuple[SharedBudget, Generator[Any, Any, Any]]]:
    try:
        return _open_shares.stack
    except AttributeError:
        _open_shares.stack = []
        return _open_shares.stack


def _clipped(what: str, seconds: float) -> tuple[float, SharedBudget | None]:
    """The budget a call gets inside the shares running in this thread, and the share that set it (None when its
    own is smaller); raises SharedBudgetSpentError when one of them is spent."""
    stack = _shares()
    if not stack:
        return seconds, None
    stack[:] = [(share, call) for share, call in stack if call.gi_running]  # type: ignore[attr-defined]  # the ended
    tightest: SharedBudget | None = None
    for share, _ in stack:
        left = share.left()
        if left <= 0:
            raise SharedBudgetSpentError(what, share.seconds)
        if left < seconds:
            seconds, tightest = left, share
    return seconds, tightest


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
            left = {budget: budget.left(now) for budget in list(self._budgets)}
            for budget in [budget for budget, seconds in left.items() if seconds <= 0]:
                self._fire(budget)
            # A budget with t seconds of CPU time left is not due for at least t wall seconds
            soonest = min((seconds for seconds in left.values() if seconds > 0), default=self._SWEEP_SECONDS)
            try:
                self._wakeups.get(timeout=min(soonest, self._SWEEP_SECONDS))
            except queue.Empty:
                pass

    def _fire(self, budget: _Budget) -> None:
        # While it holds the gate the watchdog runs nothing that allocates a garbage-collected object: no
        # collection can start, so no gc callback, finalizer or weakref callback (arbitrary Python, which may
        # wait for a lock the guarded thread holds while that thread waits for the gate) runs inside it. That is
        # why the injection's arguments are built beforehand and the call's state is read from a flag.
        # (The watchdog used to look for the call's frame with sys._current_frames(): in CPython 3.11 that holds
        # the runtime's thread-list lock while it allocates frame objects, so a collection ran, a gc callback
        # (hypothesis installs one) let the GIL go, and a guarded thread clearing its timeout took the GIL and
        # waited for that lock for ever: cpython issue 106883, the hammer test's stall.)
        if not budget.gate.acquire(blocking=False):
            self.discard(budget)  # the call has ended
            return
        call = budget.call
        if call is not None and call.gi_running:  # type: ignore[attr-defined]  # (typeshed's Generator lacks it)
            budget.fired = True
            _set_async_exc(*budget.injection)
            budget.gate.release()
            # The guarded code may catch it; raise again until the call ends (on the wall clock from now on).
            budget.clock = None
            budget.due = time.monotonic() + _RERAISE_SECONDS
        else:
            # Over, though the guarded thread has not taken the gate yet, or its clean-up was cut short by an
            # outer budget expiring at that very moment.
            budget.gate.release()
            self.discard(budget)


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
    # Nor are its shares: they count the CPU clock of a thread of the parent (within_process has clipped the
    # worker's whole budget to them already).
    _open_shares.stack = []


os.register_at_fork(after_in_child=_forget_parent_budgets)


def within(seconds: float, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Return ``fn(*args, **kwargs)``, or raise BudgetExceededError naming ``what`` after ``seconds``.

    Args:
        seconds: the budget, in CPU seconds of the calling thread (wall seconds where the platform has no
            thread CPU clock); a thread blocked without using CPU is stopped after ten times as many wall seconds.
        what: what is being computed, for the error message ("solve of the score equations").
        fn: the function to call; its arguments follow.

    Inside a :class:`SharedBudget`, the budget is at most what is left of the share; a share that is spent raises
    SharedBudgetSpentError at once, without calling ``fn``.
    """
    seconds, share = _clipped(what, seconds)
    budget = _Budget(seconds, threading.get_ident())
    budget.call = _guarded(budget, fn, args, kwargs)
    try:
        try:
            next(budget.call)
        finally:
            # The call has ended by raising (StopIteration carries its value), and a raising call is followed by
            # no check for pending asynchronous exceptions until this acquire has returned: so the gate is
            # taken whatever timeout is on its way, and none can be scheduled afterwards.
            budget.gate.acquire()
            if budget.fired:
                # Only then: in CPython 3.11 clearing leaves the interpreter's "asynchronous exception pending" flag
                # set, and under a profiler or tracer (cProfile, a debugger, coverage) the next call then spins for
                # ever; a call that was never fired at has nothing to clear.
                _set_async_exc(ctypes.c_ulong(budget.thread_id), None)
            _watchdog.discard(budget)
    except StopIteration as returned:
        if isinstance(returned.value, _RaisedStopIteration):
            raise returned.value.exception from None
        return returned.value
    except budget.expired:
        raise (BudgetExceededError(what, seconds) if share is None else SharedBudgetSpentError(what, share.seconds)) \
            from None
    raise AssertionError("unreachable: _guarded never yields")


def _guarded(budget: _Budget, fn: Callable[..., T], args: tuple, kwargs: dict) -> Generator[None, None, T]:
    """The guarded region of :func:`within`: a generator, so that ``gi_running`` says whether it still runs."""
    # Registered inside the guarded region: a timeout landing as soon as the watchdog knows the budget
    # (before ``fn`` even starts) is caught in within() like any other.
    _watchdog.add(budget)
    try:
        return fn(*args, **kwargs)
    except StopIteration as raised:  # a generator may not let it out (PEP 479): within() raises it instead
        return _RaisedStopIteration(raised)  # type: ignore[return-value]
    yield  # unreachable: makes this function a generator


class _RaisedStopIteration:
    """A StopIteration raised by the guarded call, carried out of the generator :func:`_guarded`."""

    def __init__(self, exception: StopIteration) -> None:
        self.exception = exception


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

    seconds, share = _clipped(what, seconds)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_run_and_send, args=(sender, fn, args, kwargs), daemon=True)
    worker.start()
    sender.close()
    waiter = threading.get_ident()
    try:
        _waiting_since[waiter] = time.monotonic()  # the budgets of this thread count the wait as work
        deadline = time.monotonic() + seconds
        while not receiver.poll(min(_POLL_SECONDS, max(deadline - time.monotonic(), 0.0))):
            if time.monotonic() >= deadline:
                raise BudgetExceededError(what, seconds) if share is None else \
                    SharedBudgetSpentError(what, share.seconds)
            if not worker.is_alive() and not receiver.poll(0):
                raise _worker_failure(what, f"the worker process ended with exit code {worker.exitcode}")
        try:
            succeeded, value = receiver.recv()
        except EOFError:
            raise _worker_failure(what, f"the worker process ended with exit code {worker.exitcode}") from None
    finally:
        since = _waiting_since.pop(waiter, None)
        if since is not None:
            _waited[waiter] = _waited.get(waiter, 0.0) + time.monotonic() - since
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

"""Time budgets for symbolic work: no call into SymPy may hang.

``within(seconds, what, fn, *args)`` runs ``fn`` in the calling thread and, when the budget runs out,
raises :class:`~symml.errors.BudgetExceededError` there. A watchdog thread injects the timeout as an
asynchronous exception, so it works in any thread (Jupyter kernels, pytest, web servers), and the
exception derives from ``BaseException`` so that SymPy's many ``except Exception`` blocks cannot swallow it.
It is delivered between Python bytecodes: a single long C call (a huge integer product) finishes first.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> within(SIMPLIFY_SECONDS, "simplify", sp.simplify, sp.sin(x)**2 + sp.cos(x)**2)
1
"""
from __future__ import annotations

import ctypes
import threading
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


def within(seconds: float, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Return ``fn(*args, **kwargs)``, or raise BudgetExceededError naming ``what`` after ``seconds``.

    Args:
        seconds: the wall-clock budget.
        what: what is being computed, for the error message ("solve of the score equations").
        fn: the function to call; its arguments follow.
    """
    expired = type("_Expired", (_Expired,), {})
    thread_id = threading.get_ident()
    # Whoever holds the gate decides: the watchdog only fires while holding it, and the guarded thread
    # takes it for good when it finishes, so no timeout can be scheduled after the call has returned.
    gate = threading.Lock()
    finished = threading.Event()

    def watchdog() -> None:
        if finished.wait(seconds):
            return
        while gate.acquire(blocking=False):
            try:
                _raise_in_thread(thread_id, expired)
            finally:
                gate.release()
            if finished.wait(_RERAISE_SECONDS):
                return

    threading.Thread(target=watchdog, name=f"symml budget: {what}", daemon=True).start()
    try:
        try:
            return fn(*args, **kwargs)
        finally:
            gate.acquire()
            _raise_in_thread(thread_id, None)
            finished.set()
    except expired:
        raise BudgetExceededError(what, seconds) from None

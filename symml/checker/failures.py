"""The failures of SymPy that the checker catches, and only those.

>>> ZeroDivisionError in SYMPY_FAILURES, KeyboardInterrupt in SYMPY_FAILURES
(True, False)
"""
from __future__ import annotations

import sympy as sp

__all__ = ["SYMPY_FAILURES"]

#: The ways SymPy's own stages fail on legal input (StopIteration in sum_simplify, PolynomialError, a
#: NotImplementedError of solve, TypeError/ValueError/AttributeError from deep inside a simplifier, ...): a stage
#: that fails this way proves nothing. Only these are caught: a user's KeyboardInterrupt, SystemExit and their own
#: timeouts (a SIGALRM handler raising TimeoutError or any other exception) pass through untouched.
SYMPY_FAILURES: tuple[type[BaseException], ...] = (
    TypeError, ValueError, AttributeError, IndexError, KeyError, ZeroDivisionError, ArithmeticError,
    NotImplementedError, RecursionError, StopIteration, AssertionError, sp.SympifyError,
    sp.polys.polyerrors.BasePolynomialError, sp.core.evalf.PrecisionExhausted)

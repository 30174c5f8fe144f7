r"""The index of a sum or product is bound: putting a value in for a name it shares must not capture it.

Notes reuse letters: ``\bar{x} = \frac{1}{N}\sum_{n=1}^N x_n`` sums over the n that is elsewhere the sample
size, and ``v_n = \alpha \sum_{t=1}^n \beta^{n-t} \delta_t`` defines v at n with the t that ``v_t`` later
indexes by. SymPy's ``xreplace`` renames bound indices along with free names (``Sum(x[n], (n, 1, N))`` at n = 3
is ``Sum(x[3], (3, 1, 3))``, no sum at all), so a bound index that shares a name about to be replaced is renamed
first, to a fresh integer of the same name.

>>> import sympy as sp
>>> n, N = sp.symbols("n N", integer=True, positive=True)
>>> x = sp.IndexedBase("x")
>>> bound_renamed(sp.Sum(x[n], (n, 1, N)) / n, {n}).xreplace({n: 3, N: 2}).doit()
x[1]/3 + x[2]/3
"""
from __future__ import annotations

from typing import Any, Iterable

import sympy as sp

__all__ = ["bound_renamed"]


def bound_renamed(expr: Any, names: Iterable[Any]) -> Any:
    """``expr`` with each index of a sum or product that is one of ``names`` renamed to a fresh integer."""
    names = set(names)
    if not isinstance(expr, sp.Basic) or not names or not expr.has(sp.Sum, sp.Product):
        return expr

    def clashes(e: Any) -> bool:
        return isinstance(e, (sp.Sum, sp.Product)) and any(limit[0] in names for limit in e.limits)

    def renamed(e: Any) -> Any:
        fresh = {limit[0]: sp.Dummy(str(limit[0]), integer=True) for limit in e.limits if limit[0] in names}
        return e.xreplace(fresh)

    return expr.replace(clashes, renamed)

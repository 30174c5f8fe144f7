"""Whether an equation defines its left side: a name the right side does not use (``ell(mu) = ...``, ``L = ...``,
``\\hat\\mu = ...``, element j of a new vector ``a_j = ...``). Such an equation is not an identity to check: as one it
would be false for every value of the new name but one.

>>> import sympy as sp
>>> x, y, mu_hat = sp.symbols("x y mu_hat")
>>> defines(mu_hat, x + y, taken=set()), defines(x, x + 0 * y, taken=set())
(True, False)
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = ["defines"]


def defines(left: Any, right: Any, taken: set[str]) -> bool:
    """Whether ``left = right`` defines ``left``: a symbol, a function of symbols or an element of a vector whose
    name is not ``taken`` (in use before) and not used by ``right``."""
    if isinstance(left, sp.log) and isinstance(left.args[0], AppliedUndef):  # log p(x | theta) = ...
        return defines(left.args[0], right, taken)
    if isinstance(left, AppliedUndef):  # f(x), p(y_i | mu, sigma^2): a function of its arguments
        # by name: p(z | x) = p(z, x) / p(x) relates a conditional to the joint, it does not define p
        return str(left.func) not in taken and str(left.func) not in {
            str(f.func) for f in right.atoms(AppliedUndef)} and all(
            isinstance(a, (sp.Symbol, sp.Indexed, sp.MatrixSymbol)) or (isinstance(a, sp.Pow) and isinstance(a.base, sp.Symbol)
                                                                        and a.exp.is_number) for a in left.args)
    if isinstance(left, sp.Indexed):  # a_j = e^{z_j} / sum_k e^{z_k}: element j of a new vector
        return (str(left.base) not in taken and len(left.indices) == 1
                and isinstance(left.indices[0], sp.Symbol) and not right.has(left.base))
    return isinstance(left, sp.Symbol) and str(left) not in taken and left not in right.free_symbols

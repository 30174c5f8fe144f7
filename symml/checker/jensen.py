r"""Jensen's inequality for the log, the bound behind every ELBO: ``\log \mathbb{E}[A] \ge \mathbb{E}[\log A]``.

Expectations are opaque (:mod:`symml.checker.expectations`), so a bound between them cannot be sampled. It is
recognised instead: when the larger side is the log of an expectation ``\log \mathbb{E}_q[A]`` and the smaller
side equals ``\mathbb{E}_q[\log A]`` under the same law (an identity, checked by
:func:`symml.checker.decide.decide` after the expectation is split by linearity, as the reader splits it), the
bound holds because the log is concave. Nothing here reports a bound wrong.

>>> import sympy as sp
>>> from symml.checker.expectations import expectation
>>> z = sp.Symbol("z", real=True)
>>> A = sp.Function("p")(z) / sp.Function("q")(z)
>>> log_mean = sp.log(expectation(A, "q(z)", frozenset({z})))
>>> concave_log(log_mean, expectation(sp.log(A), "q(z)", frozenset({z})))
"Jensen's inequality (the log is concave): log E[A] >= E[log A] for A = p(z_)/q(z_)"
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.checker.decide import decide
from symml.checker.expectations import expectation, is_expectation

__all__ = ["concave_log"]


def concave_log(larger: Any, smaller: Any, **options: Any) -> str:
    """Why ``larger >= smaller`` holds by Jensen's inequality for the log (see the module docstring), or ""."""
    if not isinstance(larger, sp.log) or not is_expectation(larger.args[0]):
        return ""
    mean = larger.args[0]
    argument = mean.args[0]
    name = str(mean.func)
    law = name[2:] if name.startswith("E_") else ""
    # the reader renamed the random variables inside the expectation (z -> z_): named back, then bound again
    unbound = {s: sp.Symbol(s.name[:-1], **s.assumptions0) for s in argument.free_symbols
               if isinstance(s, sp.Symbol) and s.name.endswith("_") and len(s.name) > 1}
    bound = expectation(sp.log(argument.xreplace(unbound)), law, frozenset(unbound.values()) or None)
    if decide(smaller, bound, **options):
        return f"Jensen's inequality (the log is concave): log E[A] >= E[log A] for A = {sp.sstr(argument)}"
    return ""

r"""Jensen's inequality for the log, the bound behind every ELBO: ``\log \mathbb{E}[A] \ge \mathbb{E}[\log A]``,
and its consequence Gibbs' inequality, ``\mathrm{KL}(q \| p) \ge 0``.

Expectations are opaque (:mod:`symml.checker.expectations`), so a bound between them cannot be sampled. It is
recognised instead: when the larger side is the log of an expectation ``\log \mathbb{E}_q[A]`` and the smaller
side equals ``\mathbb{E}_q[\log A]`` under the same law (an identity, checked by
:func:`symml.checker.decide.decide` after the expectation is split by linearity, as the reader splits it), the
bound holds because the log is concave. A difference of the two sides that is a positive multiple of a KL
divergence, ``\mathbb{E}_{q(z)}[\log q(z) - \log r(z)]`` with ``r`` a density of the random variable or a
conditional written by Bayes' rule (``p(x, z) / p(x)``, as the reader writes ``p(z \mid x)``), is non-negative
(Gibbs' inequality). Nothing here reports a bound wrong.

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
from sympy.core.function import AppliedUndef

__all__ = ["concave_log", "divergence"]


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


def divergence(difference: Any) -> str:
    """Why ``difference >= 0`` holds by Gibbs' inequality (it is c KL(q || r) with c > 0), or "" (see the module
    docstring)."""
    own: list[Any] = []        # c E_q[log q(z)]: the law's own density
    other: list[Any] = []      # -c E_q[log r(z, ...)]: another density of the random variable
    outside: list[Any] = []    # c log r(...): the marginal of a joint density (Bayes' rule)
    law = ""
    for term in sp.Add.make_args(sp.expand(difference)):
        coefficient, rest = term.as_coeff_Mul()
        if is_expectation(rest) and isinstance(rest.args[0], sp.log) and isinstance(rest.args[0].args[0], AppliedUndef):
            name, density = str(rest.func), _unbound(rest.args[0].args[0])
            law = law or (name[2:] if name.startswith("E_") else "")
            if name != f"E_{law}":
                return ""
            (own if str(density) == law else other).append((coefficient, rest.args[0].args[0]))
        elif isinstance(rest, sp.log) and isinstance(rest.args[0], AppliedUndef):
            outside.append((coefficient, rest.args[0]))
        else:
            return ""
    if len(own) != 1 or len(other) != 1 or not own[0][0].is_positive or own[0][0] != -other[0][0]:
        return ""
    scale, joint = own[0][0], other[0][1]
    if not outside and not all(_is_bound(a) for a in joint.args):  # p(x, z) is not a density of z alone
        return ""
    if outside:  # log p(x) outside: the joint p(x, z) over the marginal p(x) is the conditional p(z | x)
        ((coefficient, marginal),) = outside if len(outside) == 1 else ((None, None),)
        if coefficient != scale or marginal is None or marginal.func != joint.func \
                or set(marginal.args) != {a for a in joint.args if not _is_bound(a)}:
            return ""
    return f"Gibbs' inequality: the difference is {scale} KL({law} || {_unbound(joint)}{' / ' + str(outside[0][1]) if outside else ''}) >= 0"


def _unbound(density: Any) -> Any:
    """A density inside an expectation with the reader's bound variables named back (``q(z_)`` -> ``q(z)``)."""
    return density.xreplace({s: sp.Symbol(s.name[:-1], **s.assumptions0) for s in density.free_symbols
                             if isinstance(s, sp.Symbol) and s.name.endswith("_") and len(s.name) > 1})


def _is_bound(argument: Any) -> bool:
    return isinstance(argument, sp.Symbol) and argument.name.endswith("_") and len(argument.name) > 1

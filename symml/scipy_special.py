"""SymPy functions that NumPy code evaluates with ``scipy.special``, for the stable rewrites of generated code
(:mod:`symml.log_products`, :mod:`symml.gaussian_tails`, :mod:`symml.large_arguments`): SymPy has no xlogy, xlog1py,
erfcx or hypot of its own; and :func:`in_scipy_terms`, for a SymPy function its SciPy printer does not print.

>>> x = sp.Symbol("x", positive=True)
>>> in_scipy_terms(x * sp.exp(x) * sp.expint(1, x))
x*HyperU(1, 1, x)
"""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["XLogY", "XLog1pY", "Erfcx", "Erfc", "Hypot", "HyperU", "GammaSign", "ScaledBesselI", "ScaledBesselK",
           "HarmonicSum", "in_scipy_terms"]


class _ScipySpecial(sp.Function):
    """A function the NumPy and SciPy printers write as ``scipy.special.<scipy_name>(...)``."""

    scipy_name = ""

    module = "scipy.special"

    def _numpycode(self, printer: Any) -> str:
        arguments = ", ".join(printer._print(argument) for argument in self.args)
        return f"{printer._module_format(self.module + '.' + self.scipy_name)}({arguments})"

    _scipycode = _numpycode


def _special(name: str, nargs: int, scipy_name: str, doc: str, module: str = "scipy.special") -> type[_ScipySpecial]:
    """A :class:`_ScipySpecial` of ``nargs`` arguments printed as ``<module>.<scipy_name>``."""
    return type(name, (_ScipySpecial,), {"nargs": nargs, "scipy_name": scipy_name, "module": module, "__doc__": doc,
                                         "__module__": __name__})


XLogY = _special("XLogY", 2, "xlogy", "x log y, 0 where x = 0.")
XLog1pY = _special("XLog1pY", 2, "xlog1py", "x log(1 + t), 0 where x = 0.")
Erfcx = _special("Erfcx", 1, "erfcx",
                 "The scaled complementary error function exp(u²) erfc(u): finite and ~1/(u√π) where erfc(u) underflows.")
Erfc = _special("Erfc", 1, "erfc",
                "erfc(u) kept as written: SymPy's erfc(−u) evaluates to 2 − erfc(u) whenever it is rebuilt (lambdify's "
                "common-subexpression pass rebuilt it), and 2 − erfc(u) cancels where erfc(−u) is tiny.")
Hypot = _special("Hypot", 2, "hypot", "√(a² + b²) without overflow or underflow of the squares (``numpy.hypot``).",
                 module="numpy")
HyperU = _special("HyperU", 3, "hyperu",
                  "Tricomi's confluent hypergeometric function U(a, b, x): e^x E_n(x) = x^(n−1) U(n, n, x) stays finite "
                  "where e^x overflows and E_n(x) underflows (x e^x E₁(x), the mean of 1/(1 + X) for an Exponential, at "
                  "x = 800).")
ScaledBesselI = _special("ScaledBesselI", 2, "ive", "e^{−|z|} I_v(z) (``scipy.special.ive``): finite where I_v(z) "
                         "overflows (z > 713).")
ScaledBesselK = _special("ScaledBesselK", 2, "kve", "e^{z} K_v(z) (``scipy.special.kve``): finite where K_v(z) "
                         "underflows to 0 (z > 705).")
GammaSign = _special("GammaSign", 1, "gammasgn", "The sign of Γ(x): −1 on (−1, 0), (−3, −2), ...; SciPy's gammaln is "
                     "log|Γ|, real where log Γ is not.")


class HarmonicSum(sp.Function):
    """The generalised harmonic number H(n, s) = Σ_{k=1}^{n} k^{−s} of an integer n, or its m-th derivative in s,
    Σ_{k=1}^{n} (−log k)^m k^{−s}, summed: SymPy prints harmonic as ζ(s) − ζ(s, n + 1), which SciPy evaluates only
    for s > 1 (a finite Zipf law's mean H(n, a − 1)/H(n, a) was nan at a = 1.3), and leaves ∂H/∂s unevaluated (the
    score of that law's exponent)."""

    nargs = 3

    def _numpycode(self, printer: Any) -> str:
        n, s, m = (printer._print(argument) for argument in self.args)
        numpy = printer._module_format("numpy")
        k = f"{numpy}.arange(1, int({n}) + 1)"
        return f"{numpy}.tensordot((-{numpy}.log({k}))**({m}), {numpy}.power.outer({k}, -({s})), axes=1)"

    _scipycode = _numpycode


def _harmonic_sum(e: sp.Basic) -> sp.Expr:
    if isinstance(e, sp.harmonic):
        return HarmonicSum(e.args[0], e.args[1] if len(e.args) > 1 else sp.S.One, 0)
    (variable, order), = e.variable_count
    return HarmonicSum(*e.expr.args, order)


def _summable(e: sp.Basic) -> bool:
    """harmonic(n, s), or a derivative of it in s alone."""
    return isinstance(e, sp.harmonic) or (
        isinstance(e, sp.Derivative) and isinstance(e.expr, sp.harmonic) and len(e.expr.args) == 2
        and len(e.variable_count) == 1 and e.variable_count[0][0] == e.expr.args[1])


def _exponential_integral(order: sp.Expr, x: sp.Expr) -> sp.Expr:
    if order.is_Integer and order > 0:
        return x**(order - 1) * sp.exp(-x) * HyperU(order, order, x)
    return sp.expint(order, x)


def in_scipy_terms(expr: sp.Expr) -> sp.Expr:
    """``expr`` with the exponential integrals E_n, which SymPy's SciPy printer leaves unprinted (a NameError when
    the lambdified function runs), written as x^(n−1) e^(−x) U(n, n, x): the e^(−x) cancels an e^x beside it; and
    the harmonic numbers and their derivatives in the exponent summed (:class:`HarmonicSum`)."""
    expr = expr.replace(sp.expint, _exponential_integral)
    # the derivatives first, whole: replace() works from the leaves up and would rewrite the harmonic inside them
    derivatives = {d: _harmonic_sum(d) for d in expr.atoms(sp.Derivative) if _summable(d)}
    return expr.xreplace(derivatives).replace(_summable, _harmonic_sum)

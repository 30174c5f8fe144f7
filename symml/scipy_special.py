"""SymPy functions that NumPy code evaluates with ``scipy.special``, for the stable rewrites of generated code
(:mod:`symml.log_products`, :mod:`symml.gaussian_tails`): SymPy has no xlogy, xlog1py or erfcx of its own."""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["XLogY", "XLog1pY", "Erfcx"]


class _ScipySpecial(sp.Function):
    """A function the NumPy and SciPy printers write as ``scipy.special.<scipy_name>(...)``."""

    scipy_name = ""

    def _numpycode(self, printer: Any) -> str:
        arguments = ", ".join(printer._print(argument) for argument in self.args)
        return f"{printer._module_format('scipy.special.' + self.scipy_name)}({arguments})"

    _scipycode = _numpycode


class XLogY(_ScipySpecial):
    """x log y, 0 where x = 0."""

    nargs = 2
    scipy_name = "xlogy"


class XLog1pY(_ScipySpecial):
    """x log(1 + t), 0 where x = 0."""

    nargs = 2
    scipy_name = "xlog1py"


class Erfcx(_ScipySpecial):
    """The scaled complementary error function exp(u²) erfc(u): finite and ~1/(u√π) where erfc(u) underflows."""

    nargs = 1
    scipy_name = "erfcx"

"""SymPy functions that NumPy code evaluates with ``scipy.special``, for the stable rewrites of generated code
(:mod:`symml.log_products`, :mod:`symml.gaussian_tails`, :mod:`symml.large_arguments`): SymPy has no xlogy, xlog1py,
erfcx or hypot of its own."""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["XLogY", "XLog1pY", "Erfcx", "Hypot"]


class _ScipySpecial(sp.Function):
    """A function the NumPy and SciPy printers write as ``scipy.special.<scipy_name>(...)``."""

    scipy_name = ""

    module = "scipy.special"

    def _numpycode(self, printer: Any) -> str:
        arguments = ", ".join(printer._print(argument) for argument in self.args)
        return f"{printer._module_format(self.module + '.' + self.scipy_name)}({arguments})"

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


class Hypot(_ScipySpecial):
    """√(a² + b²) without overflow or underflow of the squares (``numpy.hypot``)."""

    nargs = 2
    module = "numpy"
    scipy_name = "hypot"

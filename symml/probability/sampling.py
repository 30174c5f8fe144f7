"""Inverse-transform sampling: the CDF by integrating the density, then F(x) = u solved for x.

.. math:: F(x) = \\int_{a}^{x} f(t)\\,dt, \\qquad X = F^{-1}(U),\\ U \\sim \\mathrm{Uniform}(0, 1)

Both the integral and the solve run under budgets; where either has no closed form the derivation says so
(there is no sampler then). ``numpy()`` returns ``sample(size, rng=None, **parameters)``.

>>> import sympy as sp, sympy.stats as st
>>> r = sp.Symbol("r", positive=True)
>>> derive_inverse_cdf_sampler(st.Exponential("X", r)).result
log(-1/(u - 1))/r
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.budget import INTEGRATE_SECONDS
from symml.derivation import Derivation, Step
from symml.errors import DataError
from symml.operations import numpy_function
from symml.probability.law import as_law
from symml.probability.numeric import compile_expression
from symml.probability.quantile import quantile_function

__all__ = ["derive_inverse_cdf_sampler", "InverseCDFProblem", "random_generator"]


@dataclass(frozen=True)
class InverseCDFProblem:
    """x = F⁻¹(u) for a law: the quantile function in u and the parameters."""

    title: str
    quantile: sp.Expr
    uniform: sp.Symbol
    parameters: tuple[sp.Symbol, ...]


def derive_inverse_cdf_sampler(source: Any, seconds: float = INTEGRATE_SECONDS) -> Derivation:
    """The quantile function F⁻¹(u) of a continuous law, derived from its density, as a NumPy sampler.

    Raises:
        UnsupportedOperationError: a discrete law, or a CDF or inverse with no closed form within the budgets.
    """
    law = as_law(source)
    x, u = law.variable, sp.Symbol("u", positive=True)
    cdf, quantile = quantile_function(law, u, seconds)
    steps = (Step("Cumulative distribution function", sp.Eq(sp.Function("F")(x), cdf, evaluate=False),
                  "the density integrated from the lower end of the support"),
             Step("Invert", sp.Eq(x, quantile, evaluate=False), "solve F(x) = u for x"))
    problem = InverseCDFProblem(f"Inverse-CDF sampler for {law.name}", quantile, u, law.parameters)
    return Derivation(problem, steps, quantile, (sp.Eq(x, quantile, evaluate=False),),
                      remarks=("X = F⁻¹(U) with U uniform on (0, 1) has the law's distribution.",))


@numpy_function.register(InverseCDFProblem)
def _numpy(problem: InverseCDFProblem, derivation: Any, **options: Any) -> Callable[..., np.ndarray]:
    quantile = compile_expression(problem.quantile, problem.parameters)

    def sample(size: int, rng: np.random.Generator | int | None = None, **parameters: float) -> np.ndarray:
        return np.asarray(quantile(u=random_generator(rng).uniform(size=size), **parameters))

    return sample


def random_generator(rng: Any) -> np.random.Generator:
    """A sampler's ``rng`` argument as a Generator: a Generator itself, a seed (an int) or None (fresh entropy);
    anything else a DataError (``sample(100, 1.5)`` raised a raw AttributeError: 'float' has no 'uniform')."""
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError):
        raise DataError(f"rng must be a numpy Generator, an integer seed or None, not {rng!r}") from None

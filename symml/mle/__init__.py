"""Maximum-likelihood estimators, derived step by step from a model's log-density.

>>> import sympy as sp, sympy.stats as st
>>> lam = sp.Symbol("lambda", positive=True)
>>> d = mle(st.Poisson("X", lam))
>>> d.summary
(Eq(lambdahat, mean(x)),)
"""
from __future__ import annotations

from typing import Any

from symml.derivation import Derivation

__all__ = ["mle"]


def mle(model: Any, wrt: Any = None) -> Derivation:
    """Derive the maximum-likelihood estimators of a model's parameters from an i.i.d. sample x_1..x_n.

    Args:
        model: a univariate sympy.stats random variable (``sympy.stats.Normal("X", mu, sigma)``), a
            :class:`symml.Model` (a log-density of one observation), or a family name ("Normal").
        wrt: the parameters to estimate (Symbols or names); default all. The others stay fixed symbols.

    Returns:
        A :class:`~symml.Derivation` whose ``problem`` is an :class:`~symml.mle.problem.MLEProblem` and whose
        ``result`` is ``{parameter: estimator}``, written over the indexed sample (``Sum(x[i], (i, 1, n))/n``;
        order statistics as ``SampleMin(x[i], i, n)``, ``SampleMax``, ``SampleMedian``). Parameters without a
        closed form are absent from ``result``; their stationarity equations are in the steps and in
        ``problem.stationarity``. A parameter in which the likelihood is flat on an interval (Uniform(θ, θ + 1))
        has that Interval of maximisers as its result, and ``numpy()`` gives its ends as ``(low, high)``
        (:mod:`symml.mle.maximiser_set`).

    Raises:
        ModelError: not a sympy.stats random variable or Model, or a multivariate one; a user's log-density that is
            complex on its support, or whose integral over it diverges or depends on the estimated parameters
            (:mod:`symml.mle.normalisation`).
        UnknownFamilyError: a family name sympy.stats does not have.
        ParameterError: a parameter in ``wrt`` that is not in the model.
        NotIdentifiableError: the likelihood is flat in some direction of the parameters.
    """
    from symml.mle.engine import derive_mle

    _check_wrt(wrt)
    return derive_mle(model, wrt)


def _check_wrt(wrt: Any) -> None:
    """ParameterError unless ``wrt`` is None, a name or Symbol, or a list or tuple of them."""
    import sympy as sp

    from symml.errors import ParameterError

    items = [wrt] if isinstance(wrt, (str, sp.Symbol)) else wrt if isinstance(wrt, (list, tuple, set)) else None
    if wrt is not None and (items is None or not all(isinstance(item, (str, sp.Symbol)) for item in items)):
        raise ParameterError(f"wrt must be a parameter (a name or a Symbol) or a list of them, not {wrt!r}")


# numpy() and verify() for MLEProblem are registered by the numeric side of this package, imported on first use
# (deriving needs no NumPy).
from symml.mle.problem import MLEProblem as _MLEProblem  # noqa: E402
from symml.operations import register_lazily as _register_lazily  # noqa: E402

_register_lazily(_MLEProblem, "symml.mle.numeric", "symml.mle.verification")
from symml.mle import families  # noqa: E402,F401 - documented as symml.mle.families.family_names()

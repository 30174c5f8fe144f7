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
            :class:`symml.Model` (a log-density of one observation), or a family name ("Normal"). A Model over a
            data vector (``symml.Model(logpdf=..., data=y)`` with y a vector, a regression's log-likelihood) is
            maximised as a whole by the optimisation core; then ``wrt`` is required (``[w, sigma2]``). With
            several vector or matrix parameters and no other matrix (``wrt=[mu, Omega]`` of a Gaussian; the core
            optimises over one at a time) it is the density of one draw yᵢ, i ≤ n, of an i.i.d. sample,
            normalised at matrix level as below; ``numpy()`` takes y as (n, d).
            A list of one such Model (``[model]``) is read so for any ``wrt`` (Ω̂ given μ).
            Several observed variables (:mod:`symml.mle.joint`): a Model with ``data=(x, y)`` is the density of
            one pair (xᵢ, yᵢ), i ≤ n (a marginal times a conditional, p(y) p(x | y), or a conditional alone,
            y | x); a list of Models is independent samples sharing parameters, each with its own index and size
            (xᵢ, i ≤ n; yⱼ, j ≤ m). ``numpy()`` then takes the data arrays by the variables' names. A vector
            observed with scalars (``data=(x, y)``, x a ``symml.vector``: GDA with vector features) is normalised at
            matrix level (:mod:`symml.mle.joint_vectors`); ``numpy()`` takes x as an (n, d) array.
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

    from symml.mle.integer_parameters import integer_mle, integer_parameters

    _check_wrt(wrt)
    from symml.mle.joint import is_joint, joint_mle

    if is_joint(model):
        return joint_mle(model, wrt)
    if _over_a_vector(model):
        if _draw_of_a_sample(model, wrt):
            return joint_mle([model], wrt)
        return _vector_mle(model, wrt)
    checked, integers = integer_parameters(model, wrt)  # a family name too: the Binomial's m is a whole number
    if integers:
        return integer_mle(checked, wrt, integers)
    return derive_mle(model, wrt)


def _over_a_vector(model: Any) -> bool:
    import sympy as sp

    from symml.model import Model

    return isinstance(model, Model) and isinstance(model.data, sp.MatrixSymbol)


def _draw_of_a_sample(model: Any, wrt: Any) -> bool:
    """Whether a Model over a lone vector y is read as the density of one draw yᵢ: ``wrt`` names several of its
    vector or matrix parameters (the optimisation core takes one at a time) and it holds no other matrix (a design
    matrix X, data, makes y the whole data set of a regression)."""
    import sympy as sp

    items = [] if wrt is None else [wrt] if isinstance(wrt, (str, sp.Symbol, sp.MatrixSymbol)) else list(wrt)
    names = {str(item) for item in items}
    matrices = [m for m in model.logpdf.atoms(sp.MatrixSymbol) if m != model.data and tuple(m.shape) != (1, 1)]
    return len(matrices) > 1 and all(m.name in names for m in matrices)


def _vector_mle(model: Any, wrt: Any) -> Derivation:
    """The maximum of a log-likelihood written over a whole data vector (a regression's y): the joint density is
    given, so the estimate is its maximum, by the optimisation core (a vector and scalars together are profiled)."""
    from symml.errors import ParameterError, UnboundedError
    from symml.optimize.minimize import maximize

    if wrt is None:
        raise ParameterError(f"name the parameters to estimate (wrt=[w, sigma2]) for a log-likelihood over the "
                             f"vector {model.data.name}: its other matrices (a design matrix) are data too")
    try:
        return maximize(model.logpdf, wrt)
    except UnboundedError as failure:
        raise UnboundedError(f"{failure}. Here {model.data.name} is the whole data set; for draws of an i.i.d. sample "
                             f"of it pass the Model in a list ([model]), one sample") from None


def _check_wrt(wrt: Any) -> None:
    """ParameterError unless ``wrt`` is None, a name or Symbol, or a list or tuple of them."""
    import sympy as sp

    from symml.errors import ParameterError

    named = (str, sp.Symbol, sp.MatrixSymbol)  # a vector of weights, for a log-likelihood over a data vector
    items = [wrt] if isinstance(wrt, named) else wrt if isinstance(wrt, (list, tuple, set)) else None
    if wrt is not None and (items is None or not all(isinstance(item, named) for item in items)):
        raise ParameterError(f"wrt must be a parameter (a name or a Symbol) or a list of them, not {wrt!r}")


# numpy() and verify() for MLEProblem are registered by the numeric side of this package, imported on first use
# (deriving needs no NumPy).
from symml.mle.problem import MLEProblem as _MLEProblem  # noqa: E402
from symml.operations import register_lazily as _register_lazily  # noqa: E402

_register_lazily(_MLEProblem, "symml.mle.numeric", "symml.mle.verification")
from symml.mle.integer_parameters import IntegerMLEProblem as _IntegerMLEProblem  # noqa: E402

_register_lazily(_IntegerMLEProblem, "symml.mle.integer_estimates")
from symml.mle.likelihood_ratio import RatioMLEProblem as _RatioMLEProblem  # noqa: E402

_register_lazily(_RatioMLEProblem, "symml.mle.integer_estimates")
from symml.mle import families  # noqa: E402,F401 - documented as symml.mle.families.family_names()
from symml.mle.joint import JointMLEProblem as _JointMLEProblem  # noqa: E402

_register_lazily(_JointMLEProblem, "symml.mle.joint_numeric")
from symml.mle.joint_vectors import JointVectorMLEProblem as _JointVectorMLEProblem  # noqa: E402

_register_lazily(_JointVectorMLEProblem, "symml.mle.joint_vectors_numeric")
from symml.mle.joint_vectors import JointVectorSamplesProblem as _JointVectorSamplesProblem  # noqa: E402

_register_lazily(_JointVectorSamplesProblem, "symml.mle.joint_vectors_numeric")

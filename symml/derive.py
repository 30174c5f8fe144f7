"""The entry points: each call returns one finished, immutable :class:`~symml.Derivation`.

- :func:`mle`: maximum-likelihood estimators of a model's parameters.
- :func:`gradient`, :func:`jacobian`, :func:`hessian`, :func:`laplacian`, :func:`directional_derivative`:
  matrix calculus at matrix level.
- :func:`stationary_point`: where a loss's gradient vanishes, solved at matrix level (or numerically, said so).
- :func:`minimize`, :func:`maximize`: optima of scalar, vector and matrix unknowns, with equality (Lagrange) and
  inequality (KKT, active sets) constraints.
- :func:`expectation`, :func:`moments`: E[g(X)] and moments (directly and via the MGF), steps shown.
- :func:`entropy`, :func:`cross_entropy`, :func:`kl`: derived as expectations of log-densities.
- :func:`derivative`, :func:`taylor`: explicit scalar calculus with the rules named. The five derivatives above
  route by their arguments (:func:`symml.calculus.routing.engine_for`): scalar expressions w.r.t. scalar
  symbols to scalar calculus, ``Indexed`` losses to index notation, matrix expressions to matrix calculus.
- :func:`fisher_information`: the variance of the score and minus the expected Hessian; the Cramér–Rao bound.
- :func:`bias`, :func:`variance`, :func:`mse`: of an MLE derivation's estimator, exact or asymptotic (said).
- :func:`confidence_interval`: the Wald interval from the Fisher information.
- :func:`inverse_cdf_sampler`: the CDF integrated and inverted, as a NumPy sampler.
- :func:`eigen`, :func:`diagonalize`, :func:`spectral_decomposition`, :func:`lu`, :func:`qr`, :func:`svd`,
  :func:`projection`, :func:`norms`, :func:`determinant`, :func:`inverse`: linear algebra with its steps.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> gradient(x**2 * sp.exp(x), x).result
x*(x + 2)*exp(x)
"""
import importlib
from typing import TYPE_CHECKING, Any

from symml.derivation import Derivation

if TYPE_CHECKING:  # imported on first use by __getattr__ below; this block tells the type checker
    from symml.calculus import derivative, taylor
    from symml.linalg import determinant, diagonalize, eigen, inverse, lu, norms, projection, qr, \
        spectral_decomposition, svd
    from symml.matrix_calculus.stationary import stationary_point
    from symml.mle import mle
    from symml.optimize.minimize import maximize, minimize
    from symml.probability import derive_expectation as expectation, derive_moments as moments
    from symml.probability import derive_cross_entropy as cross_entropy, derive_entropy as entropy, derive_kl as kl
    from symml.probability import derive_fisher_information as fisher_information
    from symml.probability import derive_bias as bias, derive_mse as mse, derive_variance as variance
    from symml.probability import derive_confidence_interval as confidence_interval
    from symml.probability import derive_inverse_cdf_sampler as inverse_cdf_sampler

__all__ = ["mle", "gradient", "hessian", "jacobian", "laplacian", "directional_derivative", "stationary_point",
           "minimize", "maximize", "derivative", "taylor", "eigen", "diagonalize", "spectral_decomposition", "lu", "qr",
           "svd", "projection", "norms", "determinant", "inverse"]
__all__ += ["expectation", "moments", "entropy", "cross_entropy", "kl", "fisher_information", "bias", "variance",
            "mse", "confidence_interval", "inverse_cdf_sampler"]

#: {entry point: (module, name there)}: each engine is imported when its entry point is first used (issue 17:
#: importing every engine made ``symml.derive`` cost 0.22 s more than the one a script uses).
_ENGINES = {
    "mle": ("symml.mle", "mle"), "stationary_point": ("symml.matrix_calculus.stationary", "stationary_point"),
    "minimize": ("symml.optimize.minimize", "minimize"), "maximize": ("symml.optimize.minimize", "maximize"),
    "derivative": ("symml.calculus", "derivative"), "taylor": ("symml.calculus", "taylor"),
    **{name: ("symml.linalg", name) for name in ("eigen", "diagonalize", "spectral_decomposition", "lu", "qr", "svd",
                                                 "projection", "norms", "determinant", "inverse")},
    **{name: ("symml.probability", f"derive_{name}") for name in (
        "expectation", "moments", "entropy", "cross_entropy", "kl", "fisher_information", "bias", "variance", "mse",
        "confidence_interval", "inverse_cdf_sampler")},
}


def __getattr__(name: str) -> Any:
    """An entry point whose engine is imported on first use (PEP 562)."""
    if name not in _ENGINES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _ENGINES[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _engine_for(expr: Any, wrt: Any) -> Any:
    """The engine of the five routed derivatives (:func:`symml.calculus.routing.engine_for`), imported on use."""
    from symml.calculus.routing import engine_for as route

    return route(expr, wrt)


def gradient(expr: Any, wrt: Any, **options: Any) -> Derivation:
    """The gradient of a scalar function w.r.t. wrt (a scalar symbol, a list of them, or a matrix/vector symbol)."""
    return _engine_for(expr, wrt).gradient(expr, wrt, **options)


def hessian(expr: Any, wrt: Any, **options: Any) -> Derivation:
    """The Hessian of a scalar function w.r.t. wrt (scalar symbols or a matrix/vector symbol)."""
    return _engine_for(expr, wrt).hessian(expr, wrt, **options)


def jacobian(expr: Any, wrt: Any, **options: Any) -> Derivation:
    """The Jacobian of a vector function (a list of scalar expressions, or a matrix expression) w.r.t. wrt."""
    return _engine_for(expr, wrt).jacobian(expr, wrt, **options)


def laplacian(expr: Any, wrt: Any, **options: Any) -> Derivation:
    """The Laplacian (trace of the Hessian) of a scalar function w.r.t. wrt."""
    return _engine_for(expr, wrt).laplacian(expr, wrt, **options)


def directional_derivative(expr: Any, wrt: Any, direction: Any, **options: Any) -> Derivation:
    """The derivative of a function along ``direction`` (a list of components, or a symbol of wrt's shape)."""
    return _engine_for(expr, wrt).directional_derivative(expr, wrt, direction, **options)


def posterior(likelihood: Any, prior: Any, wrt: Any) -> Derivation:
    """The posterior of the parameter ``wrt`` after an i.i.d. sample from ``likelihood`` under ``prior``.

    Likelihood x prior is reduced to a kernel in ``wrt`` and matched against sympy.stats families, solving for
    their hyperparameters; when none matches the posterior is returned unnormalised, the term that breaks
    conjugacy named. ``numpy()`` gives the normalised log-density, ``logpdf(p=grid, x=data, a=2.0, b=3.0)``.
    ``likelihood`` and ``prior`` are sympy.stats random variables or :class:`symml.Model` log-densities (the
    prior's data symbol is the parameter).

    >>> import sympy as sp, sympy.stats as st
    >>> p = sp.Symbol("p", positive=True); a, b = sp.symbols("a b", positive=True)
    >>> posterior(st.Bernoulli("X", p), st.Beta("P", a, b), wrt=p).result.pspace.distribution
    BetaDistribution(mean(x)*n + a, -mean(x)*n + b + n)
    """
    from symml.bayes import derive_posterior

    return derive_posterior(likelihood, prior, wrt)


__all__ += ["posterior"]


def map(likelihood: Any, prior: Any, wrt: Any) -> Derivation:  # noqa: A001 - the name users look for
    """The MAP estimate of ``wrt``: the log-likelihood plus the log prior, maximised by the shared solving core.

    The steps say when the mode exists (inside the support for every sample: a, b > 1 for a Beta prior) and how it
    relates to the MLE (the prior as pseudo-observations). ``numpy()`` returns ``est(x=data, a=2.0, b=3.0)`` ->
    ``{"p": value}``.

    >>> import sympy as sp, sympy.stats as st
    >>> p = sp.Symbol("p", positive=True); a, b = sp.symbols("a b", positive=True)
    >>> map(st.Bernoulli("X", p), prior=st.Beta("P", a, b), wrt=p).summary
    (Eq(phat, (mean(x)*n + a - 1)/(a + b + n - 2)),)
    """
    from symml.bayes import derive_map

    return derive_map(likelihood, prior, wrt)


__all__ += ["map"]


def evidence(posterior: Derivation) -> Derivation:
    """The log evidence log Z (marginal likelihood) of a recognised posterior, by Z = L(theta) pi_0(theta) / pi(theta | x).

    ``numpy()`` returns ``log_z(x=data, a=2.0, b=3.0)``.
    """
    from symml.bayes import derive_evidence

    return derive_evidence(posterior)


__all__ += ["evidence"]


def posterior_predictive(posterior: Derivation) -> Derivation:
    """log p(x_new | x) of a recognised posterior, as the ratio of evidences Z(x, x_new)/Z(x).

    ``numpy()`` returns ``log_p(x_new=points, x=data, a=2.0, b=3.0)``.
    """
    from symml.bayes import derive_posterior_predictive

    return derive_posterior_predictive(posterior)


__all__ += ["posterior_predictive"]

"""The entry points: each call returns one finished, immutable :class:`~symml.Derivation`.

- :func:`mle`: maximum-likelihood estimators of a model's parameters.
- :func:`gradient`, :func:`jacobian`, :func:`hessian`, :func:`laplacian`, :func:`directional_derivative`:
  matrix calculus at matrix level.
- :func:`stationary_point`: where a loss's gradient vanishes, solved at matrix level (or numerically, said so).
- :func:`minimize`, :func:`maximize`: optima of scalar, vector and matrix unknowns, with equality (Lagrange) and
  inequality (KKT, active sets) constraints.
- :func:`dual`, :func:`conjugate`: the Lagrange dual of a minimisation, and the convex conjugate of a function.
- :func:`maximum_entropy`: the continuous maximum-entropy density under moment constraints.
- :func:`expectation`, :func:`moments`: E[g(X)] and moments (directly and via the MGF), steps shown.
- :func:`entropy`, :func:`cross_entropy`, :func:`kl`: derived as expectations of log-densities.
- :func:`derivative`, :func:`taylor`: explicit scalar calculus with the rules named. The five derivatives above
  route by their arguments (:func:`symml.calculus.routing.engine_for`): scalar expressions w.r.t. scalar
  symbols to scalar calculus, ``Indexed`` losses to index notation, matrix expressions to matrix calculus.
- :func:`fisher_information`: the variance of the score and minus the expected Hessian; the Cramér–Rao bound.
- :func:`bias`, :func:`variance`, :func:`mse`: of an MLE derivation's estimator, exact or asymptotic (said).
- :func:`confidence_interval`: exact from a pivot where one exists (normal mean, exponential rate), else the score
  interval (one parameter: Wilson's for a Bernoulli), else Wald; ``method="likelihood_ratio"`` inverts the
  profile deviance.
- :func:`likelihood_ratio_test`: Λ = 2(ℓ(θ̂) − ℓ(θ̂₀)) for a null fixing some parameters, χ² by Wilks.
- :func:`inverse_cdf_sampler`: the CDF integrated and inverted, as a NumPy sampler.
- :func:`mutual_information`, :func:`information_gain`: of a bivariate normal or a discrete joint; of a split.
- :func:`ridge_bias_variance`: E[(ŷ − y)²] = bias² + variance + noise for ridge, by the expectation operator.
- :func:`rejection_sampling`: the envelope M = sup p/q and the acceptance rate 1/M, derived.
- :func:`brier_decomposition`: Brier score = reliability − resolution + uncertainty, and the ECE, over bins.
- :func:`eigen`, :func:`diagonalize`, :func:`spectral_decomposition`, :func:`lu`, :func:`qr`, :func:`svd`,
  :func:`projection`, :func:`norms`, :func:`determinant`, :func:`inverse`: linear algebra with its steps.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> gradient(x**2 * sp.exp(x), x).result
x*(x + 2)*exp(x)
"""
import importlib
from typing import TYPE_CHECKING, Any

import sympy as sp

from symml.derivation import Derivation

if TYPE_CHECKING:  # imported on first use by __getattr__ below; this block tells the type checker
    from symml.calculus import derivative, taylor
    from symml.linalg import determinant, diagonalize, eigen, inverse, lu, norms, projection, qr, \
        spectral_decomposition, svd
    from symml.matrix_calculus.stationary import stationary_point
    from symml.mle import mle
    from symml.optimize.minimize import maximize, minimize
    from symml.optimize.conjugate import conjugate
    from symml.optimize.duality import dual
    from symml.optimize.max_entropy import maximum_entropy
    from symml.probability import derive_expectation as expectation, derive_moments as moments
    from symml.probability import derive_cross_entropy as cross_entropy, derive_entropy as entropy, derive_kl as kl
    from symml.probability import derive_fisher_information as fisher_information
    from symml.probability import derive_bias as bias, derive_mse as mse, derive_variance as variance
    from symml.probability import derive_confidence_interval as confidence_interval
    from symml.probability import derive_likelihood_ratio_test as likelihood_ratio_test
    from symml.probability import derive_inverse_cdf_sampler as inverse_cdf_sampler
    from symml.probability import derive_information_gain as information_gain
    from symml.probability import derive_mutual_information as mutual_information
    from symml.probability import derive_ridge_bias_variance as ridge_bias_variance
    from symml.probability import derive_brier_decomposition as brier_decomposition
    from symml.probability import derive_rejection_sampling as rejection_sampling
    from symml.probability import derive_platt_scaling as platt_scaling
    from symml.probability import derive_temperature_scaling as temperature_scaling
    from symml.probability import derive_threshold_reliability as threshold_reliability
    from symml.probability import derive_box_muller as box_muller
    from symml.probability import derive_quadratic_form as quadratic_form

__all__ = ["mle", "gradient", "hessian", "jacobian", "laplacian", "directional_derivative", "stationary_point",
           "minimize", "maximize", "derivative", "taylor", "eigen", "diagonalize", "spectral_decomposition", "lu", "qr",
           "svd", "projection", "norms", "determinant", "inverse"]
__all__ += ["dual", "conjugate", "maximum_entropy"]
__all__ += ["expectation", "moments", "entropy", "cross_entropy", "kl", "fisher_information", "bias", "variance",
            "mse", "confidence_interval", "likelihood_ratio_test", "inverse_cdf_sampler", "mutual_information",
            "information_gain", "ridge_bias_variance", "brier_decomposition", "rejection_sampling"]
__all__ += ["platt_scaling", "temperature_scaling", "threshold_reliability", "box_muller",
            "quadratic_form"]

#: {entry point: (module, name there)}: each engine is imported when its entry point is first used (issue 17:
#: importing every engine made ``symml.derive`` cost 0.22 s more than the one a script uses).
_ENGINES = {
    "mle": ("symml.mle", "mle"), "stationary_point": ("symml.matrix_calculus.stationary", "stationary_point"),
    "minimize": ("symml.optimize.minimize", "minimize"), "maximize": ("symml.optimize.minimize", "maximize"),
    "conjugate": ("symml.optimize.conjugate", "conjugate"), "dual": ("symml.optimize.duality", "dual"),
    "maximum_entropy": ("symml.optimize.max_entropy", "maximum_entropy"),
    "derivative": ("symml.calculus", "derivative"), "taylor": ("symml.calculus", "taylor"),
    **{name: ("symml.linalg", name) for name in ("eigen", "diagonalize", "spectral_decomposition", "lu", "qr", "svd",
                                                 "projection", "norms", "determinant", "inverse")},
    **{name: ("symml.probability", f"derive_{name}") for name in (
        "expectation", "moments", "entropy", "cross_entropy", "kl", "fisher_information", "bias", "variance", "mse",
        "confidence_interval", "likelihood_ratio_test", "inverse_cdf_sampler", "mutual_information", "information_gain",
        "ridge_bias_variance",
        "brier_decomposition", "rejection_sampling", "platt_scaling", "temperature_scaling",
        "threshold_reliability", "box_muller", "quadratic_form")},
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
    # Tab completion shows the entry points, not the helpers this module imports (importlib, Any, Derivation)
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})


#: How an engine that lacks one of the five routed derivatives is named in the error saying so.
_ENGINE_INPUTS = {"symml.calculus.latex_input": "a loss typed as a string",
                  "symml.calculus.indexed": "a loss in index notation (Indexed entries)"}


def _engine_for(expr: Any, wrt: Any, operation: str) -> Any:
    """The ``operation`` of the engine that takes (expr, wrt) (:func:`symml.calculus.routing.engine_for`),
    imported on use; an engine without that derivative is an UnsupportedOperationError naming what it has."""
    from symml.calculus.routing import engine_for as route
    from symml.errors import UnsupportedOperationError

    for function in expr if isinstance(expr, (list, tuple)) else [expr]:
        # SymPy differentiates nan and zoo to 0: a derivative of an undefined function would come out as 0
        if isinstance(function, sp.Basic) and function.has(sp.nan, sp.zoo):
            raise UnsupportedOperationError(
                f"the {operation} of {function} is undefined: it holds {'nan' if function.has(sp.nan) else 'zoo'} "
                "(an undefined value such as 0/0 or oo - oo, or complex infinity from a division by zero)")
    engine = route(expr, wrt)
    derive_there = getattr(engine, operation, None)
    if derive_there is None:
        offered = " and ".join(name for name in ("gradient", "hessian") if hasattr(engine, name))
        raise UnsupportedOperationError(
            f"no {operation} of {_ENGINE_INPUTS.get(engine.__name__, engine.__name__)}: symml derives its {offered} "
            f"only; for the {operation}, give the function as a SymPy expression")
    return derive_there


def _not_too_deep(operation: str, derive_there: Any, *args: Any, **options: Any) -> Derivation:
    """``derive_there(*args, **options)``; an expression nested past Python's recursion limit (SymPy recurses once
    per level: exp(exp(...)) 200 deep) is an UnsupportedOperationError saying so."""
    from symml.errors import UnsupportedOperationError

    try:
        return derive_there(*args, **options)
    except RecursionError:
        raise UnsupportedOperationError(f"the {operation} of an expression nested too deeply: SymPy ran out of "
                                        "recursion depth; write it with intermediate variables") from None


def gradient(expr: Any, wrt: Any, **options: Any) -> Derivation:
    """The gradient of a scalar function w.r.t. wrt (a scalar symbol, a list of them, or a matrix/vector symbol)."""
    return _not_too_deep("gradient", _engine_for(expr, wrt, "gradient"), expr, wrt, **options)


def hessian(expr: Any, wrt: Any, **options: Any) -> Derivation:
    """The Hessian of a scalar function w.r.t. wrt (scalar symbols or a matrix/vector symbol)."""
    return _not_too_deep("hessian", _engine_for(expr, wrt, "hessian"), expr, wrt, **options)


def jacobian(expr: Any, wrt: Any, **options: Any) -> Derivation:
    """The Jacobian of a vector function (a list of scalar expressions, or a matrix expression) w.r.t. wrt."""
    return _not_too_deep("jacobian", _engine_for(expr, wrt, "jacobian"), expr, wrt, **options)


def laplacian(expr: Any, wrt: Any, **options: Any) -> Derivation:
    """The Laplacian (trace of the Hessian) of a scalar function w.r.t. wrt."""
    return _not_too_deep("laplacian", _engine_for(expr, wrt, "laplacian"), expr, wrt, **options)


def directional_derivative(expr: Any, wrt: Any, direction: Any, **options: Any) -> Derivation:
    """The derivative of a function along ``direction`` (a list of components, or a symbol of wrt's shape)."""
    return _not_too_deep("directional_derivative", _engine_for(expr, wrt, "directional_derivative"), expr, wrt,
                         direction, **options)


def _matrix_level(likelihood: Any, prior: Any, wrt: Any) -> tuple[Any, Any] | None:
    """The models as symml.gaussian records when the problem is matrix-level (Gaussian or Wishart records,
    sympy.stats multivariate normals and Wisharts, log-densities over a vector), else None."""
    from symml.gaussian.model_forms import gaussian_models

    return gaussian_models(likelihood, prior, wrt)


def _matrix_level_derivation(derivation: Any) -> bool:
    """Whether a derivation is a matrix-level Gaussian one (symml.gaussian)."""
    from symml.gaussian.problem import GaussianProblem

    return isinstance(getattr(derivation, "problem", None), GaussianProblem)


def posterior(likelihood: Any, prior: Any, wrt: Any = None) -> Derivation:
    """The posterior of the parameter ``wrt`` after an i.i.d. sample from ``likelihood`` under ``prior``.

    Likelihood x prior is reduced to a kernel in ``wrt`` and matched against sympy.stats families, solving for
    their hyperparameters; when none matches the posterior is returned unnormalised, the term that breaks
    conjugacy named. ``numpy()`` gives the normalised log-density, ``logpdf(p=grid, x=data, a=2.0, b=3.0)``.
    ``likelihood`` and ``prior`` are sympy.stats random variables or :class:`symml.Model` log-densities (the
    prior's data symbol is the parameter). Several parameters at once: ``wrt=(mu, s2)`` with a joint prior, a joint
    sympy.stats variable (MultivariateBeta, NormalGamma) or ``symml.Model(logpdf=..., data=(mu, s2))``; a joint
    posterior is matched as a joint family or as a conditional times a marginal (the Normal-Inverse-Gamma), and
    ``numpy()`` takes every parameter by name. Without ``wrt``, the parameter is the prior's variable when the prior
    is a Model, else the one likelihood parameter the prior's hyperparameters do not name (a ParameterError asks
    which when there are several).
    At matrix level they are :class:`symml.gaussian.Gaussian` densities (a
    Gaussian prior on a vector, or a :class:`symml.gaussian.Wishart` prior on the likelihood's precision), or the
    same given as ``sympy.stats.MultivariateNormal`` / ``sympy.stats.Wishart`` or as ``symml.Model(logpdf=...,
    data=v)`` over a vector v (read as the Gaussian it is by completing the square in v): the
    posterior comes from completing the square (Bayesian linear regression: S_N⁻¹ = αI + βΦᵀΦ, m_N = βS_NΦᵀt) and
    ``numpy()`` returns ``{"mean", "covariance"}`` (``{"dof", "scale"}`` for the Wishart).
    A joint likelihood (a Model with ``data=(x, y)``, or a list of Models, as for :func:`map`) gives the posterior
    of its scalar parameters (:mod:`symml.bayes.joint_posterior`): one parameter matched against the families (a
    Beta on GDA's φ), several a Normal where the log posterior is quadratic in them (Bayesian linear regression as
    y | x with a Normal prior on the weights); ``numpy()`` as there.

    >>> import sympy as sp, sympy.stats as st
    >>> p = sp.Symbol("p", positive=True); a, b = sp.symbols("a b", positive=True)
    >>> posterior(st.Bernoulli("X", p), st.Beta("P", a, b), wrt=p).result.pspace.distribution
    BetaDistribution(mean(x)*n + a, -mean(x)*n + b + n)
    >>> posterior(st.Bernoulli("X", p), st.Beta("P", a, b)).result.pspace.distribution  # wrt: p, the one left
    BetaDistribution(mean(x)*n + a, -mean(x)*n + b + n)
    """
    from symml.mle.joint import is_joint

    if is_joint(likelihood):  # pairs (x, y) or several samples: the joint log-likelihood plus the log prior
        from symml.bayes.joint_posterior import derive_joint_posterior

        return derive_joint_posterior(likelihood, prior, wrt)
    matrix_level = _matrix_level(likelihood, prior, wrt)
    if matrix_level:  # Gaussian densities over a vector: completing the square
        from symml.gaussian import derive_gaussian_posterior

        return derive_gaussian_posterior(*matrix_level, wrt)
    from symml.bayes import derive_posterior

    return derive_posterior(likelihood, prior, wrt)


__all__ += ["posterior"]


def map(likelihood: Any, prior: Any, wrt: Any = None) -> Derivation:  # noqa: A001 - the name users look for
    """The MAP estimate of ``wrt``: the log-likelihood plus the log prior, maximised by the shared solving core.

    The steps say when the mode exists (inside the support for every sample: a, b > 1 for a Beta prior) and how it
    relates to the MLE (the prior as pseudo-observations). ``numpy()`` returns ``est(x=data, a=2.0, b=3.0)`` ->
    ``{"p": value}``. A Laplace prior gives the soft-threshold by the subgradient condition, each regime with its
    condition on the data; probabilities constrained to the simplex (a Dirichlet on a Categorical) go through the
    Lagrangian. Several parameters with no constraint (``wrt=(mu, s2)`` under a Normal-Inverse-Gamma) are solved
    jointly, and ``numpy()`` returns each by name. ``wrt`` may be left out as for :func:`posterior`. A joint
    likelihood (a Model with ``data=(x, y)``, or a list of Models: :func:`symml.derive.mle`) is normalised as for
    maximum likelihood and its log prior added (:func:`symml.mle.joint.joint_map`): ridge regression as y | x with a
    Normal prior on the weights, a Beta prior on GDA's class frequency.

    >>> import sympy as sp, sympy.stats as st
    >>> p = sp.Symbol("p", positive=True); a, b = sp.symbols("a b", positive=True)
    >>> map(st.Bernoulli("X", p), prior=st.Beta("P", a, b), wrt=p).summary
    (Eq(phat, (mean(x)*n + a - 1)/(a + b + n - 2)),)
    """
    from symml.mle.joint import is_joint, joint_map

    if is_joint(likelihood):  # pairs (x, y) or several samples: the joint log-likelihood plus the log prior
        return joint_map(likelihood, prior, wrt)
    matrix_level = _matrix_level(likelihood, prior, wrt)
    if matrix_level:
        from symml.gaussian import derive_gaussian_map

        return derive_gaussian_map(*matrix_level, wrt)
    from symml.bayes import derive_map

    return derive_map(likelihood, prior, wrt)


__all__ += ["map"]


def evidence(posterior: Derivation) -> Derivation:
    """The log evidence log Z (marginal likelihood) of a recognised posterior, by Z = L(theta) pi_0(theta) / pi(theta | x).

    ``numpy()`` returns ``log_z(x=data, a=2.0, b=3.0)``.
    """
    if _matrix_level_derivation(posterior):
        from symml.gaussian import derive_gaussian_evidence

        return derive_gaussian_evidence(posterior)
    from symml.bayes import derive_evidence

    return derive_evidence(posterior)


__all__ += ["evidence"]


def evidence_maximization(posterior: Derivation, wrt: Any) -> Derivation:
    """Type-II maximum likelihood: the fixed-point updates of the hyperparameters ``wrt`` (α of a prior αI, β of
    a noise βI) from the stationarity of the log evidence of a matrix-level posterior (Bayesian linear regression).

    ``numpy()`` iterates them: ``fit(Phi=..., t=..., alpha=1.0, beta=1.0)`` -> ``{"alpha", "beta", "gamma", ...}``.
    """
    from symml.gaussian import derive_evidence_maximisation

    return derive_evidence_maximisation(posterior, wrt if isinstance(wrt, (list, tuple)) else [wrt])


__all__ += ["evidence_maximization"]


def posterior_predictive(posterior: Derivation, new: Any = None) -> Derivation:
    """log p(x_new | x) of a recognised posterior, as the ratio of evidences Z(x, x_new)/Z(x).

    ``numpy()`` returns ``log_p(x_new=points, x=data, a=2.0, b=3.0)``. ``new`` is the new observation's law given
    the parameter where it is not the sample's (``sympy.stats.Binomial("Y2", 278, theta)`` after Binomial(15, θ)
    draws: a Beta-Binomial over 0..278). For a matrix-level posterior, ``new`` is the new observation's
    :class:`symml.gaussian.Gaussian` given the parameter (N(Φ_new w, β⁻¹I)); the result is its Gaussian predictive
    (mean, covariance).
    """
    if _matrix_level_derivation(posterior):
        from symml.gaussian import derive_gaussian_predictive

        return derive_gaussian_predictive(posterior, new)
    from symml.bayes import derive_posterior_predictive

    return derive_posterior_predictive(posterior, new)


__all__ += ["posterior_predictive"]


def conditional(joint: Any, given: Any) -> Derivation:
    """p(x_a | x_b) of a partitioned Gaussian (:class:`symml.gaussian.JointGaussian`), by completing the square;
    the posterior p(x | y) of a linear-Gaussian model (:class:`symml.gaussian.LinearGaussian`, ``given=model.y``);
    of a ``sympy.stats`` multivariate normal X, the other components given ``X[i]`` (or a list of them).

    ``result`` is (mean, covariance); ``numpy()`` returns ``{"mean", "covariance"}`` from the blocks by name.

    >>> import symml
    >>> d_a, d_b = symml.dims("d_a d_b")
    >>> joint = symml.gaussian.JointGaussian.blocks(d_a, d_b)
    >>> conditional(joint, given=joint.x_b).result[1]
    -Sigma_ab*Sigma_bb**(-1)*Sigma_ab.T + Sigma_aa
    >>> import sympy as sp, sympy.stats as st
    >>> s1, s2 = sp.symbols("sigma1 sigma2", positive=True); rho = sp.Symbol("rho", real=True)
    >>> X = st.MultivariateNormal("X", [0, 0], [[s1**2, rho*s1*s2], [rho*s1*s2, s2**2]])
    >>> conditional(X, given=X[1]).result[1]
    (-rho**2*sigma1**2 + sigma1**2)*I
    """
    from symml.gaussian import conditional_of

    return conditional_of(joint, given)


def marginal(joint: Any, keep: Any) -> Derivation:
    """p(x_a) of a partitioned Gaussian (:class:`symml.gaussian.JointGaussian`), integrating the other part out;
    the marginal p(y) of a linear-Gaussian model (:class:`symml.gaussian.LinearGaussian`, ``keep=model.y``).

    ``result`` is (mean, covariance); ``numpy()`` returns ``{"mean", "covariance"}``.
    """
    from symml.gaussian import marginal_of

    return marginal_of(joint, keep)


__all__ += ["conditional", "marginal"]


def posterior_summary(posterior: Derivation, level: Any = None) -> Derivation:
    """Mean, variance, mode, median (the Bayes estimators under squared, 0-1 and absolute loss) and the equal-tailed
    ``level`` credible interval (default 95/100) of a recognised one-parameter posterior.

    Closed forms come from the recognised family (sympy.stats, under a budget) and the mode from the shared solving
    core; what has none is said so and computed numerically. ``numpy()`` returns
    ``summarise(x=data, a=2.0, b=3.0)`` -> ``{"mean", "variance", "mode", "median", "lower", "upper"}``.
    """
    from symml.bayes import derive_posterior_summary

    return derive_posterior_summary(posterior, level)


__all__ += ["posterior_summary"]


def marginal_posterior(posterior: Derivation, wrt: Any) -> Derivation:
    """The marginal posterior of the parameter ``wrt`` of a recognised two-parameter posterior, the other integrated
    out (the Student-t of a Normal mean under a Normal-Inverse-Gamma). ``numpy()`` is its normalised log-density,
    ``logpdf(mu=grid, x=data, ...)``.
    """
    from symml.bayes import derive_marginal

    return derive_marginal(posterior, wrt)


__all__ += ["marginal_posterior"]

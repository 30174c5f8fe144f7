"""Bayes at matrix level: a Gaussian likelihood whose mean is affine in a vector parameter, under a Gaussian prior.

The posterior is the log likelihood plus the log prior with the square completed in the parameter; its mode (MAP)
is the same stationary point, solved by the shared solving core; the evidence is the normaliser of the completed
square; the predictive of a new observation is the linear-Gaussian marginal with the posterior as the prior.
Bayesian linear regression (Bishop PRML 3.3) is the case t ~ N(Φw, β⁻¹I), w ~ N(0, α⁻¹I):

.. math:: S_N^{-1} = \\alpha I + \\beta\\Phi^\\top\\Phi, \\quad m_N = \\beta S_N\\Phi^\\top t, \\quad
          p(t_* \\mid t) = \\mathcal N(\\phi^\\top m_N,\\; \\beta^{-1} + \\phi^\\top S_N\\phi).

>>> import sympy as sp, symml
>>> N, M = symml.dims("N M")
>>> Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
>>> alpha, beta = sp.symbols("alpha beta", positive=True)
>>> post = derive_gaussian_posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), w)
>>> post.result[1]
(alpha*I + beta*Phi.T*Phi)**(-1)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symml.budget import within
from symml.derivation import Derivation, Step
from symml.errors import ModelError
from symml.gaussian.completing_square import CompletedSquare, complete_the_square, normaliser_step, simplified
from symml.gaussian.density import Gaussian
from symml.gaussian.linear_gaussian import LinearGaussian, derive_linear_gaussian_marginal
from symml.gaussian.notation import named
from symml.gaussian.problem import GaussianProblem
from symml.matrix_calculus.expressions import matrix
from symml.render.printer import latex

__all__ = ["BayesModel", "PosteriorModel", "derive_gaussian_posterior", "derive_gaussian_map", "derive_gaussian_evidence",
           "derive_gaussian_predictive", "posterior_model_of"]

#: Budget for one derivation; the work is structural and takes a fraction of a second.
DERIVE_SECONDS = 20.0

_LOG_JOINT = named("log p(D|theta) + log p(theta)", r"\log p(\mathcal{D} \mid \theta) + \log p(\theta)")


@dataclass(frozen=True)
class BayesModel:
    """What a matrix-level posterior or MAP estimate is derived from."""

    likelihood: Gaussian
    prior: Gaussian
    wrt: sp.MatrixSymbol


@dataclass(frozen=True)
class PosteriorModel(BayesModel):
    """A derived posterior: the model, the completed square (for evidence and predictive) and the names m_N, S_N."""

    square: CompletedSquare
    mean_symbol: sp.MatrixSymbol
    covariance_symbol: sp.MatrixSymbol


def _checked(likelihood: Any, prior: Any, wrt: Any) -> None:
    if not (isinstance(likelihood, Gaussian) and isinstance(prior, Gaussian)):
        raise ModelError("a matrix-level posterior needs a symml.gaussian.Gaussian likelihood and prior")
    if prior.variable != wrt or prior.rows:
        raise ModelError(f"the prior must be a Gaussian over the parameter {wrt!r}, not over {prior.variable!r}")
    if wrt not in likelihood.mean.atoms(sp.MatrixSymbol):
        raise ModelError(f"the likelihood's mean does not depend on {wrt.name}: the data say nothing about it")


def _log_densities(likelihood: Gaussian, prior: Gaussian) -> Step:
    return Step("Log likelihood and log prior",
                (sp.Eq(named("log p(D|theta)", r"\log p(\mathcal{D} \mid \theta)"), likelihood.log_density(), evaluate=False),
                 sp.Eq(named("log p(theta)", r"\log p(\theta)"), prior.log_density(), evaluate=False)),
                "Gaussian densities with their normalisers")


def derive_gaussian_posterior(likelihood: Gaussian, prior: Gaussian, wrt: Any) -> Derivation:
    """The Gaussian posterior of the vector ``wrt``, by completing the square of log likelihood + log prior.

    Args:
        likelihood: a :class:`Gaussian` over the data whose mean is affine in ``wrt`` (Φw; or ``wrt`` itself).
        prior: a :class:`Gaussian` over ``wrt``; or a :class:`~symml.gaussian.wishart.Wishart` over the
            likelihood's precision (then the posterior is Wishart: ``result`` is (ν_N, W_N)); or an
            :class:`~symml.gaussian.inverse_wishart.InverseWishart` over its covariance (``result`` (ν_N, Ψ_N)).
        wrt: the parameter, a vector symbol (a square matrix symbol for a Wishart prior).

    Returns:
        A Derivation whose ``result`` is (mean, covariance); ``numpy()`` returns the normalised posterior
        log-density, ``logpdf(w=W, **data_and_hyperparameters)`` vectorised over the last axis of W, and
        ``numpy(moments=True)`` the mean and covariance, ``{"mean", "covariance"}``.
    """
    from symml.gaussian.inverse_wishart import InverseWishart, derive_inverse_wishart_posterior
    from symml.gaussian.wishart import Wishart, derive_wishart_posterior

    if isinstance(prior, InverseWishart):  # a prior on the likelihood's covariance
        return derive_inverse_wishart_posterior(likelihood, prior, wrt)
    if isinstance(prior, Wishart):  # a prior on the likelihood's precision
        return derive_wishart_posterior(likelihood, prior, wrt)
    _checked(likelihood, prior, wrt)
    return within(DERIVE_SECONDS, "the Gaussian posterior", _posterior, likelihood, prior, wrt)


def _posterior(likelihood: Gaussian, prior: Gaussian, wrt: sp.MatrixSymbol) -> Derivation:
    square = complete_the_square(likelihood.log_density() + prior.log_density(), wrt, name="N")
    mean, covariance = square.mean, simplified(sp.Inverse(square.precision))
    size = wrt.shape[0]
    m_N, S_N = sp.MatrixSymbol("m_N", size, 1), matrix("S_N", size, size, symmetric=True)
    steps = (
        _log_densities(likelihood, prior),
        Step("Bayes' theorem", sp.Eq(named("log p(theta|D)", r"\log p(\theta \mid \mathcal{D})"),
                                     _LOG_JOINT + sp.MatrixSymbol("const", 1, 1), evaluate=False),
             f"the posterior is proportional to likelihood times prior; the constant is free of ${latex(wrt)}$"),
        *square.steps,
        Step("The posterior", (sp.Eq(S_N, covariance, evaluate=False), sp.Eq(m_N, mean, evaluate=False)),
             f"a Gaussian in ${latex(wrt)}$: covariance the inverse precision, mean the stationary point"),
    )
    model = PosteriorModel(likelihood, prior, wrt, square, m_N, S_N)
    problem = GaussianProblem(f"Posterior of {wrt.name} under a Gaussian prior", "posterior",
                              (("mean", mean), ("covariance", covariance)), model)
    return Derivation(problem, steps, (mean, covariance),
                      (sp.Eq(m_N, mean, evaluate=False), sp.Eq(S_N, covariance, evaluate=False)),
                      assumptions=("the precisions are symmetric positive definite",),
                      remarks=(f"numpy() returns the normalised posterior log-density, with ${latex(wrt)}$, the "
                               "data and the hyperparameters by name; numpy(moments=True) the posterior mean and "
                               "covariance.",))


def derive_gaussian_map(likelihood: Gaussian, prior: Gaussian, wrt: Any) -> Derivation:
    """The MAP estimate of ``wrt``: the negative log posterior minimised by the shared solving core.

    ``numpy()`` returns ``{wrt.name: estimate}``.
    """
    from symml.gaussian.laplace import Laplace, derive_laplace_map

    if isinstance(prior, Laplace):  # no closed form: the lasso, minimised numerically by the shared core
        return within(DERIVE_SECONDS, "the Laplace-prior MAP estimate", derive_laplace_map, likelihood, prior, wrt)
    _checked(likelihood, prior, wrt)
    return within(DERIVE_SECONDS, "the Gaussian MAP estimate", _map, likelihood, prior, wrt)


def _penalty_remark(likelihood: Gaussian, prior: Gaussian) -> tuple[str, ...]:
    """Ridge regression's λ when both precisions are multiples of I: the objective divided by the noise precision."""
    noise, spread = likelihood.precision, prior.precision
    if not all(isinstance(p, sp.MatMul) and len(p.args) == 2 and isinstance(p.args[1], sp.Identity)
               for p in (noise, spread)) or likelihood.rows:
        return ()
    ratio = sp.simplify(spread.args[0] / noise.args[0])
    zero_mean = isinstance(prior.mean, sp.ZeroMatrix)
    return (f"Dividing the negative log posterior by ${latex(noise.args[0])}/2$ gives least squares plus "
            f"${latex(ratio)}$ times the squared distance to the prior mean"
            + (": ridge regression with $\\lambda = " + latex(ratio) + "$." if zero_mean else "."),)


def _map(likelihood: Gaussian, prior: Gaussian, wrt: sp.MatrixSymbol) -> Derivation:
    from symml.matrix_calculus.stationary import stationary_point

    objective = -(likelihood.log_density() + prior.log_density())
    solved = stationary_point(objective, wrt)
    if solved.result is None:
        raise ModelError(f"the MAP condition for {wrt.name} has no closed form: the likelihood's mean is not affine")
    estimate = simplified(solved.result)
    steps = (_log_densities(likelihood, prior),
             Step("Objective", sp.Eq(named("-log p(theta|D)", r"-\log p(\theta \mid \mathcal{D})"), objective
                                     + sp.MatrixSymbol("const", 1, 1), evaluate=False),
                  "the mode of the posterior minimises its negative log; the evidence is a constant"),
             *solved.steps)
    hat = sp.MatrixSymbol(f"{wrt.name}hat", *wrt.shape)
    problem = GaussianProblem(f"MAP estimate of {wrt.name} under a Gaussian prior", "map",
                              ((wrt.name, estimate),), BayesModel(likelihood, prior, wrt))
    return Derivation(problem, steps, estimate, (sp.Eq(hat, estimate, evaluate=False),),
                      assumptions=solved.assumptions,
                      remarks=(*_penalty_remark(likelihood, prior),
                               "For a Gaussian posterior the mode is the posterior mean (symml.derive.posterior)."))


def posterior_model_of(posterior: Any) -> PosteriorModel:
    problem = getattr(posterior, "problem", None)
    if not (isinstance(problem, GaussianProblem) and isinstance(problem.model, PosteriorModel)):
        raise ModelError("expected the Derivation of a matrix-level posterior (symml.derive.posterior with "
                         "symml.gaussian.Gaussian likelihood and prior)")
    return problem.model


def derive_gaussian_evidence(posterior: Derivation) -> Derivation:
    """log p(data): the normaliser of the completed square, log ∫ p(data | θ) p(θ) dθ.

    ``numpy()`` returns ``{"log_evidence": value}``.
    """
    model = posterior_model_of(posterior)
    log_z = named("log p(D)", r"\log p(\mathcal{D})")
    steps = (_log_densities(model.likelihood, model.prior),
             *model.square.steps,
             normaliser_step(model.square, log_z))
    problem = GaussianProblem(f"Log evidence of the Gaussian model in {model.wrt.name}", "evidence",
                              (("log_evidence", model.square.log_normaliser),), model)
    return Derivation(problem, steps, model.square.log_normaliser,
                      (sp.Eq(log_z, model.square.log_normaliser, evaluate=False),),
                      assumptions=posterior.assumptions)


def derive_gaussian_predictive(posterior: Derivation, new: Gaussian) -> Derivation:
    """p(new.variable | data): the linear-Gaussian marginal of a new observation under the posterior.

    Args:
        posterior: a matrix-level posterior derivation.
        new: the new observation's Gaussian given the parameter, its mean affine in it (e.g. N(φᵀw, β⁻¹)): a
            :class:`Gaussian`, ``sympy.stats.Normal("t_new", (phi.T*w)[0, 0], 1/sqrt(beta))`` or a
            ``symml.Model(logpdf=..., data=t_new)`` over a vector.

    Returns:
        A Derivation whose ``result`` is (mean, covariance) in m_N and S_N; ``numpy()`` returns them as
        functions of the data, the new inputs and the hyperparameters.
    """
    from symml.gaussian.model_forms import observation_record
    from symml.matrix_calculus.derivatives import jacobian

    model = posterior_model_of(posterior)
    new = observation_record(new, model.wrt)
    if not isinstance(new, Gaussian) or new.rows:
        raise ModelError("the new observation must be a symml.gaussian.Gaussian over a vector")
    w = model.wrt
    A = simplified(jacobian(new.mean, w).result)
    b = simplified(new.mean.xreplace({w: sp.ZeroMatrix(*w.shape)}))
    if w in A.atoms(sp.MatrixSymbol):
        raise ModelError(f"the new observation's mean is not affine in {w.name}")
    S_N, m_N = model.covariance_symbol, model.mean_symbol
    linear = LinearGaussian(w, new.variable, m_N, sp.Inverse(S_N), A, b if isinstance(b, MatrixExpr) and b.shape ==
                            new.mean.shape else sp.ZeroMatrix(*new.mean.shape), new.precision)
    marginal = derive_linear_gaussian_marginal(linear)
    mean, covariance = marginal.result
    definitions = {m_N: model.square.mean, S_N: simplified(sp.Inverse(model.square.precision))}
    steps = (Step("The new observation given the parameter",
                  sp.Eq(named(f"E[{new.variable.name}|{w.name}]", f"\\mathbb{{E}}[{latex(new.variable)} \\mid {latex(w)}]", *new.mean.shape), new.mean, evaluate=False),
                  f"the posterior $\\mathcal{{N}}({latex(m_N)}, {latex(S_N)})$ plays the prior of a linear-Gaussian "
                  f"model with $A = {latex(A)}$"),
             *marginal.steps[1:])
    problem = GaussianProblem(f"Posterior predictive of {new.variable.name}", "predictive",
                              (("mean", simplified(mean.xreplace(definitions))),
                               ("covariance", simplified(covariance.xreplace(definitions)))), (model, new))
    return Derivation(problem, steps, (mean, covariance), marginal.summary,
                      assumptions=posterior.assumptions,
                      remarks=(f"${latex(m_N)}$ and ${latex(S_N)}$ are the posterior mean and covariance; numpy() "
                               "substitutes them.",))


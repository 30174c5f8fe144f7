r"""The posterior over the parameters of a joint model (pairs (x, y), or several samples), recognised from its kernel.

The log posterior is the joint log-likelihood through each sample's means plus the log prior
(:func:`symml.mle.joint.joint_log_posterior`, the same front as the joint MAP), and its terms in the parameters are
the log-kernel. Then:

- one parameter: the kernel is matched against sympy.stats families, the prior's own first
  (:func:`symml.bayes.posterior.recognise`): a Beta prior on GDA's class frequency φ gives a Beta posterior;
- several: where the Hessian H of the log-kernel in θ = (θ₁, …, θ_k) is free of θ, the kernel is exactly its
  second-order expansion about 0, log π(θ) = C + gᵀθ − ½ θᵀΛθ with g = ∇ log π(0) and Λ = −H; completing the
  square, log π(θ) = C' − ½ (θ − m)ᵀΛ(θ − m) with m = Λ⁻¹g: a Normal N(m, Λ⁻¹) wherever Λ is positive definite
  (Bayesian linear regression as y | x with a Normal prior on the weights: S_N⁻¹ = S₀⁻¹ + βΦᵀΦ, m_N = S_N(S₀⁻¹m₀ +
  βΦᵀt); PRML §3.3, eqs. 3.50-3.51).

- one vector of weights w of a model observing a vector (:mod:`symml.mle.joint_vectors`): the same completion of
  the square at matrix level, Λ_N = −∇²_w log π and g = ∇_w log π(0) by the matrix-calculus engine, so its cost
  is free of d: y | x ~ N(wᵀx, β⁻¹) under N(0, α⁻¹I) gives Λ_N = αI + βn mean(x xᵀ), m_N = βn Λ_N⁻¹ mean(y x).

No pair of likelihood and prior is known here: the family comes out of matching coefficients, the Normal out of
differentiation. A kernel that is neither is refused with an UnsupportedOperationError naming the map estimate.

``numpy()`` takes the data by the observed variables' names and the known parameters by name: for one parameter
``logpdf(phi=grid, x=..., y=..., alpha=2.0, beta=3.0)`` (the normalised log-density); for several
``posterior(x=..., y=..., v=0.3, tau=1.0)`` -> ``{"mean": (k,), "covariance": (k, k)}`` in the order of ``wrt``
(a vector's draws as an (n, d) array, one per row).

>>> import sympy as sp, symml
>>> x, y, w = sp.symbols("x y w", real=True)
>>> tau = sp.Symbol("tau", positive=True)
>>> regression = symml.Model(logpdf=-(y - w*x)**2/2, data=(x, y), parameters=[w])
>>> post = symml.derive.posterior(regression, symml.Model(logpdf=-w**2/(2*tau**2), data=w))
>>> post.problem.family
'Normal'
>>> post.numpy()(w=0.0, x=[1.0, 2.0], y=[1.0, 2.0], tau=1.0) < 0
True
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
import sympy.stats as stats

from symml.budget import SIMPLIFY_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, UnsupportedOperationError
from symml.matrix_calculus.algebra import Scalar
from symml.mle.joint import JointMLEProblem, joint_log_posterior, joint_prior
from symml.model import Model
from symml.operations import register_lazily
from symml.optimize.core import DERIVE_SECONDS
from symml.render.printer import latex

__all__ = ["JointPosteriorProblem", "derive_joint_posterior"]


@dataclass(frozen=True)
class JointPosteriorProblem:
    """A posterior over a joint model's parameters and what ``numpy()`` needs.

    Attributes:
        title: one line naming the problem.
        likelihood: the joint model's data, statistics, known parameters and log prior (its ``estimators`` empty).
        parameters: θ, in the order of ``wrt``.
        family: the recognised family ("Normal" for a Gaussian in several parameters too).
        log_density: one parameter: the normalised log-density in θ, through statistics and known parameters.
        support: one parameter: where the posterior is positive.
        distribution: the posterior as a sympy.stats random variable.
        precision: several parameters: Λ = −H, a k x k Matrix; shift: g = ∇ log π(0), a k x 1 Matrix (the mean
            is Λ⁻¹g and the covariance Λ⁻¹, which numpy() evaluates by solving with Λ).
        vector_samples, moments: a vector of weights w (samples observing a vector): each sample's record
            (:class:`symml.mle.joint_vectors.JointVectorMLEProblem`) and ``{mean: m_N, covariance: S_N}`` at
            matrix level, keyed by matrix symbols of those names; fixed: the known parameters and hyperparameters
            (``likelihood`` is then None); log_prior: the log prior density of w up to a constant (for verify()).
    """

    title: str
    likelihood: JointMLEProblem | None
    parameters: tuple[sp.Symbol, ...]
    family: str
    log_density: sp.Expr = sp.S.Zero
    support: sp.Set = sp.S.Reals
    distribution: Any = None
    precision: sp.Matrix | None = None
    shift: sp.Matrix | None = None
    vector_samples: tuple = ()
    moments: dict | None = None
    fixed: tuple = ()
    log_prior: Any = sp.S.Zero


def derive_joint_posterior(source: Any, prior: Any, wrt: Any = None) -> Derivation:
    """The posterior of ``wrt`` given the data of a joint model (see :func:`symml.derive.posterior` and the module
    docstring); ``source`` and ``prior`` as for :func:`symml.mle.joint.joint_map`. Under one derivation budget."""
    return within(DERIVE_SECONDS, "the joint posterior derivation", _derived, source, prior, wrt)


def _derived(source: Any, prior: Any, wrt: Any) -> Derivation:
    read = joint_prior(source, prior, wrt)
    if read.vector:
        return _vector_posterior(source, read)
    front = joint_log_posterior(source, read.wrt, read.log_prior)
    # the log-kernel: the log posterior's terms in the parameters (the others are constants of the normalisation)
    kernel = sp.Add(*(t for t in sp.Add.make_args(sp.expand(front.objective.expr)) if t.has(*front.wrt)))
    symbol = sp.Function("pi")(*front.wrt)
    if len(front.wrt) == 1:
        found = _one_parameter(kernel, front.wrt[0], read.model, symbol)
    else:
        found = _gaussian(kernel, front.wrt, symbol)
    fields, steps, summary = found
    likelihood = JointMLEProblem(title=" and ".join(m.name for m in front.models), samples=front.samples,
                                 wrt=front.wrt, fixed=front.fixed, statistics=front.statistics(), estimators={},
                                 log_prior=read.log_prior)
    shown = ", ".join(f"${latex(p)}$" for p in front.wrt)
    problem = JointPosteriorProblem(title=f"Posterior of {shown} for {likelihood.title}", likelihood=likelihood,
                                    parameters=front.wrt, **fields)
    return Derivation(
        problem=problem, steps=front.steps + tuple(steps),
        summary=summary,
        result=problem.distribution,
        assumptions=(*front.assumptions(),
                     f"{shown} {'has' if len(front.wrt) == 1 else 'have'} the prior density "
                     f"${latex(sp.exp(read.model.log_density_on_support))}$"
                     + (" (flat in the others)" if len(read.model.logpdf.free_symbols & set(front.wrt))
                        < len(front.wrt) else "")),
        remarks=())


def _one_parameter(kernel: sp.Expr, parameter: sp.Symbol, prior: Model, symbol: sp.Expr) -> tuple[dict, list, tuple]:
    from symml.bayes.posterior import _as_the_family_writes_it, _candidates, recognise, recognition_steps

    support = prior.support if not isinstance(prior.support, sp.ProductSet) else sp.S.Reals
    match = recognise(kernel, parameter, support, _candidates(prior))
    if match is None:
        raise UnsupportedOperationError(
            f"the log-kernel {kernel} of the posterior of {parameter} matches no family (the prior is not conjugate "
            "to this joint likelihood); symml.derive.map gives its mode")
    steps = [Step("Log-kernel", sp.Eq(sp.log(symbol), sp.Add(kernel, sp.Symbol("C"), evaluate=False),
                                      evaluate=False),
                  f"the terms of the log posterior in ${latex(parameter)}$; the rest is a constant C of the "
                  "normalisation"),
             *recognition_steps(match, parameter, symbol)]
    return (dict(family=match.family, log_density=match.log_density, support=match.support,
                 distribution=match.distribution), steps,
            (sp.Eq(symbol, _as_the_family_writes_it(match, (parameter,)), evaluate=False),))


def _simplified(matrix: sp.Matrix) -> sp.Matrix:
    try:
        return within(SIMPLIFY_SECONDS, "simplifying the posterior's mean and covariance",
                      lambda: matrix.applyfunc(lambda e: sp.factor(sp.cancel(e))))
    except BudgetExceededError:
        return matrix


def _gaussian(kernel: sp.Expr, parameters: tuple[sp.Symbol, ...], symbol: sp.Expr) -> tuple[dict, list, tuple]:
    """The Normal of a log-kernel whose Hessian in the parameters is free of them, by completing the square."""
    hessian = sp.hessian(kernel, parameters).applyfunc(sp.expand)
    names = ", ".join(p.name for p in parameters)
    if hessian.has(*parameters):
        varying = next(e for e in hessian if e.has(*parameters))
        raise UnsupportedOperationError(
            f"the log posterior is not quadratic in ({names}): its Hessian holds {varying}, which depends on them, "
            "so it is not a Normal and no joint family is matched here; symml.derive.map gives its mode")
    at_zero = dict.fromkeys(parameters, 0)
    gradient = sp.Matrix([sp.expand(sp.diff(kernel, p).xreplace(at_zero)) for p in parameters])
    precision = -hessian
    covariance = _simplified(precision.inv())
    mean = _simplified(covariance * gradient)
    k = len(parameters)
    Lambda, S, m, g, theta = (sp.MatrixSymbol(name, *shape) for name, shape in
                              (("Lambda_N", (k, k)), ("S_N", (k, k)), ("m_N", (k, 1)), ("g", (k, 1)),
                               ("theta", (k, 1))))
    steps = [
        Step("The log posterior is quadratic", (sp.Eq(Lambda, precision, evaluate=False),
                                                sp.Eq(g, gradient, evaluate=False)),
             f"its Hessian in $({', '.join(latex(p) for p in parameters)})$ "
             "is free of the parameters, so it equals its second-order expansion about 0: "
             "$\\log \\pi(\\theta) = C + g^{\\top}\\theta - \\frac{1}{2}\\theta^{\\top}\\Lambda_N\\theta$ with "
             "$g$ its gradient at 0 and $\\Lambda_N$ minus its Hessian"),
        Step("Complete the square", (sp.Eq(S, covariance, evaluate=False), sp.Eq(m, mean, evaluate=False)),
             "$g^{\\top}\\theta - \\frac{1}{2}\\theta^{\\top}\\Lambda_N\\theta = -\\frac{1}{2}(\\theta - m_N)^{\\top}"
             "\\Lambda_N(\\theta - m_N) + \\frac{1}{2}m_N^{\\top}\\Lambda_N m_N$ with $m_N = \\Lambda_N^{-1}g$; "
             "$S_N = \\Lambda_N^{-1}$"),
        Step("Recognise the posterior", sp.Eq(symbol, sp.exp(-Scalar((theta - m).T * S.I * (theta - m)) / 2)
                                              / sp.sqrt((2 * sp.pi) ** k * sp.Determinant(S)), evaluate=False),
             "$\\exp$ of minus half a quadratic form in $\\theta - m_N$: a Normal density with mean $m_N$ and "
             "covariance $S_N$, proper where $\\Lambda_N$ is positive definite (numpy() checks it on the data)"),
    ]
    distribution = stats.MultivariateNormal("Theta", list(mean), covariance)
    return (dict(family="Normal", distribution=distribution, precision=precision, shift=gradient), steps,
            (sp.Eq(m, mean, evaluate=False), sp.Eq(S, covariance, evaluate=False)))



def _vector_posterior(source: Any, read: Any) -> Derivation:
    """The Normal posterior of one vector of weights w when the log posterior is quadratic in w, completing the
    square at matrix level (cost free of the dimension): Λ_N = −∇²_w log π, g = ∇_w log π at w = 0,
    S_N = Λ_N⁻¹, m_N = S_N g (PRML 3.50-3.51 for y | x ~ N(wᵀx, β⁻¹) under N(0, α⁻¹I))."""
    from symml.errors import ModelError
    from symml.matrix_calculus.algebra import tidy
    from symml.mle.joint_vectors import joint_vector_log_posterior, quadratic_in

    front = joint_vector_log_posterior(source, read.wrt, read.log_prior)
    (w, *others) = front.wrt
    if not (isinstance(w, sp.MatrixSymbol) and w.shape[1] == 1) or any(isinstance(p, sp.MatrixSymbol)
                                                                       for p in others):
        raise UnsupportedOperationError(
            "the posterior over a joint model that observes a vector is derived here for one vector of weights "
            f"and scalars (wrt=[w, ...]), not {', '.join(str(p) for p in front.wrt)}; symml.derive.map gives the "
            "joint mode")
    try:
        q = quadratic_in(front.objective, w)
    except ModelError as failure:
        raise UnsupportedOperationError(f"the log posterior is not quadratic in {w} ({failure}), so it is not a "
                                        "Normal; symml.derive.map gives its mode") from None
    if others:  # the Normal of w given the scalars, and their marginal up to a constant
        from symml.bayes.vector_given_scalars import vector_given_scalars

        return vector_given_scalars(front, read, q)
    d = w.shape[0]
    precision = tidy(-q.hessian)
    covariance = precision.I
    mean = tidy(covariance * q.gradient)
    Lambda, S, m, g = (sp.MatrixSymbol(name, *shape) for name, shape in
                       (("Lambda_N", (d, d)), ("S_N", (d, d)), ("m_N", (d, 1)), ("g", (d, 1))))
    symbol = sp.Function("pi")(sp.Symbol(w.name))
    steps = [
        *front.steps,
        Step("The log posterior is quadratic", (sp.Eq(Lambda, precision, evaluate=False),
                                                sp.Eq(g, q.gradient, evaluate=False)),
             f"its Hessian in ${latex(w)}$ (matrix calculus) is free of ${latex(w)}$, so it equals its second-order "
             f"expansion about 0: $\\log \\pi = C + g^{{\\top}}{latex(w)} - \\frac{{1}}{{2}}{latex(w)}^{{\\top}}"
             f"\\Lambda_N {latex(w)}$ with $g$ its gradient at 0 and $\\Lambda_N$ minus its Hessian"),
        Step("Complete the square", (sp.Eq(S, covariance, evaluate=False), sp.Eq(m, mean, evaluate=False)),
             f"$g^{{\\top}}{latex(w)} - \\frac{{1}}{{2}}{latex(w)}^{{\\top}}\\Lambda_N {latex(w)} = -\\frac{{1}}{{2}}"
             f"({latex(w)} - m_N)^{{\\top}}\\Lambda_N({latex(w)} - m_N) + $ const with $m_N = \\Lambda_N^{{-1}}g$; "
             "$S_N = \\Lambda_N^{-1}$"),
        Step("Recognise the posterior", sp.Eq(symbol, sp.exp(-Scalar((w - m).T * S.I * (w - m)) / 2)
                                              / sp.sqrt((2 * sp.pi) ** d * sp.Determinant(S)), evaluate=False),
             f"a Normal density in ${latex(w)}$ with mean $m_N$ and covariance $S_N$, proper where $\\Lambda_N$ is "
             "positive definite"),
    ]
    shown = f"${latex(w)}$"
    problem = JointPosteriorProblem(
        title=f"Posterior of {shown} for " + " and ".join(m.name for m in front.models), likelihood=None,
        parameters=front.wrt, family="Normal", vector_samples=front.samples,
        moments={sp.MatrixSymbol("mean", d, 1): mean, sp.MatrixSymbol("covariance", d, d): covariance},
        fixed=front.fixed, log_prior=read.log_prior)
    return Derivation(
        problem=problem, steps=tuple(steps),
        summary=(sp.Eq(m, mean, evaluate=False), sp.Eq(S, covariance, evaluate=False)), result=(mean, covariance),
        assumptions=tuple(f"the draws {part.draw} are independent" for part in front.parts)
        + (f"{shown} has the prior density ${latex(sp.exp(read.log_prior))}$ up to a constant",), remarks=())


register_lazily(JointPosteriorProblem, "symml.bayes.joint_posterior_numeric")

"""The posterior over a vector of weights w and scalars s of a joint model observing a vector: the Normal of w given
s, and the marginal of s up to its normalising constant, at matrix level.

Where the log posterior is quadratic in w for every s (a mean μ with a variance v: −Σ‖xᵢ − μ‖²/(2v) − ...), it is,
as a function of w, log π(w, s) = c(s) + g(s)ᵀw − ½ wᵀΛ(s)w with Λ = −∇²_w and g = ∇_w at w = 0 (matrix calculus).
So π(w | s) = N(Λ⁻¹g, Λ⁻¹), and integrating w out (a Gaussian integral, exact),

.. math:: \\log \\pi(s \\mid \\text{data}) = C + c(s) + \\tfrac12 g^{\\top}\\Lambda^{-1}g - \\tfrac12 \\log\\det\\Lambda(s).

No joint family is matched (the prior on w is not scaled by v, so this is no Normal-inverse-gamma): the joint is
this product, and ``numpy()`` evaluates its three parts at the data and given values of s; ``verify()`` integrates
the log posterior written entry by entry over a grid of w at d = 2, at several s.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.derivation import Derivation, Step
from symml.render.printer import latex

__all__ = ["vector_given_scalars"]


def vector_given_scalars(front: Any, read: Any, quadratic: Any) -> Derivation:
    """The derivation of π(w | s) and log π(s | data) + C from ``front`` (the joint log posterior at matrix level,
    :func:`symml.mle.joint_vectors.joint_vector_log_posterior`) and its expansion in w (``quadratic``)."""
    from symml.bayes.joint_posterior import JointPosteriorProblem
    from symml.matrix_calculus.algebra import tidy, to_scalar

    (w, *scalars) = front.wrt
    d = w.shape[0]
    precision = tidy(-quadratic.hessian)
    covariance = precision.I
    mean = tidy(covariance * quadratic.gradient)
    determinant = sp.Determinant(precision).doit().replace(
        lambda e: isinstance(e, sp.Determinant) and isinstance(e.arg, sp.Identity), lambda e: sp.S.One)
    log_marginal = sp.expand(to_scalar(quadratic.value)) \
        + to_scalar(quadratic.gradient.T * covariance * quadratic.gradient) / 2 - sp.log(determinant) / 2
    given = ", ".join(f"${latex(s)}$" for s in scalars)
    Lambda, S, m = (sp.MatrixSymbol(name, *shape) for name, shape in
                    (("Lambda_N", (d, d)), ("S_N", (d, d)), ("m_N", (d, 1))))
    marginal = sp.Function("log pi")(*scalars)
    steps = (
        *front.steps,
        Step(f"Quadratic in ${latex(w)}$ given {given}",
             (sp.Eq(Lambda, precision, evaluate=False), sp.Eq(sp.Symbol("g"), quadratic.gradient, evaluate=False)),
             f"the Hessian in ${latex(w)}$ (matrix calculus) is free of ${latex(w)}$: for each {given} the log "
             f"posterior is $c + g^{{\\top}}{latex(w)} - \\frac{{1}}{{2}}{latex(w)}^{{\\top}}\\Lambda_N {latex(w)}$"),
        Step(f"The posterior of ${latex(w)}$ given {given}",
             (sp.Eq(S, covariance, evaluate=False), sp.Eq(m, mean, evaluate=False)),
             "completing the square: a Normal with mean $m_N = \\Lambda_N^{-1}g$ and covariance $S_N = \\Lambda_N^{-1}$"),
        Step(f"Integrate ${latex(w)}$ out", sp.Eq(marginal, sp.Add(log_marginal, sp.Symbol("C"), evaluate=False),
                                                   evaluate=False),
             "a Gaussian integral: $\\int e^{c + g^{\\top}w - w^{\\top}\\Lambda w/2} dw = e^{c + g^{\\top}\\Lambda^{-1}g/2}"
             "(2\\pi)^{d/2} \\det(\\Lambda)^{-1/2}$; the marginal of " + given + " up to a constant C (no family is "
             "matched for it: numpy() evaluates it, and normalising it is one numeric integral)"),
    )
    named = {sp.MatrixSymbol("mean", d, 1): mean, sp.MatrixSymbol("covariance", d, d): covariance,
             sp.Symbol("log_marginal"): log_marginal}
    problem = JointPosteriorProblem(
        title=f"Posterior of ${latex(w)}$ and {given} for " + " and ".join(m.name for m in front.models),
        likelihood=None, parameters=front.wrt, family="Normal given the scalars", vector_samples=front.samples,
        moments=named, fixed=(*front.fixed, *scalars), log_prior=read.log_prior)
    return Derivation(
        problem=problem, steps=steps,
        summary=(sp.Eq(m, mean, evaluate=False), sp.Eq(S, covariance, evaluate=False),
                 sp.Eq(marginal, sp.Add(log_marginal, sp.Symbol("C"), evaluate=False), evaluate=False)),
        result=(mean, covariance, log_marginal),
        assumptions=tuple(f"the draws {part.draw} are independent" for part in front.parts),
        remarks=(f"numpy() takes the data and {', '.join(s.name for s in scalars)} by name and returns the mean and "
                 "covariance of the conditional Normal and the log marginal up to its constant.",))

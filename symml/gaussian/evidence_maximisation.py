"""Type-II maximum likelihood: the hyperparameters α (prior precision αI) and β (noise precision βI) that maximise
the log evidence of Bayesian linear regression, by its stationarity conditions (Bishop PRML 3.5.2).

The engine differentiates the log evidence (the completed square's normaliser) with respect to each scalar
hyperparameter. The derivative is rewritten in the posterior's terms: (αI + βΦᵀΦ)⁻¹ is S_N, and S_N times the
gradient at zero (βΦᵀt) is m_N; the data-fit terms are recognised as −½‖r‖² with r the residual of the density the
hyperparameter scales, at the posterior mean (t − Φm_N, resp. m_N) — the recognition is checked by expanding both
sides. In the eigenbasis of βΦᵀΦ (eigenvalues λᵢ) S_N is diagonal, so α tr S_N = M − γ and β tr(S_NΦᵀΦ) = γ with
γ = Σᵢ λᵢ/(α + λᵢ); solving each condition for the hyperparameter outside S_N gives the fixed-point updates

.. math:: \\alpha = \\frac{\\gamma}{m_N^\\top m_N}, \\qquad \\frac1\\beta = \\frac{\\lVert t - \\Phi m_N\\rVert^2}{N - \\gamma}.

``numpy()`` iterates them (γ from the eigenvalues of βΦᵀΦ) to convergence; ``verify()`` maximises the log evidence
with scipy.optimize.

>>> import sympy as sp, symml
>>> N, M = symml.dims("N M")
>>> Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
>>> alpha, beta = sp.symbols("alpha beta", positive=True)
>>> post = symml.derive.posterior(Gaussian(t, Phi @ w, beta), Gaussian(w, 0, alpha), wrt=w)
>>> derive_evidence_maximisation(post, [alpha, beta]).result
{alpha: gamma/Scalar(m_N.T*m_N), beta: (N - gamma)/Scalar((-m_N.T*Phi.T + t.T)*(-Phi*m_N + t))}
"""
from __future__ import annotations

from typing import Any, Sequence

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import ModelError, UnsupportedOperationError
from symml.gaussian.bayes import PosteriorModel, posterior_model_of
from symml.gaussian.completing_square import HALF, simplified
from symml.gaussian.density import Gaussian
from symml.gaussian.problem import GaussianProblem
from symml.matrix_calculus.algebra import Scalar, to_scalar
from symml.probability.notation import Shown
from symml.render.printer import latex

__all__ = ["derive_evidence_maximisation", "scaled_identity"]

GAMMA = sp.Symbol("gamma", positive=True)
LOG_EVIDENCE = Shown("log p(D)", r"\log p(\mathcal{D})")


def scaled_identity(precision: MatrixExpr) -> sp.Expr | None:
    """c when the precision is c·I, else None."""
    if isinstance(precision, sp.MatMul):
        coefficient, matrices = precision.as_coeff_matrices()
        if len(matrices) == 1 and isinstance(matrices[0], sp.Identity):
            return coefficient
    return None


def _factors(matrix: MatrixExpr, inverse: MatrixExpr, S_N: MatrixExpr) -> list:
    """The factors of a product with the posterior precision's inverse (and its powers) written as S_N."""
    out: list = []
    for f in (matrix.args if isinstance(matrix, sp.MatMul) else (matrix,)):
        if f == inverse:
            out.append(S_N)
        elif isinstance(f, sp.MatPow) and f.base == inverse.arg and f.exp.is_Integer and f.exp < 0:
            out.extend([S_N] * int(-f.exp))
        else:
            out.append(f)
    return out


def _replace_run(factors: list, run: list, by: Any) -> tuple[list, int]:
    """Replace each occurrence of the consecutive ``run`` in ``factors`` by ``by``; how many were replaced."""
    out, count, i = [], 0, 0
    while i < len(factors):
        if factors[i:i + len(run)] == run:
            out.append(by)
            count, i = count + 1, i + len(run)
        else:
            out.append(factors[i])
            i += 1
    return out, count


def in_posterior_terms(expr: sp.Expr, model: PosteriorModel) -> sp.Expr:
    """``expr`` with (posterior precision)⁻¹ written S_N and S_N·h written m_N (h the gradient at zero)."""
    S_N, m_N = model.covariance_symbol, model.mean_symbol
    inverse = sp.Inverse(model.square.precision)
    c, h = model.square.linear.as_coeff_mmul() if isinstance(model.square.linear, sp.MatMul) else (1, model.square.linear)
    c, h_factors = (sp.Mul(c, *[a for a in h.args if not a.is_Matrix]),
                    [a for a in (h.args if isinstance(h, sp.MatMul) else (h,)) if a.is_Matrix])
    right, left = [S_N, *h_factors], [*[f.T for f in reversed(h_factors)], S_N]

    def rewrite(atom: sp.Expr) -> sp.Expr:
        if isinstance(atom, Scalar):
            factors, scale = _factors(atom.matrix, inverse, S_N), sp.S.One
            factors, k = _replace_run(factors, right, m_N)
            scale *= c ** -k
            factors, k = _replace_run(factors, left, m_N.T)
            return scale * c ** -k * to_scalar(sp.MatMul(*factors))
        if isinstance(atom, sp.Trace):
            return sp.Trace(sp.MatMul(*_factors(atom.arg, inverse, S_N)).doit())
        return atom

    return expr.replace(lambda e: isinstance(e, (Scalar, sp.Trace)), rewrite)


def _canonical(expr: sp.Expr) -> sp.Expr:
    """Each 1 x 1 product expanded into monomials, each monomial taken in one orientation (aᵀb = bᵀa)."""
    def monomials(atom: Scalar) -> sp.Expr:
        terms = simplified(atom.matrix)
        out = sp.S.Zero
        for term in (terms.args if isinstance(terms, sp.MatAdd) else (terms,)):
            coefficient, matrices = term.as_coeff_matrices() if isinstance(term, sp.MatMul) else (1, [term])
            product = sp.MatMul(*matrices)
            out += coefficient * Scalar(min(product, simplified(product.T), key=str))
        return out

    return sp.expand(expr.replace(lambda e: isinstance(e, Scalar), monomials))


def _recognised_square(condition: sp.Expr, hyper: sp.Symbol, density: Gaussian, model: PosteriorModel) -> sp.Expr:
    """The condition with its data-fit terms written −½ rᵀr (r: the density's residual at the posterior mean)."""
    m_N = model.mean_symbol
    residual = simplified(density.variable.xreplace({model.wrt: m_N}) - density.mean.xreplace({model.wrt: m_N}))
    square = Scalar(residual.T @ residual)
    fit = sp.Add(*(term for term in sp.Add.make_args(condition) if term.has(Scalar)))
    if _canonical(fit + HALF * square) != 0:
        raise ModelError(f"the data-fit terms of the condition for {hyper} are not −½‖r‖² of the residual {residual}")
    return condition - fit - HALF * square


def derive_evidence_maximisation(posterior: Derivation, wrt: Sequence[Any]) -> Derivation:
    """The type-II maximum-likelihood updates of the scalar hyperparameters ``wrt`` (α of the prior αI, β of the
    noise βI) from the stationarity of the log evidence, for Bayesian linear regression with a zero-mean prior.

    Returns:
        A Derivation whose ``result`` is {hyperparameter: fixed-point update}; ``numpy()`` iterates the updates,
        ``fit(Phi=..., t=..., alpha=1.0, beta=1.0)`` -> {"alpha", "beta", "gamma", "mean", "covariance",
        "iterations"}.
    """
    model = posterior_model_of(posterior)
    return within(SOLVE_SECONDS, "the evidence maximisation", _maximisation, model, tuple(wrt))


def _scaled_density(model: PosteriorModel, hyper: Any) -> Gaussian:
    for density in (model.prior, model.likelihood):
        scale = scaled_identity(density.precision)
        if scale is not None and scale == hyper:
            return density
    raise UnsupportedOperationError(f"evidence maximisation needs {hyper} to be the precision of the prior (αI) or "
                                    f"of the noise (βI)")


def _maximisation(model: PosteriorModel, wrt: tuple) -> Derivation:
    from symml.matrix_calculus.derivatives import gradient

    if not isinstance(model.prior.mean, sp.ZeroMatrix) or model.likelihood.rows:
        raise UnsupportedOperationError("evidence maximisation is derived for a zero-mean prior and a vector of "
                                        "observations (Bayesian linear regression)")
    densities = {hyper: _scaled_density(model, hyper) for hyper in wrt}
    precision = model.square.precision
    S_N, log_evidence = model.covariance_symbol, to_scalar(model.square.log_normaliser)
    M = model.wrt.shape[0]
    spread = simplified(precision - sum((scaled_identity(d.precision) * sp.Identity(M) for d in densities.values()
                                         if d is model.prior), sp.ZeroMatrix(M, M)))
    steps: list[Step] = [Step("Log evidence", sp.Eq(LOG_EVIDENCE, log_evidence, evaluate=False),
                              "the normaliser of the completed square (symml.derive.evidence)")]
    updates: dict = {}
    for hyper, density in densities.items():
        derivative = gradient(model.square.log_normaliser, hyper).result
        condition = sp.expand(in_posterior_terms(sp.expand(derivative), model))
        recognised = _recognised_square(condition, hyper, density, model)
        eigen = _eigen_identity(recognised, hyper, model, density, spread)
        updates[hyper] = _solved_for(eigen, hyper)
        steps += [
            Step(f"Stationarity in ${latex(hyper)}$", sp.Eq(sp.Derivative(LOG_EVIDENCE, hyper),
                                                           sp.expand(derivative), evaluate=False),
                 "derived by the differential method with respect to a scalar"),
            Step("In the posterior's terms", tuple(sp.Eq(sp.Derivative(LOG_EVIDENCE, hyper), line,
                                                         evaluate=False)
                                                   for line in dict.fromkeys((condition, recognised))),
                 f"$({latex(precision)})^{{-1}} = {latex(S_N)}$, ${latex(S_N)}\\,h = {latex(model.mean_symbol)}$; "
                 "the data-fit terms are $-\\frac{1}{2} r^\\top r$ of the residual $r$ at the posterior mean "
                 "(checked by expanding)"),
            Step(f"Solve for the ${latex(hyper)}$ outside ${latex(S_N)}$", (sp.Eq(eigen, 0),
                                                                          sp.Eq(hyper, updates[hyper])),
                 f"with $\\gamma = \\sum_i \\lambda_i / ({latex(_prior_scale(model))} + \\lambda_i)$, $\\lambda_i$ "
                 f"the eigenvalues of ${latex(spread)}$: in their eigenbasis ${latex(S_N)}$ is diagonal"),
        ]
    problem = GaussianProblem("Evidence maximisation (type-II maximum likelihood)", "evidence_maximisation",
                              tuple((str(h), u) for h, u in updates.items()), (model, spread, updates))
    return Derivation(problem, tuple(steps), updates, tuple(sp.Eq(h, u) for h, u in updates.items()),
                      assumptions=("γ = Σᵢ λᵢ/(α + λᵢ) is the effective number of parameters",),
                      remarks=("The updates are fixed-point equations (m_N, S_N and γ depend on the hyperparameters): "
                               "numpy() iterates them to convergence.",))


def _solved_for(condition: sp.Expr, hyper: Any) -> sp.Expr:
    """The one solution of condition = 0 for hyper, the 1 x 1 products held as opaque symbols while solving."""
    atoms = sorted(condition.atoms(Scalar), key=str)
    masks = {atom: sp.Dummy(positive=True) for atom in atoms}
    solved = within(SOLVE_SECONDS, f"solving for {hyper}", sp.solve, condition.xreplace(masks), hyper, dict=True)
    if len(solved) != 1:
        raise ModelError(f"the stationarity condition for {hyper} did not give one update: {solved}")
    return sp.factor(solved[0][hyper]).xreplace({mask: atom for atom, mask in masks.items()})


def _prior_scale(model: PosteriorModel) -> Any:
    scale = scaled_identity(model.prior.precision)
    if scale is None:
        raise UnsupportedOperationError("evidence maximisation needs a prior precision αI")
    return scale


def _eigen_identity(condition: sp.Expr, hyper: Any, model: PosteriorModel, density: Gaussian,
                    spread: MatrixExpr) -> sp.Expr:
    """The traces of S_N replaced through the eigenbasis of the data term: α tr S_N = M − γ, tr(S_N B) = γ for
    B = spread / scale of the noise (β tr(S_N Φᵀ Φ) = γ)."""
    S_N, alpha, M = model.covariance_symbol, _prior_scale(model), model.wrt.shape[0]

    def rewrite(trace: sp.Trace) -> sp.Expr:
        inner = simplified(trace.arg)
        if inner == S_N:
            return (M - GAMMA) / alpha
        rest = simplified(sp.MatMul(*[f for f in inner.args if f != S_N])) if isinstance(inner, sp.MatMul) else None
        coefficient = sp.simplify(to_scalar(sp.Trace(spread)) / to_scalar(sp.Trace(rest))) if rest is not None else None
        if coefficient is not None and simplified(coefficient * rest) == spread:
            return GAMMA / coefficient
        raise ModelError(f"the trace {trace} is not one the eigenbasis of {spread} diagonalises")

    return condition.replace(lambda e: isinstance(e, sp.Trace), rewrite)

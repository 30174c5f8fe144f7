"""A Laplace prior on a weight vector, and the MAP estimate under it: the lasso.

With a zero-location Laplace prior of scale b on each of the M weights, log p(w) = −‖w‖₁/b − M log 2b. Under a
Gaussian likelihood N(t | Φw, β⁻¹I) the negative log posterior is (β/2)‖t − Φw‖² + ‖w‖₁/b + const, and dividing it
by β gives the lasso ½‖t − Φw‖² + λ‖w‖₁. The shared core minimises it: its stationarity is a subgradient condition
with no closed form, which the core says, and its ``numpy()`` runs proximal gradient descent with the derived
soft-threshold.

>>> import sympy as sp, symml
>>> N, M = symml.dims("N M")
>>> Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
>>> beta, b = sp.symbols("beta b", positive=True)
>>> lasso = symml.derive.map(symml.gaussian.Gaussian(t, Phi @ w, beta), prior=Laplace(w, b), wrt=w)
>>> lasso.remarks[-1]
'Dividing the negative log posterior by $\\\\beta$ gives $\\\\frac{1}{2}$ times the squared residual plus $\\\\frac{1}{b \\\\beta}$ times the L1 norm of $w$: the lasso with $\\\\lambda = \\\\frac{1}{b \\\\beta}$.'
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import sympy as sp

from symml.derivation import Derivation, Step
from symml.errors import ModelError, ShapeError
from symml.gaussian.completing_square import scalar
from symml.gaussian.density import Gaussian
from symml.gaussian.notation import named
from symml.matrix_calculus import expressions as mx
from symml.render.printer import latex

__all__ = ["Laplace", "derive_laplace_map"]


@dataclass(frozen=True)
class Laplace:
    """Independent zero-location Laplace densities of scale ``scale`` on each entry of the vector ``variable``."""

    variable: sp.MatrixSymbol
    scale: Any

    def __post_init__(self) -> None:
        if not isinstance(self.variable, sp.MatrixSymbol) or self.variable.shape[1] != 1:
            raise ShapeError(f"a Laplace prior is over a vector symbol (n × 1), not {self.variable!r}")
        if not isinstance(self.scale, (int, float, sp.Expr)):  # never sympify a string: that would evaluate it
            raise ModelError(f"the scale of the Laplace prior must be a positive scalar, not {type(self.scale).__name__}")
        object.__setattr__(self, "scale", sp.sympify(self.scale))
        if self.scale.is_positive is False:
            raise ModelError(f"the scale of the Laplace prior must be positive, not {self.scale}")

    def log_density(self) -> Any:
        """−‖w‖₁/b − M log 2b, a 1 × 1 matrix expression."""
        return -mx.norm(self.variable, 1) / self.scale + scalar(-self.variable.shape[0] * sp.log(2 * self.scale))


def derive_laplace_map(likelihood: Gaussian, prior: Laplace, wrt: Any) -> Derivation:
    """The MAP estimate of ``wrt`` under a Laplace prior: the negative log posterior minimised by the shared core.

    ``numpy()`` is the core's: proximal gradient descent, returning the estimate of ``wrt``.
    """
    from symml.optimize.minimize import minimize
    from symml.optimize.proximal import l1_split

    if prior.variable != wrt:
        raise ModelError(f"the prior must be over the parameter {wrt!r}, not over {prior.variable!r}")
    if not isinstance(likelihood, Gaussian) or wrt not in likelihood.mean.atoms(sp.MatrixSymbol):
        raise ModelError(f"a Laplace-prior MAP needs a symml.gaussian.Gaussian likelihood whose mean depends on {wrt}")
    objective = -likelihood.log_density() - prior.log_density()
    solved = minimize(objective, wrt=wrt)
    steps = (Step("Log likelihood and log prior",
                  (sp.Eq(named("log p(D|theta)", r"\log p(\mathcal{D} \mid \theta)"), likelihood.log_density(),
                         evaluate=False),
                   sp.Eq(named("log p(theta)", r"\log p(\theta)"), prior.log_density(), evaluate=False)),
                  "a Gaussian likelihood and independent Laplace densities on the weights"),
             Step("Objective", sp.Eq(named("-log p(theta|D)", r"-\log p(\theta \mid \mathcal{D})"),
                                     objective + sp.MatrixSymbol("const", 1, 1), evaluate=False),
                  "the mode of the posterior minimises its negative log; the evidence is a constant"),
             *solved.steps)
    problem = dataclasses.replace(solved.problem, title=f"MAP estimate of {wrt.name} under a Laplace prior") \
        if dataclasses.is_dataclass(solved.problem) and hasattr(solved.problem, "title") else solved.problem
    return dataclasses.replace(solved, problem=problem, steps=steps,
                               remarks=(*solved.remarks, *_lasso_remark(likelihood, objective, wrt, l1_split)))


def _lasso_remark(likelihood: Gaussian, objective: Any, wrt: Any, l1_split: Any) -> tuple[str, ...]:
    """The lasso's λ when the noise precision is a multiple of I: the L1 weight over the noise precision."""
    noise = likelihood.precision
    split = l1_split(objective, wrt)
    if split is None or likelihood.rows or not (isinstance(noise, sp.MatMul) and len(noise.args) == 2
                                                 and isinstance(noise.args[1], sp.Identity)):
        return ()
    ratio = sp.simplify(split.weight / noise.args[0])
    return (f"Dividing the negative log posterior by ${latex(noise.args[0])}$ gives $\\frac{{1}}{{2}}$ times the "
            f"squared residual plus ${latex(ratio)}$ times the L1 norm of ${latex(wrt)}$: the lasso with "
            f"$\\lambda = {latex(ratio)}$.",)

"""The soft-margin SVM dual, derived from its primal: minimise ½‖w‖² + C Σ ξᵢ subject to yᵢ(wᵀxᵢ + b) ≥ 1 − ξᵢ and
ξ ≥ 0. Minimising the Lagrangian over w gives w = Xᵀdiag(y)α = Σ αᵢ yᵢ xᵢ; it is affine in b and ξ, whose
coefficients give yᵀα = 0 and β = C1 − α, so 0 ≤ α ≤ C; the dual maximises Σ αᵢ − ½ αᵀ(yyᵀ ∘ XXᵀ)α (Bishop PRML
7.1.1, eq. 7.61-7.63; Boyd & Vandenberghe 5.2)."""
import sympy as sp

import symml
from derivations.optimize._symbols import X, n, w, y

xi, alpha, beta = symml.vector("xi", n), symml.vector("alpha", n), symml.vector("beta", n)
b, C = sp.Symbol("b", real=True), sp.Symbol("C", positive=True)
ONE = sp.OneMatrix(n, 1)


def derivation() -> symml.Derivation:
    return symml.derive.dual(w.T @ w / 2 + C * ONE.T @ xi, [w, b, xi],
                             subject_to=[symml.Ge(symml.diag(y) @ (X @ w + b * ONE), ONE - xi), symml.Ge(xi, 0)],
                             multipliers=[alpha, beta])

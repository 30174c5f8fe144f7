"""Bradley–Terry ranking, −Σᵢ Σⱼ Nᵢⱼ log σ(wᵢ − wⱼ) (Nᵢⱼ wins of i over j): a difference of two entries of w has no
matrix form here, so the gradient is taken in indices, ∂wᵢ/∂wₖ = δᵢₖ, the deltas summed out."""
import sympy as sp

import symml
from symml.matrix_calculus.expressions import Sigmoid

i, j = sp.symbols("i j", integer=True)
d = sp.Symbol("d", integer=True, positive=True)
w, N = sp.IndexedBase("w"), sp.IndexedBase("N")


def derivation() -> symml.Derivation:
    loss = -sp.Sum(N[i, j] * sp.log(Sigmoid(w[i] - w[j])), (i, 1, d), (j, 1, d))
    return symml.derive.gradient(loss, w)

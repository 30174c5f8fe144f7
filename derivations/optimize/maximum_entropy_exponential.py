"""Maximum entropy on [0, ∞) with a given mean m: pointwise stationarity of the Lagrangian gives
p(x) = exp(λ₀ − 1 + λ₁x), integrable only for λ₁ < 0; the mean equation gives λ₁ = −1/m and the normalisation
p(x) = exp(−x/m)/m, the Exponential (Cover & Thomas 12.2)."""
import sympy as sp

import symml

x, m = sp.Symbol("x", real=True), sp.Symbol("m", positive=True)


def derivation() -> symml.Derivation:
    return symml.derive.maximum_entropy(x, (0, sp.oo), {x: m})

"""Maximum entropy on the real line with a given mean μ and second moment s: pointwise stationarity of the
Lagrangian gives p(x) = exp(λ₀ − 1 + λ₁x + λ₂x²); integrability needs λ₂ < 0; completing the square and solving the
moment equations gives the Gaussian with mean μ and variance s − μ² (Cover & Thomas 12.1, example 12.2.1)."""
import sympy as sp

import symml

x, mu = sp.Symbol("x", real=True), sp.Symbol("mu", real=True)
s = sp.Symbol("s", positive=True)


def derivation() -> symml.Derivation:
    return symml.derive.maximum_entropy(x, (-sp.oo, sp.oo), {x: mu, x**2: s})


#: A feasible instance for verify(): the second moment must exceed the squared mean.
VERIFY_DATA = {"mu": 0.3, "s": 1.5}

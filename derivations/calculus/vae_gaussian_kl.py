"""The VAE's KL(N(μ, eˢ) ‖ N(0, 1)) = −(1 + s − μ² − eˢ)/2: gradient (μ, (eˢ − 1)/2) w.r.t. (μ, s = log σ²)."""
import sympy as sp

import symml
from derivations.calculus._symbols import mu, s


def derivation() -> symml.Derivation:
    return symml.derive.gradient(-(1 + s - mu**2 - sp.exp(s)) / 2, [mu, s])

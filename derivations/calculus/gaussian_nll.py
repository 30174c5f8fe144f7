"""Gaussian negative log-likelihood of one point w.r.t. the mean μ and the log-variance s = log σ²."""
import sympy as sp

import symml
from derivations.calculus._symbols import mu, s, x


def derivation() -> symml.Derivation:
    return symml.derive.gradient((x - mu)**2 / (2 * sp.exp(s)) + s / 2 + sp.log(2 * sp.pi) / 2, [mu, s])

"""Linear regression's weights and noise variance together, by maximum likelihood under Gaussian noise:
w = (X^T X)^{-1} X^T y, then sigma^2 = ||y - X w||^2 / n on the profile (Bishop PRML eqs. 3.15 and 3.21)."""
import sympy as sp

import symml
from derivations.optimize._symbols import X, n, w, y

sigma2 = sp.Symbol("sigma2", positive=True)


def derivation() -> symml.Derivation:
    negative_log_likelihood = n / 2 * sp.log(2 * sp.pi * sigma2) * sp.Identity(1) + symml.sq_norm(y - X @ w) / (2 * sigma2)
    return symml.derive.minimize(negative_log_likelihood, wrt=[w, sigma2])

"""Kernel ridge regression in its dual form: with w = Φᵀα the ridge objective is ||y - Kα||² + λ αᵀKα in the
dual weights α (K = ΦΦᵀ the kernel matrix); the stationarity condition K((K + λI)α - y) = 0 gives, for an invertible
K, α = (K + λI)⁻¹y (Bishop PRML 6.1, eq. 6.8)."""
import symml
from derivations.optimize._symbols import lam, n, y

K = symml.matrix("K", n, n, symmetric=True)
alpha = symml.vector("alpha", n)


def derivation() -> symml.Derivation:
    return symml.derive.minimize(symml.sq_norm(y - K @ alpha) + lam * alpha.T @ K @ alpha, wrt=alpha)

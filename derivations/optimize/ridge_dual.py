"""The dual of ridge regression written with its residual, minimise rᵀr + λwᵀw subject to r = y − Xw: minimising the
Lagrangian gives r = −ν/2 and w = −Xᵀν/(2λ), the dual function −νᵀν/4 − νᵀXXᵀν/(4λ) − νᵀy is a quadratic in n
multipliers (one per observation), and w from the dual optimum is the kernel form Xᵀ(XXᵀ + λI)⁻¹y (Boyd &
Vandenberghe 5.2; Bishop PRML 6.1)."""
import symml
from derivations.optimize._symbols import X, lam, n, w, y

r = symml.vector("r", n)


def derivation() -> symml.Derivation:
    return symml.derive.dual(r.T @ r + lam * w.T @ w, [w, r], subject_to=[symml.Eq(r, y - X @ w)])


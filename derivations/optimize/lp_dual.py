"""The dual of a linear program in standard form, minimise cᵀx subject to Ax = b, x ≥ 0: the Lagrangian is affine
in x, so its coefficient c + Aᵀν − μ must vanish; eliminating μ ≥ 0 leaves maximise −bᵀν subject to
c + Aᵀν ≥ 0 (Boyd & Vandenberghe 5.2.1)."""
import symml
from derivations.optimize._symbols import A, b, d

x, c = symml.vector("x", d), symml.vector("c", d)


def derivation() -> symml.Derivation:
    return symml.derive.dual(c.T @ x, x, subject_to=[symml.Eq(A @ x, b), symml.Ge(x, 0)])


def _feasible_bounded() -> dict:
    """A feasible (b = A x0 with x0 > 0), bounded (c = Aᵀν0 + s with s > 0) instance for verify()."""
    import numpy as np

    rng = np.random.default_rng(0)
    A_ = rng.standard_normal((2, 5))
    return {"A": A_, "b": A_ @ rng.uniform(0.5, 1.5, 5), "c": A_.T @ rng.standard_normal(2) + rng.uniform(0.1, 1, 5)}


VERIFY_DATA = _feasible_bounded()

"""Reading derivatives off a differential: the canonical forms dL = tr(Gᵀ dW) and vec(dF) = J vec(dW).

Gradient: a scalar differential is a sum of terms c · tr(A dW B) (or c · aᵀ dW b, or sums, ⊙-weighted
entries, ...). Each is moved into the form ⟨G, dW⟩ = tr(Gᵀ dW) by pulling a coefficient matrix C back
through the expression: ⟨C, A M B⟩ = ⟨Aᵀ C Bᵀ, M⟩ (trace cyclicity, Matrix Cookbook (16)),
⟨C, Mᵀ⟩ = ⟨Cᵀ, M⟩, ⟨C, A ⊙ M⟩ = ⟨C ⊙ A, M⟩ (the Hadamard-trace identity tr(Cᵀ(A ⊙ M)) = tr((C ⊙ A)ᵀ M)),
⟨c, tr M⟩ = ⟨c I, M⟩, ⟨c, sum M⟩ = ⟨c 1 1ᵀ, M⟩, ⟨C, diag(v)⟩ = ⟨diag(C), v⟩. Then G is the gradient in
denominator layout (the shape of W).

Jacobian: a matrix differential is brought to vec(dF) = J vec(dW) with vec(A M B) = (Bᵀ ⊗ A) vec(M)
(Matrix Cookbook (520)), vec(a ⊙ M) = diag(vec a) vec(M), A diag(m) b = A diag(b) m, and
vec(Mᵀ) = K vec(M) with the commutation matrix K.

>>> import symml
>>> from symml.matrix_calculus.algebra import to_scalar
>>> from symml.matrix_calculus.differential import Rules, scalar_differential
>>> n, d = symml.dims("n d")
>>> X = symml.matrix("X", n, d); w = symml.vector("w", d); y = symml.vector("y", n)
>>> dL = scalar_differential(to_scalar((X @ w - y).T @ (X @ w - y)), w, Rules())
>>> gradient_from_differential(dL, MatrixDifferential.of(w))
2*X.T*(X*w - y)
"""
from __future__ import annotations

import functools
from typing import Any

import sympy as sp
from sympy.matrices.expressions import DiagMatrix, DiagonalOf, HadamardProduct, Identity, KroneckerProduct, OneMatrix

from symml.errors import UnsupportedOperationError
from symml.matrix_calculus.algebra import (
    Scalar,
    add,
    diag_part,
    factor,
    had,
    kron,
    mul,
    scalar_atoms,
    scale,
    to_scalar,
    transpose,
)
from symml.matrix_calculus.dag import depends_on
from symml.matrix_calculus.expressions import EntrySum, Tr
from symml.matrix_calculus.operators import Commutation, DiagSelector, MatrixDifferential, PowerSum, Vec, power_sum

__all__ = ["gradient_from_differential", "jacobian_from_differential", "linear_atoms"]


def linear_atoms(dL: sp.Expr, dW: MatrixDifferential, atoms: set | None = None) -> list:
    """The atoms of a scalar differential that carry dW (each enters linearly); ``atoms``: its scalar atoms, when
    the caller has them already."""
    atoms = scalar_atoms(dL) if atoms is None else atoms
    return sorted((a for a in atoms if depends_on(a, dW)), key=sp.default_sort_key)


def _coefficients(dL: sp.Expr, dW: MatrixDifferential) -> list[tuple[sp.Expr, sp.Expr]]:
    """dL = sum_k c_k a_k over the dW-carrying atoms a_k: the pairs (c_k, a_k)."""
    every = scalar_atoms(dL)
    placeholders = {atom: sp.Dummy("a") for atom in linear_atoms(dL, dW, every)}
    # The other matrix scalars are frozen too: expanding inside them would write ‖Xw - y‖ as
    # sqrt(wᵀXᵀXw - wᵀXᵀy - yᵀXw + yᵀy) in the gradient's coefficient
    frozen = {atom: sp.Dummy("s") for atom in every if atom not in placeholders}
    linear = sp.expand(dL.xreplace({**placeholders, **frozen}))
    if depends_on(linear, dW):
        raise UnsupportedOperationError(f"the differential {dL} is not linear in {dW} through matrix atoms")
    pairs = []
    for atom, u in placeholders.items():
        coefficient = linear.coeff(u)
        if coefficient.has(*placeholders.values()):
            raise UnsupportedOperationError(f"the differential {dL} is not linear in {dW}")
        if coefficient != 0:
            pairs.append((coefficient.xreplace({d: a for a, d in frozen.items()}), atom))
    return pairs


def gradient_from_differential(dL: sp.Expr, dW: MatrixDifferential) -> Any:
    """G such that dL = tr(Gᵀ dW) (denominator layout: G has the shape of W); dL is a scalar expression."""
    terms = []
    for coefficient, atom in _coefficients(dL, dW):
        matrix = Tr(atom.arg) if isinstance(atom, sp.Trace) else atom.matrix
        terms.append(scale(coefficient, _pull_back(matrix, Identity(1), dW)))
    gradient = add(terms)
    return sp.ZeroMatrix(*dW.shape) if gradient is None else factor(gradient)


def _inner(C: Any, M: Any) -> sp.Expr:
    """⟨C, M⟩ = tr(Cᵀ M) as a scalar expression."""
    return to_scalar(mul(transpose(C), M)) if M.shape[1] == 1 else sp.Trace(mul(transpose(C), M))


def _pull_back(M: Any, C: Any, dW: MatrixDifferential) -> Any:
    """G with ⟨C, M⟩ = ⟨G, dW⟩ for M linear in dW and C of M's shape."""
    if M == dW:
        return C
    if not depends_on(M, dW):
        return None
    if isinstance(M, sp.Transpose):
        return _pull_back(M.arg, transpose(C), dW)
    if isinstance(M, sp.MatAdd):
        return add(_pull_back(term, C, dW) for term in M.args)
    if isinstance(M, sp.MatMul):
        coefficient, matrices = M.as_coeff_matrices()
        rest = mul(*matrices)
        if depends_on(coefficient, dW):  # ⟨C, c(dW) R⟩ = c(dW) ⟨C, R⟩: a scalar differential of its own
            return gradient_from_differential(coefficient * _inner(C, rest), dW)
        carriers = [i for i, m in enumerate(matrices) if depends_on(m, dW)]
        if len(carriers) != 1:
            raise UnsupportedOperationError(f"{M} is not linear in {dW}")
        i = carriers[0]
        left, right = list(matrices[:i]), list(matrices[i + 1:])
        pulled = mul(*([transpose(mul(*left))] if left else []), C, *([transpose(mul(*right))] if right else []))
        return _pull_back(matrices[i], scale(coefficient, pulled), dW)
    if isinstance(M, HadamardProduct):
        carriers = [f for f in M.args if depends_on(f, dW)]
        others = [f for f in M.args if not depends_on(f, dW)]
        if len(carriers) != 1:
            raise UnsupportedOperationError(f"{M} is not linear in {dW}")
        return _pull_back(carriers[0], had(C, *others), dW)
    if isinstance(M, DiagMatrix):
        return _pull_back(M.args[0], diag_part(C), dW)
    if isinstance(M, PowerSum):  # ⟨C, Σ Bʳ M B^(k−1−r)⟩ = ⟨Σ (Bᵀ)ʳ C (Bᵀ)^(k−1−r), M⟩
        return _pull_back(M.middle, power_sum(transpose(M.base), M.exponent, C), dW)
    if isinstance(M, DiagonalOf):
        return _pull_back(M.args[0], DiagMatrix(C), dW)
    if isinstance(M, (EntrySum, Tr)) and isinstance(M.arg, sp.MatAdd):  # both are linear
        return add(_pull_back(type(M)(term), C, dW) for term in M.arg.args)
    if isinstance(M, (EntrySum, Tr)) and isinstance(M.arg, KroneckerProduct):
        # tr(A ⊗ B) = tr A tr B and sum(A ⊗ B) = sum A sum B: a product of scalars
        product = sp.Mul(*(to_scalar(type(M)(factor_)) for factor_ in M.arg.args))
        return gradient_from_differential(to_scalar(C) * product, dW)
    if isinstance(M, EntrySum):
        return _pull_back(M.arg, scale(to_scalar(C), OneMatrix(*M.arg.shape)), dW)
    if isinstance(M, Tr):
        return _pull_back(M.arg, scale(to_scalar(C), Identity(M.arg.shape[0])), dW)
    raise UnsupportedOperationError(f"cannot bring {type(M).__name__} ({M}) to the form tr(Gᵀ dW)")


# --- Jacobians: vec(dF) = J vec(dW) ------------------------------------------------------------------------
def _vec(M: Any) -> Any:
    if M.shape[1] == 1:
        return M
    if M.shape[0] == 1:
        return transpose(M)
    return Vec(M)


def jacobian_from_differential(dF: Any, dW: MatrixDifferential) -> Any:
    """J with vec(dF) = J vec(dW), shape (size of F, size of W); numerator layout, as Jacobians are written."""
    J = _jacobian(dF, dW)
    size_F = dF.shape[0] * dF.shape[1]
    size_W = dW.shape[0] * dW.shape[1]
    return sp.ZeroMatrix(size_F, size_W) if J is None else factor(J)


# remembered per distinct node: a differential shares subexpressions (a k-layer Hessian's reaches each layer's from
# every later one), walked as a tree it took k² calls (issue 17: 214 calls for 82 distinct nodes at k = 12)
@functools.lru_cache(maxsize=4096)
def _jacobian(M: Any, dW: MatrixDifferential) -> Any:
    if M == dW or (M == transpose(dW) and dW.shape[1] == 1):
        return Identity(dW.shape[0] * dW.shape[1])
    if not depends_on(M, dW):
        return None
    if isinstance(M, sp.Transpose):
        if M.shape[0] == 1 or M.shape[1] == 1:
            return _jacobian(M.arg, dW)  # a vector and its transpose have the same vec
        return mul(Commutation(*M.arg.shape), _jacobian(M.arg, dW))  # vec(Aᵀ) = K vec(A)
    if isinstance(M, sp.MatAdd):
        return add(_jacobian(term, dW) for term in M.args)
    if isinstance(M, sp.MatMul):
        return _product_jacobian(M, dW)
    if isinstance(M, HadamardProduct):
        carriers = [f for f in M.args if depends_on(f, dW)]
        if len(carriers) != 1:
            raise UnsupportedOperationError(f"{M} is not linear in {dW}")
        weights = had(*(f for f in M.args if not depends_on(f, dW)))
        if weights is None:  # a zero constant factor
            return None
        if tuple(weights.shape) == (1, 1):
            return scale(weights, _jacobian(carriers[0], dW))
        return mul(DiagMatrix(_vec(weights)), _jacobian(carriers[0], dW))
    if isinstance(M, KroneckerProduct):
        return _kronecker_jacobian(M, dW)
    if isinstance(M, EntrySum):
        return mul(OneMatrix(1, M.arg.shape[0] * M.arg.shape[1]), _jacobian(M.arg, dW))
    if isinstance(M, Tr):
        return _trace_jacobian(M, dW)
    if isinstance(M, DiagMatrix):  # vec(diag(v)) = E v
        return mul(DiagSelector(M.shape[0]), _jacobian(M.args[0], dW))
    if isinstance(M, DiagonalOf):  # diag(A) = Eᵀ vec(A)
        return mul(DiagSelector(M.shape[0]).T, _jacobian(M.args[0], dW))
    raise UnsupportedOperationError(f"cannot bring {type(M).__name__} ({M}) to the form vec(dF) = J vec(dW)")


def _trace_jacobian(M: Tr, dW: MatrixDifferential) -> Any:
    """The row vec(G)ᵀ of d tr(M) = tr(Gᵀ dW), G pulled back through M: d tr(XᵀX) gives 2 vec(X)ᵀ, where
    vec(I)ᵀ (I ⊗ Xᵀ + (Xᵀ ⊗ I) K) reads as the same row through Kronecker products (and a Hessian holding it
    multiplies tiny entries by huge ones in numpy()). Forms the pull-back does not take keep that route."""
    try:
        G = _pull_back(M.arg, Identity(M.arg.shape[0]), dW)
    except UnsupportedOperationError:
        return mul(transpose(_vec(Identity(M.arg.shape[0]))), _jacobian(M.arg, dW))
    if G is None:
        return None
    G = factor(G)
    coefficient, matrices = G.as_coeff_matrices() if isinstance(G, sp.MatMul) else (sp.S.One, [G])
    return scale(coefficient, transpose(_vec(mul(*matrices))))


def _product_jacobian(M: sp.MatMul, dW: MatrixDifferential) -> Any:
    coefficient, matrices = M.as_coeff_matrices()
    matrices = list(matrices)
    if depends_on(coefficient, dW):  # vec(c(dW) R) = vec(R) c(dW), with c(dW) = sum_k alpha_k a_k(dW)
        rest = mul(*matrices)
        return add(scale(alpha, mul(_vec(rest), _atom_jacobian(atom, dW)))
                   for alpha, atom in _coefficients(coefficient, dW))
    carriers = [i for i, m in enumerate(matrices) if depends_on(m, dW)]
    if len(carriers) != 1:
        raise UnsupportedOperationError(f"{M} is not linear in {dW}")
    i = carriers[0]
    left, carrier, right = mul(*matrices[:i]) if i else None, matrices[i], mul(*matrices[i + 1:])
    if isinstance(carrier, DiagMatrix) and right is not None and right.shape[1] == 1:
        inner = mul(DiagMatrix(right), _jacobian(carrier.args[0], dW))  # diag(m) b = diag(b) m
        return scale(coefficient, inner if left is None else mul(left, inner))
    right_t = transpose(right) if right is not None else Identity(carrier.shape[1])
    left = left if left is not None else Identity(carrier.shape[0])
    return scale(coefficient, mul(kron(right_t, left), _jacobian(carrier, dW)))


def _kronecker_jacobian(M: KroneckerProduct, dW: MatrixDifferential) -> Any:
    """vec(A ⊗ B) = (Iₙ ⊗ K_(q,m) ⊗ I_p)(vec A ⊗ vec B) for A (m × n), B (p × q) (Magnus & Neudecker, Thm 3.10),
    linear in the one factor that carries dW: vec A ⊗ vec B = (I ⊗ vec B) vec A = (vec A ⊗ I) vec B. For column
    vectors the permutation is the identity: a ⊗ b = (I ⊗ b) a = (a ⊗ I) b."""
    A, B = M.args[0], (M.args[1] if len(M.args) == 2 else KroneckerProduct(*M.args[1:]))
    if depends_on(A, dW) and depends_on(B, dW):
        raise UnsupportedOperationError(f"{M} is not linear in {dW}")
    (m, n), (p, q) = A.shape, B.shape
    if depends_on(A, dW):
        spread = kron(Identity(m * n), _vec(B))
        inner = mul(spread, _jacobian(A, dW))
    else:
        spread = kron(_vec(A), Identity(p * q))
        inner = mul(spread, _jacobian(B, dW))
    if n == 1 and q == 1:
        return inner
    return mul(KroneckerProduct(Identity(n), Commutation(q, m), Identity(p)), inner)


def _atom_jacobian(atom: sp.Expr, dW: MatrixDifferential) -> Any:
    if isinstance(atom, sp.Trace):
        return _jacobian(Tr(atom.arg), dW)
    if isinstance(atom, Scalar):
        return _jacobian(atom.matrix, dW)
    raise UnsupportedOperationError(f"cannot take the Jacobian through {atom}")

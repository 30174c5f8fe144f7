"""Tidy matrix algebra: constructors that simplify as they build, and the scalar view of 1 x 1 expressions.

The engine builds every intermediate expression through these constructors, so results come out in the
form a person writes (no ``I`` factors, no ``1 ⊙ A``, no ``0`` terms, common factors pulled out) without
a general simplifier, and the work never depends on the sizes of the matrices.

A 1 x 1 matrix expression (``y.T @ X @ w``, ``sum(A)``, ``logdet(S)``) is a scalar; :func:`to_scalar` turns it
into an ordinary SymPy scalar expression whose atoms are :class:`Scalar` wrappers, ``Trace`` and
``Determinant``, so that scalar calculus (chain rule through log, products, quotients) is SymPy's own.

>>> import symml
>>> n, d = symml.dims("n d")
>>> X = symml.matrix("X", n, d); w = symml.vector("w", d); y = symml.vector("y", n)
>>> factor(X.T @ symml.sigmoid(X @ w) - X.T @ y)
X.T*(sigmoid(X*w) - y)
"""
from __future__ import annotations

import functools
from typing import Any, Iterable, Sequence

import sympy as sp
from sympy.matrices.expressions import (
    DiagMatrix,
    DiagonalOf,
    HadamardPower,
    HadamardProduct,
    Identity,
    KroneckerProduct,
    OneMatrix,
    ZeroMatrix,
)
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixExpr

from symml.matrix_calculus.expressions import Det, Elementwise, LogDet, Tr, is_matrix
from symml.matrix_calculus.operators import Vec

__all__ = ["Scalar", "to_scalar", "scalar_atoms", "interned", "mul", "add", "had", "kron", "transpose", "scale", "factor", "tidy"]


class Scalar(sp.Expr):
    """A 1 x 1 matrix expression seen as a scalar (``Scalar(y.T*X*w)``), so that it can enter Add and Mul."""

    is_commutative = True

    def __new__(cls, matrix: MatrixExpr) -> "Scalar":
        return super().__new__(cls, matrix)

    @property
    def matrix(self) -> MatrixExpr:
        return self.args[0]

    def _eval_is_real(self) -> bool:
        return True

    @property
    def precedence(self) -> int:
        # printed as its matrix expression: a sum is bracketed under a power or in a product, (yᵀy − yᵀXŵ)², and a
        # product under a power, (yᵀXw)², but not beside other factors: −yᵀXw dw, not −(yᵀXw dw)
        from sympy.printing.precedence import PRECEDENCE

        return PRECEDENCE["Add"] if isinstance(self.matrix, sp.MatAdd) else PRECEDENCE["Mul"] + 1

    def doit(self, **hints: Any) -> Any:
        value = self.matrix.doit(**hints)
        return value[0, 0] if isinstance(value, sp.MatrixBase) else Scalar(value)


#: The atoms of the scalar view: matrix-valued inside, scalar outside.
SCALAR_ATOMS = (Scalar, sp.Trace, sp.Determinant)


def scalar_atoms(expr: sp.Expr) -> set:
    """The outermost matrix-valued atoms of a scalar expression (not those nested inside them)."""
    if isinstance(expr, SCALAR_ATOMS):
        return {expr}
    found: set = set()
    for arg in getattr(expr, "args", ()):
        if isinstance(arg, sp.Basic) and not is_matrix(arg):
            found |= scalar_atoms(arg)
    return found


# One instance of each expression built here (hash-consing). Why: SymPy compares equal expressions argument by
# argument, so two equal copies of a deep DAG compare as trees; built from shared instances, they compare by
# identity at the first shared argument. A k-layer Hessian's derivation compared such copies in its canonicalisations
# (issue 17: with the DAG walks of symml.matrix_calculus.dag, derive at k = 8 took 0.07 s without it, 0.046 s with
# it; k = 8 over k = 4: 3.5x without, 2.7x with).
# Bounded: cleared when large, which costs only the sharing.
_INSTANCES: dict = {}
_MAX_INSTANCES = 1 << 16


def shared(expr: Any) -> Any:
    """The one instance of ``expr`` (an equal expression built earlier, or ``expr`` itself from now on)."""
    if len(_INSTANCES) >= _MAX_INSTANCES:
        _INSTANCES.clear()
    return _INSTANCES.setdefault(expr, expr)


def interned(expr: Any) -> Any:
    """``expr`` made of the one instances of its subexpressions (each distinct node visited once): an expression that
    the caller builds again (the same loss written anew) then shares its nodes with those the engine built before,
    instead of comparing with them argument by argument all the way down."""
    if not isinstance(expr, sp.Basic):
        return expr
    done: dict = {}  # by identity: equal copies inside ``expr`` are what this removes
    seen: list = []  # keeps every node whose id is a key alive
    stack: list = [(expr, False)]
    while stack:
        node, args_done = stack.pop()
        if id(node) in done:
            continue
        args = () if node.is_Atom or isinstance(node, sp.MatrixSymbol) else node.args
        if args and not args_done:
            stack.append((node, True))
            stack.extend((arg, False) for arg in args)
            continue
        new_args = tuple(done[id(arg)] for arg in args)
        rebuilt = node if all(new is old for new, old in zip(new_args, args)) else node.func(*new_args)
        seen.append(node)
        done[id(node)] = shared(rebuilt)
    return done[id(expr)]


def _is_one_by_one(expr: Any) -> bool:
    return tuple(expr.shape) == (1, 1)


def _segments(factors: list) -> list[list]:
    """Split a product of matrices into consecutive runs that are each 1 x 1 (a^T b c^T d -> [a^T b], [c^T d])."""
    runs, current = [], []
    for factor_ in factors:
        current.append(factor_)
        if current[0].shape[0] == 1 and factor_.shape[1] == 1:
            runs.append(current)
            current = []
    return runs if not current else [factors]


def to_scalar(expr: Any) -> sp.Expr:
    """The scalar view of a scalar expression or 1 x 1 matrix expression.

    >>> import symml
    >>> S = symml.matrix("S", 3, 3)
    >>> to_scalar(symml.logdet(S) + symml.trace(S))
    log(Determinant(S)) + Trace(S)
    """
    if not is_matrix(expr):
        return sp.sympify(expr)
    if not _is_one_by_one(expr):
        raise ValueError(f"{expr} of shape {expr.shape} is not a scalar")
    if isinstance(expr, sp.MatrixBase):
        return expr[0, 0]
    if isinstance(expr, (Identity, OneMatrix)):
        return sp.S.One
    if isinstance(expr, ZeroMatrix):
        return sp.S.Zero
    if isinstance(expr, sp.MatAdd):
        return sp.Add(*(to_scalar(term) for term in expr.args))
    if isinstance(expr, sp.MatMul):
        coefficient, matrices = expr.as_coeff_matrices()
        runs = _segments(list(matrices))
        if len(runs) == 1 and len(runs[0]) > 1:
            return coefficient * Scalar(sp.MatMul(*runs[0]))
        return coefficient * sp.Mul(*(to_scalar(sp.MatMul(*run) if len(run) > 1 else run[0]) for run in runs))
    if isinstance(expr, sp.Transpose):
        return to_scalar(expr.arg)
    if isinstance(expr, HadamardProduct):
        return sp.Mul(*(to_scalar(f) for f in expr.args))
    if isinstance(expr, HadamardPower):
        return to_scalar(expr.args[0]) ** expr.args[1]
    if isinstance(expr, Elementwise):
        return expr.scalar(to_scalar(expr.arg))
    if isinstance(expr, ElementwiseApplyFunction):
        return expr.function(to_scalar(expr.expr))
    if isinstance(expr, sp.MatPow):
        return to_scalar(expr.base) ** expr.exp
    if isinstance(expr, Tr):
        return to_scalar(expr.arg) if _is_one_by_one(expr.arg) else sp.Trace(expr.arg)
    if isinstance(expr, Det):
        return to_scalar(expr.arg) if _is_one_by_one(expr.arg) else sp.Determinant(expr.arg)
    if isinstance(expr, LogDet):
        return sp.log(to_scalar(Det(expr.arg)))
    return Scalar(expr)


# --- constructors that tidy as they build ---------------------------------------------------------------
def scale(coefficient: Any, matrix: MatrixExpr) -> MatrixExpr | None:
    """coefficient * matrix, with 0 -> None and 1 -> matrix; a 1 x 1 matrix coefficient becomes a scalar."""
    if matrix is None:
        return None
    coefficient = to_scalar(coefficient) if is_matrix(coefficient) else sp.sympify(coefficient)
    if coefficient == 0:
        return None
    return matrix if coefficient == 1 else _canonical_product(coefficient, (matrix,))


def _is_unit(factor_: Any) -> bool:
    return isinstance(factor_, Identity) or (isinstance(factor_, OneMatrix) and _is_one_by_one(factor_))


def _absorb_ones(kept: list) -> list:
    """diag(v) 1 = v and 1ᵀ diag(v) = vᵀ: an all-ones vector next to a diagonal matrix picks its diagonal."""
    out: list = []
    for factor_ in kept:
        if out and isinstance(out[-1], DiagMatrix) and isinstance(factor_, OneMatrix) and factor_.shape[1] == 1:
            out[-1] = out[-1].args[0]
        elif out and isinstance(factor_, DiagMatrix) and isinstance(out[-1], OneMatrix) and out[-1].shape[0] == 1:
            out[-1] = factor_.args[0].T
        else:
            out.append(factor_)
    return out


def _absorb_rows(kept: list) -> list:
    """uᵀ (v ⊙ b) = (u ⊙ v)ᵀ b, used where the merged Hadamard product simplifies (sᵀ(s^∘−1 ⊙ y) = 1ᵀ y)."""
    out: list = []
    for factor_ in kept:
        if out and out[-1].shape[0] == 1 and isinstance(factor_, HadamardProduct) and factor_.shape[1] == 1:
            *weights, last = factor_.args
            merged = had(transpose(out[-1]), *weights)
            if not isinstance(merged, HadamardProduct) or len(merged.args) <= len(weights):
                out[-1:] = [transpose(merged), last]
                continue
        out.append(factor_)
    return out


def _absorb_vec(kept: list) -> list:
    """(bᵀ ⊗ A) vec X = vec(A X b) = A X b for a column b (Matrix Cookbook 520): the Hessian of a Mahalanobis
    distance read (rᵀ ⊗ I) vec(S⁻¹) where S⁻¹r is meant."""
    out: list = []
    for factor_ in kept:
        last = out[-1] if out else None
        if not (isinstance(last, KroneckerProduct) and len(last.args) == 2 and last.args[0].shape[0] == 1):
            out.append(factor_)
        elif isinstance(factor_, Vec):
            row, A = last.args
            out[-1:] = [f for f in (A, factor_.arg, transpose(row)) if not _is_unit(f)]
        elif isinstance(factor_, sp.MatAdd) and all(_leading_vec(term) for term in factor_.args):
            out[-1] = add(scale(c, mul(last, *matrices)) for c, matrices in map(_coefficient_and_matrices, factor_.args))
        else:
            out.append(factor_)
    return out


def _coefficient_and_matrices(term: MatrixExpr) -> tuple:
    return term.as_coeff_matrices() if isinstance(term, sp.MatMul) else (sp.S.One, [term])


def _leading_vec(term: MatrixExpr) -> bool:
    return isinstance(_coefficient_and_matrices(term)[1][0], Vec)


def mul(*factors: Any) -> MatrixExpr | None:
    """The product of matrices (None stands for a zero factor), without identity or 1 x 1 all-ones factors."""
    if any(f is None for f in factors):
        return None
    return _product(factors)


@functools.lru_cache(maxsize=4096)
def _product(factors: tuple) -> MatrixExpr | None:
    # Why cached: reading a Jacobian off builds the same products once per term (k-layer Hessian at k = 8: 249
    # products, 84 distinct), and SymPy's canonicalisation of a long product is most of a derivation's time.
    kept = _absorb_vec(_absorb_rows(_absorb_ones([f for f in factors if not _is_unit(f)])))
    if not kept:
        return factors[0] if factors else None
    return kept[0] if len(kept) == 1 else _canonical_product(sp.S.One, kept)


# A product built here is in SymPy's canonical form (its canonicaliser would leave it as it is) and carries its
# coefficient and factors, so that a longer product made of such products is, in most cases, their factors side by
# side. Why: the Jacobian chain of a k-layer composition is a product of O(k) factors built once per layer, and
# SymPy's canonicaliser of a long product (flatten, then its rules over every factor, repeated to a fixed point) made
# building them grow like k² (issue 17).
_FACTORS = "_symml_factors"


def _canonical_product(coefficient: sp.Expr, parts: Sequence[MatrixExpr]) -> MatrixExpr:
    """``MatMul(coefficient, *parts).doit(deep=False)``, the one instance of it; by concatenation where that is the
    canonical form, else by SymPy's canonicaliser."""
    product = _concatenated(coefficient, parts)
    if product is None:
        product = (sp.MatMul(*parts) if coefficient == 1 else sp.MatMul(coefficient, *parts)).doit(deep=False)
    product = shared(product)
    if isinstance(product, sp.MatMul) and _FACTORS not in product.__dict__:
        coefficient_, matrices = product.as_coeff_matrices()
        product.__dict__[_FACTORS] = (coefficient_, tuple(matrices))
    return product


def _factors(part: MatrixExpr) -> tuple[sp.Expr, tuple] | None:
    """The coefficient and factors of a product built here or of a single matrix that SymPy's rules treat only by
    its neighbours; None otherwise (an explicit matrix merges with a coefficient, (AB)⁻¹ cancels a run A B)."""
    if isinstance(part, sp.MatMul):
        return part.__dict__.get(_FACTORS)
    if not isinstance(part, MatrixExpr) or isinstance(part, sp.MatrixBase) or (
            isinstance(part, sp.Inverse) and isinstance(part.arg, sp.MatMul)):
        return None
    return sp.S.One, (part,)


def _concatenated(coefficient: sp.Expr, parts: Sequence[MatrixExpr]) -> MatrixExpr | None:
    """The product of canonical parts when it is their factors side by side behind the product of their
    coefficients: no neighbours across a junction that SymPy's rules would merge, cancel or drop (checked on the
    pair), a non-zero coefficient, and a lone factor that no rule touches; None when that is not known."""
    scalars: list = [coefficient]
    factors: list = []
    for part in parts:
        known = _factors(part)
        if known is None or (factors and not _stay_apart(factors[-1], known[1][0])):
            return None
        scalars.append(known[0])
        factors.extend(known[1])
    total = sp.Mul(*scalars)
    if not factors or total.is_zero:
        return None
    if len(factors) == 1:  # c M: a number is distributed over a sum, an identity or zero factor dropped
        alone = factors[0]
        if isinstance(alone, (sp.MatAdd, Identity, ZeroMatrix)):
            return None
        return alone if total == 1 else sp.Basic.__new__(sp.MatMul, total, alone)
    return sp.Basic.__new__(sp.MatMul, *(factors if total == 1 else (total, *factors)))


@functools.lru_cache(maxsize=4096)
def _stay_apart(left: MatrixExpr, right: MatrixExpr) -> bool:
    """SymPy's canonical form of the product of two neighbours is the two of them (no power, identity, zero, ...)."""
    product = sp.MatMul(left, right).doit(deep=False)
    return isinstance(product, sp.MatMul) and product.args == (left, right)


def add(terms: Iterable[Any]) -> MatrixExpr | None:
    """The sum of matrix terms, skipping None (zero) terms; None when nothing is left."""
    kept = [t for t in terms if t is not None and not isinstance(t, ZeroMatrix)]
    if len(kept) <= 1:
        return kept[0] if kept else None
    # Like terms combined here, not by SymPy's MatAdd canonicaliser: it rebuilds each combined term c*M with a deep
    # doit of M, which dominated large gradients. Same result: flattened, like terms summed, sorted as SymPy sorts.
    coefficients: dict = {}
    shown: dict = {}  # like terms are found up to the order of Hadamard factors; each is shown as first written
    for term in kept:
        for part in term.args if isinstance(term, sp.MatAdd) else (term,):
            coefficient, bare = _split_coefficient(part)
            key = _hadamard_order_free(bare)
            shown.setdefault(key, bare)
            coefficients[key] = coefficients.get(key, 0) + coefficient
    combined = [scale(c, shown[key]) for key, c in coefficients.items()]
    combined = sorted((t for t in combined if t is not None), key=sp.default_sort_key)
    if len(combined) <= 1:
        return combined[0] if combined else None
    return shared(sp.MatAdd(*combined))


def _hadamard_order_free(matrix: MatrixExpr) -> MatrixExpr:
    """The term with the factors of its top-level Hadamard product sorted: a ⊙ b and b ⊙ a are like terms."""
    if isinstance(matrix, HadamardProduct):
        return HadamardProduct(*sorted(matrix.args, key=sp.default_sort_key))
    return matrix


def transpose(matrix: MatrixExpr | None) -> MatrixExpr | None:
    """The transpose, pushed inside products (SymPy's rule); None stays None."""
    return None if matrix is None else _transposed(matrix)


@functools.lru_cache(maxsize=4096)
def _transposed(matrix: MatrixExpr) -> MatrixExpr:
    # Why cached: pulling back through a product transposes the same factors once per term, and SymPy pushes a
    # transpose through a whole sum each time (half the time of a large gradient).
    return shared(matrix.T)


def _split_coefficient(matrix: MatrixExpr) -> tuple[sp.Expr, MatrixExpr]:
    if isinstance(matrix, sp.MatMul):
        known = matrix.__dict__.get(_FACTORS)
        coefficient, matrices = known if known is not None else matrix.as_coeff_matrices()
        if coefficient != 1:
            if len(matrices) == 1:
                return coefficient, matrices[0]
            return coefficient, _bare(matrices) if known is not None else sp.MatMul(*matrices)
    return sp.S.One, matrix


def _bare(matrices: tuple) -> MatrixExpr:
    """The factors of a product built here without its coefficient: canonical too (no rule of SymPy's canonicaliser
    needs the coefficient of a product of two or more matrices), so built directly and known as one."""
    product = shared(sp.Basic.__new__(sp.MatMul, *matrices))
    product.__dict__.setdefault(_FACTORS, (sp.S.One, tuple(matrices)))
    return product


def _split_scalar_runs(matrix: MatrixExpr) -> tuple[sp.Expr, MatrixExpr]:
    """x (aᵀ b) yᵀ -> (aᵀ b, x yᵀ): every 1 x 1 run of a product (a row through a column) is a scalar factor.

    Why: inside a Hadamard product only scalars may leave a factor, and a run aᵀ b is one; the rest of the
    product keeps its shape (its neighbours become an outer product). A product that is 1 x 1 as a whole is
    left alone (the caller turns it into a scalar).
    """
    if not isinstance(matrix, sp.MatMul) or _is_one_by_one(matrix):
        return sp.S.One, matrix
    _, matrices = matrix.as_coeff_matrices()
    scalars: list = []
    kept: list = []
    run: list = []
    for factor_ in matrices:
        if run or factor_.shape[0] == 1:
            run.append(factor_)
            if factor_.shape[1] == 1:
                scalars.append(to_scalar(sp.MatMul(*run) if len(run) > 1 else run[0]))
                run = []
        else:
            kept.append(factor_)
    kept += run
    if not scalars or not kept:
        return sp.S.One, matrix
    return sp.Mul(*scalars), kept[0] if len(kept) == 1 else sp.MatMul(*kept)


def _merge_powers(factors: list) -> list:
    """a^∘p ⊙ a^∘q = a^∘(p+q): powers of one base combine, and cancel when the exponents add to 0."""
    exponents: dict = {}
    for factor_ in factors:
        base, exponent = (factor_.args[0], factor_.args[1]) if isinstance(factor_, HadamardPower) else (factor_, 1)
        exponents[base] = exponents.get(base, 0) + exponent
    merged = []
    for base, exponent in exponents.items():
        if exponent == 0:
            continue
        merged.append(base if exponent == 1 else HadamardPower(base, exponent))
    return merged


def _absorb_steps(factors: list) -> list:
    """relu(u) ⊙ H(u) = relu(u): the step is 1 wherever relu(u) is non-zero (the Huber gradient's
    relu(|r| - δ) ⊙ H(|r| - δ)); likewise a positive power of relu(u)."""
    def base(factor_: Any) -> Any:
        if isinstance(factor_, HadamardPower) and factor_.args[1].is_positive:
            return factor_.args[0]
        return factor_
    rectified = {base(f).args[1] for f in factors if isinstance(base(f), Elementwise) and base(f).name == "relu"}
    return [f for f in factors if not (isinstance(f, Elementwise) and f.name == "step" and f.args[1] in rectified)]


def had(*factors: Any) -> MatrixExpr | None:
    """The Hadamard product, with scalar coefficients pulled out, all-ones factors dropped and powers merged."""
    if any(f is None for f in factors):
        return None
    coefficient, kept = sp.S.One, []
    for factor_ in factors:
        c, bare = _split_coefficient(factor_)
        c_inner, bare = _split_scalar_runs(bare)
        coefficient *= c * c_inner
        if isinstance(bare, HadamardProduct):
            kept.extend(bare.args)
        elif not isinstance(bare, OneMatrix):
            kept.append(bare)
    kept = _absorb_steps(_merge_powers(kept))
    if not kept:
        return scale(coefficient, OneMatrix(*factors[0].shape))
    if all(_is_one_by_one(k) for k in kept):
        return scale(coefficient * sp.Mul(*(to_scalar(k) for k in kept)), Identity(1))
    return scale(coefficient, kept[0] if len(kept) == 1 else shared(HadamardProduct(*kept)))


def kron(left: MatrixExpr, right: MatrixExpr) -> MatrixExpr | None:
    """left ⊗ right; a 1 x 1 factor is a scalar multiple."""
    if left is None or right is None:
        return None
    if _is_one_by_one(left):
        return scale(to_scalar(left), right)
    if _is_one_by_one(right):
        return scale(to_scalar(right), left)
    return KroneckerProduct(left, right)


def diag_part(matrix: MatrixExpr) -> MatrixExpr:
    """The column of diagonal entries; of an identity, the all-ones vector."""
    coefficient, bare = _split_coefficient(matrix)
    if isinstance(bare, Identity):
        return scale(coefficient, OneMatrix(bare.shape[0], 1))
    if isinstance(bare, DiagMatrix):
        return scale(coefficient, bare.args[0])
    if isinstance(bare, sp.MatMul) and bare.args[0].shape[1] == 1:  # diag(u rᵀ) = u ⊙ r
        first, rest = bare.args[0], mul(*bare.args[1:])
        if rest is not None and rest.shape[0] == 1:
            return scale(coefficient, had(first, transpose(rest)))
    return DiagonalOf(matrix)


# --- factoring common factors out of sums -----------------------------------------------------------------
def _as_product(term: MatrixExpr) -> tuple[sp.Expr, list]:
    if isinstance(term, sp.MatMul):
        coefficient, matrices = term.as_coeff_matrices()
        return coefficient, list(matrices)
    return sp.S.One, [term]


def _factor_side(terms: list, side: int) -> MatrixExpr | None:
    """Pull a factor common to every term out on the left (side=0) or the right (side=-1), or None."""
    products = [_as_product(t) for t in terms]
    first = products[0][1][side]
    if any(len(matrices) < 2 or matrices[side] != first for _, matrices in products):
        return None
    rests = [scale(c, mul(*(m[1:] if side == 0 else m[:-1]))) for c, m in products]
    inner = factor(add(rests))
    return mul(first, inner) if side == 0 else mul(inner, first)


def factor(expr: MatrixExpr | None) -> MatrixExpr | None:
    """Pull factors common to all terms of a sum out of it: A B + A C -> A (B + C), recursively.

    >>> import symml
    >>> A, B, C = (symml.matrix(name, 3, 3) for name in "ABC")
    >>> factor(A @ B - A @ C)
    A*(B - C)
    """
    if isinstance(expr, sp.MatMul):
        coefficient, matrices = expr.as_coeff_matrices()
        return scale(coefficient, mul(*(factor(m) for m in matrices)))
    if expr is None or not isinstance(expr, sp.MatAdd):
        return expr
    terms = list(expr.args)
    for side in (0, -1):
        factored = _factor_side(terms, side)
        if factored is not None:
            return factored
    return expr


# --- rebuilding after a substitution ------------------------------------------------------------------------
def _or_zero(matrix: MatrixExpr | None, shape: tuple) -> MatrixExpr:
    return ZeroMatrix(*shape) if matrix is None else matrix


def tidy(expr: Any) -> Any:
    """The expression rebuilt bottom-up through the constructors above, so that a substitution (dt -> 1, ...)
    leaves no ``1*A``, zero terms or coefficients inside traces.

    >>> import symml
    >>> A = symml.matrix("A", 3, 3); t = sp.Symbol("t")
    >>> tidy(sp.Trace(sp.MatMul(2 * t, A)) + sp.MatMul(1, A, evaluate=False)[0, 0])
    2*t*Trace(A) + A[0, 0]
    """
    if not isinstance(expr, sp.Basic) or not expr.args:
        return expr
    if isinstance(expr, sp.MatMul):
        coefficient, matrices = expr.as_coeff_matrices()
        return _or_zero(scale(tidy(coefficient), mul(*(tidy(m) for m in matrices))), expr.shape)
    if isinstance(expr, sp.MatAdd):
        return _or_zero(add(tidy(term) for term in expr.args), expr.shape)
    if isinstance(expr, HadamardProduct):
        return _or_zero(had(*(tidy(f) for f in expr.args)), expr.shape)
    if isinstance(expr, sp.Trace):
        inner = tidy(expr.arg)
        coefficient, bare = _split_coefficient(inner)
        return sp.S.Zero if isinstance(bare, ZeroMatrix) else coefficient * sp.Trace(bare)
    if isinstance(expr, Scalar):
        return to_scalar(tidy(expr.matrix))
    return expr.func(*(tidy(arg) for arg in expr.args))

"""Losses in index notation (``Sum`` over ``Indexed`` entries) turned into matrix expressions, then derived at
matrix level by :mod:`symml.matrix_calculus`.

The conversion reads the index structure: a factor is tagged by its free indices (``X[i, j]`` is the matrix X
with rows i and columns j); a sum over an index shared by two factors is a matrix product
(Σⱼ wⱼ Xᵢⱼ → Xw, Σᵢ aᵢbᵢ → aᵀb), factors with the same indices multiply entrywise (⊙), a sum over the only index
of a vector is 1ᵀv, and ``log Σₖ exp(Zᵢₖ)`` is the row-wise log-sum-exp. The cost does not depend on the sizes.
Where the index structure has no matrix form (Σᵢ log(1 + Σⱼ exp(wⱼXᵢⱼ))), the loss is differentiated in indices
instead, the Kronecker deltas summed out (:mod:`symml.calculus.kronecker`).

>>> import sympy as sp
>>> i, j = sp.symbols("i j", integer=True)
>>> n, d = sp.symbols("n d", integer=True, positive=True)
>>> w, X, y = sp.IndexedBase("w"), sp.IndexedBase("X"), sp.IndexedBase("y")
>>> loss = sp.Sum((sp.Sum(w[j] * X[i, j], (j, 1, d)) - y[i])**2, (i, 1, n))
>>> gradient(loss, w).result
2*X.T*(X*w - y)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.matrices.expressions import HadamardPower, HadamardProduct

import symml.matrix_calculus as mc
from symml.derivation import Derivation, Step
from symml.errors import ShapeError, UnsupportedOperationError
from symml.calculus.readable import with_softplus
from symml.matrix_calculus.expressions import Sigmoid, Softplus

__all__ = ["to_matrix", "gradient", "hessian", "jacobian", "laplacian", "directional_derivative"]

_ELEMENTWISE = {sp.exp: mc.exp, sp.log: mc.log, Sigmoid: mc.sigmoid, Softplus: mc.softplus, sp.tanh: mc.tanh,
                sp.Abs: mc.abs}


@dataclass(frozen=True)
class _Tagged:
    """A matrix expression whose rows run over index ``row`` and columns over ``col`` (None: size 1)."""

    value: Any
    row: sp.Symbol | None = None
    col: sp.Symbol | None = None

    @property
    def indices(self) -> frozenset:
        return frozenset(i for i in (self.row, self.col) if i is not None)

    def transposed(self) -> "_Tagged":
        return _Tagged(self.value.T, self.col, self.row)

    def oriented(self, row: sp.Symbol | None) -> "_Tagged":
        return self if self.row == row else self.transposed()


class _Converter:
    def __init__(self, expr: sp.Expr) -> None:
        self.sizes: dict[sp.Symbol, Any] = {}
        self.dims: dict[sp.Basic, sp.Symbol] = {}
        self.symbols: dict[str, sp.MatrixSymbol] = {}
        self.rules: list[str] = []
        for node in sp.preorder_traversal(expr):
            if isinstance(node, sp.Sum):
                for index, low, high in node.limits:
                    self.sizes[index] = self._dim(sp.simplify(high - low + 1))

    def _dim(self, size: sp.Expr) -> Any:
        if size.is_Integer:
            return size
        if isinstance(size, sp.Symbol):
            return self.dims.setdefault(size, sp.Symbol(size.name, integer=True, positive=True))
        raise UnsupportedOperationError(f"an index range of size {size} is not a dimension symbol or a number")

    def symbol(self, base: sp.IndexedBase, indices: tuple) -> sp.MatrixSymbol:
        missing = [i for i in indices if i not in self.sizes]
        if missing:
            raise ShapeError(f"the index {missing[0]} of {base} is not summed over: give every index a Sum range")
        shape = (self.sizes[indices[0]], self.sizes[indices[1]] if len(indices) == 2 else 1)
        name = str(base.label)
        found = self.symbols.setdefault(name, sp.MatrixSymbol(name, *shape))
        if tuple(found.shape) != shape:
            raise ShapeError(f"{name} is used with two different shapes, {found.shape} and {shape}")
        return found

    def tag(self, expr: sp.Expr) -> _Tagged:
        if isinstance(expr, sp.Indexed):
            if len(expr.indices) > 2:
                raise UnsupportedOperationError(f"{expr} has more than two indices: no matrix form")
            symbol = self.symbol(expr.base, expr.indices)
            return _Tagged(symbol, *expr.indices) if len(expr.indices) == 2 else _Tagged(symbol, expr.indices[0])
        if not expr.has(sp.Indexed):
            return _Tagged(expr.xreplace(self.dims))
        if isinstance(expr, sp.Sum):
            return self._sum(expr)
        if isinstance(expr, sp.Add):
            return self._add([self.tag(term) for term in expr.args])
        if isinstance(expr, sp.Mul):
            return self._product([self.tag(f) for f in expr.args])
        if isinstance(expr, sp.Pow) and not expr.exp.has(sp.Indexed):
            base = self.tag(expr.base)
            if not base.indices:
                return _Tagged(base.value ** expr.exp)
            self.rules.append("entrywise powers: (aᵢ)ᵖ → a^∘p")
            return _Tagged(mc.power(base.value, expr.exp), base.row, base.col)
        if isinstance(expr, sp.log) and isinstance(expr.args[0], sp.Sum) and isinstance(expr.args[0].function, sp.exp):
            return self._logsumexp(expr.args[0])
        if type(expr) in _ELEMENTWISE or expr.func in _ELEMENTWISE:
            inner = self.tag(expr.args[0])
            if not inner.indices:
                return _Tagged(expr.func(inner.value))
            self.rules.append(f"entrywise functions: {expr.func.__name__.lower()}(aᵢ) → {expr.func.__name__.lower()}(a)")
            return _Tagged(_ELEMENTWISE[expr.func](inner.value), inner.row, inner.col)
        raise UnsupportedOperationError(f"no matrix form for {type(expr).__name__} in index notation ({expr})")

    def _add(self, terms: list[_Tagged]) -> _Tagged:
        shaped = [t for t in terms if t.indices]
        if not shaped and any(isinstance(t.value, sp.MatrixExpr) for t in terms):
            # fully summed terms are 1 x 1 matrices; a number beside them (the 1 of a Dice loss 1 − 2Σtp/(Σt + Σp))
            # is that number times the 1 x 1 matrix of ones
            return _Tagged(sp.MatAdd(*(t.value if isinstance(t.value, sp.MatrixExpr) else t.value * sp.OneMatrix(1, 1)
                                       for t in terms)).doit())
        if not shaped:
            return _Tagged(sp.Add(*(t.value for t in terms)))
        first = max(shaped, key=lambda t: len(t.indices))
        rows, cols = first.value.shape
        out = []
        for t in terms:
            if not t.indices:  # a scalar added to every entry: c 1
                out.append(t.value * sp.OneMatrix(rows, cols))
            elif t.indices < first.indices:  # Yᵢₖuᵢₖ − Yᵢₖ lseᵢ: lseᵢ is the same along k, lse 1ᵀ
                (kept,) = t.indices
                column = t.oriented(kept).value
                self.rules.append("a term without one of the indices is the same along it: aᵢ → a 1ᵀ")
                out.append(column @ sp.OneMatrix(1, cols) if first.row == kept else sp.OneMatrix(rows, 1) @ column.T)
            elif t.indices != first.indices:
                raise UnsupportedOperationError("terms of a sum have different free indices: no matrix form")
            else:
                out.append(t.oriented(first.row).value)
        return _Tagged(sp.MatAdd(*out).doit() if len(out) > 1 else out[0], first.row, first.col)

    def _product(self, factors: list[_Tagged]) -> _Tagged:
        scalar = sp.Mul(*(f.value for f in factors if not f.indices))
        shaped = [f for f in factors if f.indices]
        if not shaped:
            return _Tagged(scalar)
        first = shaped[0]
        if any(f.indices != first.indices for f in shaped):
            raise UnsupportedOperationError("an unsummed product of factors with different indices (an outer "
                                            "product) has no matrix form here")
        values = [f.oriented(first.row).value for f in shaped]
        if len(values) > 1:
            self.rules.append("products with the same indices are entrywise: aᵢbᵢ → a ⊙ b")
        product = HadamardProduct(*values) if len(values) > 1 else values[0]
        return _Tagged(scalar * product if scalar != 1 else product, first.row, first.col)

    def _sum(self, expr: sp.Sum) -> _Tagged:
        body = expr.function
        for index, _, _ in expr.limits:
            body = self._sum_over(body, index)
        return body

    def _sum_over(self, body: Any, index: sp.Symbol) -> _Tagged:
        factors = body.args if isinstance(body, sp.Mul) else (body,)
        if isinstance(body, _Tagged):
            factors = (body,)
        tagged = [f if isinstance(f, _Tagged) else self.tag(f) for f in factors]
        with_index = [f for f in tagged if index in f.indices]
        rest = [f for f in tagged if index not in f.indices]
        groups: dict[frozenset, list[_Tagged]] = {}
        for f in with_index:
            groups.setdefault(f.indices, []).append(f)
        merged = [self._product(group) for group in groups.values()]
        if len(merged) == 1:
            (only,) = merged
            other = next(iter(only.indices - {index}), None)
            oriented = only.oriented(other) if other is not None else only.oriented(index)
            (group,) = groups.values()
            if other is None and len(group) > 1:
                # Σᵢ aᵢbᵢ over the only index is the inner product aᵀb, not 1ᵀ(a ⊙ b): the solvers read a linear
                # term in the unknown from a product (θᵀx), not from a sum of a Hadamard product
                first, *others = group
                self.rules.append("a sum over an index shared by two factors is a matrix product: Σⱼ Xᵢⱼwⱼ → Xw, "
                                  "Σᵢ aᵢbᵢ → aᵀb")
                contracted = _Tagged(first.oriented(index).value.T @ self._product(others).oriented(index).value)
                return self._product([*rest, contracted]) if rest else contracted
            self.rules.append("a sum over one index of a vector is 1ᵀv: Σᵢ aᵢ → 1ᵀa")
            if other is None and isinstance(oriented.value, HadamardPower) and oriented.value.exp == 2:
                self.rules.append("a sum of squares is a squared norm: Σᵢ aᵢ² → aᵀa")
                contracted = _Tagged(mc.sq_norm(oriented.value.base))
            elif other is None:
                contracted = _Tagged(mc.sum(oriented.value))
            else:
                contracted = _Tagged(oriented.value @ sp.OneMatrix(oriented.value.shape[1], 1), other)
        elif len(merged) == 2:
            left, right = merged
            a = next(iter(left.indices - {index}), None)
            b = next(iter(right.indices - {index}), None)
            L = left.oriented(a) if a is not None else left.transposed() if left.row == index else left
            R = right.oriented(index)
            self.rules.append("a sum over an index shared by two factors is a matrix product: Σⱼ Xᵢⱼwⱼ → Xw, "
                              "Σᵢ aᵢbᵢ → aᵀb")
            contracted = _Tagged(L.value @ R.value, a, b)
        else:
            raise UnsupportedOperationError(f"a sum over {index} of {len(merged)} factors with different indices "
                                            "has no matrix form")
        return self._product([*rest, contracted]) if rest else contracted

    def _logsumexp(self, inner: sp.Sum) -> _Tagged:
        (index, _, _), = inner.limits
        exponent = self.tag(inner.function.args[0])
        other = next(iter(exponent.indices - {index}), None)
        self.rules.append("log Σₖ exp(Zᵢₖ) is the log-sum-exp along each row")
        if other is None:
            return _Tagged(mc.logsumexp(exponent.oriented(index).value))
        return _Tagged(mc.logsumexp(exponent.oriented(other).value, axis=1), other)


def _logistic_named(expr: sp.Expr) -> sp.Expr:
    """1/(1 + e⁻ᵘ) written σ(u) and log(1 + eᵘ) softplus(u): the matrix form then has the stable sigmoid and
    softplus nodes (exp(−y ⊙ Xw) of a logit of 1000 overflowed to inf/inf in numpy())."""
    expr = expr.replace(lambda e: isinstance(e, sp.Pow) and e.exp == -1 and isinstance(e.base - 1, sp.exp),
                        lambda e: Sigmoid(-(e.base - 1).args[0]))
    return with_softplus(expr)


def _is_exp_sum(node: Any) -> bool:
    return isinstance(node, sp.Sum) and isinstance(node.function, sp.exp)


def _is_log_softmax(node: sp.Basic) -> bool:
    """log(e^{u_k} / Σⱼ e^{u_j}), the log of a softmax written out as notes write the cross-entropy."""
    if not isinstance(node, sp.log) or not isinstance(node.args[0], sp.Mul):
        return False
    factors = node.args[0].args
    return any(isinstance(f, sp.Pow) and f.exp == -1 and _is_exp_sum(f.base) for f in factors) and all(
        isinstance(f, sp.exp) or isinstance(f, sp.Pow) and f.exp == -1 and _is_exp_sum(f.base) for f in factors)


def _log_softmax_split(node: sp.log) -> sp.Expr:
    """log(e^{u_k} / Σⱼ e^{u_j}) = u_k − log Σⱼ e^{u_j}: every factor is positive, and the log-sum-exp is then the
    stable matrix node (the ratio kept as (Σ exp(z))⁻¹ exp(z) overflowed to nan at a logit of 1000)."""
    return sp.Add(*(f.args[0] if isinstance(f, sp.exp) else -sp.log(f.base) for f in node.args[0].args))


def to_matrix(expr: sp.Expr) -> tuple[Any, dict[str, sp.MatrixSymbol], list[str]]:
    """(the matrix expression, the matrix symbol of each indexed base, the conversion rules used)."""
    expr = _logistic_named(expr).replace(_is_log_softmax, _log_softmax_split)
    converter = _Converter(expr)
    tagged = converter.tag(expr)
    if tagged.indices:
        raise ShapeError(f"the loss has free indices {sorted(map(str, tagged.indices))}: sum over every index")
    value = tagged.value
    if not isinstance(value, sp.MatrixExpr):
        raise UnsupportedOperationError(f"{expr} does not involve indexed entries")
    return value, converter.symbols, list(dict.fromkeys(converter.rules))


def _in_indices(result: Any, shape_indices: tuple) -> sp.Expr | None:
    """Entry (k[, m]) of a matrix result written with the original IndexedBase names (summation indices from 0,
    as in NumPy), or None where SymPy cannot write the entries of a node of symbolic size (log-sum-exp)."""
    if any(dim.is_Integer and dim > 10 for m in result.atoms(sp.MatrixSymbol) for dim in m.shape):
        return None  # SymPy writes the sums of entries of numeric size term by term: the cost would grow with d
    try:
        entry = result._entry(*shape_indices)
    except (ValueError, NotImplementedError, AttributeError, TypeError):
        return None
    entry = entry.replace(lambda e: isinstance(e, sp.matrices.expressions.matexpr.MatrixElement),
                          lambda e: sp.IndexedBase(e.parent.name)[e.i] if e.parent.shape[1] == 1
                          else sp.IndexedBase(e.parent.name)[e.i, e.j])
    # SymPy names the summation dummies of nested entries alike (i_1 twice); distinct names for the reader
    dummies = sorted(entry.atoms(sp.Dummy), key=lambda s: s.dummy_index)
    names = iter(["i", "j", "l", "p", "q", "r", "t", "u"] + [f"i_{n}" for n in range(len(dummies))])
    return entry.xreplace({dummy: sp.Symbol(next(names), integer=True) for dummy in dummies})


def _derive(kind: str, expr: Any, wrt: Any) -> Derivation:
    if not isinstance(wrt, (sp.IndexedBase, sp.Indexed)):
        raise ShapeError(f"differentiate an indexed loss with respect to an IndexedBase such as w, not {wrt!r}")
    base = wrt.base if isinstance(wrt, sp.Indexed) else wrt
    name = str(base.label)
    try:
        matrix_form, symbols, rules = to_matrix(sp.sympify(expr))
        if name not in symbols:
            raise ShapeError(f"{name} does not appear in the loss")
        W = symbols[name]
        derived = getattr(mc, kind)(matrix_form, W)
    except UnsupportedOperationError as no_matrix_form:
        return _in_indices_instead(kind, expr, base, no_matrix_form)
    k, m = sp.symbols("k m", integer=True)
    indices = (k, sp.S.Zero) if kind == "gradient" else (k, m)
    shown_in_indices = _in_indices(derived.result, indices) if len(W.shape) and W.shape[1] == 1 else None
    lhs = sp.Derivative(sp.Symbol("L"), sp.IndexedBase(name)[k]) if kind == "gradient" else \
        sp.Derivative(sp.Symbol("L"), sp.IndexedBase(name)[k], sp.IndexedBase(name)[m])
    steps = [Step("Index notation", sp.Eq(sp.Symbol("L"), expr, evaluate=False), "the loss as written"),
             Step("Matrix form", sp.Eq(sp.Symbol("L"), matrix_form, evaluate=False), "; ".join(rules)),
             *derived.steps]
    summary = list(derived.summary)
    remarks = list(derived.remarks)
    if shown_in_indices is not None:
        in_indices = sp.Eq(lhs, shown_in_indices, evaluate=False)
        steps.append(Step("In index notation", in_indices,
                          "the matrix result's entries with the sums written out (indices from 0, as in NumPy)"))
        summary.append(in_indices)
    else:
        remarks.append("The result is shown in matrix notation only: its entries have no short index form here.")
    return Derivation(problem=derived.problem, steps=tuple(steps), result=derived.result, summary=tuple(summary),
                      assumptions=derived.assumptions, remarks=tuple(remarks))


def _in_indices_instead(kind: str, expr: Any, base: sp.IndexedBase, reason: UnsupportedOperationError) -> Derivation:
    """The derivative taken in indices (Kronecker deltas summed out) where the loss has no matrix form; the
    conversion's own error stands where that is not possible either (w absent, or not a vector)."""
    from symml.calculus import kronecker

    try:
        return getattr(kronecker, kind)(expr, base, reason=str(reason))
    except ShapeError:
        raise reason from None


def gradient(expr: Any, wrt: Any) -> Derivation:
    """The gradient of an indexed loss w.r.t. the vector ``wrt`` (an IndexedBase): the vector of ∂L/∂wₖ,
    derived at matrix level after the conversion, shown in both notations; where the index structure has no
    matrix form, differentiated in indices (:mod:`symml.calculus.kronecker`)."""
    return _derive("gradient", expr, wrt)


def hessian(expr: Any, wrt: Any) -> Derivation:
    """The Hessian ∂²L/∂wₖ∂wₘ of an indexed loss, derived at matrix level, shown in both notations."""
    return _derive("hessian", expr, wrt)


def _only_gradient_and_hessian(kind: str) -> UnsupportedOperationError:
    return UnsupportedOperationError(
        f"the {kind} of a loss in index notation with respect to an IndexedBase is not available (gradient and "
        "hessian are); write the function with symml.matrix and symml.vector for its matrix-level " + kind)


def jacobian(expr: Any, wrt: Any) -> Derivation:
    """Refused with a clear error: index notation serves gradients and Hessians."""
    raise _only_gradient_and_hessian("Jacobian")


def laplacian(expr: Any, wrt: Any) -> Derivation:
    """Refused with a clear error: index notation serves gradients and Hessians."""
    raise _only_gradient_and_hessian("Laplacian")


def directional_derivative(expr: Any, wrt: Any, direction: Any) -> Derivation:
    """Refused with a clear error: index notation serves gradients and Hessians."""
    raise _only_gradient_and_hessian("directional derivative")

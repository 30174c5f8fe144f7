"""The differential dF of a matrix expression F with respect to one matrix symbol W, by the rules of matrix calculus.

The differential is itself a matrix expression, linear in ``dW`` (:class:`MatrixDifferential`), of the same shape as
``F``; nothing is expanded into components, so the cost does not depend on the sizes. Each rule used is
recorded once, with its instance in this expression and its source, for the derivation's steps.

Rules (Petersen & Pedersen, *The Matrix Cookbook*, 2012, eqs. 36-44): d(A + B) = dA + dB, d(AB) = dA B + A dB,
d(Aᵀ) = (dA)ᵀ, d tr A = tr dA, d A⁻¹ = −A⁻¹ dA A⁻¹, d det A = det A tr(A⁻¹ dA), d log det A = tr(A⁻¹ dA),
d(A ⊙ B) = dA ⊙ B + A ⊙ dB, d(A ⊗ B) = dA ⊗ B + A ⊗ dB; elementwise functions by the chain rule
d f(A) = f'(A) ⊙ dA; d softmax(v) = s ⊙ dv − s sᵀ dv and d logsumexp(v) = sᵀ dv with s = softmax(v).

>>> import symml
>>> n, d = symml.dims("n d")
>>> X = symml.matrix("X", n, d); w = symml.vector("w", d)
>>> rules = Rules()
>>> differential(symml.sigmoid(X @ w), w, rules)
HadamardProduct(sigmoid(X*w), -sigmoid(X*w) + 1, X*dw)
"""
from __future__ import annotations

import functools
from typing import Any, Callable

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

from symml.derivation import Step
from symml.errors import UnsupportedOperationError
from symml.matrix_calculus.dag import depends_on, distinct_nodes
from symml.matrix_calculus.algebra import add, had, mul, scalar_atoms, scale, to_scalar, transpose
from symml.matrix_calculus.expressions import (
    Det,
    Elementwise,
    EntrySum,
    LogDet,
    LogSumExp,
    LogSumExpAlong,
    Softmax,
    ReLU,
    Tr,
    elementwise_name,
    power,
)
from symml.matrix_calculus.operators import MatrixDifferential, PowerSum, Vec, power_sum

__all__ = ["Rules", "DifferentialOf", "differential", "scalar_differential", "scalar_differential_symbol",
           "subgradient_used"]


class DifferentialOf(MatrixExpr):
    """d(F) written out, for display in a derivation step (not evaluated)."""

    def __new__(cls, arg: Any) -> "DifferentialOf":
        return super().__new__(cls, arg)

    @property
    def shape(self) -> tuple:
        return getattr(self.args[0], "shape", (sp.S.One, sp.S.One))

    def _is_name(self) -> bool:
        return isinstance(self.args[0], (sp.Symbol, sp.MatrixSymbol))

    def _sympystr(self, printer: Any) -> str:
        inner = printer._print(self.args[0])
        return f"d{inner}" if self._is_name() else f"d({inner})"

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        inner = printer._print(self.args[0])
        if not self._is_name():
            inner = prettyForm(*inner.parens())
        return prettyForm(*inner.left("d"))


class Rules:
    """The rules used while differentiating: one record per rule, with its simplest instance in this expression."""

    def __init__(self) -> None:
        self.used: dict[str, tuple[str, Any]] = {}
        self._instances: dict[str, tuple[int, Any]] = {}
        self._sizes: dict[Any, int] = {}
        # d of each distinct node, computed once: a result reuses subexpressions (f and 1 − f² of one layer), and
        # differentiating it again must not expand that DAG into a tree.
        self.memo: dict[Any, Any] = {}

    def note(self, rule: str, source: str, node: Any, result: Any) -> None:
        # The order SymPy keeps the terms of a sum in changes with Python's hash seed, so "the first instance met"
        # would print a different derivation in each process: the smallest instance instead (ties by SymPy's
        # canonical sort key, computed only for ties).
        size, held = self._size(node), self._instances.get(rule)
        key = sp.default_sort_key
        if held is None or size < held[0] or (size == held[0] and key(node) < key(held[1])):
            self._instances[rule] = (size, node)
            self.used[rule] = (source, sp.Eq(DifferentialOf(node), result, evaluate=False))

    def _size(self, node: Any) -> int:
        """Nodes in the expression tree of ``node`` (a shared subexpression counted where it appears), computed once
        per distinct subexpression: a layered expression shares its inner layers, and walking them again for every
        node would cost the square of the depth."""
        size = self._sizes.get(node)
        if size is None:
            size = self._sizes[node] = 1 + sum(self._size(arg) for arg in node.args)
        return size

    def steps(self) -> list[Step]:
        """One step per rule used, the simplest instances first (inner pieces before what is built of them)."""
        def order(rule: str) -> tuple:
            size, node = self._instances[rule]
            return size, sp.default_sort_key(node)

        return [Step(f"Differential rule: {rule}", equation, source)
                for rule, (source, equation) in sorted(self.used.items(), key=lambda item: order(item[0]))]


def _depends(expr: Any, W: sp.MatrixSymbol) -> bool:
    return depends_on(expr, W)


def _zero_or_none(expr: Any) -> Any:
    return None if expr is None or isinstance(expr, ZeroMatrix) else expr


def _lift(scalar: sp.Expr, t: sp.Symbol, A: MatrixExpr) -> MatrixExpr | None:
    """The scalar function ``scalar(t)`` applied elementwise to ``A``: sums -> sums, products -> ⊙, f(t) -> f(A)."""
    if scalar == t:
        return A
    if not scalar.has(t):
        return scale(scalar, OneMatrix(*A.shape))
    if isinstance(scalar, sp.DiracDelta):  # the derivative of sign or of a step: zero almost everywhere
        return None
    if scalar.is_Add:
        return add(_lift(term, t, A) for term in scalar.args)
    if scalar.is_Mul:
        coefficient, rest = scalar.as_independent(t, as_Add=False)
        factors = [_lift(f, t, A) for f in rest.as_ordered_factors()] if rest.is_Mul else [_lift(rest, t, A)]
        factors.sort(key=lambda f: isinstance(f, sp.MatAdd))  # σ(A) ⊙ (1 − σ(A)), as written by hand
        return scale(coefficient, had(*factors))
    if scalar.is_Pow and not scalar.exp.has(t):
        return power(_lift(scalar.base, t, A), scalar.exp)
    name = elementwise_name(scalar)
    if name is not None:
        return Elementwise(name, _lift(scalar.args[0], t, A))
    if isinstance(scalar, sp.Function) and len(scalar.args) == 1:  # sin, cos, tan ...: SymPy's elementwise node
        u = sp.Dummy("u", real=True)
        return ElementwiseApplyFunction(sp.Lambda(u, scalar.func(u)), _lift(scalar.args[0], t, A))
    return ElementwiseApplyFunction(sp.Lambda(t, scalar), A)


def subgradient_used(expr: Any) -> bool:
    """Whether differentiating ``expr`` uses a subgradient (abs, relu, sign or a step)."""
    return any(
        (isinstance(node, Elementwise) and node.name in ("abs", "relu", "sign", "step"))
        or isinstance(node, (sp.Abs, sp.sign, sp.Heaviside))
        or isinstance(node, ReLU)
        for node in distinct_nodes(expr)
    )


_SUBGRADIENT_NOTE = {"abs": "subgradient; sign(0) taken as 0", "relu": "subgradient; H(0) taken as 0"}


# The variable of the scalar functions applied elementwise: one for all, so that each function's derivative is
# taken once (a fresh variable per node made SymPy redo it, and its assumption queries, for every layer).
_T = sp.Dummy("t", real=True)


@functools.lru_cache(maxsize=256)
def _scalar_derivative(scalar: sp.Expr) -> sp.Expr:
    return sp.diff(scalar, _T)


def _elementwise_rule(node: Any, dA: MatrixExpr, rules: Rules) -> MatrixExpr | None:
    t = _T
    scalar = node.scalar(t) if isinstance(node, Elementwise) else node.function(t)
    name = node.name if isinstance(node, Elementwise) else getattr(scalar.func, "__name__", "f")
    derivative = _lift(_scalar_derivative(scalar), t, node.arg if isinstance(node, Elementwise) else node.expr)
    result = had(derivative, dA) if derivative is not None else None
    note = _SUBGRADIENT_NOTE.get(name, "chain rule through an elementwise function")
    rules.note(f"elementwise {name}", f"$\\mathrm{{d}}f(A) = f'(A) \\odot \\mathrm{{d}}A$, {note}", node, result if result is not None else 0)
    return result


def differential(expr: Any, W: sp.MatrixSymbol, rules: Rules) -> MatrixExpr | None:
    """dF for a matrix expression F (any shape), linear in d``W``; None when F does not depend on ``W``."""
    if expr in rules.memo:
        return rules.memo[expr]
    rules.memo[expr] = result = _differential(expr, W, rules)
    return result


def _differential(expr: Any, W: Any, rules: Rules) -> MatrixExpr | None:
    if not _depends(expr, W):
        return None
    if expr == W:
        return MatrixDifferential.of(W)
    rule = _MATRIX_RULES.get(type(expr))
    if rule is None:
        for kind, candidate in _MATRIX_RULES.items():
            if isinstance(expr, kind):
                rule = candidate
                break
    if rule is None:
        raise UnsupportedOperationError(f"no differentiation rule for {type(expr).__name__} ({expr})")
    return _zero_or_none(rule(expr, W, rules))


def scalar_differential(expr: sp.Expr, W: sp.MatrixSymbol, rules: Rules) -> sp.Expr:
    """d of a scalar expression (its matrix atoms Scalar, Trace, Determinant): SymPy's chain rule outside them."""
    total = sp.S.Zero
    atoms = scalar_atoms(expr)
    if isinstance(W, sp.Symbol):  # a scalar variable may also appear outside the matrix atoms: d f = f_t dt + ...
        frozen = {atom: sp.Dummy("a") for atom in atoms}
        outside = sp.diff(expr.xreplace(frozen), W).xreplace({u: atom for atom, u in frozen.items()})
        total += outside * scalar_differential_symbol(W)
    for atom in atoms:
        if not _depends(atom, W):
            continue
        u = sp.Dummy("u", real=True)
        outer = sp.diff(expr.xreplace({atom: u}), u).xreplace({u: atom})
        if outer != 0:
            total += outer * _atom_differential(atom, W, rules)
    if expr.has(W) and not atoms and not isinstance(W, sp.Symbol):
        raise UnsupportedOperationError(f"{expr} depends on {W} outside a matrix expression")
    return total


class ScalarDifferential(sp.Symbol):
    """The differential dt of a scalar variable t, printed as d t (dθ, not "dtheta")."""

    @property
    def base(self) -> sp.Symbol:
        """The variable t whose differential this is."""
        return sp.Symbol(self.name[1:])


def scalar_differential_symbol(t: sp.Symbol) -> sp.Symbol:
    """dt, the differential of a scalar variable t: every differential with respect to t is linear in it."""
    return ScalarDifferential("d" + t.name, real=True)


def _atom_differential(atom: sp.Expr, W: sp.MatrixSymbol, rules: Rules) -> sp.Expr:
    if isinstance(atom, sp.Trace):
        inner = differential(atom.arg, W, rules)
        rules.note("trace", "$\\mathrm{d} \\operatorname{tr} A = \\operatorname{tr} \\mathrm{d}A$ (Matrix Cookbook (36))", Tr(atom.arg), Tr(inner))
        return sp.S.Zero if inner is None else sp.Trace(inner)
    if isinstance(atom, sp.Determinant):
        A = atom.arg
        inner = differential(A, W, rules)
        trace = sp.Trace(mul(sp.Inverse(A), inner))
        rules.note("det", "$\\mathrm{d} \\det A = \\det A \\operatorname{tr}(A^{-1} \\mathrm{d}A)$ (Matrix Cookbook (42))", Det(A), Tr(mul(sp.Inverse(A), inner)))
        return atom * trace
    inner = differential(atom.matrix, W, rules)
    return sp.S.Zero if inner is None else to_scalar(inner)


# --- the rule for each kind of node -------------------------------------------------------------------
def _add_rule(expr: sp.MatAdd, W: Any, rules: Rules) -> Any:
    return add(differential(term, W, rules) for term in expr.args)


def _product_rule(expr: sp.MatMul, W: Any, rules: Rules) -> Any:
    coefficient, matrices = expr.as_coeff_matrices()
    matrices = list(matrices)
    terms = []
    if depends_on(coefficient, W):
        terms.append(scale(scalar_differential(coefficient, W, rules), mul(*matrices)))
    for i, factor_ in enumerate(matrices):
        d_factor = differential(factor_, W, rules)
        if d_factor is not None:
            terms.append(scale(coefficient, mul(*matrices[:i], d_factor, *matrices[i + 1:])))
    result = add(terms)
    if sum(1 for m in matrices if depends_on(m, W)) > 1:
        rules.note("product", "product rule $\\mathrm{d}(AB) = \\mathrm{d}A \\, B + A \\, \\mathrm{d}B$ (Matrix Cookbook (37))", expr, result)
    return result


def _transpose_rule(expr: sp.Transpose, W: Any, rules: Rules) -> Any:
    return transpose(differential(expr.arg, W, rules))


def _inverse_rule(expr: sp.Inverse, W: Any, rules: Rules) -> Any:
    result = scale(-1, mul(expr, differential(expr.arg, W, rules), expr))
    rules.note("inverse", "$\\mathrm{d}A^{-1} = -A^{-1} \\mathrm{d}A \\, A^{-1}$ (Matrix Cookbook (40))", expr, result)
    return result


def _hadamard_rule(expr: HadamardProduct, W: Any, rules: Rules) -> Any:
    factors = list(expr.args)
    result = add(had(*factors[:i], differential(f, W, rules), *factors[i + 1:]) for i, f in enumerate(factors))
    rules.note("hadamard", "$\\mathrm{d}(A \\odot B) = \\mathrm{d}A \\odot B + A \\odot \\mathrm{d}B$ (Matrix Cookbook (38))", expr, result)
    return result


def _kronecker_rule(expr: KroneckerProduct, W: Any, rules: Rules) -> Any:
    factors = list(expr.args)
    terms = []
    for i, f in enumerate(factors):
        d_factor = differential(f, W, rules)
        if d_factor is not None:
            terms.append(KroneckerProduct(*factors[:i], d_factor, *factors[i + 1:]))
    result = add(terms)
    rules.note("kronecker", "$\\mathrm{d}(A \\otimes B) = \\mathrm{d}A \\otimes B + A \\otimes \\mathrm{d}B$ (Matrix Cookbook (39))", expr, result)
    return result


def _power_rule(expr: HadamardPower, W: Any, rules: Rules) -> Any:
    base, exponent = expr.args
    result = had(scale(exponent, power(base, exponent - 1)), differential(base, W, rules))
    if exponent.has(W):  # d(A^∘p) also moves with p: A^∘p ⊙ log(A) dp
        dp = scalar_differential(exponent, W, rules)
        result = add([result, scale(dp, had(Elementwise("log", base), expr))])
    rules.note(f"power {exponent}", "$\\mathrm{d}A^{\\circ p} = p A^{\\circ (p-1)} \\odot \\mathrm{d}A$, chain rule through an elementwise power", expr, result)
    return result


def _elementwise_node_rule(expr: Elementwise, W: Any, rules: Rules) -> Any:
    if expr.name == "log" and isinstance(expr.arg, Softmax):
        return _log_softmax_rule(expr, W, rules)
    return _elementwise_rule(expr, differential(expr.arg, W, rules), rules)


def _log_softmax_rule(expr: Elementwise, W: Any, rules: Rules) -> Any:
    """d log softmax(v) = dv − 1 sᵀdv: the chain rule through log and softmax would divide by s, which
    underflows to 0 for large logits (and leaves diag(s)⁻¹ in the result)."""
    softmax = expr.arg
    dA = differential(softmax.arg, W, rules)
    if dA is None:
        return None
    rows, cols = softmax.shape
    if cols == 1 and softmax.axis == 0:
        result = add([dA, scale(-1, mul(OneMatrix(rows, 1), softmax.T, dA))])
    else:
        weighted = had(softmax, dA)
        line_sums = mul(weighted, OneMatrix(cols, 1), OneMatrix(1, cols)) if softmax.axis == 1 else \
            mul(OneMatrix(rows, 1), OneMatrix(1, rows), weighted)
        result = add([dA, scale(-1, line_sums)])
    rules.note("log softmax", "$\\mathrm{d} \\log \\operatorname{softmax}(v) = \\mathrm{d}v - \\mathbf{1} s^{\\top} \\mathrm{d}v$ "
               "with $s = \\operatorname{softmax}(v)$: log softmax(v) = v − logsumexp(v) (on each line of a matrix)",
               expr, result)
    return result


def _linear_rule(wrap: Callable[[Any], Any], rule: str, source: str) -> Callable[..., Any]:
    def apply(expr: Any, W: Any, rules: Rules) -> Any:
        inner = differential(expr.args[0], W, rules)
        result = None if inner is None else wrap(inner)
        if result is not None and source:
            rules.note(rule, source, expr, result)
        return result

    return apply


def _det_rule(expr: Det, W: Any, rules: Rules) -> Any:
    A = expr.arg
    result = mul(expr, Tr(mul(sp.Inverse(A), differential(A, W, rules))))
    rules.note("det", "$\\mathrm{d} \\det A = \\det A \\operatorname{tr}(A^{-1} \\mathrm{d}A)$ (Matrix Cookbook (42))", expr, result)
    return result


def _logdet_rule(expr: LogDet, W: Any, rules: Rules) -> Any:
    A = expr.arg
    result = Tr(mul(sp.Inverse(A), differential(A, W, rules)))
    rules.note("logdet", "$\\mathrm{d} \\log\\det A = \\operatorname{tr}(A^{-1} \\mathrm{d}A)$ (Matrix Cookbook (43))", expr, result)
    return result


def _softmax_rule(expr: Softmax, W: Any, rules: Rules) -> Any:
    dA = differential(expr.arg, W, rules)
    if expr.arg.shape[1] == 1 and expr.axis == 0:  # a column vector: ds = s ⊙ dv − s sᵀ dv
        result = add([had(expr, dA), scale(-1, mul(expr, expr.T, dA))])
        rules.note("softmax", "$\\mathrm{d} \\operatorname{softmax}(v) = s \\odot \\mathrm{d}v - s s^{\\top} \\mathrm{d}v$ with $s = \\operatorname{softmax}(v)$: quotient rule on $\\exp(v) / \\mathbf{1}^{\\top} \\exp(v)$",
                   expr, result)
        return result
    weighted = had(expr, dA)
    rows, cols = expr.shape
    line_sums = mul(weighted, OneMatrix(cols, 1), OneMatrix(1, cols)) if expr.axis == 1 else \
        mul(OneMatrix(rows, 1), OneMatrix(1, rows), weighted)
    result = add([weighted, scale(-1, had(expr, line_sums))])
    rules.note("softmax", "$\\mathrm{d} \\operatorname{softmax}(A) = S \\odot \\mathrm{d}A - S \\odot$ (sums of $S \\odot \\mathrm{d}A$ along the axis, broadcast): the vector rule on "
               "each line", expr, result)
    return result


def _logsumexp_rule(expr: LogSumExp, W: Any, rules: Rules) -> Any:
    dA = differential(expr.arg, W, rules)
    if expr.arg.shape[1] == 1:
        result = mul(Softmax(expr.arg).T, dA)
    else:
        result = EntrySum(had(_softmax_of_all(expr.arg), dA))
    rules.note("logsumexp", "$\\mathrm{d} \\operatorname{logsumexp}(v) = \\operatorname{softmax}(v)^{\\top} \\mathrm{d}v$: chain rule through log and exp", expr, result)
    return result


def _softmax_of_all(A: Any) -> Any:
    """exp(A) / sum(exp(A)) over all entries, written with the nodes at hand: exp(A − logsumexp(A))."""
    return Elementwise("exp", add([A, scale(-1, mul(OneMatrix(A.shape[0], 1), LogSumExp(A), OneMatrix(1, A.shape[1])))]))


def _logsumexp_along_rule(expr: LogSumExpAlong, W: Any, rules: Rules) -> Any:
    weighted = had(Softmax(expr.arg, expr.axis), differential(expr.arg, W, rules))
    rows, cols = expr.arg.shape
    result = mul(weighted, OneMatrix(cols, 1)) if expr.axis == 1 else mul(OneMatrix(1, rows), weighted)
    rules.note("logsumexp along an axis", "$\\mathrm{d} \\operatorname{logsumexp}(A) = (\\operatorname{softmax}(A) \\odot \\mathrm{d}A)$ summed along the axis: the vector "
               "rule on each line", expr, result)
    return result


def _matrix_power_rule(expr: sp.MatPow, W: Any, rules: Rules) -> Any:
    base, exponent = expr.args
    if tuple(base.shape) == (1, 1):  # a power of a scalar such as (xᵀy)^(1/2): the scalar chain rule
        value = to_scalar(base)
        if exponent.has(W):
            raise UnsupportedOperationError(f"the exponent of {expr} depends on {W}")
        result = scale(exponent * value ** (exponent - 1), differential(base, W, rules))
        rules.note("power of a scalar", "d(s^p) = p s^(p−1) ds for a 1 x 1 s", expr, result)
        return result
    if exponent.has(W):
        raise UnsupportedOperationError(f"the exponent of {expr} depends on {W}")
    if exponent.is_Integer and exponent != 0:
        factor_ = base if exponent > 0 else sp.Inverse(base)
        return _product_rule(sp.MatMul(*[factor_] * int(abs(exponent)), evaluate=False), W, rules)
    if exponent.is_number or exponent.is_integer is False or exponent.is_positive is False:
        raise UnsupportedOperationError(f"only integer matrix powers are differentiated, not {expr}")
    result = power_sum(base, exponent, differential(base, W, rules))
    rules.note("matrix power", "d(Bᵏ) = Σ_{r=0}^{k−1} Bʳ dB B^(k−1−r) for an integer k ≥ 1 (product rule, k factors)",
               expr, result)
    return result


def _applyfunc_rule(expr: ElementwiseApplyFunction, W: Any, rules: Rules) -> Any:
    t = sp.Dummy("t")
    if expr.function(t).has(W):
        raise UnsupportedOperationError(f"the elementwise function of {expr} depends on {W}")
    return _elementwise_rule(expr, differential(expr.expr, W, rules), rules)


def _power_sum_rule(expr: PowerSum, W: Any, rules: Rules) -> Any:
    if expr.base.has(W):
        raise UnsupportedOperationError(f"the second differential of a symbolic matrix power ({expr}) is not supported")
    return power_sum(expr.base, expr.exponent, differential(expr.middle, W, rules))


def _constant_rule(expr: Any, W: Any, rules: Rules) -> Any:
    return None


_MATRIX_RULES: dict[type, Callable[..., Any]] = {
    sp.MatAdd: _add_rule,
    sp.MatMul: _product_rule,
    sp.Transpose: _transpose_rule,
    sp.Inverse: _inverse_rule,
    HadamardProduct: _hadamard_rule,
    KroneckerProduct: _kronecker_rule,
    HadamardPower: _power_rule,
    sp.MatPow: _matrix_power_rule,
    Elementwise: _elementwise_node_rule,
    ElementwiseApplyFunction: _applyfunc_rule,
    EntrySum: _linear_rule(EntrySum, "sum", ""),
    Tr: _linear_rule(Tr, "trace", "$\\mathrm{d} \\operatorname{tr} A = \\operatorname{tr} \\mathrm{d}A$ (Matrix Cookbook (36))"),
    DiagMatrix: _linear_rule(DiagMatrix, "diag", "$\\mathrm{d} \\operatorname{diag}(v) = \\operatorname{diag}(\\mathrm{d}v)$: diag is linear"),
    DiagonalOf: _linear_rule(DiagonalOf, "diag", "$\\mathrm{d} \\operatorname{diag}(A) = \\operatorname{diag}(\\mathrm{d}A)$: diag is linear"),
    Vec: _linear_rule(Vec, "vec", ""),
    PowerSum: _power_sum_rule,
    Det: _det_rule,
    LogDet: _logdet_rule,
    Softmax: _softmax_rule,
    LogSumExp: _logsumexp_rule,
    LogSumExpAlong: _logsumexp_along_rule,
    sp.MatrixSymbol: _constant_rule,
    Identity: _constant_rule,
    OneMatrix: _constant_rule,
    ZeroMatrix: _constant_rule,
}

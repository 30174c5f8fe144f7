"""Matrix expressions -> NumPy functions at matrix level: ``@`` for products, no loops over the dimensions.

The generated code is straight-line: each distinct subexpression is computed once (common subexpressions
are shared by construction). Products are folded from the side of the thinner end (``Xᵀ(Xw)``, never
``(XᵀX)w``); ``diag(v) @ A`` becomes ``v * A`` (broadcasting, never an n x n matrix); ``A⁻¹ B`` becomes
``np.linalg.solve(A, B)``; ``log det`` is ``slogdet``; softplus is ``max(z, 0) + log1p(e^−|z|)``, sigmoid is
``scipy.special.expit`` (both of one z sharing e^−|z| where the code needs both), log-sum-exp is shifted
(``scipy.special.logsumexp``), ``log σ(z) = −softplus(−z)``; ``tr(AB)`` is ``sum(A * Bᵀ)``. Vectors are handled as
columns inside; 1 x 1 expressions are (1, 1) arrays.

Structure read off the expression (issue 17): ``Aᵀ A`` and ``Aᵀ diag(v) A`` with v ≥ 0 by its entry bounds are
symmetric rank-k updates (:func:`~symml.matrix_calculus.numpy_kernels.gram`), contracted first in a chain
(Σ⁻¹ DᵀD Σ⁻¹); ``1 μᵀ`` in a sum broadcasts; ``Aᵀ r(A v)`` is summed over blocks of rows, and results that are
all sums over the rows of the data (a GLM's value, gradient and Hessian) in one pass over them
(:mod:`~symml.matrix_calculus.row_blocks`). Calls go through :mod:`~symml.matrix_calculus.numpy_call`, vectors
1-D where the kernel allows (:mod:`~symml.matrix_calculus.flat_vectors`); ``backend="jax"`` runs the same code by
JAX (:mod:`~symml.matrix_calculus.jax_export`); a derivation's ``numpy()`` is :mod:`~symml.matrix_calculus.numpy_operation`.

>>> import numpy as np, symml
>>> n, d = symml.dims("n d")
>>> X = symml.matrix("X", n, d); w = symml.vector("w", d)
>>> f = numpy_function(symml.diag(symml.sigmoid(X @ w)) @ X, [X, w])
>>> f(X=np.ones((4, 2)), w=np.zeros(2)).shape
(4, 2)
"""
from __future__ import annotations

import keyword
import re
from collections import Counter
from typing import Any, Callable, Iterable, Sequence

import numpy as np
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
from sympy.printing.numpy import NumPyPrinter

from symml.errors import UnsupportedOperationError
from symml.matrix_calculus.algebra import Scalar
from symml.matrix_calculus.expressions import (
    Det,
    Elementwise,
    EntrySum,
    LogDet,
    LogSumExp,
    LogSumExpAlong,
    Softmax,
    Tr,
    is_matrix,
)
from symml.matrix_calculus.dag import atoms_of, distinct_nodes
from symml.matrix_calculus.entry_bounds import is_nonnegative
from symml.matrix_calculus.flat_vectors import flat_safe
from symml.matrix_calculus.norm_forms import QuadraticForm, carriers, norm_power, quadratic_form, rescaled_term
from symml.matrix_calculus.numpy_call import numpy_call
from symml.matrix_calculus.numpy_kernels import (
    commutation,
    gram,
    power_sum,
    row_blocked,
    row_blocking_pays,
    row_summed,
    row_summing_pays,
    softplus,
    softplus_and_sigmoid,
)
from symml.matrix_calculus.row_blocks import one_pass_over_rows, row_wise_factor
from symml.matrix_calculus.scaled_grams import regularised_gram, solved_at_scale
from symml.matrix_calculus.operators import Commutation, DiagSelector, PowerSum, Vec

__all__ = ["numpy_function", "numpy_source"]

#: entries beyond which a Gram matrix is formed from the data scaled (:mod:`scaled_grams`): squares of 1e100 summed
#: over up to 1e100 rows stay finite, and below it the data are not copied
_GRAM_SAFE = 1e100

Pays = Callable[[np.ndarray], bool]  # whether summing over blocks of rows pays, for a matrix of this shape

_ELEMENTWISE = {
    "exp": "np.exp({})", "log": "np.log({})", "sigmoid": "_expit({})", "softplus": "_softplus({})",
    "tanh": "np.tanh({})", "abs": "np.abs({})", "relu": "np.maximum({}, 0.0)", "sign": "np.sign({})",
    "step": "np.heaviside({}, 0.0)",
}


# Nodes of one matrix argument, as NumPy code around the argument's value; 1 x 1 results stay (1, 1) arrays.
_ONE_ARGUMENT = {
    EntrySum: "{}.sum(keepdims=True)",  # the method: np.sum's dispatch cost 1-3 us, a third of a value at n = 10
    Det: "np.reshape(np.linalg.det({}), (1, 1))",
    LogDet: "np.reshape(np.linalg.slogdet({})[1], (1, 1))",
    LogSumExp: "np.reshape(_logsumexp({}), (1, 1))",
    DiagMatrix: "np.diagflat({})",
    DiagonalOf: "np.diagonal({}).reshape(-1, 1)",
    Vec: "{}.reshape(-1, 1, order='F')",
}


class _ScalarPrinter(NumPyPrinter):
    """NumPy code of scalar expressions, with symml's scalar functions written stably."""

    def _print_Sigmoid(self, expr: Any) -> str:
        return f"_expit({self._print(expr.args[0])})"

    def _print_Softplus(self, expr: Any) -> str:
        return f"_softplus({self._print(expr.args[0])})"

    def _print_ReLU(self, expr: Any) -> str:
        return f"np.maximum({self._print(expr.args[0])}, 0.0)"


# The elementwise functions computed together from one exponential when the code needs both of the same argument,
# with their place in the pair (:func:`softplus_and_sigmoid`); each name ends in a letter, so that it is no
# temporary that _inline_single_use could write into a reader.
_PAIRED = {"softplus": 0, "sigmoid": 1}

_RESERVED = {"np", "_expit", "_softplus", "_softplus_sigmoid", "_softmax", "_logsumexp", "_commutation",
             "_power_sum", "_gram", "_row_blocked", "_row_summed", "_f", "_f_whole"}


def _name(symbol: Any) -> str:
    """A Python identifier for a symbol's value in generated code (``lambda`` -> ``lambda_``)."""
    name = re.sub(r"\W", "_", str(symbol.name))
    if name[0].isdigit() or name.startswith("_"):  # generated code's own names start with _
        name = "v" + name
    return name + "_" if keyword.iskeyword(name) or name in _RESERVED else name


class _Generator:
    """Straight-line NumPy code for matrix expressions; each node is computed once."""

    def __init__(self, parameters: dict, prefix: str = "_t", *, blocking: bool = True) -> None:
        self.lines: list[str] = []
        self.cache: dict = dict(parameters)
        self.norms: dict[QuadraticForm, str] = {}  # the norms computed scaled (see norm)
        self.scaled: dict[QuadraticForm, tuple] = {}  # their scale s, A/s and ‖A/s‖
        self.printer = _ScalarPrinter()
        self.prefix = prefix
        self.blocking = blocking  # whether Aᵀ r(A v) is summed over blocks of rows
        # the names of the matrices A summed over blocks of rows, with the test of A's shape that says it pays
        self.blocked_on: dict[str, Pays] = {}
        self.for_xla = False  # Aᵀ B written (Bᵀ A)ᵀ: XLA on CPU copies Aᵀ first (4x slower for the logistic gradient)
        self.paired: set = set()  # the arguments z of both softplus(z) and σ(z) (see pair_exponentials)

    def pair_exponentials(self, exprs: tuple) -> None:
        """Compute softplus(z) and σ(z) sharing e^−|z| (:func:`softplus_and_sigmoid`) wherever ``exprs`` need both
        of the same z (a GLM's value with its gradient or Hessian): the one pass over rows for the logistic value,
        gradient and Hessian at n = 1e5, d = 10 spent a third of its time beyond the Hessian's in the two (issue
        17). Not for XLA, which fuses elementwise code itself."""
        found: dict = {}
        for node in distinct_nodes(*exprs):
            if isinstance(node, Elementwise) and node.name in _PAIRED:
                found.setdefault(node.arg, set()).add(node.name)
        self.paired = set() if self.for_xla else {arg for arg, names in found.items() if len(names) == len(_PAIRED)}

    def bind(self, code: str) -> str:
        name = f"{self.prefix}{len(self.lines)}"
        self.lines.append(f"    {name} = {code}")
        return name

    def scalar(self, expr: Any) -> str:
        """Code of a scalar expression (its matrix atoms computed first)."""
        expr = sp.sympify(expr)
        if expr in self.cache:
            return self.cache[expr]
        replacements = {}
        for power in expr.atoms(sp.Pow):  # ‖A‖^(2p) through the norm computed scaled: no underflow at tiny A
            form = None if power.exp.is_integer else quadratic_form(power.base)
            if form is not None:
                replacements[power] = sp.Symbol(self.norm(form)) ** (2 * power.exp)
        for log_det in expr.atoms(sp.log):
            if isinstance(log_det.args[0], sp.Determinant):
                replacements[log_det] = sp.Symbol(self.matrix(LogDet(log_det.args[0].arg)) + "[0, 0]")
        expr = expr.xreplace(replacements)
        for atom in expr.atoms(Scalar, sp.Trace, sp.Determinant):
            matrix = {Scalar: lambda a: a.matrix, sp.Trace: lambda a: Tr(a.arg), sp.Determinant: lambda a: Det(a.arg)}
            replacements[atom] = sp.Symbol(self.matrix(matrix[type(atom)](atom)) + "[0, 0]")
        expr = expr.xreplace(replacements)
        code = self.printer.doprint(expr).replace("numpy.", "np.")
        return code if expr.is_Atom else self.bind(code)

    def matrix(self, expr: Any) -> str:
        """The name of a variable holding the value of a matrix expression."""
        if expr in self.cache:
            return self.cache[expr]
        code = self._as_column(expr) or self._code(expr)
        name = code if code.isidentifier() else self.bind(code)
        self.cache[expr] = name
        return name

    def _as_column(self, expr: Any) -> str | None:
        """``c.T`` for a row vector that is a sum (or a product whose column form is computed already), c the column
        it is the transpose of: rᵀ r of a residual r = Xw − y reads X once, not twice (the least-squares value was
        (wᵀXᵀ − yᵀ)(Xw − y), two products with X)."""
        if expr.shape[0] != 1 or expr.shape[1] == 1 or not isinstance(expr, (sp.MatAdd, sp.MatMul)):
            return None
        column = expr.T
        if isinstance(expr, sp.MatAdd) or column in self.cache:
            return f"{self.matrix(column)}.T"
        return None

    def norm(self, form: QuadraticForm) -> str:
        """The name of a number holding √(c·AᵀMA) (or √tr(c·AᵀMA)), computed as s·√(c·BᵀMB) with B = A/s and s the
        largest |entry| of A (1 where that is 0, inf or nan): AᵀA underflows to 0 at entries of 1e-200 (issue:
        A/‖A‖ was 0/0), BᵀB cannot. One pass more over A than the plain form."""
        if form in self.norms:
            return self.norms[form]
        A = self.matrix(form.A)
        largest = self.bind(f"np.max(np.abs({A}))")
        scale = self.bind(f"np.where(({largest} > 0) & ({largest} < np.inf), {largest}, 1.0)")
        scaled = sp.MatrixSymbol(self.bind(f"{A} / {scale}"), *form.A.shape)
        self.cache[scaled] = scaled.name
        inner = sp.MatMul(form.coefficient, scaled.T, *form.middle, scaled)
        squared = self.matrix(Tr(inner) if form.traced else inner)
        unit = self.bind(f"np.sqrt({squared}[0, 0])")
        self.scaled[form] = (scale, scaled, unit)
        self.norms[form] = self.bind(f"{scale} * {unit}")
        return self.norms[form]

    def _with_scaled_factors(self, coefficient: Any, matrices: Any) -> tuple[Any, list]:
        """c ‖A‖^(2p) (p < 0) times factors A, Aᵀ, vec A (or scalars uᵀA v): at tiny A the power overflows where the
        product underflows (a norm's Hessian ‖A‖⁻³ A Aᵀ was inf · 0 = nan at 1e-300). The term is computed with
        B = A/s, with which the norm is computed (:func:`rescaled_term`); 1 x 1 factors ‖A‖^e join c first."""
        matrices = list(matrices)
        lifted = [f for f in matrices if norm_power(f) is not None] if len(matrices) > 1 else []
        for factor in lifted:
            matrices.remove(factor)
            coefficient = coefficient * norm_power(factor)
        for power in coefficient.atoms(sp.Pow):
            form = quadratic_form(power.base) if power.exp.is_negative and not power.exp.is_integer else None
            if form is None or not any(m in carriers(form.A) for m in matrices):
                continue
            self.norm(form)
            scale, scaled, unit = self.scaled[form]
            coefficient, matrices = rescaled_term(coefficient, matrices, form, scaled, sp.Symbol(scale),
                                                  sp.Symbol(unit))
        return coefficient, matrices

    def _with_scaled_grams(self, coefficient: Any, matrices: Any) -> tuple[Any, list]:
        """c · factors with a regularised Gram inverse (λI + AᵀA)⁻¹ solved at A's scale (:mod:`scaled_grams`): AᵀA
        overflowed at entries of 1e160 and the ridge solution was nan."""
        for factor in matrices:
            A = regularised_gram(factor)
            if A is not None:
                data = self.matrix(A)
                largest = self.bind(f"np.maximum(np.max({data}), -np.min({data}))")  # no |A| array formed
                scale = self.bind(f"np.where(({largest} > {_GRAM_SAFE!r}) & ({largest} < np.inf), {largest}, 1.0)")
                # data whose squares cannot overflow are not copied (XLA traces both branches: there, always divided)
                B = sp.MatrixSymbol(self.bind(f"{data} / {scale}" if self.for_xla else
                                              f"{data} if {scale} == 1.0 else {data} / {scale}"), *A.shape)
                self.cache[B] = B.name
                return solved_at_scale(coefficient, list(matrices), A, sp.Symbol(self.bind(f"1.0 / {scale}")), B)
        return coefficient, list(matrices)

    def _shape(self, expr: Any) -> str:
        return f"({self.scalar(expr.shape[0])}, {self.scalar(expr.shape[1])})"

    def _code(self, expr: Any) -> str:
        if not is_matrix(expr):
            return self.scalar(expr)
        if isinstance(expr, Identity):
            return f"np.eye({self.scalar(expr.shape[0])})"
        if isinstance(expr, OneMatrix):
            return f"np.ones({self._shape(expr)})"
        if isinstance(expr, ZeroMatrix):
            return f"np.zeros({self._shape(expr)})"
        if isinstance(expr, sp.MatrixBase):
            if all(v.is_number for v in expr):
                return f"np.array({[[float(v) for v in row] for row in expr.tolist()]})"
            # entries in scalar parameters (a bivariate normal's ρσ₁σ₂): each entry's code, then the array
            rows = ", ".join("[" + ", ".join(self.scalar(v) for v in row) + "]" for row in expr.tolist())
            return f"np.array([{rows}], dtype=float)"
        if isinstance(expr, sp.MatAdd):
            return self._sum(expr)
        if isinstance(expr, sp.MatMul):
            return self._product(expr)
        if isinstance(expr, sp.Transpose):
            return f"{self.matrix(expr.arg)}.T"
        if isinstance(expr, sp.Inverse):
            return f"np.linalg.inv({self.matrix(expr.arg)})"
        if isinstance(expr, sp.MatPow):
            if tuple(expr.base.shape) == (1, 1):  # a power of a scalar, any exponent
                return f"{self.matrix(expr.base)} ** ({self.scalar(expr.exp)})"
            return f"np.linalg.matrix_power({self.matrix(expr.base)}, int({self.scalar(expr.exp)}))"
        if isinstance(expr, HadamardProduct):
            return " * ".join(self.matrix(f) for f in expr.args)
        if isinstance(expr, HadamardPower):
            form = None if expr.args[1].is_integer else quadratic_form(expr.args[0])
            if form is not None:  # a power of a norm, through the norm computed scaled
                norm, exponent = self.norm(form), 2 * expr.args[1]
                return f"np.reshape({norm}, (1, 1))" if exponent == 1 else \
                    f"np.reshape({norm} ** ({self.scalar(exponent)}), (1, 1))"
            base, exponent = self.matrix(expr.args[0]), expr.args[1]
            if exponent == sp.S.Half:
                return f"np.sqrt({base})"
            return f"1.0 / {base}" if exponent == -1 else f"{base} ** ({self.scalar(exponent)})"
        if isinstance(expr, KroneckerProduct):
            codes = [self.matrix(f) for f in expr.args]
            out = codes[0]
            for code in codes[1:]:
                out = f"np.kron({out}, {code})"
            return out
        if isinstance(expr, Elementwise):
            return self._elementwise(expr)
        if isinstance(expr, ElementwiseApplyFunction):  # SymPy's f.(A): f's NumPy code broadcasts over A
            entry = sp.Dummy("entry")
            value = sp.Symbol(self.matrix(expr.expr))
            return self.printer.doprint(expr.function(entry).xreplace({entry: value})).replace("numpy.", "np.")
        return self._special(expr)

    def _special(self, expr: Any) -> str:
        if isinstance(expr, Tr):
            return self._trace(expr.arg)
        if isinstance(expr, Softmax):
            return f"_softmax({self.matrix(expr.arg)}, axis={expr.axis})"
        if isinstance(expr, LogSumExpAlong):
            return f"_logsumexp({self.matrix(expr.arg)}, axis={expr.axis}, keepdims=True)"
        template = _ONE_ARGUMENT.get(type(expr))
        if template is not None:
            return template.format(self.matrix(expr.args[0]))
        if isinstance(expr, DiagSelector):
            size = self.scalar(expr.args[0])
            return f"np.eye({size} * {size})[:, ::{size} + 1]"
        if isinstance(expr, Commutation):
            m, n = (self.scalar(a) for a in expr.args)
            return f"np.eye({m} * {n})[_commutation({m}, {n})]"
        if isinstance(expr, PowerSum):
            B, M = self.matrix(expr.base), self.matrix(expr.middle)
            return f"_power_sum({B}, int({self.scalar(expr.exponent)}), {M})"
        raise UnsupportedOperationError(f"no NumPy translation for {type(expr).__name__} ({expr})")

    def _sum(self, expr: sp.MatAdd) -> str:
        positive: list[sp.MatrixExpr] = []
        negative: list[sp.MatrixExpr] = []
        ones = 0.0
        for term in expr.args:
            coefficient, bare = _split_sign(term)
            if isinstance(bare, OneMatrix):
                ones += coefficient  # an all-ones term broadcasts as a number when another term carries the shape
            else:
                (positive if coefficient > 0 else negative).append(bare)
        if not positive and not negative:
            return f"{ones} * np.ones({self._shape(expr)})"
        if any(_broadcast_operand(t) is None for t in positive + negative):  # a term carries the full shape
            positive, negative = ([_broadcast_operand(t) or t for t in terms] for terms in (positive, negative))
        code = " + ".join(self.matrix(t) for t in positive) if positive else f"-{self.matrix(negative.pop(0))}"
        if ones:
            code = f"{ones} + {code}" if positive else f"{ones} {code}"
        return code + "".join(f" - {self.matrix(t)}" for t in negative)

    def _elementwise(self, expr: Elementwise) -> str:
        arg = expr.arg
        if expr.name in _PAIRED and arg in self.paired:
            key = ("softplus and sigmoid", arg)
            if key not in self.cache:  # unpacked into two names: no subscripts (at n = 10 they cost 1% of a call)
                z = self.matrix(arg)
                names = self.cache[key] = [f"{self.prefix}{len(self.lines)}{suffix}" for suffix in _PAIRED]
                self.lines.append(f"    {', '.join(names)} = _softplus_sigmoid({z})")
            return self.cache[key][_PAIRED[expr.name]]
        if expr.name == "log" and isinstance(arg, Elementwise) and arg.name == "sigmoid":
            return f"-_softplus(-{self.matrix(arg.arg)})"  # log σ(z) = −softplus(−z)
        if expr.name == "log" and isinstance(arg, Softmax):  # log softmax = A − logsumexp along the axis
            v = self.matrix(arg.arg)
            return f"{v} - _logsumexp({v}, axis={arg.axis}, keepdims=True)"
        if expr.name == "log" and isinstance(arg, sp.MatAdd) and len(arg.args) == 2:
            ones = [t for t in arg.args if isinstance(t, OneMatrix)]
            others = [t for t in arg.args if not isinstance(t, OneMatrix)]
            sign, negated = _split_sign(others[0])
            if ones and sign < 0 and isinstance(negated, Elementwise) and negated.name == "sigmoid":
                return f"-_softplus({self.matrix(negated.arg)})"  # log(1 − σ(z)) = −softplus(z)
        return _ELEMENTWISE[expr.name].format(self.matrix(arg))

    def _trace(self, arg: Any) -> str:
        if isinstance(arg, sp.MatMul):
            coefficient, matrices = arg.as_coeff_matrices()
            if len(matrices) >= 2:  # tr(F R) = sum(F ⊙ Rᵀ): no product matrix is formed
                first, rest = matrices[0], sp.MatMul(*matrices[1:]) if len(matrices) > 2 else matrices[1]
                scale = "" if coefficient == 1 else f"{self.scalar(coefficient)} * "
                return f"{scale}np.sum({self.matrix(first)} * {self.matrix(rest)}.T, keepdims=True)"
        return f"np.reshape(np.trace({self.matrix(arg)}), (1, 1))"

    def _product(self, expr: sp.MatMul) -> str:
        coefficient, matrices = self._with_scaled_grams(*self._with_scaled_factors(*expr.as_coeff_matrices()))
        blocked = row_wise_factor(expr) if self.blocking else None
        if blocked is not None and not any(p in self.cache for p in atoms_of(blocked[1], sp.MatMul) if blocked[0] in p.args):
            code = self._row_blocked(*blocked)  # (with A v computed already, as for the value, one read is left)
            return code if coefficient == 1 else f"{self.scalar(coefficient)} * {code}"
        factors = list(matrices)
        if factors[0].shape[0] != 1 and factors[-1].shape[1] != 1:  # a matrix result: no thin end to fold from
            factors = self._grams(factors)
        code = self._fold(factors)
        return code if coefficient == 1 else f"{self.scalar(coefficient)} * {code}"

    def _row_blocked(self, A: sp.MatrixSymbol, r: Any) -> str:
        """Aᵀ r by :func:`row_blocked`: r's code in a local function of a block of rows."""
        self.blocked_on.setdefault(self.cache[A], row_blocking_pays)
        return f"_row_blocked({self.cache[A]}, {self._block_function(A, (r,))})"

    def row_summed(self, A: sp.MatrixSymbol, exprs: tuple) -> list[str]:
        """The expressions, sums over the rows of A (:func:`summed_over_rows`), by :func:`row_summed`: one pass over
        blocks of rows computing all of them."""
        self.blocked_on[self.cache[A]] = row_summing_pays
        function = self._block_function(A, exprs, several=True)
        total = self.bind(f"_row_summed({self.cache[A]}, {function})")
        return [f"{total}[{i}]" for i in range(len(exprs))]

    def _block_function(self, A: sp.MatrixSymbol, exprs: tuple, *, several: bool = False) -> str:
        """A local function of a block of rows computing ``exprs`` there (``several``: returned as a tuple, however
        many): the inputs with A's rows sliced, the dimension of the rows the block's size. Returns its name."""
        rows = A.shape[0]
        function = f"_block{len(self.lines)}"
        sliced = {s: f"{self.cache[s]}[_rows]" for e in exprs for s in atoms_of(e, sp.MatrixSymbol) if s.shape[0] == rows}
        inner = _Generator({**{k: v for k, v in self.cache.items() if isinstance(k, (sp.Symbol, sp.MatrixSymbol))
                               and k not in sliced}, rows: "_block_rows"}, prefix=f"_s{len(self.lines)}_",
                           blocking=False)
        inner.pair_exponentials(exprs)
        for symbol, code in sliced.items():
            inner.cache[symbol] = inner.bind(code)
        start = len(inner.lines)
        results = [inner.matrix(e) for e in exprs]
        returned = f"({', '.join(results)},)" if several else results[0]
        if any("_block_rows" in line for line in [*inner.lines[start:], returned]):
            inner.lines.insert(start, f"    _block_rows = {inner.cache[A]}.shape[0]")
        lines, returned = _inline_single_use(inner.lines, returned)  # fewer statements in the loop's body
        self.lines += [f"    def {function}(_rows):", *(f"    {line}" for line in lines), f"        return {returned}"]
        return function

    def _grams(self, factors: list) -> list:
        """The factors with the first Aᵀ A or Aᵀ diag(v) A (v ≥ 0 by :func:`is_nonnegative`) replaced by a symbol
        holding it, computed by :func:`gram` (syrk): symmetric, and the contraction over A's long side done first
        (Σ⁻¹ DᵀD Σ⁻¹ with D of shape (n, d) costs n d², not n d² per side)."""
        for i in range(len(factors) - 1):
            middle = factors[i + 1]
            weighted = isinstance(middle, DiagMatrix) and i + 2 < len(factors)
            A = factors[i + 2] if weighted else middle
            if not _is_transpose(factors[i], A) or (weighted and not is_nonnegative(middle.args[0])):
                continue
            code = f"_gram({self.matrix(A)}, {self.matrix(middle.args[0])})" if weighted else f"_gram({self.matrix(A)})"
            name = self.bind(code)
            held = sp.MatrixSymbol(name, A.shape[1], A.shape[1])
            self.cache[held] = name
            return [*factors[:i], held, *factors[i + (3 if weighted else 2):]]
        return factors

    def _fold(self, factors: list) -> str:
        """The product, folded from the thin end; diag and inverse factors applied without forming them.

        Every partial product is cached as the SymPy product it is, so it is shared with other expressions.
        """
        if len(factors) == 1:
            return self.matrix(factors[0])
        right_to_left = not (factors[0].shape[0] == 1 and factors[-1].shape[1] != 1)
        order = factors[::-1] if right_to_left else factors
        plain = [i for i, f in enumerate(order) if not isinstance(f, (DiagMatrix, sp.Inverse, Commutation))]
        start = plain[0] if plain else 0
        acc, done = self.matrix(order[start]), [order[start]]
        # factors before `start` on the folding side (diag or inverse) are applied from the other side
        steps = [(f, not right_to_left) for f in reversed(order[:start])]
        steps += [(f, right_to_left) for f in order[start + 1:]]
        for factor, from_left in steps:
            done = [factor, *done] if from_left else [*done, factor]
            # `done` holds the factors in their order in the product; built as SymPy's constructor would (no
            # coefficient, conformable factors) without its checks, which made folding a product of m factors
            # take m² steps (issue 17)
            product = sp.Basic.__new__(sp.MatMul, *done)
            if product in self.cache:
                acc = self.cache[product]
            else:
                acc = self.bind(self._apply(factor, acc, from_left=from_left))
                self.cache[product] = acc
        return acc

    def _apply(self, factor: Any, acc: str, *, from_left: bool) -> str:
        """factor @ acc (from_left) or acc @ factor, without forming diag(v) or A⁻¹."""
        if isinstance(factor, DiagMatrix):
            v = self.matrix(factor.args[0])
            return f"{v} * {acc}" if from_left else f"{acc} * {v}.T"
        if isinstance(factor, Commutation):  # a permutation of rows (from the left) or columns
            m, n = (self.scalar(a) for a in factor.args)
            return f"{acc}[_commutation({m}, {n})]" if from_left else f"{acc}[:, np.argsort(_commutation({m}, {n}))]"
        if isinstance(factor, sp.Inverse) and factor not in self.cache:  # an inverse formed already is multiplied
            A = self.matrix(factor.arg)
            return f"np.linalg.solve({A}, {acc})" if from_left else f"np.linalg.solve({A}.T, {acc}.T).T"
        if from_left and self.for_xla and isinstance(factor, sp.Transpose):
            return f"({acc}.T @ {self.matrix(factor.arg)}).T"
        return f"{self.matrix(factor)} @ {acc}" if from_left else f"{acc} @ {self.matrix(factor)}"


def _is_transpose(first: Any, second: Any) -> bool:
    """Whether ``first`` is ``secondᵀ`` (Xᵀ and X; (Xᵀ − μ1ᵀ) and (X − 1μᵀ); Σ⁻¹ and Σ⁻¹ for a symmetric Σ)."""
    if isinstance(first, sp.Transpose) and first.arg == second:
        return True
    if isinstance(first, (sp.MatrixSymbol, sp.Transpose, sp.MatAdd, sp.MatMul, sp.Inverse)):
        return bool(sp.transpose(second) == first)
    return False


def _broadcast_operand(term: Any) -> Any:
    """For 1 bᵀ (ones column times a row) the row bᵀ, for b 1ᵀ the column b, which NumPy broadcasts in a sum with
    a full-shaped term; None for other terms. The outer product with ones is never formed."""
    if not isinstance(term, sp.MatMul):
        return None
    coefficient, matrices = term.as_coeff_matrices()
    if len(matrices) < 2:
        return None
    if isinstance(matrices[0], OneMatrix) and matrices[0].shape[1] == 1:
        rest = matrices[1:]
    elif isinstance(matrices[-1], OneMatrix) and matrices[-1].shape[0] == 1:
        rest = matrices[:-1]
    else:
        return None
    return sp.MatMul(coefficient, *rest) if coefficient != 1 or len(rest) > 1 else rest[0]


def _split_sign(term: Any) -> tuple[float, Any]:
    """(-1, -term) for a term with a negative number as coefficient, (1, term) otherwise.

    -term is built from the factors: SymPy's negation re-canonicalises the whole term, and a diag inside it sends
    SymPy's assumption system to work (90% of the export time of a deep Hessian).
    """
    if isinstance(term, sp.MatMul) and term.args[0].is_Number and term.args[0] < 0:
        coefficient, matrices = term.as_coeff_matrices()
        if coefficient != -1:
            return -1.0, sp.MatMul(-coefficient, *matrices)
        return -1.0, matrices[0] if len(matrices) == 1 else sp.MatMul(*matrices)
    return 1.0, term


def dimensions_of(inputs: Sequence[Any]) -> list:
    """The dimension symbols of the inputs' shapes, in order: the kernel's last arguments."""
    found: dict = {}
    for symbol in inputs:
        for dim in symbol.shape:
            if isinstance(dim, sp.Symbol):
                found.setdefault(dim, None)
    return list(found)


_ASSIGNMENT = re.compile(r"^    (_(?:t|s\d+_)\d+) = (.*)$")  # a kernel's temporaries _t<i>, a block's _s<j>_<i>
_TEMPORARY = re.compile(r"\b_(?:t|s\d+_)\d+\b")


def _inline_single_use(lines: list[str], result: str) -> tuple[list[str], str]:
    """Substitute each temporary read exactly once into its reader, parenthesised.

    Why: NumPy reuses a temporary's buffer in place when nothing else refers to it (temporary elision, for
    arrays of 256 KB and more), and frees it at once; a named local keeps it alive to the end of the function.
    Measured on the logistic gradient, n = 1e5, d = 10: 2.6 ms -> 2.1 ms (hand-written NumPy: 1.8-1.9 ms).
    """
    # a temporary's reads: its occurrences but the assignment, counted in one pass over the source
    reads = {name: count - 1 for name, count in Counter(_TEMPORARY.findall("\n".join([*lines, result]))).items()}
    pending: dict[str, str] = {}

    def substitute(code: str) -> str:
        return _TEMPORARY.sub(lambda m: f"({pending.pop(m.group(0))})" if m.group(0) in pending else m.group(0), code)

    kept = []
    for line in lines:
        match = _ASSIGNMENT.match(line)
        if match and reads.get(match.group(1)) == 1:
            pending[match.group(1)] = substitute(match.group(2))
        else:
            kept.append(substitute(line))
    return kept, substitute(result)


def _kernel_source(expr: Any, inputs: Sequence[Any], parameters: Sequence[sp.Symbol], *, name: str = "_f",
                   blocking: bool = True, for_xla: bool = False) -> tuple[str, dict[str, Pays]]:
    """The source of the kernel function ``name`` and the inputs it sums over blocks of rows (name: when it pays)."""
    names = {symbol: _name(symbol) for symbol in [*inputs, *parameters, *dimensions_of(inputs)]}
    generator = _Generator(names, blocking=blocking)
    generator.for_xla = for_xla
    several = isinstance(expr, tuple)
    exprs = expr if several else (expr,)
    generator.pair_exponentials(exprs)
    fused = one_pass_over_rows(exprs) if blocking else None
    if fused is not None:
        results = generator.row_summed(*fused)
    else:
        results = [generator.matrix(e) if is_matrix(e) else generator.scalar(e) for e in exprs]
    lines, result = _inline_single_use(generator.lines, ", ".join(results) + ("," if several else ""))
    signature = ", ".join(names.values())
    body = "".join(f"{line}\n" for line in lines)
    return f"def {name}({signature}):\n{body}    return {result}\n", generator.blocked_on


def numpy_source(expr: Any, inputs: Sequence[Any], parameters: Iterable[sp.Symbol] = (), *,
                 blocking: bool = True, for_xla: bool = False) -> str:
    """The Python source of ``_f(<inputs>, <parameters>, <dims>)`` computing ``expr`` with NumPy; a tuple of
    expressions gives one function returning a tuple, every subexpression they share computed once.

    Where a product Aᵀ r(A v) is summed over blocks of rows, a second function ``_f_whole`` computes it in one
    product: the call path picks one of the two per shape signature (:func:`row_blocking_pays`). Without
    ``blocking`` there is only ``_f``, in whole products; ``for_xla`` writes it for JAX (no blocks, Aᵀ B as (Bᵀ A)ᵀ).
    """
    if not blocking or for_xla:
        return _kernel_source(expr, inputs, list(parameters), blocking=False, for_xla=for_xla)[0]
    return _sources(expr, inputs, list(parameters))[0]


def _sources(expr: Any, inputs: Sequence[Any], parameters: list[sp.Symbol]) -> tuple[str, dict[str, Pays]]:
    """:func:`numpy_source`, and the inputs ``_f`` sums over blocks of rows (name: when it pays)."""
    source, blocked_on = _kernel_source(expr, inputs, parameters)
    if blocked_on:
        source += "\n" + _kernel_source(expr, inputs, parameters, name="_f_whole", blocking=False)[0]
    return source, blocked_on


def _kernel_chooser(namespace: dict, inputs: Sequence[Any],
                    blocked_on: dict[str, Pays]) -> Callable[..., Any] | None:
    """For a kernel that sums over blocks of rows: a function of the 2-D input arrays choosing that kernel or the
    one-product kernel ``_f_whole``, by whether blocking pays for the shapes of the blocked matrices."""
    if not blocked_on:
        return None
    tests = [(i, blocked_on[_name(symbol)]) for i, symbol in enumerate(inputs) if _name(symbol) in blocked_on]
    blocked, whole = namespace["_f"], namespace["_f_whole"]

    def choose(args: Sequence[np.ndarray]) -> Callable[..., Any]:
        return blocked if any(pays(args[i]) for i, pays in tests) else whole

    return choose


def numpy_function(expr: Any, inputs: Sequence[Any], *, parameters: Iterable[sp.Symbol] = (),
                   like: Any = None) -> Callable[..., Any]:
    """A NumPy function of ``expr`` taking ``inputs`` (matrix symbols) and scalar ``parameters`` by name.

    Vectors may be given as 1-D or column arrays; dimensions are read off the arrays. ``like`` names the
    input whose layout a result of its shape takes (a gradient is returned 1-D when w was given 1-D).
    Scalar results are floats. A tuple of expressions gives a function returning a tuple, computed in one pass.
    Float32 inputs give float32 results; ``out=`` (an array, or a tuple with one array or None per result)
    receives the array results (see :func:`~symml.matrix_calculus.numpy_call.numpy_call`).
    """
    import scipy.special

    if isinstance(expr, tuple) and len(expr) == 1:  # one named output (outputs=("value",)) returns it bare: the
        # function of the expression alone, whose call shapes its result directly (a 1-tuple went through the
        # generic shaping: the logistic value at n = 10 took 9.4 us, its gradient 3.6 us)
        expr, like = expr[0], like[0] if isinstance(like, tuple) else like
    parameters = sorted(set(parameters), key=lambda s: s.name)
    source, blocked_on = _sources(expr, inputs, parameters)
    namespace = {"np": np, "_expit": scipy.special.expit, "_softplus": softplus,
                 "_softplus_sigmoid": softplus_and_sigmoid, "_softmax": scipy.special.softmax,
                 "_logsumexp": scipy.special.logsumexp, "_commutation": commutation,
                 "_power_sum": power_sum, "_gram": gram, "_row_blocked": row_blocked,
                 "_row_summed": row_summed}
    # The label names the kind of expression only: str(expr) of a large result cost more than the whole export.
    exec(compile(source, f"<symml numpy: {type(expr).__name__}>", "exec"), namespace)  # code we generated
    outputs = list(zip(expr if isinstance(expr, tuple) else (expr,), output_forms(expr, like)))
    choose = _kernel_chooser(namespace, inputs, blocked_on)
    flat = not isinstance(expr, tuple) and flat_safe(expr)
    call = numpy_call(namespace["_f"], inputs, parameters, dimensions_of(inputs), outputs, choose=choose, flat=flat)
    call.source = source  # type: ignore[attr-defined]
    return call


def output_forms(expr: Any, like: Any) -> list[str]:
    """How the call returns each result (see :func:`numpy_call`): "float" (1 x 1), "array", or the name of the
    input whose layout a result of its shape takes. ``like`` is one input for every result, or a tuple with one
    input or None per result. A result shaped like a 1 x 1 input (a gradient with respect to a 1 x 1 matrix) keeps
    that shape: it is the input's layout, not a number."""
    exprs = expr if isinstance(expr, tuple) else (expr,)
    likes = like if isinstance(like, tuple) else (like,) * len(exprs)
    return [_output_form(e, input_) for e, input_ in zip(exprs, likes)]


def _output_form(expr: Any, like: Any) -> str:
    if like is not None and is_matrix(expr) and tuple(expr.shape) == tuple(like.shape):
        return str(like.name)
    if not is_matrix(expr) or tuple(expr.shape) == (1, 1):
        return "float"
    return str(like.name) if like is not None else "array"

"""The one LaTeX printer of symml: SymPy's LatexPrinter with textbook conventions.

Every formula symml shows goes through :func:`latex`. Conventions: data as ``x_{i}`` (not ``{x}_{i}``),
sums as ``\\sum_{i=1}^{n}`` with the summand bracketed when it is a sum or negative, ``\\log``, ``\\top`` for the
transpose and ``\\operatorname{tr}`` for the trace. A new expression type gets a ``_print_<Class>`` method here.

>>> import sympy as sp
>>> i, n = sp.symbols("i n", integer=True)
>>> x = sp.IndexedBase("x")
>>> mu = sp.Symbol("mu")
>>> latex(sp.Sum(-(x[i] - mu)**2, (i, 1, n)))
'\\\\sum_{i=1}^{n} \\\\left(- \\\\left(- \\\\mu + x_{i}\\\\right)^{2}\\\\right)'
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = ["SymmlLatexPrinter", "latex"]


class SymmlLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the conventions of ML textbooks (Bishop, Murphy)."""

    printmethod = "_symml_latex"

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        base = self._print(expr.base.label)
        indices = ",".join(self._print(i) for i in expr.indices)
        return f"{base}_{{{indices}}}"

    def _print_Sum(self, expr: sp.Sum) -> str:
        limits = []
        for limit in expr.limits:
            if len(limit) == 3:
                index, lower, upper = limit
                limits.append(f"\\sum_{{{self._print(index)}={self._print(lower)}}}^{{{self._print(upper)}}}")
            else:
                limits.append(f"\\sum_{{{self._print(limit[0])}}}")
        summand = expr.function
        body = self._print(summand)
        if isinstance(summand, sp.Add) or summand.could_extract_minus_sign():
            body = f"\\left({body}\\right)"
        return " ".join(limits) + " " + body

    def _print_Transpose(self, expr: Any) -> str:
        base = self._print(expr.arg)
        if not isinstance(expr.arg, (sp.MatrixSymbol, sp.Symbol)):
            base = f"\\left({base}\\right)"
        return f"{base}^{{\\top}}"

    def _print_Trace(self, expr: Any) -> str:
        return f"\\operatorname{{tr}}\\left({self._print(expr.arg)}\\right)"

    def _print_AtomicExpr(self, expr: Any) -> str:
        # SymPy's constants (pi, oo, -oo, I, EulerGamma, ...) print through their `_latex` method, which this
        # printer's own printmethod name would otherwise skip (pi came out as \text{\Pi}).
        if hasattr(expr, "_latex"):
            return expr._latex(self)
        return self.emptyPrinter(expr)

    def _print_beta(self, expr: Any, exp: Any = None) -> str:
        # SymPy's own prints the arguments with str(): B(alpha, beta) instead of B(\alpha, \beta)
        first, second = expr.args[0], expr.args[-1]
        power = f"^{{{exp}}}" if exp is not None else ""
        return f"\\operatorname{{B}}{power}\\left({self._print(first)}, {self._print(second)}\\right)"

    def _print_StatisticSymbol(self, expr: Any) -> str:
        """A sample statistic (symml.mle.statistics): x-bar, overline{log x}, x_(1), x_(n), med(x)."""
        summand = self._print(expr.summand)
        if expr.reduction == "mean":
            return f"\\bar{{{summand}}}" if isinstance(expr.summand, sp.Symbol) else f"\\overline{{{summand}}}"
        if expr.reduction == "median":
            return f"\\operatorname{{med}}\\left({summand}\\right)"
        if not isinstance(expr.summand, sp.Symbol):
            summand = f"\\left({summand}\\right)"
        return f"{summand}_{{(1)}}" if expr.reduction == "min" else f"{summand}_{{(n)}}"

    def _reduction_over_sample(self, operator: str, expr: Any) -> str:
        summand, index, size = (self._print(a) for a in expr.args)
        return f"{operator}_{{1 \\le {index} \\le {size}}} {summand}"

    def _print_SampleMin(self, expr: Any) -> str:
        return self._reduction_over_sample("\\min", expr)

    def _print_SampleMax(self, expr: Any) -> str:
        return self._reduction_over_sample("\\max", expr)

    def _print_SampleMedian(self, expr: Any) -> str:
        return self._reduction_over_sample("\\operatorname{med}", expr)

    # --- matrix calculus (symml.matrix_calculus): elementwise functions, reductions, differentials ---
    _ELEMENTWISE = {"exp": r"\exp", "log": r"\log", "sigmoid": r"\sigma", "softplus": r"\operatorname{softplus}",
                    "tanh": r"\tanh", "relu": r"\operatorname{relu}", "sign": r"\operatorname{sign}", "step": "H"}

    def _apply(self, operator: str, arg: Any) -> str:
        return f"{operator}\\left({self._print(arg)}\\right)"

    def _print_Elementwise(self, expr: Any) -> str:
        if expr.name == "abs":
            return f"\\left|{self._print(expr.arg)}\\right|"
        return self._apply(self._ELEMENTWISE[expr.name], expr.arg)

    def _print_Sigmoid(self, expr: Any) -> str:
        return self._apply(r"\sigma", expr.args[0])

    def _print_Softplus(self, expr: Any) -> str:
        return self._apply(r"\operatorname{softplus}", expr.args[0])

    def _print_ReLU(self, expr: Any) -> str:
        return self._apply(r"\operatorname{relu}", expr.args[0])

    def _print_EntrySum(self, expr: Any) -> str:
        return self._apply(r"\operatorname{sum}", expr.arg)

    def _print_Tr(self, expr: Any) -> str:
        return self._print_Trace(expr)

    def _print_Det(self, expr: Any) -> str:
        return self._apply(r"\det", expr.arg)

    _print_Determinant = _print_Det

    def _print_LogDet(self, expr: Any) -> str:
        return self._apply(r"\log\det", expr.arg)

    def _print_log(self, expr: Any, exp: Any = None) -> str:
        if isinstance(expr.args[0], sp.Determinant) and exp is None:
            return self._apply(r"\log\det", expr.args[0].arg)
        return super()._print_log(expr, exp)

    def _along(self, name: str, expr: Any) -> str:
        vector = expr.arg.shape[1] == 1 and getattr(expr, "axis", 0) == 0
        axis = "" if vector else f"_{{\\mathrm{{{'cols' if expr.axis == 0 else 'rows'}}}}}"
        return self._apply(f"\\operatorname{{{name}}}{axis}", expr.arg)

    def _print_Softmax(self, expr: Any) -> str:
        return self._along("softmax", expr)

    def _print_LogSumExp(self, expr: Any) -> str:
        return self._apply(r"\operatorname{logsumexp}", expr.arg)

    def _print_LogSumExpAlong(self, expr: Any) -> str:
        return self._along("logsumexp", expr)

    def _print_DiagMatrix(self, expr: Any) -> str:
        return self._apply(r"\operatorname{diag}", expr.args[0])

    # diag(v) builds a matrix from a vector and diag(A) takes a matrix's diagonal: textbooks write both as diag.
    _print_DiagonalOf = _print_DiagMatrix

    def _print_Vec(self, expr: Any) -> str:
        return self._apply(r"\operatorname{vec}", expr.arg)

    def _print_Commutation(self, expr: Any) -> str:
        return f"K_{{{self._print(expr.args[0])},{self._print(expr.args[1])}}}"

    def _print_DiagSelector(self, expr: Any) -> str:
        return f"E_{{{self._print(expr.args[0])}}}"

    def _print_OneMatrix(self, expr: Any) -> str:
        rows, columns = expr.shape
        if rows == 1 and columns == 1:
            return "1"
        # A row of ones is the transpose of the column of ones; without the transpose the two read the same.
        return r"\mathbf{1}^{\top}" if rows == 1 else r"\mathbf{1}"

    def _print_MatrixDifferential(self, expr: Any) -> str:
        return f"\\mathrm{{d}}{self._print(expr.base)}"

    def _print_DifferentialOf(self, expr: Any) -> str:
        arg = expr.args[0]
        if isinstance(arg, (sp.Symbol, sp.MatrixSymbol)):
            return f"\\mathrm{{d}}{self._print(arg)}"
        return f"\\mathrm{{d}}\\left({self._print(arg)}\\right)"

    def _print_DerivativeSymbol(self, expr: Any) -> str:
        of, wrt = self._print(expr.args[1]), self._print(expr.args[2])
        if expr.kind in ("derivative", "second_derivative"):  # with respect to a scalar symbol
            order = "^{2}" if expr.kind == "second_derivative" else ""
            return f"\\frac{{\\partial{order} {of}}}{{\\partial {wrt}{order}}}"
        if expr.kind == "jacobian":
            return f"\\frac{{\\partial {of}}}{{\\partial \\operatorname{{vec}}\\left({wrt}\\right)^{{\\top}}}}" if expr.args[2].shape[1] != 1 else f"\\frac{{\\partial {of}}}{{\\partial {wrt}^{{\\top}}}}"
        operator = {"gradient": "\\nabla", "hessian": "\\nabla^{2}", "laplacian": "\\Delta"}.get(expr.kind, "D")
        return f"{operator}_{{{wrt}}} {of}"

    def _print_Scalar(self, expr: Any) -> str:
        return self._print(expr.args[0])

    def _print_MatAdd(self, expr: Any) -> str:
        # positive terms first, as written by hand: 1 - σ(Xw), not -σ(Xw) + 1
        printed = sorted((self._print(term) for term in expr.args), key=lambda text: text.startswith("-"))
        out = printed[0]
        for text in printed[1:]:
            out += f" - {text[1:].strip()}" if text.startswith("-") else f" + {text}"
        return out

    def _print_HadamardProduct(self, expr: Any) -> str:
        factors = [f"\\left({self._print(f)}\\right)" if f.is_MatAdd or f.is_MatMul else self._print(f)
                   for f in expr.args]
        return " \\odot ".join(factors)

    def _print_KroneckerProduct(self, expr: Any) -> str:
        return " \\otimes ".join(f"\\left({self._print(f)}\\right)" if f.is_MatAdd or f.is_MatMul else self._print(f)
                                  for f in expr.args)

    def _print_HadamardPower(self, expr: Any) -> str:
        base, exponent = expr.args
        scalar = tuple(base.shape) == (1, 1)  # a power of a scalar is an ordinary power
        if scalar and exponent == sp.S.Half:
            return f"\\sqrt{{{self._print(base)}}}"
        text = self._print(base)
        if not isinstance(base, sp.MatrixSymbol):
            text = f"\\left({text}\\right)"
        return f"{text}^{{{self._print(exponent)}}}" if scalar else f"{text}^{{\\circ {self._print(exponent)}}}"


def latex(expr: Any, **settings: Any) -> str:
    """LaTeX of a SymPy object in symml's conventions; ``settings`` are SymPy LatexPrinter settings."""
    return SymmlLatexPrinter(settings).doprint(expr)

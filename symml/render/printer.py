"""The one LaTeX printer of symml: SymPy's LatexPrinter with textbook conventions.

Every formula symml shows goes through :func:`latex`. Conventions: data as ``x_{i}`` (not ``{x}_{i}``),
sums as ``\\sum_{i=1}^{n}`` with the summand bracketed when it is a sum (the sign of a negative term taken out of
the sum), ``\\log``, ``\\top`` for the
transpose and ``\\operatorname{tr}`` for the trace. A new expression type gets a ``_print_<Class>`` method here.

>>> import sympy as sp
>>> i, n = sp.symbols("i n", integer=True)
>>> x = sp.IndexedBase("x")
>>> mu = sp.Symbol("mu")
>>> latex(sp.Sum(-(x[i] - mu)**2, (i, 1, n)))
'- \\\\sum_{i=1}^{n} (x_{i} - \\\\mu)^{2}'
"""
from __future__ import annotations

import re
import sys
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.conventions import split_super_sub
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from symml.render.arrange import arrange
from symml.render.line_breaks import width
from symml.render.prose import math_unicode_as_latex

__all__ = ["SymmlLatexPrinter", "latex"]


#: How textbooks name the families of sympy.stats (Casella & Berger, Bishop): the symbol, and the arguments
#: as they are written (a Normal is written with its variance). Families not listed print as their name.
_FAMILIES: dict[str, tuple[str, Any]] = {
    "Normal": (r"\mathcal{N}", lambda mu, sigma: (mu, sigma**2)),
    "LogNormal": (r"\operatorname{Lognormal}", lambda mu, sigma: (mu, sigma**2)),
    "Exponential": (r"\operatorname{Exp}", None),
    "Bernoulli": (r"\operatorname{Bernoulli}", lambda p, *coding: (p,)),
    "Binomial": (r"\operatorname{Bin}", lambda m, p, *coding: (m, p)),
    "Uniform": (r"\mathcal{U}", None),
}

#: Factors printed after the fraction of the others: (1/(sqrt(2 pi) sigma)) exp(...), (1/n) sum_i x_i.
_LARGE_OPERATORS = (sp.exp, sp.Sum, sp.Product)
#: Named functions that textbooks set upright, as operators: Var(θ̂), Cov(X, Y), Bias(θ̂), MSE(θ̂).
_OPERATOR_NAMES = frozenset({"Var", "Cov", "Corr", "Bias", "MSE", "KL", "Std", "SE"})
#: A sub- or superscript that is a word (x_new, lambda_max, theta_MLE) is a label, set upright; one or two letters
#: (Sigma_ab, x_ij) are indices and stay italic.
_WORD_SCRIPT = re.compile(r"([_^])\{([A-Za-z]{3,})\}")
#: The widest exponent (ems) written as a superscript of e; wider ones are the argument of exp.
_LONGEST_EXPONENT = 5.0



def _product(factors: list) -> Any:
    """The product of ``factors`` as one expression that still shows them: SymPy distributes a number over a sum
    (2 (x + 1) becomes 2x + 2), which would print the factor without its brackets."""
    product = sp.Mul(*factors)
    if isinstance(product, sp.Add) and len(factors) > 1:
        return sp.Mul(*factors, evaluate=False)
    return product

class SymmlLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the conventions of ML textbooks (Bishop, Murphy).

    Besides SymPy's settings it takes ``names``: a mapping from expressions to the LaTeX of the name they are
    known by (``{S: r"\\hat{\\sigma}^{2}"}`` once the estimate of sigma^2 is defined), printed in their place.
    """

    printmethod = "_symml_latex"
    # x^{3/2}, not x^{\frac{3}{2}}: a stacked fraction in a superscript is set too small to read
    _default_settings = {**LatexPrinter._default_settings, "names": {}, "fold_frac_powers": True}

    def _print(self, expr: Any, **kwargs: Any) -> str:
        names = self._settings["names"]
        if names and isinstance(expr, sp.Basic) and expr in names:
            return names[expr]
        return super()._print(expr, **kwargs)

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        # each name is spelled once per printer: a layered result prints X a hundred times, and SymPy's
        # translation of a name (Greek letters, scripts) costs as much as the rest of its printing
        spelled = self.__dict__.setdefault("_spelled", {})
        if (expr, style) not in spelled:
            spelled[expr, style] = self._spelled_symbol(expr, style)
        return spelled[expr, style]

    def _spelled_symbol(self, expr: sp.Symbol, style: str) -> str:
        # A name of several letters (lam, lr) is one italic word: bare, LaTeX sets it as l·a·m, and 2 lam w read
        # as 2lamw. Greek letters and names LaTeX knows (lambda, ell) are translated by SymPy as before.
        text = _WORD_SCRIPT.sub(r"\1{\\mathrm{\2}}", super()._print_Symbol(expr, style))
        word = split_super_sub(expr.name)[0]
        if len(word) > 1 and word.isascii() and word.isalpha() and text.startswith(word):
            return f"\\mathit{{{word}}}{text[len(word):]}"
        return text

    def _superscript(self, exponent: Any) -> str:
        """An exponent as set inline, its short fractions with a slash: e^{-x/\\theta}, (1 + t)^{\\nu/2}."""
        folded = self._settings["fold_short_frac"]
        self._settings["fold_short_frac"] = True
        try:
            return self._print(exponent).replace(" / ", "/")
        finally:
            self._settings["fold_short_frac"] = folded

    def _helper_print_standard_power(self, expr: sp.Pow, template: str) -> str:
        base = self.parenthesize(expr.base, PRECEDENCE["Pow"])
        if expr.base.is_Symbol:
            base = self.parenthesize_super(base)
        return template % (base, self._superscript(expr.exp))

    # --- order and grouping: how a person writes sums and products ---------------------------------
    def _print_Add(self, expr: sp.Add, order: Any = None) -> str:
        # positive terms first (x - mu, not -mu + x); otherwise SymPy's order
        terms = sorted(self._as_ordered_terms(expr, order=order), key=lambda t: bool(t.could_extract_minus_sign()))
        tex = ""
        for position, term in enumerate(terms):
            if position and term.could_extract_minus_sign():
                tex, term = tex + " - ", -term
            elif position:
                tex += " + "
            text = self._print(term)
            tex += f"\\left({text}\\right)" if self._needs_add_brackets(term) else text
        return tex

    def _print_Mul(self, expr: sp.Mul) -> str:
        if expr.could_extract_minus_sign():
            positive = -expr
            return "- " + (self._print_positive_Mul(positive) if isinstance(positive, sp.Mul)
                           else self._print(positive) if isinstance(positive, (sp.Sum, sp.Product))  # - Σ log x_i
                           else self.parenthesize(positive, PRECEDENCE["Mul"]))
        return self._print_positive_Mul(expr)

    def _print_positive_Mul(self, expr: sp.Mul) -> str:
        names = self._settings["names"]
        means = {s for s in expr.free_symbols if self._is_composite_mean(s) and s not in names}
        if means:  # x^2 / ((1/n) sum_i (x_i - xbar)^2) reads n x^2 / sum_i (x_i - xbar)^2
            # (a subexpression known by a name is held as it is, so that it is still printed by its name)
            held = {node: sp.Dummy() for node in names if isinstance(node, sp.Expr) and expr.has(node)}
            outside = expr.xreplace(held) if held else expr
            means &= outside.free_symbols
        if means:
            written = outside.subs({s: self._as_sum(s) for s in means})
            return self._print(written.xreplace({dummy: node for node, dummy in held.items()}))
        factors = sp.Mul.make_args(expr)
        large = [f for f in factors if isinstance(f, _LARGE_OPERATORS)]
        small = _product([f for f in factors if f not in large])
        if large and small != 1:
            front = self._constant_over(small) if not isinstance(small, sp.Add) else self._bracketed(small)
            return front + " " + " ".join(self._print(f) for f in large)
        coefficient, rest = expr.as_coeff_Mul()
        if coefficient.is_Rational and not coefficient.is_Integer and isinstance(rest, sp.Function):
            return f"\\frac{{{coefficient.p}}}{{{coefficient.q}}} {self._print(rest)}"
        return self._constant_over(expr, fallback=True)

    def _constant_over(self, expr: sp.Expr, fallback: bool = False) -> str:
        """A product whose constant is 1/sqrt(q) is written over sqrt(q): 1/(sqrt(2 pi) sigma); a power with a
        negative symbolic exponent goes below the line: x^(k-1) / (theta^k Gamma(k)), not theta^(-k) x^(k-1)."""
        factors = sp.Mul.make_args(expr)
        below = [f for f in factors if isinstance(f, sp.Pow) and _negative_exponent(f.exp)]
        if below:
            numerator, denominator = sp.fraction(sp.Mul(*(f for f in factors if f not in below)))
            # built unevaluated: SymPy would split x^(alpha + 1) back into x x^alpha
            exponents: dict[Any, Any] = {}
            for f in [f for f in sp.Mul.make_args(denominator) if f != 1] + [sp.Pow(f.base, -f.exp) for f in below]:
                base, exponent = f.as_base_exp()
                exponents[base] = exponents.get(base, 0) + exponent  # x x^alpha is x^(alpha + 1)
            lower = [sp.Pow(base, exponent) for base, exponent in exponents.items()]
            under = " ".join(self.parenthesize(f, PRECEDENCE["Mul"], strict=True) for f in lower)
            return f"\\frac{{{self._print(numerator)}}}{{{under}}}"
        constant, symbolic = expr.as_independent(*expr.free_symbols, as_Add=False)
        root = 1 / constant
        square = root**2
        # 1/sqrt(2 pi), 1/sqrt(2); not 3 sqrt(2), whose root squared is 1/18: 1/sqrt(1/18) is no way to write it;
        # nor e^(-4) e^(-e), with no square root to take away (its square is printed by this rule again, for ever)
        if constant.is_positive and not root.is_Rational and not square.has(sp.Pow) and not (
                square.is_Rational and not square.is_Integer) and any(
                power.exp == sp.S.Half for power in root.atoms(sp.Pow)):
            numerator, denominator = sp.fraction(symbolic)
            root_text = f"\\sqrt{{{self._print(square)}}}"
            if denominator != 1:
                root_text += " " + self.parenthesize(denominator, PRECEDENCE["Mul"], strict=True)
            return f"\\frac{{{self._print(numerator)}}}{{{root_text}}}"
        logarithms = [f for f in factors if isinstance(f, sp.log) or self._is_mean_of_a_log(f)]
        if fallback and logarithms and len(logarithms) < len(factors) and sp.fraction(expr)[1] == 1:
            # log p x_i would read as log(p x_i): the logarithms go last, x_i log p
            others = _product([f for f in factors if f not in logarithms])
            front = self._bracketed(others) if isinstance(others, sp.Add) else self._print(others)
            return " ".join([front, *(self._print(f) for f in logarithms)])
        if fallback:
            return super()._print_Mul(expr)
        return self.parenthesize(expr, PRECEDENCE["Mul"], strict=True)

    def _bracketed(self, expr: sp.Expr) -> str:
        return f"\\left({self._print(expr)}\\right)"

    def _print_exp(self, expr: Any, exp: Any = None) -> str:
        # a short exponent is a superscript (e^{-x}, e^{-x/θ}); a long one, or one with a fraction that does not fold
        # into a slash, is an argument: exp(-(x - mu)^2 / (2 sigma^2))
        exponent = self._superscript(expr.args[0])
        if width(exponent) <= _LONGEST_EXPONENT and "\\frac" not in exponent:
            return self._do_exponent(f"e^{{{exponent}}}", exp)
        return self._do_exponent(f"\\exp\\left({self._print(expr.args[0])}\\right)", exp)

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        base = self._print(getattr(expr.base, "label", expr.base))  # a random vector's X[0] has no label
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

    def _print_MatMul(self, expr: Any) -> str:
        # a fractional coefficient is written in front, unbracketed: (1/2) tr(Sigma^-1 S) as \frac{1}{2} tr(...)
        coefficient, matrices = expr.as_coeff_matrices()
        residual = _residual_of_square(sp.MatMul(*matrices))
        if residual is not None:
            norm = self._norm_power(residual, 2)
            sign = "- " if coefficient.could_extract_minus_sign() else ""
            magnitude = -coefficient if sign else coefficient
            if magnitude == 1:
                return f"{sign}{norm}"
            return f"{sign}{self.parenthesize(magnitude, PRECEDENCE['Mul'], strict=True)} {norm}"
        if len(matrices) == 1 and matrices[0] == sp.Identity(1):
            return self._print(coefficient)  # c I₁ is the scalar c
        if not (coefficient.is_Rational and not coefficient.is_Integer):
            return super()._print_MatMul(expr)
        sign = "- " if coefficient < 0 else ""
        factors = " ".join(f"\\left({self._print(m)}\\right)" if isinstance(m, sp.MatAdd) else self._print(m)
                           for m in matrices)
        return f"{sign}\\frac{{{abs(coefficient.p)}}}{{{coefficient.q}}} {factors}"

    def _print_Inverse(self, expr: Any) -> str:
        if isinstance(expr.arg, sp.Transpose) and isinstance(expr.arg.arg, sp.MatrixSymbol):
            return f"{self._print(expr.arg.arg)}^{{-\\top}}"  # (A^T)^-1 = A^-T
        return self._print_MatPow(expr)

    def _print_Transpose(self, expr: Any) -> str:
        if isinstance(expr.arg, sp.Inverse) and isinstance(expr.arg.arg, sp.MatrixSymbol):
            return f"{self._print(expr.arg.arg)}^{{-\\top}}"
        if isinstance(expr.arg, sp.Inverse) and isinstance(expr.arg.arg, sp.Transpose):
            return self._print(sp.Inverse(expr.arg.arg.arg))  # ((A^T)^-1)^T = A^-1
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

    @staticmethod
    def _observation(mean: Any) -> sp.Symbol | None:
        """The data symbol of a sample mean's summand: its only non-statistic symbol, or the one named x."""
        data = [s for s in mean.summand.free_symbols if not hasattr(s, "reduction")]
        if len(data) == 1:
            return data[0]
        return next((s for s in data if s.name == "x"), None)

    @classmethod
    def _is_composite_mean(cls, expr: Any) -> bool:
        """A sample mean of deviations, (1/n) sum_i (x_i - xbar)^2 or (1/n) sum_i |x_i - mu|: printed as that sum,
        since an overline over a whole expression reads badly (a double bar under a root); overline{log x} stays."""
        if getattr(expr, "reduction", None) != "mean" or cls._observation(expr) is None:
            return False
        summand = expr.summand
        about_a_statistic = any(hasattr(s, "reduction") for s in summand.free_symbols)
        deviation = any(isinstance(a, (sp.Pow, sp.Abs)) and a.args[0].has(sp.Add) for a in sp.preorder_traversal(summand))
        return about_a_statistic or deviation

    _n = sp.Symbol("n", integer=True, positive=True)

    def _as_sum(self, mean: Any) -> sp.Expr:
        """A composite sample mean as (1/n) sum_{i=1}^n g(x_i), the same value written over the sample."""
        observation = self._observation(mean)
        assert observation is not None, "only composite means are written as sums"
        i = sp.Symbol("i", integer=True, positive=True)
        at_i = mean.summand.subs(observation, sp.IndexedBase(observation.name)[i])
        return sp.Sum(arrange(at_i), (i, 1, self._n)) / self._n

    @staticmethod
    def _is_mean_of_a_log(expr: Any) -> bool:
        """The sample mean of a logarithm, printed as one: \\overline{\\log x} k would read as the mean of log(xk)."""
        return getattr(expr, "reduction", None) == "mean" and isinstance(getattr(expr, "summand", None), sp.log)

    def _print_StatisticSymbol(self, expr: Any) -> str:
        """A sample statistic (symml.mle.statistics): x-bar, overline{log x}, (1/n) sum_i (x_i - xbar)^2,
        x_(1), x_(n), med(x)."""
        if self._is_composite_mean(expr):
            return f"\\frac{{1}}{{n}} {self._print_Sum(self._as_sum(expr) * self._n)}"
        summand = self._print(expr.summand)
        if expr.reduction == "mean":
            return f"\\bar{{{summand}}}" if isinstance(expr.summand, sp.Symbol) else f"\\overline{{{summand}}}"
        if expr.reduction == "median":
            return f"\\operatorname{{med}}\\left({summand}\\right)"
        if not isinstance(expr.summand, sp.Symbol):
            summand = f"\\left({summand}\\right)"
        return f"{summand}_{{(1)}}" if expr.reduction == "min" else f"{summand}_{{(n)}}"

    def _print_Pow(self, expr: sp.Pow, **kwargs: Any) -> str:
        # a statistic written as a sum, or a base known by a name with an exponent, is bracketed before a power
        base = expr.base
        residual = _residual_of_square(base)
        if residual is not None:  # sqrt((Xw - y)ᵀ(Xw - y)) is the norm ‖Xw - y‖
            return self._norm_power(residual, 2 * expr.exp)
        named = self._settings["names"].get(base)
        # (a statistic known by a name without an exponent is one symbol: b̂², not (b̂)²)
        if (named is not None and "^" in named) or (named is None and self._is_composite_mean(base)):
            if expr.exp == sp.S.Half:
                return f"\\sqrt{{{self._print(base)}}}"
            if expr.exp.is_negative:
                return f"\\frac{{1}}{{{self._print(sp.Pow(base, -expr.exp))}}}"
            return f"\\left({self._print(base)}\\right)^{{{self._print(expr.exp)}}}"
        return super()._print_Pow(expr, **kwargs)

    def _norm_power(self, residual: Any, exponent: Any) -> str:
        """‖r‖ raised to ``exponent`` (a negative power written below the line)."""
        norm, exponent = f"\\left\\|{self._print(residual)}\\right\\|", sp.sympify(exponent)
        if exponent.is_negative:
            return f"\\frac{{1}}{{{self._norm_power(residual, -exponent)}}}"
        return norm if exponent == 1 else f"{norm}^{{{self._print(exponent)}}}"

    def _print_log(self, expr: Any, exp: Any = None) -> str:
        argument = expr.args[0]
        if isinstance(argument, sp.Determinant) and exp is None:
            return self._apply(r"\log\det", argument.arg)
        power = f"^{{{exp}}}" if exp is not None else ""
        if isinstance(argument, (sp.Symbol, sp.Indexed, sp.gamma, sp.beta, sp.Integer, sp.NumberSymbol, AppliedUndef)) \
                and not self._is_composite_mean(argument) or argument in self._settings["names"]:
            return f"\\log{power} {self._print(argument)}"  # log sigma, log x_i, log Gamma(k), log pi(p), log A_1
        return f"\\log{power}\\left({self._print(argument)}\\right)"

    def _print_loggamma(self, expr: Any, exp: Any = None) -> str:
        power = f"^{{{exp}}}" if exp is not None else ""
        return f"\\log{power} \\Gamma\\left({self._print(expr.args[0])}\\right)"

    def _print_polygamma(self, expr: Any, exp: Any = None) -> str:
        # psi(k), psi'(k), psi''(k), psi^{(m)}(k): the digamma function and its derivatives as textbooks write them
        order, argument = expr.args
        marks = {0: "", 1: "'", 2: "''"}
        name = f"\\psi{marks[int(order)]}" if order in marks else f"\\psi^{{({self._print(order)})}}"
        text = f"{name}\\left({self._print(argument)}\\right)"
        return f"{text}^{{{exp}}}" if exp is not None else text

    def _print_AppliedUndef(self, expr: Any, exp: Any = None) -> str:
        # f(x), ell(mu, sigma), L(mu, sigma): a named function applied to its arguments; Var(x) upright, and
        # "log f" (the log of a function, f(x) unknown to SymPy) as \log f
        words = expr.func.__name__.split(" ")
        name = " ".join(f"\\operatorname{{{word}}}" if word in _OPERATOR_NAMES else
                        f"\\{word}" if word in ("log", "exp") and len(words) > 1 else self._deal_with_super_sub(word)
                        for word in words)
        arguments = ", ".join(self._print(a) for a in expr.args)
        power = f"^{{{exp}}}" if exp is not None else ""
        if "\\frac" in arguments or "\\sum" in arguments:
            return f"{name}{power}\\left({arguments}\\right)"
        return f"{name}{power}({arguments})"

    def _print_distribution(self, expr: Any) -> str:
        family = type(expr).__name__.removesuffix("Distribution")
        symbol, written = _FAMILIES.get(family, (f"\\operatorname{{{family}}}", None))
        arguments = written(*expr.args) if written is not None else expr.args
        # A flag among the arguments (Gumbel's minimum) names a variant of the law, not a parameter of it
        flags = [a for a in arguments if isinstance(a, sp.logic.boolalg.BooleanAtom)]
        arguments = [a for a in arguments if a not in flags]
        names = dict(zip(expr.args, getattr(expr, "_argnames", ())))
        variants = "".join(f"; \\text{{{names[f]}}}" for f in flags if f == sp.true and f in names)
        return f"{symbol}\\left({', '.join(self._print(a) for a in arguments)}{variants}\\right)"

    _print_SingleContinuousDistribution = _print_distribution
    _print_SingleDiscreteDistribution = _print_distribution
    _print_SingleFiniteDistribution = _print_distribution

    def _reduction_over_sample(self, operator: str, expr: Any) -> str:
        summand, index, size = (self._print(a) for a in expr.args)
        return f"{operator}_{{1 \\le {index} \\le {size}}} {summand}"

    def _print_SampleMin(self, expr: Any) -> str:
        return self._reduction_over_sample("\\min", expr)

    def _print_SampleMax(self, expr: Any) -> str:
        return self._reduction_over_sample("\\max", expr)

    def _print_SampleMedian(self, expr: Any) -> str:
        return self._reduction_over_sample("\\operatorname{med}", expr)

    def _print_SampleQuantile(self, expr: Any) -> str:
        summand, index, size, level = (self._print(a) for a in expr.args)
        return f"Q_{{{level}}}\\left(\\{{{summand}\\}}_{{{index}=1}}^{{{size}}}\\right)"

    def _print_SampleWeightedQuantile(self, expr: Any) -> str:
        return self._weighted_points(f"Q_{{{self._print(expr.args[3])}}}", expr.args[:3], expr.args[4], expr.args[5:])

    def _print_SamplePenalisedMedian(self, expr: Any) -> str:
        # the median of the weighted points with the penalty a t² + b t beside their absolute deviations
        t = sp.Symbol("t")
        penalty = self._print(expr.args[4] * t**2 + expr.args[5] * t)
        return self._weighted_points(f"\\operatorname{{med}}_{{{penalty}}}", expr.args[:3], expr.args[3],
                                     expr.args[6:])

    def _weighted_points(self, name: str, sample: Any, weight: Any, outside: Any) -> str:
        summand, index, size = (self._print(a) for a in sample)
        points, weights = [", ".join(self._print(e) for e in extra) for extra in outside] or ["", ""]
        more = f" \\cup \\{{{points}\\}}" if points else ""
        return (f"{name}\\left(\\{{{summand}\\}}_{{{index}=1}}^{{{size}}}{more};\\ \\text{{weights }} "
                f"{self._print(weight)}" + (f", {weights}" if weights else "") + "\\right)")

    # --- matrix calculus (symml.matrix_calculus): elementwise functions, reductions, differentials ---
    _ELEMENTWISE = {"exp": r"\exp", "log": r"\log", "sigmoid": r"\sigma", "softplus": r"\operatorname{softplus}",
                    "tanh": r"\tanh", "relu": r"\operatorname{relu}", "sign": r"\operatorname{sign}", "step": "H"}

    def _apply(self, operator: str, arg: Any) -> str:
        return f"{operator}\\left({self._print(arg)}\\right)"

    def _print_Elementwise(self, expr: Any) -> str:
        if expr.name == "abs":
            return f"\\left|{self._print(expr.arg)}\\right|"
        return self._apply(self._ELEMENTWISE[expr.name], expr.arg)

    def _powered(self, operator: str, expr: Any, exp: str | None) -> str:
        # SymPy's Pow printer passes the exponent of σ(u)² (relu(u)², ...) to the function's printer
        shown = self._apply(operator, expr.args[0])
        return shown if exp is None else f"{shown}^{{{exp}}}"

    def _print_Sigmoid(self, expr: Any, exp: str | None = None) -> str:
        return self._powered(r"\sigma", expr, exp)

    def _print_Softplus(self, expr: Any, exp: str | None = None) -> str:
        return self._powered(r"\operatorname{softplus}", expr, exp)

    def _print_ReLU(self, expr: Any, exp: str | None = None) -> str:
        return self._powered(r"\operatorname{relu}", expr, exp)

    def _print_EntrySum(self, expr: Any) -> str:
        return self._apply(r"\operatorname{sum}", expr.arg)

    def _print_Tr(self, expr: Any) -> str:
        return self._print_Trace(expr)

    def _print_Det(self, expr: Any) -> str:
        return self._apply(r"\det", expr.arg)

    _print_Determinant = _print_Det

    def _print_LogDet(self, expr: Any) -> str:
        return self._apply(r"\log\det", expr.arg)

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

    def _print_Identity(self, expr: Any) -> str:
        return "1" if expr.shape == (1, 1) else "I"  # the 1×1 identity is the scalar 1

    def _print_OneMatrix(self, expr: Any) -> str:
        rows, columns = expr.shape
        if rows == 1 and columns == 1:
            return "1"
        # A row of ones is the transpose of the column of ones; without the transpose the two read the same.
        return r"\mathbf{1}^{\top}" if rows == 1 else r"\mathbf{1}"

    def _print_ImmutableDenseMatrix(self, expr: Any) -> str:
        if tuple(expr.shape) != (1, 1):
            return super()._print_MatrixBase(expr)
        # an explicit 1 x 1 matrix (a block of a bivariate normal) is the scalar it holds, not [σ₁²]
        entry = expr[0, 0]
        text = self._print(entry)
        return f"\\left({text}\\right)" if isinstance(entry, sp.Add) else text

    _print_MutableDenseMatrix = _print_ImmutableDenseMatrix  # sp.Matrix([[x]]) too

    def _print_MatrixDifferential(self, expr: Any) -> str:
        return f"\\mathrm{{d}}{self._print(expr.base)}"

    _print_ScalarDifferential = _print_MatrixDifferential

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
        if scalar and _residual_of_square(base) is not None:
            return self._print_Pow(sp.Pow(base, exponent, evaluate=False))
        if scalar and exponent == sp.S.Half:
            return f"\\sqrt{{{self._print(base)}}}"
        text = self._print(base)
        if not isinstance(base, sp.MatrixSymbol):
            text = f"\\left({text}\\right)"
        return f"{text}^{{{self._print(exponent)}}}" if scalar else f"{text}^{{\\circ {self._print(exponent)}}}"


def _negative_exponent(exponent: sp.Expr) -> bool:
    """-k or -alpha - 1 (written below the line as a positive power), but not 1 - x."""
    if exponent.is_number:
        return False
    terms = sp.Add.make_args(exponent)
    return all(t.could_extract_minus_sign() for t in terms)


def latex(expr: Any, **settings: Any) -> str:
    """LaTeX of a SymPy object in symml's conventions, grouped for reading by :func:`arrange` (same value).

    ``settings`` are SymPy LatexPrinter settings and ``names`` (see :class:`SymmlLatexPrinter`).
    """
    tex = SymmlLatexPrinter(settings).doprint(arrange(expr))
    if settings.get("names"):
        tex = _NAME_IN_BRACKETS.sub(r"\1", tex)
    return math_unicode_as_latex(_plain_parentheses(tex))


# A name of a shared subexpression (A_{3}: see symml.render.shared) is one symbol: the brackets that the printer put
# around the expression it stands for are not needed around it, unless they hold a function's argument (tanh(A_{1})).
_NAME_IN_BRACKETS = re.compile(r"(?<![A-Za-z}])\\left\(([A-Z]_\{\d+\})\\right\)")


_DELIMITER = re.compile(r"\\(left|right)(\\[{}|]|[()\[\].|])")
_TALL = ("\\frac", "\\sum", "\\prod", "\\begin", "\\sqrt", "\\int", "\\overline")


def _plain_parentheses(tex: str) -> str:
    """``\\left( ... \\right)`` around content of one line's height becomes ``( ... )``: sigma(Xw), not the
    wider spacing of sigma\\left(Xw\\right) (TeX puts extra space around \\left...\\right groups, and breaks
    no inline formula inside them). So do brackets, bars, norms, braces and half-open intervals: E[x], |r|, ‖w‖,
    [0, ∞); an evaluation bar (``\\left. ... \\right|``) keeps its sizing."""
    stack: list[tuple[re.Match[str], int]] = []  # an opening, and the most levels of plain brackets inside it
    plain: list[tuple[int, int, str]] = []
    for match in _DELIMITER.finditer(tex):
        if match.group(1) == "left":
            stack.append((match, 0))
            continue
        if not stack:
            continue
        opening, inside = stack.pop()
        content = tex[opening.end():match.start()]
        if "." in (opening.group(2), match.group(2)) or any(t in content for t in _TALL):
            continue
        # three levels of brackets read apart when the outer one is a size larger: diag\bigl(σ(Xw) ⊙ (1 − σ(Xw))\bigr)
        larger = inside >= 2 and opening.group(2) in "([" and match.group(2) in ")]"
        plain += [(opening.start(), opening.end(), "\\bigl" * larger + opening.group(2)),
                  (match.start(), match.end(), "\\bigr" * larger + match.group(2))]
        if stack:
            stack[-1] = (stack[-1][0], max(stack[-1][1], inside + 1))
    for start, end, bracket in sorted(plain, reverse=True):
        tex = tex[:start] + bracket + tex[end:]
    return tex


def _residual_of_square(expr: Any) -> Any:
    """r when ``expr`` is rᵀr for a column r that is a sum (a residual Xw - y), else None. SymPy distributes the
    transpose, (Xw - y)ᵀ = wᵀXᵀ - yᵀ, which hides the square; a lone vector's wᵀw stays as written."""
    # A Scalar exists only once the matrix engine is loaded: printing a scalar derivation does not load it
    algebra = sys.modules.get("symml.matrix_calculus.algebra")
    if algebra is not None and isinstance(expr, algebra.Scalar):
        expr = expr.args[0]
    if not isinstance(expr, sp.MatMul) or len(expr.args) != 2:
        return None
    left, right = expr.args
    if isinstance(right, sp.MatAdd) and right.shape[1] == 1 and left == right.T:
        return right
    return None

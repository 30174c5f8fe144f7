"""Differentiation of scalar expressions by walking the expression tree, one named rule per node.

Each node of the tree is differentiated by the rule its type calls for (sum, constant factor, product,
quotient, power, exponential, chain rule through a known function, piecewise), and every application is
recorded as a :class:`~symml.Step` ``d/dx f = ...`` naming the rule. Only the derivative of a known one-argument
function at a dummy point (``d/dt sin t = cos t``) comes from SymPy; the structure is derived here.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> walk = RuleWalk(x)
>>> walk.derivative(x**2 * sp.exp(x))
x**2*exp(x) + 2*x*exp(x)
>>> [step.title for step in walk.steps]
['Product rule', 'Power rule', 'Known derivative: exp']
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.derivation import Step
from symml.errors import UnsupportedOperationError

__all__ = ["RuleWalk"]


def _as_cases(extremum: sp.Max | sp.Min) -> sp.Piecewise:
    """Max (Min) as the Piecewise of its arguments, each where its differences with the later ones are ≥ 0 (≤ 0):
    SymPy's own rewrite(Piecewise) compares the arguments themselves and recursed without end on the pinball loss
    Max(3(y − z)/10, −7(y − z)/10)."""
    compare = sp.Ge if isinstance(extremum, sp.Max) else sp.Le
    arguments = extremum.args
    return sp.Piecewise(*((a, sp.And(*(compare(a - b, 0) for b in arguments[k + 1:])))
                          for k, a in enumerate(arguments)))


def _d(expr: sp.Expr, x: sp.Symbol) -> sp.Derivative:
    return sp.Derivative(expr, x, evaluate=False)


class RuleWalk:
    """Differentiates expressions with respect to one symbol, recording each rule applied as a step.

    Attributes:
        x: the symbol differentiated with respect to.
        steps: the rule applications, in the order they were made (outermost first).
        kinks: the non-smooth nodes met (Abs, Piecewise, sign, Heaviside), each with the region where it
            matters (a node inside a case of a Piecewise matters only where that case holds).
    """

    def __init__(self, x: sp.Symbol) -> None:
        self.x = x
        self.steps: list[Step] = []
        self.kinks: list[tuple[sp.Expr, sp.Basic]] = []
        self._region: sp.Basic = sp.true
        self._done: dict[sp.Expr, sp.Expr] = {}

    def derivative(self, expr: Any) -> sp.Expr:
        """d expr / dx, recording the rules (each subexpression once)."""
        expr = sp.sympify(expr)
        if not expr.has(self.x):
            return sp.S.Zero
        if expr == self.x:
            return sp.S.One
        if expr in self._done:
            return self._done[expr]
        index = len(self.steps)
        title, why, shown, result = self._rule(expr)
        if expr.is_polynomial(self.x) and sp.degree(expr, self.x) == 1:
            del self.steps[index:]  # a linear term's derivative is its coefficient: no steps worth reading
        else:
            # the step is placed before those of its parts: the outer rule reads first
            self.steps.insert(index, Step(title, sp.Eq(_d(expr, self.x), shown, evaluate=False), why))
        self._done[expr] = result
        return result

    # --- the rules ----------------------------------------------------------------------------------------
    def _rule(self, expr: sp.Expr) -> tuple[str, str, sp.Expr, sp.Expr]:
        """(rule name, justification, the rule's right-hand side before evaluation, the derivative)."""
        x = self.x
        if isinstance(expr, sp.Add):
            parts = expr.args
            shown = sp.Add(*(_d(p, x) for p in parts if p.has(x)), evaluate=False)
            return "Sum rule", "(f + g)' = f' + g'", shown, sp.Add(*(self.derivative(p) for p in parts))
        if isinstance(expr, sp.Sum) and not any(x in sp.sympify(limit[1:]).free_symbols for limit in expr.limits):
            # a sum over data, Σᵢ f(xᵢ, w): linear, so its derivative is the sum of the summands' derivatives
            summand, limits = expr.function, expr.limits
            return ("Sum over the data", "d/dw Σᵢ fᵢ = Σᵢ dfᵢ/dw", sp.Sum(_d(summand, x), *limits),
                    sp.Sum(self.derivative(summand), *limits))
        if isinstance(expr, sp.Mul):
            return self._product(expr)
        if isinstance(expr, sp.Pow):
            return self._power(expr)
        if isinstance(expr, (sp.Max, sp.Min)):
            piecewise = _as_cases(expr)
            return (f"{type(expr).__name__} as cases", f"{type(expr).__name__} is one of its arguments on each side of "
                    "where they are equal", _d(piecewise, x), self.derivative(piecewise))
        if isinstance(expr, sp.Piecewise):
            return self._piecewise(expr)
        if isinstance(expr, sp.Function) and sum(arg.has(x) for arg in expr.args) == 1:
            return self._chain(expr)
        raise UnsupportedOperationError(
            f"no differentiation rule for {type(expr).__name__} (in {expr}); symml differentiates sums, products, "
            "quotients, powers, piecewise and non-smooth functions (Abs, Max, Min) and functions of one varying "
            "argument"
        )

    def _product(self, expr: sp.Mul) -> tuple[str, str, sp.Expr, sp.Expr]:
        x = self.x
        constant, varying = expr.as_independent(x, as_Add=False)
        if constant != 1:
            inner = self.derivative(varying)
            return ("Constant factor", "(c f)' = c f'", sp.Mul(constant, _d(varying, x), evaluate=False),
                    constant * inner)
        numerator, denominator = sp.fraction(expr)
        if denominator.has(x) and numerator.has(x):
            dn, dd = self.derivative(numerator), self.derivative(denominator)
            shown = (_d(numerator, x) * denominator - numerator * _d(denominator, x)) / denominator**2
            return "Quotient rule", "(f/g)' = (f'g − fg')/g²", shown, (dn * denominator - numerator * dd) / denominator**2
        factors = expr.args
        terms, shown_terms = [], []
        for k, factor in enumerate(factors):
            others = sp.Mul(*(f for j, f in enumerate(factors) if j != k))
            terms.append(self.derivative(factor) * others)
            shown_terms.append(sp.Mul(_d(factor, x), others, evaluate=False))
        return "Product rule", "(fg)' = f'g + fg'", sp.Add(*shown_terms, evaluate=False), sp.Add(*terms)

    def _power(self, expr: sp.Pow) -> tuple[str, str, sp.Expr, sp.Expr]:
        x = self.x
        base, exponent = expr.args
        if not exponent.has(x):
            inner = self.derivative(base)
            outer = exponent * base ** (exponent - 1)
            if base == x:
                return "Power rule", "d/dx xⁿ = n xⁿ⁻¹", outer, outer
            return ("Power rule and chain rule", "d/dx uⁿ = n uⁿ⁻¹ u'", sp.Mul(outer, _d(base, x), evaluate=False),
                    outer * inner)
        if not base.has(x):
            inner = self.derivative(exponent)
            return ("Exponential rule", "d/dx aᵘ = aᵘ log(a) u'",
                    sp.Mul(expr, sp.log(base), _d(exponent, x), evaluate=False), expr * sp.log(base) * inner)
        # u^v = exp(v log u): logarithmic differentiation
        via_exp = exponent * sp.log(base)
        inner = self.derivative(via_exp)
        return ("Logarithmic differentiation", "uᵛ = exp(v log u), so (uᵛ)' = uᵛ (v log u)'",
                sp.Mul(expr, _d(via_exp, x), evaluate=False), expr * inner)

    def _chain(self, expr: sp.Function) -> tuple[str, str, sp.Expr, sp.Expr]:
        x = self.x
        # the one argument that varies with x (polygamma(k, u): the order k is a constant)
        position = next(k for k, arg in enumerate(expr.args) if arg.has(x))
        inner = expr.args[position]
        if isinstance(expr, (sp.Abs, sp.sign, sp.Heaviside)):
            self.kinks.append((expr, self._region))
        if isinstance(expr, (sp.sign, sp.Heaviside)):
            # piecewise constant: derivative 0 away from the jump (the jump itself has no derivative)
            return ("Piecewise constant", f"{type(expr).__name__} is constant on each side of its jump at 0",
                    sp.S.Zero, sp.S.Zero)
        t = sp.Dummy("t", real=True)
        outer = sp.diff(expr.func(*expr.args[:position], t, *expr.args[position + 1:]), t)
        if isinstance(expr, sp.Abs):
            outer = sp.sign(t)  # SymPy writes d|t|/dt through re/im; on the reals it is sign(t)
        if outer.has(sp.Derivative, sp.Subs):
            raise UnsupportedOperationError(f"SymPy knows no derivative of {expr.func} (in {expr})")
        name = getattr(expr.func, "__name__", str(expr.func)).lower()
        at_inner = outer.xreplace({t: inner})
        if inner == x:
            return f"Known derivative: {name}", f"d/dt {name}(t) = {sp.sstr(outer.xreplace({t: sp.Symbol('t')}))}", \
                at_inner, at_inner
        d_inner = self.derivative(inner)
        why = f"d/dx f(u) = f'(u) u', with f = {name}, f'(t) = {sp.sstr(outer.xreplace({t: sp.Symbol('t')}))}"
        return "Chain rule", why, sp.Mul(at_inner, _d(inner, x), evaluate=False), at_inner * d_inner

    def _piecewise(self, expr: sp.Piecewise) -> tuple[str, str, sp.Expr, sp.Expr]:
        self.kinks.append((expr, self._region))
        pieces, outer, earlier = [], self._region, sp.false
        for piece, condition in expr.args:
            self._region = sp.And(outer, condition, sp.Not(earlier))
            pieces.append((self.derivative(piece), condition))
            earlier = sp.Or(earlier, condition)
        self._region = outer
        shown = sp.Piecewise(*((_d(piece, self.x), condition) for piece, condition in expr.args), evaluate=False)
        return ("Rule for a function defined by cases", "differentiate each case on its own region; the boundaries are examined below",
                shown, sp.Piecewise(*pieces))

r"""Rows about derivatives of quantities the notes never write out, used by the rows after them.

Backpropagation notes state what they know of an unknown loss as equations between derivatives:
``\frac{\partial L}{\partial W} = \frac{\partial L}{\partial a} \frac{\partial a}{\partial z}
\frac{\partial z}{\partial W}`` (the chain rule), ``\frac{\partial L}{\partial a} \frac{\partial a}{\partial z} =
\hat y - y`` (from the loss and activation named in words), then conclude
``\frac{\partial L}{\partial W} = (\hat y - y) a^{L-1}``. Such a conclusion follows from the rows before it: each
row whose left side holds a derivative of an undefined quantity is kept as a rewriting rule, left to right (a chain
of derivatives ``dA/dB dB/dC`` also gives ``dA/dC``, the chain rule along the names the notes use), and a later step
whose derivatives the notes never define is rewritten with those rules, then with the definitions, until no such
derivative is left; the rewritten sides are then compared.

A step that holds once rewritten follows from the rows used (the report names them). One that does not is wrong
only if every row used was itself checked; otherwise the slip may be in one of those rows, and the step is
unchecked, with that reason.

>>> import sympy as sp
>>> L, a, z, W, y, x = sp.symbols("L a z W y x")
>>> d = lambda f, v: sp.Derivative(f, v, evaluate=False)
>>> facts = DerivativeFacts()
>>> facts.add(d(L, a) * d(a, z), y - 1, "line 2", checked=False)
>>> facts.rewritten(d(L, z) * x, lambda e: e)
(x*(y - 1), ('line 2',))
"""
from __future__ import annotations

from typing import Any, Callable

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.decide import decide
from symml.checker.verdict import Verdict, VerdictKind

__all__ = ["DerivativeFacts"]

#: Rounds of rewriting (each applies every rule once): a derivation rarely nests its rows deeper.
_ROUNDS = 4


class DerivativeFacts:
    """The rules stated so far: ``(left, right, label, checked)``, the left side holding a derivative."""

    def __init__(self) -> None:
        self.rules: list[tuple[Any, Any, str, bool]] = []

    def add(self, left: Any, right: Any, label: str, checked: bool) -> None:
        """Keep ``left = right`` (with ``dA/dC = right`` when ``left`` is a chain ``dA/dB dB/dC``) as a rule."""
        if not isinstance(left, sp.Expr) or not isinstance(right, sp.Expr) or not left.has(sp.Derivative) \
                or left.has(sp.Sum, sp.Product) or right.has(left):
            return
        left, right = _named(left), _named(right)
        self.rules.append((left, right, label, checked))
        joined = _joined_chain(left)
        if joined is not None and joined != left and not right.has(joined):
            self.rules.append((joined, right, label, checked))

    def rewritten(self, expr: Any, expand: Callable[[Any], Any]) -> tuple[Any, tuple[str, ...]]:
        """``expr`` rewritten with the rules and the definitions (``expand``), and the labels of the rules used."""
        used: list[str] = []
        expr = _named(expr)
        for _ in range(_ROUNDS):
            before = expr
            for left, right, label, _checked in self.rules:
                replaced = expr.subs(left, right)
                if replaced != expr:
                    expr = replaced
                    used.append(label)
            expr = _named(expand(expr))
            if expr == before:
                break
        return expr, tuple(dict.fromkeys(used))

    def follows(self, left: Any, right: Any, expand: Callable[[Any], Any], options: dict[str, Any]) -> Verdict | None:
        """The verdict on ``left = right`` once rewritten with the rules, when it holds; else None."""
        verdict = self._rewritten_verdict(left, right, expand, options)[0]
        return verdict if verdict else None

    def judge(self, left: Any, right: Any, label: str, path: str | None, undefined: Any,
              expand: Callable[[Any], Any], options: dict[str, Any]) -> tuple[str, str, Verdict | None]:
        """The status (a :class:`StepStatus` value), reason and verdict of ``left = right``, a step with a derivative
        of the undefined ``undefined``; ``path`` names the chain rule when the step is one. The step is kept as a
        rule for the steps after it unless it is wrong."""
        if path is not None:  # dL/dW = dL/da da/dz dz/dW between quantities the notes never write out
            self.add(left, right, label, checked=True)
            return "holds", f"holds by {path}", None
        verdict, used, opaque, functions = self._rewritten_verdict(left, right, expand, options)
        rows = ", ".join(used)
        if verdict:  # as sure as the rows it follows from
            self.add(left, right, label, checked=self._all_checked(used))
            because = (f"follows from {rows}: " if used else "holds for any value of the derivatives the notes leave "
                       "open: " if opaque else "")
            return "holds", because + verdict.headline(), verdict
        if verdict is not None and verdict.kind is VerdictKind.NOT_EQUIVALENT and used and not (opaque or functions):
            if self._all_checked(used):
                return "wrong", f"does not follow from {rows}", verdict
            return "unchecked", (f"does not follow from {rows}, one of which symml could not check: the slip is in "
                                 "one of them"), verdict
        self.add(left, right, label, checked=False)
        return ("unchecked", f"the derivative of {undefined}, which the notes do not define as a function of the "
                "variable", None)

    def _rewritten_verdict(self, left: Any, right: Any, expand: Callable[[Any], Any],
                           options: dict[str, Any]) -> tuple[Verdict | None, tuple[str, ...], bool, bool]:
        """The verdict on the sides rewritten with the rules, each derivative still undefined then standing for an
        arbitrary number (the same on both sides); the rules used; whether such a derivative was left, and whether
        an undefined function was (a disagreement then is not a counterexample). No verdict for matrices."""
        if any(getattr(side, "is_Matrix", False) or isinstance(side, sp.MatrixExpr) or (
                isinstance(side, sp.Basic) and side.atoms(sp.MatrixSymbol)) for side in (left, right)):
            return None, (), False, False  # a derivative by a vector is not one arbitrary number
        sides = [self.rewritten(side, expand) for side in (left, right)]
        used = tuple(dict.fromkeys(sides[0][1] + sides[1][1]))
        opaque = {d: sp.Dummy(f"d{k}") for k, d in enumerate(sorted(
            {d for side, _ in sides if isinstance(side, sp.Basic) for d in side.atoms(sp.Derivative)
             if isinstance(d.expr, (sp.Symbol, sp.Indexed))}, key=sp.default_sort_key))}
        # derivatives of undefined functions (L'(theta) of L(theta)) are left to decide: it draws random functions
        values = [side.xreplace(opaque) if isinstance(side, sp.Basic) else side for side, _ in sides]
        verdict = decide(*values, **options)
        functions = any(isinstance(value, sp.Basic) and value.has(AppliedUndef) for value in values)
        return verdict, used, bool(opaque), functions

    def _all_checked(self, labels: tuple[str, ...]) -> bool:
        return all(checked for _, _, label, checked in self.rules if label in labels)


def undefined_derivatives(expr: Any) -> bool:
    """Whether ``expr`` still holds a derivative of a bare name or an undefined function."""
    return isinstance(expr, sp.Basic) and any(isinstance(d.expr, (sp.Symbol, AppliedUndef, sp.Indexed))
                                              for d in expr.atoms(sp.Derivative))


def _named(expr: Any) -> Any:
    """``expr`` with ``d L(z) / dz`` written ``dL/dz``: a quantity named as a function of the variable it is
    differentiated by is the same quantity as the bare name."""
    def bare(derivative: sp.Derivative) -> Any:
        function = derivative.expr
        variables = tuple(v for v, _ in derivative.variable_count)
        if isinstance(function, AppliedUndef) and len(variables) == 1 and function.args == variables \
                and not isinstance(variables[0], sp.Dummy):  # L'(theta) = Subs(d L(t)/dt, t, theta) stays
            return sp.Derivative(sp.Symbol(str(function.func)), *derivative.variable_count, evaluate=False)
        return derivative

    return expr.replace(lambda e: isinstance(e, sp.Derivative), bare) if isinstance(expr, sp.Basic) else expr


def _joined_chain(product: Any) -> Any:
    """``dA/dC`` for a product that is exactly a chain ``dA/dB dB/dC`` of first derivatives of names, else None."""
    links = {}
    for factor in sp.Mul.make_args(product):
        if not (isinstance(factor, sp.Derivative) and isinstance(factor.expr, sp.Symbol)
                and len(factor.variable_count) == 1 and factor.variable_count[0][1] == 1):
            return None
        links[factor.expr] = factor.variable_count[0][0]
    if len(links) < 2 or len(links) != len(sp.Mul.make_args(product)):
        return None
    starts = [name for name in links if name not in links.values()]
    if len(starts) != 1:
        return None
    end, steps = starts[0], 0
    while end in links and steps <= len(links):
        end, steps = links[end], steps + 1
    return sp.Derivative(starts[0], end, evaluate=False) if steps == len(links) else None

"""The answer to "is my claim right?": a :class:`Verdict`, truthy exactly when the claim holds.

Five kinds, and a verdict never pretends to be more than it is:

- ``EQUIVALENT``: proved symbolically (the method says how: ``cancel``, ``simplify``, ``rewrite(exp)``...);
- ``NUMERICALLY_EQUIVALENT``: both sides agree at random points (how many, at what precision, which
  assumptions were honoured); evidence, not a proof;
- ``EQUIVALENT_UP_TO_CONSTANT``: an antiderivative that is right up to the constant of integration;
- ``NOT_EQUIVALENT``: with a :class:`Counterexample` (the point, both sides' values, the difference);
- ``UNDECIDED``: the budget ran out or the sides could not be evaluated; ``reason`` says which.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> v = Verdict(VerdictKind.EQUIVALENT, x + x, 2*x, method="expand")
>>> bool(v), str(v)
(True, 'Equivalent (proved symbolically by expand): 2*x = 2*x')
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from symml.render.display import ShownInNotebooks
from symml.render.printer import latex

__all__ = ["VerdictKind", "Verdict", "Counterexample"]


class VerdictKind(enum.Enum):
    """What was established about a claim ``left = right``."""

    EQUIVALENT = "Equivalent"
    NUMERICALLY_EQUIVALENT = "Equivalent numerically"
    EQUIVALENT_UP_TO_CONSTANT = "Equivalent up to an additive constant"
    NOT_EQUIVALENT = "Not equivalent"
    UNDECIDED = "Undecided"

    @property
    def holds(self) -> bool:
        return self in (VerdictKind.EQUIVALENT, VerdictKind.NUMERICALLY_EQUIVALENT,
                        VerdictKind.EQUIVALENT_UP_TO_CONSTANT)


@dataclass(frozen=True)
class Counterexample:
    """A point where the two sides differ.

    Attributes:
        values: ``(symbol, value)`` pairs that respect the symbols' assumptions. Sizes come first (matrix
            dimensions, the ``n`` of a sum); matrix symbols get explicit ``ImmutableMatrix`` values; data of a
            sum appear as ``x[1]``, ``x[2]``, ...; values are exact rationals where they were sampled.
        left, right: both sides evaluated there (numbers, or explicit matrices).
        difference: ``left - right`` there.
    """

    values: tuple[tuple[sp.Basic, Any], ...]
    left: Any
    right: Any
    difference: Any

    @property
    def point(self) -> dict:
        """The values as a dict ``{symbol: value}``."""
        return dict(self.values)

    def as_dict(self) -> dict[str, str]:
        """The point in the reader's names (``σ``, ``x_1``, ``w_1``), values as text; then both sides."""
        point = {reader_name(name): _short(value) for name, value in self.values}
        return {**point, "left side": _short(self.left), "right side": _short(self.right),
                "difference": _short(self.difference)}

    def _text(self) -> str:
        point = ", ".join(f"{reader_name(name)} = {_short(value)}" for name, value in self.values)
        return (f"{f'at {point}' if point else '(no variables)'}: left = {_short(self.left)}, right = {_short(self.right)}, "
                f"difference = {_short(self.difference)}")

    def _markdown(self) -> str:
        point = ", ".join(f"${latex(name)} = {latex(_rounded(value))}$" for name, value in self.values)
        return (f"{f'at {point}' if point else '(no variables)'}: left $= {latex(_rounded(self.left))}$, right $= {latex(_rounded(self.right))}$, "
                f"difference $= {latex(_rounded(self.difference))}$")


def reader_name(symbol: Any) -> str:
    """A symbol as the reader wrote it: ``sigma`` -> ``σ``, ``x[1]`` -> ``x_1``, ``mu_hat`` -> ``μ̂``."""
    if isinstance(symbol, sp.Indexed):
        return f"{reader_name(symbol.base.label)}_{','.join(map(str, symbol.indices))}"
    if isinstance(symbol, sp.Symbol) and not symbol.name.startswith("index"):
        for suffix, mark in (("_hat", "\u0302"), ("_bar", "\u0304"), ("_tilde", "\u0303")):
            if symbol.name.endswith(suffix):
                return reader_name(sp.Symbol(symbol.name[:-len(suffix)])) + mark
        if "^" in symbol.name:  # a label: W^(L)
            return symbol.name
        shown = sp.pretty(symbol, use_unicode=True)
        return shown if "\n" not in shown else symbol.name
    return str(symbol)


def latex_text(text: str) -> str:
    """Plain text inside ``\\text{...}``, its special characters escaped."""
    for special, escaped in (("\\", r"\textbackslash "), ("{", r"\{"), ("}", r"\}"), ("_", r"\_"), ("%", r"\%"),
                             ("&", r"\&"), ("#", r"\#"), ("$", r"\$"), ("^", r"\^{}"), ("~", r"\~{}")):
        text = text.replace(special, escaped)
    return rf"\text{{{text}}}"


def _rounded(value: Any) -> Any:
    """Floats shown with 6 significant digits: enough to see the gap, short enough to read."""
    if isinstance(value, sp.MatrixBase):
        return value.applyfunc(_rounded)
    if isinstance(value, sp.Basic) and value.has(sp.Float):
        return value.xreplace({f: sp.Float(f, 6) for f in value.atoms(sp.Float)})
    return value


def _short(value: Any) -> str:
    shown = _rounded(value)
    if isinstance(shown, sp.MatrixBase):
        return str(shown.tolist())
    return str(shown)


@dataclass(frozen=True)
class Verdict(ShownInNotebooks):
    """The verdict on the claim ``left = right``; ``bool(verdict)`` is True exactly when the claim holds.

    Attributes:
        kind: a :class:`VerdictKind`.
        left, right: the two sides as SymPy objects, as they were compared.
        method: how the verdict was reached ("cancel", "simplify", "random points at 30 digits").
        points: the number of random points at which both sides were evaluated (0 if none).
        assumptions: the assumptions honoured when sampling, one phrase each ("x > 0", "n integer in [2, 5]").
        counterexample: for ``NOT_EQUIVALENT``, where the sides differ.
        reason: for ``UNDECIDED``, why (or "").
        notes: remarks worth reading: a stage that ran out of budget, points skipped where a side was not real,
            "the derivatives were compared" for an antiderivative, which key of a dict failed.
    """

    kind: VerdictKind
    left: Any
    right: Any
    method: str = ""
    points: int = 0
    assumptions: tuple[str, ...] = ()
    counterexample: Counterexample | None = None
    reason: str = ""
    notes: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.kind.holds

    @property
    def proved(self) -> bool:
        """True when the claim was proved symbolically (not merely tested at points)."""
        return self.kind in (VerdictKind.EQUIVALENT, VerdictKind.EQUIVALENT_UP_TO_CONSTANT)

    def headline(self) -> str:
        """One line: the kind and how it was reached, without the claim."""
        kind = self.kind
        if kind is VerdictKind.EQUIVALENT:
            return f"Equivalent (proved symbolically by {self.method})"
        if kind is VerdictKind.EQUIVALENT_UP_TO_CONSTANT:
            return f"Equivalent up to an additive constant ({self.method})"
        if kind is VerdictKind.NUMERICALLY_EQUIVALENT:
            honoured = f"; assumptions honoured: {', '.join(self.assumptions)}" if self.assumptions else ""
            return (f"Equivalent numerically (agree at {self.points} random points, {self.method}{honoured}; "
                    "evidence, not a proof)")
        if kind is VerdictKind.NOT_EQUIVALENT:
            return "Not equivalent"
        return f"Undecided ({self.reason})"

    def __str__(self) -> str:
        text = f"{self.headline()}: {_short(self.left)} = {_short(self.right)}"
        if self.counterexample is not None:
            text += f"\n  counterexample {self.counterexample._text()}"
        return "\n".join([text, *(f"  note: {note}" for note in self.notes)])

    def latex(self) -> str:
        """The verdict as LaTeX (math mode): the claim, then the verdict in words."""
        return f"{latex(self.left)} = {latex(self.right)} \\quad {latex_text('(' + self.headline() + ')')}"

    def markdown(self) -> str:
        """The verdict as Markdown (what Jupyter shows)."""
        text = f"**{self.headline()}**: $${latex(self.left)} = {latex(self.right)}$$"
        if self.counterexample is not None:
            text += f"\nCounterexample {self.counterexample._markdown()}."
        return "\n".join([text, *(f"\n*Note:* {note}" for note in self.notes)]) + "\n"

"""The records a derivation is made of: :class:`Step`, :class:`Derivation` and :class:`Verification`.

A derivation is data. Renderers (:mod:`symml.render`) read it, :mod:`symml.operations` turns it into NumPy
or checks it numerically; nothing here computes mathematics. Each kind of derivation (maximum likelihood,
matrix gradient, ...) carries a *problem* record of its own type, and the operations dispatch on that type.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> step = Step("Differentiate", sp.Eq(sp.Derivative(x**2, x), 2*x), "power rule")
>>> d = Derivation(problem=Statement("d/dx of x^2"), steps=(step,), result=2*x, summary=(sp.Eq(sp.Symbol("f'"), 2*x),))
>>> print(d)
d/dx of x^2
<BLANKLINE>
1. Differentiate (power rule)
   d/dx x² = 2x
<BLANKLINE>
Result
   f' = 2x
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence, Union

import sympy as sp

from symml.budget import NUMPY_SECONDS, RENDER_SECONDS, VERIFY_SECONDS, within

__all__ = ["Step", "Derivation", "Verification", "Comparison", "Statement", "Math", "relative_error"]

#: What a step shows: one SymPy expression or equation, or several shown one per line.
Math = Union[sp.Basic, tuple]


def _as_math(math: Any) -> Math:
    if isinstance(math, (list, tuple)):
        return tuple(sp.sympify(m) if not isinstance(m, sp.Basic) else m for m in math)
    return math if isinstance(math, sp.Basic) else sp.sympify(math)


@dataclass(frozen=True)
class Step:
    """One line of a derivation.

    Attributes:
        title: what the step does, as a heading ("Score equations").
        math: the expression or equation the step arrives at, or a tuple of them (one per line).
        why: a one-line justification ("log turns the product into a sum; the density is positive").
    """

    title: str
    math: Math
    why: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "math", _as_math(self.math))

    @property
    def lines(self) -> tuple:
        """The step's math as a tuple of SymPy objects, one per displayed line."""
        return self.math if isinstance(self.math, tuple) else (self.math,)


@dataclass(frozen=True)
class Statement:
    """The simplest problem record: a title and nothing to compute. Kinds define richer ones."""

    title: str


@dataclass(frozen=True)
class Derivation:
    """A finished derivation: the problem, its assumptions, the ordered steps, the result and remarks.

    Attributes:
        problem: the kind's problem record; it has a ``title`` and whatever ``numpy()``/``verify()`` need.
        steps: the ordered :class:`Step` records.
        result: the answer as SymPy objects (a dict ``{parameter: estimator}``, a matrix expression, ...).
        summary: the result as equations to display, one per line (``Eq(mu_hat, xbar)``).
        assumptions: the assumptions in force, one sentence each.
        remarks: what a reader must know about the result ("no closed form: solved numerically").
    """

    problem: Any
    steps: tuple[Step, ...]
    result: Any
    summary: tuple = ()
    assumptions: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "summary", tuple(_as_math(m) for m in self.summary))
        object.__setattr__(self, "assumptions", tuple(self.assumptions))
        object.__setattr__(self, "remarks", tuple(self.remarks))

    @property
    def title(self) -> str:
        return str(self.problem.title)

    # --- rendering: every renderer only reads this record -------------------------------------------
    def latex(self, document: bool = False) -> str:
        """LaTeX (amsmath) of the whole derivation; ``document=True`` gives a compilable document."""
        from symml.render.latex import derivation_latex

        return self._bounded("latex()", RENDER_SECONDS, derivation_latex, self, document=document)

    def markdown(self) -> str:
        """Markdown with ``$$`` display math, for Jupyter, Obsidian and GitHub."""
        from symml.render.markdown import derivation_markdown

        return self._bounded("markdown()", RENDER_SECONDS, derivation_markdown, self)

    def text(self, width: int | None = None) -> str:
        """Plain text for a terminal: the LaTeX printer's notation in Unicode, lines broken to ``width`` columns
        (default: the terminal's width, 80 when output is not a terminal)."""
        from symml.render.text import derivation_text

        return self._bounded("text()", RENDER_SECONDS, derivation_text, self, width)

    def __str__(self) -> str:
        return self.text()

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_latex_(self) -> str:
        from symml.render.latex import derivation_display_latex

        return self._bounded("_repr_latex_()", RENDER_SECONDS, derivation_display_latex, self)

    # --- operations: each dispatches on the type of ``problem`` -------------------------------------
    def numpy(self, **options: Any) -> Callable[..., Any]:
        """A NumPy function of the result (vectorised, numerically stable); see the kind's docs."""
        from symml.operations import numpy_function, refusing_bad_arguments

        return refusing_bad_arguments(self._bounded("numpy()", NUMPY_SECONDS, numpy_function, self.problem, self,
                                                     **options))

    def verify(self, **options: Any) -> "Verification":
        """Check the result against an independent numeric computation; see the kind's docs."""
        from symml.operations import verify

        return self._bounded("verify()", VERIFY_SECONDS, verify, self.problem, self, **options)

    def _bounded(self, operation: str, seconds: float, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)`` under the operation's budget; past it a BudgetExceededError names both."""
        title = self.title if len(self.title) <= 80 else self.title[:77] + "..."
        return within(seconds, f"{operation} of the derivation {title!r}", fn, *args, **kwargs)


@dataclass(frozen=True)
class Comparison:
    """One number checked: the derived value against the independent numeric one."""

    quantity: str
    derived: float
    numeric: float
    rel_error: float


@dataclass(frozen=True)
class Verification:
    """The report of a numeric check: truthy when it passed.

    Attributes:
        passed: whether every comparison is within ``tolerance``.
        max_rel_error: the worst relative error over the comparisons.
        method: the independent method, in words ("scipy.optimize.minimize (L-BFGS-B) on the log-likelihood").
        tolerance: the relative tolerance applied.
        comparisons: the individual :class:`Comparison` records.
        sample_size: the size of the simulated sample, where there is one.
        seed: the random seed, so that the check can be repeated.
        details: anything else worth reporting, as (name, value) pairs.
    """

    passed: bool
    max_rel_error: float
    method: str
    tolerance: float
    comparisons: tuple[Comparison, ...] = ()
    sample_size: int | None = None
    seed: int | None = None
    details: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def from_comparisons(
        cls, comparisons: Sequence[Comparison], *, method: str, tolerance: float, **kwargs: Any
    ) -> "Verification":
        """Build the report from its comparisons: the worst error decides ``passed``."""
        comparisons = tuple(comparisons)
        worst = max((c.rel_error for c in comparisons), default=0.0)
        return cls(
            passed=bool(worst <= tolerance),
            max_rel_error=float(worst),
            method=method,
            tolerance=tolerance,
            comparisons=comparisons,
            **kwargs,
        )

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        from symml.render.text import verification_text

        return verification_text(self)

    def _repr_markdown_(self) -> str:
        from symml.render.markdown import verification_markdown

        return verification_markdown(self)


def relative_error(derived: float, numeric: float, scale: float = 0.0) -> float:
    """|derived - numeric| / max(|derived|, |numeric|, scale); ``scale`` keeps values near zero meaningful.

    >>> relative_error(2.0, 1.0)
    0.5
    >>> relative_error(0.0, 0.25, scale=1.0)
    0.25
    """
    import math

    derived, numeric = float(derived), float(numeric)
    if not (math.isfinite(derived) and math.isfinite(numeric)):
        return 0.0 if derived == numeric else math.inf
    denominator = max(abs(derived), abs(numeric), scale)
    return 0.0 if denominator == 0.0 else abs(derived - numeric) / denominator

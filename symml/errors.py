"""symml's exception types: every failure a user can cause has one, and its message names the problem.

All of them derive from :class:`SymmlError`, so ``except symml.SymmlError`` catches anything symml raises
on purpose. Each also derives from the built-in exception that describes its kind (``ValueError``,
``TypeError``, ``TimeoutError``), so generic handlers keep working.
"""
from __future__ import annotations

__all__ = [
    "SymmlError",
    "ModelError",
    "UnknownFamilyError",
    "ParameterError",
    "NotIdentifiableError",
    "BudgetExceededError",
    "SharedBudgetSpentError",
    "ParseError",
    "ShapeError",
    "UnsupportedOperationError",
    "DataError",
    "UnboundedError",
    "InfeasibleError",
    "NoClosedFormError",
    "LinearAlgebraError",
]


#: The longest message an error shows whole; a longer one (it quotes a huge input back) keeps its start and end.
LONGEST_MESSAGE = 2000


class SymmlError(Exception):
    """Base class of every error symml raises on purpose.

    >>> len(str(SymmlError("unknown family " + "x+" * 40000)))
    1937
    """

    def __str__(self) -> str:
        message = super().__str__()
        if len(message) <= LONGEST_MESSAGE:
            return message
        return f"{message[:1400]} ... [{len(message) - 1900} characters left out] ... {message[-500:]}"


class ModelError(SymmlError, TypeError):
    """The object given as a model is not one symml can use (not a sympy.stats random variable or a Model)."""


class UnknownFamilyError(SymmlError, ValueError):
    """A family name that is not a sympy.stats distribution; the message lists the names that are."""


class ParameterError(SymmlError, ValueError):
    """A parameter that is not in the model, or a missing value for a parameter that is."""


class NotIdentifiableError(SymmlError, ValueError):
    """The parameters cannot be recovered from the data (the likelihood is flat in some direction)."""


class BudgetExceededError(SymmlError, TimeoutError):
    """A symbolic step (simplify, solve, integrate, ...) ran past its time budget."""

    _MESSAGE = "{what} did not finish within its budget of {seconds:g} s"

    def __init__(self, what: str, seconds: float):
        super().__init__(self._MESSAGE.format(what=what, seconds=seconds))
        self.what = what
        self.seconds = seconds

    def __reduce__(self) -> tuple:
        # Pickled by its constructor's arguments, so it crosses from a worker process (budget.within_process).
        return type(self), (self.what, self.seconds)


class SharedBudgetSpentError(BudgetExceededError):
    """A symbolic step stopped, or was not started, because the budget its whole derivation shares
    (``budget.SharedBudget``) is spent; ``seconds`` is that shared budget."""

    _MESSAGE = "{what} stopped: the {seconds:g} s of symbolic work its derivation shares are spent"


class ParseError(SymmlError, ValueError):
    """A user string that could not be parsed, or that was refused because it is not plain mathematics."""


class ShapeError(SymmlError, ValueError):
    """Matrix shapes that do not fit together."""


class UnsupportedOperationError(SymmlError, NotImplementedError):
    """An operation symml has no rule for; the message names the expression type or the operation."""


class DataError(SymmlError, ValueError):
    """A sample that cannot be used: empty, not one-dimensional, not finite, or outside the model's support."""


class UnboundedError(SymmlError, ValueError):
    """The objective has no optimum: it decreases (or increases) without bound on the feasible set."""


class InfeasibleError(SymmlError, ValueError):
    """The constraints cannot all hold: the feasible set is empty."""


class NoClosedFormError(SymmlError, ArithmeticError):
    """A result with no closed form (roots of a general quintic); ``numeric`` holds the numeric result offered."""

    def __init__(self, message: str, numeric: object = None):
        super().__init__(message)
        self.numeric = numeric


class LinearAlgebraError(SymmlError, ValueError):
    """A matrix that does not allow the operation: singular under an inverse, dependent columns under
    Gram–Schmidt, not diagonalisable, not symmetric where a spectral decomposition needs it."""

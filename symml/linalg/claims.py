r"""Claims about matrices as people type them: "P² = P for P = B(BᵀB)⁻¹Bᵀ", "Pᵀ = P", "QᵀQ = I".

:func:`symml.check` reads plain strings and LaTeX, but not the notation of linear-algebra notes: Unicode
superscripts (ᵀ, ⁻¹, ²), the identity written ``I`` (its size given by the other side), and a definition
attached with "for" or "where". :func:`read_matrix_claim` reads such a claim into its two sides — the
superscripts written as LaTeX powers, the text read by the checker's LaTeX reader
(:func:`symml.checker.parse_latex.parse_latex`), each definition substituted, ``I`` the identity of the size that
makes the claim's shapes agree — and :func:`check_matrix_claim` decides it with :func:`symml.check`
(symbolically, or numerically on random matrices).

>>> import symml
>>> B = symml.matrix("B", 5, 2)
>>> bool(check_matrix_claim("P² = P for P = B(BᵀB)⁻¹Bᵀ", {"B": B}))
True
>>> Q = symml.derive.qr(sp.Matrix([[3, 1], [4, 2], [0, 1]])).result["Q"]
>>> bool(check_matrix_claim("QᵀQ = I", {"Q": Q})), bool(check_matrix_claim("QQᵀ = I", {"Q": Q}))
(True, False)
"""
from __future__ import annotations

import re
from typing import Any, Mapping

import sympy as sp

from symml.errors import ParseError, ShapeError

__all__ = ["read_matrix_claim", "check_matrix_claim"]

#: Unicode notation of notes -> the LaTeX the checker's reader takes.
_UNICODE = [("ᵀ", r"^{\top}"), ("⁻¹", "^{-1}"), ("²", "^{2}"), ("³", "^{3}"), ("−", "-"), ("·", r"\cdot "),
            ("⊤", r"\top ")]
#: "claim for P = ..., Q = ..." and "claim where P = ...": definitions after the claim.
_DEFINITIONS = re.compile(r"\s*(?:,\s*)?\b(?:for|where|with)\b\s*", re.IGNORECASE)
_IDENTITY = "I"


def _as_latex(text: str, names: Mapping[str, Any]) -> str:
    for unicode, latex in _UNICODE:
        text = text.replace(unicode, latex)
    # plain "P^T" and "P.T" are the transpose in notes, never a power by a scalar T
    text = re.sub(r"\^\s*T\b|\.T\b", r"^{\\top}", text)
    letters = {name for name in names if len(name) == 1} | {_IDENTITY}

    def product(run: re.Match) -> str:  # "QQ" is Q times Q when Q is a matrix of the claim
        word = run.group(0)
        return " ".join(word) if word not in names and set(word) <= letters else word

    return re.sub(r"(?<![\\A-Za-z])[A-Za-z]{2,}", product, text)


def _read(text: str, names: Mapping[str, Any]) -> list[tuple[str, Any]]:
    from symml.checker.parse_latex import parse_latex
    from symml.checker.vocabulary import Namespace

    return parse_latex(_as_latex(text, names), Namespace(dict(names)))


def _sizes(names: Mapping[str, Any]) -> list[Any]:
    """Candidate sizes of the identity: every dimension of the matrices the claim names, larger first."""
    found: list[Any] = []
    for value in names.values():
        for size in getattr(value, "shape", ()):
            if size not in found:
                found.append(size)
    return sorted(found, key=lambda s: -s if isinstance(s, int) or getattr(s, "is_Integer", False) else 0)


def _identity(size: Any, names: Mapping[str, Any]) -> Any:
    explicit = any(isinstance(v, sp.MatrixBase) for v in names.values())
    return sp.eye(int(size)) if explicit and getattr(size, "is_Integer", isinstance(size, int)) else sp.Identity(size)


def _shape(side: Any) -> tuple | None:
    return tuple(side.shape) if hasattr(side, "shape") else None


def _with_definitions(text: str, names: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The claim without its "for P = ..." part, and the names with each definition read and added."""
    claim, *definitions = _DEFINITIONS.split(text, maxsplit=1)
    known = dict(names)
    for definition in re.split(r"\s*(?:,|\band\b)\s*(?=[A-Za-z]\w*\s*=)", definitions[0]) if definitions else []:
        chain = _read(definition, known)
        if len(chain) != 2 or chain[1][0] not in ("=", ":=") or not isinstance(chain[0][1], sp.Symbol):
            raise ParseError(f"cannot read the definition {definition!r}: write 'P = <expression>'")
        known[chain[0][1].name] = chain[1][1]
    return claim, known


def read_matrix_claim(text: str, namespace: Mapping[str, Any] | None = None) -> tuple[Any, Any]:
    """The two sides of a matrix claim written as in notes (see the module docstring).

    Args:
        text: the claim, e.g. ``"QᵀQ = I"`` or ``"P² = P for P = B(BᵀB)⁻¹Bᵀ"``.
        namespace: the matrices by name, ``{"B": MatrixSymbol("B", 5, 2)}`` or explicit ``sympy.Matrix`` values.

    Raises:
        ParseError: not one equation, or a definition that is not ``name = expression``.
        ShapeError: no size of ``I`` makes both sides the same shape.
    """
    if not isinstance(text, str):
        raise ParseError(f"expected the claim as a string, got {type(text).__name__}")
    claim, names = _with_definitions(text, namespace or {})
    sizes = _sizes(names) if re.search(rf"\b{_IDENTITY}\b", claim) and _IDENTITY not in names else [None]
    problems = []
    for size in sizes:
        known = dict(names, **({_IDENTITY: _identity(size, names)} if size is not None else {}))
        try:
            chain = _read(claim, known)
        except ParseError as error:  # a wrong size of I does not fit the other matrices
            problems.append(str(error))
            continue
        if len(chain) != 2 or chain[1][0] != "=":
            raise ParseError(f"{text!r} is not one equation 'left = right'")
        left, right = chain[0][1], chain[1][1]
        if _shape(left) == _shape(right):
            return left, right
        problems.append(f"the sides have shapes {_shape(left)} and {_shape(right)}")
    raise ShapeError(f"cannot read {text!r} with matching shapes: {problems[-1] if problems else 'no matrices'}")


def check_matrix_claim(text: str, namespace: Mapping[str, Any] | None = None, **options: Any) -> Any:
    """The :class:`~symml.checker.verdict.Verdict` of :func:`symml.check` on the claim read by
    :func:`read_matrix_claim`; ``options`` go to :func:`symml.check` (``symmetric=``, ``seed=``, ...)."""
    from symml.checker.claims import check

    left, right = read_matrix_claim(text, namespace)
    return check(left, right, **options)

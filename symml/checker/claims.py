r"""``symml.check``: one claim in, one :class:`~symml.checker.verdict.Verdict` out.

A claim is given as SymPy objects (``check(lhs, rhs)`` or ``check(Eq(lhs, rhs, evaluate=False))``), as plain
strings (``"x*exp(x) + exp(x)"``, parsed safely by :mod:`symml.checker.parse_text`), as LaTeX (any string with
a backslash or a brace, read by :mod:`symml.checker.parse_latex`), or as a symml
:class:`~symml.derivation.Derivation`, whose ``result`` is compared (dict results key by key).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> print(check("x*exp(x) + exp(x)", sp.diff(x*sp.exp(x), x)))
Equivalent (proved symbolically by doit + expand): x*exp(x) + exp(x) = x*exp(x) + exp(x)
>>> bool(check(r"\frac{d}{d\mu} \sum_i (x_i-\mu)^2 = -2\sum_i (x_i - \mu)"))
True
>>> verdict = check("sin(2*x)", "2*sin(x)")
>>> bool(verdict), verdict.counterexample is not None
(False, True)
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Iterable, Mapping

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS
from symml.checker.decide import POINTS, decide
from symml.checker.finite_laws import refuted_by_a_finite_law
from symml.checker.latex_tokens import called_letters
from symml.checker.letter_runs import either_reading, run_letters, runs_in_doubt
from symml.checker.parse_latex import parse_latex, standalone_letters
from symml.checker.parse_text import parse_text
from symml.checker.shape_inference import conventionally_definite, inferred_namespace, with_inferred_shapes
from symml.checker.new_names import defines
from symml.checker.verdict import Verdict, VerdictKind, reader_name
from symml.checker.vocabulary import SCALAR_READINGS, Namespace
from symml.derivation import Derivation, Step
from symml.errors import ParameterError, ParseError

__all__ = ["check", "read_sides", "namespace_for"]

# From weakest to strongest: a combination of verdicts is as weak as its weakest part.
_STRENGTH = (VerdictKind.NUMERICALLY_EQUIVALENT, VerdictKind.EQUIVALENT_UP_TO_CONSTANT, VerdictKind.EQUIVALENT)


def check(*claim: Any, namespace: Mapping[str, Any] | None = None, symmetric: Iterable[Any] = (),
          positive_definite: Iterable[Any] = (), points: int = POINTS, seed: int = 0,
          simplify_seconds: float = SIMPLIFY_SECONDS) -> Verdict:
    """Check the claim ``left = right``; the verdict is truthy exactly when the claim holds.

    Args:
        claim: ``(left, right)``, or one equation (``Eq(l, r, evaluate=False)``, ``"l = r"``, LaTeX ``l = r``).
            Each side may be a SymPy expression or matrix expression, a string, a Derivation (its result) or a
            dict of results (compared key by key with another dict).
        namespace: names to use in strings, ``{"x": Symbol("x", positive=True), "X": MatrixSymbol(...)}``;
            names of SymPy objects in the claim are known already.
        symmetric, positive_definite: matrix symbols the claim assumes symmetric / positive definite, or their
            names (``symmetric=["A"]``).
        points: how many random points must agree for a numeric verdict.
        seed: the random seed, so that a verdict can be reproduced.
        simplify_seconds: the budget of each ``simplify`` stage.

    Raises:
        ParseError: a string that is not plain mathematics, or a claim without two sides.
        ShapeError: matrix sides of different shapes.
    """
    names = namespace_for(claim, namespace)
    left, right = _read_sides(claim, names)
    if len(claim) == 1 and isinstance(claim[0], str) and defines(left, right, taken=set()):
        # as an identity "mu_hat = mean of x" fails at every mu_hat but one: the counterexample said nothing
        return Verdict(VerdictKind.UNDECIDED, left, right, reason=(
            f"the left side {reader_name(left)} is a name the right side does not use: the equation defines it, it "
            "is not an identity to check (check_steps checks the steps that use it; a derived result compares "
            "with check(derivation, ...))"))
    inferred = inferred_namespace(claim, left, right, names.doubts, namespace)
    if inferred is not None:  # X^T read as a number: the shapes the claim implies (shape_inference.py)
        verdict = check(*claim, namespace=inferred, symmetric=symmetric, positive_definite=(
            *positive_definite, *conventionally_definite(inferred, namespace)), points=points, seed=seed,
            simplify_seconds=simplify_seconds)
        return with_inferred_shapes(verdict, inferred, namespace)
    symmetric, positive_definite = matrices_named(symmetric, names), matrices_named(positive_definite, names)
    decide_sides = functools.partial(decide, symmetric=symmetric, positive_definite=positive_definite,
                                     points=points, seed=seed, simplify_seconds=simplify_seconds)
    if isinstance(left, dict) or isinstance(right, dict):
        return _check_by_key(left, right, decide_sides)
    verdict = decide_sides(left, right)
    refuted = refuted_by_a_finite_law(left, right, decide_sides) if verdict.kind is VerdictKind.UNDECIDED else None
    verdict = verdict if refuted is None else refuted  # E[XY] = E[X] E[Y]: fails under some law
    checked = _unless_guessed(verdict, names.doubts)
    runs = runs_in_doubt(names.doubts) if checked.kind is VerdictKind.UNDECIDED else []
    if not runs:
        return checked

    def as_products() -> tuple[Verdict, list[str]]:
        products = namespace_for(claim, namespace)
        products.letters |= run_letters(claim)
        return decide_sides(*_read_sides(claim, products)), products.doubts

    return either_reading(verdict, checked, as_products, runs, names.doubts)


def matrices_named(matrices: Iterable[Any], names: Namespace) -> tuple[Any, ...]:
    """The matrix symbols given, a name (``"A"``) standing for the namespace's matrix of that name."""
    found = []
    for matrix in matrices:
        if isinstance(matrix, str):
            known = names.known.get(matrix)
            if not isinstance(known, sp.MatrixSymbol):
                raise ParameterError(f"{matrix!r} is not a matrix of the claim: declare it in namespace= "
                                 f"({{{matrix!r}: MatrixSymbol({matrix!r}, n, n)}})")
            matrix = known
        found.append(matrix)
    return tuple(found)


def _unless_guessed(verdict: Verdict, doubts: list[str]) -> Verdict:
    """The verdict, or undecided when reading the claim took a guess it depends on: a claim read with a guess is
    never called wrong, and one whose transposes or matrix functions were read as scalars' is not called right
    either ((AB)ᵀ = AᵀBᵀ and tr(AB) = tr(A) tr(B) hold for numbers)."""
    decisive = [doubt for doubt in doubts if not verdict or doubt.startswith(SCALAR_READINGS)]
    if not decisive or verdict.kind is VerdictKind.UNDECIDED:
        return verdict
    advice = " (name its matrices in namespace= to check it at matrix level)" \
        if any(doubt.startswith(SCALAR_READINGS) for doubt in decisive) else ""
    return Verdict(VerdictKind.UNDECIDED, verdict.left, verdict.right, method=verdict.method,
                   assumptions=verdict.assumptions,
                   reason="reading the claim took a guess: " + "; ".join(decisive) + advice, notes=verdict.notes)


def namespace_for(objects: Iterable[Any], extra: Mapping[str, Any] | None = None) -> Namespace:
    """A namespace that knows every named atom of the SymPy objects among ``objects`` (and ``extra``)."""
    found: list[sp.Basic] = []
    texts: list[str] = []
    for obj in objects:
        value = _unwrap(obj)
        values = value.values() if isinstance(value, dict) else [value]
        found.extend(v for v in values if isinstance(v, sp.Basic))
        texts.extend(v for v in values if isinstance(v, str))
    namespace = Namespace.of(*found, extra=extra)
    if texts:  # names typed in a string follow ML notation, as in notes (sigma > 0, n a positive integer)
        from symml.checker.notes import assume_notation  # notes -> steps -> claims: imported when used

        assume_notation(namespace)
    # the letters the claim uses on their own, on either side: with them a run of letters (xy) reads as a product
    namespace.letters = set().union(*(standalone_letters(text) for text in texts))
    namespace.called_letters = set().union(*(called_letters(text) for text in texts))
    return namespace


def read_sides(claim: tuple, namespace: Mapping[str, Any] | None = None) -> tuple[Any, Any]:
    """The two sides of a claim given in any accepted form (see :func:`check`)."""
    return _read_sides(claim, namespace_for(claim, namespace))


def _read_sides(claim: tuple, names: Namespace) -> tuple[Any, Any]:
    if len(claim) == 1:
        (only,) = claim
        if isinstance(only, str):
            sides = parse_string(only, names)
            if len(sides) != 2 or sides[1][0] != "=":
                raise ParseError(f"{only!r} is not one equation 'left = right'; check_steps takes chains")
            return sides[0][1], sides[1][1]
        if isinstance(only, (sp.logic.boolalg.BooleanTrue, sp.logic.boolalg.BooleanFalse, bool)):
            raise ParseError("the equation was evaluated to True/False before symml saw it; pass the two sides, "
                             "check(left, right), or Eq(left, right, evaluate=False)")
        if isinstance(only, sp.Equality):
            return only.lhs, only.rhs
        if isinstance(only, (tuple, list)) and len(only) == 2:
            return _read_sides(tuple(only), names)
        raise ParseError(f"a claim needs two sides; got one {type(only).__name__}")
    if len(claim) != 2:
        raise ParseError(f"a claim has two sides; got {len(claim)} arguments")
    left, right = claim
    return _side(left, names), _side(right, names)


def parse_string(text: str, names: Namespace) -> list[tuple[str, Any]]:
    """A string as ``[(relation, side), ...]``: LaTeX when it has a backslash, a brace or a prime (``A'B``, which
    plain text would read as a string quote), plain text otherwise."""
    if "\\" in text or "{" in text or "'" in text:
        return parse_latex(text, names)
    return [("" if index == 0 else "=", side) for index, side in enumerate(parse_text(text, names))]


def _unwrap(obj: Any) -> Any:
    if isinstance(obj, Derivation):
        return obj.result
    if isinstance(obj, Step):
        return obj.lines[-1]
    return obj


def _side(obj: Any, names: Namespace) -> Any:
    obj = _unwrap(obj)
    if isinstance(obj, str):
        sides = parse_string(obj, names)
        if len(sides) != 1:
            raise ParseError(f"{obj!r} is an equation; give one expression per side")
        return sides[0][1]
    if isinstance(obj, dict):
        return {key: _side(value, names) for key, value in obj.items()}
    try:
        return sp.sympify(obj, strict=True)
    except sp.SympifyError:
        raise ParseError(f"cannot use a {type(obj).__name__} as a side of a claim") from None


def _check_by_key(left: Any, right: Any, decide_sides: Callable[[Any, Any], Verdict]) -> Verdict:
    if not (isinstance(left, dict) and isinstance(right, dict)):
        raise ParseError("a dict of results can only be compared with another dict")
    if set(map(str, left)) != set(map(str, right)):
        raise ParseError(f"the results have different keys: {sorted(map(str, left))} and {sorted(map(str, right))}")
    right_by_name = {str(key): value for key, value in right.items()}
    verdicts = {str(key): decide_sides(value, right_by_name[str(key)]) for key, value in left.items()}
    for key, verdict in verdicts.items():
        if not verdict:
            return Verdict(verdict.kind, verdict.left, verdict.right, method=verdict.method, points=verdict.points,
                           assumptions=verdict.assumptions, counterexample=verdict.counterexample,
                           reason=verdict.reason, notes=(f"for {key}", *verdict.notes))
    weakest = min((v.kind for v in verdicts.values()), key=_STRENGTH.index)
    methods = "; ".join(f"{key}: {v.method}" for key, v in verdicts.items())
    return Verdict(weakest, sp.Tuple(*(left[k] for k in left)), sp.Tuple(*(right_by_name[str(k)] for k in left)),
                   method=methods, points=max(v.points for v in verdicts.values()),
                   assumptions=tuple(sorted({a for v in verdicts.values() for a in v.assumptions})),
                   notes=(f"compared key by key: {', '.join(verdicts)}",))

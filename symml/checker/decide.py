"""The decision procedure for one claim ``left = right``, every stage under a time budget.

1. Shapes: a matrix claim must compare equal shapes (a 1 x 1 matrix compares with a scalar).
2. Antiderivatives: where a side holds an indefinite integral, the claim is only defined up to a constant, so
   the derivatives of both sides by the integration variable are compared instead.
3. Cheap canonical forms of ``left - right`` (sum indices renamed by depth first, so that sums over i and over j
   compare): ``doit`` then ``expand`` with logs of positive products split and sums split term by term with
   their constant factors pulled out; then ``cancel(together(.))``, which proves large rational identities on
   which ``simplify`` hangs (measured with SymPy 1.14).
4. Random points at 30 digits (:mod:`symml.checker.probe`): a counterexample there, re-checked at 60
   digits, settles a false claim at once, so the expensive stages below run only for claims that look true.
   The first two points are tried before stage 3: a false claim is then refuted without its canonical forms.
5. ``simplify`` under its budget, then ``simplify`` of ``rewrite(exp)`` (proves tanh = 2 sigma(2t) - 1, which
   ``simplify`` alone misses). Claims with a derivative by a matrix skip the symbolic stages: SymPy's own
   matrix derivatives are wrong there (SymPy 1.14 gives d log det X / dX = 0).
6. Otherwise: equivalent numerically (when points agreed; the log-sum-exp shift, trace cyclicity and matrix
   gradients end here), or undecided.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> decide(sp.Derivative(x*sp.exp(x), x), x*sp.exp(x) + sp.exp(x)).headline()
'Equivalent (proved symbolically by doit + expand)'
>>> print(decide(sp.sin(2*x), 2*sp.sin(x), seed=1).kind.value)
Not equivalent
"""
from __future__ import annotations

import random
from typing import Any, Callable, Iterable, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.budget import SIMPLIFY_SECONDS, within
from symml.checker.arbitrary_functions import for_arbitrary_functions
from symml.checker.conditional_densities import joints_of_conditionals
from symml.checker.failures import SYMPY_FAILURES
from symml.checker.numbered_elements import elements_of_data
from symml.checker.log_products import split_log_products
from symml.checker.probe import ProbeResult, differentiates_by_matrix, probe
from symml.checker.verdict import Counterexample, Verdict, VerdictKind
from symml.errors import BudgetExceededError, ShapeError

__all__ = ["decide", "split_sums", "canonical_indices", "CHEAP_SECONDS", "PROBE_SECONDS", "SYMPY_FAILURES"]


#: Budget of each cheap canonical form (expand, cancel).
CHEAP_SECONDS = 2.0
#: Budget of the whole random probe.
PROBE_SECONDS = 20.0
#: Default number of random points that must agree.
POINTS = 8
#: Random points tried before the symbolic stages, to refute a false claim early.
EARLY_POINTS = 2


def decide(left: Any, right: Any, *, points: int = POINTS, seed: int = 0, simplify_seconds: float = SIMPLIFY_SECONDS,
           symmetric: Iterable[Any] = (), positive_definite: Iterable[Any] = (),
           ranges: Mapping[str, tuple[Any, Any]] | None = None) -> Verdict:
    """Decide whether ``left = right`` holds (see the module docstring for the stages).

    Args:
        left, right: SymPy expressions, or matrix expressions of the same shape (symbolic shapes allowed).
        points: how many random points must agree for a numeric verdict.
        seed: the random seed of the probe.
        simplify_seconds: the budget of each ``simplify`` stage.
        symmetric, positive_definite: matrix symbols the claim assumes symmetric / positive definite.
        ranges: open intervals that values of named symbols must lie in (``{"p": (0, 1)}``).
    """
    left, right = joints_of_conditionals(sp.sympify(left), sp.sympify(right))  # p(z | x) = p(x, z) / p(x)
    left, right = elements_of_data(left, right)  # p_1 beside p_k is p[1]
    _check_shapes(left, right)
    variables = _indefinite_integration_variables(left, right)
    if variables:
        return _up_to_constant(left, right, variables, points=points, seed=seed, simplify_seconds=simplify_seconds,
                               symmetric=symmetric, positive_definite=positive_definite, ranges=ranges)
    notes: list[str] = []
    # SymPy's own derivatives by a matrix are wrong (stage 5 above): the probe differentiates entry by entry.
    difference = None if differentiates_by_matrix(left, right) else _difference(left, right)
    if difference is not None:
        difference = canonical_indices(difference)
    probed = _concrete_functions(left, right, seed)
    probe_options = dict(seed=seed, symmetric=symmetric, positive_definite=positive_definite, ranges=ranges)
    early = _early_probe(probed, probe_options) if difference is not None else None
    if isinstance(early, ProbeResult) and early.counterexample is not None:
        return _refuted(left, right, early, probed, notes)
    if difference is not None:
        for method, canonical in (("doit + expand",
                                   lambda d: sp.expand(canonical_indices(split_sums(_expand(
                                       split_log_products(d).doit()))))),
                                  ("cancel(together(.))", lambda d: sp.cancel(sp.together(d.doit())))):
            canonical_difference = _attempt(CHEAP_SECONDS, method, canonical, difference, notes)
            if _is_zero(canonical_difference):
                return Verdict(VerdictKind.EQUIVALENT, left, right, method=method, notes=tuple(notes))
            if _is_exact_nonzero(canonical_difference):
                return _differ_by_constant(left, right, canonical_difference, method, notes)
    if probed != (left, right):
        notes.append(_FUNCTIONS_NOTE)
    if isinstance(early, BudgetExceededError):  # the full probe starts at the same points: it would not finish
        return Verdict(VerdictKind.UNDECIDED, left, right, reason=str(early), notes=tuple(notes))
    try:
        found = within(PROBE_SECONDS, "the random numeric probe", probe, *probed, points=points, **probe_options)
    except BudgetExceededError as error:
        return Verdict(VerdictKind.UNDECIDED, left, right, reason=str(error), notes=tuple(notes))
    if found.counterexample is not None:
        return _refuted(left, right, found, probed, notes)
    if found.skipped:
        notes.append(f"{found.skipped} random points were skipped: a side was not real and finite there")
    arbitrary = _for_arbitrary_functions(left, right, points, probe_options) if (
        not found.agreed and probed == (left, right)) else None
    if arbitrary is not None and not arbitrary:  # fails for random functions: no simplification proves it
        return arbitrary
    if difference is not None:
        for method, canonical in (("simplify", lambda d: sp.simplify(d.doit())),
                                  ("rewrite(exp) + simplify", lambda d: sp.simplify(d.doit().rewrite(sp.exp)))):
            simplified = _attempt(simplify_seconds, method, canonical, difference, notes)
            if _is_zero(simplified):
                return Verdict(VerdictKind.EQUIVALENT, left, right, method=method, points=found.agreed,
                               notes=tuple(notes))
            if _is_exact_nonzero(simplified):
                return _differ_by_constant(left, right, simplified, method, notes)
    if found.agreed:
        signed = _for_arbitrary_functions(left, right, points, probe_options) if probed != (left, right) else None
        if signed is not None and not signed:  # |f(x)| = f(x) holds for the positive functions probed alone
            return signed
        return Verdict(VerdictKind.NUMERICALLY_EQUIVALENT, left, right, method="random points at 30 digits",
                       points=found.agreed, assumptions=found.assumptions, notes=tuple(notes))
    if arbitrary is not None:
        return arbitrary
    return Verdict(VerdictKind.UNDECIDED, left, right, reason=found.reason or "no point could be evaluated",
                   notes=tuple(notes))


def _for_arbitrary_functions(left: Any, right: Any, points: int, options: dict[str, Any]) -> Verdict | None:
    """The verdict with the undefined functions drawn at random (:mod:`symml.checker.arbitrary_functions`), under
    the probe's budget; None if there are none, or the budget ran out."""
    try:
        return within(PROBE_SECONDS, "the probe with random functions", for_arbitrary_functions, left, right,
                      points=points, **options)
    except BudgetExceededError:
        return None


_FUNCTIONS_NOTE = ("the undefined functions were given random smooth positive values (an identity between them "
                   "holds for every function)")


def _early_probe(probed: tuple[Any, Any], options: dict[str, Any]) -> ProbeResult | BudgetExceededError | None:
    """The first :data:`EARLY_POINTS` random points, tried before the symbolic stages: a false claim almost always
    differs there, and is then settled in a fraction of the time the canonical forms take to fail on it (seconds
    each on a log-likelihood; measured on the notes corpus). The budget's error is returned, not raised."""
    try:
        return within(PROBE_SECONDS, "the random numeric probe", probe, *probed, points=EARLY_POINTS, **options)
    except BudgetExceededError as error:
        return error


def _refuted(left: Any, right: Any, found: ProbeResult, probed: tuple[Any, Any], notes: list[str]) -> Verdict:
    """The verdict for a counterexample found by the probe (re-checked at 60 digits there)."""
    if probed != (left, right) and _FUNCTIONS_NOTE not in notes:
        notes.append(_FUNCTIONS_NOTE)
    if found.skipped:
        notes.append(f"{found.skipped} random points were skipped: a side was not real and finite there")
    return Verdict(VerdictKind.NOT_EQUIVALENT, left, right, method="random points at 30 digits",
                   points=found.agreed + 1, assumptions=found.assumptions, counterexample=found.counterexample,
                   notes=tuple(notes))


def _concrete_functions(left: Any, right: Any, seed: int) -> tuple[Any, Any]:
    """Both sides with each undefined function replaced by a random smooth positive function, when the claim
    is an algebraic identity in the values of the same applications (both sides apply the same functions to the
    same arguments, each function with one number of arguments, never to both a vector ``y`` and its elements
    ``y_i``): it then holds for every function or fails for almost every one. Otherwise (``f(x) = f(2x)``,
    ``p(x) = sum_z p(x, z)``: a marginal, ``p(y) = prod_i p(y_i)``: independence) the sides are returned as
    they are."""
    applied = [{a for a in canonical_indices(side).atoms(AppliedUndef)} if isinstance(side, sp.Basic) else set()
               for side in (left, right)]
    if not applied[0] or applied[0] != applied[1]:  # f(x) = f(2x) depends on f: not an identity to test
        return left, right
    every = applied[0] | applied[1]
    labels = {str(i.base.label) for side in (left, right) for i in side.atoms(sp.Indexed)}
    arities: dict[str, set[int]] = {}
    for application in every:
        arities.setdefault(str(application.func), set()).add(len(application.args))
        if any(isinstance(a, sp.Symbol) and str(a) in labels for a in application.args):
            return left, right
    if any(len(counts) > 1 for counts in arities.values()):
        return left, right
    rng = random.Random(seed)
    functions = {}
    for name in sorted(arities):
        arguments = sp.symbols(f"a0:{next(iter(arities[name]))}", real=True)
        exponent = sp.Rational(rng.randint(-9, 9), 7) + sum(
            sp.Rational(rng.randint(1, 9), 5) * a / (1 + sp.Rational(rng.randint(1, 9), 7) * a ** 2)
            for a in arguments)
        functions[name] = sp.Lambda(arguments, sp.exp(exponent))
    replace = (lambda side: side.replace(lambda e: isinstance(e, AppliedUndef) and str(e.func) in functions,
                                         lambda e: functions[str(e.func)](*e.args)))
    return replace(left), replace(right)


#: Bound indices of sums, by nesting depth: sum_i x_i and sum_j x_j are the same sum.
_INDICES = tuple(sp.Symbol(f"index{depth}_", integer=True) for depth in range(16))


def canonical_indices(expr: Any, depth: int = 0) -> Any:
    """``expr`` with the index of every sum and product renamed by its nesting depth, so that sums that differ only
    in the name of their index are identical (an index of an enclosing sum keeps its name inside)."""
    if not isinstance(expr, sp.Basic) or not expr.has(sp.Sum, sp.Product) or depth + 2 >= len(_INDICES):
        return expr
    if isinstance(expr, (sp.Sum, sp.Product)):
        renamed = {limit[0]: _INDICES[depth + number] for number, limit in enumerate(expr.limits)}
        limits = [(renamed[limit[0]], *(canonical_indices(b, depth) for b in limit[1:])) for limit in expr.limits]
        body = canonical_indices(expr.function.xreplace(renamed), depth + len(limits))
        return expr.func(body, *limits)
    return expr.func(*(canonical_indices(argument, depth) for argument in expr.args))


def _expand(expr: Any) -> Any:
    """``expand``, with logs of products and powers split where their arguments are positive (always valid)."""
    return sp.expand(sp.expand_log(expr)) if expr.has(sp.log) else sp.expand(expr)


def split_sums(expr: Any) -> Any:
    """Sums split over their terms, index-free factors pulled out, constants summed
    (``sum_i (x_i - 2 mu x_i) -> sum_i x_i - 2 mu sum_i x_i``, ``sum_i mu -> n mu``).

    SymPy's ``expand`` leaves ``Sum(mu, (i, 1, n))`` as it is, and ``solve`` returns nothing for an unknown
    inside a Sum (SymPy 1.14).
    """
    def split(total: sp.Sum) -> Any:
        indices = [limit[0] for limit in total.limits]
        parts = []
        for term in sp.Add.make_args(sp.expand(total.function)):
            outside, inside = term.as_independent(*indices, as_Add=False)
            parts.append(outside * sp.Sum(inside, *total.limits).doit())
        return sp.Add(*parts)

    return expr.replace(lambda e: isinstance(e, sp.Sum), split)


def _attempt(seconds: float, method: str, canonical: Callable[[Any], Any], difference: Any, notes: list[str]) -> Any:
    """A canonical form under its budget; None (and a note when the budget ran out) if it could not be had."""
    try:
        return within(seconds, method, canonical, difference)
    except BudgetExceededError as error:
        notes.append(str(error))
    except SYMPY_FAILURES:  # a stage that fails proves nothing; a later stage decides
        pass
    return None


def _is_exact_nonzero(value: Any) -> bool:
    """An exact nonzero number (x - (x + 10^-20) = -10^-20): a disproof, however small; never rounding."""
    return isinstance(value, sp.Rational) and value != 0


def _differ_by_constant(left: Any, right: Any, difference: Any, method: str, notes: list[str]) -> Verdict:
    point = tuple((symbol, sp.Integer(1)) for symbol in sorted(
        (left - right).free_symbols if not getattr(left, "is_Matrix", False) else (), key=str))
    return Verdict(VerdictKind.NOT_EQUIVALENT, left, right, method=f"{method}: the sides differ by the exact "
                   f"constant {difference}", counterexample=Counterexample(point, sp.sympify(left).doit().subs(
                       dict(point)), sp.sympify(right).doit().subs(dict(point)), difference), notes=tuple(notes))


def _is_zero(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, sp.MatrixBase):
        return all(entry == 0 for entry in value)
    return bool(value == 0 or isinstance(value, sp.ZeroMatrix))


def _difference(left: Any, right: Any) -> Any:
    """``left - right`` as one SymPy object, or None when SymPy cannot form it (matrix vs 1 x 1 scalar)."""
    try:
        if getattr(left, "is_Matrix", False) != getattr(right, "is_Matrix", False):
            return None
        return left - right
    except (TypeError, ValueError):
        return None


def _shape(side: Any) -> tuple | None:
    return tuple(side.shape) if getattr(side, "is_Matrix", False) else None


def _check_shapes(left: Any, right: Any) -> None:
    if any(isinstance(side, sp.Derivative) for side in (left, right)):
        return  # the shape of a derivative by a matrix is known only once evaluated; the probe checks it
    shapes = [_shape(left), _shape(right)]
    shapes = [s for s in shapes if s not in (None, (1, 1))]
    if len(shapes) == 1 and None in (_shape(left), _shape(right)):
        raise ShapeError(f"the claim compares a {shapes[0]} matrix with a scalar")
    if len(shapes) == 2 and any(sp.simplify(a - b) != 0 for a, b in zip(*shapes)):
        raise ShapeError(f"the claim compares matrices of shapes {shapes[0]} and {shapes[1]}")


def _indefinite_integration_variables(*sides: Any) -> list[Any]:
    return sorted({integral.limits[0][0] for side in sides for integral in side.atoms(sp.Integral)
                   if len(integral.limits[0]) == 1}, key=str)


def _up_to_constant(left: Any, right: Any, variables: list[Any], **options: Any) -> Verdict:
    """Antiderivatives: compare the derivatives of both sides by each integration variable."""
    wrt = ", ".join(map(str, variables))
    note = f"an indefinite integral is defined up to a constant, so the derivatives by {wrt} were compared"
    derivatives = [(sp.diff(left, v), sp.diff(right, v)) for v in variables]
    if _indefinite_integration_variables(*(side for pair in derivatives for side in pair)):
        return Verdict(VerdictKind.UNDECIDED, left, right, reason="an integral is left after differentiating",
                       notes=(note,))
    verdicts = [decide(*pair, **options) for pair in derivatives]
    for verdict in verdicts:
        if not verdict:  # its sides are the derivatives, so that its counterexample evaluates them
            return Verdict(verdict.kind, verdict.left, verdict.right, method=verdict.method, points=verdict.points,
                           assumptions=verdict.assumptions, counterexample=verdict.counterexample,
                           reason=verdict.reason, notes=(note, *verdict.notes))
    how = "; ".join(v.headline() for v in verdicts)
    kind = (VerdictKind.EQUIVALENT_UP_TO_CONSTANT if all(v.proved for v in verdicts)
            else VerdictKind.NUMERICALLY_EQUIVALENT)
    return Verdict(kind, left, right, method=f"the derivatives by {wrt} agree: {how}",
                   points=max(v.points for v in verdicts), assumptions=verdicts[0].assumptions, notes=(note,))

"""Random high-precision probing: evaluate both sides of a claim at random points that respect assumptions.

A claim is made concrete before it can be evaluated:

1. sizes: matrix dimensions and the ``n`` of a sum get random small integers (2-4; 2-3 when a derivative by a
   matrix must be expanded entry by entry); the same symbol gets the same value everywhere (``1/n`` too);
2. matrix symbols become random explicit matrices (new ones at every point) with exact rational entries:
   square ones diagonally dominant (invertible, det > 0, so ``log det`` is real, but not symmetric, so a
   missing transpose shows), symmetric or symmetric positive definite where the caller says so, others
   unconstrained;
3. derivatives by a matrix are taken entry by entry on the explicit matrix (gradient of a scalar: the shape of
   the variable; of a column vector by a column vector: SymPy's layout ``D[j, i] = d f_i / d x_j``); such a
   claim is differentiated once per size with matrices of symbols, and each point gives the symbols values;
4. ``doit`` evaluates the rest (finite sums over the data ``x[1]...x[n]``, scalar derivatives, matrix algebra);
   integrals are left to ``evalf``'s quadrature;
5. the remaining scalars (and the data of sums) get exact random rationals by their assumptions (positive,
   nonnegative, integer, real); symbols without assumptions alternate between both signs and positive values,
   and a point counts only where both sides are real and finite.

Both sides are then evaluated at 30 digits and compared with a tolerance relative to their size; a point where
they differ is evaluated again at 60 digits before it is reported as a counterexample.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import sympy as sp

from symml.checker.bound_indices import bound_renamed
from symml.checker.failures import SYMPY_FAILURES
from symml.checker.verdict import Counterexample
from symml.errors import ShapeError, SymmlError

__all__ = ["probe", "ProbeResult", "evaluate_at", "differentiates_by_matrix"]

_DIGITS = 30
_RECHECK_DIGITS = 60
#: Relative tolerance at 30 digits: true identities leave residuals near 1e-30; a real mistake is far larger.
_TOLERANCE = sp.Float("1e-15", _DIGITS)
#: How far quadrature of an integrand singular at an end may be off (mpmath at 30 digits: 1e-7 measured).
_QUADRATURE_TOLERANCE = sp.Float("1e-4", _DIGITS)
_DENOMINATORS = (7, 11, 13, 17, 19, 23)


@dataclass(frozen=True)
class ProbeResult:
    """What random probing found: the points of agreement, or a counterexample, or why nothing was evaluated."""

    agreed: int
    counterexample: Counterexample | None
    assumptions: tuple[str, ...]
    reason: str = ""
    skipped: int = 0  # random points where a side was not real and finite


class _CannotEvaluate(Exception):
    """The claim leaves something that has no numeric value (an undefined function, a derivative by a matrix
    of a non-scalar, ...); the message says what."""


def probe(left: Any, right: Any, *, points: int = 8, seed: int = 0,
          symmetric: Iterable[Any] = (), positive_definite: Iterable[Any] = (),
          ranges: Mapping[str, tuple[Any, Any]] | None = None) -> ProbeResult:
    """Evaluate ``left`` and ``right`` at up to ``points`` random valid points (see the module docstring).

    Args:
        left, right: SymPy expressions or matrix expressions of equal shape (1 x 1 compares with a scalar).
        points: how many valid points must agree.
        seed: the random seed (same seed, same points).
        symmetric, positive_definite: matrix symbols to sample as symmetric / symmetric positive definite.
    """
    sampler = _Sampler(random.Random(seed), {str(m.name) for m in symmetric},
                       {str(m.name) for m in positive_definite}, dict(ranges or {}))
    size_symbols = _size_symbols(left, right)
    unsized = _sums_past_their_vectors(left, right)
    if unsized:  # sum_{i=1}^N y_i^2 beside y in R^n: only N = n could make it y^T y, which the notes do not say
        return ProbeResult(0, None, sampler.honoured(), reason=unsized)
    agreed, trials, skipped = 0, 0, 0
    # Instantiation depends on the sizes only, unless there are matrices: they are drawn anew at every point.
    # A claim with a derivative by a matrix is instead instantiated once per size with matrices of symbols
    # (differentiating is the expensive part), and each point gives those symbols new values.
    has_matrices = bool(left.atoms(sp.MatrixSymbol) | right.atoms(sp.MatrixSymbol))
    by_entries = differentiates_by_matrix(left, right)
    instances: dict[tuple, tuple[Any, Any, dict]] = {}
    while agreed < points and trials < 6 * points:
        trials += 1
        sizes = {s: sampler.size(s, differentiates_by_matrix(left, right)) for s in size_symbols}
        key = (trials if has_matrices and not by_entries else 0, tuple(sorted((str(k), v) for k, v in sizes.items())))
        try:
            if key not in instances:
                instances[key] = _instantiate_claim(left, right, sizes, sampler, by_entries)
            explicit_left, explicit_right, matrices = instances[key]
            entries: list = []
            if by_entries:  # the instance holds matrices of symbols: give them values
                templates, matrices = matrices, {m: sampler.matrix(m) for m in matrices}
                entries = [(s, v) for m in templates for s, v in zip(templates[m], matrices[m])]
            entry_symbols = {s for s, _ in entries}
            # an index outside any sum names one element: it is drawn first, so that y_i becomes that y_k
            indices = {index: sampler.index(index, min(sizes.values()))
                       for index in _free_indices(explicit_left, explicit_right)} if sizes else {}
            explicit_left, explicit_right = (_entries_of_vectors(side.xreplace(indices), matrices)
                                             for side in (explicit_left, explicit_right))
            scalars = [*indices.items(), *((a, sampler.scalar(a, trials))
                                           for a in _random_atoms(explicit_left, explicit_right)
                                           if a not in entry_symbols)]
            values = entries + scalars
            left_value = evaluate_at(explicit_left, values, _DIGITS)
            right_value = evaluate_at(explicit_right, values, _DIGITS)
            _check_same_shape(left_value, right_value)
        except _CannotEvaluate as error:
            return ProbeResult(agreed, None, sampler.honoured(), reason=str(error), skipped=skipped)
        if not (_valid(left_value) and _valid(right_value)):
            skipped += 1
            continue
        if _agree(left_value, right_value):
            agreed += 1
            if not (size_symbols or matrices or scalars):
                break  # nothing random: one evaluation decides
            continue
        # Re-check at higher precision before reporting: a true identity never survives this.
        left_value = evaluate_at(explicit_left, values, _RECHECK_DIGITS)
        right_value = evaluate_at(explicit_right, values, _RECHECK_DIGITS)
        if _agree(left_value, right_value):
            agreed += 1
            continue
        if _within_quadrature_error(explicit_left, explicit_right, left_value, right_value):
            skipped += 1  # ∫₀¹ x^(α−1) at α = 0.09: quadrature near the singular end is good to 1e-6, not 1e-15
            continue
        difference = left_value - right_value
        point = tuple(sizes.items()) + tuple(matrices.items()) + tuple(scalars)
        return ProbeResult(agreed, Counterexample(point, left_value, right_value, difference), sampler.honoured(),
                           skipped=skipped)
    reason = "" if agreed else f"no point among {trials} random ones where both sides are real and finite"
    return ProbeResult(agreed, None, sampler.honoured(), reason=reason, skipped=skipped)


def evaluate_at(explicit: Any, values: Iterable[tuple[Any, Any]], digits: int = _DIGITS) -> Any:
    """An explicit expression (or matrix) evaluated at the given values with ``digits`` significant digits."""
    try:
        substituted = explicit.xreplace(dict(values))  # d f(g(x)) / dx at x = 2 is no derivative: no value
        integrals = substituted.atoms(sp.Integral) if isinstance(substituted, sp.Basic) else set()
        if any(len(integral.limits) > 1 or integral.function.has(sp.Integral) for integral in integrals):
            # quadrature in two or more dimensions takes seconds to minutes at these digits: no value for a probe
            raise _CannotEvaluate(f"cannot evaluate {explicit}: a multiple integral is not evaluated at a point")
        if any(_diverges(integral) for integral in integrals):
            return sp.nan  # no value here: quadrature would return a large number for a divergent integral
        result = (substituted.applyfunc(lambda entry: sp.N(entry, digits)) if isinstance(substituted, sp.MatrixBase)
                  else sp.N(substituted, digits))
    except SYMPY_FAILURES as error:  # evalf's failures (no quadrature, ...) mean: no value here
        raise _CannotEvaluate(f"cannot evaluate {explicit}: {type(error).__name__}: {error}") from None
    if isinstance(result, sp.MatrixBase):
        if any(not entry.is_number for entry in result):
            raise _CannotEvaluate(f"cannot evaluate {explicit}: it is not numeric at a point")
        return result
    if result.has(sp.Integral):  # quadrature gave up (a double integral over the plane): no value, not a number
        raise _CannotEvaluate(f"cannot evaluate {explicit}: its integral has no numeric value at this point")
    if result.is_number and substituted.has(sp.Integral) and abs(result) > _DIVERGED:
        # quadrature of a divergent integral returns an absurd number, not a value (λ e^{-λx} on (0, ∞), λ < 0)
        raise _CannotEvaluate(f"cannot evaluate {explicit}: the integral does not converge at this point")
    if not result.is_number:
        leftovers = result.atoms(sp.core.function.AppliedUndef, sp.Derivative, sp.Symbol)
        raise _CannotEvaluate(f"cannot evaluate numerically: {', '.join(map(str, leftovers)) or result} "
                              "has no value at a point")
    return result


def _diverges(integral: sp.Integral) -> bool:
    """Whether a definite integral over a finite interval diverges at an end: its integrand f grows there at least
    as fast as 1/distance (|f(a + e) e| does not shrink as e goes from 1e-20 to 1e-40, and is not small), as
    x^(alpha - 1) near 0 does for alpha <= 0 (the Beta integral at a negative parameter)."""
    if len(integral.limits) != 1 or len(integral.limits[0]) != 3:
        return False
    variable, lower, upper = integral.limits[0]
    if not (lower.is_number and upper.is_number and lower.is_finite and upper.is_finite):
        return False
    for end, side in ((lower, 1), (upper, -1)):
        try:
            near, nearer = (abs(sp.N(integral.function.xreplace({variable: end + side * sp.Float(distance, 50)})
                                     * sp.Float(distance, 50), 15)) for distance in ("1e-20", "1e-40"))
        except SYMPY_FAILURES:
            return False
        if near.is_number and nearer.is_number and (nearer == sp.zoo or (nearer >= near and nearer > 1e-6)):
            return True
    return False


# --- making a claim concrete --------------------------------------------------------------------------------

def _size_symbols(*sides: Any) -> list[sp.Symbol]:
    """Symbols that are sizes: matrix dimensions and the limits of sums and products."""
    sizes: set[sp.Symbol] = set()
    for side in sides:
        for matrix in side.atoms(sp.MatrixSymbol):
            for dimension in matrix.shape:
                sizes |= sp.sympify(dimension).free_symbols
        for operator in side.atoms(sp.Sum, sp.Product):
            for limit in operator.limits:
                for bound in limit[1:]:
                    sizes |= sp.sympify(bound).free_symbols
    return sorted(sizes, key=str)


def differentiates_by_matrix(*sides: Any) -> bool:
    """Whether a side holds a derivative by a matrix symbol."""
    return any(isinstance(v, sp.MatrixSymbol) for side in sides for d in side.atoms(sp.Derivative)
               for v, _ in d.variable_count)


def _instantiate_claim(left: Any, right: Any, sizes: dict, sampler: "_Sampler",
                       symbolic: bool) -> tuple[Any, Any, dict]:
    """Both sides at the given sizes, with explicit matrices (random ones, or matrices of symbols when
    ``symbolic``); returns them and the matrices used."""
    try:  # a side n: an int after the sizes are put in (sympify); a sum over n keeps its own n
        left, right = (sp.sympify(bound_renamed(side, sizes).xreplace(sizes)) for side in (left, right))
    except SYMPY_FAILURES as error:  # a size that is also the index of a product: no value at these sizes
        raise _CannotEvaluate(f"cannot instantiate at {sizes}: {type(error).__name__}: {error}") from None
    symbols = sorted(left.atoms(sp.MatrixSymbol) | right.atoms(sp.MatrixSymbol), key=str)
    matrices = {m: (sp.ImmutableMatrix(*m.shape, lambda i, j: sp.Dummy(f"{m.name}_{i}{j}")) if symbolic
                    else sampler.matrix(m)) for m in symbols}
    return _explicit(left, matrices), _explicit(right, matrices), matrices


def _explicit(expr: Any, matrices: dict) -> Any:
    """``expr`` with matrix symbols replaced by their values and every derivative, sum and product done."""
    if isinstance(expr, sp.Derivative) and any(isinstance(v, sp.MatrixSymbol) for v, _ in expr.variable_count):
        return _matrix_derivative(expr, matrices)
    if expr.has(sp.Derivative) and differentiates_by_matrix(expr):
        expr = expr.func(*[_explicit(a, matrices) if isinstance(a, sp.Basic) else a for a in expr.args])
    try:
        result = expr.xreplace(matrices).replace(_sized_identity, lambda e: sp.ImmutableMatrix(sp.eye(e.shape[0])))
        result = result.replace(lambda e: isinstance(e, sp.Inverse), _explicit_inverse)
        result = _finite_sums_done(result).doit(integrals=False)
    except SymmlError:
        raise
    except SYMPY_FAILURES as error:  # SymPy's failures here mean: no value at this point
        raise _CannotEvaluate(f"cannot instantiate {expr}: {type(error).__name__}: {error}") from None
    if isinstance(result, sp.MatrixExpr) and not isinstance(result, sp.MatrixBase):
        result = result.as_explicit()
    if isinstance(result, sp.MatrixBase):
        result = sp.ImmutableMatrix(result)
        return result[0, 0] if result.shape == (1, 1) else result
    return result


def _sized_identity(expr: Any) -> bool:
    """An identity matrix whose size is a number (``I`` of notes whose shapes were inferred, at a point)."""
    return isinstance(expr, sp.Identity) and expr.shape[0].is_Integer


def _finite_sums_done(expr: Any) -> Any:
    """Sums and products with integer limits written out term by term, innermost first, before anything else is
    done: ``Subs(Derivative(log prod_{i=1}^3 f_i, lambda), lambda, .)`` otherwise differentiates the product as
    a product (a sum over a product with symbolic limits, which ``doit`` then tries to sum in closed form:
    minutes, measured with SymPy 1.14, for what is milliseconds once the product is written out)."""
    def finite(e: Any) -> bool:
        return isinstance(e, (sp.Sum, sp.Product)) and all(b.is_Integer for limit in e.limits for b in limit[1:])

    return expr.replace(finite, lambda e: e.doit(integrals=False)) if expr.has(sp.Sum, sp.Product) else expr


def _explicit_inverse(inverse: sp.Inverse) -> Any:
    """An explicit inverse; with symbolic entries by the adjugate (SymPy's default Gaussian elimination takes
    seconds on a 3 x 3 matrix of symbols, the adjugate milliseconds)."""
    matrix = inverse.arg.doit(integrals=False)
    if isinstance(matrix, sp.MatrixExpr) and not isinstance(matrix, sp.MatrixBase):
        matrix = matrix.as_explicit()
    if not isinstance(matrix, sp.MatrixBase):
        return inverse.func(matrix)
    if matrix.free_symbols:
        return sp.ImmutableMatrix(matrix.adjugate() / matrix.det())
    return sp.ImmutableMatrix(matrix.inv())


def _matrix_derivative(derivative: sp.Derivative, matrices: dict) -> Any:
    """A derivative by a matrix symbol, entry by entry on its explicit value (see the module docstring)."""
    ((variable, count),) = derivative.variable_count if len(derivative.variable_count) == 1 else ((None, 0),)
    if variable is None or count != 1:
        raise _CannotEvaluate(f"cannot evaluate {derivative}: only first derivatives by one matrix are supported")
    entries = sp.ImmutableMatrix(*variable.shape, lambda i, j: sp.Dummy(f"{variable.name}_{i}{j}"))
    inner = {**matrices, variable: entries}
    function = _explicit(derivative.expr, inner)
    rows, cols = variable.shape
    if not isinstance(function, sp.MatrixBase):
        gradient = sp.ImmutableMatrix(rows, cols, lambda i, j: sp.diff(function, entries[i, j]))
    elif function.shape[1] == 1 and cols == 1:
        gradient = sp.ImmutableMatrix(rows, function.shape[0], lambda j, i: sp.diff(function[i], entries[j]))
    else:
        raise _CannotEvaluate(f"cannot evaluate {derivative}: derivative of a {function.shape} matrix by a matrix")
    at_value = dict(zip(entries, matrices[variable]))
    result = gradient.xreplace(at_value)
    return result[0, 0] if result.shape == (1, 1) else result


def _sums_past_their_vectors(*sides: Any) -> str:
    """Why the entries of a vector the claim also holds whole cannot be summed as written: a sum over its entries
    whose upper limit is not a size of that vector (``\\sum_{i=1}^N y_i`` beside ``y`` in R^n); "" if none."""
    vectors = {str(m.name): m for side in sides for m in side.atoms(sp.MatrixSymbol) if m.shape[1] == 1}
    for side in sides:
        for operator in side.atoms(sp.Sum, sp.Product):
            for index, _, upper in (limit for limit in operator.limits if len(limit) == 3):
                for entry in operator.function.atoms(sp.Indexed):
                    vector = vectors.get(str(entry.base.label))
                    if vector is not None and entry.has(index) \
                            and not sp.sympify(upper).free_symbols <= sp.sympify(vector.shape[0]).free_symbols:
                        return f"the sum over {index} runs to {upper}, but {vector} has {vector.shape[0]} entries"
    return ""


def _entries_of_vectors(side: Any, matrices: dict) -> Any:
    """``side`` with each entry ``y[k]`` of a vector y the claim also holds whole (``\\|y\\|^2 = \\sum_i y_i^2``)
    replaced by entry k (counted from 1) of y's value at this point, so that both readings see one vector."""
    vectors = {str(m.name): value for m, value in matrices.items() if m.shape[1] == 1}
    if not vectors:
        return side

    def entry(indexed: sp.Indexed) -> Any:
        value = vectors[str(indexed.base.label)]
        (position,) = indexed.indices
        if not (position.is_Integer and 1 <= position <= value.shape[0]):
            raise _CannotEvaluate(f"{indexed} is no entry of the {value.shape[0]}-vector {indexed.base.label}")
        return value[int(position) - 1, 0]

    return side.replace(lambda e: isinstance(e, sp.Indexed) and str(e.base.label) in vectors
                        and len(e.indices) == 1, entry)


def _random_atoms(*sides: Any) -> list[Any]:
    """The scalars still free in explicit sides: symbols and data entries ``x[k]``, in a stable order."""
    atoms: set[Any] = set()
    for side in sides:
        indexed = side.atoms(sp.Indexed)
        labels = {i.base.label for i in indexed}
        atoms |= indexed | {s for s in side.free_symbols if isinstance(s, sp.Symbol) and s not in labels}
    return sorted(atoms, key=sp.default_sort_key)


def _free_indices(*sides: Any) -> set[Any]:
    """Integer symbols that index data outside any sum (z_i in d/dz_i sum_k ...): they name an element that
    exists, so they are drawn from 1..n, not from all integers."""
    return {index for side in sides for indexed in side.atoms(sp.Indexed) for index in indexed.indices
            if isinstance(index, sp.Symbol) and index.is_integer and index in side.free_symbols}


# --- sampling -----------------------------------------------------------------------------------------------

class _Sampler:
    """Draws exact rationals, integers and matrices that respect assumptions; remembers what it honoured."""

    def __init__(self, rng: random.Random, symmetric: set[str], positive_definite: set[str],
                 ranges: dict[str, tuple[Any, Any]] | None = None):
        self.rng = rng
        self.ranges = ranges or {}
        self.symmetric = symmetric
        self.positive_definite = positive_definite
        self._honoured: dict[str, str] = {}

    def honoured(self) -> tuple[str, ...]:
        return tuple(self._honoured[k] for k in sorted(self._honoured))

    def size(self, symbol: sp.Symbol, small: bool) -> int:
        high = 3 if small else 4
        self._honoured[str(symbol)] = f"{symbol} in {{2, ..., {high}}}"
        return self.rng.randint(2, high)

    def index(self, symbol: sp.Symbol, size: int) -> sp.Integer:
        """An element index: 1..size (the smallest size of the claim)."""
        self._honoured[str(symbol)] = f"{symbol} an index in 1..{size}"
        return sp.Integer(self.rng.randint(1, size))

    def _rational(self, low: int, high: int) -> sp.Rational:
        q = self.rng.choice(_DENOMINATORS)
        numerator = 0
        while numerator == 0:
            numerator = self.rng.randint(low * q, high * q)
        return sp.Rational(numerator, q)

    def scalar(self, atom: Any, trial: int) -> sp.Rational:
        name = str(atom.base.label) + "[i]" if isinstance(atom, sp.Indexed) else str(atom)
        interval = self.ranges.get(name, self.ranges.get(name.split("_")[0]))
        if interval is None and isinstance(atom, sp.Indexed):  # p_i of a probability p: each one is a probability
            interval = self.ranges.get(str(atom.base.label))
        if interval is not None and not atom.is_integer:
            low, high = (sp.Rational(bound) for bound in interval)
            self._honoured[name] = f"{name} in ({low}, {high})"
            return low + (high - low) * sp.Rational(self.rng.randint(1, 22), 23)
        if atom.is_integer:
            low = 1 if atom.is_positive else 0 if atom.is_nonnegative else -5
            self._honoured[name] = f"{name} integer" + (" >= %d" % low if low >= 0 else "")
            return sp.Integer(self.rng.randint(low, 6))
        if atom.is_positive or atom.is_nonnegative:
            self._honoured[name] = f"{name} > 0" if atom.is_positive else f"{name} >= 0"
            return self._rational(0, 3)
        if atom.is_negative:
            self._honoured[name] = f"{name} < 0"
            return self._rational(-3, 0)
        if atom.is_real:
            self._honoured[name] = f"{name} real"
        # No sign known: take turns at positive values (the domain of log and sqrt), negative ones, and either.
        return (self._rational(0, 3), self._rational(-3, 0), self._rational(-3, 3))[trial % 3]

    def matrix(self, symbol: sp.MatrixSymbol) -> sp.ImmutableMatrix:
        rows, cols = (int(d) for d in symbol.shape)
        name = str(symbol.name)
        entries = sp.ImmutableMatrix(rows, cols, lambda i, j: self._rational(-1, 1))
        if rows != cols:
            return entries
        if name in self.positive_definite:
            self._honoured[name] = f"{name} symmetric positive definite"
            return sp.ImmutableMatrix(entries * entries.T + sp.eye(rows) / 2)
        if name in self.symmetric:
            self._honoured[name] = f"{name} symmetric"
            entries = (entries + entries.T) / 2
        else:
            self._honoured[name] = f"{name} invertible with det > 0"
        return sp.ImmutableMatrix(entries + rows * sp.eye(rows))


# --- comparing ----------------------------------------------------------------------------------------------

def _entries(value: Any) -> list[Any]:
    return list(value) if isinstance(value, sp.MatrixBase) else [value]


#: Beyond this size a quadrature's result is taken for divergence (the claims' values are of order 1 to 1e10).
_DIVERGED = sp.Float(10) ** 100


def _check_same_shape(left: Any, right: Any) -> None:
    shapes = [value.shape if isinstance(value, sp.MatrixBase) else "scalar" for value in (left, right)]
    if shapes[0] != shapes[1]:
        raise ShapeError(f"the two sides have different shapes once evaluated: {shapes[0]} and {shapes[1]}")


def _valid(value: Any) -> bool:
    for entry in _entries(value):
        if not entry.is_finite:
            return False
        real, imaginary = entry.as_real_imag()
        if not (real.is_comparable and imaginary.is_comparable):  # re(sign(zoo)): log 0 inside, no number
            return False
        if abs(imaginary) > _TOLERANCE * max(1, abs(real)):
            return False
    return True


def _within_quadrature_error(left: Any, right: Any, left_value: Any, right_value: Any) -> bool:
    """Whether a side is evaluated by quadrature and the sides differ by less than its error can be (1e-4
    relative): no value to compare at this point, neither agreement nor a counterexample."""
    if not any(isinstance(side, sp.Basic) and side.has(sp.Integral) for side in (left, right)):
        return False
    left_entries, right_entries = _entries(left_value), _entries(right_value)
    scale = max([sp.Integer(1)] + [abs(v) for v in left_entries + right_entries])
    return all(abs(a - b) <= _QUADRATURE_TOLERANCE * scale for a, b in zip(left_entries, right_entries))


def _agree(left: Any, right: Any) -> bool:
    left_entries, right_entries = _entries(left), _entries(right)
    if len(left_entries) != len(right_entries):
        return False
    scale = max([sp.Integer(1)] + [abs(v) for v in left_entries + right_entries])
    return all(abs(a - b) <= _TOLERANCE * scale for a, b in zip(left_entries, right_entries))

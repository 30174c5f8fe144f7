"""Linear matrix equations from stationarity, solved at matrix level (any symbolic or numeric shape).

SymPy's ``solve`` refuses matrix equations of symbolic shape. :func:`solve_linear_matrix_equation` solves the ones
that ML objectives produce by general rules that each keep the equation equivalent, shown as steps:

1. divide by a common scalar factor, only when it cannot vanish;
2. cancel an invertible factor that every term shares on the left (or on the right), e.g. Σ⁻¹;
3. clear the unknown's inverse by multiplying through by the unknown (it is invertible where its inverse appears);
4. collect the terms that are linear in the unknown, ``A U = B`` (or ``U A = B``), and then
   - ``B = 0`` (homogeneous): U = 0 unless A is singular; with A = M − λI that is the eigenproblem M U = λ U;
   - A an outer product of vectors (rank one, singular): the solutions form a family, the minimum-norm one is
     ``B A⁺`` (the pseudo-inverse);
   - otherwise ``U = A⁻¹B``, with the invertibility of A stated as the condition for a unique solution.

A 1 x 1 unknown is a scalar: its equation is solved by the scalar rules (:mod:`symml.optimize.scalar_solve`).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any, Literal, Sequence

import sympy as sp
from sympy.matrices.expressions import Inverse, MatAdd, MatMul, MatrixExpr

from symml.derivation import Step
from symml.errors import UnboundedError
from symml.optimize.signs import sign_given
from symml.render.printer import latex

__all__ = ["solve_linear_matrix_equation", "MatrixEquationSolution"]

Side = Literal["left", "right"]


@dataclass(frozen=True)
class _Term:
    """One term ``coefficient * F1 F2 ... Fk`` of a matrix sum; no factor is a scalar."""

    coefficient: sp.Expr
    factors: tuple[MatrixExpr, ...]

    def expr(self, shape: tuple) -> MatrixExpr:
        if not self.factors:
            return self.coefficient * sp.Identity(shape[0])
        return MatMul(self.coefficient, *self.factors).doit() if self.coefficient != 1 else MatMul(*self.factors).doit()


@dataclass(frozen=True)
class MatrixEquationSolution:
    """What solving ``expression = 0`` for ``unknown`` gave: the steps taken, and the solution or why there is none.

    Attributes:
        steps: the equivalent equations, one :class:`Step` per rule applied.
        solution: the unknown as a matrix expression free of it (the minimum-norm one of a family), or None.
        reason: when ``solution`` is None, why no rule applies (in words).
        kind: "unique" (A invertible), "minimum-norm" (A singular: a family of solutions), "eigenproblem"
            (``M U = λ U``: non-zero solutions exactly at the eigenvalues), or "" when unsolved.
        condition: the condition under which ``solution`` holds, in words (A invertible, ...).
        eigen: for an eigenproblem, ``(M, λ)``.
    """

    steps: tuple[Step, ...]
    solution: MatrixExpr | None
    reason: str = ""
    kind: str = ""
    condition: str = ""
    eigen: tuple | None = None


def _split(expr: MatrixExpr) -> tuple[sp.Expr, tuple[MatrixExpr, ...]]:
    coefficient, matrices = expr.as_coeff_mmul()
    factors = matrices.args if isinstance(matrices, MatMul) else (matrices,)
    # K**2 is K K: a power shares its base as a factor with the other terms (kernel ridge: K K a + λ K a = K y)
    factors = tuple(g for f in factors for g in (
        (f.base,) * int(f.exp) if isinstance(f, sp.MatPow) and f.exp.is_Integer and f.exp > 0 else (f,)))
    return coefficient, tuple(f for f in factors if not isinstance(f, sp.Identity))


def _terms(expr: MatrixExpr, unknown: MatrixExpr) -> list[_Term]:
    """Distribute products over the sums that contain ``unknown``; sums free of it stay whole (readable results)."""
    expr = expr.doit()
    if isinstance(expr, MatAdd):
        return [term for arg in expr.args for term in _terms(arg, unknown)]
    coefficient, factors = _split(expr)
    choices = [
        _terms(f, unknown) if isinstance(f, MatAdd) and f.has(unknown) else [_Term(sp.S.One, (f,))] for f in factors
    ]
    if all(len(c) == 1 for c in choices):
        return [_Term(coefficient, factors)]
    terms = []
    for picked in product(*choices):
        term_coefficient = coefficient * sp.Mul(*(t.coefficient for t in picked))
        matrix = MatMul(*(f for t in picked for f in t.factors)).doit() if any(t.factors for t in picked) else None
        if matrix is None:
            terms.append(_Term(term_coefficient, ()))
        else:
            inner, inner_factors = _split(matrix)
            terms.append(_Term(term_coefficient * inner, inner_factors))
    return terms


def _unfold_inner_products(terms: list[_Term], unknown: MatrixExpr) -> list[_Term]:
    """b (aᵀU) written (b aᵀ) U: a scalar coefficient that is an inner product with the unknown goes back into the
    matrix product, so the term is linear in U (Fisher: (mᵀw) m = m mᵀ w); the parts of the coefficient free of U
    stay with the term's own factors. Terms it cannot unfold stay as they are."""
    from symml.matrix_calculus.algebra import Scalar

    unfolded: list[_Term] = []
    for term in terms:
        coefficient = sp.expand(_one_orientation(term.coefficient))
        if coefficient == 0:  # wᵀφ and φᵀw are one number: −(φᵀw + wᵀφ)/2 + φᵀw/2 + wᵀφ/2 cancels
            continue
        coefficient = coefficient.xreplace({a: _unknown_factored_out(a, unknown) for a in coefficient.atoms(Scalar)
                                            if isinstance(a.matrix, MatAdd) and a.has(unknown)})
        term = _Term(coefficient, term.factors)
        holding = [a for a in term.coefficient.atoms(Scalar) if a.has(unknown)]
        if not holding:
            unfolded.append(term)
            continue
        pieces: list[_Term] = []
        for piece in sp.Add.make_args(term.coefficient):
            if not piece.has(unknown):  # (φᵀw − t) φ: the part free of w stays a constant term, t φ
                pieces.append(_Term(piece, term.factors))
                continue
            inner = [a for a in piece.atoms(Scalar) if a.has(unknown)]
            rest = sp.cancel(piece / inner[0]) if len(inner) == 1 else None
            product = inner[0].matrix if len(inner) == 1 else None
            if product is not None and getattr(product, "args", ())[-1:] != (unknown,):
                product = product.T.doit()
            factors = product.args if isinstance(product, MatMul) else ()
            if rest is None or rest.has(unknown) or factors[-1:] != (unknown,) or any(
                    f.has(unknown) for f in factors[:-1]) or (term.factors and term.factors[-1].shape[1] != 1):
                pieces = []
                break
            pieces.append(_Term(rest, term.factors + tuple(factors)))
        unfolded.extend(pieces if pieces else [term])
    merged: dict[tuple, sp.Expr] = {}  # mᵀw m + wᵀm m are one term, 2 m mᵀ w
    for term in unfolded:
        merged[term.factors] = merged.get(term.factors, sp.S.Zero) + term.coefficient
    return [_Term(c, f) for f, c in merged.items() if c != 0]


def _unknown_factored_out(inner: Any, unknown: MatrixExpr) -> Any:
    """(m₂ᵀw − m₁ᵀw) as ((m₂ − m₁)ᵀ) w: a sum of inner products with the unknown on the right is one inner product
    (Fisher's (m₂ − m₁)ᵀw (m₂ − m₁) = (m₂ − m₁)(m₂ − m₁)ᵀw, PRML 4.30); anything else is left as it is."""
    from symml.matrix_calculus.algebra import Scalar

    lefts = []
    for arg in inner.matrix.args:
        if not arg.has(unknown):
            return inner
        oriented = arg if arg.args[-1:] == (unknown,) else arg.T.doit()
        coefficient, factors = _split(oriented)
        if factors[-1:] != (unknown,) or any(f.has(unknown) for f in factors[:-1]) or len(factors) < 2:
            return inner
        lefts.append(coefficient * MatMul(*factors[:-1]) if len(factors) > 2 else coefficient * factors[0])
    return Scalar(MatMul(MatAdd(*lefts), unknown))


def _one_orientation(expr: sp.Basic) -> sp.Basic:
    """A 1 x 1 product equals its transpose (wᵀφ = φᵀw): where both orientations occur, write both the same way,
    so that the scalar view sees one number and its terms combine and cancel."""
    from symml.matrix_calculus.algebra import Scalar

    seen: dict[sp.Basic, sp.Basic] = {}
    for atom in sorted(expr.atoms(Scalar), key=sp.default_sort_key):
        flipped = Scalar(atom.matrix.T.doit())
        seen.setdefault(atom, seen.get(flipped, atom))
    renamed = {atom: kept for atom, kept in seen.items() if atom != kept}
    return expr.xreplace(renamed) if renamed else expr


def _rebuild(terms: Sequence[_Term]) -> list[_Term]:
    """Re-split terms after factors changed (so that ``Σ Σ⁻¹ = I`` and ``1ᵀ1 = n`` are applied)."""
    rebuilt = []
    for term in terms:
        if not term.factors:
            rebuilt.append(term)
            continue
        coefficient, factors = _split(MatMul(*term.factors).doit())
        rebuilt.append(_Term(term.coefficient * coefficient, factors))
    return rebuilt


def _sum(terms: Sequence[_Term], shape: tuple) -> MatrixExpr:
    if not terms:
        return sp.ZeroMatrix(*shape)
    return MatAdd(*(t.expr(shape) for t in terms)) if len(terms) > 1 else terms[0].expr(shape)


def _common_scalar(terms: Sequence[_Term]) -> sp.Expr:
    markers = sp.symbols(f"_m0:{len(terms)}", cls=sp.Dummy)
    factored = sp.factor_terms(sp.Add(*(t.coefficient * m for t, m in zip(terms, markers))))
    common, _ = factored.as_independent(*markers, as_Add=False)
    return common


def _is_invertible(factor: MatrixExpr, unknown: MatrixExpr, unknown_invertible: bool) -> bool:
    if isinstance(factor, Inverse):
        return True
    return unknown_invertible and factor == unknown


class _Solver:
    """Applies the rules to ``terms = 0`` for ``unknown``, recording each equivalent equation as a step."""

    def __init__(self, expression: MatrixExpr, unknown: MatrixExpr):
        self.unknown = unknown
        self.shape = expression.shape
        # Only a square unknown has an inverse (a (4, 1) vector must not build one: SymPy raises).
        square = unknown.shape[0] == unknown.shape[1]
        self.inverse = Inverse(unknown) if square else None
        self.unknown_invertible = square and expression.has(self.inverse)
        expression = expression.doit()
        self.terms = _unfold_inner_products([t for t in _terms(expression, unknown) if t.coefficient != 0], unknown)
        self.steps: list[Step] = []

    def equation(self) -> sp.Eq:
        return sp.Eq(_sum(self.terms, self.shape), sp.ZeroMatrix(*self.shape), evaluate=False)

    def record(self, title: str, why: str) -> None:
        self.steps.append(Step(title, self.equation(), why))

    def divide_common_scalar(self) -> None:
        common = _common_scalar(self.terms)
        # Never divide by a factor that can vanish (a/z - 1 vanishes exactly at the solution z = a).
        if common != 1 and common != 0 and sign_given(common) in (-1, 1):
            self.terms = [_Term(sp.cancel(t.coefficient / common), t.factors) for t in self.terms]
            self.record(f"Multiply by ${latex(1 / common)}$", "it clears a non-zero scalar factor common to every term")

    def cancel_common_factor(self, side: Side) -> bool:
        position = 0 if side == "left" else -1
        if not all(t.factors for t in self.terms):
            return False
        first = self.terms[0].factors[position]
        if not all(t.factors[position] == first for t in self.terms):
            return False
        # A symmetric matrix symbol (a kernel or covariance matrix) is taken to be invertible, and the step says so.
        assumed = isinstance(first, sp.MatrixSymbol) and first != self.unknown and first.T == first
        if not (assumed or _is_invertible(first, self.unknown, self.unknown_invertible)):
            return False
        self.terms = [_Term(t.coefficient, t.factors[1:] if side == "left" else t.factors[:-1]) for t in self.terms]
        self.shape = (first.shape[1], self.shape[1]) if side == "left" else (self.shape[0], first.shape[0])
        self.record(
            f"Cancel ${latex(first)}$ on the {side}",
            f"every term has it as its {side} factor, and it is invertible"
            + (" (assumed: positive definite; if it is singular, the solutions differ by its null space)"
               if assumed else "") + ": multiply by its inverse",
        )
        return True

    def clear_inverse(self, side: Side) -> bool:
        position = 0 if side == "left" else -1
        if self.inverse is None or not any(t.factors and t.factors[position] == self.inverse for t in self.terms):
            return False
        u = self.unknown
        self.terms = _rebuild(
            [
                _Term(t.coefficient, (u, *t.factors) if side == "left" else (*t.factors, u))
                if t.factors
                else _Term(t.coefficient, (u,))
                for t in self.terms
            ]
        )
        self.record(
            f"Multiply by ${latex(u)}$ on the {side}",
            f"${latex(u)}$ is invertible (its inverse appears), so the equation keeps its solutions",
        )
        return True

    def isolate(self) -> None:
        """Apply rules 1-3 until none applies (a bounded number of rounds: each removes a factor)."""
        self.divide_common_scalar()
        sides: tuple[Side, Side] = ("left", "right")
        for _ in range(2 * len(self.unknown.shape) + 4):
            changed = False
            for side in sides:
                changed |= self.cancel_common_factor(side)
            for side in sides:
                if self.clear_inverse(side):
                    changed = True
                    break
            if not changed:
                return
            self.divide_common_scalar()

    def collect(self) -> MatrixEquationSolution:
        """Rule 4: ``A U + C = 0`` gives ``U = A⁻¹(−C)``; ``U A + C = 0`` gives ``U = (−C)A⁻¹``."""
        u = self.unknown
        with_u = [t for t in self.terms if t.coefficient.has(u) or any(f.has(u) for f in t.factors)]
        constant = [t for t in self.terms if t not in with_u]
        if not with_u:
            return self._none("the condition does not depend on the unknown")
        sides: set[str] = set()
        coefficients: list[_Term] = []
        for term in with_u:
            positions = [i for i, f in enumerate(term.factors) if f.has(u)]
            if term.coefficient.has(u) or len(positions) != 1 or term.factors[positions[0]] != u:
                return self._none("the unknown enters non-linearly (through a function, a transpose or a power)")
            (i,) = positions
            last = len(term.factors) - 1
            if 0 < i < last:
                return self._none("the unknown is multiplied on both sides (a Sylvester equation)")
            if last > 0:
                sides.add("left" if i == last else "right")
            rest = term.factors[:i] if i == last else term.factors[1:]
            coefficients.append(_Term(term.coefficient, rest))
        if len(sides) > 1:
            return self._none("the unknown is multiplied on the left in some terms and on the right in others")
        side = sides.pop() if sides else "left"
        right_hand = _sum([_Term(-t.coefficient, t.factors) for t in constant], u.shape)
        size = u.shape[0] if side == "left" else u.shape[1]
        if all(not t.factors for t in coefficients):
            scale = sp.Add(*(t.coefficient for t in coefficients))
            collected = sp.Eq(scale * u, right_hand, evaluate=False)
            self.steps.append(Step("Collect the terms in the unknown", collected, ""))
            solution = (right_hand / scale).doit() if scale != 1 else right_hand
            if self.unknown_invertible and _outer_product(solution) is not None:
                raise _no_stationary_point(collected, f"{u} must be invertible (its inverse appears) and the one "
                                                      f"solution {solution} has rank one")
            self.steps.append(Step("Solve", sp.Eq(u, solution, evaluate=False), f"divide by ${latex(scale)}$"))
            return MatrixEquationSolution(tuple(self.steps), solution)
        matrix = _sum(coefficients, (size, size))
        lhs = MatMul(matrix, u) if side == "left" else MatMul(u, matrix)
        self.steps.append(Step("Collect the terms in the unknown", sp.Eq(lhs, right_hand, evaluate=False), ""))
        if not constant:
            return self._homogeneous(coefficients, side)
        outer = _outer_product(matrix)
        if outer is not None:
            return self._minimum_norm(matrix, outer, right_hand, side)
        solution = MatMul(Inverse(matrix), right_hand) if side == "left" else MatMul(right_hand, Inverse(matrix))
        solution = solution.doit()
        condition = f"${latex(matrix)}$ is invertible"
        self.steps.append(
            Step(
                "Solve",
                sp.Eq(u, solution, evaluate=False),
                f"multiply by the inverse of ${latex(matrix)}$ on the {side}; it is invertible exactly when the "
                "stationary point is unique",
            )
        )
        return MatrixEquationSolution(tuple(self.steps), solution, kind="unique", condition=condition)

    def _homogeneous(self, coefficients: list[_Term], side: str) -> MatrixEquationSolution:
        """A U = 0: U = 0 when A is invertible; with A = M - λB (λ a scalar symbol, B = I or a matrix), non-zero
        solutions exist exactly at the (generalised) eigenvalues: M U = λ B U, never "solved" by inverting A."""
        u = self.unknown
        # (M − λB) collected as one factor (a Lagrangian's 2S_B w − 2λS_W w) is spread into its terms first, so that
        # the multiplier is seen in a coefficient (Fisher's S_B w = λ S_W w, PRML 4.1.6)
        size = (u.shape[0], u.shape[0])
        coefficients = [piece for t in coefficients for piece in (
            _terms(t.expr(size), *t.factors) if len(t.factors) == 1 and isinstance(t.factors[0], MatAdd) else [t])]
        common = _common_scalar(coefficients)
        if common.is_number and common != 0:  # 2S_B w − 2λS_W w = 0 is S_B w = λ S_W w: λ keeps its meaning
            coefficients = [_Term(t.coefficient / common, t.factors) for t in coefficients]
        scalars = {s for t in coefficients for s in t.coefficient.free_symbols} - set(u.shape)
        for symbol in sorted(scalars, key=str):
            shifts = [t for t in coefficients if t.coefficient.has(symbol)]
            rest = [t for t in coefficients if t not in shifts]
            metric_terms = [_Term(sp.cancel(-t.coefficient / symbol), t.factors) for t in shifts]
            if not rest or side != "left" or any(m.coefficient.has(symbol) for m in metric_terms):
                continue
            matrix, metric = _sum(rest, size), _sum(metric_terms, size)
            standard = isinstance(metric, sp.Identity)
            rhs = symbol * u if standard else symbol * MatMul(metric, u)
            self.steps.append(Step(
                "An eigenproblem" if standard else "A generalised eigenproblem",
                sp.Eq(MatMul(matrix, u), rhs, evaluate=False),
                f"the equation is homogeneous: ${latex(u)} = 0$ unless ${latex(matrix)} - {latex(symbol)} "
                f"{'I' if standard else latex(metric)}$ is singular, that is unless ${latex(symbol)}$ is an "
                f"eigenvalue; the non-zero solutions are the eigenvectors (inverting would lose exactly them)",
            ))
            return MatrixEquationSolution(tuple(self.steps), None, "an eigenproblem: the solutions are the "
                                          "eigenvectors of " + str(matrix), kind="eigenproblem",
                                          condition=f"${latex(symbol)}$ is an eigenvalue of ${latex(matrix)}$",
                                          eigen=(matrix, symbol) if standard else (matrix, symbol, metric))
        zero = sp.ZeroMatrix(*u.shape)
        self.steps.append(Step("Solve", sp.Eq(u, zero, evaluate=False),
                               "the equation is homogeneous: its only solution is zero when the coefficient is "
                               "invertible (otherwise every vector of its null space solves it)"))
        return MatrixEquationSolution(tuple(self.steps), zero, kind="unique", condition="the coefficient is invertible")

    def _minimum_norm(self, matrix: MatrixExpr, outer: tuple, right_hand: MatrixExpr,
                      side: str) -> MatrixEquationSolution:
        """A = a bᵀ has rank one: A U = B (or U A = B) has a family of solutions when it has any, and the one of
        least Frobenius norm is A⁺B (B A⁺), with A⁺ = b aᵀ / (aᵀa · bᵀb) (Penrose 1955; Ben-Israel & Greville).
        With B a multiple of the identity (full rank) it has none: UnboundedError, the gradient never vanishes."""
        from symml.matrix_calculus.algebra import Scalar

        a, b = outer
        scale_of_identity, beyond_identity = _split(right_hand)
        if not beyond_identity and scale_of_identity != 0:
            # the range of a bᵀ is one line, the identity's the whole space: the pseudo-inverse would give a least-
            # squares point that is no solution (Ω vvᵀ = I "solved" by vvᵀ/‖v‖⁴, a Gaussian's precision from one draw)
            lhs = MatMul(matrix, self.unknown) if side == "left" else MatMul(self.unknown, matrix)
            raise _no_stationary_point(sp.Eq(lhs, right_hand, evaluate=False), f"{matrix} has rank one and the "
                                       f"right-hand side rank {matrix.shape[0]} (> 1)")
        pinv = sp.MatrixSymbol(f"({latex(matrix)})^+", *matrix.shape)
        scale = 1 / (Scalar((a.T * a).doit()) * Scalar((b.T * b).doit()))
        leading, product = _split((b * a.T * right_hand if side == "left" else right_hand * b * a.T).doit())
        coefficient, factors = _inner_products(leading * scale, list(product))
        solution = (coefficient * MatMul(*factors)).doit() if coefficient != 1 else MatMul(*factors).doit()
        u = self.unknown
        self.steps.append(Step(
            "A singular system: the minimum-norm solution",
            (sp.Eq(u, MatMul(pinv, right_hand) if side == "left" else MatMul(right_hand, pinv), evaluate=False),
             sp.Eq(u, solution, evaluate=False)),
            f"${latex(matrix)}$ is an outer product of two vectors, so it has rank one and no inverse: the equation "
            "has a family of solutions (any solution plus anything the coefficient maps to zero); the pseudo-inverse "
            "gives the one of least norm",
        ))
        return MatrixEquationSolution(tuple(self.steps), solution, kind="minimum-norm",
                                      condition="the minimum-norm solution among a family (the coefficient has rank one)")

    def _none(self, reason: str) -> MatrixEquationSolution:
        return MatrixEquationSolution(tuple(self.steps), None, reason)


def scalar_view(expression: MatrixExpr, unknowns: dict, scalar_unknowns: tuple = ()) -> sp.Expr:
    """A 1 x 1 expression in 1 x 1 unknowns as a scalar expression in scalar symbols (``{W: w}``): products are
    multiplied out so that the unknowns, and the ``scalar_unknowns`` (a step size t in (x − tg)ᵀA(x − tg)), leave
    every matrix product (1ᵀ(x - 1μ) -> 1ᵀx - nμ)."""
    from symml.matrix_calculus.algebra import Scalar, to_scalar

    view = to_scalar(expression.xreplace({u: s * sp.Identity(1) for u, s in unknowns.items()}))
    scalars = set(unknowns.values()) | set(scalar_unknowns)

    def inside(e: sp.Basic) -> bool:
        return isinstance(e, Scalar) and bool(e.free_symbols & scalars)

    def opened(node: Scalar) -> sp.Expr:
        matrix = node.matrix.expand().doit()
        return to_scalar(matrix.expand() if hasattr(matrix, "expand") else matrix)

    for _ in range(4):  # each pass opens one level of nesting
        if not any(inside(a) for a in view.atoms(Scalar)):
            break
        view = view.replace(inside, opened)
    return _one_orientation(view)


def _solve_scalar(expression: MatrixExpr, unknown: sp.MatrixSymbol) -> MatrixEquationSolution:
    """A 1 x 1 equation is a scalar equation: solved by the scalar rules, never by dividing by a common factor
    (which may contain the unknown and vanish at the solution)."""
    from symml.optimize.scalar_solve import solve_stationarity

    scalar = sp.Symbol(unknown.name, real=True)
    equation = scalar_view(expression, {unknown: scalar})
    facts = [f.args[0] for f in equation.atoms(sp.log) if scalar in f.free_symbols]
    steps = [Step("A 1 x 1 unknown is a scalar", sp.Eq(equation, 0),
                  "the stationarity condition is one scalar equation in the scalar unknown")]
    solved = solve_stationarity({scalar: equation}, facts)
    if scalar not in solved.closed:
        return MatrixEquationSolution(tuple(steps), None, "solving the scalar equation in closed form failed")
    value = _signed_quotient(solved.closed[scalar])
    steps.append(Step("Solve", sp.Eq(scalar, value), solved.how))
    return MatrixEquationSolution(tuple(steps), value * sp.Identity(1), kind="unique")


def _signed_quotient(value: sp.Expr) -> sp.Expr:
    """``value`` as one quotient with no minus sign to extract from its numerator: ``-c/(b² - ac)`` and
    ``c/(ac - b²)`` are the same number, and which of them SymPy's solver returns depends on the hash seed (a
    printed Schur complement changed sign form from run to run). Of n and -n exactly one has a sign to extract."""
    numerator, denominator = sp.fraction(sp.together(value))
    if numerator.could_extract_minus_sign():
        numerator, denominator = -numerator, -denominator
    return numerator / denominator


def _inner_products(coefficient: sp.Expr, factors: list) -> tuple[sp.Expr, list]:
    """Move each row-times-column pair (uᵀu, a 1 x 1 inner product) out of a product into the scalar coefficient,
    where equal inner products cancel: v uᵀu uᵀ / (uᵀu)² = v uᵀ / uᵀu."""
    from symml.matrix_calculus.algebra import Scalar

    i = 0
    while i < len(factors) - 1 and len(factors) > 2:
        if factors[i].shape[0] == 1 and factors[i + 1].shape[1] == 1:
            coefficient *= Scalar(MatMul(factors[i], factors[i + 1]))
            factors = factors[:i] + factors[i + 2:]
        else:
            i += 1
    return coefficient, factors


def _no_stationary_point(condition: sp.Eq, reason: str) -> UnboundedError:
    """The error for a stationarity condition with no solution (the gradient never vanishes): no interior optimum."""
    return UnboundedError(f"the stationarity condition {condition.lhs} = {condition.rhs} has no solution: {reason}; "
                          "the gradient never vanishes, so there is no optimum in the interior (as for a Gaussian's "
                          "precision or covariance from a single observation)")


def _outer_product(matrix: MatrixExpr) -> tuple | None:
    """(a, b) when ``matrix`` is a bᵀ for column vectors a, b of more than one entry (rank one), else None."""
    coefficient, factors = _split(matrix)
    if len(factors) != 2 or factors[0].shape[1] != 1 or factors[0].shape[0] == 1:
        return None
    a, b_transposed = factors
    return a, b_transposed.T


def solve_linear_matrix_equation(expression: MatrixExpr, unknown: sp.MatrixSymbol) -> MatrixEquationSolution:
    """Solve ``expression = 0`` for the matrix or vector ``unknown``, at matrix level (any symbolic shape).

    Args:
        expression: a matrix expression of the shape of ``unknown`` (typically a gradient).
        unknown: the MatrixSymbol to solve for (a symmetric one, ``symml.matrix(..., symmetric=True)``, is its own
            transpose).

    Returns:
        the steps, and the solution or, when none of the rules applies, ``None`` with the reason.

    >>> import sympy as sp
    >>> n, d = sp.symbols("n d", integer=True, positive=True)
    >>> X, w, y = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("w", d, 1), sp.MatrixSymbol("y", n, 1)
    >>> solve_linear_matrix_equation(2*X.T*(X*w - y), w).solution
    (X.T*X)**(-1)*X.T*y
    """
    if tuple(unknown.shape) == (1, 1):
        return _solve_scalar(expression, unknown)
    solver = _Solver(expression, unknown)
    solver.record("Stationarity condition", "the gradient vanishes at a minimum of a differentiable loss")
    transposed = _transposed_throughout(expression, unknown)
    if transposed is not None:
        steps, solver = solver.steps, _Solver(transposed, unknown)
        solver.steps = steps
        solver.record("Transpose both sides", f"${latex(unknown)}$ appears only transposed (∇ log det gives "
                      f"${latex(Inverse(unknown.T))}$), and an equation holds exactly when its transpose does")
    solver.isolate()
    return solver.collect()


def _transposed_throughout(expression: MatrixExpr, unknown: sp.MatrixSymbol) -> MatrixExpr | None:
    """The transpose of ``expression`` when the square ``unknown`` appears in it only transposed (and is not its
    own transpose); None otherwise."""
    if unknown.shape[0] != unknown.shape[1] or unknown.T == unknown or not expression.has(unknown.T):
        return None
    placeholder = sp.MatrixSymbol(f"_{unknown.name}_T", *unknown.shape)
    if expression.xreplace({unknown.T: placeholder}).has(unknown):
        return None
    return expression.T.doit()



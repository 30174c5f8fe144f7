"""The expectation operator E[g(X)], the core every probability derivation is built on.

:func:`expect` takes a :class:`~symml.probability.law.Law` and a function g of its variable and returns an
:class:`Expectation`: the value and the steps that produced it. The routes, in order:

1. **Linearity.** g is expanded into terms c_k(θ) h_k(x); E[g] = Σ c_k E[h_k]. Constants come out.
2. **A density's normaliser.** Write f(x | θ) = C(θ) K(x | θ). If h(x) K(x | θ) = R(θ, θ') K(x | θ') for
   parameters θ' of the same family (found by solving d/dx log(h K(θ) / K(θ')) = 0 for θ'), then, because the
   density integrates (sums) to one for every θ,

   .. math:: E[h(X)] = C(θ) R(θ, θ') / C(θ')

   (x^k under a Gamma, e^{tx} under a Normal or an Exponential: the moment generating function with no
   integral at all). The new parameters must lie in the parameter space; the condition is stated.
3. **Integration or summation** over the support under a time budget (``INTEGRATE_SECONDS``); an |a x + b|
   is resolved by splitting the integral at its kink. A convergence condition SymPy attaches is stated.
4. **Numeric fallback.** When SymPy finds no closed form, or runs out of budget, the term stays an
   unevaluated ``Integral``/``Sum``; the derivation says so, and ``numpy()`` evaluates it by quadrature
   (``scipy.integrate.quad``) or by summing terms (:mod:`symml.probability.numeric`).

>>> import sympy as sp, sympy.stats as st
>>> from symml.probability.law import as_law
>>> a, b = sp.symbols("a b", positive=True)
>>> e = expect(as_law(st.Gamma("X", a, b)), sp.Symbol("x", real=True)**2)
>>> e.value
a*b**2*(a + 1)
>>> [step.title for step in e.steps]
["Recognise a density's normaliser"]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from symml.budget import INTEGRATE_SECONDS, SIMPLIFY_SECONDS, SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError
from symml.mle.likelihood import expand_log_density
from symml.probability.law import Law, as_law, in_terms_of
from symml.probability.problem import ProbabilityProblem
from symml.render.printer import latex

__all__ = ["Expect", "Expectation", "expect", "is_closed", "simplified", "tidied", "defining_integral", "derive_expectation"]


class Expect(sp.Function):
    """E[g]: an unevaluated expectation, for display in steps (``\\mathbb{E}\\left[g\\right]``)."""

    nargs = 1

    def _symml_latex(self, printer: Any) -> str:
        return f"\\mathbb{{E}}\\left[{printer._print(self.args[0])}\\right]"

    def _latex(self, printer: Any) -> str:
        return self._symml_latex(printer)

    def _sympystr(self, printer: Any) -> str:
        return f"E[{printer._print(self.args[0])}]"

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        inner = printer._print(self.args[0])
        return prettyForm(*prettyForm(*inner.parens("[", "]")).left("E"))


@dataclass(frozen=True)
class Expectation:
    """E[g(X)] and how it was found.

    Attributes:
        argument: g, in the law's variable.
        value: the expectation; a term without a closed form is an unevaluated ``Integral`` or ``Sum``.
        steps: the steps shown (linearity, the normaliser, the integral), in order.
        remarks: conditions of validity and numeric fallbacks, one sentence each.
    """

    argument: sp.Expr
    value: sp.Expr
    steps: tuple[Step, ...]
    remarks: tuple[str, ...] = ()

    @property
    def closed(self) -> bool:
        """Whether the value is a closed form (no integral or sum left to evaluate numerically)."""
        return is_closed(self.value)


def is_closed(value: sp.Expr) -> bool:
    """Whether ``value`` holds no unevaluated Integral or Sum, nor a Meijer G or hypergeometric function (what
    SymPy returns for an integral it cannot write in elementary terms: no closed form a person would use, and
    NumPy cannot evaluate it)."""
    return not value.has(sp.Integral, sp.Sum, sp.meijerg, sp.hyper)


def simplified(value: sp.Expr, seconds: float = SIMPLIFY_SECONDS) -> sp.Expr:
    """``simplify`` under a budget; past it, the value as it is (still correct, only longer)."""
    if not is_closed(value):
        return value
    try:
        return within(seconds, "simplify of an expectation", sp.simplify, value)
    except BudgetExceededError:
        return value


def tidied(value: sp.Expr) -> sp.Expr:
    """A sum of terms, like terms collected: expanded, or simplified when that is shorter (never log(a**b))."""
    expanded = sp.expand(value)
    if not is_closed(value):
        return expanded
    candidate = simplified(value)
    log_of_power = any(not power.exp.is_Number for f in candidate.atoms(sp.log) for power in f.args[0].atoms(sp.Pow))
    return candidate if not log_of_power and sp.count_ops(candidate) < sp.count_ops(expanded) else expanded


def _linear_terms(g: sp.Expr, x: sp.Symbol) -> dict[sp.Expr, sp.Expr]:
    """g = Σ c_k h_k(x) with the c_k free of x: {h_k: c_k}; h = 1 collects the constant."""
    terms: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(expand_log_density(g) if g.has(sp.log) else sp.expand(g)):
        coefficient, h = term.as_independent(x, as_Add=False)
        terms[h] = terms.get(h, sp.S.Zero) + coefficient
    return {h: c for h, c in terms.items() if c != 0}


def expect(law: Law, g: sp.Expr, seconds: float = INTEGRATE_SECONDS, use_mgf: bool = True) -> Expectation:
    """E[g(X)] under ``law`` by linearity, a density's normaliser, integration or summation (see the module).

    Args:
        law: the law of X.
        g: a SymPy expression in ``law.variable``.
        seconds: the budget of each integral or sum.
        use_mgf: whether powers x^k may be found by differentiating the moment generating function (off when
            moments are derived directly, to compare the two routes).
    """
    x = law.variable
    terms = _linear_terms(sp.sympify(g), x)
    steps: list[Step] = []
    remarks: list[str] = []
    if len(terms) > 1 or any(c != 1 for h, c in terms.items() if h != 1):
        pieces = sp.Add(*(c * (Expect(h) if h != 1 else 1) for h, c in terms.items()))
        steps.append(Step("Linearity of expectation", sp.Eq(Expect(g), pieces, evaluate=False),
                          "constants come out of the expectation, which is additive"))
    value = sp.S.Zero
    for h, c in terms.items():
        if h == 1:
            value += c
            continue
        moment, shown, said = _expect_term(law, h, seconds, use_mgf)
        steps.extend(shown)
        remarks.extend(said)
        value += c * moment
    if len(terms) > 1:
        value = tidied(value)
        steps.append(Step("Collect the terms", sp.Eq(Expect(g), value, evaluate=False)))
    return Expectation(sp.sympify(g), value, tuple(steps), tuple(dict.fromkeys(remarks)))


def _expect_term(law: Law, h: sp.Expr, seconds: float, use_mgf: bool) -> tuple[sp.Expr, list[Step], list[str]]:
    """E[h(X)] of one term, by the first route that gives a closed form (a sum over given points is exact)."""
    if law.points is not None:
        return _by_integral(law, h, seconds)
    for route in (_by_normaliser, _by_score, _by_mgf) if use_mgf else (_by_normaliser, _by_score):
        try:
            found = route(law, h)
        except BudgetExceededError:
            found = None
        if found is not None:
            return found
    return _by_integral(law, h, seconds)


def _factored(law: Law) -> tuple[sp.Expr, sp.Expr, list[sp.Symbol]]:
    """f = C(θ) K(x | θ): the normaliser C, the kernel K, and the parameters that may move (those in K that the
    support does not depend on: the kernel must integrate over the same set)."""
    normaliser, kernel = law.density.as_independent(law.variable, as_Mul=True)
    lower, upper = law.limits
    movable = [p for p in law.parameters if kernel.has(p) and not (lower.has(p) or upper.has(p))]
    return normaliser, kernel, movable


def _by_basis(expr: sp.Expr, x: sp.Symbol) -> dict[sp.Expr, sp.Expr]:
    """expr = Σ a_j φ_j(x): {φ_j: a_j}, with φ = 1 for the x-free part."""
    parts: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(expr)):
        coefficient, basis = term.as_independent(x, as_Add=False)
        parts[basis] = parts.get(basis, sp.S.Zero) + coefficient
    return parts


# --- route 2: a density's normaliser ------------------------------------------------------------------------
def _by_normaliser(law: Law, h: sp.Expr) -> tuple[sp.Expr, list[Step], list[str]] | None:
    x = law.variable
    normaliser, kernel, movable = _factored(law)
    lower, upper = law.limits
    if not movable:
        return None
    shifted = {p: sp.Dummy(f"{p.name}'") for p in movable}
    signed = law.signed()
    log_kernel = expand_log_density(sp.log(kernel).subs(x, signed))
    log_ratio = expand_log_density(sp.log(h).subs(x, signed)) + log_kernel - log_kernel.xreplace(shifted)
    equations = _by_basis(sp.diff(log_ratio, signed), signed)
    unknowns = list(shifted.values())
    if not all(e.has(*unknowns) for e in equations.values() if e != 0):
        return None
    solutions = within(SOLVE_SECONDS, "solve for the shifted parameters", sp.solve,
                       [e for e in equations.values() if e != 0], unknowns, dict=True)
    solution = _admissible(solutions, shifted)
    if solution is None:
        return None
    new = {p: solution[d] for p, d in shifted.items()}
    ratio = within(SIMPLIFY_SECONDS, "the kernel ratio", lambda: sp.simplify(
        sp.exp(sp.expand(log_ratio.xreplace(solution)))))
    if ratio.has(signed):
        return None
    value = simplified(normaliser * ratio / normaliser.xreplace(new))
    integral = _integral_or_sum(law, h * law.density)
    moved = (sp.Sum if law.discrete else sp.Integral)(kernel.xreplace(new), (x, lower, upper))
    step = Step("Recognise a density's normaliser",
                (sp.Eq(Expect(h), integral, evaluate=False),
                 sp.Eq(integral, normaliser * ratio * moved, evaluate=False),
                 sp.Eq(Expect(h), value, evaluate=False)),
                "the kernel of the density with " + ", ".join(f"${latex(p)} \\to {latex(v)}$" for p, v in new.items())
                + " sums to one over its normaliser")
    conditions = [sp.Gt(v, 0) for p, v in new.items() if p.is_positive and v.is_positive is not True]
    remarks = [f"Valid where ${latex(sp.And(*conditions))}$ (the shifted parameters must be admissible)."] \
        if conditions else []
    return value, [step], remarks


def _admissible(solutions: list[dict], shifted: dict[sp.Symbol, sp.Dummy]) -> dict | None:
    """The one solution whose shifted parameters can have the signs of the originals (sigma' = sigma, not -sigma)."""
    fitting = [solution for solution in solutions if set(solution) == set(shifted.values()) and not any(
        p.is_positive and solution[d].is_positive is False for p, d in shifted.items())]
    if len(fitting) > 1:
        fitting = [solution for solution in fitting if not any(
            p.is_positive and solution[d].could_extract_minus_sign() for p, d in shifted.items())]
    return fitting[0] if len(fitting) == 1 else None


# --- route: differentiate the normaliser (the score has mean zero) -------------------------------------------
def _by_score(law: Law, h: sp.Expr) -> tuple[sp.Expr, list[Step], list[str]] | None:
    """h = Σ_θ α_θ ∂log K/∂θ + β gives E[h] = Σ_θ α_θ (−∂log C/∂θ) + β, since ∫ K(x | θ) dx = 1/C(θ) for all θ."""
    x = law.variable
    normaliser, kernel, movable = _factored(law)
    if not movable:
        return None
    signed = law.signed()
    log_kernel = expand_log_density(sp.log(kernel).subs(x, signed))
    scores = {p: sp.expand(sp.diff(log_kernel, p)) for p in movable}
    weights = {p: sp.Dummy(f"alpha_{p.name}") for p in movable}
    offset = sp.Dummy("beta")
    residual = expand_log_density(h.subs(x, signed)) - sp.Add(*(weights[p] * scores[p] for p in movable)) - offset
    equations = [e for e in _by_basis(residual, signed).values() if e != 0]
    unknowns = [*weights.values(), offset]
    solution = within(SOLVE_SECONDS, "solve for the score weights", sp.solve, equations, unknowns, dict=True)
    if len(solution) != 1 or any(s.has(signed) for s in solution[0].values()) or offset not in solution[0]:
        return None
    solved = {u: solution[0].get(u, sp.S.Zero) for u in unknowns}  # a weight left free can be taken as zero
    solved = {u: v.xreplace({w: 0 for w in unknowns}) for u, v in solved.items()}
    log_normaliser = expand_log_density(sp.log(normaliser))
    means = {p: -sp.diff(log_normaliser, p) for p in movable}
    value = simplified(sp.Add(*(solved[weights[p]] * means[p] for p in movable)) + solved[offset])
    used = [p for p in movable if solved[weights[p]] != 0]
    if not used:
        return None
    combination = sp.Add(*(solved[weights[p]] * Expect(sp.Derivative(sp.log(kernel), p)) for p in used)) + solved[offset]
    step = Step("Differentiate the normaliser",
                (sp.Eq(Expect(h), combination, evaluate=False),
                 *(sp.Eq(Expect(sp.Derivative(sp.log(kernel), p)), means[p], evaluate=False) for p in used),
                 sp.Eq(Expect(h), value, evaluate=False)),
                "the kernel integrates to $1/C(\\theta)$ for every parameter value; differentiating that identity "
                "under the integral, the kernel's score has mean $-\\partial \\log C / \\partial \\theta$")
    return value, [step], []


# --- route: differentiate the moment generating function ------------------------------------------------------
def _by_mgf(law: Law, h: sp.Expr) -> tuple[sp.Expr, list[Step], list[str]] | None:
    """E[X^k] = M^(k)(0), with M(t) = E[e^{tX}] found by the normaliser route (no integral)."""
    x = law.variable
    k = h.exp if isinstance(h, sp.Pow) and h.base == x else (1 if h == x else None)
    if not (isinstance(k, (int, sp.Integer)) and 1 <= int(k) <= 8):
        return None
    t = sp.Dummy("t", real=True)
    found = _by_normaliser(law, sp.exp(t * x))
    if found is None:
        return None
    generating, _, _ = found
    derivative = sp.diff(generating, t, int(k))
    value = derivative.subs(t, 0)
    if value.has(sp.nan, sp.zoo) or not value.is_finite and value.is_finite is not None:
        value = within(SIMPLIFY_SECONDS, "the limit t -> 0", sp.limit, derivative, t, 0)
    value = simplified(value)
    shown_t = sp.Symbol("t", real=True)
    step = Step("Differentiate the moment generating function",
                (sp.Eq(sp.Function("M")(shown_t), generating.subs(t, shown_t), evaluate=False),
                 sp.Eq(Expect(h), value, evaluate=False)),
                f"$\\mathbb{{E}}[X^{{{k}}}] = M^{{({k})}}(0)$ with $M(t) = \\mathbb{{E}}[e^{{tX}}]$, found by its normaliser")
    return value, [step], []


# --- route 3: integration or summation, and the numeric fallback ----------------------------------------------
def defining_integral(law: Law, g: sp.Expr) -> sp.Expr:
    """E[g(X)] as its defining integral or sum over the support, unevaluated (the reference verify() computes)."""
    if law.points is not None:
        return sp.Add(*(sp.Mul(g, law.density).subs(law.variable, point) for point in law.points))
    return _integral_or_sum(law, g * law.density)


def derive_expectation(source: Any, g: Any, seconds: float = INTEGRATE_SECONDS) -> Derivation:
    """E[g(X)] for a sympy.stats random variable or a :class:`symml.Model`, with its steps.

    Args:
        source: the random variable X, a Model (its ``support`` an Interval, Range or FiniteSet) or a family name.
        g: a SymPy expression in X (or in the model's data symbol).
        seconds: the budget of each integral or sum; past it the term is evaluated numerically, said so.

    Returns:
        A Derivation whose ``result`` is E[g(X)]; ``numpy()`` is a function of the parameters by name.

    >>> import sympy as sp, sympy.stats as st
    >>> r = sp.Symbol("r", positive=True); X = st.Exponential("X", r)
    >>> derive_expectation(X, X**3).result
    6/r**3
    """
    law = as_law(source)
    g = in_terms_of(law, g)
    found = expect(law, g, seconds)
    problem = ProbabilityProblem(
        title=f"Expectation of ${latex(g)}$ for {law.name}", results={"value": found.value},
        reference={"value": defining_integral(law, g)}, parameters=law.parameters,
        support_bounds=support_bounds(law))
    return Derivation(problem, found.steps, found.value, summary=(sp.Eq(Expect(g), found.value, evaluate=False),),
                      remarks=found.remarks)


def support_bounds(law: Law) -> tuple[tuple[sp.Expr, sp.Expr], ...]:
    """The support's bounds when they depend on parameters (they must stay ordered at test values)."""
    lower, upper = law.limits
    return ((lower, upper),) if (lower.free_symbols or upper.free_symbols) and lower.is_finite and upper.is_finite \
        else ()


def _integral_or_sum(law: Law, integrand: sp.Expr) -> sp.Expr:
    x = law.variable
    if law.points is not None:
        return sp.Add(*(sp.Mul(integrand.subs(x, point), evaluate=False) for point in law.points), evaluate=False)
    lower, upper = law.limits
    return sp.Sum(integrand, (x, lower, upper)) if law.discrete else sp.Integral(integrand, (x, lower, upper))


def _by_integral(law: Law, h: sp.Expr, seconds: float) -> tuple[sp.Expr, list[Step], list[str]]:
    posed = _integral_or_sum(law, h * law.density)
    how = "sum" if law.discrete else "integral"
    if law.points is not None:
        value = simplified(sp.expand(posed.doit()))
        return value, [Step("Sum over the support", (sp.Eq(Expect(h), posed, evaluate=False),
                                                    sp.Eq(Expect(h), value, evaluate=False)))], []
    remarks: list[str] = []
    try:
        value, condition = within(seconds, f"the {how} of E[{h}]", _evaluate, law, h)
    except BudgetExceededError:
        value, condition = None, None
        remarks.append(f"The {how} of $\\mathbb{{E}}\\left[{latex(h)}\\right]$ did not finish within its budget of "
                       f"{seconds:g} s: it is evaluated numerically.")
    if value is None or not is_closed(value):
        if not remarks:
            remarks.append(f"No closed form: SymPy cannot evaluate the {how} of "
                           f"$\\mathbb{{E}}\\left[{latex(h)}\\right]$; it is evaluated numerically.")
        value = posed
    else:
        value = simplified(value)
        if condition is not None and condition != sp.true:
            remarks.append(f"The {how} converges where ${latex(condition)}$.")
    step = Step(f"Evaluate the {how} over the support", (sp.Eq(Expect(h), posed, evaluate=False),
                                                          sp.Eq(Expect(h), value, evaluate=False)),
                "numerically (no closed form)" if value is posed else "")
    return value, [step], remarks


def _evaluate(law: Law, h: sp.Expr) -> tuple[sp.Expr | None, sp.Basic | None]:
    """The integral or sum of h f over the support, and the convergence condition SymPy attached, if any."""
    x = law.variable
    signed = law.signed()
    integrand = (h * law.density).subs(x, signed)
    lower, upper = law.limits
    if law.discrete:
        return _first_branch(sp.Sum(integrand, (signed, lower, upper)).doit())
    pieces = _split_at_kinks(integrand, signed, lower, upper)
    total, conditions = sp.S.Zero, []
    for piece, a, b in pieces:
        value, condition = _first_branch(sp.integrate(piece, (signed, a, b)))
        if value is None:
            return None, None
        total += value
        if condition is not None:
            conditions.append(condition)
    return total, sp.And(*conditions) if conditions else None


def _first_branch(value: sp.Expr) -> tuple[sp.Expr | None, sp.Basic | None]:
    """A Piecewise's first branch and its condition (SymPy's convergence condition); None if unevaluated."""
    if isinstance(value, sp.Piecewise):
        branch, condition = value.args[0]
        return (branch, condition) if is_closed(branch) else (None, None)
    return (value, None) if is_closed(value) and not value.has(sp.nan) else (None, None)


def _split_at_kinks(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> list[tuple]:
    """[(integrand, a, b)]: an |u(x)| with u = s x + c (s of known sign) is resolved on each side of its root."""
    kinks = [a for a in integrand.atoms(sp.Abs) if a.has(x) and sp.degree(a.args[0], x) == 1]
    if len(kinks) != 1:
        return [(integrand, lower, upper)]
    absolute = kinks[0]
    slope = sp.diff(absolute.args[0], x)
    root = sp.solve(absolute.args[0], x)[0]
    if slope.is_positive is None and slope.is_negative is None:
        return [(integrand, lower, upper)]
    inside = (lower == -sp.oo or (root - lower).is_nonnegative) and (upper == sp.oo or (upper - root).is_nonnegative)
    if not inside:
        return [(integrand, lower, upper)]
    sign = 1 if slope.is_positive else -1
    below = integrand.xreplace({absolute: -sign * absolute.args[0]})
    above = integrand.xreplace({absolute: sign * absolute.args[0]})
    return [(below, lower, root), (above, root, upper)]

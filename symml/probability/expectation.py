"""The expectation operator E[g(X)], the core every probability derivation is built on.

:func:`expect` takes a :class:`~symml.probability.law.Law` and a function g of its variable and returns an
:class:`Expectation`: the value and the steps that produced it. The routes, in order:

1. **Linearity.** g is expanded into terms c_k(θ) h_k(x); E[g] = Σ c_k E[h_k]. Constants come out. Under a Cauchy
   law, a term that is the real part of a function H analytic on the closed upper half-plane (the log of a polynomial
   without real roots, a bounded rational function) is Re H(x₀ + iγ), the Poisson integral
   (:mod:`symml.probability.poisson_kernel`), before any other route.
2. **A density's normaliser.** Write f(x | θ) = C(θ) K(x | θ). If h(x) K(x | θ) = R(θ, θ') K(x | θ') for
   parameters θ' of the same family (found by solving d/dx log(h K(θ) / K(θ')) = 0 for θ'), then, because the
   density integrates (sums) to one for every θ,

   .. math:: E[h(X)] = C(θ) R(θ, θ') / C(θ')

   (x^k under a Gamma, e^{tx} under a Normal or an Exponential: the moment generating function with no
   integral at all). The new parameters must lie in the parameter space; the condition is stated.
3. **The score has mean zero.** h = Σ α_θ ∂log K/∂θ + β gives E[h] = −Σ α_θ ∂log C/∂θ + β.
   **The probability integral transform** (:mod:`symml.probability.integral_transform`): under a law whose density
   holds an exponential of x inside a sum (a logistic), E[h] = ∫₀¹ h(F⁻¹(u)) du with the derived quantile function;
   a term that becomes a sum of c u^a (1 − u)^b log(u)^j log(1 − u)^k is closed by derivatives of the Beta function.
4. **A generating function.** h = x^k e^{ax} Π log(w_j)^{k_j} F(x) is a derivative of
   G(t, s) = E[e^{tX} Π w_j^{s_j} F(X)] at t = a, s = 0 (the moment generating function when F = 1; E[log X]
   under a Beta from E[X^s]); G comes from the normaliser or from one integral shared by all such terms.
5. **Integration or summation** over the support under a time budget (``INTEGRATE_SECONDS``), prepared by
   :mod:`symml.probability.integration` (split at the kink of an |a x + b|, change of variables u = e^{sx + c}
   for a nested exponential). A convergence condition SymPy attaches is stated.
   A term holding a log the density does not contain (:func:`foreign_log`: log(1 + e^{-x}) under a normal), or a sum
   of exponentials of x in a denominator under a Gaussian kernel (:func:`exponential_sum_under_a_gaussian`: a
   Gaussian mixture's score) skips the generating function and gets a short budget (``FOREIGN_SECONDS``): SymPy
   closes such a term at once or never.
6. **Numeric fallback.** When SymPy finds no closed form, or runs out of budget, the term stays an
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

from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import sympy as sp
from sympy.core.cache import cacheit

from symml.budget import DERIVATION_SECONDS, INTEGRATE_SECONDS, SIMPLIFY_SECONDS, SOLVE_SECONDS, SharedBudget, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, ParameterError, SharedBudgetSpentError
from symml.mle.likelihood import expand_log_density
from symml.probability.integration import divergent_value, evaluate, is_closed, linear_in as _linear, reflected, \
    simplified, stretched_exponential
from symml.probability.integral_transform import transformed_expectation
from symml.probability.gaussian_kl import is_multivariate_normal
from symml.probability.law import Law, apart_from, as_law, in_terms_of
from symml.probability.notation import Expect
from symml.probability.poisson_kernel import harmonic_expectation
from symml.probability.problem import ProbabilityProblem
from symml.render.printer import latex

__all__ = ["Expect", "Expectation", "expect", "is_closed", "simplified", "tidied", "defining_integral", "derive_expectation"]


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
        use_mgf: whether powers x^k (and logs) may be found by differentiating a generating function such as the
            moment generating function (off when moments are derived directly, to compare the two routes).
    """
    x = law.variable
    origin = _at_the_origin(law, sp.sympify(g))
    if origin is not None:
        at_origin, shifted, location = origin
        found = expect(at_origin, shifted, seconds, use_mgf)
        shift = Step("Shift to the location's origin", sp.Eq(Expect(g), Expect(shifted), evaluate=False),
                     f"$X - {latex(location)}$ has the law at ${latex(location)} = 0$, and $g$ is a function of "
                     f"$x - {latex(location)}$")
        return Expectation(sp.sympify(g), found.value, (shift, *found.steps), found.remarks)
    terms = _linear_terms(sp.sympify(g), x)
    steps: list[Step] = []
    remarks: list[str] = []
    if len(terms) > 1 or any(c != 1 for h, c in terms.items() if h != 1):
        pieces = sp.Add(*(c * (Expect(h) if h != 1 else 1) for h, c in terms.items()))
        steps.append(Step("Linearity of expectation", sp.Eq(Expect(g), pieces, evaluate=False),
                          "constants come out of the expectation, which is additive"))
    # the algebraic routes of every term first (a solve each): a term integrated first may spend the budget its
    # derivation shares, which left the Wald entropy's E[x] and E[1/x] to quadrature after E[log x] had spent it
    for h in terms:
        if h != 1 and law.points is None:
            try:
                _by_algebra(law, h)
            except (BudgetExceededError, _Uncached):
                pass  # tried again, and said, in its turn
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


def _at_the_origin(law: Law, g: sp.Expr) -> tuple[Law, sp.Expr, sp.Symbol] | None:
    """(the law at θ = 0, g(x + θ), θ) for a location θ of a law on the whole line when f(x + θ; θ) and g(x + θ) are
    both free of θ: then E_θ[g(X)] = E_0[g(X + θ)]. A location family's score is such a g, and split into powers of
    x first, a Cauchy's Fisher information was three integrals SymPy gave up on after the whole 8 s budget."""
    if law.discrete or law.support != sp.S.Reals:
        return None
    x = law.variable
    for location in law.parameters:
        if not g.has(location):
            continue
        density, shifted = _free_after_shift(law.density, x, location), _free_after_shift(g, x, location)
        if density is None or shifted is None:
            continue
        log_density = _free_after_shift(law.log_density, x, location)
        at_origin = replace(law, density=sp.factor_terms(density), log_density=expand_log_density(sp.log(density))
                            if log_density is None else log_density,
                            parameters=tuple(p for p in law.parameters if p != location),
                            name=f"{law.name} at {location} = 0", random_variable=None)
        return at_origin, shifted, location
    return None


def _free_after_shift(e: sp.Expr, x: sp.Symbol, location: sp.Symbol) -> sp.Expr | None:
    moved = e.xreplace({x: x + location})
    shifted = sp.expand(moved, power_exp=True)
    if shifted.has(location) and not moved.has(sp.Abs, sp.sign, sp.re, sp.im, sp.Derivative, sp.Piecewise):
        # an expanded (x − θ)⁴, or e^{θ/s} over e^{θ/s} + e^{x/s}: cancelled as a fraction
        try:
            shifted = within(min(SIMPLIFY_SECONDS, 1.0), "the shift to the location's origin", sp.cancel, shifted)
        except BudgetExceededError:
            return None
    return None if shifted.has(location) else shifted


class _Uncached(Exception):
    """An answer found after some route ran out of its budget: returned, but not cached (a retry may close it)."""

    def __init__(self, found: Any) -> None:
        super().__init__("a route ran out of its budget")
        self.found = found


def _expect_term(law: Law, h: sp.Expr, seconds: float, use_mgf: bool) -> tuple[sp.Expr, tuple[Step, ...], tuple[str, ...]]:
    """E[h(X)] of one term, by the first route that gives a closed form (a sum over given points is exact)."""
    try:
        return _cached_term(law, h, seconds, use_mgf)
    except _Uncached as timed_out:
        return timed_out.found


@cacheit
def _cached_term(law: Law, h: sp.Expr, seconds: float, use_mgf: bool) -> tuple[sp.Expr, tuple[Step, ...], tuple[str, ...]]:
    """Cached (SymPy's cache, emptied by ``clear_cache``): the terms of one derivation recur across its expectations
    (the Gumbel's Fisher information asks for E[e^{-x/b}] six times and E[x e^{-x/b}] four times, over its score
    products and Hessian entries), and each route's solve and simplify cost a tenth of a second."""
    overruns: list[str] = []
    value, steps, remarks = _first_route(law, h, seconds, use_mgf, overruns)
    found = (value, tuple(steps), tuple(remarks))
    if overruns:
        raise _Uncached(found)
    return found


def _first_route(law: Law, h: sp.Expr, seconds: float, use_mgf: bool,
                 overruns: list[str]) -> tuple[sp.Expr, list[Step], list[str]]:
    if law.points is not None:
        return _by_integral(law, h, seconds, overruns)
    foreign = _without_a_rule(law, h)
    smooth = not jumps(h, law.variable)
    # a generating function E[w^s] of a foreign w is no easier than the term itself: that route is skipped
    routes = ((_by_algebra,) if smooth else ()) + (_by_transform,) + (
        (partial(_by_exponent, seconds=seconds),) if use_mgf and foreign is None and smooth else ())
    for route in routes:
        try:
            found = route(law, h)
        except (BudgetExceededError, _Uncached) as exceeded:
            overruns.append(str(exceeded))
            found = None
        if found is not None:
            return found
    if foreign is not None:
        return _by_integral(law, h, min(seconds, FOREIGN_SECONDS), overruns, foreign)
    return _by_integral(law, h, seconds, overruns)


def jumps(h: sp.Expr, x: sp.Symbol) -> bool:
    """Whether h jumps as x moves: a Piecewise with a condition on x, an indicator, a sign, a floor. The routes that
    solve for parameters and the generating function read h through its derivative in x, which vanishes on each
    piece of an indicator and misses its jump: E[1{X >= 1}] came out 1 under an exponential law, not e^{-lambda}.
    Such a term is integrated or summed instead."""
    if any(condition.has(x) for piecewise in h.atoms(sp.Piecewise) for _, condition in piecewise.args):
        return True
    return any(atom.has(x) for atom in h.atoms(sp.Heaviside, sp.sign, sp.floor, sp.ceiling, sp.KroneckerDelta))


@cacheit
def _by_algebra(law: Law, h: sp.Expr) -> tuple[sp.Expr, list[Step], list[str]] | None:
    """E[h] by the first of the routes that solve for parameters instead of integrating (the Poisson kernel, a
    density's normaliser, the score); raises the first budget overrun when none gives it (so that it is not
    cached: a retry with budget left may)."""
    overrun: Exception | None = None
    for route in (_by_poisson_kernel, _by_normaliser, _by_score):
        try:
            found = route(law, h)
        except (BudgetExceededError, _Uncached) as exceeded:
            overrun = overrun or exceeded
            continue
        if found is not None:
            return found
    if overrun is not None:
        raise overrun
    return None


#: The budget (seconds) of the integral of a term SymPy's integrator has no rule for (see :func:`_without_a_rule`):
#: it spends any budget given (15 s on E[log(1 + e^{-x})] under a normal, 4 s on each term of a Gaussian mixture
#: weight's Fisher information).
FOREIGN_SECONDS = 0.5


def _without_a_rule(law: Law, h: sp.Expr) -> str | None:
    """What in h leaves E[h] without a rule in SymPy's integrator, said in LaTeX (a foreign log, or a sum of
    exponentials of x in a denominator against a Gaussian kernel); None when there is nothing such."""
    foreign = foreign_log(law, h)
    if foreign is not None:
        return f"holds ${latex(foreign)}$, the log of a function of $x$ that the density does not contain"
    if exponential_sum_under_a_gaussian(law, h) is not None:
        return ("has a sum of exponentials of $x$ in a denominator, against the density's Gaussian kernel (as the "
                "logistic-normal integral, which has no closed form)")
    return None


def exponential_sum_under_a_gaussian(law: Law, h: sp.Expr) -> sp.Expr | None:
    """A sum holding an exponential of x in a denominator of h, under a law whose density holds e^{q(x)} with q a
    polynomial of degree 2 or more; None when there is none. Against a Gaussian kernel, 1/(1 + e^x) is the
    logistic-normal integral, and a Gaussian mixture's score has the mixture, a sum of Gaussian kernels, in its
    denominator: SymPy's Risch and heuristic integrators spend any budget on such a term (or raise
    PolynomialError) and close none."""
    x = law.variable

    def gaussian(e: sp.Expr) -> bool:
        exponent = e.args[0]
        return exponent.has(x) and exponent.is_polynomial(x) and sp.degree(exponent, x) >= 2

    if not any(gaussian(e) for e in law.density.atoms(sp.exp)):
        return None
    for power in sorted(h.atoms(sp.Pow), key=sp.default_sort_key):
        base, exponent = power.as_base_exp()
        if exponent.is_negative and isinstance(base, sp.Add) and any(e.has(x) for e in base.atoms(sp.exp)):
            return base
    return None


def foreign_log(law: Law, h: sp.Expr) -> sp.Expr | None:
    """A log in h of a function of x that is neither c x^k nor a log the law's own log-density holds: log(1 + e^{-x})
    or log(γ² + (x − m)²) under a normal, log(1 + e^{-x/s₂}) under a logistic of another scale. None when there is
    none. Such a term gets a short budget: it closes at once (a Cauchy law's Poisson kernel, before any integral) or
    not at all."""
    x = law.variable
    own = law.log_density.atoms(sp.log)
    for candidate in sorted(h.atoms(sp.log), key=sp.default_sort_key):
        if candidate.has(x) and candidate not in own:
            dependent = sp.Mul(*(f for f in sp.Mul.make_args(candidate.args[0]) if f.has(x)))
            if dependent.as_base_exp()[0] != x:
                return candidate
    return None


def _by_poisson_kernel(law: Law, h: sp.Expr) -> tuple[sp.Expr, list[Step], list[str]] | None:
    found = harmonic_expectation(law, h)
    return None if found is None else (found[0], [found[1]], [])


def _by_transform(law: Law, h: sp.Expr) -> tuple[sp.Expr, list[Step], list[str]] | None:
    found = transformed_expectation(law, h)
    return None if found is None else (found[0], [found[1]], [])


def _factored(law: Law) -> tuple[sp.Expr, sp.Expr, list[sp.Symbol]]:
    """f = C(θ) K(x | θ): the normaliser C, the kernel K, and the parameters that may move (those in K that the
    support does not depend on: the kernel must integrate over the same set)."""
    normaliser, kernel = law.density.as_independent(law.variable, as_Mul=True)
    lower, upper = law.limits
    movable = [p for p in law.parameters if kernel.has(p) and not (lower.has(p) or upper.has(p))]
    return normaliser, kernel, movable


@cacheit
def _kernel_parts(law: Law) -> tuple | None:
    """What the normaliser and score routes need of the law alone, found once per law (a derivation asks for
    dozens of terms): (C, K, the movable parameters θ, the signed x, {θ: θ'}, the basis expansion of
    d/dx [log K(x | θ) − log K(x | θ')], (the score weights α_θ, the offset β, the basis expansion of
    −Σ α_θ ∂log K/∂θ − β)); None when no parameter may move."""
    normaliser, kernel, movable = _factored(law)
    if not movable or not _sums_to_one(law):
        return None
    signed = law.signed()
    log_kernel = expand_log_density(sp.log(kernel).subs(law.variable, signed))
    shifted = {p: sp.Dummy(f"{p.name}'") for p in movable}
    moved_slope = _by_basis(sp.diff(log_kernel - log_kernel.xreplace(shifted), signed), signed)
    scores = {p: sp.expand(sp.diff(log_kernel, p)) for p in movable}
    weights = {p: sp.Dummy(f"alpha_{p.name}") for p in movable}
    offset = sp.Dummy("beta")
    score_basis = _by_basis(-sp.Add(*(weights[p] * scores[p] for p in movable)) - offset, signed)
    return normaliser, kernel, movable, signed, shifted, moved_slope, (weights, offset, score_basis)


def _sums_to_one(law: Law) -> bool:
    """Whether a user's pmf on a finite support sums to one at probe values of its parameters, as the normaliser and
    score routes assume it does at every value (infinite supports are checked when the law is made). A finite Zipf
    pmf typed with H(12, a) over 1..10 had the routes sum over 1..12; a pmf normalised only by a constraint among
    its parameters (p₁ + p₂ + p₃ = 1) fails here too, and is summed term by term instead."""
    from symml.mle.normalisation import finite_total, probe_values

    if law.random_variable is not None or not law.discrete:
        return True
    total = finite_total(law.density, law.variable, law.support, probe_values(law.parameters))
    if total is None:
        return True  # an infinite support (checked by as_law), or one too long to add up here
    try:
        return abs(complex(sp.N(total, 20)) - 1) < 1e-12
    except TypeError:  # a point or a value not a number
        return True


def _merged(first: dict[sp.Expr, sp.Expr], second: dict[sp.Expr, sp.Expr]) -> dict[sp.Expr, sp.Expr]:
    """The basis expansion of a sum from those of its two parts."""
    merged = dict(first)
    for basis, coefficient in second.items():
        merged[basis] = merged.get(basis, sp.S.Zero) + coefficient
    return merged


def _by_basis(expr: sp.Expr, x: sp.Symbol) -> dict[sp.Expr, sp.Expr]:
    """expr = Σ a_j φ_j(x): {φ_j: a_j}, with φ = 1 for the x-free part."""
    parts: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(expr)):
        coefficient, basis = term.as_independent(x, as_Add=False)
        parts[basis] = parts.get(basis, sp.S.Zero) + coefficient
    return parts


# --- route 2: a density's normaliser ------------------------------------------------------------------------
def _by_normaliser(law: Law, h: sp.Expr) -> tuple[sp.Expr, list[Step], list[str]] | None:
    found = _normaliser(law, h)
    if found is None:
        return None
    value, step, condition = found
    remarks = [f"Valid where ${latex(condition)}$ (the shifted parameters must be admissible)."] \
        if condition != sp.true else []
    return value, [step], remarks


def _normaliser(law: Law, h: sp.Expr) -> tuple[sp.Expr, Step, sp.Basic] | None:
    """E[h] by a density's normaliser: the value, its step, and where the shifted parameters are admissible."""
    x = law.variable
    kernel_parts = _kernel_parts(law)
    if kernel_parts is None:
        return None
    normaliser, kernel, movable, signed, shifted, moved_slope, _ = kernel_parts
    lower, upper = law.limits
    log_h = expand_log_density(sp.log(h).subs(x, signed))
    equations = _merged(_by_basis(sp.diff(log_h, signed), signed), moved_slope)
    unknowns = list(shifted.values())
    if not all(e.has(*unknowns) for e in equations.values() if e != 0):
        return None
    solutions = within(SOLVE_SECONDS, "solve for the shifted parameters", sp.solve,
                       [e for e in equations.values() if e != 0], unknowns, dict=True)
    solution = _admissible(solutions, shifted)
    if solution is None:
        return None
    new = {p: solution[d] for p, d in shifted.items()}
    log_kernel = expand_log_density(sp.log(kernel).subs(x, signed))
    log_ratio = log_h + log_kernel - log_kernel.xreplace(shifted)
    ratio = within(SIMPLIFY_SECONDS, "the kernel ratio", lambda: sp.simplify(
        sp.exp(sp.expand(log_ratio.xreplace(solution)))))
    if ratio.has(signed):
        # every x-coefficient of d/dx log(h K(θ)/K(θ')) vanishes at the solution, so the log ratio is constant in x
        # even where SymPy cannot cancel the logs: evaluate it at one point of the support
        point = lower + 1 if lower.is_finite else upper - 1 if upper.is_finite else sp.S.Zero
        ratio = within(SIMPLIFY_SECONDS, "the kernel ratio", lambda: sp.simplify(
            sp.exp(sp.expand(log_ratio.xreplace(solution).subs(signed, point)))))
        if ratio.has(signed, sp.nan, sp.zoo):
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
    return value, step, sp.And(*(sp.Gt(v, 0) for p, v in new.items() if p.is_positive and v.is_positive is not True))


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
    kernel_parts = _kernel_parts(law)
    if kernel_parts is None:
        return None
    normaliser, kernel, movable, signed, _, _, (weights, offset, score_basis) = kernel_parts
    residual = _merged(_by_basis(expand_log_density(h.subs(x, signed)), signed), score_basis)
    equations = [e for e in residual.values() if e != 0]
    unknowns = [*weights.values(), offset]
    solution = within(SOLVE_SECONDS, "solve for the score weights", sp.solve, equations, unknowns, dict=True)
    if len(solution) != 1 or any(s.has(signed) for s in solution[0].values()) or offset not in solution[0]:
        return None
    solved = {u: solution[0].get(u, sp.S.Zero) for u in unknowns}  # a weight left free can be taken as zero
    solved = {u: v.xreplace({w: 0 for w in unknowns}) for u, v in solved.items()}
    log_normaliser = expand_log_density(sp.log(normaliser))
    means = {p: -sp.diff(log_normaliser, p) for p in movable}
    if any(m.has(sp.Derivative) for m in means.values()):
        return None  # a normaliser SymPy cannot differentiate (a finite Zipf law's harmonic number H(n, a) in a)
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


# --- route: differentiate a generating function (Feynman's trick) --------------------------------------------
def _by_exponent(law: Law, h: sp.Expr, seconds: float) -> tuple[sp.Expr, list[Step], list[str]] | None:
    """h = x^k e^{a x} Π_j log(w_j)^{k_j} F(x): with G(t, s) = E[e^{tx} Π_j w_j^{s_j} F(X)],

    .. math:: E[h] = \\partial_t^k \\partial_{s_1}^{k_1} \\cdots G \\big|_{t = a,\\, s = 0}

    since ∂_t e^{tx} = x e^{tx} and ∂_s w^s = w^s log w. Every term with the same F shares one G (for F = 1 and no
    logs, G is the moment generating function), found by the normaliser route or by one integral (often a
    Gamma or Beta integral), where the powers and logs defeat SymPy's integrator."""
    x = law.variable
    logs: dict[sp.Expr, int] = {}
    power, rate, scale, rest = 0, sp.S.Zero, sp.S.One, sp.S.One
    for factor in sp.Mul.make_args(h):
        base, exponent = factor.as_base_exp()
        if base == x and exponent.is_Integer and exponent > 0:
            power += int(exponent)
        elif isinstance(base, sp.log) and base.has(x) and exponent.is_Integer and exponent > 0:
            logs[base] = logs.get(base, 0) + int(exponent)
        elif isinstance(factor, sp.exp) and _linear(factor.args[0], x):
            rate += sp.diff(factor.args[0], x)
            scale *= sp.exp(factor.args[0].subs(x, 0))  # e^{ax + c} = e^c e^{ax}
        else:
            rest *= factor
    if (power == 0 and not logs) or power + sum(logs.values()) > 8 or law.points is not None:
        return None
    key = (rest, tuple(sorted(logs, key=sp.default_sort_key)), power > 0 or rate != 0)
    found = _generating(law, rest, key[1], key[2], seconds)
    if found is None:
        return None
    t, exponents, generating, how, condition = found
    at = {t: rate, **{s: 0 for s in exponents}}
    orders = [(t, power)] + [(s, logs[base]) for s, base in zip(exponents, key[1])]
    orders = [(symbol, k) for symbol, k in orders if k]
    value = scale * (sp.diff(generating, *orders) if orders else generating).subs(at)
    # a complex value of a real term is G continued past where it converges (E[X] of a Student t with one degree of
    # freedom came out −iπ/B(1/2, 1/2)): the integral route decides; so it does where ∂/∂a of Γ(a, x) is a Meijer G
    # (a Gompertz's entropy)
    if value.has(sp.nan, sp.zoo, sp.I):
        return None
    if not is_closed(value):
        return _order_derivative_left(law, h, generating) if value.has(sp.Derivative, sp.Subs) else None
    value = reflected(simplified(value))
    shown_t = sp.Symbol("t", real=True)
    shown = {**({t: shown_t} if key[2] else {}), **{s: sp.Symbol(f"s_{j + 1}", real=True) for j, s in enumerate(exponents)}}
    generator = (sp.exp(t * x) if key[2] else 1) * rest * sp.Mul(*(base.args[0] ** s for s, base in zip(exponents, key[1])))
    title = "Differentiate the moment generating function" if rest == 1 and not logs \
        else "Differentiate a generating function"
    step = Step(title,
                (sp.Eq(sp.Function("G")(*shown.values()), Expect(generator.xreplace(shown)), evaluate=False),
                 sp.Eq(sp.Function("G")(*shown.values()), generating.xreplace(shown), evaluate=False),
                 sp.Eq(Expect(h), value, evaluate=False)),
                f"$G$ {how}; $\\partial_t e^{{tx}} = x e^{{tx}}$ and $\\partial_s w^s = w^s \\log w$: the term is a "
                "derivative of $G$ at " + ", ".join(([f"$t = {latex(rate)}$"] if key[2] else []) + (["$s = 0$"] if exponents else [])))
    # the generating function's condition (on t and s) must hold at the point of differentiation
    try:
        holds = condition.subs(at)
    except TypeError:  # SymPy's conditions on arg(t) are undefined at t = 0
        holds = sp.nan
    if holds == sp.false:
        return None
    remarks = [] if holds == sp.true else [f"The integral converges where ${latex(holds)}$."] if not holds.has(sp.nan) \
        else [f"Assumed: SymPy's convergence condition of the generating function, ${latex(condition.xreplace(shown))}$, "
              "holds near the point of differentiation."]
    return value, [step], remarks


def _order_derivative_left(law: Law, h: sp.Expr, generating: sp.Expr) -> tuple[sp.Expr, list[Step], list[str]]:
    """E[h] left to quadrature, said, when G is closed but its derivative is not: SymPy has no derivative of a
    special function in its order (the Wald's E[X^s] is a Bessel K of order s − 1/2, so E[log X] is ∂K_ν/∂ν). The
    integral of h f is the same Mellin integral differentiated, and SymPy's integrator spent the whole 8 s of the
    Wald entropy's shared budget on it before falling back: it is not tried."""
    posed = _integral_or_sum(law, h * law.density)
    shown = generating.xreplace({d: sp.Symbol(d.name, real=True) for d in generating.atoms(sp.Dummy)})
    why = (f"$\\mathbb{{E}}\\left[{latex(h)}\\right]$ is a derivative of the generating function "
           f"${latex(shown)}$ in an exponent, which SymPy leaves unevaluated (a special function differentiated in "
           "its order); the integral of the same term would need that derivative, so it is not tried: it is "
           "evaluated numerically.")
    step = Step(f"Evaluate the {'sum' if law.discrete else 'integral'} over the support",
                (sp.Eq(Expect(h), posed, evaluate=False),), "numerically (no closed form)")
    return posed, [step], [why]


def _polynomial_tails(law: Law) -> bool:
    """Whether the law's support is unbounded and its density holds x in no exponent (no e^{-x}, no (1 - p)^x):
    it then decays at most like a power of x, and E[e^{tX}] is infinite for every t ≠ 0 (Student t, Cauchy)."""
    x = law.variable
    unbounded = any(end.is_infinite for end in law.limits)
    in_exponent = any(p.exp.has(x) for p in law.density.atoms(sp.Pow)) or any(
        e.has(x) for e in law.density.atoms(sp.exp))
    return unbounded and not in_exponent


@cacheit  # every term with the same F shares one G, across all the expectations of a derivation
def _generating(law: Law, rest: sp.Expr, bases: tuple[sp.Expr, ...], with_t: bool, seconds: float) -> tuple | None:
    """(t, (s_j), G(t, s), how, condition) with G = E[e^{tX} Π_j w_j^{s_j} rest(X)] and where it holds, or None;
    without the factor e^{tX} unless ``with_t`` (it would keep a Beta's x^s (1 - x)^r from its normaliser)."""
    t = sp.Dummy("t", real=True)
    exponents = tuple(sp.Dummy(f"s{j}", real=True) for j in range(len(bases)))
    generator = (sp.exp(t * law.variable) if with_t else 1) * rest * sp.Mul(*(base.args[0] ** s for s, base in zip(exponents, bases)))
    found = _normaliser(law, generator)
    if found is not None:
        generating, _, condition = found
        how = "by a density's normaliser (no integral)"
    elif with_t and stretched_exponential(law.density, law.variable, *law.limits) is not None:
        return None  # e^{tx} against a Weibull's e^{-a x^p}: no elementary closed form (infinite for p < 1)
    elif with_t and _polynomial_tails(law):
        return None  # e^{tx} against a Student t's (1 + x²/ν)^{-(ν+1)/2}: infinite for every t ≠ 0
    else:
        try:
            generating, condition, how = within(seconds, "the generating function", evaluate, law, generator)
        except BudgetExceededError:
            raise _Uncached(None) from None
        if generating is None:
            return None
        generating = simplified(generating)
        how = f"by one {'sum' if law.discrete else 'integral'} over the support" + (f", {how}" if how else "")
    if not is_closed(generating) or generating.has(sp.Piecewise):
        return None
    return t, exponents, generating, how, condition if condition is not None else sp.true


# --- route 3: integration or summation, and the numeric fallback ----------------------------------------------
def defining_integral(law: Law, g: sp.Expr) -> sp.Expr:
    """E[g(X)] as its defining integral or sum over the support, unevaluated (the reference verify() computes)."""
    if law.points is not None:
        return sp.Add(*(sp.Mul(g, law.density).subs(law.variable, point) for point in law.points))
    return _integral_or_sum(law, g * law.density)


def _variable_of(g: Any) -> Any:
    """The one sympy.stats random variable of ``g`` (E[g] written without naming it)."""
    from sympy.stats.rv import random_symbols

    variables = random_symbols(g) if isinstance(g, sp.Basic) else []
    if len(variables) != 1:
        raise ParameterError(f"name the random variable: expectation(X, g) (g = {g} holds "
                             f"{len(variables)} sympy.stats random variables, not one)")
    return variables[0]


def derive_expectation(source: Any, g: Any = None, seconds: float = INTEGRATE_SECONDS) -> Derivation:
    """E[g(X)] for a sympy.stats random variable or a :class:`symml.Model`, with its steps.

    Args:
        source: the random variable X, a Model (its ``support`` an Interval, Range or FiniteSet) or a family name;
            or, alone, g itself in one sympy.stats random variable (``expectation(X**2)``, as ``sympy.stats.E``),
            or in several independent ones (``expectation(X * Y)``: :mod:`symml.probability.independent`).
        g: a SymPy expression in X (or in the model's data symbol).
        seconds: the budget of each integral or sum; past it the term is evaluated numerically, said so. All
            the terms together share ``symml.budget.DERIVATION_SECONDS``.

    Returns:
        A Derivation whose ``result`` is E[g(X)]; ``numpy()`` is a function of the parameters by name.

    >>> import sympy as sp, sympy.stats as st
    >>> r = sp.Symbol("r", positive=True); X = st.Exponential("X", r)
    >>> derive_expectation(X, X**3).result
    6/r**3
    >>> derive_expectation(X**3).result
    6/r**3
    """
    source, g = _scalar(source), _scalar(g)
    if _several_variables(source if g is None else g):  # expectation(X, X * Y) too: X is one of g's variables
        return _derive_independent(source if g is None else g, seconds)
    if g is None:
        source, g = _variable_of(source), source
    if is_multivariate_normal(source):  # E[xᵀAx] in the components of a random vector
        from symml.probability.gaussian_vector_moments import expect_gaussian_vector

        return expect_gaussian_vector(source, g)
    law = as_law(source)
    law = apart_from(law, g)
    g = in_terms_of(law, g)
    # its terms share one budget, DERIVATION_SECONDS
    found = SharedBudget(DERIVATION_SECONDS).run(expect, law, g, seconds)
    # symbols of g besides the law's (a constant x in E[(mu + s Z - x)**2]) are arguments of numpy() too
    constants = sorted(g.free_symbols - {law.variable} - set(law.parameters), key=lambda s: s.name)
    problem = ProbabilityProblem(
        title=f"Expectation of ${latex(g)}$ for {law.name}", results={"value": found.value},
        reference={"value": defining_integral(law, g)}, parameters=(*law.parameters, *constants),
        support_bounds=support_bounds(law), laws=checked_variables(law))
    return Derivation(problem, found.steps, found.value, summary=(sp.Eq(Expect(g), found.value, evaluate=False),),
                      remarks=found.remarks)


def _scalar(g: Any) -> Any:
    """A 1 x 1 matrix (xᵀAx written with sympy.Matrix) as its entry."""
    return g[0, 0] if isinstance(g, sp.MatrixBase) and g.shape == (1, 1) else g


def _several_variables(g: Any) -> bool:
    from sympy.stats.rv import random_symbols

    return isinstance(g, sp.Basic) and len(random_symbols(g)) > 1


def _derive_independent(g: sp.Expr, seconds: float) -> Derivation:
    """E[g(X, Y, ...)] of independent sympy.stats variables (:mod:`symml.probability.independent`)."""
    from symml.probability.independent import expect_independent, factorised_reference, independent_variables

    variables = independent_variables(g)
    found = SharedBudget(DERIVATION_SECONDS).run(expect_independent, g, variables, seconds)
    laws = [as_law(v) for v in variables]
    parameters = tuple(dict.fromkeys(p for law in laws for p in law.parameters))
    problem = ProbabilityProblem(
        title=f"Expectation of ${latex(g)}$ for independent " + ", ".join(law.name for law in laws),
        results={"value": found.value}, reference={"value": factorised_reference(g, variables)},
        parameters=parameters, support_bounds=tuple(b for law in laws for b in support_bounds(law)),
        laws=checked_variables(*laws))
    return Derivation(problem, found.steps, found.value, summary=(sp.Eq(Expect(g), found.value, evaluate=False),),
                      remarks=found.remarks)


def checked_variables(*laws: Law) -> tuple[Any, ...]:
    """The sympy.stats random variables behind ``laws``, whose parameter ranges numpy() checks at call time."""
    return tuple(law.random_variable for law in laws if law.random_variable is not None)


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


def _by_integral(law: Law, h: sp.Expr, seconds: float, overruns: list[str],
                 foreign: str | None = None) -> tuple[sp.Expr, list[Step], list[str]]:
    posed = _integral_or_sum(law, h * law.density)
    how = "sum" if law.discrete else "integral"
    if law.points is not None:
        value = simplified(sp.expand(posed.doit()))
        return value, [Step("Sum over the support", (sp.Eq(Expect(h), posed, evaluate=False),
                                                    sp.Eq(Expect(h), value, evaluate=False)))], []
    remarks: list[str] = []
    try:
        value, condition, prepared = within(seconds, f"the {how} of E[{h}]", evaluate, law, h)
    except BudgetExceededError as exceeded:
        if foreign is None or isinstance(exceeded, SharedBudgetSpentError):
            overruns.append(str(exceeded))  # not cached: a retry with more budget may close it, unlike a term without a rule
        value, condition, prepared = None, None, ""
        remarks.append(f"No closed form: $\\mathbb{{E}}\\left[{latex(h)}\\right]$ {foreign}, against which SymPy's "
                       f"integrator has no rule; tried for {seconds:g} s (the budget of such terms), it is evaluated "
                       "numerically."
                       if foreign is not None else
                       f"The {how} of $\\mathbb{{E}}\\left[{latex(h)}\\right]$ did not finish within "
                       + (f"the {exceeded.seconds:g} s of symbolic work its derivation shares"
                          if isinstance(exceeded, SharedBudgetSpentError) else f"its budget of {seconds:g} s")
                       + ": it is evaluated numerically.")
    # the tails of a term without a rule get its short budget too: with a Gaussian mixture's scales symbolic, the
    # limits at ±∞ of each term of its weight's Fisher information ran out of 2 s each
    divergent = divergent_value(law, h, *((min(seconds, FOREIGN_SECONDS),) if foreign is not None else ())) \
        if value is None or not is_closed(value) else None
    if divergent is not None:
        value = divergent
        remarks = [f"$\\mathbb{{E}}\\left[{latex(h)}\\right]$ does not exist: $|x| \\, {latex(h)} \\, f(x)$ has a non-zero "
                   "limit in a tail, so the integrand falls like $1/|x|$ and its integral diverges "
                   + ("(to $+\\infty$ on one side and $-\\infty$ on the other: undefined)." if value is sp.nan
                      else f"to ${latex(value)}$.")]
    elif value is None or not is_closed(value):
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
                "numerically (no closed form)" if value is posed else prepared)
    return value, [step], remarks

"""Results in the form a person writes: simplified under a budget, with sigmoid and softplus recognised.

Derivatives of logistic losses come out of the rules as towers of exponentials
(``e^{-z}/((1 + e^{-z})^2 (1 - 1/(1 + e^{-z})))``). :func:`readable` tries a few rewritings and keeps the
shortest: SymPy's simplify (under a budget), and a substitution that writes every ``exp(k u)`` through
``s = σ(u)`` (``e^u = s/(1 − s)``) and cancels, which turns those towers into ``σ(z) − y``.
``log(1 + e^u)`` is written ``softplus(u)``.

>>> import sympy as sp
>>> z, y = sp.symbols("z y", real=True)
>>> readable(sp.exp(z)/(1 + sp.exp(z)) - y)
-y + Sigmoid(z)
"""
from __future__ import annotations

import sympy as sp

from symml.budget import within
from symml.errors import BudgetExceededError
from symml.matrix_calculus.expressions import Sigmoid, Softplus

__all__ = ["grouped", "readable", "with_sigmoid", "with_softplus"]

#: Budget of one simplification attempt; a result past it is kept as the rules left it.
READABLE_SECONDS = 2.0


def _exponent_bases(expr: sp.Expr) -> list[sp.Expr]:
    """The arguments u of the exponentials in expr, up to sign (exp(-z) and exp(z) both give z)."""
    bases: list[sp.Expr] = []
    for power in expr.atoms(sp.exp):
        coefficient, u = power.args[0].as_coeff_Mul()
        u = u if coefficient > 0 else -u
        if u not in bases:
            bases.append(u)
    return bases


def _beside_a_constant(expr: sp.Expr) -> list[sp.Expr]:
    """The u of exponentials e^{ku} in a sum with a constant term (1 + e^{−z}): where σ(u) can appear."""
    return [u for total in expr.atoms(sp.Add) if any(term.is_Number for term in total.args)
            for term in total.args if isinstance(term.as_coeff_Mul()[1], sp.exp)
            for u in _exponent_bases(term.as_coeff_Mul()[1])]


def with_sigmoid(expr: sp.Expr, u: sp.Expr) -> sp.Expr:
    """expr with every exp(k u) (integer k) written through s = σ(u), e^u = s/(1 − s), then cancelled."""
    s = sp.Dummy("s", positive=True)

    def through_sigmoid(power: sp.Expr) -> sp.Expr:
        k = sp.cancel(power.args[0] / u)
        return (s / (1 - s)) ** k if k.is_Integer else power

    substituted = expr.replace(lambda e: isinstance(e, sp.exp), through_sigmoid)
    substituted = substituted.replace(lambda e: isinstance(e, Sigmoid) and e.args[0] == u, lambda e: s)
    cancelled = _sign_into_factor(sp.factor(sp.cancel(sp.together(substituted))))
    return cancelled.xreplace({s: Sigmoid(u)})


def _sign_into_factor(expr: sp.Expr) -> sp.Expr:
    """−(s − 1) s written (1 − s) s: a leading minus sign moved into a factor that is a sum."""
    if not isinstance(expr, sp.Mul):
        return expr
    coefficient, factors = expr.as_coeff_mul()
    sums = [f for f in factors if isinstance(f, sp.Add)]
    if coefficient != -1 or not sums:
        return expr
    rest = list(factors)
    rest.remove(sums[0])
    return sp.Mul(-sums[0], *rest)


def with_softplus(expr: sp.Expr) -> sp.Expr:
    """log(1 + e^u) written softplus(u)."""
    def is_softplus(e: sp.Expr) -> bool:
        return isinstance(e, sp.log) and isinstance(e.args[0] - 1, sp.exp)

    return expr.replace(is_softplus, lambda e: Softplus((e.args[0] - 1).args[0]))


def _bound_indices(expr: sp.Expr) -> set:
    return {limit[0] for total in expr.atoms(sp.Sum) for limit in total.limits}


def _frozen(expr: sp.Expr) -> dict:
    """A symbol for each function value and non-integer power in expr (log(u), ψ′(ν/2), √u)."""
    atoms = [a for a in expr.atoms(sp.Function, sp.Pow) if not (isinstance(a, sp.Pow) and a.exp.is_Integer)]
    return {a: sp.Dummy("f") for a in atoms}


def grouped(expr: sp.Expr) -> sp.Expr:
    """expr as Σ_k T_k R_k: the terms gathered by their product T_k of function values, each coefficient R_k
    put over one denominator with its common factors out (nothing expanded).

    >>> nu, u = sp.symbols("nu u", positive=True)
    >>> grouped(sp.polygamma(1, nu)/4 + 1/(2*nu**2) - u/(nu*(nu + u)))
    polygamma(1, nu)/4 + (-2*nu*u + nu + u)/(2*nu**2*(nu + u))
    """
    frozen = _frozen(expr)
    groups: dict = {}
    for term in sp.Add.make_args(expr.xreplace(frozen)):
        coefficient, atoms = term.as_independent(*frozen.values(), as_Add=False)
        groups[atoms] = groups.get(atoms, 0) + coefficient
    thawed = {v: k for k, v in frozen.items()}
    return sp.Add(*(atoms.xreplace(thawed) * sp.factor_terms(sp.together(coefficient))
                    for atoms, coefficient in groups.items()))


def _candidates(expr: sp.Expr) -> list[sp.Expr]:
    found = [expr, with_softplus(expr)]
    attempts = [lambda: sp.simplify(expr), lambda: sp.factor(sp.cancel(expr))]
    if expr.xreplace(_frozen(expr)).is_rational_function():
        # a rational function of the variables and function values: SymPy's simplify finds nothing the cheap
        # forms miss, at 10x their time (the Student-t Hessian in (ν, μ, σ): 3.5 s in simplify)
        attempts[0] = lambda: grouped(expr)
    for attempt in attempts:
        try:
            found.append(within(READABLE_SECONDS, "simplification of a derivative", attempt))
        except (BudgetExceededError, sp.PolynomialError):
            pass
    for candidate in list(found):
        bound = _bound_indices(candidate)
        beside_a_constant = _beside_a_constant(candidate)
        for u in _exponent_bases(candidate) + [s.args[0] for s in candidate.atoms(Sigmoid)]:
            if u.free_symbols & bound:  # σ(uᵢ) written as one symbol would be factored out of its sum over i
                continue
            if u not in beside_a_constant and not candidate.has(Sigmoid(u)):
                continue  # no 1 + e^u to write as 1/(1 − σ): a Gumbel's e^{−z} spent 6 of its Hessian's 8 s here
            try:
                found.append(within(READABLE_SECONDS, "writing a derivative through sigmoid", with_sigmoid, candidate, u))
            except (BudgetExceededError, sp.PolynomialError):
                pass
    return found


def _length(candidate: sp.Expr, known: set) -> int:
    """Operations, with functions the input did not use counted heavily: simplify likes cosh(z/2)⁻² for
    σ(z)(1 − σ(z)), which is shorter but not what a reader of the loss expects."""
    foreign = [f for f in candidate.atoms(sp.Function) if f.func not in known]
    return int(sp.count_ops(candidate)) + 5 * len(foreign)


def _with_readable_summand(total: sp.Sum) -> sp.Expr:
    """A sum with its summand made readable on its own, where its index is bound (σ(uᵢ) is recognised there); a
    summand free of the index is counted (Σᵢ c = n c)."""
    summand = readable(total.function)
    rebuilt = sp.Sum(summand, *total.limits)
    return rebuilt.doit() if not summand.free_symbols & {limit[0] for limit in total.limits} else rebuilt


def readable(expr: sp.Expr) -> sp.Expr:
    """The shortest of expr's rewritings (fewest operations; ties keep the earlier, less rewritten form)."""
    expr = sp.sympify(expr)
    if isinstance(expr, sp.Piecewise):
        return sp.Piecewise(*((readable(piece), condition) for piece, condition in expr.args))
    expr = expr.replace(lambda e: isinstance(e, sp.Sum), _with_readable_summand)
    known = {f.func for f in expr.atoms(sp.Function)} | {Sigmoid, Softplus}
    # on a tie the form through σ and softplus wins: it is the one the reader knows
    return min(_candidates(expr), key=lambda candidate: (_length(candidate, known),
                                                         -len(candidate.atoms(Sigmoid, Softplus))))

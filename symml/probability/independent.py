"""Expectations of a function of several independent random variables, by the one-variable operator.

sympy.stats random variables built one at a time (``Normal("X", ...)``, ``Poisson("Y", ...)``) each live in a
probability space of their own: they are independent. For g(X, Y, ...):

1. **Linearity.** g is expanded into terms c Π_j h_j(X_j); E[g] = Σ c E[Π_j h_j(X_j)].
2. **Independence factorises** a product of functions of distinct variables:
   E[Π_j h_j(X_j)] = Π_j E[h_j(X_j)], each factor by :func:`~symml.probability.expectation.expect`.
   e^{t(X + Y)} expands to e^{tX} e^{tY}, so the MGF of a sum is the product of the MGFs.
3. A term that does not split (a function of X + Y other than a polynomial or an exponential: 1/(1 + X² + Y²))
   stays its iterated integral, evaluated numerically by ``numpy()``, said so.

>>> import sympy as sp, sympy.stats as st
>>> m = sp.Symbol("m", real=True); s = sp.Symbol("s", positive=True); lam = sp.Symbol("lambda", positive=True)
>>> X, Y = st.Normal("X", m, s), st.Poisson("Y", lam)
>>> expect_independent(X * Y, (X, Y)).value
lambda*m
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp
from sympy.stats.rv import RandomSymbol, random_symbols

from symml.budget import INTEGRATE_SECONDS
from symml.derivation import Step
from symml.errors import ModelError
from symml.probability.expectation import Expect, Expectation, defining_integral, expect, tidied
from symml.probability.law import Law, as_law

__all__ = ["independent_variables", "expect_independent", "factorised_reference", "INDEPENDENCE"]

#: the sentence every derivation over several sympy.stats variables states
INDEPENDENCE = ("sympy.stats random variables built one at a time each have a probability space of their own: "
                "they are independent")


def independent_variables(g: Any) -> tuple[RandomSymbol, ...]:
    """The sympy.stats random variables of ``g``, sorted by name, when there are several and they are independent.

    Raises:
        ModelError: two of them share a probability space (built jointly: not known to be independent).
    """
    variables = tuple(sorted(random_symbols(g), key=lambda v: str(v))) if isinstance(g, sp.Basic) else ()
    joint = [v for v in variables if not isinstance(v, RandomSymbol) or v.pspace.values != {v}]
    if joint:
        raise ModelError(f"{', '.join(map(str, joint))} in {g} is a component of a random variable built jointly "
                         "(a multivariate law): an expectation over several variables here takes independent ones, "
                         "each built on its own")
    if len({v.pspace for v in variables}) < len(variables):
        raise ModelError(f"{g} holds random variables that share a probability space: they are not known to be "
                         "independent")
    return variables


def _laws(g: sp.Expr, variables: tuple[RandomSymbol, ...]) -> dict[RandomSymbol, Law]:
    """Each variable's law, its value named after it (x for X, x' when g or a law already has an x) so that an
    iterated integral keeps them apart from each other and from g's constants."""
    laws = {variable: as_law(variable) for variable in variables}
    taken = {s.name for s in g.free_symbols} | {p.name for law in laws.values() for p in law.parameters}
    for variable, law in laws.items():
        name = str(variable).lower()
        while name in taken:
            name += "'"
        taken.add(name)
        value = sp.Symbol(name, **law.variable.assumptions0)
        laws[variable] = replace(law, variable=value, density=law.density.xreplace({law.variable: value}),
                                 log_density=law.log_density.xreplace({law.variable: value}))
    return laws


def _split(term: sp.Expr, variables: tuple[RandomSymbol, ...]) -> tuple[sp.Expr, dict[RandomSymbol, sp.Expr] | None]:
    """term = c Π_j h_j(X_j): (c, {X_j: h_j}); None for the factors when one factor holds several variables."""
    coefficient, rest = term.as_independent(*variables, as_Add=False)
    factors: dict[RandomSymbol, sp.Expr] = {}
    for factor in sp.Mul.make_args(rest) if rest != 1 else ():  # a constant term: no factors
        held = factor.atoms(RandomSymbol) & set(variables)
        if len(held) != 1:
            return coefficient, None
        variable, = held
        factors[variable] = factors.get(variable, sp.S.One) * factor
    return coefficient, factors


def _terms(g: sp.Expr, variables: tuple[RandomSymbol, ...]) -> list[tuple[sp.Expr, dict[RandomSymbol, sp.Expr] | None, sp.Expr]]:
    """The expanded terms of g, each (coefficient, factors by variable or None, the term without its coefficient)."""
    split = []
    for term in sp.Add.make_args(sp.expand(g)):
        coefficient, factors = _split(term, variables)
        split.append((coefficient, factors, term / coefficient))
    return split


def _iterated(laws: dict[RandomSymbol, Law], h: sp.Expr) -> sp.Expr:
    """E[h] as its defining iterated integral (or sum) over the supports of the variables it holds: one
    Integral with a limit per variable when all are continuous (``numpy()`` evaluates it by nested quadrature)."""
    held = [v for v in laws if h.has(v)]
    value = h.xreplace({v: laws[v].variable for v in held})
    if not any(laws[v].discrete for v in held):
        density = sp.Mul(*(laws[v].density for v in held))
        return sp.Integral(value * density, *((laws[v].variable, *laws[v].limits) for v in held))
    for variable in held:
        value = defining_integral(laws[variable], value)
    return value


def factorised_reference(g: sp.Expr, variables: tuple[RandomSymbol, ...]) -> sp.Expr:
    """E[g] as defining one-variable integrals or sums, multiplied where independence factorises a term (the
    reference ``verify()`` evaluates by quadrature); a term that does not split is its iterated integral."""
    laws = _laws(g, variables)
    total = sp.S.Zero
    for coefficient, factors, bare in _terms(g, variables):
        if factors is None:
            total += coefficient * _iterated(laws, bare)
        else:
            total += coefficient * sp.Mul(*(defining_integral(laws[v], h.xreplace({v: laws[v].variable}))
                                            for v, h in factors.items()))
    return total


def expect_independent(g: sp.Expr, variables: tuple[RandomSymbol, ...],
                       seconds: float = INTEGRATE_SECONDS) -> Expectation:
    """E[g(X_1, ..., X_n)] for independent sympy.stats variables (see the module)."""
    laws = _laws(g, variables)
    terms = _terms(g, variables)
    steps: list[Step] = []
    remarks: list[str] = [f"{', '.join(map(str, variables))} are independent: {INDEPENDENCE}."]
    if len(terms) > 1 or terms[0][0] != 1:
        pieces = sp.Add(*(c * (Expect(bare) if bare != 1 else 1) for c, _, bare in terms))
        steps.append(Step("Linearity of expectation", sp.Eq(Expect(g), pieces, evaluate=False),
                          "g expanded; constants come out of the expectation, which is additive"))
    factorised = [sp.Eq(Expect(bare), sp.Mul(*(Expect(h) for h in factors.values()), evaluate=False), evaluate=False)
                  for _, factors, bare in terms if factors is not None and len(factors) > 1]
    if factorised:
        steps.append(Step("Factorise over independent variables", tuple(factorised),
                          "$\\mathbb{E}[g(X) h(Y)] = \\mathbb{E}[g(X)] \\, \\mathbb{E}[h(Y)]$ for independent X, Y ("
                          + INDEPENDENCE + ")"))
    value = sp.S.Zero
    for coefficient, factors, bare in terms:
        if factors is None:
            posed = _iterated(laws, bare)
            remarks.append(f"$\\mathbb{{E}}\\left[{sp.latex(bare)}\\right]$ does not split into functions of one "
                           "variable each: it is left as its iterated integral, evaluated numerically.")
            steps.append(Step("An expectation that does not factorise", sp.Eq(Expect(bare), posed, evaluate=False),
                              "numerically (no closed form)"))
            value += coefficient * posed
            continue
        product = sp.S.One
        for variable, h in factors.items():
            law = laws[variable]
            found = expect(law, h.xreplace({variable: law.variable}), seconds)
            steps.extend(found.steps)
            remarks.extend(found.remarks)
            steps.append(Step(f"The factor in {variable}", sp.Eq(Expect(h), found.value, evaluate=False),
                              f"${variable} \\sim$ {law.name}"))
            product *= found.value
        value += coefficient * product
    value = tidied(value)
    steps.append(Step("Collect the terms", sp.Eq(Expect(g), value, evaluate=False)))
    return Expectation(g, value, tuple(steps), tuple(dict.fromkeys(remarks)))

"""The log-likelihood of an i.i.d. sample as a sum, normalised: constants out of the sums, data sums as statistics.

For a log-density whose terms factor as c(theta) g(x), the log-likelihood is

    l(theta) = sum_i log f(x_i | theta) = sum_k c_k(theta) sum_i g_k(x_i) + n h(theta) + C
             = n (sum_k c_k(theta) mean(g_k) + h(theta)) + C,

with C free of the parameters. Terms that do not factor (|x - mu|, log(1 + (x - mu)^2/nu)) stay inside a sum over
i. This is the normalising pass SymPy needs before ``solve`` (with the sums left as they are, SymPy 1.14's
``solve`` returns [] or fake solutions).

>>> x = sp.Symbol("x", real=True); mu = sp.Symbol("mu", real=True)
>>> i, n = sp.Symbol("i", integer=True), sp.Symbol("n", integer=True, positive=True)
>>> from symml.mle.statistics import StatisticTable, support_assumptions
>>> table = StatisticTable(x, sp.IndexedBase("x", real=True)[i], n)
>>> parts = separate(-(x - mu)**2/2, x, (mu,), table)
>>> parts.with_statistics
n*(mean(x)*mu - mu**2/2) + Sum(-x[i]**2/2, (i, 1, n))
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symml.mle.statistics import StatisticTable, support_assumptions

__all__ = ["density_as_powers", "expand_log_density", "separate", "SeparatedLogLikelihood"]


def expand_log_density(logf: sp.Expr) -> sp.Expr:
    """log f with logs of products split (``expand_log(force=True)``) and products multiplied out, leaving the
    insides of functions alone (``log(1 + (x - mu)**2)`` stays as written).

    The forced log expansion is valid because a density is positive on its support, so every factor whose
    log is taken is positive there.

    >>> x, s = sp.Symbol("x", real=True), sp.Symbol("s", positive=True)
    >>> expand_log_density(sp.log(x*sp.exp(-x**2/(2*s**2))/s**2))
    -2*log(s) + log(x) - x**2/(2*s**2)
    """
    split = split_logs(logf)
    hidden = {f: sp.Dummy() for f in split.atoms(sp.Function) if not all(a.is_Atom for a in f.args)}
    revealed = {dummy: f for f, dummy in hidden.items()}
    return sp.expand(split.xreplace(hidden)).xreplace(revealed)


def density_as_powers(density: sp.Expr) -> sp.Expr:
    """exp(c log b) written b**c, so a density reads p**x (1 - p)**(1 - x) rather than exp(x log p + ...).

    >>> x, p = sp.Symbol("x"), sp.Symbol("p", positive=True)
    >>> density_as_powers(sp.exp(x*sp.log(p)))
    p**x
    """

    def single_log(e: sp.Basic) -> bool:
        return isinstance(e, sp.exp) and isinstance(e.args[0].as_independent(sp.log, as_Add=False)[1], sp.log)

    def power(e: sp.exp) -> sp.Expr:
        exponent, logarithm = e.args[0].as_independent(sp.log, as_Add=False)
        return sp.Pow(logarithm.args[0], exponent)

    return density.replace(single_log, power)


def split_logs(logf: sp.Expr) -> sp.Expr:
    """``expand_log(logf, force=True)``, with a sign written outside a bracket moved inside it first where the split
    would take log(−1) = iπ: a Gamma posterior's scale −1/(n·mean(log x) − 1) is the positive 1/(1 − n·mean(log x))
    (mean(log x) < 0 on (0, 1)), and splitting it as written gave a complex log-density (NaN from numpy()); a
    logarithmic series' −pˣ/(x log(1 − p)) is pˣ/(x·(−log(1 − p))), its log log(−log(1 − p)) − log x + x log p.

    >>> m, n = sp.Symbol("m"), sp.Symbol("n", positive=True)
    >>> split_logs(sp.log((-1/(m*n - 1))**(n + 1)))
    -(n + 1)*log(-m*n + 1)
    >>> p, x = sp.Symbol("p", positive=True), sp.Symbol("x", positive=True)
    >>> split_logs(sp.log(-p**x/(x*sp.log(1 - p))))
    x*log(p) - log(x) - log(-log(1 - p))
    """
    split = sp.expand_log(logf, force=True)
    if split.has(sp.I) and not logf.has(sp.I):
        held: dict[sp.Dummy, sp.Expr] = {}

        def sign_inside(log: sp.Expr) -> sp.Expr:
            return sp.log(log.args[0].replace(_negated_bracket, lambda e: _sign_inside(e, held)))

        split = sp.expand_log(logf.replace(lambda e: isinstance(e, sp.log), sign_inside), force=True).xreplace(held)
    return split


def _negated_bracket(e: sp.Basic) -> bool:
    """−(a + b)^k or −log(a)^k with k odd, as a product: −1/(nm − 1), −1/log(1 − p)."""
    return e.is_Mul and e.args[0] == -1 and any(_odd_power_of_a_bracket(f) for f in e.args[1:])


def _odd_power_of_a_bracket(f: sp.Basic) -> bool:
    return f.is_Add or isinstance(f, sp.log) or (
        f.is_Pow and (f.base.is_Add or isinstance(f.base, sp.log)) and f.exp.is_integer and f.exp.is_odd)


def _sign_inside(e: sp.Expr, held: dict[sp.Dummy, sp.Expr]) -> sp.Expr:
    """The product with its sign moved into the bracket; a negated log is held as one positive symbol while the logs
    split (−log(1 − p) is a product again, which the forced split would take apart into log(−1) + ...)."""
    factors = list(e.args[1:])
    k = next(k for k, f in enumerate(factors) if _odd_power_of_a_bracket(f))
    f = factors[k]
    bracket, power = (f.base, f.exp) if f.is_Pow else (f, sp.S.One)
    if bracket.is_Add:
        factors[k] = (-bracket)**power
    else:
        negated = sp.Dummy("negated", positive=True)
        held[negated] = -bracket
        factors[k] = negated**power
    return sp.Mul(*factors)


def _split_trig(logf: sp.Expr, x: sp.Symbol, wrt: set) -> sp.Expr:
    """cos(x - mu) written cos(x) cos(mu) + sin(x) sin(mu): the angle-sum identities let data and parameters factor
    apart (von Mises location), so the score is a combination of sample means instead of a sum over the data."""

    def mixed(e: sp.Basic) -> bool:
        return isinstance(e, (sp.sin, sp.cos)) and x in e.free_symbols and bool(e.free_symbols & wrt)

    return logf.replace(mixed, lambda e: sp.expand_trig(sp.expand(e)))


@dataclass(frozen=True)
class SeparatedLogLikelihood:
    """The log-likelihood split into its parts.

    Attributes:
        with_sums: constants pulled out of the sums, ``c(theta) * Sum(g(x_i))`` and ``n h(theta)``.
        with_statistics: the same with each data sum written as n times a sample mean.
        entangled: the summand (in x) of the terms where data and estimated parameters do not factor apart.
    """

    with_sums: sp.Expr
    with_statistics: sp.Expr
    entangled: sp.Expr


def _exponentials_split(term: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """exp(a + g(x)) as exp(a) exp(g(x)) in a product, so a parameter in the exponent's x-free part comes out of
    the sum (the Gumbel location: exp(-(x - mu)/b) = exp(mu/b) exp(-x/b))."""
    def split(factor: sp.Expr) -> sp.Expr:
        if not isinstance(factor, sp.exp):
            return factor
        free, bound = sp.expand(factor.args[0]).as_independent(x, as_Add=True)
        return sp.exp(free) * sp.exp(bound) if free != 0 and bound != 0 else factor
    return sp.Mul(*(split(f) for f in sp.Mul.make_args(term)))


def _piecewise_branches_split(logf: sp.Expr, x: sp.Symbol, wrt: set) -> sp.Expr:
    """A Piecewise in x whose branches hold estimated parameters, its conditions none, as a sum of one Piecewise per
    branch (that branch where its condition is the first to hold, else 0), so that each branch's parameter factor
    comes out of the sum: PyMC's asymmetric Laplace −b(x − μ)κ^{s}, s = sign(x − μ), gives
    bκ Σ(x − μ)₊ + (b/κ) Σ(μ − x)₊ (a sum of the whole Piecewise entangled b and κ with the data)."""
    def split(piecewise: sp.Piecewise) -> sp.Expr:
        branches = piecewise.args
        if (not any(e.free_symbols & wrt for e, _ in branches) or any(c.free_symbols & wrt for _, c in branches)
                or not any(e.has(x) for e, _ in branches) or any(e.has(sp.oo, -sp.oo) for e, _ in branches)):
            return piecewise
        return sp.Add(*(_only_where(e, c, [earlier for _, earlier in branches[:k]], x)
                        for k, (e, c) in enumerate(branches)))

    def pulled(piecewise: sp.Piecewise) -> sp.Expr:
        """A Piecewise with one non-zero branch Σ c g(x) as the sum of c times it with g(x) in that branch, c free
        of x, each g written by :func:`_case_statistic` (a term free of x in the catch-all branch, the hurdle's
        log ψ for k > 0, is that constant times 1 minus the indicators of the other cases)."""
        live = [k for k, (e, _) in enumerate(piecewise.args) if e != 0]
        if len(live) != 1:
            return piecewise
        e, c = piecewise.args[live[0]]

        def case(data: sp.Expr) -> sp.Expr:
            branches = [(data, c) if k == live[0] else branch for k, branch in enumerate(piecewise.args)]
            return _case_statistic(sp.Piecewise(*branches), x)

        terms = [sp.factor_terms(t).as_independent(x, as_Add=False) for t in sp.Add.make_args(sp.expand(e))]
        if len(terms) == 1 and terms[0][0] == 1:
            return _case_statistic(piecewise, x)
        return sp.Add(*(factor * case(data) for factor, data in terms))

    parts = logf.replace(lambda e: isinstance(e, sp.Piecewise) and e.has(x), split)
    if parts == logf:
        return logf
    return sp.expand(parts.replace(lambda e: isinstance(e, sp.Piecewise), pulled))


def _point(condition: sp.Boolean, x: sp.Symbol) -> sp.Expr | None:
    """a of a condition x = a, else None."""
    if isinstance(condition, sp.Eq) and x in (condition.lhs, condition.rhs):
        return condition.rhs if condition.lhs == x else condition.lhs
    return None


def _only_where(value: sp.Expr, condition: sp.Boolean, earlier: list, x: sp.Symbol) -> sp.Expr:
    """``value`` where ``condition`` is the first to hold, else 0; an earlier x = b is left out beside x = a, b ≠ a
    (the two never hold together), so the indicator of one case reads alike however it was reached."""
    here = _point(condition, x)
    guards = [c for c in earlier if here is None or _point(c, x) is None or sp.Eq(_point(c, x), here) != sp.false]
    return sp.Piecewise(*((sp.S.Zero, c) for c in guards), (value, condition), (sp.S.Zero, True))


def _case_statistic(piecewise: sp.Piecewise, x: sp.Symbol) -> sp.Expr:
    """A Piecewise that is 0 in every case but one, written so its sum over the data is a sample statistic of that
    case alone:

    - the catch-all indicator {0 in the cases before; 1 otherwise} is 1 minus the indicator of each case before
      (the fraction of observations in the last case is 1 minus the fractions in the others), so a hurdle's
      log ψ + log(1 − ψ)·mean(1{k = 0}) gives ψ̂ = 1 − mean(1{k = 0});
    - {0 for x = a; g(x) otherwise} is g(x) where g(a) = 0 (k for k > 0 sums as k over the whole sample).

    >>> k = sp.Symbol("k", integer=True, nonnegative=True)
    >>> _case_statistic(sp.Piecewise((0, sp.Eq(k, 0)), (1, True)), k)
    1 - Piecewise((1, Eq(k, 0)), (0, True))
    >>> _case_statistic(sp.Piecewise((0, sp.Eq(k, 0)), (k, True)), k)
    k
    """
    *cases, (last, otherwise) = piecewise.args
    if otherwise != sp.true or any(e != 0 for e, _ in cases):
        return piecewise
    # SymPy joins cases of one value: {0 for k = 0 or k = 1; ...} is the cases k = 0 and k = 1, in turn
    conditions = [c for _, joined in cases for c in sp.Or.make_args(joined)]
    if last == 1:
        return 1 - sp.Add(*(_only_where(sp.S.One, c, conditions[:k], x) for k, c in enumerate(conditions)))
    points = [_point(c, x) for c in conditions]
    if all(p is not None and last.subs(x, p) == 0 for p in points):
        return last
    return piecewise


def separate(logf: sp.Expr, x: sp.Symbol, wrt: tuple[sp.Symbol, ...], table: StatisticTable) -> SeparatedLogLikelihood:
    """Split sum_i logf(x_i) into parameter terms times sample means, plus what does not factor.

    Args:
        logf: log f(x | theta) of one observation, on its support.
        x: the observation symbol.
        wrt: the parameters being estimated; other symbols (fixed parameters, statistics) count as constants.
        table: where the sample means are registered.
    """
    n, i, xi = table.sample_size, table.index, table.indexed
    by_data: dict[sp.Expr, sp.Expr] = {}
    entangled_by_data: dict[sp.Expr, sp.Expr] = {}
    parameter_only = sp.S.Zero
    data_only = sp.S.Zero
    # On a non-negative support, x's sign lets powers split: (x/alpha)**k = x**k * alpha**(-k) (Weibull).
    signed = sp.Dummy(x.name, **support_assumptions(table.support))
    expanded = expand_log_density(_split_trig(logf.subs(x, signed), signed, set(wrt))).subs(signed, x)
    for term in sp.Add.make_args(_piecewise_branches_split(expanded, x, set(wrt))):
        coefficient, data_part = _exponentials_split(term, x).as_independent(x, as_Add=False)
        if data_part == 1:
            parameter_only += coefficient
        elif data_part.free_symbols & set(wrt):
            entangled_by_data[data_part] = entangled_by_data.get(data_part, sp.S.Zero) + coefficient
        elif coefficient.free_symbols & set(wrt):
            by_data[data_part] = by_data.get(data_part, sp.S.Zero) + coefficient
        else:
            data_only += term
    with_sums = n * parameter_only
    with_statistics = parameter_only
    for data_part, coefficient in by_data.items():
        with_sums += coefficient * sp.Sum(data_part.subs(x, xi), (i, 1, n))
        with_statistics += coefficient * table.mean(data_part)
    # Terms where data and parameters do not factor stay as sums, with their data-free factor outside.
    rest = sp.Add(*(c * sp.Sum(g.subs(x, xi), (i, 1, n)) for g, c in entangled_by_data.items()))
    if data_only != 0:
        rest += sp.Sum(data_only.subs(x, xi), (i, 1, n))
    entangled = sp.Add(*(c * g for g, c in entangled_by_data.items()))
    return SeparatedLogLikelihood(with_sums + rest, n * with_statistics + rest, entangled)

"""Models of one observation: a log-density in a data symbol and parameters, with the support it lives on.

A :class:`Model` is what the derivations work on. It comes from a user's own log-density
(``Model(logpdf=expr, data=x)``) or from any univariate sympy.stats random variable (:func:`as_model`), whose
density SymPy writes down; symml keeps no density table of its own.

>>> import sympy as sp
>>> x, m = sp.symbols("x m", real=True)
>>> lam = sp.Symbol("lambda", positive=True)
>>> model = Model(logpdf=sp.Piecewise((sp.log(lam) - lam*(x - m), x >= m), (-sp.oo, True)), data=x)
>>> model.support, model.parameters
(Interval(m, oo), (lambda, m))
>>> model.log_density_on_support
-lambda*(-m + x) + log(lambda)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence, cast

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.stats.crv import SingleContinuousDistribution
from sympy.stats.drv import SingleDiscreteDistribution
from sympy.stats.frv import SingleFiniteDistribution
from sympy.stats.rv import RandomSymbol

from symml.errors import ModelError, ParseError
from symml.integer_shifts import integer_shifts_expanded
from symml.real_support import real_support
from symml.render.printer import latex

__all__ = ["Model", "as_model", "check_parameters"]


@dataclass(frozen=True, init=False)
class Model:
    """The log-density of one observation, log f(x | parameters), and where it is positive.

    Args:
        logpdf: log f as a SymPy expression in ``data`` and the parameters, or typed as a string (LaTeX or plain
            text, ``"log(theta) - theta*x"``: read without evaluating code). A support that depends on the
            parameters may be written as ``Piecewise((expr, condition), (-oo, True))``.
        data: the symbol of one observation (x), or its name in a typed log-density; a tuple of symbols for a joint density of several quantities (a
            joint prior over (mu, s2), or one pair (x, y) observed together, which ``symml.derive.mle`` reads as
            n i.i.d. pairs: :mod:`symml.mle.joint`), whose support is then the product of the real lines unless
            given (a column vector among them, ``(x, y)`` with x a ``symml.vector``, is read at matrix level:
            :mod:`symml.mle.joint_vectors`); or a
            vector symbol (``symml.vector``), for a log-density over ℝᵈ that ``symml.derive.posterior`` and ``map``
            read as the Gaussian it is (matrix level); or a matrix symbol, the data matrix of i.i.d. Gaussian rows
            or a precision matrix under a Wishart prior (read by matching, :mod:`symml.gaussian.wishart_forms`).
        support: the set of x where f > 0; default: read from the Piecewise conditions, else all reals.
        parameters: the parameters in order; default: every free symbol of the log-density and the support
            other than ``data``, sorted by name.
        name: how the model is named in titles; default "a user log-density".
        random_variable: the sympy.stats random variable the model came from (set by :func:`as_model`).
        pdf: instead of ``logpdf``, the density f itself (an expression or typed text; by cases with 0 off the
            support), whose logarithm is taken.

    >>> import sympy as sp
    >>> Model(pdf="theta*exp(-theta*x)", data="x", support=sp.Interval(0, sp.oo)).logpdf
    log(theta*exp(-theta*x))
    """

    # The constructor accepts None for support and parameters; it fills both in, so the fields are never None.
    logpdf: sp.Expr
    data: Any  # sp.Symbol, or a tuple of them for a joint density
    support: sp.Set
    parameters: tuple[sp.Symbol, ...]
    name: str
    random_variable: Any
    log_density_on_support: sp.Expr = field(init=False, repr=False)

    def __init__(self, logpdf: Any = None, data: Any = None, support: sp.Set | str | None = None,
                 parameters: Sequence[sp.Symbol] | None = None, name: str = "a user log-density",
                 random_variable: Any = None, *, pdf: sp.Expr | str | None = None) -> None:
        typed = isinstance(logpdf, str) or isinstance(pdf, str)
        logpdf = _log_of_density_given(logpdf, pdf, data)
        if typed or isinstance(data, str):
            # the support's symbols are declared too: Range(0, N + 1) with N a positive integer is the N typed
            in_support = sorted(getattr(support, "free_symbols", ()), key=str)
            logpdf, data = _read_typed(logpdf, data, [*in_support, *(parameters or ())])
            parameters = None if parameters is None else [_named(logpdf, p) for p in parameters]
        if isinstance(support, str):
            support = _typed_support(support, data, logpdf)
        joint = isinstance(data, tuple)
        if joint and len(data) >= 2 and any(isinstance(d, sp.MatrixSymbol) for d in data):
            _set_joint_vector_model(self, logpdf, data, support, parameters, name)
            return
        if joint and (len(data) < 2 or not all(isinstance(d, sp.Symbol) for d in data)):
            raise ModelError("a joint density's data must be a tuple of at least two SymPy Symbols, or of Symbols "
                             "and column vectors (symml.vector)")
        if isinstance(data, sp.MatrixSymbol):  # a vector or a matrix: matrix level (symml.gaussian)
            _set_vector_model(self, logpdf, data, parameters, name)
            return
        if not joint and not isinstance(data, sp.Symbol):
            raise ModelError(f"data must be a SymPy Symbol (one observation) or a vector symbol, not "
                             f"{type(data).__name__}")
        if not isinstance(logpdf, sp.Expr):
            raise ModelError(
                f"logpdf must be a SymPy expression in {data}, not {type(logpdf).__name__}; "
                "build it with sympy (e.g. -(x - mu)**2/2)"
            )
        if logpdf.has(sp.I) and logpdf.is_extended_real is not True:
            raise ModelError(f"the log-density {logpdf} is not real (it holds the imaginary unit I): a log-density is "
                             "the real logarithm of a positive density")
        undefined = sorted({str(f.func) for f in logpdf.atoms(AppliedUndef)})
        if undefined:
            # an undefined sympy.Function (I0 in a Rice density) has arbitrary derivatives and expectations: the
            # Fisher information came out as −b², as typed text's unknown functions did before the reader refused them
            raise ModelError(f"{', '.join(undefined)} in the log-density {logpdf} is not a function symml knows (an "
                             "undefined sympy.Function); write it with SymPy's own function (sympy.besseli(0, x*b) "
                             "for I₀)")
        symbols = set(data) if joint else {data}
        if not symbols & logpdf.free_symbols and support is None:
            raise ModelError(f"the log-density {logpdf} does not depend on the data symbol {data}; a flat density "
                             "(a uniform or improper prior) needs its support: pass support=, e.g. sympy.Reals")
        logpdf = _logs_of_cases(logpdf)
        smooth, condition = _on_support(logpdf, support)
        if joint and support is None:
            if condition is not sp.true:
                raise ModelError("pass support= for a joint density written as a Piecewise")
            support = sp.ProductSet(*(sp.S.Reals for _ in data))
        if support is None:
            support = _interval(condition, data)
            if not joint and data.is_integer and condition is not sp.true:  # {1, ..., N}, not [1, N]
                support = sp.Intersection(support, sp.S.Integers)
        elif not joint and condition is not sp.true:
            support = _narrower(support, condition, data)
        support_set = _with_symbolic_range_ends(cast(sp.Set, support))  # text was read into a set above
        _refuse_namesakes(logpdf.free_symbols | support_set.free_symbols)
        if parameters is None:  # a parameter may appear only in the support (Uniform(theta, theta + 1))
            parameters = sorted((logpdf.free_symbols | support_set.free_symbols) - symbols, key=lambda s: s.name)
        object.__setattr__(self, "logpdf", logpdf)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "support", support_set)
        object.__setattr__(self, "parameters", tuple(parameters))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "random_variable", random_variable)
        object.__setattr__(self, "log_density_on_support", smooth)


def _typed_support(text: str, data: Any, logpdf: Any) -> sp.Set:
    """A support typed as bounds on the data, ``"x > 1"``, ``"0 < x < 1"``, ``"x >= 0"`` or ``"x \\ge 0"``: the
    interval (the integers in it for integer data), its symbols those of the density of the same name. Passed
    to the model as text, it raised a raw AttributeError."""
    from symml.user_text import read_chain

    if not isinstance(data, sp.Symbol):
        raise ModelError("a support typed as text bounds one observation; pass a SymPy set for joint or vector data")
    try:
        chain = read_chain(text.replace(">=", "\\ge ").replace("<=", "\\le "))
    except ParseError as error:
        raise ModelError(f"cannot read the support {text!r}: {error}") from None
    by_name = {**{s.name: s for s in getattr(logpdf, "free_symbols", ())}, data.name: data}
    sides = [side.xreplace({s: by_name.get(s.name, s) for s in side.free_symbols}) for _, side in chain]
    low, high, low_open, high_open = sp.S.NegativeInfinity, sp.S.Infinity, True, True
    for (relation, _), left, right in zip(chain[1:], sides, sides[1:]):
        if relation not in ("<", "≤", ">", "≥") or data not in (left, right) or left == right:
            raise ModelError(f"a support typed as text is bounds on {data}, e.g. '{data} > 0' or '0 < {data} < 1'; "
                             f"read {text!r}")
        small, large = (left, right) if relation in ("<", "≤") else (right, left)
        if large == data:
            low, low_open = small, relation in ("<", ">")
        else:
            high, high_open = large, relation in ("<", ">")
    interval = sp.Interval(low, high, low_open, high_open)
    # x! or a binomial coefficient in x: a pmf of counts, as a user typing 'x >= 1' for a zero-truncated Poisson
    # means (over the reals its normaliser is an integral the derivation spent its whole 30 s budget on)
    counts = data.is_integer or isinstance(logpdf, sp.Basic) and any(
        f.has(data) for f in logpdf.atoms(sp.factorial, sp.binomial))
    return sp.Intersection(interval, sp.S.Integers) if counts else interval


def _log_of_density_given(logpdf: Any, pdf: Any, data: Any) -> Any:
    """The log-density from what the user gave: ``logpdf``, or the density itself (``pdf``, a SymPy expression or
    typed text; by cases, 0 off its support), whose log the model takes."""
    if data is None:
        raise ModelError("a model needs data=: the symbol of one observation (or its name in a typed density)")
    if (logpdf is None) == (pdf is None):
        raise ModelError("give the density of one observation once: as logpdf= (its logarithm) or as pdf=")
    if pdf is None:
        return logpdf
    if isinstance(pdf, str):
        pdf = _read(pdf, "the density")
    if not isinstance(pdf, sp.Expr):
        raise ModelError(f"pdf must be a SymPy expression or typed text, not {type(pdf).__name__}")
    return sp.log(pdf)


def _read(text: str, what: str) -> Any:
    """``text`` typed by the user read without evaluating code (:func:`~symml.user_text.read_expression`); what it
    cannot read is a ModelError naming ``what`` ("the density")."""
    from symml.user_text import read_expression

    try:
        return read_expression(text, what)
    except ParseError as error:
        raise ModelError(f"cannot read {what}: {error}") from None


def _logs_of_cases(logpdf: sp.Expr) -> sp.Expr:
    """The log of a density written by cases (log(Piecewise((1/θ, 0 ≤ x ≤ θ), (0, True)))) or of an indicator
    (log Heaviside(x − θ)) as a log-density by cases, −∞ where the density is 0: the log of the Piecewise reached
    the code printer as log 0 = zoo (a raw KeyError), and Heaviside's derivative DiracDelta had no NumPy function."""
    cases = {}
    for log in logpdf.atoms(sp.log):
        inner = log.args[0]
        if isinstance(inner, sp.Piecewise):
            cases[log] = sp.Piecewise(*((sp.log(value) if value != 0 else -sp.oo, condition)
                                        for value, condition in inner.args))
        elif isinstance(inner, sp.Heaviside):
            cases[log] = sp.Piecewise((0, inner.args[0] >= 0), (-sp.oo, True))
    return sp.piecewise_fold(logpdf.xreplace(cases)) if cases else logpdf


def _read_typed(logpdf: Any, data: Any, parameters: Sequence[Any]) -> tuple[Any, Any]:
    """A log-density typed as a string, and the data named in it: the symbols the reader made, so that the
    names agree (a user's ``sp.Symbol("x")`` for data in a typed density is matched by its name). A parameter
    passed as a SymPy Symbol, or a symbol of the support (``Range(1, N + 1)``), replaces the one of its name, with
    its assumptions (``k`` positive, ``N`` a positive integer)."""
    if isinstance(logpdf, str):
        logpdf = _read(logpdf, "the log-density")
    # the data passed as a Symbol is the one the density's namesake becomes, with its assumptions (an integer x: a
    # pmf's support); read by name only, a typed pdf's x stayed apart from it and was estimated as a parameter
    given = {d.name: d for d in (data if isinstance(data, tuple) else (data,)) if isinstance(d, sp.Symbol)}
    if isinstance(logpdf, sp.Basic) and given:
        logpdf = logpdf.xreplace({s: given[s.name] for s in logpdf.free_symbols if s.name in given})
    data = tuple(_named(logpdf, d) for d in data) if isinstance(data, tuple) else _named(logpdf, data)
    logpdf = _real_parameters(logpdf, set(data) if isinstance(data, tuple) else {data})
    declared = {p.name: p for p in parameters if isinstance(p, sp.Symbol)}
    if isinstance(logpdf, sp.Basic) and declared:
        logpdf = logpdf.xreplace({s: declared[s.name] for s in logpdf.free_symbols if s.name in declared})
    return logpdf, data


def _refuse_namesakes(symbols: set[sp.Symbol]) -> None:
    """ModelError for two different symbols of one name (``N`` in the density and ``N`` integer in the support):
    SymPy keeps them apart, so a normaliser H(N, a) would not be summed over the support's N."""
    by_name: dict[str, sp.Symbol] = {}
    for symbol in sorted(symbols, key=sp.default_sort_key):
        other = by_name.setdefault(symbol.name, symbol)
        if other != symbol:
            raise ModelError(f"two different symbols are named {symbol.name} ({_described(other)} and "
                             f"{_described(symbol)}): SymPy takes them for different parameters; make one symbol "
                             "and use it in the log-density and the support")


def _described(symbol: sp.Symbol) -> str:
    said = [name for name in ("integer", "positive", "nonnegative", "real") if symbol.assumptions0.get(name)]
    return " ".join(said[:2]) if said else "no assumptions"


def _real_parameters(logpdf: Any, data: set[Any]) -> Any:
    """``logpdf`` with its parameters named i, j, k or l real: the reader makes those names integers, as summation
    indices are in notes, but in a density they are parameters (a Mielke or chi shape ``k``), and an integer
    parameter is estimated as one (k = 11 where the maximiser is 10.52). Data and the indices of data keep theirs."""
    from symml.checker.vocabulary import INDEX_NAMES

    if not isinstance(logpdf, sp.Basic):
        return logpdf
    indices = {s for indexed in logpdf.atoms(sp.Indexed) for s in indexed.indices if isinstance(s, sp.Symbol)}
    renamed = {s: sp.Symbol(s.name, real=True) for s in logpdf.free_symbols
               if s.name in INDEX_NAMES and s.is_integer and s not in data and s not in indices}
    return logpdf.xreplace(renamed)


def _named(expr: Any, name: Any) -> Any:
    """The symbol of ``expr`` called ``name`` (a string, LaTeX such as ``\\sigma_2`` read as the symbol it
    writes, or a symbol); a new real symbol when it has none."""
    if isinstance(name, str) and "\\" in name:
        from symml.user_text import read_expression

        written = read_expression(name, "the data's name")
        name = written.name if isinstance(written, sp.Symbol) else name
    text = name if isinstance(name, str) else getattr(name, "name", None)
    if text is None:
        return name
    found = [s for s in getattr(expr, "free_symbols", ()) if getattr(s, "name", None) == text]
    return found[0] if found else (name if isinstance(name, sp.Basic) else sp.Symbol(text, real=True))


def _set_vector_model(model: Model, logpdf: Any, data: sp.MatrixSymbol, parameters: Sequence[Any] | None,
                      name: str) -> None:
    """A log-density over a vector or a matrix (matrix level): a scalar or 1 x 1 expression in it."""
    if not isinstance(logpdf, sp.Expr) or getattr(logpdf, "shape", (1, 1)) != (1, 1):
        raise ModelError(f"the log-density over {data.name} must be a scalar (or 1 x 1) SymPy expression")
    if data not in logpdf.atoms(sp.MatrixSymbol):
        raise ModelError(f"the log-density {logpdf} does not depend on the data {data.name}")
    if parameters is None:
        parameters = sorted((logpdf.free_symbols | logpdf.atoms(sp.MatrixSymbol)) - {data}, key=lambda s: s.name)
    for attribute, value in (("logpdf", logpdf), ("data", data), ("support", sp.S.Reals),
                             ("parameters", tuple(parameters)), ("name", name), ("random_variable", None),
                             ("log_density_on_support", logpdf)):
        object.__setattr__(model, attribute, value)


def _set_joint_vector_model(model: Model, logpdf: Any, data: tuple, support: sp.Set | None,
                            parameters: Sequence[Any] | None, name: str) -> None:
    """The density of one draw of a vector observed together with scalars ((x, y): a feature vector and its
    class), read at matrix level (:mod:`symml.mle.joint_vectors`): a scalar or 1 x 1 expression."""
    from symml.matrix_calculus.algebra import to_scalar

    if not all(isinstance(d, sp.Symbol) or (isinstance(d, sp.MatrixSymbol) and d.shape[1] == 1) for d in data):
        raise ModelError("a joint density's data must be Symbols and column vectors (symml.vector), not a matrix")
    if not isinstance(logpdf, sp.Expr) or getattr(logpdf, "shape", (1, 1)) != (1, 1):
        raise ModelError(f"the log-density of {', '.join(map(str, data))} must be a scalar (or 1 x 1) SymPy "
                         "expression")
    smooth = to_scalar(logpdf)
    if not any(smooth.has(d) for d in data):
        raise ModelError(f"the log-density {logpdf} does not depend on the data {', '.join(map(str, data))}")
    if support is None:
        support = sp.ProductSet(*(sp.S.Reals for _ in data))
    if parameters is None:
        dimensions = set().union(*(sp.sympify(k).free_symbols for m in smooth.atoms(sp.MatrixSymbol) for k in m.shape))
        found = (smooth.free_symbols | smooth.atoms(sp.MatrixSymbol)) - set(data) - dimensions
        parameters = sorted(found, key=lambda s: s.name)
    for attribute, value in (("logpdf", logpdf), ("data", data), ("support", support),
                             ("parameters", tuple(parameters)), ("name", name), ("random_variable", None),
                             ("log_density_on_support", smooth)):
        object.__setattr__(model, attribute, value)


def _on_support(logpdf: sp.Expr, support: sp.Set | None) -> tuple[sp.Expr, sp.Basic]:
    """The log-density where it is finite, and the condition for that (a Piecewise with a -oo branch). With the
    support given, a Piecewise of finite branches only is the log-density by cases (PyMC's ZeroInflatedPoisson:
    one branch at k = 0, one elsewhere)."""
    if not isinstance(logpdf, sp.Piecewise):
        return logpdf, sp.true
    finite = [(value, condition) for value, condition in logpdf.args if value is not sp.S.NegativeInfinity]
    if len(finite) == len(logpdf.args) > 1 and support is not None:
        return logpdf, sp.true
    if len(finite) != 1:
        raise ModelError(
            "a Piecewise log-density must have one finite branch and -oo elsewhere (the support), or, with support= "
            f"given, finite branches only (a log-density by cases); got {len(finite)} finite branches"
            + ("" if support is not None else " and no support=")
        )
    return finite[0]


def _narrower(support: sp.Set, condition: sp.Basic, x: sp.Symbol) -> sp.Set:
    """The given ``support`` narrowed by a Piecewise log-density's ``condition`` (where the density is not 0): a
    support [0, ∞) beside a density 1/θ on 0 ≤ x ≤ θ is [0, θ]. Ignoring the condition made the density integrate to
    ∞ ("not a probability density") and let observations where it is 0 into the likelihood. A condition that
    cannot be read as bounds on x (the case where the reader asks for ``support=``) leaves the support as given."""
    try:
        read = _interval(condition, x)
    except ModelError:
        return support
    whole = _interval_of_integers(support)
    if isinstance(support, sp.Interval):
        narrowed = _intersected(support, read)
    elif whole is not None:
        # {1, 2, ...} beside x ≤ N (Hogg's discrete uniform on 1..N): the integers of [1, N], the form the support
        # rules read; Range(1, ∞) ∩ (0, N] stayed unevaluated and the MLE of N was refused
        narrowed = sp.Intersection(_intersected(whole, read), sp.S.Integers)
    else:
        narrowed = sp.Intersection(support, read)
    if narrowed is sp.S.EmptySet:
        raise ModelError(f"the support {support} and the Piecewise condition {condition} have no point in common")
    return narrowed


def _interval_of_integers(support: sp.Set) -> sp.Interval | None:
    """The interval whose integers ``support`` is (Range(1, ∞): [1, ∞); ℕ; ℤ ∩ [1, N]), else None."""
    from symml.mle.statistics import interval_support

    if isinstance(support, sp.Range):
        return sp.Interval(support.inf, support.sup) if support.step == 1 and support.size else None
    held = interval_support(support)
    return held[0] if held is not None and held[1] else None


def _intersected(first: sp.Interval, second: sp.Interval) -> sp.Set:
    """Two intervals' intersection bound by bound: SymPy leaves [0, ∞) ∩ [0, θ] unevaluated for a symbol θ > 0."""
    ends = []
    for pick, ((a, a_open), (b, b_open)) in ((sp.Max, ((first.inf, first.left_open), (second.inf, second.left_open))),
                                             (sp.Min, ((first.sup, first.right_open), (second.sup, second.right_open)))):
        end = pick(a, b)
        ends.append((end, (a_open and end == a) or (b_open and end == b)))
    (lower, left_open), (upper, right_open) = ends
    return sp.Interval(lower, upper, left_open, right_open)


def _with_symbolic_range_ends(support: sp.Set) -> sp.Set:
    """A Range whose ends are symbols, Range(1, N + 1), as the integers of the interval [1, N]: SymPy gives such a
    Range no inf or sup (it raises ValueError), which every reading of the support needs."""
    if not (isinstance(support, sp.Range) and support.free_symbols):
        return support
    if support.step != 1:
        raise ModelError(f"a support {support} with symbolic ends must step by 1")
    return sp.Intersection(sp.Interval(support.start, support.stop - 1), sp.S.Integers)


def _interval(condition: sp.Basic, x: sp.Symbol) -> sp.Set:
    """The interval of x where ``condition`` (a conjunction of bounds on x) holds."""
    if condition is sp.true:
        return sp.S.Reals
    bounds = [part for bound in (condition.args if isinstance(condition, sp.And) else (condition,))
              for part in _without_abs(bound, x) if part is not sp.true]
    lower, upper, left_open, right_open = sp.S.NegativeInfinity, sp.S.Infinity, True, True
    if x.is_nonnegative:  # SymPy drops a bound x >= 0 of a positive x as True: the symbol's own domain keeps it
        lower, left_open = sp.S.Zero, bool(x.is_positive)
    for bound in bounds:
        if not isinstance(bound, (sp.StrictGreaterThan, sp.GreaterThan, sp.StrictLessThan, sp.LessThan)):
            raise ModelError(f"cannot read a support from the condition {bound}; pass support= explicitly")
        end, is_lower = _solved_for(bound, x)
        strict = isinstance(bound, (sp.StrictGreaterThan, sp.StrictLessThan))
        if is_lower:
            lower, left_open = end, strict
        else:
            upper, right_open = end, strict
    return sp.Interval(lower, upper, left_open or lower.is_infinite, right_open or upper.is_infinite)


def _without_abs(bound: sp.Basic, x: sp.Symbol) -> tuple[sp.Basic, ...]:
    """|u| < d with d free of x as the two bounds −d < u and u < d (Hogg's U(−θ, θ) written |x| < θ); any other
    bound as it is."""
    if not isinstance(bound, (sp.StrictGreaterThan, sp.GreaterThan, sp.StrictLessThan, sp.LessThan)):
        return (bound,)
    below = isinstance(bound, (sp.StrictLessThan, sp.LessThan))
    small, large = (bound.lhs, bound.rhs) if below else (bound.rhs, bound.lhs)
    if not (isinstance(small, sp.Abs) and small.has(x)) or large.has(x):
        return (bound,)
    relation = sp.StrictLessThan if isinstance(bound, (sp.StrictLessThan, sp.StrictGreaterThan)) else sp.LessThan
    return relation(-large, small.args[0]), relation(small.args[0], large)


def _solved_for(bound: sp.Basic, x: sp.Symbol) -> tuple[sp.Expr, bool]:
    """A bound linear in x as (its end, whether it bounds x from below): the condition θ > −x that SymPy makes of
    x > −θ (Hogg's U(−θ, θ)) and 2x ≤ θ, solved by the sign of x's coefficient."""
    difference = bound.lhs - bound.rhs  # the bound is: difference > 0 (or >=, <, <=)
    slope = sp.diff(difference, x)
    if slope.has(x) or not (slope.is_positive or slope.is_negative):
        raise ModelError(f"cannot read a support from the condition {bound}; pass support= explicitly")
    greater = isinstance(bound, (sp.StrictGreaterThan, sp.GreaterThan))
    return sp.cancel(-(difference - slope * x) / slope), greater == bool(slope.is_positive)


_SINGLE = (SingleContinuousDistribution, SingleDiscreteDistribution, SingleFiniteDistribution)


def as_model(source: Any, observation: sp.Symbol | None = None) -> Model:
    """A :class:`Model` from a Model, a univariate sympy.stats random variable, or a family name.

    The log-density is SymPy's density of the random variable; a finite support {v_1..v_k} whose probability
    table SymPy returns as a Piecewise is rewritten as a product of powers, f(x) = prod_j f(v_j)^{l_j(x)}, with
    the Lagrange polynomials l_j (l_j(v_m) = [j = m]), which is exact on the support and differentiable in x
    (for the Bernoulli: p^x (1 - p)^(1 - x)).

    Raises:
        ModelError: not a random variable, or a multivariate one; a Model of a vector or a joint density.
        UnknownFamilyError: a string that is not a family name.

    >>> import sympy.stats as st
    >>> p = sp.Symbol("p", positive=True)
    >>> as_model(st.Bernoulli("X", p)).logpdf
    x*log(p) + (1 - x)*log(1 - p)
    """
    if isinstance(source, Model):
        if isinstance(source.data, sp.MatrixSymbol):
            raise ModelError(f"{source.name} is over the matrix symbol {source.data.name}: matrix-level models go to "
                             "symml.derive.posterior and map (read as Gaussians), gradient and stationary_point")
        if isinstance(source.data, tuple):
            raise ModelError(f"{source.name} is a joint density of {', '.join(map(str, source.data))}: here the "
                             "density of one observation is needed; a joint density is a prior over several "
                             "parameters (symml.derive.posterior or map with wrt=(...))")
        return source
    if isinstance(source, str):
        from symml.mle.families import random_variable

        source = random_variable(source)
    if not isinstance(source, RandomSymbol):
        raise ModelError(
            f"a model must be a sympy.stats random variable (e.g. sympy.stats.Normal('X', mu, sigma)), "
            f"a family name or a symml.Model, not {type(source).__name__}"
        )
    distribution = getattr(source.pspace, "distribution", None)
    if not isinstance(distribution, _SINGLE):
        raise ModelError(
            f"{source} is a multivariate random variable; maximum likelihood here is univariate only. "
            "Write the log-likelihood in matrix form and use symml.derive.gradient / symml.derive.hessian"
        )
    check_parameters(source)
    x = observation if observation is not None else sp.Symbol(_free_name(distribution), real=True)
    try:
        density = distribution.pmf(x) if isinstance(distribution, SingleFiniteDistribution) else distribution.pdf(x)
        if isinstance(density, sp.Lambda):  # a FiniteRV's probability table comes back unapplied
            density = density(x)
        if isinstance(distribution, SingleFiniteDistribution) and not density.has(x):
            # DiscreteUniform's pmf looks a symbolic x up among its values and answers 0 (E[D^2] of a die was NaN):
            # the density is its table
            density = sp.Piecewise(*((p, sp.Eq(x, k)) for k, p in sorted(distribution.dict.items(),
                                                                          key=lambda item: sp.default_sort_key(item[0]))),
                                   (0, True))
        support = distribution.set if isinstance(distribution.set, sp.Set) else sp.FiniteSet(*distribution.set)
        # B(θ, 1) = 1/θ: a normaliser with a whole-number shift is a rational function of the parameter
        density = integer_shifts_expanded(density, set(density.free_symbols - {x}))
        if isinstance(distribution, SingleContinuousDistribution):
            support = real_support(density, x, support)  # SymPy's Kumaraswamy on [0, ∞): complex past 1
        logpdf = _log_of_density(density, x)
    except (TypeError, ValueError, NotImplementedError, AttributeError) as failure:
        raise ModelError(f"SymPy cannot write the density of {source} as one expression in {x}: {failure}") from None
    from symml.mle.families import parameters_of

    return Model(
        logpdf=logpdf,
        data=x,
        support=support,
        parameters=parameters_of(source),
        name=f"${latex(source)} \\sim {latex(distribution)}$",
        random_variable=source,
    )


def check_parameters(random_variable: Any) -> None:
    """Raise ModelError when a parameter of the sympy.stats ``random_variable`` is provably outside its range.

    SymPy's distributions state their parameters' ranges in their own ``check`` (a Gumbel's scale > 0, a
    covariance positive definite), which sympy.stats runs when it builds a variable, but not when a parameter is
    substituted afterwards: ``Gumbel("X", b, mu).subs(b, -2)`` has a density that integrates to −1, and E[X] came
    out as a number. Every law read from sympy.stats passes here; a range SymPy cannot decide (a scale declared
    only real) passes too. The handmade laws' checks integrate the user's density (not a parameter range) and
    are skipped: a density typed by the user is checked by :func:`symml.mle.normalisation.check_density`.

    >>> import sympy.stats as st
    >>> b = sp.Symbol("b", positive=True)
    >>> check_parameters(st.Gumbel("X", b, 0).subs(b, -2))
    Traceback (most recent call last):
    ...
    symml.errors.ModelError: X ~ Gumbel(-2, 0, False) has a parameter outside its range: Scale parameter beta must be positive.
    """
    distribution = getattr(getattr(random_variable, "pspace", None), "distribution", None)
    check = getattr(distribution, "check", None)
    if distribution is None or check is None or type(distribution).__name__.endswith("DistributionHandmade") and \
            not isinstance(distribution, SingleFiniteDistribution):
        return
    try:
        check(*distribution.args)
    except ValueError as failure:
        family = type(distribution).__name__.removesuffix("Distribution")
        arguments = ", ".join(map(str, distribution.args))
        raise ModelError(f"{random_variable} ~ {family}({arguments}) has a parameter outside its range: {failure}") \
            from None
    except (TypeError, NotImplementedError):  # a check SymPy cannot run on these arguments decides nothing
        return


def _free_name(distribution: Any) -> str:
    """A name for the observation that no parameter has: with x itself a parameter (Normal(x, 1)) the density of a
    value named x would be written in x − x = 0 (E[X²] came out ∞)."""
    taken = {str(s) for s in distribution.free_symbols}
    return next(name for name in ("x", "u", "t", "z", "v", "w", "x_0") if name not in taken)


def _log_of_density(density: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """log f on its support: a probability table over points becomes a sum of Lagrange-weighted logs."""
    if not isinstance(density, sp.Piecewise):
        return sp.log(density)
    points = [(condition.rhs if condition.lhs == x else condition.lhs, value)
              for value, condition in density.args if isinstance(condition, sp.Eq)]
    positive = [(value, condition) for value, condition in density.args if value != 0]
    if points and len(points) == len(positive) and len({value for _, value in points}) == 1:
        return sp.log(points[0][1])  # equally likely points: log f is that constant on the support
    if points and len(points) == len(positive):
        return sp.Add(*(_lagrange(point, [p for p, _ in points], x) * sp.log(value) for point, value in points))
    if len(positive) == 1:
        return sp.log(positive[0][0])
    raise ModelError(f"cannot write the density {density} as one expression on its support")


def _lagrange(point: sp.Expr, points: list[sp.Expr], x: sp.Symbol) -> sp.Expr:
    """The Lagrange polynomial that is 1 at ``point`` and 0 at the other ``points``."""
    return sp.Mul(*((x - other) / (point - other) for other in points if other != point))

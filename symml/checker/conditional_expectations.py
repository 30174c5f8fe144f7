r"""Conditional expectations and variances as notes write them: ``\mathbb{E}[X \mid Y]``, ``E(Y \mid X = x)``,
``\mathbb{E}_{Y \mid X}[g]``, ``\mathbb{V}[Y \mid X = x]``, ``\mathrm{Var}(X \mid Y)``.

``E[g | Y]`` is an opaque function of the conditioning values, linear in g: the factors of a term of g that
depend only on the conditioning variables (and constants) come out, ``E[h(Y) X + c | Y] = h(Y) E[X | Y] + c``
("taking out what is known"). Given an event ``X = x``, X is x in g: ``E[(Y - f(X))^2 | X = x]`` is
``E[(Y - f(x))^2 | X = x]``. The random variables of g are those the subscript names before its bar
(``E_{Y \mid X}``), else its capital letters (and epsilon), as for :mod:`symml.checker.latex_expectations`.
``Var(g | Y) = E[g^2 | Y] - E[g | Y]^2``.

Inside an expectation under the law the notes leave unnamed (``E[...]``, ``E_X``, ``E_{X, Y}``: the joint law),
a conditional expectation given variables of that law is replaced by its argument, when the rest of the product
depends only on those variables: the tower rule ``E[E[X | Y]] = E[X]`` and ``E[h(Y) E[X | Y]] = E[h(Y) X]``.
The law of total variance is then algebra.

>>> from symml.checker.parse_latex import parse_latex
>>> parse_latex(r"\mathbb{E}[\mathbb{E}[X \mid Y]] = \mathbb{E}[X]")
[('', E(X_)), ('=', E(X_))]
>>> parse_latex(r"\mathrm{Var}(X) = \mathbb{E}[\mathrm{Var}(X \mid Y)] + \mathrm{Var}(\mathbb{E}[X \mid Y])")[1][1]
-E(X_)**2 + E(X_**2)
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.events import top_level
from symml.checker.latex_tokens import SEPARATORS, ReaderBase
from symml.errors import ParseError

__all__ = ["conditional_operator", "conditional_expectation", "tower_rule", "CONDITIONAL"]

#: ``E[g | given]``: the argument g, then the conditioning values. Its random variables keep their names (an
#: expectation over them binds them, as it binds those of the rest of its argument).
CONDITIONAL = sp.Function("E_given", real=True)
_EXPECTATIONS = {"E", "Exp", "Expect"}
_VARIANCES = {"Var", "var", "V", "Variance"}


def _random_looking(symbol: Any) -> bool:
    """A capital letter (``X``, ``X_i``) or epsilon: a random variable where no law says which names are."""
    if isinstance(symbol, sp.Indexed):
        symbol = symbol.base.label
    return isinstance(symbol, sp.Symbol) and (symbol.name[:1].isupper() or symbol.name in ("epsilon", "varepsilon"))


def conditional_expectation(body: Any, given: list[Any], random: frozenset | None = None) -> Any:
    """``E[body | given]``: linear in body, the known factors of each term outside (see the module)."""
    conditioning = set().union(*(sp.sympify(g).free_symbols for g in given))
    value = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(sp.sympify(body))):
        known: list[Any] = []
        unknown: list[Any] = []
        for factor in sp.Mul.make_args(term):
            others = sp.sympify(factor).free_symbols - conditioning
            is_random = any(s in random for s in others) if random is not None else any(map(_random_looking, others))
            (unknown if is_random else known).append(factor)
        if not unknown:
            value += term
            continue
        value += sp.Mul(*known) * CONDITIONAL(sp.Mul(*unknown), *given)
    return value


def tower_rule(part: Any, law: str, random: frozenset | None) -> Any:
    """The random part of a term of an expectation under ``law`` of the variables ``random`` (None: every name),
    with a conditional expectation given variables of that law (the joint law, ``law`` ""; the rest of the part a
    function of them) replaced by its argument."""
    if law:
        return part
    factors = sp.Mul.make_args(part)
    found = [f for f in factors if isinstance(f, AppliedUndef) and f.func is CONDITIONAL]
    if len(found) != 1:
        return part
    (inner,) = found
    conditioning = set().union(*(sp.sympify(g).free_symbols for g in inner.args[1:]))
    if not all(_random_looking(s) for s in conditioning):  # given X = x: a function of x, not of the law's X
        return part
    if random is not None and not conditioning <= random:  # E_X[E[X | Y]]: Y is not averaged over
        return part
    rest = sp.Mul(*[f for f in factors if f is not inner])
    if not rest.free_symbols <= conditioning:
        return part
    argument = inner.args[0]  # its random variables bound as the expectation binds its own (x -> x_)
    return rest * argument.xreplace({s: sp.Symbol(f"{s.name}_", **s.assumptions0) for s in argument.free_symbols
                                     if _random_looking(s) and s not in conditioning})


def conditional_operator(reader: ReaderBase, name: str) -> Any:
    """``E[g | Y]``, ``E_{Y | X}[g]``, ``Var(X | Y)`` ahead of the reader, read (see the module); None, nothing
    read, when the expectation ahead has no bar in its subscript or at the top level of its brackets."""
    if name not in _EXPECTATIONS | _VARIANCES:
        return None
    start = reader.position
    random: frozenset | None = None
    given: list[Any] = []
    if reader.at("char", "_"):
        reader.take()
        tokens = reader.group_tokens() if reader.at("char", "{") else [reader.take()]
        bar = _top_level_bar(tokens)
        if bar is None or ("cmd", "sim") in tokens:  # E_{q(z | x)}, E_{z \sim q(z | x)}: a law, not a condition
            reader.position = start
            return None
        random = frozenset(reader.sub_reader(tokens[:bar]).listed("conditional expectation"))
        given = reader.sub_reader(tokens[bar + 1:]).listed("conditional expectation")
    elif not _bar_ahead(reader):
        return None
    try:
        return _read(reader, name, random, given)
    except ParseError:
        if random is not None:
            raise
        reader.position = start  # a bar of |x| in the argument: an expectation without a condition
        return None


def _top_level_bar(tokens: list[tuple[str, str]]) -> int | None:
    """The position of the first bar outside brackets in a subscript (``Y | X``; not the bar of ``q(z | x)``)."""
    depth = 0
    for position, token in enumerate(tokens):
        depth += {("char", "("): 1, ("char", ")"): -1}.get(token, 0)
        if depth == 0 and token in SEPARATORS and token != ("char", ";"):
            return position
    return None


def _read(reader: ReaderBase, name: str, random: frozenset | None, given: list[Any]) -> Any:
    closing = reader.open_bracket("the argument of an expectation")  # type: ignore[attr-defined]
    reader.expectation_depth += 1
    reader.in_absolute_value += 1  # a bar ends the argument here
    try:
        body = reader.expression()
        events: list[tuple[Any, Any]] = []
        if reader.peek() in SEPARATORS:
            reader.take()
            events = _events(reader)
    finally:
        reader.expectation_depth -= 1
        reader.in_absolute_value -= 1
    reader.close_bracket(closing)  # type: ignore[attr-defined]
    if not given and not events:
        raise reader.error("a conditional expectation without a condition")
    for variable, value in events:
        if variable in given:  # E_{Y | X}[g | X = x]: the subscript conditions on X already
            continue
        body = body.xreplace({variable: value})
        given.append(value)
    if name in _VARIANCES:
        return conditional_expectation(body ** 2, given, random) - conditional_expectation(body, given, random) ** 2
    return conditional_expectation(body, given, random)


def _events(reader: ReaderBase) -> list[tuple[Any, Any]]:
    """The conditions after the bar: ``X = x`` (the variable at a value) or ``X`` (the variable itself)."""
    events = []
    while True:
        variable = reader.expression()
        value = variable
        if reader.at("char", "="):
            reader.take()
            value = reader.expression()
        if not isinstance(variable, (sp.Symbol, sp.Indexed)):
            raise ParseError(f"cannot read the condition {variable} of a conditional expectation")
        events.append((variable, value))
        if not reader.at("char", ","):
            return events
        reader.take()


def _bar_ahead(reader: ReaderBase) -> bool:
    """Whether the bracket ahead (after any sizing command) has a bar at its top level."""
    return any(token in SEPARATORS and token != ("char", ";") for _, token in top_level(reader.tokens, reader.position))

r"""Probabilities of events as notes write them: ``p(X_i = x)``, ``P(Z_i = k \mid X_i = x)``, ``P(O \mid S)``,
``\Pr(x_i \mid Z_i = k)``, ``p_\theta(X_i = x_i)``, ``P_{\theta^{(t)}}(\mathbf{z} \mid \mathbf{x})``.

A probability is read as an opaque positive number, the *joint* probability of its events (and conditioning
events) over the joint probability of its conditioning events alone: ``P(A \mid B) = P(A, B) / P(B)``. Bayes'
rule and the product rule are then algebra (``P(A \mid B) P(B) = P(A, B)``), checked like any identity, and the
sum rule is a rewriting done while reading: a sum over every value of one variable (``\sum_{k=1}^K``, ``\sum_z``,
``\sum_{\mathbf{z}}``) of a term whose only dependence on the index is the value of that variable in one joint
probability is that probability without the variable (``\sum_k P(X = x, Z = k) = P(X = x)``; ``1`` when no
variable is left). A sum of several such terms is summed term by term; any other sum is left as it is.

A joint probability is an undefined positive function named for its variables (``P[X,Z]``) applied to the
parameter written as a subscript (``p_\theta``), then each variable's indices and value, in the order of the
variable names: ``P(X_i = x | Z_i = k)`` is ``P[X,Z](i, x, i, k) / P[Z](i, k)``. ``p``, ``P`` and ``\Pr`` are the
same probability. Which calls are probabilities of events: any call of ``p``/``P`` with an event ``A = a`` in it;
a call of ``P`` or ``\Pr`` on names only, or with a bar (``P(O \mid S)``); and in notes that write events anywhere
(:func:`writes_events`, asked before the notes are read), a call of ``p`` on names only
(``p_\theta(\mathbf{x}, \mathbf{z})`` next to ``P_\theta(\mathbf{z} \mid \mathbf{x})``). ``P(1 + e^z)`` stays a
product, ``p(x \mid \theta)`` in notes without events a density.

>>> from symml.checker.parse_latex import parse_latex
>>> parse_latex(r"P(Z = k \mid X = x) = \frac{P(X = x \mid Z = k) P(Z = k)}{P(X = x)}")[1][1]
P[X,Z](x, k)/P[X](x)
>>> parse_latex(r"\sum_{k=1}^K P(X = x \mid Z = k) P(Z = k)")[0][1]
P[X](x)
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.latex_tokens import SEPARATORS, TRANSPARENT, ReaderBase
from symml.errors import ParseError

__all__ = ["probability_of_events", "sum_rule", "set_index", "joint", "writes_events", "conditional_argument_ahead",
           "top_level"]

#: The letters (and commands) of a probability: ``p(...)``, ``P(...)``, ``\Pr(...)``, ``\mathbb{P}(...)``.
PROBABILITY_NAMES = ("p", "P", "Pr")
_CAPITALS = ("P", "Pr")
_ELLIPSES = {"dots", "ldots", "cdots"}
_OPENING = (("char", "("), ("char", "["), ("char", "{"))
_CLOSING = (("char", ")"), ("char", "]"), ("char", "}"))
#: The variables of each joint probability function made so far, by name: (parameters, ((base, indices), ...)).
_LAYOUTS: dict[str, tuple[int, tuple[tuple[str, int], ...]]] = {}

Event = tuple[str, tuple[Any, ...], Any]  # (variable name, its indices, its value)

_SUBSCRIPT = r"(?:\s*_\s*(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\?[A-Za-z]+))?\s*"
#: A probability of events somewhere in the notes: ``P(O | S)``, ``\Pr(x_i)``, ``p(X_i = x)``, ``p_\theta(Z = k)``.
_WRITES_EVENTS = re.compile(rf"(?:(?<![A-Za-z\\])P|\\Pr(?![A-Za-z])|\\mathbb\s*\{{P\}})"
                            rf"{_SUBSCRIPT}\([^()]*(?:\||\\mid|=)"
                            rf"|(?<![A-Za-z\\])p{_SUBSCRIPT}\([^()=]*=")


def top_level(tokens: list[tuple[str, str]], start: int) -> list[tuple[int, tuple[str, str]]]:
    """The tokens at the top level of the bracket that opens at ``start`` (after any sizing command such as
    ``\\left``), with their positions; none when no bracket opens there."""
    while start < len(tokens) and tokens[start][0] == "cmd":
        start += 1
    depth, found = 0, list[tuple[int, tuple[str, str]]]()
    for position in range(start, len(tokens)):
        token = tokens[position]
        if token in _OPENING:
            depth += 1
        elif token in _CLOSING or depth == 0:
            depth -= 1
            if depth <= 0:
                return found
        elif depth == 1:
            found.append((position, token))
    return found


def writes_events(text: str) -> bool:
    """Whether notes write probabilities of events (then ``p`` of names is a probability too, see the module)."""
    return _WRITES_EVENTS.search(text) is not None


def joint(parameters: list[Any], events: list[Event]) -> Any:
    """The joint probability of ``events`` (1 for none), under the ``parameters`` written as a subscript."""
    values: dict[tuple[str, tuple[Any, ...]], Any] = {}
    for base, indices, value in events:
        key = (base, tuple(indices))
        if key in values and values[key] != value:
            raise ParseError(f"the variable {base} has two values in one probability")
        values[key] = value
    if not values:
        return sp.Integer(1)
    keys = sorted(values, key=lambda key: (key[0], tuple(map(str, key[1]))))
    # one function per set of variables (X_i and X are two: "X_" and "X"), with or without a parameter
    name = ("P_θ[" if parameters else "P[") + ",".join(base + "_" * len(indices) for base, indices in keys) + "]"
    _LAYOUTS[name] = (len(parameters), tuple((base, len(indices)) for base, indices in keys))
    arguments = [*parameters, *(a for key in keys for a in (*key[1], values[key]))]
    return sp.Function(name, positive=True)(*arguments)


def _variable(expr: Any) -> tuple[str, tuple[Any, ...]] | None:
    """A random variable as an event names it: ``X``, ``X_i`` (``X[i]``), ``z_{nk}`` (``z[n, k]``)."""
    if isinstance(expr, sp.Symbol):
        return expr.name, ()
    if isinstance(expr, sp.Indexed):
        return str(expr.base.label), tuple(expr.indices)
    if isinstance(expr, sp.MatrixSymbol):
        return expr.name, ()
    return None


def probability_of_events(reader: ReaderBase, name: str) -> Any:
    """``name(...)`` read as a probability of events when it is one (see the module); else None, nothing read."""
    if name not in PROBABILITY_NAMES:
        return None
    start = reader.position
    parameters: list[Any] = []
    if reader.at("char", "_"):  # p_\theta(...), P_{\theta^{(t)}}(...): the parameter of the law
        reader.take()
        tokens = reader.group_tokens() if reader.at("char", "{") else [reader.take()]
        if not reader.at("char", "("):
            reader.position = start
            return None
        try:
            parameters = [reader.sub_reader(tokens).expression()]
        except ParseError:
            reader.position = start
            return None
    if not reader.at("char", "(") or not _worth_trying(reader, name):
        reader.position = start
        return None
    doubts = list(reader.namespace.doubts)
    try:
        read = _events(reader)
    except ParseError:
        read = None
    if read is None or not (read[3] or name in _CAPITALS or reader.namespace.events):
        reader.position = start
        reader.namespace.doubts[:] = doubts
        return None
    events, given, more_parameters, _ = read
    parameters += more_parameters
    return joint(parameters, events + given) / joint(parameters, given)


def _worth_trying(reader: ReaderBase, name: str) -> bool:
    """Whether the call ahead may be a probability of events: an ``=`` in it, a capital P, or notes with events;
    never inside an expectation (where ``p(z | x)`` is a density under Bayes' rule already)."""
    if any(token == ("char", "=") for _, token in top_level(reader.tokens, reader.position)):
        return True
    if reader.expectation_depth:
        return False
    return name in _CAPITALS or reader.namespace.events


def _events(reader: ReaderBase) -> tuple[list[Event], list[Event], list[Any], bool] | None:
    """The events before and after the bar of the call ahead, the parameters after a ``;``, and whether an
    ``A = a`` was written; None when an argument is not an event (``P(1 + e^z)``)."""
    reader.expect("char", "(")
    groups: list[list[Event]] = [[]]
    parameters: list[Any] = []
    after_semicolon = has_event = False
    ellipses: list[int] = []  # the groups with an ellipsis
    reader.in_absolute_value += 1  # a bar separates the events from the conditions here
    try:
        while True:
            if reader.at("cmd") and reader.peek()[1] in _ELLIPSES:
                reader.take()
                ellipses.append(len(groups) - 1)
            elif after_semicolon:
                parameters.append(reader.expression())
            else:
                variable = reader.expression()
                value = variable
                if reader.at("char", "="):
                    reader.take()
                    value = reader.expression()
                    has_event = True
                key = _variable(variable)
                if key is None:
                    return None
                groups[-1].append((key[0], key[1], value))
            if reader.at("char", ","):
                reader.take()
            elif reader.peek() == ("char", ";"):
                reader.take()
                after_semicolon = True
            elif reader.peek() in SEPARATORS and len(groups) == 1 and not after_semicolon:
                reader.take()
                groups.append([])
            else:
                break
    finally:
        reader.in_absolute_value -= 1
    reader.expect("char", ")")
    groups = [_listed(group) if number in ellipses else group for number, group in enumerate(groups)]
    return groups[0], (groups[1] if len(groups) > 1 else []), parameters, has_event


def conditional_argument_ahead(reader: ReaderBase) -> bool:
    """Whether the brackets ahead hold ``a \\mid b`` or ``a | b``: one bar at their top level, after a name (so not
    the bars of an absolute value ``(|a| + b)``)."""
    bars = [position for position, token in top_level(reader.tokens, reader.position)
            if token in (("char", "|"), ("cmd", "mid"))]
    return len(bars) == 1 and bars[0] > reader.position + 1 and reader.tokens[bars[0] - 1] not in (
        ("char", "("), ("char", "+"), ("char", "-"))


def _listed(events: list[Event]) -> list[Event]:
    """``o_1, o_2, \\dots, o_t`` (with other events): the listed variables as one variable, the range
    ``o[1:t]`` at the values ``o[1:t]`` (``X_1 = x_1, \\ldots, X_n = x_n``: ``X[1:n]`` at ``x[1:n]``), never the
    same variable as one of them alone."""
    def base(event: Event) -> str:
        return event[0].split("_")[0]

    def index(event: Event) -> str:
        return str(event[1][0]) if event[1] else event[0].partition("_")[2]

    listed = [e for e in events if base(e) == base(events[0])] if events else []
    if len(listed) < 2 or any(len(e[1]) > 1 for e in listed):
        raise ParseError("a list of events with an ellipsis is not read")
    values = {str(v.base.label) if isinstance(v, sp.Indexed) else str(v).split("_")[0] for _, _, v in listed}
    if len(values) != 1:
        raise ParseError("a list of events with an ellipsis over several values is not read")
    span = f"[{index(listed[0])}:{index(listed[-1])}]"
    whole = (base(listed[0]) + span, (), sp.Symbol(values.pop() + span, real=True))
    return [whole] + [e for e in events if e not in listed]


def set_index(reader: ReaderBase, lower: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The index of ``\\sum_{\\mathbf{z}}`` (a sum over every value of a vector z) as the letter z; the index
    of ``\\sum_{k'}`` (``\\sum_{\\mathbf{z}'}``, ``\\sum_{j'=1}^{V}``) as an index letter the row does not use,
    written for ``k'`` in the rest of the row."""
    bold = len(lower) >= 4 and lower[0][0] == "cmd" and lower[0][1] in TRANSPARENT and lower[1] == ("char", "{") \
        and lower[2][0] == "letter" and lower[3] == ("char", "}")
    if bold:
        lower = [lower[2], *lower[4:]]
    if not (len(lower) >= 2 and lower[0][0] == "letter" and lower[1] == ("char", "'")
            and (len(lower) == 2 or lower[2] == ("char", "="))):  # \sum_{k'}, \sum_{j'=1}^{V}
        return lower
    used = {letter for kind, value in reader.tokens if kind in ("letter", "word") for letter in value}
    fresh = next((letter for letter in "jklmt" if letter not in used), None)
    if fresh is None:
        return lower
    primed, tokens, kept = lower[0][1], reader.tokens, reader.tokens[:reader.position]
    position = reader.position
    while position < len(tokens):
        kind, value = tokens[position]
        wrapped = tokens[position:position + 5]
        if len(wrapped) == 5 and wrapped[0][0] == "cmd" and wrapped[0][1] in TRANSPARENT and wrapped[1:] == [
                ("char", "{"), ("letter", primed), ("char", "}"), ("char", "'")]:  # \mathbf{z}'
            kept.append(("letter", fresh))
            position += 5
        elif kind in ("letter", "word") and value.endswith(primed) and tokens[position + 1:position + 2] == [
                ("char", "'")]:  # k', L_{ik'}
            kept.append((kind, value[:-1] + fresh))
            position += 2
        else:
            kept.append((kind, value))
            position += 1
    reader.tokens = kept
    return [("letter", fresh), *lower[2:]]


def sum_rule(body: Any, index: Any, start: Any, end: Any, every_value: bool) -> Any:
    """``\\sum_index body`` with the sum rule applied (see the module), or None when it does not apply: the sum
    must run over every value (no limits written, or from 0 or 1 to a name such as K)."""
    if not (every_value or (start in (0, 1) and isinstance(end, sp.Symbol))) or not isinstance(index, sp.Symbol):
        return None
    if not any(str(f.func) in _LAYOUTS for f in sp.sympify(body).atoms(AppliedUndef)):
        return None
    summed = []
    for term in sp.Add.make_args(sp.expand_mul(body)):
        marginal = _marginal(term, index)
        if marginal is None:
            return None
        summed.append(marginal)
    return sp.Add(*summed)


def _marginal(term: Any, index: Any) -> Any:
    """``term`` summed over every value of the variable whose value is ``index``, or None."""
    factors = sp.Mul.make_args(term)
    found = [f for f in factors if isinstance(f, AppliedUndef) and str(f.func) in _LAYOUTS and index in f.free_symbols]
    if len(found) != 1:
        return None
    (probability,) = found
    rest = sp.Mul(*[f for f in factors if f is not probability])
    parameters, variables = _LAYOUTS[str(probability.func)]
    arguments = list(probability.args)
    if index in rest.free_symbols or any(index in sp.sympify(a).free_symbols for a in arguments[:parameters]):
        return None
    kept: list[Event] = []
    dropped = 0
    position = parameters
    for base, count in variables:
        indices, value = tuple(arguments[position:position + count]), arguments[position + count]
        position += count + 1
        if value == index and not any(index in sp.sympify(i).free_symbols for i in indices):
            dropped += 1
        elif index in sp.sympify(value).free_symbols or any(index in sp.sympify(i).free_symbols for i in indices):
            return None
        else:
            kept.append((base, indices, value))
    if dropped != 1:
        return None
    return rest * joint(arguments[:parameters], kept)

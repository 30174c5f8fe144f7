r"""Laws the notes declare, used by the expectations that follow: ``X \sim \mathcal{N}(\mu, \sigma^2)`` makes
``E[X^2]`` the second moment of that normal law, and ``P: X \sim \mathcal{N}(\mu_1, \sigma_1^2)`` (a law named P)
also gives the density p of that law, so ``\langle \ln p(x) \rangle_{p(x)}`` and ``\int p(x) \ln p(x) dx`` are
computed. The density p of a law P is a convention, not something the notes write: expectations computed
through it are read with a guess (never reported wrong).

>>> from symml.checker.vocabulary import Namespace
>>> namespace = Namespace()
>>> declare_law(r"P: \; X \sim \mathcal{N}(\mu_1, \sigma_1^2)", namespace)
>>> sorted(namespace.normal_laws)
['P', 'X']
"""
from __future__ import annotations

import re

import sympy as sp

from symml.checker.latex_expectations import record_normal_law
from symml.checker.parse_latex import parse_latex
from symml.checker.vocabulary import Namespace
from symml.errors import ParseError

__all__ = ["declare_law", "states_a_normal_law"]

#: ``[P: ] X \sim \mathcal{N}(a, b)``: the law's name, the random variable, the mean and the variance.
_NORMAL = re.compile(r"^\s*(?:([A-Z])\s*:\s*(?:\\[,;:!]\s*)*)?(.+?)\s*\\sim\s*\\mathcal\s*\{\s*N\s*\}\s*"
                     r"(?:\\left)?\s*\((.*)\)\s*$", re.S)


def states_a_normal_law(text: str) -> bool:
    r"""Whether ``text`` is a declaration ``[P: ] X \sim \mathcal{N}(a, b)`` and nothing else.

    >>> states_a_normal_law(r"x \sim \mathcal{N}(\mu, \sigma^2)"), states_a_normal_law(r"y = x \sim \mathcal{N}(0, 1)")
    (True, False)
    """
    match = _NORMAL.match(text.replace("\\right)", ")"))
    return match is not None and "=" not in match.group(2) and len(_top_level_split(match.group(3))) == 2


def declare_law(claim: str, namespace: Namespace) -> None:
    """Record the normal law a declaration row states (see the module), if it is one; anything else is ignored
    (a declaration is an assumption, never a claim)."""
    match = _NORMAL.match(claim.replace("\\right)", ")"))
    if match is None:
        return
    name, variable_text, parameters_text = match.groups()
    parameters = _top_level_split(parameters_text)
    if len(parameters) != 2:
        return
    doubts = list(namespace.doubts)
    try:
        variable = parse_latex(variable_text, namespace)[0][1]
        mean, variance = (parse_latex(text, namespace)[0][1] for text in parameters)
    except (ParseError, IndexError):
        return
    finally:
        namespace.doubts[:] = doubts
    if record_normal_law(namespace, variable, mean, variance) and name is not None:
        namespace.normal_laws[name] = (mean, variance)


def _top_level_split(text: str) -> list[str]:
    """``a, b`` split at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for position, character in enumerate(text):
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(character, 0)
        if character == "," and depth == 0:
            parts.append(text[start:position])
            start = position + 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


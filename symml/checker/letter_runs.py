r"""A run of letters read both ways: ``ywx`` in ``\frac{\partial}{\partial w} \log(1 + e^{-ywx})`` is one name
or the product y·w·x, and only the claim says which.

The reader takes a run it cannot place for one name and says so (a guess, so the claim is never called wrong on
it). Typed claims then came back undecided, or worse: read as a name, ``ywx`` does not depend on w, so the true
derivative ``-yx e^{-ywx}/(1 + e^{-ywx})`` was "Not equivalent". Here such a claim is read a second time with
every run a product of its letters, and decided by both readings together:

- it holds read as products: it holds (a name could not make it hold: a claim about an undefined name says
  nothing), with the reading said in the verdict's notes;
- it is wrong read either way (runs as names, runs as products): it is wrong, with the counterexample in the
  product reading;
- otherwise it stays undecided, with the first reading's reason.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Callable, Iterable

from symml.checker.verdict import Verdict, VerdictKind
from symml.errors import SymmlError

__all__ = ["runs_in_doubt", "all_read_as_names", "run_letters", "either_reading"]

#: A run of two or more letters that is not the name of a command (\frac, \log).
_RUN = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}")
_RUN_GUESS = re.compile(r"read (\w+) as (?:one name, not )?the product")


def runs_in_doubt(doubts: Iterable[str]) -> list[str]:
    """The runs the reader took for one name (or for a product) by a guess, when those are its only guesses (else
    none)."""
    doubts = list(doubts)
    runs = [match.group(1) for match in map(_RUN_GUESS.match, doubts) if match]
    return runs if len(runs) == len(doubts) else []


def all_read_as_names(doubts: Iterable[str]) -> bool:
    """Whether the first reading took every run in doubt for one name (so that the second reading is another)."""
    return all(" as one name, not the product " in doubt for doubt in doubts)


def run_letters(texts: Iterable[Any]) -> set[str]:
    """The letters of every run of letters in the claim's strings: with them all, each run reads as a product."""
    return {letter for text in texts if isinstance(text, str) for run in _RUN.findall(text) for letter in run}


def either_reading(as_names: Verdict, undecided: Verdict, as_products: Callable[[], tuple[Verdict, list[str]]],
                   runs: list[str], first_doubts: Iterable[str]) -> Verdict:
    """The verdict of a claim read first with ``runs`` as guessed (``as_names``, which ``undecided`` withheld;
    ``first_doubts`` say how) and, by ``as_products``, with every run a product (its verdict and that reading's
    own guesses). Wrong only when the first reading took every run for one name: two readings, both wrong."""
    try:
        products, doubts = as_products()
    except SymmlError:
        return undecided
    if doubts:
        return undecided
    reading = "read " + ", ".join(f"{run} as the product {' '.join(run)}" for run in runs)
    if products.kind.holds:
        return dataclasses.replace(products, notes=(*products.notes, reading))
    if products.kind is VerdictKind.NOT_EQUIVALENT and as_names.kind is VerdictKind.NOT_EQUIVALENT \
            and all_read_as_names(first_doubts):
        return dataclasses.replace(products, notes=(*products.notes, f"wrong read either way: {reading}, or each "
                                                    "as one name"))
    return undecided

"""The typed-claims world as a specification: claims and short chains typed as students type them, each with its
source (in ``tests/checker/typed_claims_world.py``). A true claim holds; a claim with a slip is wrong, and its
counterexample is one by an independent NumPy evaluation of the claim at that point.

Only the claims decided in well under a second run here (the suite's budget); ``python -m
tests.checker.typed_claims_world`` runs all of them and prints the table by category.
"""
from __future__ import annotations

import pytest

from tests.checker.typed_claims_world import CLAIMS, Claim, confirmed, outcome

IN_SUITE = [claim for claim in CLAIMS if claim.in_suite]


@pytest.mark.parametrize("claim", [c for c in IN_SUITE if c.holds], ids=lambda c: c.label[:60])
def test_a_true_typed_claim_holds(claim: Claim):
    result, detail = outcome(claim)
    assert result == "holds", detail


@pytest.mark.parametrize("claim", [c for c in IN_SUITE if not c.holds], ids=lambda c: c.label[:60])
def test_a_typed_claim_with_a_slip_is_wrong_at_a_point_that_shows_it(claim: Claim):
    result, counterexample = outcome(claim)
    assert result == "wrong", counterexample
    assert confirmed(claim, counterexample) is not False

"""Maximum entropy on {1, 2, 3, 4} with a given mean m: the Lagrangian gives the Gibbs form p_i ∝ exp(nu i); the
multiplier of the mean has no closed form and is solved numerically (Cover & Thomas 12.1)."""
import sympy as sp

import symml
from derivations.optimize._symbols import P

MEAN = sp.Symbol("m", positive=True)


def derivation() -> symml.Derivation:
    entropy = -sum(p * sp.log(p) for p in P)
    return symml.derive.maximize(entropy, P, subject_to=[symml.Eq(sum(P), 1),
                                                         symml.Eq(sum((i + 1) * p for i, p in enumerate(P)), MEAN)])

#: A feasible instance for verify(): the mean must lie inside the support.
VERIFY_DATA = {"m": 2.0}

"""Projection of a onto x >= 0 by the KKT conditions: two active sets, x = a when a >= 0 (inactive) and x = 0
when a <= 0 (active, multiplier -2a >= 0)."""
import sympy as sp

import symml

x, a = sp.symbols("x a", real=True)


def derivation() -> symml.Derivation:
    return symml.derive.minimize((x - a) ** 2, x, subject_to=[x >= 0])

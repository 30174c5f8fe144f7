"""The inverse of [[a, b], [c, d]] by cofactors: adj(A)/det A = [[d, −b], [−c, a]]/(ad − bc)."""
import sympy as sp

import symml

a, b, c, d = sp.symbols("a b c d", real=True)


def derivation() -> symml.Derivation:
    return symml.derive.inverse(sp.Matrix([[a, b], [c, d]]))

"""The gradient of log det A is A^{-T} (Matrix Cookbook eq. 57), where plain SymPy returns 0."""
import symml
from derivations.matrix._symbols import d


def derivation() -> symml.Derivation:
    A = symml.matrix("A", d, d)
    return symml.derive.gradient(symml.logdet(A), A)

"""The derivative of the logistic sigmoid: σ'(z) = σ(z)(1 − σ(z)) (PRML 4.88)."""
import symml
from derivations.calculus._symbols import sigmoid, z


def derivation() -> symml.Derivation:
    return symml.derive.derivative(sigmoid(z), z)

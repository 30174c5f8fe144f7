"""Logistic regression written in indices, Σᵢ −yᵢ log σ(Σⱼ wⱼXᵢⱼ) − ..., recognised as a matrix loss and derived."""
import sympy as sp

import symml
from symml.matrix_calculus.expressions import Sigmoid

i, j = sp.symbols("i j", integer=True)
n, d = sp.symbols("n d", integer=True, positive=True)
w, X, y = sp.IndexedBase("w"), sp.IndexedBase("X"), sp.IndexedBase("y")


def derivation() -> symml.Derivation:
    z = sp.Sum(w[j] * X[i, j], (j, 1, d))
    loss = sp.Sum(-y[i] * sp.log(Sigmoid(z)) - (1 - y[i]) * sp.log(1 - Sigmoid(z)), (i, 1, n))
    return symml.derive.gradient(loss, w)

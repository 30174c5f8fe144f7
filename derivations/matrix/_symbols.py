"""The symbols the matrix entries share: a data matrix X (n x d), weights w (d), targets y (n)."""
import sympy as sp

import symml

n, d, k = symml.dims("n d k")
X = symml.matrix("X", n, d)
w = symml.vector("w", d)
y = symml.vector("y", n)
lam = sp.Symbol("lambda", positive=True)

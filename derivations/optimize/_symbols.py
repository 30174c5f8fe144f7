"""Shared symbols of the optimisation entries."""
import sympy as sp

import symml

n, d, k = symml.dims("n d k")
X = symml.matrix("X", n, d)
w = symml.vector("w", d)
y = symml.vector("y", n)
v = symml.vector("v", d)
A = symml.matrix("A", k, d)
b = symml.vector("b", k)
S = symml.matrix("S", d, d, symmetric=True)
Omega = symml.matrix("Omega", n, n, symmetric=True)
lam = sp.Symbol("lambda", positive=True)
P = sp.symbols("p1:5", positive=True)

"""Second-order Taylor polynomial of f(x, y) = x² y + eˣ sin y at (1, 0), from its gradient and Hessian (MML 5.8)."""
import sympy as sp

import symml

x, y = sp.symbols("x y", real=True)


def derivation() -> symml.Derivation:
    return symml.derive.taylor(x**2 * y + sp.exp(x) * sp.sin(y), at={x: 1, y: 0}, order=2)

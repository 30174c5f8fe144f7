"""Dirichlet prior on the probabilities of a Categorical: the posterior is Dirichlet(a_k + n_k), each concentration
raised by the count of its value (Murphy, Machine Learning: A Probabilistic Perspective, eq. 3.48). The kernel is
matched against sympy.stats' MultivariateBeta (the Dirichlet), and the probabilities summing to one put the
posterior on the simplex.
"""
import sympy as sp
import sympy.stats as st

import symml


def categorical_and_dirichlet() -> tuple[symml.Model, object, tuple[sp.Symbol, ...]]:
    """A Categorical over {1, 2, 3} with probabilities p1, p2, p3, a Dirichlet(a1, a2, a3) prior on them, and the p."""
    p = sp.symbols("p1:4", positive=True)
    a = sp.symbols("a1:4", positive=True)
    x = sp.Symbol("x", real=True)
    categorical = symml.Model(logpdf=sum(sp.KroneckerDelta(x, k + 1) * sp.log(p[k]) for k in range(3)), data=x,
                              support=sp.FiniteSet(1, 2, 3))
    return categorical, st.MultivariateBeta("D", list(a)), p


def derivation() -> symml.Derivation:
    categorical, dirichlet, p = categorical_and_dirichlet()
    return symml.derive.posterior(categorical, prior=dirichlet, wrt=p)

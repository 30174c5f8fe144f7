"""MAP of a Categorical's probabilities under a Dirichlet prior: p_k = (n_k + a_k - 1)/(n + sum a - K), from the
Lagrangian of the log posterior on the simplex; it lies inside the simplex for every sample when every a_k > 1
(Murphy, Machine Learning: A Probabilistic Perspective, eq. 3.52).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    p = sp.symbols("p1:4", positive=True)
    a = sp.symbols("a1:4", positive=True)
    x = sp.Symbol("x", real=True)
    categorical = symml.Model(logpdf=sum(sp.KroneckerDelta(x, k + 1) * sp.log(p[k]) for k in range(3)), data=x,
                              support=sp.FiniteSet(1, 2, 3))
    return symml.derive.map(categorical, prior=st.MultivariateBeta("D", list(a)), wrt=p)

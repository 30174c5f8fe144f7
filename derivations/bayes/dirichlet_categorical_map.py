"""MAP of a Categorical's probabilities under a Dirichlet prior: p_k = (n_k + a_k - 1)/(n + sum a - K), from the
Lagrangian of the log posterior on the simplex; it lies inside the simplex for every sample when every a_k > 1
(Murphy, Machine Learning: A Probabilistic Perspective, eq. 3.52).
"""
import symml
from derivations.bayes.dirichlet_categorical_posterior import categorical_and_dirichlet


def derivation() -> symml.Derivation:
    categorical, dirichlet, p = categorical_and_dirichlet()
    return symml.derive.map(categorical, prior=dirichlet, wrt=p)

"""Non-negative least squares, minimise ‖y − Xw‖² subject to w ≥ 0: the entries of w are coupled through XᵀX, so
which of them sit at zero depends on the data and there is no closed form. The KKT conditions at matrix level,
2Xᵀ(Xw − y) = μ, μ ≥ 0, μ ⊙ w = 0, characterise the optimum; numpy() solves them numerically on the derived gradient
and Hessian (Lawson & Hanson, Solving Least Squares Problems, ch. 23; Boyd & Vandenberghe 5.5.3)."""
import symml
from derivations.optimize._symbols import X, w, y


def derivation() -> symml.Derivation:
    return symml.derive.minimize(symml.sq_norm(y - X @ w), w, subject_to=[symml.Ge(w, 0)])

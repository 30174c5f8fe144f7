"""L2-regularised logistic regression: no closed form (w enters through sigma(Xw)); the stationarity condition
X^T(sigma(Xw) - y) + 2 lambda w = 0 is solved by damped Newton steps on the derived gradient and Hessian."""
import symml
from derivations.optimize._symbols import X, lam, w, y


def derivation() -> symml.Derivation:
    return symml.derive.minimize(symml.losses.logistic(X, w, y) + lam * symml.sq_norm(w), wrt=w)

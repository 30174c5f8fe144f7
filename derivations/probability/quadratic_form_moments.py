"""Moments of linear and quadratic forms of a random vector at matrix level: E[Bx] = B mu, Cov(Bx) = B Sigma B^T,
E[x^T A x] = tr(A Sigma) + mu^T A mu by the trace trick (any law), and for a Gaussian x the cumulant generating
function of x^T A x by completing the square, differentiated by the matrix-calculus engine:
Var(x^T A x) = 2 tr(A Sigma A Sigma) + 4 mu^T A Sigma A mu (A symmetric).
"""
import symml


def derivation() -> symml.Derivation:
    return symml.derive.quadratic_form()

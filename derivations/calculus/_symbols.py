"""The scalar symbols the calculus entries share: a logit z, a target y, a residual r, a mean mu, a log-variance s."""
import sympy as sp

z, r, x, mu, s = sp.symbols("z r x mu s", real=True)
y = sp.Symbol("y", real=True)
delta = sp.Symbol("delta", positive=True)


def sigmoid(t):
    """The logistic function written out, as in lecture notes: the engine recognises it in the result."""
    return 1 / (1 + sp.exp(-t))

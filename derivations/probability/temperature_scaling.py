"""Temperature scaling (Guo et al. 2017): the softmax cross-entropy of the logits Z / T against one-hot labels Y,
L(T) = 1^T logsumexp_rows(Z / T) - sum(Y o Z) / T. First and second derivatives in T by the matrix-calculus
engine; no closed-form minimiser; L is convex in 1/T, so numpy().fit (safeguarded Newton on the derived
derivatives) finds its single minimum. verify(): finite differences and scipy's bounded Brent on simulated
overconfident logits.
"""
import symml


def derivation() -> symml.Derivation:
    return symml.derive.temperature_scaling()

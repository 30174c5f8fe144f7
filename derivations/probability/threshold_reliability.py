"""A thresholded classifier with Beta(2, 1) scores for positives and Beta(1, 2) for negatives: TPR(t) = 1 - t^2
and FPR(t) = (1 - t)^2 as expectations of the indicator of S > t, precision(t) by Bayes' rule, the expected cost
C(t) with prevalence pi_1 and costs c_FP, c_FN, and the Bayes-optimal threshold from C'(t) = 0, i.e. the
likelihood ratio f1(t)/f0(t) = c_FP (1 - pi_1)/(c_FN pi_1): t* = c_FP (1 - pi_1)/(c_FN pi_1 + c_FP (1 - pi_1)).
"""
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    return symml.derive.threshold_reliability(st.Beta("S", 2, 1), st.Beta("S", 1, 2))

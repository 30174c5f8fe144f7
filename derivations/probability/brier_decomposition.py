"""Brier score decomposition (Murphy 1973) over three bins of forecasts: BS = reliability - resolution +
uncertainty, shown by expanding both sides in the bin statistics n_k, f_k, obar_k (o_i^2 = o_i for binary
outcomes), with the expected calibration error sum_k (n_k/N)|f_k - obar_k| alongside.
"""
import symml


def derivation() -> symml.Derivation:
    return symml.derive.brier_decomposition(3)

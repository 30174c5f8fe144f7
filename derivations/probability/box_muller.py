"""Box-Muller: (R cos Theta, R sin Theta) with R = sqrt(-2 log U1), Theta = 2 pi U2 are independent N(0, 1).
The inverse map is solved, its Jacobian computed by the calculus engine (det = -exp(-(z1^2 + z2^2)/2)/(2 pi)),
and the joint density from the change-of-variables theorem factorises into two standard normal densities.
"""
import symml


def derivation() -> symml.Derivation:
    return symml.derive.box_muller()

"""Scalar calculus with its rules named, Taylor polynomials, and losses written in index notation."""

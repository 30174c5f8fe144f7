"""Bayesian derivations: posteriors recognised by kernel matching and MAP estimates, one module each."""

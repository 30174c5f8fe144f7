"""Optimisation derivations: closed-form minimisers, Lagrangians and KKT conditions of ML problems."""

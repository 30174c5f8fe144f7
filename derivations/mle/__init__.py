"""Maximum-likelihood derivations: one module per family and choice of estimated parameters."""

"""Matrix-calculus derivations: gradients, Hessians and closed-form stationary points of ML losses."""

"""Linear algebra with its steps: eigenvalues, factorisations, the SVD and PCA, projections, cofactors."""

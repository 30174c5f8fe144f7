"""Gaussian algebra at matrix level: partitioned Gaussians and the linear-Gaussian model, by completing the square."""

"""Probability and information theory: expectations, moments, entropy, KL divergence, Fisher information."""

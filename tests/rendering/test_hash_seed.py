"""A derivation prints the same in every Python process: nothing in it follows the hash seed's order."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = """
import sympy as sp, symml
n, d = symml.dims("n d")
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
lam = sp.Symbol("lambda", positive=True)
print(symml.derive.gradient(symml.losses.logistic(X, w, y) + lam * symml.sq_norm(w), w).markdown())
"""


def test_a_matrix_derivation_prints_the_same_under_two_hash_seeds():
    # the differential rules were listed in the order first met, which followed the order of a sum's terms
    printed = [subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True, cwd=ROOT,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("0", "1")]
    assert printed[0] == printed[1] and "Differential rule" in printed[0]

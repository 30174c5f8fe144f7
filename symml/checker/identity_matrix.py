r"""``I`` in notes that read their matrices as numbers: the identity, the number 1.

Matrix derivations (a Kalman gain, probabilistic PCA) write ``(I - K_k G) P_k^-``, ``\sigma^2 I + W^\top W`` without
declaring the sizes of their matrices; symml then reads the matrices as numbers (a true matrix identity holds for
1 x 1 matrices), and ``I`` is the 1 among them, not a name of its own: read as a name, ``(I - K G) P (I - K G)^T``
and ``(P - K G P)(I - G^T K^T)`` differed. Only where no matrix is declared (declared ones are read at matrix
level), the notes transpose something, and ``I`` is never applied to arguments (``I(Z_i = k)`` is an indicator);
a row read with it is never reported wrong (a trace or a determinant of ``I`` depends on its size).

>>> from symml.checker.vocabulary import Namespace
>>> namespace = Namespace()
>>> read_identity_as_one(r"$$ P = (I - K G) P^- (I - K G)^T $$", namespace)
>>> namespace.known["I"], namespace.assumed
(1, ['I: the identity matrix, read as the number 1 like the other matrices'])
"""
from __future__ import annotations

import re

import sympy as sp

from symml.checker.vocabulary import Namespace

__all__ = ["IDENTITY_GUESS", "read_identity_as_one"]

IDENTITY_GUESS = "read I as the identity matrix, the number 1 (the matrices are read as numbers)"
_TRANSPOSE = re.compile(r"\^\s*(?:\{\s*)?(?:T|\\top|\\intercal|\\mathsf\{T\}|\\mathrm\{T\})(?![A-Za-z])")
#: ``I`` on its own: not part of a word or a command, not applied to arguments, not subscripted.
_LONE_I = re.compile(r"(?<![A-Za-z\\{])I(?![A-Za-z_(])")
_CALLED_I = re.compile(r"(?<![A-Za-z\\])I\s*(?:\\left)?\s*\(")
#: ``I_N``, ``\mathbf{I}_n``, ``I_{d}``: the identity with its size written as a subscript.
_SIZED_I = re.compile(r"(?:\\math(?:bf|rm|bb)\s*\{\s*I\s*\}|(?<![A-Za-z\\{])I)\s*_\s*(?:\{\s*([A-Za-z]|\d+)\s*\}|([A-Za-z]|\d))")

_INDEX_LETTERS = {"i", "j", "l", "t"}


def read_identity_as_one(text: str, namespace: Namespace) -> None:
    """Read ``I`` as 1 in ``namespace`` when the notes use it as the identity beside matrices read as numbers."""
    if any(isinstance(value, sp.MatrixExpr) for value in namespace.known.values()) or "I" in namespace.known:
        return
    if _TRANSPOSE.search(text) is None or _CALLED_I.search(text) is not None or (_LONE_I.search(text) is None
                                                                                     and _SIZED_I.search(text) is None):
        return
    namespace.known["I"] = sp.Integer(1)
    for braced, bare in _SIZED_I.findall(text):  # sigma^2 I_N: the same identity, of size N
        if (braced or bare) not in _INDEX_LETTERS:  # I_i, I_t: an element of a sequence, not a size
            namespace.known[f"I_{braced or bare}"] = sp.Integer(1)
    namespace.assumed.append("I: the identity matrix, read as the number 1 like the other matrices")

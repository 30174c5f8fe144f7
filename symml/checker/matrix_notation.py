r"""Vectors and matrices the notes declare, read as matrix symbols of those shapes.

Notes say what their letters are: ``\mathbf{w} \in \mathbb{R}^d``, ``X \in \mathbb{R}^{n \times d}``,
``y \in \mathbb{R}^{n \times 1}``, ``\boldsymbol\Sigma \succ 0``. A name declared so (in display or inline math)
becomes a :class:`sympy.MatrixSymbol` of that shape (a vector in ``\mathbb{R}^d`` is a ``d x 1`` column), so a
claim about it is checked at matrix level: products do not commute, transposes matter, and a gradient by ``w``
is the gradient by the vector (the probe differentiates entry by entry at random sizes). A name the notes also
write with a letter index is read by its fonts: ``y_i`` next to ``\mathbf{y} \in \mathbb{R}^n`` (or a plain ``y``
declared plain) is the i-th entry of y, a number the probe takes from the same random vector as y;
``\mathbf{w}_n`` next to ``\mathbf{w} \in \mathbb{R}^d`` is another vector of that shape; a name written both
ways, or a matrix written with indices, stays what it was (data with elements). ``\Sigma \succ 0`` (or
``\succeq 0``) makes a declared square matrix sampled symmetric positive definite.

>>> from symml.checker.vocabulary import Namespace
>>> namespace = Namespace()
>>> declare_matrices(r"Let $X \in \mathbb{R}^{n \times d}$ and $\mathbf{w} \in \mathbb{R}^d$.", namespace)
{'X': X, 'w': w}
>>> namespace.known["w"].shape
(d, 1)
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.checker.failures import SYMPY_FAILURES
from symml.checker.shape_inference import sizes_unknown
from symml.checker.vocabulary import Namespace
from symml.errors import ParseError, SymmlError

__all__ = ["declare_matrices", "matrix_options", "add_sides", "defines_matrix", "matrix_gradient"]

#: The real numbers as notes write them, then the exponent of the space: ``\mathbb{R}^{n \times d}``, ``\R^d``.
_SPACE = re.compile(r"\\in\s*(?:\\mathbb\s*\{\s*R\s*\}|\\mathbb\s+R|\\R(?![A-Za-z])|\\Re(?![A-Za-z])|ℝ)"
                    r"\s*\^\s*(\{[^{}]*\}|[A-Za-z0-9])")
#: Where the names before ``\in`` start: the math delimiter, a relation, a colon or an opening bracket.
_NAMES_START = re.compile(r".*(?:\$|\\\(|\\\[|&|=|:|\(|\\quad|\\qquad|\\;|\\,|\n|\\text\{[^{}]*\})", re.S)
#: ``\Sigma \succ 0``, ``\mathbf{A} \succeq 0``: a positive (semi)definite matrix.
_DEFINITE = re.compile(r"((?:\\[A-Za-z]+\s*\{?\s*)?\\?[A-Za-z]+\}?)\s*\\succ(?:eq)?\s*0")
#: A name set equal to an expression: ``\hat{y} = Xw`` (the right side ends where the math or the row does).
_DEFINED = re.compile(r"((?:\\(?:hat|bar|tilde|mathbf|boldsymbol|bm|vec)\s*)?\{?\s*(?<![\\A-Za-z])[A-Za-z]\s*\}?)"
                      r"\s*=\s*([^=$&\n]+?)\s*(?=\$|\\\\|&|\n|\\q?quad|\\text|,)")
#: Text ending in a subscript or superscript mark: the letter after it (``\lambda_i = \beta^T X_i``) is an index
#: of the name before, not a name set equal to the right side.
_SCRIPT_END = re.compile(r"[_^]\s*\{?\s*$")
#: A font that makes a letter a vector: ``\mathbf{w}_n`` is a vector (an iterate), ``y_i`` beside a bold ``y`` a number.
_BOLD = r"\\(?:mathbf|boldsymbol|bm|vec|mathbfit|pmb)\s*"
#: How far back from ``\in`` the names may start.
_WINDOW = 80


def declare_matrices(text: str, namespace: Namespace) -> dict[str, Any]:
    """Find the declarations of vectors and matrices in ``text`` and put their matrix symbols in ``namespace``
    (its known names); returns them by name. Sizes become positive integers."""
    declared: dict[str, Any] = {}
    for match in _SPACE.finditer(text):
        shape = _shape(match.group(1), namespace)
        if shape is None or shape == (1, 1):
            continue
        before = text[max(0, match.start() - _WINDOW):match.start()]
        start = _NAMES_START.match(before)
        for written in (before[start.end():] if start else before).split(","):
            name = _name(written)
            if name is None or name in namespace.known or name in declared:
                continue
            reading = _indexed_reading(text, name, written, shape)
            if name in namespace.vectors or _indexed_in(text, name):  # y_i, w_n: read by the fonts, or left data
                if reading is None:
                    continue
                namespace.subscripted[name] = reading
            elif reading == "iterates":  # bold w_0, w_t beside bold w: vectors (w_t is so read in any font)
                namespace.subscripted[name] = reading
            declared[name] = sp.MatrixSymbol(name, *shape)
    namespace.known.update(declared)
    declared.update(_defined_matrices(text, namespace))
    if declared:
        namespace.assumed.append("declared matrices: " + ", ".join(
            f"{name} ({' x '.join(str(d) for d in m.shape)})" for name, m in declared.items()))
    return declared


def matrix_options(text: str, namespace: Namespace, definite: list[Any] | None = None) -> dict[str, Any]:
    """The options of the decision procedure the declarations imply: the declared square matrices stated
    positive definite (``\\Sigma \\succ 0``), and ``definite`` (those notation makes so)."""
    declared = {name: m for name, m in namespace.known.items() if isinstance(m, sp.MatrixSymbol)}
    definite = [*(definite or []), *(declared[name] for name in map(_name, _DEFINITE.findall(text))
                                     if name in declared and declared[name].shape[0] == declared[name].shape[1])]
    definite = list(dict.fromkeys(definite))
    return {"positive_definite": definite} if definite else {}


def defines_matrix(claim: str, namespace: Namespace) -> bool:
    """Whether a row is the definition by which a name stands for a matrix expression (``\\hat y = Xw``)."""
    left, equals, _ = claim.partition("=")
    known = namespace.known.get(_name(left) or "") if equals else None
    return isinstance(known, sp.MatrixExpr) and not isinstance(known, sp.MatrixSymbol)


def matrix_gradient(function: Any, variable: Any, order: int = 1) -> Any:
    """``\\nabla_w F`` or ``\\frac{\\partial F}{\\partial w}`` for a declared vector or matrix w: the gradient
    derived by symml's matrix-calculus engine (the shape of w), so that it adds to matrices (``w_t - \\eta
    \\nabla_w F``); the unevaluated derivative (which the probe differentiates entry by entry) when w is not a
    matrix or the engine cannot derive it."""
    hessian_of_vector = order == 2 and isinstance(variable, sp.MatrixSymbol) and variable.shape[1] == 1
    if not isinstance(variable, sp.MatrixSymbol) or (order != 1 and not hessian_of_vector) \
            or not function.has(variable):  # nabla_w L, L(w) defined in another row: not 0 (steps expand L)
        return sp.Derivative(function, (variable, order))
    from symml.matrix_calculus import gradient, hessian

    derive = hessian if hessian_of_vector else gradient
    try:
        return within(SIMPLIFY_SECONDS, "the gradient by a matrix", lambda: derive(function, variable).result)
    except SymmlError:
        return sp.Derivative(function, variable)
    except SYMPY_FAILURES:
        return sp.Derivative(function, variable)


def add_sides(left: Any, right: Any) -> Any:
    """``left + right`` where one side may be a matrix expression: a zero term is dropped (``2X^T X w - 2X^T y
    + 0``) and a 1 x 1 matrix (``w^T X^T y``) added to a scalar is that scalar's equal, its trace."""
    left_matrix, right_matrix = (isinstance(side, sp.MatrixExpr) for side in (left, right))
    if left_matrix == right_matrix:
        return left + right
    if right == 0:
        return left
    if left == 0:
        return right
    matrix, scalar = (left, right) if left_matrix else (right, left)
    identity = next((s for s in scalar.free_symbols if str(s) == "I"), None) if isinstance(scalar, sp.Expr) else None
    if identity is not None and matrix.shape[0] == matrix.shape[1] and scalar.is_polynomial(identity) \
            and sp.degree(scalar, identity) == 1 and scalar.subs(identity, 0) == 0:  # X^T X + lambda I
        return matrix + scalar.subs(identity, 1) * sp.Identity(matrix.shape[0])
    if abs(scalar) == 1 and (matrix.shape[1] == 1 or sizes_unknown(matrix)) and matrix.shape[0] != 1:  # 1 - y, 1 - sigma(Xw): the ones vector
        return matrix + scalar * sp.OneMatrix(*matrix.shape)
    if matrix.shape != (1, 1) and not sizes_unknown(matrix):  # unknown sizes: shape_inference.py unifies them
        raise ParseError(f"cannot add the {matrix.shape[0]} x {matrix.shape[1]} matrix {matrix} to a number")
    return sp.Trace(matrix) + scalar


def determinant_or_abs(inner: Any) -> Any:
    """``|\\Sigma|``: the determinant of a square matrix (or of a capital letter whose sizes are being inferred),
    else the absolute value."""
    square = isinstance(inner, sp.MatrixExpr) and (inner.shape[0] == inner.shape[1] or (
        isinstance(inner, sp.MatrixSymbol) and str(inner.name)[:1].isupper() and sizes_unknown(inner)))
    return sp.Determinant(inner) if square else sp.Abs(inner)


def elementwise_product(left: Any, right: Any) -> Any:
    """``left \\odot right`` (Hadamard): the product of numbers (a vector read as a number, as a gradient's
    variable is); of matrix expressions it is not read (``*`` would be the matrix product)."""
    if isinstance(left, sp.MatrixExpr) or isinstance(right, sp.MatrixExpr):
        raise ParseError("the elementwise product (\\odot) of matrices is not read")
    return left * right


def _defined_matrices(text: str, namespace: Namespace) -> dict[str, Any]:
    """Names the notes set equal to an expression in declared matrices (``\\hat{y} = Xw``): the name then stands
    for that expression wherever it is read, so it keeps its dependency (a gradient of ``\\|\\hat y - y\\|^2``
    by w is not zero)."""
    from symml.checker.parse_latex import parse_latex  # the reader imports this module

    defined: dict[str, Any] = {}
    if not any(isinstance(value, sp.MatrixSymbol) for value in namespace.known.values()):
        return defined
    for match in _DEFINED.finditer(text):
        written, expression = match.groups()
        name = _name(written)
        if name is None or name in namespace.vectors or name in namespace.known or name in defined \
                or _differentiated_or_called(text, match.start(), name) or _SCRIPT_END.search(text[:match.start()]):
            continue
        doubts = list(namespace.doubts)
        try:
            sides = parse_latex(expression, namespace)
        except ParseError:
            continue
        finally:
            namespace.doubts[:] = doubts
        value = sides[-1][1]
        if len(sides) == 1 and isinstance(value, sp.MatrixExpr) and value.shape != (1, 1):
            defined[name] = value
    namespace.known.update(defined)
    return defined


def _differentiated_or_called(text: str, start: int, name: str) -> bool:
    """Whether the name before ``=`` is a function the notes define with its arguments (``L(w) = ...``), or is
    differentiated there (``\\nabla_w L = 2X^T(Xw - y)`` states its gradient, it does not define L)."""
    differentiated = re.search(r"(?:\\nabla\s*(?:_\s*(?:\{[^{}]*\}|\\?[A-Za-z]+))?|\\partial|d)\s*$", text[:start])
    return differentiated is not None or re.search(rf"(?<![A-Za-z\\]){re.escape(name)}\s*\(", text) is not None


def _indexed_reading(text: str, name: str, written: str, shape: tuple[Any, Any]) -> str | None:
    """What the notes mean by ``name`` with an index, for a vector they declare: "entries" when every indexed
    use is in a lighter font than the declaration, or both are plain (``y_i`` beside ``\\mathbf{y} \\in
    \\mathbb{R}^n``: the i-th entry, a number), "iterates" when the declaration and every indexed use are bold
    (``\\mathbf{w}_n`` beside ``\\mathbf{w} \\in \\mathbb{R}^d``: another vector of that shape); None for a matrix,
    where the fonts are mixed, or where the name is never written with an index."""
    if shape[1] != 1:
        return None
    letter = re.escape(name)
    bold_uses = len(re.findall(rf"{_BOLD}\{{\s*\\?{letter}\s*\}}\s*_", text))
    plain_uses = len(re.findall(rf"(?<![A-Za-z\\]){letter}\s*_", text))
    declared_bold = re.search(_BOLD, written) is not None
    if plain_uses and not bold_uses:
        return "entries"
    if bold_uses and not plain_uses and declared_bold:
        return "iterates"
    return None


def _indexed_in(text: str, name: str) -> bool:
    """Whether the notes write ``name`` with an index (``\\alpha_i``, ``w_{j}``): its elements are then used."""
    return re.search(rf"(?<![A-Za-z]){re.escape(name)}\}}?\s*_\s*\{{?\s*[ijkn](?![A-Za-z])", text) is not None


def _shape(exponent: str, namespace: Namespace) -> tuple[Any, Any] | None:
    """``d`` -> (d, 1); ``{n \\times d}`` -> (n, d); None unless every size is a letter or a number."""
    sizes = [part.strip() for part in re.split(r"\\times|×|,", exponent.strip("{}"))]
    if not 1 <= len(sizes) <= 2 or not all(re.fullmatch(r"[A-Za-z]|\d+", size) for size in sizes):
        return None
    values = []
    for size in sizes:
        if size.isdigit():
            values.append(sp.Integer(size))
        else:
            namespace.assumptions.setdefault(size, {"integer": True, "positive": True})
            values.append(namespace.size(size))
    return (values[0], sp.Integer(1)) if len(values) == 1 else (values[0], values[1])


def _name(written: str) -> str | None:
    """The name a declared symbol is read as (``\\mathbf{w}`` -> w, ``\\boldsymbol\\Sigma`` -> Sigma,
    ``\\tilde{X}`` -> X_tilde), or None unless it is one plain name (``x_i``, ``2w`` are not)."""
    from symml.checker.parse_latex import parse_latex  # the reader imports this module

    written = written.strip().strip("$").strip()
    if not written or len(written) > 40:
        return None
    try:
        sides = parse_latex(written, Namespace())
    except ParseError:
        return None
    if len(sides) != 1 or not isinstance(sides[0][1], sp.Symbol):
        return None
    name = sides[0][1].name
    return name if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(?:_(?:hat|bar|tilde))?", name) else None

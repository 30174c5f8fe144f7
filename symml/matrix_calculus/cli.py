"""``symml gradient`` and ``symml hessian``: matrix calculus on an expression given as a string.

    symml gradient "sum(softplus(X@w)) - transpose(y)@X@w" --wrt w --matrix X:n,d --vector w:d --vector y:n
    symml hessian "sq_norm(X@w - y)" --wrt w --matrix X:n,d --vector w:d --vector y:n --format latex --verify

The string is read by the checker's whitelisting reader (:func:`symml.checker.parse_text.parse_text`), never
evaluated as Python: ``@`` is the matrix product, ``transpose(A)`` the transpose, and the functions are symml's
matrix vocabulary (``exp``, ``log``, ``sigmoid``, ``softplus``, ``sum``, ``trace``, ``logdet``, ``inv``,
``sq_norm``, ...), elementwise on matrices. Matrices and vectors are declared with their dimensions
(``--matrix X:n,d``, ``--vector w:d``, ``--symmetric Sigma:d``); other names are real scalars.
"""
from __future__ import annotations

import argparse
from typing import Any

from symml.cli import add_output_options, check_output_options, print_derivation
from symml.errors import ParameterError, ParseError

__all__ = ["add_gradient_command", "add_hessian_command", "read_expression"]

#: symml's matrix functions, by the name a string calls them; scalar arguments use the checker's functions.
_MATRIX_FUNCTIONS = ("exp", "log", "sigmoid", "softplus", "tanh", "sqrt", "abs", "relu", "maximum", "power",
                     "sum", "mean", "trace", "det", "logdet", "inv", "diag", "hadamard", "kron", "norm", "sq_norm",
                     "softmax", "logsumexp")


def add_gradient_command(commands: Any) -> None:
    """Add ``gradient`` to an argparse sub-parsers object."""
    _add(commands, "gradient", "derive the gradient of a matrix expression")


def add_hessian_command(commands: Any) -> None:
    """Add ``hessian`` to an argparse sub-parsers object."""
    _add(commands, "hessian", "derive the Hessian of a matrix expression")


def _add(commands: Any, name: str, help_line: str) -> None:
    command = commands.add_parser(name, help=help_line, description=f"{help_line[0].upper()}{help_line[1:]}. "
                                  "The string is parsed safely (never evaluated): @ is the matrix product, "
                                  "transpose(A) the transpose, functions are symml's matrix vocabulary (exp, log, "
                                  "sigmoid, softplus, sum, trace, logdet, inv, sq_norm, ...); declare matrices with "
                                  "their dimensions, other names are real scalars.")
    command.add_argument("expression", help="a scalar function of matrices, e.g. 'sq_norm(X@w - y)'")
    command.add_argument("--wrt", required=True, metavar="NAME", help="the matrix, vector or scalar to differentiate by (undeclared names are real scalars)")
    command.add_argument("--matrix", action="append", default=[], metavar="NAME:ROWS,COLS",
                         help="declare a matrix, e.g. X:n,d (repeatable)")
    command.add_argument("--vector", action="append", default=[], metavar="NAME:ROWS",
                         help="declare a column vector, e.g. w:d (repeatable)")
    command.add_argument("--symmetric", action="append", default=[], metavar="NAME:SIZE",
                         help="declare a symmetric matrix, e.g. Sigma:d (repeatable)")
    add_output_options(command)
    command.set_defaults(run=_run, derivative=name)


def _run(arguments: argparse.Namespace) -> int:
    check_output_options(arguments)

    from symml import derive

    symbols = declare(arguments.matrix, arguments.vector, arguments.symmetric)
    expression = read_expression(arguments.expression, symbols)
    wrt = symbols.get(arguments.wrt) or _scalar_named(arguments.wrt, expression, symbols)
    return print_derivation(getattr(derive, arguments.derivative)(expression, wrt), arguments)


def _scalar_named(name: str, expression: Any, declared: dict[str, Any]) -> Any:
    """The undeclared ``--wrt``: a real scalar of the expression (scalar calculus, or a matrix expression
    differentiated by a scalar)."""
    found = [symbol for symbol in getattr(expression, "free_symbols", ()) if str(symbol) == name]
    if not found:
        raise ParameterError(f"--wrt {name!r} does not appear in the expression; declared: "
                             f"{', '.join(declared) or 'nothing'} (declare matrices with --matrix, vectors with "
                             "--vector)")
    return found[0]


def declare(matrices: list[str], vectors: list[str], symmetric: list[str]) -> dict[str, Any]:
    """Matrix symbols from ``NAME:ROWS,COLS`` / ``NAME:ROWS`` / ``NAME:SIZE`` declarations (sizes are
    dimension names or positive integers).

    >>> sorted((name, s.shape) for name, s in declare(["X:n,d"], ["w:d"], []).items())
    [('X', (n, d)), ('w', (d, 1))]
    """
    from symml.matrix_calculus import expressions

    def parse(declaration: str, count: int, option: str) -> tuple[str, list[Any]]:
        name, _, sizes = declaration.partition(":")
        parts = [part.strip() for part in sizes.split(",")]
        if not name.isidentifier() or name.startswith("_") or len(parts) != count or not all(parts):
            shape = ",".join(("ROWS", "COLS")[:count]) if option == "--matrix" else ("ROWS" if count == 1 else "")
            raise ParseError(f"{option} expects NAME:{shape or 'SIZE'}, got {declaration!r}")
        for part in parts:
            if not (part.isdigit() or part.isidentifier()):
                raise ParseError(f"{option} {declaration!r}: a size is a dimension name or a positive integer, "
                                 f"not {part!r}")
        return name.strip(), [int(p) if p.isdigit() else expressions.dims(p) for p in parts]

    symbols: dict[str, Any] = {}
    for declaration in matrices:
        name, (rows, cols) = parse(declaration, 2, "--matrix")
        symbols[name] = expressions.matrix(name, rows, cols)
    for declaration in vectors:
        name, (rows,) = parse(declaration, 1, "--vector")
        symbols[name] = expressions.vector(name, rows)
    for declaration in symmetric:
        name, (size,) = parse(declaration, 1, "--symmetric")
        symbols[name] = expressions.matrix(name, size, size, symmetric=True)
    return symbols


def read_expression(text: str, symbols: dict[str, Any]) -> Any:
    """Read ``text`` with the checker's whitelisting reader, the declared matrices as its names and symml's
    matrix functions applied to matrix arguments.

    >>> from symml.matrix_calculus.expressions import matrix, vector
    >>> read_expression("sum(softplus(X@w))", {"X": matrix("X", 4, 2), "w": vector("w", 2)}).shape
    (1, 1)
    >>> read_expression("w.T @ w", {"w": vector("w", 2)}).shape
    (1, 1)
    >>> read_expression("w.shape", {"w": vector("w", 2)})
    Traceback (most recent call last):
    ...
    symml.errors.ParseError: refused 'w.shape': attribute access (.shape) is not allowed; the one attribute read is .T, the transpose
    """
    from symml.checker.parse_text import parse_text

    sides = parse_text(text, _matrix_namespace(symbols))
    if len(sides) != 1:
        raise ParseError(f"expected one expression, not an equation: {text!r}")
    return sides[0]


def _matrix_namespace(symbols: dict[str, Any]) -> Any:
    """The checker's :class:`~symml.checker.vocabulary.Namespace`, calling symml's matrix vocabulary when an
    argument is a matrix expression."""
    import symml.matrix_calculus.expressions as vocabulary
    from symml.checker.vocabulary import Namespace

    class MatrixNamespace(Namespace):
        matrix_sums = True  # sum(A) is the sum of A's entries (see parse_text)
        string_arguments = vocabulary.NAMED_NORM_ORDERS  # norm(X, "fro"): the only strings read

        def call(self, name: str, arguments: list[Any]) -> Any:
            if any(isinstance(a, str) for a in arguments) and not (
                    name == "norm" and len(arguments) == 2 and isinstance(arguments[1], str)):
                raise ParseError(f"a string is read only as a norm's order, norm(A, 'fro'); not in {name}(...)")
            if name in _MATRIX_FUNCTIONS and any(getattr(a, "is_Matrix", False) for a in arguments):
                return getattr(vocabulary, name)(*arguments)
            if name == "sum":
                raise ParseError("sum(A) sums the entries of a matrix; its argument is not one")
            return super().call(name, arguments)

    return MatrixNamespace(symbols)

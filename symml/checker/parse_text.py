"""Plain-text claims, parsed without evaluating code.

SymPy's ``parse_expr``/``sympify`` run ``eval`` on the string, so a claim like
``__import__('os').system('...')`` would execute. Here the string is parsed by Python's ``ast`` (which only
builds a tree) and the tree is walked with a whitelist: numbers, names, ``+ - * / ** @``, calls of the
functions in :mod:`symml.checker.vocabulary` (or of undefined functions ``f(x)``), data ``x[i]``, and ``=``.
Attribute access (other than NumPy's ``A.T``, read as ``transpose(A)``), lambdas, comprehensions, strings, keyword
arguments and dunder names are refused. ``^`` means power, as in mathematics.

>>> parse_text("d = x^2 + 2*x")
[d, x**2 + 2*x]
>>> parse_text("diff(x*exp(x), x)")
[Derivative(x*exp(x), x)]
>>> parse_text("__import__('os').system('echo hi')")
Traceback (most recent call last):
...
symml.errors.ParseError: refused "__import__('os').system('echo hi')": a call of something other than a plain function name is not allowed
"""
from __future__ import annotations

import ast
import re
import unicodedata
from typing import Any

import sympy as sp

from symml.checker.plain_notation import as_python
from symml.checker.vocabulary import Namespace, number, power
from symml.errors import ParseError

__all__ = ["parse_text"]

_MAX_LENGTH = 5000
#: Superscript exponents people type, x² and A⁻¹: read as powers.
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_EXPONENT = re.compile("[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SINGLE_EQUALS = re.compile(r"(?<![=<>!:])=(?!=)")
#: λ, a rate or a penalty, is spelled ``lambda`` in plain text (Stan's exp_mod_normal(y | mu, sigma, lambda)), which
#: Python reserves; it is read as the Greek letter, a name, and built as the symbol LaTeX's ``\lambda`` gives.
_LAMBDA_WORD = re.compile(r"\blambda\b")

_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.MatMult: lambda a, b: a * b,
    ast.Div: lambda a, b: a * power(b, -1) if getattr(b, "is_Matrix", False) else a / b,
    ast.Pow: power,
}

_OPERATOR_SYMBOLS = {ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^^", ast.Mod: "%", ast.FloorDiv: "//",
                     ast.LShift: "<<", ast.RShift: ">>"}

_REFUSED = {
    ast.Attribute: "attribute access", ast.Lambda: "a lambda", ast.ListComp: "a comprehension",
    ast.GeneratorExp: "a comprehension", ast.DictComp: "a comprehension", ast.SetComp: "a comprehension",
    ast.NamedExpr: "an assignment expression", ast.Starred: "star arguments", ast.JoinedStr: "a string",
    ast.IfExp: "a conditional expression", ast.BoolOp: "a boolean operation", ast.Dict: "a dict",
    ast.List: "a list", ast.Set: "a set", ast.Await: "await", ast.Yield: "yield", ast.Slice: "a slice",
}


def parse_text(text: str, namespace: Namespace | None = None) -> list[Any]:
    """Parse ``"lhs = rhs"`` (or a chain ``a = b = c``, or one expression) into its SymPy sides.

    Args:
        text: the claim; ``^`` is power, ``=`` or ``==`` separates sides; implicit products need ``*``.
        namespace: resolves names to the user's SymPy objects; a fresh one by default.

    Returns:
        the sides, left to right (one element when there is no ``=``).

    Raises:
        ParseError: the string is not plain mathematics (the message names the refused construct).
    """
    namespace = namespace or Namespace()
    if not isinstance(text, str):
        raise ParseError(f"expected a string, got {type(text).__name__}")
    if len(text) > _MAX_LENGTH:
        raise ParseError(f"the claim is {len(text)} characters long; at most {_MAX_LENGTH} are accepted")
    source = _SINGLE_EQUALS.sub("==", _EXPONENT.sub(_power, as_python(text)).replace("^", "**")).strip()
    source = _LAMBDA_WORD.sub("λ", source)
    _refuse_folded_letters(source, text)
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise ParseError(f"cannot parse {text!r} as mathematics ({getattr(error, 'msg', error)}); "
                         "write products with '*' (2*x, not 2x)") from None
    builder = _Builder(namespace, text)
    body = tree.body
    if isinstance(body, ast.Compare):
        if not all(isinstance(op, ast.Eq) for op in body.ops):
            raise ParseError(f"refused {text!r}: only '=' relations can be checked")
        return [builder.build(side) for side in [body.left, *body.comparators]]
    return [builder.build(body)]


def _power(exponent: re.Match) -> str:
    return f"**({exponent.group(0).translate(_SUPERSCRIPT_DIGITS)})"


def _refuse_folded_letters(source: str, text: str) -> None:
    """Python folds identifiers by NFKC, so QᵀQ would be read as one name QTQ and xᵢ as xi: a wrong reading, and
    a wrong verdict with it. Such modifier letters are refused with the spelling that works."""
    for character in source:
        if character.isidentifier() and unicodedata.normalize("NFKC", character) != character and \
                unicodedata.category(character) == "Lm":
            name = unicodedata.name(character, f"U+{ord(character):04X}").lower()
            raise ParseError(f"cannot read {text!r}: the {name} {character!r} would merge into the name beside it; "
                             "write transpose(Q)*Q for QᵀQ and x[i] for xᵢ, or give the claim in LaTeX")


class _Builder:
    """Walks a whitelisted ``ast`` tree and builds SymPy objects through a :class:`Namespace`."""

    def __init__(self, namespace: Namespace, text: str):
        self.namespace = namespace
        self.text = text

    def refuse(self, what: str) -> ParseError:
        return ParseError(f"refused {self.text!r}: {what} is not allowed")

    def build(self, node: ast.AST) -> Any:
        try:
            return self._build(node)
        except RecursionError:
            raise ParseError(f"refused {self.text!r}: nested too deeply") from None
        except (TypeError, ValueError, AttributeError, sp.SympifyError) as error:
            if isinstance(error, ParseError):
                raise
            raise ParseError(f"cannot build {self.text!r}: {error}") from None

    def _build(self, node: ast.AST) -> Any:
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](self._build(node.left), self._build(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self._build(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise self.refuse(f"the constant {node.value!r}")
            return number(repr(node.value))
        if isinstance(node, ast.Name):
            return self.namespace.name("lambda" if node.id == "λ" else node.id)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Attribute):
            if node.attr != "T":
                raise ParseError(f"refused {self.text!r}: attribute access (.{node.attr}) is not allowed; the one "
                                 "attribute read is .T, the transpose")
            return self.namespace.call("transpose", [self._build(node.value)])
        if isinstance(node, ast.Subscript):
            if not isinstance(node.value, ast.Name):
                raise self.refuse("indexing something other than a name")
            indices = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            return self.namespace.indexed(node.value.id, [self._build(i) for i in indices])
        if isinstance(node, ast.Compare):
            raise self.refuse("a relation inside an expression")
        if isinstance(node, ast.BinOp):
            symbol = _OPERATOR_SYMBOLS.get(type(node.op), type(node.op).__name__)
            raise ParseError(f"refused {self.text!r}: the operator {symbol} is not read in plain text"
                             + (" (a conditional bar: write the claim in LaTeX, p(y \\mid x))" if symbol == "|" else ""))
        raise self.refuse(_REFUSED.get(type(node), f"the construct {type(node).__name__}"))

    def _call(self, node: ast.Call) -> Any:
        if not isinstance(node.func, ast.Name):
            raise self.refuse("a call of something other than a plain function name")
        if node.keywords:
            raise self.refuse("a keyword argument")
        name = node.func.id
        # A namespace with matrix_sums (the symml CLI's matrix namespace) reads sum(A) as the sum of A's entries.
        one_sum = name in ("sum", "Sum") and len(node.args) == 1 and getattr(self.namespace, "matrix_sums", False)
        if name in ("diff", "Derivative", "integrate", "Integral", "sum", "Sum") and not one_sum:
            if len(node.args) < 2:
                raise ParseError(f"{name} needs an expression and a variable (or limits)")
            body = self._build(node.args[0])
            limits = [self._limit(arg) for arg in node.args[1:]]
            if name in ("diff", "Derivative"):
                return sp.Derivative(body, *limits)
            if name in ("integrate", "Integral"):
                return sp.Integral(body, *limits)
            return sp.Sum(body, *limits)
        return self.namespace.call(name, [self._argument(arg) for arg in node.args])

    def _argument(self, node: ast.AST) -> Any:
        """A call's argument: a string literal only where the namespace names it (``norm(X, "fro")`` in the symml
        CLI's matrix namespace), passed on as the string; anything else built."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value in getattr(self.namespace, "string_arguments", ()):
            return node.value
        return self._build(node)

    def _limit(self, node: ast.AST) -> Any:
        """A variable, or a tuple ``(i, 1, n)`` / ``(x, a, b)`` / ``(x, 2)`` of a sum, integral or derivative."""
        if isinstance(node, ast.Tuple):
            return tuple(self._build(element) for element in node.elts)
        return self._build(node)

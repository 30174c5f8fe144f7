r"""LaTeX claims as written in notes: ``\frac{d}{d\mu} \sum_i (x_i-\mu)^2 = -2\sum_i (x_i - \mu)``.

A small recursive-descent reader of the LaTeX that ML notes use, building SymPy objects through the same
vocabulary as plain strings (:mod:`symml.checker.vocabulary`); nothing is evaluated. SymPy's own LaTeX
parser (``parse_latex(..., backend="lark")``, SymPy 1.14) was measured first and rejects ``\sum_i``,
``\sigma(x)``, ``\ell``, ``x^\top``, ``\partial`` and ``\operatorname{tr}``, and returns an unresolved
ambiguity tree for ``\log(x) + \sqrt{z}``, so it cannot read notes.

Conventions (those of Bishop and Murphy):

- ``\frac{d}{dx} F``, ``\frac{\partial}{\partial x} F`` and ``\sum_i F`` apply to the rest of the product
  ``F`` (up to the next ``+``/``-``); ``\frac{dF}{dx}`` and ``f'(x)`` are derivatives too.
- ``\sum_i`` without limits runs from 1 to ``n``; ``x_i`` is element i of the data x (``x[i]``), ``x_{ij}``
  is ``x[i, j]``; ``\theta_0`` and ``\mu_{\text{MLE}}`` are plain names (``theta_0``, ``mu_MLE``).
- ``\hat\mu`` is the name ``mu_hat`` (``\bar x``: ``x_bar``); bold and ``\vec`` are transparent.
- ``\sigma(\cdot)`` is the logistic sigmoid (``\sigma`` alone is a symbol); ``\Gamma(\cdot)`` and
  ``\psi(\cdot)`` are the gamma and digamma functions; ``f, g, h, p, q, \ell, L, J`` followed by ``(`` are
  functions (a user's ``f(x)``); any other letter followed by ``(`` multiplies.
- ``^\top`` and ``^T`` transpose; ``^{-1}`` of a matrix inverts; ``e^{x}`` is the exponential;
  ``\lVert v \rVert`` is the Euclidean (Frobenius) norm of a vector (matrix), ``|x|`` the absolute value.
- ``\frac{d\sigma}{dz}`` and ``\frac{d\ell}{d\mu}``: a function letter alone is the function of the variable.
- ``f'(x)`` and ``\sigma'(z)`` are derivatives at the argument; ``\nabla_w F`` differentiates the rest of the
  product by w; ``\frac{dF}{d\sigma^2}`` is ``(dF/d\sigma) / (2 \sigma)`` for a positive sigma.
- ``p(x \mid \theta)``, ``f(x; \theta)``: arguments; ``p^m(x \mid p)`` is the function ``p^(m)`` (a label).
- A letter the notes also write with an index (``y`` next to ``y_i``) is the data vector: ``p(y \mid \theta)`` is
  the joint density ``p_y``, another function than ``p(y_i \mid \theta)``, and ``y^\top y`` is ``\sum_i y_i^2``.

>>> from symml.checker.vocabulary import Namespace
>>> parse_latex(r"\frac{d}{d\mu} \sum_i (x_i-\mu)^2 = -2\sum_i (x_i - \mu)")
[('', Derivative(Sum((-mu + x[i])**2, (i, 1, n)), mu)), ('=', -2*Sum(-mu + x[i], (i, 1, n)))]
>>> parse_latex(r"\tanh(t) = 2\sigma(2t) - 1")[1][1]
-1 + 2/(1 + exp(-2*t))
"""
from __future__ import annotations

from typing import Any, Callable

import sympy as sp

from symml.checker.latex_expectations import ExpectationsMixin
from symml.checker.ellipses import read_ellipsis, written_out
from symml.checker.latex_environments import read_environment
from symml.checker.latex_names import NamesMixin
from symml.checker.latex_operators import OperatorsMixin
from symml.checker.latex_spellings import respelled, unicode_as_latex
from symml.checker.latex_tokens import (ACCENTS, FUNCTION_LETTERS, FUNCTIONS, GREEK, HYPHENATED, INVISIBLE_DELIMITER, NAMED, RELATIONS,
                                        TRAILING, TRANSPARENT, TRANSPOSES, UPRIGHT_D, called_letters, letter_token, standalone_letters,
                                        tokenize)
from symml.checker.matrix_notation import add_sides, determinant_or_abs, elementwise_product
from symml.checker.sign_labels import sign_label
from symml.checker.vocabulary import MAX_LENGTH, SCALAR_NORM, SCALAR_TRANSPOSE, Namespace, number, power
from symml.errors import ParseError

__all__ = ["parse_latex", "RELATIONS", "standalone_letters"]


def parse_latex(text: str, namespace: Namespace | None = None) -> list[tuple[str, Any]]:
    """Read a LaTeX chain ``a = b = c`` into ``[("", a), ("=", b), ("=", c)]`` (the relation before each side).

    A line that starts with a relation (``= b = c``, a continued row of an ``align``) gives
    ``[("=", b), ("=", c)]``.

    Args:
        text: the LaTeX of one display-math line, without ``$$``, ``&`` or ``\\\\``.
        namespace: resolves names to the user's SymPy objects; a fresh one by default.

    Raises:
        ParseError: LaTeX this reader does not understand (the message quotes the place).
    """
    if not isinstance(text, str):
        raise ParseError(f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"the claim is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    source = TRAILING.sub("", INVISIBLE_DELIMITER.sub(" ", unicode_as_latex(text.strip())))
    source = HYPHENATED.sub(r"\1\2", UPRIGHT_D.sub(" d ", source))
    namespace = namespace if namespace is not None else Namespace()
    if source.count("(") > source.count(")"):  # L = -(y ln a + (1-y) ln(1-a): a bracket the row never closes
        namespace.doubt("the row opens a bracket it does not close: read as closed at its end")
        source += ")" * (source.count("(") - source.count(")"))
    namespace.letters |= standalone_letters(source)
    namespace.called_letters |= called_letters(source)
    reader = LatexReader(respelled(tokenize(source), namespace.doubt), namespace, text)
    try:
        return reader.chain()
    except RecursionError:
        raise ParseError(f"cannot read {text!r}: nested too deeply") from None
    except (TypeError, ValueError, AttributeError, IndexError, KeyError, ArithmeticError,
            sp.SympifyError, NotImplementedError) as error:
        if isinstance(error, ParseError):
            raise
        raise ParseError(f"cannot read {text!r}: {type(error).__name__}: {error}") from None


class LatexReader(ExpectationsMixin, NamesMixin, OperatorsMixin):
    """The recursive-descent reader: chains of relations, sums, products, powers and brackets; names and
    operators are read by its parts (:mod:`symml.checker.latex_names`, :mod:`symml.checker.latex_operators`)."""

    def chain(self) -> list[tuple[str, Any]]:
        leading = self.relation()  # a row of an align that continues the previous one: "&= ..."
        sides = [(leading or "", self.expression())]
        if not leading and self.at("char", ","):  # "w, b": names listed without a relation, compared with nothing
            listed = [sides[0][1]]
            while self.at("char", ","):
                self.take()
                listed.append(self.expression())
            if not self.at("end"):
                raise self.error("a list of expressions in a relation is not read")
            return [("", sp.Tuple(*listed))]
        while not self.at("end"):
            relation = self.relation()
            if relation is None:
                raise self.error("unexpected input")
            sides.append((relation, self.expression()))
        return sides

    def relation(self) -> str | None:
        kind, value = self.peek()
        if kind == "char" and value == ":" and self.peek(1) == ("char", "="):
            self.position += 2
            return ":="
        if kind == "cmd" and value in ("stackrel", "overset"):
            self.take()
            self.group_tokens()
            self.group_tokens()
            return ":="
        if (kind == "char" and value in "=<>") or (kind == "cmd" and value in RELATIONS):
            self.take()
            if value == "=" and self.at("char", ":"):  # a =: b names a by b, and claims they are equal
                self.take()
            return RELATIONS[value]
        return None

    def expression(self) -> Any:
        sign = 1
        while self.at("char", "+") or self.at("char", "-"):
            sign = -sign if self.take()[1] == "-" else sign
        value = sign * self.term() if sign == -1 else self.term()
        terms = [value]
        while self.at("char", "+") or self.at("char", "-"):
            operator = self.take()[1]
            if operator == "+" and read_ellipsis(self):  # a_1 + a_2 + \cdots + a_n: a sum written out
                value = written_out(self, terms, sp.Sum)
                terms = [value]
                continue
            terms.append(self.term() if operator == "+" else -self.term())
            value = add_sides(value, terms[-1])
        if self.at("char", "|") and self.peek(1) == ("char", "_") and not self.in_absolute_value:
            return self.evaluated(value)
        return value

    def evaluated(self, value: Any) -> Any:
        """``f |_{x = a}`` (also ``\\right|_{x = a}``, ``\\Big\\rvert_{...}``): f at x = a."""
        self.position += 2
        tokens = self.group_tokens() if self.at("char", "{") else [self.take()]
        if tokens.count(("char", "=")) != 1:
            raise self.error("an evaluation bar takes one equation, x = a")
        split = tokens.index(("char", "="))
        variable, point = (self.sub_reader(part).expression() for part in (tokens[:split], tokens[split + 1:]))
        if not isinstance(variable, sp.Symbol):
            raise self.error("an evaluation bar sets a name to a value")
        return sp.Subs(value, variable, point)

    def term(self) -> Any:
        value = self.factor()
        factors = [value]
        while True:
            if self.at("cmd", "cdot") or self.at("cmd", "times") or self.at("char", "*"):
                self.take()
                if read_ellipsis(self):  # f(x_1) \cdot f(x_2) \cdot ... \cdot f(x_N): a product written out
                    value = written_out(self, factors, sp.Product)
                    factors = [value]
                    continue
                factors.append(self.factor())
                value = value * factors[-1]
            elif self.at("cmd", "odot"):  # the elementwise product: a product of numbers, not of matrices
                self.take()
                value = elementwise_product(value, self.factor())
            elif self.at("char", "/") or self.at("cmd", "div"):
                self.take()
                divisor = self.factor()
                value = value * power(divisor, -1)
            elif self.starts_factor():
                value = value * self.factor()
            else:
                return value

    def starts_factor(self) -> bool:
        kind, value = self.peek()
        if self.differential_stops and self.at_differential():
            return False
        if kind in ("num", "letter", "word"):
            return True
        if kind == "char":
            bar = value == "|" and not self.in_absolute_value and self.peek(1) != ("char", "_")  # f|_{x=a} evaluates
            return value in "([{" or bar or (value == "‖" and not self.in_norm)
        return kind == "cmd" and value not in RELATIONS and value not in ("cdot", "times", "div", "stackrel",
                                                                          "overset", "\\", "end", "choose", "odot",
                                                                          "mid", "rangle")

    def factor(self) -> Any:
        base = self.postfix(self.primary())
        if self.at("char", "^"):
            self.take()
            base = self.superscript(base)
        return base

    def superscript(self, base: Any) -> Any:
        if self.at("cmd", "prime") and isinstance(base, sp.Symbol):  # f^\prime(x) is f'(x)
            self.tokens[self.position] = ("char", "'")
            return self.named(base.name)
        label = sign_label(self, base)
        if label is not None:  # P_k^-, \hat{x}_k^+: the prior and the posterior, labels
            return label
        if self.at("char", "-") and self.peek(1)[0] != "end":  # e^-(xw+b): LaTeX raises the sign only, notes mean both
            self.take()
            self.namespace.doubt("read a superscript - without braces as the power of what follows it")
            return power(base, -(self.primary() if self.at("char", "(") else self.script_argument()))
        raw = self.raw_script()
        if isinstance(base, sp.Symbol) and base.name in FUNCTION_LETTERS and self.peek(self.raw_length) == ("char", "("):
            self.position += self.raw_length
            if self.call_has_separator():  # p^m(x | p): the function p^m (a label, not a power) applied
                return self.named(f"{base.name}^({''.join(raw)})")
            self.position -= self.raw_length
        summed = self.ones_product() if raw in TRANSPOSES and base == 1 else None
        if summed is not None:  # \mathbf{1}^\top \alpha: the sum of the elements of the data alpha
            return summed
        inverse = raw[:1] == ["-"] and raw[1:] in TRANSPOSES  # A^{-T}, A^{-\top}: the inverse of the transpose
        if raw in TRANSPOSES or inverse:
            self.position += self.raw_length
            if isinstance(base, sp.Basic) and not base.atoms(sp.MatrixSymbol, sp.Indexed, sp.IndexedBase):
                self.namespace.doubt(f"{SCALAR_TRANSPOSE} {base} as a number")
            return power(sp.transpose(base), -1) if inverse else sp.transpose(base)
        if isinstance(base, (sp.Symbol, sp.Indexed)) and raw and (raw[0] in "([" or (
                all(v in ("L", "l", "+", "-", "1") for v in raw) and {"L", "l"} & set(raw))):
            # a label, not a power: y^{(i)}, z^{[l]}, W^L, a^{L-1}, a_j^L (layer and example indices); x^{-1} is a power
            self.position += self.raw_length
            label = "".join(raw).strip("()[]")
            if isinstance(base, sp.Indexed):
                return self.namespace.indexed(f"{base.base.label}^({label})", list(base.indices))
            return self.namespace.name(f"{base.name}^({label})")
        return power(base, self.script_argument())

    def raw_script(self) -> list[str]:
        """The token values of the script that follows (a braced group or one token), without reading it;
        ``raw_length`` says how many tokens it spans."""
        start = self.position
        if self.peek()[0] == "cmd" and self.peek(1) == ("char", "{"):  # ^\mathrm{T}
            start += 1
        elif not self.at("char", "{"):
            if self.peek()[0] == "word":  # w^TX is w^T X in LaTeX: a script takes one letter
                word = self.peek()[1]
                self.tokens[self.position:self.position + 1] = [("letter", word[0]), letter_token(word[1:])]
            self.raw_length = 1
            return [self.peek()[1]]
        depth, index = 0, start
        values: list[str] = []
        while index < len(self.tokens):
            kind, value = self.tokens[index]
            if (kind, value) == ("char", "{"):
                depth += 1
            elif (kind, value) == ("char", "}"):
                depth -= 1
                if depth == 0:
                    self.raw_length = index - self.position + 1
                    return [self.peek()[1], "{", *values[1:], "}"] if start > self.position else values[1:]
            values.append(value)
            index += 1
        self.raw_length = 0
        return []

    def script_argument(self) -> Any:
        """The argument of ``^`` or ``_``: a braced group, or a single digit/letter/command."""
        if self.at("char", "{"):
            return self.braced()
        kind, value = self.take()
        if kind == "word":  # x^ab is x^a * b in LaTeX: put the rest back
            self.tokens.insert(self.position, letter_token(value[1:]))
            kind, value = "letter", value[0]
        if kind == "num":
            if len(value) > 1:  # x^23 is x^2 * 3 in LaTeX: put the rest back
                self.tokens.insert(self.position, ("num", value[1:]))
            return number(value[0])
        if kind == "letter":
            return self.namespace.name(value)
        if kind == "cmd" and value in GREEK:
            return self.namespace.name(value)
        raise self.error("expected a superscript or subscript")

    def braced(self) -> Any:
        self.expect("char", "{")
        value = self.expression()
        if self.at("cmd", "choose"):  # {n \choose k}
            self.take()
            value = self.namespace.call("binomial", [value, self.expression()])
        self.expect("char", "}")
        return value

    def binomial(self) -> Any:
        """``\\binom{n}{k}``: the binomial coefficient, as ``{n \\choose k}``."""
        top = self.braced() if self.at("char", "{") else self.script_argument()
        bottom = self.braced() if self.at("char", "{") else self.script_argument()
        return self.namespace.call("binomial", [top, bottom])

    def parenthesised(self) -> list[Any]:
        """``( a, b, ... )`` or ``[...]``: the arguments."""
        closing = {"(": ")", "[": "]"}[self.take()[1]]
        arguments = [self.expression()]
        while self.at("char", ","):
            self.take()
            arguments.append(self.expression())
        self.expect("char", closing)
        return arguments

    def postfix(self, value: Any) -> Any:
        while self.at("char", "!"):
            self.take()
            value = self.namespace.call("factorial", [value])  # refuses a huge argument
        while self.at("char", "'") and isinstance(value, sp.MatrixExpr):
            self.take()  # x'Ax, (AB)' of matrices: the transpose, as econometrics writes it
            value = value.T
        return value

    def primary(self) -> Any:
        kind, value = self.peek()
        if kind == "num":
            self.take()
            return number(value)
        if kind == "char" and value in "([":
            inner = self.parenthesised()
            if len(inner) > 1:  # (a, b) not applied to a function: a pair, an interval, a point
                raise self.error(f"a list of {len(inner)} expressions in brackets is not read")
            return inner[0]
        if kind == "char" and value == "{":
            return self.braced()
        if kind == "char" and value == "|":
            self.take()
            self.in_absolute_value += 1
            inner = self.expression()
            self.in_absolute_value -= 1
            self.expect("char", "|")
            return determinant_or_abs(inner)
        if kind == "char" and value == "‖":
            self.take()
            self.in_norm += 1
            inner = self.expression()
            self.in_norm -= 1
            self.expect("char", "‖")
            if self.at("char", "_") and self.peek(1) in (("num", "2"), ("letter", "F")):  # ‖v‖_2, ‖A‖_F
                self.position += 2
            # the Euclidean norm of a vector, the Frobenius norm of a matrix, |x| of a scalar
            if getattr(inner, "is_Matrix", False):
                return sp.sqrt(sp.Trace(inner.T * inner))
            letters = sorted(str(s) for s in getattr(inner, "free_symbols", ()) if not s.is_integer)
            if letters:  # double bars are written around vectors: as numbers, the claim is decided for d = 1 only
                self.namespace.doubt(f"{SCALAR_NORM} of {', '.join(letters)} as the absolute value of a number")
            return sp.Abs(inner)
        if kind == "letter":
            self.take()
            return self.named(value)
        if kind == "word":
            self.take()
            return self.word_token(value)
        if kind == "cmd":
            return self.command()
        raise self.error("expected a number, a name or a bracket")

    def command(self) -> Any:
        _, name = self.take()
        handlers: dict[str, Callable[[], Any]] = {
            "frac": self.fraction, "dfrac": self.fraction, "tfrac": self.fraction, "sqrt": self.square_root,
            "sum": lambda: self.big_operator(sp.Sum), "prod": lambda: self.big_operator(sp.Product),
            "int": self.integral, "binom": self.binomial, "dbinom": self.binomial, "tbinom": self.binomial,
        }
        if name in handlers:
            return handlers[name]()
        if name in FUNCTIONS:
            return self.function(FUNCTIONS[name])
        if name in GREEK:
            return self.named(name)
        if name in ACCENTS or name in TRANSPARENT or name in NAMED:
            return self.name_command(name)
        if name == "nabla":
            return self.gradient()
        if name == "Pr":  # \Pr(A \mid B): a probability of events
            return self.named("Pr")
        if name == "langle":
            return self.angle_expectation()
        if name == "begin":  # \begin{pmatrix} ... \end{pmatrix}, \begin{cases} ... \end{cases}
            return read_environment(self)
        if name in ("underbrace", "overbrace"):  # the brace's label is a remark
            after_sign = self.tokens[self.position - 2:self.position - 1] in ([("char", "-")], [("char", "+")])
            inner = self.group_tokens()
            if self.at("char", "_") or self.at("char", "^"):
                self.take()
                if self.at("char", "{"):
                    self.group_tokens()
                elif self.peek()[0] in ("letter", "word", "num", "cmd"):  # \underbrace{...}_ + c: no label
                    self.take()
            if after_sign:  # a brace is drawn under terms, it does not group them: - \underbrace{a - b}_{..} is - a - b
                self.tokens[self.position:self.position] = inner
                return self.primary()
            return self.sub_reader(inner).expression()
        raise self.error(f"the command \\{name} is not supported")

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

>>> from symml.checker.vocabulary import Namespace
>>> parse_latex(r"\frac{d}{d\mu} \sum_i (x_i-\mu)^2 = -2\sum_i (x_i - \mu)")
[('', Derivative(Sum((-mu + x[i])**2, (i, 1, n)), mu)), ('=', -2*Sum(-mu + x[i], (i, 1, n)))]
>>> parse_latex(r"\tanh(t) = 2\sigma(2t) - 1")[1][1]
-1 + 2/(1 + exp(-2*t))
"""
from __future__ import annotations

import re
from typing import Any, Callable

import sympy as sp

from symml.checker.vocabulary import INDEX_LETTERS, MAX_LENGTH, Namespace, bounded_operator, number, power
from symml.errors import ParseError

__all__ = ["parse_latex", "RELATIONS"]

#: Relations a chain may use, as read: "=" is a claim, ":=" a definition; others are read but not checked.
RELATIONS = {"=": "=", "coloneqq": ":=", "triangleq": ":=", "equiv": ":=", "approx": "≈", "propto": "∝",
             "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "<": "<", ">": ">"}

_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
          "kappa", "lambda", "mu", "nu", "xi", "rho", "varrho", "sigma", "tau", "upsilon", "phi", "varphi", "chi",
          "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi",
          "Omega", "ell", "pi", "infty"}
_FUNCTIONS = {"log": "log", "ln": "log", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan", "sinh": "sinh",
              "cosh": "cosh", "tanh": "tanh", "arcsin": "asin", "arccos": "acos", "arctan": "atan", "det": "det",
              "max": "max", "min": "min", "tr": "trace", "Tr": "trace", "trace": "trace", "logdet": "logdet",
              "softplus": "softplus", "sigmoid": "sigmoid", "erf": "erf", "diag": "diag", "sign": "sign"}
#: Greek letters that are functions when followed by "(".
_GREEK_FUNCTIONS = {"sigma": "sigmoid", "Gamma": "gamma", "psi": "digamma"}
_FUNCTION_LETTERS = {"f", "g", "h", "p", "q", "ell", "L", "J", "F", "G"}
_ACCENTS = {"hat": "hat", "bar": "bar", "tilde": "tilde", "overline": "bar", "widehat": "hat", "dot": "dot"}
_TRANSPARENT = {"mathbf", "boldsymbol", "bm", "vec", "mathbfit", "pmb", "boxed", "bold", "mathbb"}
_NAMED = {"mathrm", "operatorname", "text", "mathit", "textrm", "mathsf", "textit", "mathcal", "mathscr"}
#: Words written without a backslash that are functions (``sigmoid(z)``, ``log(x)``, ``Log(p)``).
_WORD_FUNCTIONS = {"log": "log", "ln": "log", "Log": "log", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan",
                   "tanh": "tanh", "sigmoid": "sigmoid", "softplus": "softplus", "sqrt": "sqrt", "max": "max",
                   "min": "min", "det": "det", "tr": "trace", "trace": "trace", "erf": "erf"}
#: Words that are operations symml does not read yet: a claim using them is unchecked, never misread.
_UNSUPPORTED_WORDS = {"softmax", "relu", "ReLU", "Var", "Cov", "KL", "argmax", "argmin", "diag", "Softmax",
                      "arg", "sup", "inf", "lim", "E", "ELBO", "proj", "sgn"}
#: Standard families by the names notes give them, read as their densities: (x; parameters).
_DENSITIES = {"N": "normal", "Normal": "normal", "Poiss": "poisson", "Poisson": "poisson", "Pois": "poisson",
              "Bin": "binomial", "Binomial": "binomial", "Bern": "bernoulli", "Bernoulli": "bernoulli"}
#: Separators of the arguments of a density or likelihood: p(x | theta), f(x; p).
_SEPARATORS = (("char", "|"), ("char", ";"), ("cmd", "mid"), ("cmd", "vert"))
_SKIPPED = {",", ";", "!", ":", " ", "quad", "qquad", "displaystyle", "textstyle", "left", "right", "big", "Big",
            "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "nonumber", "notag", "limits", "middle"}
#: ``\left.`` and ``\right.``: an invisible delimiter, nothing to read.
_INVISIBLE_DELIMITER = re.compile(r"\\(?:left|right)\.")
#: Commands that stand for a character: delimiters of absolute values and escaped braces.
_COMMAND_CHARACTERS = {"lvert": ("char", "|"), "rvert": ("char", "|"), "vert": ("char", "|"),
                       "lVert": ("char", "‖"), "rVert": ("char", "‖"), "Vert": ("char", "‖"), "|": ("char", "‖"),
                       "{": ("char", "("), "}": ("char", ")")}
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\d+\.?\d*|\.\d+)|([A-Za-z]+)|(\S)")
#: ``\mathrm{d}x``: the upright d of a differential is the letter d.
#: Punctuation and spacing at the end of a claim: ``\\; .``, ``,``.
_TRAILING = re.compile(r"(?:\\[,;:! ]|[.,;\s])+$")
_UPRIGHT_D = re.compile(r"\\(?:mathrm|text|operatorname|rm|mathit)\s*\{\s*d\s*\}")
#: ``Log-Odds``: a hyphenated word is one name.
_HYPHENATED = re.compile(r"(?<![\\A-Za-z])([A-Za-z]{2,})-([A-Za-z]{2,})")
#: A letter that stands on its own in a text (not inside a word, not a command, not applied to arguments).
_STANDALONE_LETTER = re.compile(r"(?<![A-Za-z\\])([A-Za-z])(?![A-Za-z(])")


def standalone_letters(text: str) -> set[str]:
    """The letters ``text`` uses on their own: a run of such letters (``ab``, ``pn``) is a product of them."""
    return set(_STANDALONE_LETTER.findall(text))


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens = []
    for match in _TOKEN.finditer(text):
        command, digits, letter, char = match.groups()
        if command is not None:
            if command in _SKIPPED:
                continue
            tokens.append(_COMMAND_CHARACTERS.get(command, ("cmd", command)))
        elif digits is not None:
            tokens.append(("num", digits))
        elif letter is not None:
            tokens.append(("letter", letter) if len(letter) == 1 else ("word", letter))
        else:
            tokens.append(("char", char))
    return tokens


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
    source = _TRAILING.sub("", _INVISIBLE_DELIMITER.sub(" ", text.strip()))
    source = _HYPHENATED.sub(r"\1\2", _UPRIGHT_D.sub(" d ", source))
    namespace = namespace if namespace is not None else Namespace()
    namespace.letters |= standalone_letters(source)
    reader = _Reader(_tokens(source), namespace, text)
    try:
        return reader.chain()
    except RecursionError:
        raise ParseError(f"cannot read {text!r}: nested too deeply") from None
    except (TypeError, ValueError, AttributeError, IndexError, KeyError, ArithmeticError,
            sp.SympifyError, NotImplementedError) as error:
        if isinstance(error, ParseError):
            raise
        raise ParseError(f"cannot read {text!r}: {type(error).__name__}: {error}") from None


class _Reader:
    def __init__(self, tokens: list[tuple[str, str]], namespace: Namespace, text: str):
        self.tokens = tokens
        self.position = 0
        self.namespace = namespace
        self.text = text
        self.in_absolute_value = 0
        self.in_norm = 0
        self.differential_stops = 0
        self.raw_length = 0

    # --- token helpers -------------------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> tuple[str, str]:
        index = self.position + ahead
        return self.tokens[index] if index < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.position += 1
        return token

    def at(self, kind: str, value: str | None = None) -> bool:
        token = self.peek()
        return token[0] == kind and (value is None or token[1] == value)

    def expect(self, kind: str, value: str) -> None:
        if not self.at(kind, value):
            raise self.error(f"expected {value!r}")
        self.take()

    def error(self, message: str) -> ParseError:
        shown = " ".join(v for _, v in self.tokens[self.position:self.position + 6])
        return ParseError(f"cannot read {self.text!r}: {message} at {shown!r}" if shown else
                          f"cannot read {self.text!r}: {message} at the end")

    # --- grammar -------------------------------------------------------------------------------------------
    def chain(self) -> list[tuple[str, Any]]:
        leading = self.relation()  # a row of an align that continues the previous one: "&= ..."
        sides = [(leading or "", self.expression())]
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
            return RELATIONS[value]
        return None

    def expression(self) -> Any:
        sign = 1
        while self.at("char", "+") or self.at("char", "-"):
            sign = -sign if self.take()[1] == "-" else sign
        value = sign * self.term() if sign == -1 else self.term()
        while self.at("char", "+") or self.at("char", "-"):
            operator = self.take()[1]
            value = value + self.term() if operator == "+" else value - self.term()
        return value

    def term(self) -> Any:
        value = self.factor()
        while True:
            if self.at("cmd", "cdot") or self.at("cmd", "times") or self.at("char", "*"):
                self.take()
                value = value * self.factor()
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
            return value in "([{" or (value == "|" and not self.in_absolute_value) or (value == "‖" and not self.in_norm)
        return kind == "cmd" and value not in RELATIONS and value not in ("cdot", "times", "div", "stackrel",
                                                                          "overset", "\\", "end", "begin", "choose")

    def factor(self) -> Any:
        base = self.postfix(self.primary())
        if self.at("char", "^"):
            self.take()
            base = self.superscript(base)
        return base

    def superscript(self, base: Any) -> Any:
        if self.at("cmd", "prime"):
            raise self.error("a prime (derivative of a function without its definition) is not read")
        raw = self.raw_script()
        if raw in (["T"], ["top"], ["intercal"], ["⊤"], ["mathrm", "{", "T", "}"], ["mathsf", "{", "T", "}"],
                   ["rm", "T"], ["text", "{", "T", "}"], ["mathbf", "{", "T", "}"], ["mathrm", "T"], ["mathsf", "T"]):
            self.position += self.raw_length
            return sp.transpose(base)
        if isinstance(base, sp.Symbol) and raw and (raw[0] in "([" or all(v in ("L", "l", "+", "-", "1")
                                                                          for v in raw)):
            # a label, not a power: y^{(i)}, z^{[l]}, W^L, a^{L-1} (layer and example indices)
            self.position += self.raw_length
            label = "".join(raw).strip("()[]")
            return self.namespace.name(f"{base.name}^({label})")
        return power(base, self.script_argument())

    def raw_script(self) -> list[str]:
        """The token values of the script that follows (a braced group or one token), without reading it;
        ``raw_length`` says how many tokens it spans."""
        start = self.position
        if self.peek()[0] == "cmd" and self.peek(1) == ("char", "{"):  # ^\mathrm{T}
            start += 1
        elif not self.at("char", "{"):
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
            self.tokens.insert(self.position, _letter_token(value[1:]))
            kind, value = "letter", value[0]
        if kind == "num":
            if len(value) > 1:  # x^23 is x^2 * 3 in LaTeX: put the rest back
                self.tokens.insert(self.position, ("num", value[1:]))
            return number(value[0])
        if kind == "letter":
            return self.namespace.name(value)
        if kind == "cmd" and value in _GREEK:
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

    def call_arguments(self) -> list[Any]:
        """``(a, b; c | d)``: the arguments of a function, a density or a likelihood; ``|``, ``;`` and
        ``\\mid`` separate arguments like commas."""
        closing = {"(": ")", "[": "]"}[self.take()[1]]
        self.in_absolute_value += 1  # a bar separates arguments here
        try:
            arguments = [self.expression()]
            while self.at("char", ",") or self.peek() in _SEPARATORS:
                self.take()
                arguments.append(self.expression())
        finally:
            self.in_absolute_value -= 1
        self.expect("char", closing)
        return arguments

    def call_has_separator(self) -> bool:
        """Whether the parenthesised group that follows has a ``|``, ``;`` or ``\\mid`` at its top level."""
        depth, index = 0, self.position
        while index < len(self.tokens):
            token = self.tokens[index]
            if token in (("char", "("), ("char", "["), ("char", "{")):
                depth += 1
            elif token in (("char", ")"), ("char", "]"), ("char", "}")):
                depth -= 1
                if depth == 0:
                    return False
            elif depth == 1 and token in _SEPARATORS:
                return True
            index += 1
        return False

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
        return value

    def primary(self) -> Any:
        kind, value = self.peek()
        if kind == "num":
            self.take()
            return number(value)
        if kind == "char" and value in "([":
            (inner,) = self.parenthesised()
            return inner
        if kind == "char" and value == "{":
            return self.braced()
        if kind == "char" and value == "|":
            self.take()
            self.in_absolute_value += 1
            inner = self.expression()
            self.in_absolute_value -= 1
            self.expect("char", "|")
            return sp.Abs(inner)
        if kind == "char" and value == "‖":
            self.take()
            self.in_norm += 1
            inner = self.expression()
            self.in_norm -= 1
            self.expect("char", "‖")
            # the Euclidean norm of a vector, the Frobenius norm of a matrix, |x| of a scalar
            return sp.sqrt(sp.Trace(inner.T * inner)) if getattr(inner, "is_Matrix", False) else sp.Abs(inner)
        if kind == "letter":
            self.take()
            return self.named(value)
        if kind == "word":
            self.take()
            return self.word_token(value)
        if kind == "cmd":
            return self.command()
        raise self.error("expected a number, a name or a bracket")

    # --- names ---------------------------------------------------------------------------------------------
    def named(self, name: str) -> Any:
        """A name just read: with its subscript, as a function call, or as a symbol."""
        if self.at("char", "_"):
            self.take()
            name, indices = self.subscript(name)
            if indices:
                if self.at("char", "(") and self.call_has_separator():
                    raise self.error(f"{name}_... applied to arguments is not read")
                if self.at("char", "(") and name[:1].isupper():
                    self.namespace.doubt(f"read {name}_...(...) as a product")
                return self.namespace.indexed(name, indices)
        if self.at("char", "'"):
            raise self.error("a prime (derivative of a function without its definition) is not read")
        if name in ("f", "g", "h") and not self.at("char", "(") and not self.namespace.is_function(name):
            self.namespace.doubt(f"{name} stands without arguments: read as a number")
        if self.at("char", "(") and self.is_call(name):
            arguments = self.call_arguments()
            if name in _DENSITIES and len(arguments) > 1:
                return _density(_DENSITIES[name], arguments, self)
            return self.namespace.call(_GREEK_FUNCTIONS.get(name, name), arguments)
        return self.namespace.name(name)

    def is_call(self, name: str) -> bool:
        """Whether ``name(...)`` applies a function (else it multiplies): a known or multi-letter function, a
        density, or a function letter that the notes do not also use as a variable on its own."""
        if name in _GREEK_FUNCTIONS or self.namespace.is_function(name) or name in _DENSITIES:
            return True
        if len(name) > 1 and name not in _GREEK and not self.at_number_argument():
            return True
        if name in _FUNCTION_LETTERS:
            if self.call_has_separator() or name not in self.namespace.letters:
                return True
            self.namespace.doubt(f"read {name}(...) as a product, since {name} is also a variable")
        return False

    def at_number_argument(self) -> bool:
        return self.peek(1)[0] == "num" and self.peek(2) == ("char", ")")

    def word_token(self, word: str) -> Any:
        """A run of letters without a backslash: a function (``sigmoid``, ``log``), a product of letters the
        notes use on their own (``ab``, ``pn``), or one name (``Odds``, ``Loss``)."""
        if word in _WORD_FUNCTIONS:
            return self.function(_WORD_FUNCTIONS[word])
        if word in _UNSUPPORTED_WORDS and (self.at("char", "(") or self.at("char", "[") or self.at("char", "_")):
            raise self.error(f"{word} is not read yet")
        if all(letter in self.namespace.letters for letter in word):
            self.tokens[self.position:self.position] = [("letter", letter) for letter in word[1:]]
            return self.named(word[0])
        return self.named(word)

    def subscript(self, name: str) -> tuple[str, list[Any]]:
        """``x_i`` -> data x at i; ``x_{ij}``/``x_{i,j}`` -> two indices; ``\\theta_0`` -> the name theta_0."""
        if self.at("word"):  # x_ij is x_i j in LaTeX: put the rest back
            word = self.take()[1]
            self.tokens.insert(self.position, _letter_token(word[1:]))
            tokens = [("letter", word[0])]
        else:
            tokens = _letters(self.group_tokens()) if self.at("char", "{") else [self.take()]
        letters = [v for k, v in tokens if k != "char" or v != ","]
        if all(k == "letter" and v in INDEX_LETTERS for k, v in tokens if (k, v) != ("char", ",")) and letters:
            return name, [self.namespace.name(letter) for letter in letters]
        words = "".join(v for k, v in tokens if k != "char" and v not in _NAMED | _TRANSPARENT)
        if not re.fullmatch(r"[A-Za-z0-9]+", words):
            raise self.error(f"cannot use the subscript of {name!r} as a name")
        return f"{name}_{words}", []

    def group_tokens(self) -> list[tuple[str, str]]:
        """The raw tokens of a braced group (for names, subscripts and relation decorations)."""
        self.expect("char", "{")
        depth = 1
        tokens: list[tuple[str, str]] = []
        while True:
            token = self.take()
            if token[0] == "end":
                raise self.error("unclosed '{'")
            if token == ("char", "{"):
                depth += 1
            elif token == ("char", "}"):
                depth -= 1
                if depth == 0:
                    return tokens
            tokens.append(token)

    def word(self) -> str:
        """The text of ``\\mathrm{...}``-like groups (or of a single following token)."""
        tokens = self.group_tokens() if self.at("char", "{") else [self.take()]
        return "".join(v for _, v in tokens)

    # --- commands ------------------------------------------------------------------------------------------
    def command(self) -> Any:
        _, name = self.take()
        handlers: dict[str, Callable[[], Any]] = {
            "frac": self.fraction, "dfrac": self.fraction, "tfrac": self.fraction, "sqrt": self.square_root,
            "sum": lambda: self.big_operator(sp.Sum), "prod": lambda: self.big_operator(sp.Product),
            "int": self.integral,
        }
        if name in handlers:
            return handlers[name]()
        if name in _FUNCTIONS:
            return self.function(_FUNCTIONS[name])
        if name in _GREEK:
            return self.named(name)
        if name in _ACCENTS:
            accented = self.word()
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", accented):
                raise self.error(f"cannot use the accent on {accented!r}")
            return self.named(f"{accented}_{_ACCENTS[name]}")
        if name in _TRANSPARENT:
            if self.peek() == ("char", "{") and self.peek(2) == ("char", "}") and (
                    self.peek(1)[0] in ("letter", "word") or self.peek(1)[1] in _GREEK):
                self.take()
                kind, inner = self.take()
                self.take()
                return self.named(inner) if kind != "word" else self.word_token(inner)  # \mathbf{x}_i: subscripted
            return self.braced() if self.at("char", "{") else self.primary()
        if name in ("underbrace", "overbrace"):  # the brace's label is a remark
            value = self.braced()
            if self.at("char", "_") or self.at("char", "^"):
                self.take()
                if self.at("char", "{"):
                    self.group_tokens()
                else:
                    self.take()
            return value
        if name in _NAMED:
            word = self.word()
            if word in _FUNCTIONS:
                return self.function(_FUNCTIONS[word])
            if word in _WORD_FUNCTIONS:
                return self.function(_WORD_FUNCTIONS[word])
            if word in _UNSUPPORTED_WORDS:
                raise self.error(f"{word} is not read yet")
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", word):
                raise self.error(f"cannot use {word!r} as a name")
            return self.named(word if name not in ("mathcal", "mathscr") or word in _DENSITIES else f"{word}_cal")
        raise self.error(f"the command \\{name} is not supported")

    def function(self, name: str) -> Any:
        exponent = base = None
        for _ in range(2):
            if self.at("char", "^"):  # \log^2 x = (\log x)^2
                self.take()
                exponent = self.script_argument()
            elif self.at("char", "_") and name == "log":  # \log_2 x
                self.take()
                base = self.script_argument()
        if self.at("char", "(") or self.at("char", "["):
            arguments = self.parenthesised()
        elif self.at("char", "{"):
            arguments = [self.braced()]
        else:
            arguments = [self.factor()]
        if name == "diag":
            raise self.error("diag is not supported in LaTeX claims")
        if base is not None:
            arguments = [*arguments, base]
        value = self.namespace.call(name, arguments)
        return value if exponent is None else power(value, exponent)

    def square_root(self) -> Any:
        degree = None
        if self.at("char", "["):
            self.take()
            degree = self.expression()
            self.expect("char", "]")
        radicand = self.braced() if self.at("char", "{") else self.factor()
        return sp.sqrt(radicand) if degree is None else sp.root(radicand, degree)

    def fraction(self) -> Any:
        start = self.position
        numerator_tokens = _letters(self.group_tokens())
        denominator_tokens = _letters(self.group_tokens())
        if numerator_tokens[:1] in ([("letter", "d")], [("cmd", "partial")]):
            rest = numerator_tokens[1:]
            ordered = rest[:1] == [("char", "^")]
            if ordered:
                rest = rest[2:]  # d^2 in the numerator: the order is in the denominator
            variables = self.differential_variables(denominator_tokens, ordered)
            if variables is not None:
                if len(rest) == 1 and rest[0][1] in _FUNCTION_LETTERS | set(_GREEK_FUNCTIONS):
                    # d sigma / dz, d ell / d mu: the function of the variable
                    name = _GREEK_FUNCTIONS.get(rest[0][1], rest[0][1])
                    function = self.namespace.call(name, [variables[0][0]])
                elif rest:
                    function = self.sub_reader(rest).expression()
                else:
                    function = self.term()
                return _derivative_at_hat(function, variables)
        self.position = start
        numerator, denominator = self.braced(), self.braced()
        return numerator * power(denominator, -1)

    def sub_reader(self, tokens: list[tuple[str, str]]) -> "_Reader":
        reader = _Reader(list(tokens), self.namespace, self.text)
        return reader

    def differential_variables(self, tokens: list[tuple[str, str]],
                               ordered: bool = True) -> list[tuple[Any, int]] | None:
        """``dx``, ``\\partial x^2``, ``d\\mu\\,d\\sigma``, ``dw_1``, ``\\partial z_i`` -> [(x, 1)], [(x, 2)], ...;
        None if not differentials."""
        variables, index = [], 0
        while index < len(tokens):
            if tokens[index] not in (("letter", "d"), ("cmd", "partial")) or index + 1 >= len(tokens):
                return None
            end = index + 2
            kind, name = tokens[index + 1]
            if kind == "cmd" and name in _TRANSPARENT | _NAMED | set(_ACCENTS) and end < len(tokens) \
                    and tokens[end] == ("char", "{"):
                end = tokens.index(("char", "}"), end) + 1
            elif kind not in ("letter", "cmd") or (kind == "cmd" and name not in _GREEK):
                return None
            if tokens[end:end + 1] == [("char", "_")] and end + 1 < len(tokens):
                end = (tokens.index(("char", "}"), end + 1) + 1) if tokens[end + 1] == ("char", "{") else end + 2
            reader = self.sub_reader(tokens[index + 1:end])
            variable = reader.primary()
            if not reader.at("end") or not isinstance(variable, (sp.Symbol, sp.Indexed)):
                return None
            index = end
            order = 1
            if tokens[index:index + 1] == [("char", "^")] and index + 1 < len(tokens) and tokens[index + 1][0] == "num":
                if not ordered:
                    raise self.error("a derivative by a power of a variable (d sigma^2) is not read")
                order = int(tokens[index + 1][1])
                index += 2
            variables.append((variable, order))
        return variables or None

    def at_differential(self) -> bool:
        kind, value = self.peek()
        if kind == "word" and value.startswith("d") and len(value) == 2:  # dx: split the word
            self.tokens[self.position:self.position + 1] = [("letter", "d"), ("letter", value[1])]
        return (self.peek() in (("letter", "d"), ("cmd", "partial"))
                and (self.peek(1)[0] == "letter" or (self.peek(1)[0] == "cmd" and self.peek(1)[1] in _GREEK)))

    def limits(self) -> tuple[Any, Any]:
        lower = upper = None
        for _ in range(2):
            if self.at("char", "_"):
                self.take()
                if self.at("word"):  # \\sum_ky_k is \\sum_k y_k: put the rest back
                    word = self.take()[1]
                    self.tokens.insert(self.position, _letter_token(word[1:]))
                    lower = [("letter", word[0])]
                else:
                    lower = _letters(self.group_tokens()) if self.at("char", "{") else [self.take()]
            elif self.at("char", "^"):
                self.take()
                upper = self.script_argument()
        return lower, upper

    def big_operator(self, operator: type) -> Any:
        lower, upper = self.limits()
        if not lower:  # \\sum x_i: over the index the notes use, i
            lower = [("letter", "i")]
            if "n" not in self.namespace.letters:
                self.namespace.doubt("a sum without an index, read as over i = 1..n")
        if len(lower) == 3 and lower[0][0] == "letter" and lower[1] in (("cmd", "neq"), ("cmd", "ne")) \
                and lower[2][0] == "letter" and upper is None:  # \\sum_{k \\neq i} f(k) = \\sum_k f(k) - f(i)
            index, excluded = self.namespace.name(lower[0][1]), self.namespace.name(lower[2][1])
            body = self.term()
            return operator(body, (index, 1, self.namespace.size("n"))) - body.xreplace({index: excluded}) \
                if operator is sp.Sum else self.error("a product over k != i is not read")
        if lower[0][0] != "letter" or (len(lower) > 1 and lower[1] != ("char", "=")):
            raise self.error("a sum over a set or with a condition on its index (\\sum_{k \\neq i}) is not read")
        index = self.namespace.name(lower[0][1])
        start = self.sub_reader(lower[2:]).expression() if len(lower) > 2 else sp.Integer(1)
        if upper is None:
            end = self.namespace.size("n")
            if "n" not in self.namespace.letters:
                self.namespace.doubt(f"the sum over {index} has no upper limit and the notes do not use n: taken as n")
        else:
            end = upper
        return bounded_operator(operator, self.term(), (index, start, end))

    def integral(self) -> Any:
        lower_tokens, upper = self.limits()
        self.differential_stops += 1
        body = self.term() if not self.at_differential() else sp.Integer(1)
        self.differential_stops -= 1
        if not self.at_differential():
            raise self.error("an integral needs its differential (dx)")
        self.take()
        variable = self.namespace.name(self.take()[1])
        if lower_tokens is None:
            return sp.Integral(body, variable)
        lower = _Reader(lower_tokens, self.namespace, self.text).expression()
        return sp.Integral(body, (variable, lower, upper))


def _letter_token(letters: str) -> tuple[str, str]:
    return ("letter", letters) if len(letters) == 1 else ("word", letters)


def _letters(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Tokens with every word split into its letters (in subscripts, differentials and limits)."""
    split: list[tuple[str, str]] = []
    for kind, value in tokens:
        split.extend([("letter", letter) for letter in value] if kind == "word" else [(kind, value)])
    return split


def _density(family: str, arguments: list[Any], reader: _Reader) -> Any:
    """The density (mass function) of a standard family at ``x``: ``N(x; mu, sigma^2)``, ``Poiss(y; lambda)``,
    ``Bin(y; n, p)``, ``Bern(x; p)``. The normal family takes the variance, as notes write it."""
    arities = {"normal": 3, "poisson": 2, "binomial": 3, "bernoulli": 2}
    if len(arguments) != arities[family]:
        raise reader.error(f"the {family} density takes {arities[family] - 1} parameters after the variable")
    x, *parameters = arguments
    if getattr(x, "is_Matrix", False) or any(getattr(p, "is_Matrix", False) for p in parameters):
        raise reader.error("a multivariate density is not read yet")
    if family == "normal":
        mean, variance = parameters
        return sp.exp(-(x - mean) ** 2 / (2 * variance)) / sp.sqrt(2 * sp.pi * variance)
    if family == "poisson":
        (rate,) = parameters
        return rate ** x * sp.exp(-rate) / sp.factorial(x)
    if family == "binomial":
        trials, probability = parameters
        return sp.binomial(trials, x) * probability ** x * (1 - probability) ** (trials - x)
    (probability,) = parameters
    return probability ** x * (1 - probability) ** (1 - x)


def _derivative_at_hat(function: Any, variables: list[tuple[Any, int]]) -> Any:
    """``d LL(lambda_hat) / d lambda``: the derivative by lambda, at lambda_hat (notes write the point as the
    argument)."""
    if len(variables) == 1 and isinstance(function, sp.core.function.AppliedUndef):
        (variable, order), = variables
        hat = sp.Symbol(f"{variable}_hat", **variable.assumptions0) if isinstance(variable, sp.Symbol) else None
        if hat is not None and variable not in function.args and hat in function.args:
            return sp.Subs(sp.Derivative(function.xreplace({hat: variable}), (variable, order)), variable, hat)
    return sp.Derivative(function, *variables)

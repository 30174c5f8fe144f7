r"""The words of LaTeX notes: the tokens a claim is cut into, the tables of names, functions and commands the
reader knows, and the token cursor every part of the reader moves (:class:`ReaderBase`).

>>> tokenize(r"\frac{d}{dx} x^2")[:4]
[('cmd', 'frac'), ('char', '{'), ('letter', 'd'), ('char', '}')]
"""
from __future__ import annotations

import re
from typing import Any

from symml.checker.vocabulary import Namespace
from symml.errors import ParseError

#: Relations a chain may use, as read: "=" is a claim, ":=" a definition; others are read but not checked.
RELATIONS = {"=": "=", "coloneqq": ":=", "triangleq": ":=", "equiv": ":=", "approx": "≈", "propto": "∝",
             "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "<": "<", ">": ">"}

GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
         "kappa", "lambda", "mu", "nu", "xi", "rho", "varrho", "sigma", "tau", "upsilon", "phi", "varphi", "chi",
         "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi",
         "Omega", "ell", "pi", "infty"}
FUNCTIONS = {"log": "log", "ln": "log", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan", "sinh": "sinh",
             "cosh": "cosh", "tanh": "tanh", "arcsin": "asin", "arccos": "acos", "arctan": "atan", "det": "det",
             "max": "max", "min": "min", "tr": "trace", "Tr": "trace", "trace": "trace", "logdet": "logdet",
             "softplus": "softplus", "sigmoid": "sigmoid", "erf": "erf", "diag": "diag", "sign": "sign",
             "relu": "relu", "ReLU": "relu", "softmax": "softmax", "Softmax": "softmax", "Beta": "beta"}
#: Greek letters that are functions when followed by "(".
GREEK_FUNCTIONS = {"sigma": "sigmoid", "Gamma": "gamma", "psi": "digamma"}
#: Letters that are functions when followed by "(" and not used alone: I(θ) the Fisher information and R(θ) the
#: risk of the estimation texts (Lehmann & Casella, Efron & Hastie), beside the objectives and densities.
FUNCTION_LETTERS = {"f", "g", "h", "p", "q", "ell", "L", "J", "F", "G", "I", "R"}
ACCENTS = {"hat": "hat", "bar": "bar", "tilde": "tilde", "overline": "bar", "widehat": "hat", "dot": "dot"}
TRANSPARENT = {"mathbf", "boldsymbol", "bm", "vec", "mathbfit", "pmb", "boxed", "bold", "mathbb"}
NAMED = {"mathrm", "operatorname", "text", "mathit", "textrm", "mathsf", "textit", "mathcal", "mathscr"}
#: Words written without a backslash that are functions (``sigmoid(z)``, ``log(x)``, ``Log(p)``).
WORD_FUNCTIONS = {"log": "log", "ln": "log", "Log": "log", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan",
                  "tanh": "tanh", "sigmoid": "sigmoid", "softplus": "softplus", "sqrt": "sqrt", "max": "max",
                  "min": "min", "det": "det", "tr": "trace", "trace": "trace", "erf": "erf", "relu": "relu",
                  "ReLU": "relu", "softmax": "softmax"}
#: Words that are operations symml does not read yet: a claim using them is unchecked, never misread.
UNSUPPORTED_WORDS = {"Var", "Cov", "KL", "argmax", "argmin", "diag", "Softmax",
                     "arg", "sup", "inf", "lim", "E", "proj", "sgn"}
#: Standard families by the names notes give them, read as their densities: (x; parameters).
DENSITIES = {"N": "normal", "Normal": "normal", "Poiss": "poisson", "Poisson": "poisson", "Pois": "poisson",
             "Bin": "binomial", "Binomial": "binomial", "Bern": "bernoulli", "Bernoulli": "bernoulli"}
#: Separators of the arguments of a density or likelihood: p(x | theta), f(x; p).
SEPARATORS = (("char", "|"), ("char", ";"), ("cmd", "mid"), ("cmd", "vert"))
SKIPPED = {",", ";", "!", ":", " ", "quad", "qquad", "displaystyle", "textstyle", "left", "right", "big", "Big",
           "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "bigg", "Bigg", "nonumber", "notag", "limits", "middle",
           "enspace", "thinspace", "medspace", "thickspace", "negthinspace", "negmedspace", "negthickspace"}
#: ``\left.`` and ``\right.``: an invisible delimiter, nothing to read.
INVISIBLE_DELIMITER = re.compile(r"\\(?:left|right)\.")
#: Commands that stand for a character: delimiters of absolute values and escaped braces.
COMMAND_CHARACTERS = {"lvert": ("char", "|"), "rvert": ("char", "|"), "vert": ("char", "|"),
                      "lVert": ("char", "‖"), "rVert": ("char", "‖"), "Vert": ("char", "‖"), "|": ("char", "‖"),
                      "{": ("char", "("), "}": ("char", ")")}
TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\d+\.?\d*|\.\d+)|([A-Za-z]+)|(\S)")
#: The raw tokens of a transpose superscript: ``^T``, ``^\top``, ``^\intercal``, ``^\mathrm{T}``, ...
TRANSPOSES = (["T"], ["top"], ["intercal"], ["⊤"], ["mathrm", "{", "T", "}"], ["mathsf", "{", "T", "}"],
              ["rm", "T"], ["text", "{", "T", "}"], ["mathbf", "{", "T", "}"], ["mathrm", "T"], ["mathsf", "T"])
#: Punctuation and spacing at the end of a claim: ``\\; .``, ``,``.
TRAILING = re.compile(r"(?:\\[,;:! ]|[.,;\s])+$")
#: ``\mathrm{d}x``: the upright d of a differential is the letter d.
UPRIGHT_D = re.compile(r"\\(?:mathrm|text|operatorname|rm|mathit)\s*\{\s*d\s*\}")
#: ``Log-Odds``: a hyphenated word is one name.
HYPHENATED = re.compile(r"(?<![\\A-Za-z])([A-Za-z]{2,})-([A-Za-z]{2,})")
#: A letter that stands on its own in a text (not inside a word, not a command, not applied to arguments).
STANDALONE_LETTER = re.compile(r"(?<![A-Za-z\\])([A-Za-z])(?![A-Za-z\d(']|\s*:(?!=))")  # f'(x), g: R -> R, L1


#: The law of an expectation, ``\mathbb{E}_q``, ``\langle f \rangle_{p}``, ``\mathrm{ELBO}(q)``: a density's
#: name, not a variable.
LAW_SUBSCRIPT = re.compile(r"(?:\\mathbb\s*\{\s*E\s*\}|\\rangle|(?<![A-Za-z\\])E)\s*_\s*(?:\{\s*[A-Za-z]\s*\}|[A-Za-z])"
                           r"|(?<=\})\s*\(\s*[pq]\s*\)")


#: A letter applied to a bracket (``X(Xw - y)``): a function, or a factor before a bracket.
CALLED_LETTER = re.compile(r"(?<![A-Za-z\\])([A-Za-z])(?=\()")


def called_letters(text: str) -> set[str]:
    """The letters ``text`` writes before a bracket (``X(...)``): a function, or a factor in front of a bracket."""
    return set(CALLED_LETTER.findall(text))


#: The variable of a derivative, in the denominator of its fraction: ``\frac{d}{dw}``, ``\frac{\partial L}{\partial w}``.
DIFFERENTIAL_LETTER = re.compile(r"\}\s*\{\s*(?:d|\\partial)\s*([A-Za-z])\s*\}")


#: A calligraphic or script letter, ``\mathcal{L}``, ``\mathscr L``: a name of its own (``L_cal``).
CALLIGRAPHIC_LETTER = re.compile(r"\\(?:mathcal|mathscr)\s*(?:\{\s*[A-Za-z]\s*\}|[A-Za-z](?![A-Za-z]))")


def standalone_letters(text: str) -> set[str]:
    """The letters ``text`` uses on their own (also as the variable of a differential, ``dw``): a run of such
    letters (``ab``, ``pn``) is a product of them."""
    text = CALLIGRAPHIC_LETTER.sub(" ", LAW_SUBSCRIPT.sub(" ", text))  # \mathcal L is L_cal, another name than L
    return set(STANDALONE_LETTER.findall(text)) | set(DIFFERENTIAL_LETTER.findall(text))


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens = []
    for match in TOKEN.finditer(text):
        command, digits, letter, char = match.groups()
        if command is not None:
            if command in SKIPPED:
                continue
            tokens.append(COMMAND_CHARACTERS.get(command, ("cmd", command)))
        elif digits is not None:
            tokens.append(("num", digits))
        elif letter is not None:
            tokens.append(("letter", letter) if len(letter) == 1 else ("word", letter))
        else:
            tokens.append(("char", char))
    return tokens


def letter_token(letters: str) -> tuple[str, str]:
    return ("letter", letters) if len(letters) == 1 else ("word", letters)


def split_words(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Tokens with every word split into its letters (in subscripts, differentials and limits)."""
    split: list[tuple[str, str]] = []
    for kind, value in tokens:
        split.extend([("letter", letter) for letter in value] if kind == "word" else [(kind, value)])
    return split


class ReaderBase:
    """The token cursor of the reader, and the grammar entry points its parts call on each other (the reader,
    :class:`symml.checker.parse_latex.LatexReader`, defines them)."""

    def __init__(self, tokens: list[tuple[str, str]], namespace: Namespace, text: str):
        self.tokens = tokens
        self.position = 0
        self.namespace = namespace
        self.text = text
        self.in_absolute_value = 0
        self.in_norm = 0
        self.in_divergence = 0  # KL(N(mu_1, sigma_1^2) || ...): a law without its variable is read there
        self.differential_stops = 0
        self.raw_length = 0
        self.expectation_depth = 0  # inside the argument of an expectation (densities follow Bayes' rule there)

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

    def sub_reader(self, tokens: list[tuple[str, str]]) -> "ReaderBase":
        """A reader of the same kind over other tokens (a numerator, a differential, a limit)."""
        return type(self)(list(tokens), self.namespace, self.text)

    def listed(self, what: str) -> list[Any]:
        """Expressions separated by commas up to the end (the names under an expectation); else an error naming
        ``what`` the list is the subscript of."""
        items = [self.expression()]
        while self.at("char", ","):
            self.take()
            items.append(self.expression())
        if not self.at("end"):
            raise self.error(f"cannot read the subscript of the {what}")
        return items

    # --- the grammar, defined by the reader ----------------------------------------------------------------
    def expression(self) -> Any:
        raise NotImplementedError

    def term(self) -> Any:
        raise NotImplementedError

    def factor(self) -> Any:
        raise NotImplementedError

    def primary(self) -> Any:
        raise NotImplementedError

    def braced(self) -> Any:
        raise NotImplementedError

    def parenthesised(self) -> list[Any]:
        raise NotImplementedError

    def script_argument(self) -> Any:
        raise NotImplementedError

    def named(self, name: str) -> Any:
        raise NotImplementedError

    def function(self, name: str) -> Any:
        raise NotImplementedError

    def prime_derivative(self, name: str) -> Any:
        raise NotImplementedError

    def implicit_upper_limit(self, index: Any) -> Any:
        raise NotImplementedError

    def raw_script(self) -> list[str]:
        raise NotImplementedError

    def starts_factor(self) -> bool:
        raise NotImplementedError

    def call_arguments(self) -> list[Any]:
        raise NotImplementedError

    def density_in_expectation(self, name: str) -> Any:
        raise NotImplementedError

    def is_probability_operator(self, name: str) -> bool:
        raise NotImplementedError

    def probability_operator(self, name: str) -> Any:
        raise NotImplementedError

    def density_integral(self, body: Any, variable: Any) -> Any:
        raise NotImplementedError

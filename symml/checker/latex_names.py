r"""Names in LaTeX notes: letters and words with their subscripts, accents (``\hat\mu`` is ``mu_hat``),
bold and calligraphic names, labels (``y^{(i)}``, ``W^L``), function calls and densities (``p(x \mid \theta)``,
``\mathcal{N}(x; \mu, \sigma^2)``).

>>> from symml.checker.parse_latex import parse_latex
>>> parse_latex(r"\hat\mu + y^{(i)}")[0][1]
mu_hat + y^(i)
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

from symml.checker.conditional_densities import CONDITIONAL_LETTERS, conditional_density
from symml.checker.ellipses import ELLIPSIS, range_subscript, ranges_of, read_ellipsis
from symml.checker.identity_matrix import IDENTITY_GUESS
from symml.checker.indicators import indicator
from symml.checker.events import conditional_argument_ahead, probability_of_events, top_level
from symml.checker.law_divergences import LAW_VARIABLE
from symml.checker.parameter_subscripts import parametrised_call
from symml.checker.latex_tokens import (ACCENTS, DENSITIES, FUNCTION_LETTERS, FUNCTIONS, GREEK, GREEK_FUNCTIONS,
                                        NAMED, SEPARATORS, TRANSPARENT, TRANSPOSES, UNSUPPORTED_WORDS, WORD_FUNCTIONS,
                                        ReaderBase, letter_token, split_words)
from symml.checker.vocabulary import INDEX_LETTERS


#: Letters notes give activation functions (``g(x) = 1/(1 + e^{-x})``): applied to a data letter, a function of a
#: number, never the joint density of the data vector.
ACTIVATION_LETTERS = {"g", "h"}
#: A word that is a function glued to one letter: ``logf``, ``lnx``, ``yln`` (not ``sinh``: a function itself).
GLUED_FUNCTION = re.compile(r"([A-Za-z]?)(log|ln|exp)([A-Za-z]?)")


#: A subscript of stars, ``y_*``, ``k_{**}``, ``\mathbf{x}_\star``: a name of its own (the test point of a regression).
_STARS = {("char", "*"), ("cmd", "star"), ("cmd", "ast")}

class NamesMixin(ReaderBase):
    """Reads names, their subscripts and accents, and calls of functions and densities."""

    def name_command(self, name: str) -> Any:
        """``\\hat{x}``, ``\\mathbf{w}``, ``\\mathrm{LL}``, ``\\mathcal{L}``: a name with an accent or a font."""
        if name in ACCENTS:
            if self.at("char", "{") and self.peek(2) == ("char", "_") and (
                    self.peek(1)[0] == "letter" or self.peek(1)[1] in GREEK):  # \hat{\mu_k}: mu hat at k
                base = self.group_tokens()
                self.tokens[self.position:self.position] = base[1:]
                return self.named(f"{base[0][1]}_{ACCENTS[name]}")
            tokens = self.group_tokens() if self.at("char", "{") else [self.take()]
            # \hat{\mathbf y}, \hat{\boldsymbol{\mu}}: the font is transparent under the accent
            accented = "".join(v for k, v in tokens if not (k == "cmd" and v in TRANSPARENT) and v not in "{}")
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", accented):
                raise self.error(f"cannot use the accent on {accented!r}")
            return self.named(f"{accented}_{ACCENTS[name]}")
        if name in TRANSPARENT:
            if self.peek() == ("char", "{") and self.peek(2) == ("char", "}") and (
                    self.peek(1)[0] in ("letter", "word") or self.peek(1)[1] in GREEK):
                self.take()
                kind, inner = self.take()
                self.take()
                if (name, inner) == ("mathbb", "V") and self.is_probability_operator("Var"):  # \mathbb{V}[X]
                    return self.probability_operator("Var")
                if inner in ("pi", "e") and name != "mathbb" and not self.at("char", "_"):  # bold pi, e: no constants
                    return self.named(f"{inner}_bold")
                return self.named(inner) if kind != "word" else self.word_token(inner)  # \mathbf{x}_i: subscripted
            return self.braced() if self.at("char", "{") else self.primary()
        if name in NAMED:
            word = self.word()
            if word in FUNCTIONS:
                return self.function(FUNCTIONS[word])
            if word in WORD_FUNCTIONS:
                return self.function(WORD_FUNCTIONS[word])
            if self.is_probability_operator(word):
                return self.probability_operator(word)
            if word in UNSUPPORTED_WORDS:
                raise self.error(f"{word} is not read yet")
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", word):
                raise self.error(f"cannot use {word!r} as a name")
            return self.named(word if name not in ("mathcal", "mathscr") or word in DENSITIES else f"{word}_cal")
        raise self.error(f"the command \\{name} is not supported")

    def named(self, name: str) -> Any:
        """A name just read: with its subscript, as a function call, or as a symbol."""
        if name == "I" and self.namespace.known.get("I") == 1:
            self.namespace.doubt(IDENTITY_GUESS)
        probability = probability_of_events(self, name)  # p(X_i = x), P(Z = k | X = x), P_\theta(z | x)
        if probability is not None:
            return probability
        if self.is_probability_operator(name):  # E_q[...], Var(X), KL(q || p)
            return self.probability_operator(name)
        special = range_subscript(self, name) if self.at("char", "_") else indicator(self, name)
        if special is None and self.at("char", "_"):  # q_\theta(x): a function of x and of its parameter theta
            special = parametrised_call(self, name)
        if special is not None:  # y_{1..t}, I(Z_i = k)
            return special
        if self.at("char", "_") and self.peek(1) == ("char", "{") and self.peek(3) == ("char", "_") \
                and self.peek(2)[0] == "letter" and self.peek(4)[0] == "letter" and self.peek(4)[1] in INDEX_LETTERS \
                and self.peek(5) == ("char", "}") and self.peek(6) == ("char", "("):
            # \gamma_{z_i}(k): a function of the index i and of its arguments (responsibilities)
            base, index = self.peek(2)[1], self.namespace.name(self.peek(4)[1])
            self.position += 6
            return self.namespace.call(f"{name}_{base}", [index, *self.call_arguments()])
        if self.at("char", "_"):
            self.take()
            name, indices = self.subscript(name)
            if not indices and self.namespace.known.get(name) == 1 and name.startswith("I_"):  # sigma^2 I_N
                self.namespace.doubt(IDENTITY_GUESS)
            if self.is_probability_operator(name):  # D_{KL}[q || p]
                return self.probability_operator(name)
            if indices:
                if self.at("char", "(") and self.call_has_separator():
                    raise self.error(f"{name}_... applied to arguments is not read")
                if self.at("char", "(") and (self.one_name_in_brackets() or self.call_has_comma()) \
                        and not name[:1].isupper():
                    # \ell_i(\mathbf{w}), \alpha_t(j), b_j(o_t), \ell_n(\beta, \phi): most likely a function of the
                    # names in brackets (one per index), but a guess: a step read with it is never reported wrong
                    self.namespace.doubt(f"read {name}_...(...) as a function of its argument, not a product")
                    return self.namespace.call(f"{name}_", [*indices, *self.call_arguments()])
                if self.at("char", "(") and name[:1].isupper():
                    self.namespace.doubt(f"read {name}_...(...) as a product")
                return self.namespace.indexed(name, indices)
        if self.at("char", "'") and not isinstance(self.namespace.known.get(name), sp.MatrixExpr):
            return self.prime_derivative(name)
        if name in self.namespace.vectors and name not in self.namespace.subscripted and self.at("char", "^"):
            product = self.inner_product(name)
            if product is not None:
                return product
        if name in ("f", "g", "h") and not self.at("char", "(") and not self.namespace.is_function(name):
            self.namespace.doubt(f"{name} stands without arguments: read as a number")
        if self.expectation_depth and name in ("p", "q") and self.at("char", "("):
            return self.density_in_expectation(name)  # p(z | x) = p(x, z) / p(x) inside an expectation
        if self.at("char", "(") and self.is_call(name):
            if name in CONDITIONAL_LETTERS and self.call_has_separator():
                return conditional_density(self, name)  # p(z | x): not the joint p(z, x)
            arguments = self.call_arguments()
            entry = self.entry_of_value(name, arguments) if self.at("char", "_") else None
            if entry is not None:  # s(\mathbf{x})_i, \sigma(\mathbf{z})_i: an entry of a vector-valued function
                return entry
            if name in DENSITIES and len(arguments) > 1:
                return _density(DENSITIES[name], arguments, self)
            whole = [a for a in arguments
                     if isinstance(a, (sp.Symbol, sp.MatrixSymbol)) and a.name in self.namespace.vectors]
            if whole and name not in GREEK_FUNCTIONS and name not in ACTIVATION_LETTERS and not self.namespace.is_builtin(name):
                # p(y | theta) of the whole data vector: the joint density, another function than p(y_i | theta)
                return self.namespace.call(f"{name}_{whole[0].name}", arguments)
            return self.namespace.call(GREEK_FUNCTIONS.get(name, name), arguments)
        return self.namespace.name(name)

    def one_name_in_brackets(self) -> bool:
        """Whether the brackets ahead hold one name (``(j)``, ``(o_t)``, ``(\\theta)``), nothing else."""
        first, ahead = self.peek(1), 0
        if first[0] == "cmd" and first[1] in TRANSPARENT and self.peek(2) == ("char", "{") \
                and self.peek(4) == ("char", "}"):  # (\mathbf{w}): bold is transparent
            first, ahead = self.peek(3), 3
        if not (first[0] == "letter" or (first[0] == "cmd" and first[1] in GREEK)):
            return False
        return self.peek(2 + ahead) == ("char", ")") or (self.peek(2 + ahead) == ("char", "_")
                                                         and self.peek(4 + ahead) == ("char", ")"))

    def prime_derivative(self, name: str) -> Any:
        """``f'(x)``, ``\\sigma''(z)``: the derivative of the function ``name`` at the argument (of the user's
        function once the notes define it)."""
        order = 0
        while self.at("char", "'"):
            self.take()
            order += 1
        if order == 1 and name not in FUNCTION_LETTERS | set(GREEK_FUNCTIONS) and not self.namespace.is_function(name) \
                and (self.at("end") or any(self.at("char", c) for c in "=+-}),")):
            # a' = a + y, the updated parameter of a prior: a name of its own, but a guess (it may be a derivative)
            self.namespace.doubt(f"read {name}' as a name of its own, not as a derivative")
            return self.namespace.name(f"{name}_prime")
        if not self.at("char", "("):
            raise self.error(f"{name}' without its argument is not read")
        arguments = self.parenthesised()
        if len(arguments) != 1:
            raise self.error(f"{name}' of several arguments is not read")
        variable = sp.Dummy("t", real=True)
        function = self.namespace.call(GREEK_FUNCTIONS.get(name, name), [variable])
        return sp.Subs(sp.Derivative(function, (variable, order)), variable, arguments[0])

    def is_call(self, name: str) -> bool:
        """Whether ``name(...)`` applies a function (else it multiplies): a known or multi-letter function, a
        density, or a function letter that the notes do not also use as a variable on its own."""
        if name in GREEK_FUNCTIONS or self.namespace.is_function(name) or name in DENSITIES:
            return True
        # \lambda_0(\mu - \mu_0)^2: a subscripted Greek parameter before an expression multiplies it
        parameter = name.split("_")[0] in GREEK - {"ell"} and "_" in name and not self.one_name_in_brackets()
        if len(name) > 1 and name not in GREEK and not self.at_number_argument() and not parameter:
            return True
        if self.call_has_comma():  # K(x_i, x_j), C(y, y_hat): a product with a list of several is no reading
            return True
        if self.entry_index_after_call():  # s(\mathbf{x})_i: an entry of the value of the function s
            return True
        if name.isupper() and name not in self.namespace.letters and conditional_argument_ahead(self):
            return True  # Q(\theta \mid \theta^{(t)}), H(\theta | \theta_0): a function of a parameter given another
        if name in FUNCTION_LETTERS:
            if self.call_has_separator() or name not in self.namespace.letters or self.call_is_defined():
                return True
            self.namespace.doubt(f"read {name}(...) as a product, since {name} is also a variable")
        return False

    def at_number_argument(self) -> bool:
        return self.peek(1)[0] == "num" and self.peek(2) == ("char", ")")

    def word_token(self, word: str) -> Any:
        """A run of letters without a backslash: a function (``sigmoid``, ``log``), a product of letters the
        notes use on their own (``ab``, ``pn``), or one name (``Odds``, ``Loss``)."""
        if word in WORD_FUNCTIONS:
            return self.function(WORD_FUNCTIONS[word])
        if self.is_probability_operator(word):
            return self.probability_operator(word)
        if word in UNSUPPORTED_WORDS and (self.at("char", "(") or self.at("char", "[") or self.at("char", "_")):
            raise self.error(f"{word} is not read yet")
        glued = GLUED_FUNCTION.fullmatch(word)  # logf(x), yln(a): a letter and a function written without a space
        if glued is not None and (not glued.group(1) or glued.group(1) in self.namespace.letters):
            before, function, after = glued.groups()
            self.tokens[self.position:self.position] = [("word", function)] * bool(before) + [("letter", after)] * bool(after)
            return self.named(before) if before else self.function(WORD_FUNCTIONS[function])
        letters = self.namespace.letters
        if word not in self.namespace.known and all(letter in self.namespace.known for letter in word):
            letters = letters | set(word)  # ABC with A, B, C given in namespace=: their product
        if not all(letter in letters for letter in word) and any(letter in letters for letter in word) and (
                _short_run(word) or all(letter in letters or letter in self.namespace.called_letters for letter in word)):
            # aX beside a lone X: a product of letters, most likely (a short run, or letters also written before
            # a bracket), but a guess
            self.namespace.doubt(f"read {word} as the product {' '.join(word)}")
            letters = letters | self.namespace.called_letters | (set(word) if _short_run(word) else set())
        if all(letter in letters for letter in word):
            self.tokens[self.position:self.position] = [("letter", letter) for letter in word[1:]]
            return self.named(word[0])
        if _short_run(word) and self.at("char", "_") and word not in self.namespace.known:
            # Jp_k: LaTeX binds the subscript to the last letter (J p_k, a matrix times the k-th input), a guess
            self.namespace.doubt(f"read {word}_... as the product {' '.join(word)}_..., the subscript on {word[-1]}")
            self.tokens[self.position:self.position] = [("letter", letter) for letter in word[1:]]
            return self.named(word[0])
        if _short_run(word) or (word.islower() and any(letter in letters for letter in word)):
            # AB, Xw, aX: in LaTeX usually a product of letters, sometimes a name (LL, MSE): either way a guess;
            # so is ywx beside a lone w
            self.namespace.doubt(f"read {word} as one name, not the product {' '.join(word)}")
        return self.named(word)

    def subscript(self, name: str) -> tuple[str, list[Any]]:
        """``x_i`` -> data x at i; ``x_{ij}``/``x_{i,j}`` -> two indices; ``\\theta_0`` -> the name theta_0."""
        if self.at("word"):  # x_ij is x_i j in LaTeX: put the rest back
            word = self.take()[1]
            self.tokens.insert(self.position, letter_token(word[1:]))
            tokens = [("letter", word[0])]
        else:
            if self.peek()[0] == "cmd" and self.peek()[1] in NAMED | TRANSPARENT and self.peek(1) == ("char", "{"):
                self.take()  # r_\mathbf{z}, \mu_\text{MLE}: the group of the command is the subscript
            tokens = split_words(self.group_tokens()) if self.at("char", "{") else [self.take()]
        if not tokens:  # \mathcal{L}_{ }: an empty subscript
            return name, []
        letters = [v for k, v in tokens if k != "char" or v != ","]
        indices = INDEX_LETTERS | set(self.namespace.summed)  # and the index of a sum around (\sum_c r_c)
        if all(k == "letter" and v in indices for k, v in tokens if (k, v) != ("char", ",")) and letters:
            return name, [self.namespace.name(letter) for letter in letters]
        if all(token in _STARS for token in tokens):  # y_*, \mathbf{x}_\star: the new point, a name of its own
            starred, known = f"{name}_{'star' * len(tokens)}", self.namespace.known.get(name)
            if isinstance(known, sp.MatrixSymbol):  # \mathbf{x}_* beside x in R^d: a vector of the same size
                self.namespace.known.setdefault(starred, sp.MatrixSymbol(starred, *known.shape))
            return starred, []
        if any(k == "cmd" and v not in NAMED | TRANSPARENT | GREEK for k, v in tokens):
            raise self.error(f"cannot use the subscript of {name!r} as a name")  # E_{x \sim q}, x_{\max}
        words = "".join(v for k, v in tokens if k != "char" and v not in NAMED | TRANSPARENT)
        if not re.fullmatch(r"[A-Za-z0-9]+", words):
            raise self.error(f"cannot use the subscript of {name!r} as a name")
        if any(token in (("char", "-"), ("char", "+")) for token in tokens):  # m_{t-1}: an element, not a size
            self.namespace.shifted.add(f"{name}_{words}")
        return f"{name}_{words}", []

    def call_arguments(self) -> list[Any]:
        """``(a, b; c | d)``: the arguments of a function, a density or a likelihood; ``|``, ``;`` and
        ``\\mid`` separate arguments like commas."""
        closing = {"(": ")", "[": "]"}[self.take()[1]]
        self.in_absolute_value += 1  # a bar separates arguments here
        try:
            arguments = [self.argument()]
            while self.at("char", ",") or self.peek() in SEPARATORS:
                self.take()
                arguments.append(ELLIPSIS if read_ellipsis(self) else self.argument())
        finally:
            self.in_absolute_value -= 1
        self.expect("char", closing)
        return ranges_of(arguments, self)  # x_1, x_2, ..., x_N: the range x[1:N]

    def argument(self) -> Any:
        """One argument of a call: the data vector y as a whole (``p(y | theta)`` next to ``y_i``), or an
        expression."""
        vector = self.whole_vector_ahead(ends=(("char", ","), ("char", ")"), ("char", "]"), *SEPARATORS))
        return vector if vector is not None else self.expression()

    def whole_vector_ahead(self, ends: tuple[tuple[str, str], ...]) -> Any:
        """The data vector ``y`` (or ``\\mathbf{y}``) as a whole when it is the next token and one of ``ends``
        follows it; else None, nothing read."""
        kind, value = self.peek()
        width = 1
        if kind == "cmd" and value in TRANSPARENT and self.peek(1) == ("char", "{") and self.peek(3) == ("char", "}"):
            kind, value = self.peek(2)
            width = 4
        if kind != "letter" or value not in self.namespace.vectors or self.peek(width) not in ends:
            return None
        self.position += width
        return self.namespace.whole_vector(value)

    def inner_product(self, name: str) -> Any:
        """``y^\\top y``, ``x^T y`` of data vectors: sum_i y_i y_i; None (nothing read) for anything else."""
        start = self.position
        self.take()  # ^
        if self.raw_script() in TRANSPOSES:
            self.position += self.raw_length
            other = self.whole_vector_ahead(ends=(("end", ""), ("char", "+"), ("char", "-"), ("char", ")"),
                                                  ("char", "]"), ("char", "}"), ("char", "="), ("cmd", "right")))
            if other is not None:
                index = self.namespace.name("i")
                return sp.Sum(self.namespace.indexed(name, [index]) * self.namespace.indexed(str(other), [index]),
                              (index, 1, self.implicit_upper_limit(index)))
        self.position = start
        return None

    def ones_product(self) -> Any:
        """After ``\\mathbf{1}^``, at a transpose followed by data written whole (``\\alpha`` next to ``\\alpha_i``):
        the sum of its elements, read; else None, nothing read."""
        kind, value = self.peek(self.raw_length)
        name = value if kind == "letter" or (kind == "cmd" and value in GREEK) else None
        if name is None or name not in self.namespace.data or self.peek(self.raw_length + 1) in (
                ("char", "_"), ("char", "^"), ("char", "(")):
            return None
        self.position += self.raw_length + 1
        index = self.namespace.name("i")
        return sp.Sum(self.namespace.indexed(name, [index]), (index, 1, self.implicit_upper_limit(index)))

    def call_has_comma(self) -> bool:
        """Whether the parenthesised group that follows holds several arguments (a comma at its top level)."""
        return any(token == ("char", ",") for _, token in top_level(self.tokens, self.position))

    def call_is_defined(self) -> bool:
        """Whether the call that follows opens the row and is defined by it: ``L(w) = ...``, ``J(\theta, b) :=``,
        its arguments names only (``p(1 - p) = ...`` stays a product)."""
        if self.position != 1 or not self.at("char", "("):
            return False
        inside = top_level(self.tokens, self.position)
        closing = inside[-1][0] + 1 if inside else len(self.tokens)
        names = all(kind == "letter" or (kind == "cmd" and value in GREEK) or (kind, value) == ("char", ",")
                    for _, (kind, value) in inside)
        # names only: every token inside is at the top level, so the bracket closes right after the last of them
        return names and closing + 1 < len(self.tokens) and self.tokens[closing] == ("char", ")") and \
            self.tokens[closing + 1] in _DEFINED_BY

    def entry_index_after_call(self) -> bool:
        """Whether the bracket ahead is followed by ``_i`` (or ``_{i}``) with i an index letter: ``s(x)_i``."""
        depth = 0
        for position in range(self.position, len(self.tokens)):
            if self.tokens[position] == ("char", "("):
                depth += 1
            elif self.tokens[position] == ("char", ")"):
                depth -= 1
                if depth == 0:
                    after = self.tokens[position + 1:position + 4]
                    return after[:1] == [("char", "_")] and any(
                        kind == "letter" and value in INDEX_LETTERS for kind, value in after[1:3]) and (
                        after[1:2] != [("char", "{")] or self.tokens[position + 4:position + 5] == [("char", "}")])
        return False

    def entry_of_value(self, name: str, arguments: list[Any]) -> Any:
        """``f(x)_i`` after ``f(x)`` was read: entry i of the vector ``f(x)``, the function ``f_`` of the index and
        the arguments (as ``f_i(x)`` reads); None, nothing read, unless the subscript is an index."""
        start = self.position
        self.take()
        _, indices = self.subscript(name)
        if not indices:
            self.position = start
            return None
        return self.namespace.call(f"{name}_", [*indices, *arguments])

    def call_has_separator(self) -> bool:
        """Whether the parenthesised group that follows has a ``|``, ``;`` or ``\\mid`` at its top level."""
        return any(token in SEPARATORS for _, token in top_level(self.tokens, self.position))


#: What follows a call that a row defines: ``=``, ``:=`` (read as ``\coloneqq``), ``\triangleq``, ``\equiv``.
_DEFINED_BY = {("char", "="), ("char", ":"), ("cmd", "coloneqq"), ("cmd", "triangleq"), ("cmd", "equiv")}


def _density(family: str, arguments: list[Any], reader: ReaderBase) -> Any:
    """The density (mass function) of a standard family at ``x``: ``N(x; mu, sigma^2)``, ``Poiss(y; lambda)``,
    ``Bin(y; n, p)``, ``Bern(x; p)``. The normal family takes the variance, as notes write it."""
    arities = {"normal": 3, "poisson": 2, "binomial": 3, "bernoulli": 2}
    if family == "normal" and len(arguments) == 2 and reader.in_divergence:
        arguments = [LAW_VARIABLE, *arguments]  # KL(N(mu_1, sigma_1^2) || ...): the law, at the variable KL binds
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


def _short_run(word: str) -> bool:
    """Whether a run of letters may as well be their product: two letters (xy, aX, LL), or three not written as a
    capitalised word (abX, MSE, but not Var or Cov, which are names)."""
    return len(word) == 2 or (len(word) == 3 and not word[1:].islower())

r"""Expectations, variances and divergences as notes write them, read into the opaque linear expectations of
:mod:`symml.checker.expectations`.

``\mathbb{E}_{q}[...]``, ``E_{z \sim q(z)}[...]``, ``\mathbb{E}_{p(x)}[...]``, ``E[X]``, ``\mathrm{E}(X)``,
``\langle ... \rangle_{p(x)}``; ``\mathrm{Var}(X)``, ``\mathrm{Cov}(X, Y)``, ``\mathbb{V}[X]``;
``\mathrm{KL}(q(z) \| p(z \mid x))``, ``D_{KL}[q(z) || p(z)]`` (the expectation of ``\log q - \log p`` under q)
and ``\mathrm{KL}[P || Q]`` of two named laws (an opaque function of P and Q).

The random variables of an expectation come from its subscript (``z \sim q``, ``p(x)``: z, x), else from the
density the notes wrote with that name before (``\mathbb{E}_q`` after ``q(z)``), else from the expectation
used last when the body uses its variables (``\langle x^2 \rangle`` after ``\langle ... \rangle_{p(x)}``).
When none of these says which names are random, every name is taken as random (only numbers come out of the
expectation) and the reading is a guess: the step can be shown to hold, never reported wrong.

>>> from symml.checker.parse_latex import parse_latex
>>> parse_latex(r"\mathbb{E}_{z \sim q(z)}[\log q(z) - \log p(x)]")[0][1]
E_q(z)(log(q(z_))) - log(p(x))
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.conditional_expectations import conditional_operator
from symml.checker.expectations import (covariance, expectation, free_names, gaussian_integral,
                                        integral_as_expectation, variance)
from symml.checker.latex_tokens import FUNCTION_LETTERS, ReaderBase
from symml.checker.law_divergences import divergence_of_laws
from symml.checker.vocabulary import Namespace

#: The names of the expectation and variance operators (after ``\mathbb``, ``\mathrm``, ``\operatorname`` or
#: bare) and of the divergences.
EXPECTATIONS = {"E", "Exp", "Expect"}
VARIANCES = {"Var", "var", "V", "Variance"}
COVARIANCES = {"Cov", "cov"}
DIVERGENCES = {"KL", "D_KL", "DKL", "D_mathrmKL", "D_textKL"}
_SIZES = {"big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "left", "right"}
_CLOSING = {"(": ")", "[": "]"}
#: Capital letters and these names are random variables in an expectation that names no law (``E[X]``).
_RANDOM_NAMES = {"epsilon", "varepsilon"}


class ExpectationsMixin(ReaderBase):
    """Reads expectations, variances, covariances and divergences."""

    def is_probability_operator(self, name: str) -> bool:
        """Whether ``name`` at this point starts an expectation, a variance or a divergence."""
        if name == "V" and not self.at("char", "["):  # V(q): a value function; V[X] (and \mathbb{V}) a variance
            return False
        opens = self.at("char", "[") or self.at("char", "(") or self.at("char", "_") or (
            self.at("cmd") and self.peek()[1] in _SIZES)
        return opens and name in EXPECTATIONS | VARIANCES | COVARIANCES | DIVERGENCES

    def probability_operator(self, name: str) -> Any:
        conditional = conditional_operator(self, name)  # E[X | Y], E_{Y | X}[g], Var(X | Y)
        if conditional is not None:
            return conditional
        law = self.law_subscript() if self.at("char", "_") else None
        if name in DIVERGENCES or (name == "D" and law is None):
            return self.divergence()
        arguments = self.operator_arguments()
        if name in COVARIANCES:
            if len(arguments) == 1:  # Cov(x_i): the covariance matrix of a vector, read as a number like x_i
                self.namespace.doubt(f"read {name}(...) of one argument as its variance")
                arguments = arguments * 2
            if len(arguments) != 2:
                raise self.error("a covariance takes two arguments")
            return covariance(arguments[0], arguments[1], *self.law_of(law, arguments),
                              **self.known_laws(*self.law_of(law, arguments)))
        if len(arguments) != 1:
            raise self.error(f"{name}[...] takes one argument")
        operation = variance if name in VARIANCES else expectation
        resolved = self.law_of(law, arguments)
        return operation(arguments[0], *resolved, **self.known_laws(*resolved))

    def angle_expectation(self) -> Any:
        """``\\langle f \\rangle_{p(x)}``: the expectation of f (physicists' notation)."""
        self.expectation_depth += 1
        try:
            body = self.expression()
        finally:
            self.expectation_depth -= 1
        self.expect("cmd", "rangle")
        law = self.law_subscript() if self.at("char", "_") else None
        resolved = self.law_of(law, [body])
        return expectation(body, *resolved, **self.known_laws(*resolved))

    def law_subscript(self) -> tuple[Any, frozenset | None]:
        """The subscript of an expectation: ``z \\sim q(z)``, ``q``, ``p(x)``, ``X, Y``: (the density, the name
        of the law or "", the random variables it names or None)."""
        self.expect("char", "_")
        tokens = self.group_tokens() if self.at("char", "{") else [self.take()]
        if ("cmd", "sim") in tokens:
            split = tokens.index(("cmd", "sim"))
            variables = self.sub_reader(tokens[:split]).expression()
            normal = self.normal_law(tokens[split + 1:])
            if normal is not None:  # E_{\epsilon \sim N(0, 1)}: the normal law of that variable
                if record_normal_law(self.namespace, variables, *normal):
                    return f"N({normal[0]}, {normal[1]})", frozenset({variables})
            law = self.sub_reader(tokens[split + 1:]).expression()
            return law, frozenset(sp.sympify(variables).free_symbols)
        named = self.sub_reader(tokens).listed("expectation")
        law = named[0]
        if len(named) == 1 and isinstance(law, AppliedUndef) and len(law.args) == 1 \
                and str(law.func) == f"{str(law.func).split('_')[0]}_{law.args[0]}":
            # E_{q(\mathbf{z})} next to z_j: the law q of the vector z, as the densities inside read it (not q_z)
            law = self.namespace.call(str(law.func).split("_")[0], list(law.args))
        if len(named) == 1 and isinstance(law, AppliedUndef):
            return law, frozenset(law.args[0].free_symbols) if law.args else None
        if len(named) == 1 and isinstance(law, sp.Symbol) and law.name in FUNCTION_LETTERS:
            return law, None  # E_q: the law q, of the variables the notes gave q
        if all(isinstance(n, sp.Symbol) for n in named):
            return "", frozenset(named)  # E_{X, Y}: the random variables
        return str(law), None

    def normal_law(self, tokens: list[tuple[str, str]]) -> tuple[Any, Any] | None:
        """``\\mathcal{N}(m, v)`` in a subscript: (m, v), else None."""
        if tokens[:4] != [("cmd", "mathcal"), ("char", "{"), ("letter", "N"), ("char", "}")]:
            return None
        reader = self.sub_reader(tokens[4:])
        if not reader.at("char", "("):
            return None
        parameters = reader.parenthesised()
        return (parameters[0], parameters[1]) if len(parameters) == 2 and reader.at("end") else None

    def law_of(self, law: tuple[Any, frozenset | None] | None, bodies: list[Any]) -> tuple[str, frozenset | None]:
        """The law's name and random variables for expectations of ``bodies`` (see the module's rules); records
        the law for the expectations that follow."""
        names = set().union(*(free_names(b) for b in bodies))
        laws = self.namespace.laws
        if law is None:
            last = laws.get("")
            if last is not None and last[1] & names:
                return last
            if last is not None and not any(_looks_random(name) for name in names):
                # <\ln \sigma_1^2> after <...>_{p(x)}: a constant under the law used last
                self.namespace.doubt(f"the expectation without a law was read under {last[0]}, used before")
                return last
            return self.guessed_law(names)
        density, random = law
        if isinstance(density, AppliedUndef):  # a density of its first argument: the rest are constants
            name = str(density)
            if random is not None:
                laws[str(density.func)] = (name, random)
        elif isinstance(density, sp.Symbol) and density.name in laws:
            name, random = laws[density.name]
        elif isinstance(density, sp.Symbol) and _applications(density.name, bodies):
            # E_q[log q(z) ...]: the density q the body applies, of its first argument
            applied = _applications(density.name, bodies)[0]
            name, random = str(applied), frozenset(applied.args[0].free_symbols)
            laws[density.name] = (name, random)
        else:  # E_{X, Y} names the random variables; E_{\mathcal{D}} one the body does not show
            name = str(density)
            if random is not None and not random & names:
                random = None
        if random is None:
            return self.guessed_law(names, name)
        laws[""] = (name, random)
        return name, random

    def known_laws(self, name: str, random: frozenset | None) -> dict[str, Any]:
        """What the notes declared about the law ``name`` of the random variables ``random`` (see
        :mod:`symml.checker.declared_laws`): the normal law of the variable and the normal densities by letter,
        as keyword arguments of :func:`symml.checker.expectations.expectation`."""
        declared = self.namespace.normal_laws
        if not declared or not random or len(random) != 1:
            return {}
        (variable,) = random
        densities = {letter.lower(): law for letter, law in declared.items() if len(letter) == 1 and letter.isupper()
                     and letter.lower() in self.namespace.functions and law is not None}
        own = declared.get(variable.name) or self._law_of_its_capital(variable)
        if own is not None:
            return {"normal": (variable, *own), "densities": densities}
        density = re.fullmatch(r"([a-z])\((\w+)\)", name.replace(" ", ""))
        if density is not None and density.group(1) in densities:
            # the density p of the law P: a convention of notation, so a guess
            self.namespace.doubt(f"{density.group(1)} read as the density of the law {density.group(1).upper()} "
                                 "the notes declare")
            return {"normal": (variable, *densities[density.group(1)]), "densities": densities}
        return {}

    def _law_of_its_capital(self, symbol: sp.Symbol) -> tuple | None:
        """The normal law the notes declare for X when ``symbol`` is x, a letter they declare nothing for (the value
        of X written in lower case, as a guess), else None."""
        declared = self.namespace.normal_laws
        if len(symbol.name) != 1 or not symbol.name.islower() or symbol.name in declared:
            return None
        law = declared.get(symbol.name.upper())
        if law is not None:
            self.namespace.doubt(f"{symbol.name} read as the value of {symbol.name.upper()}, whose law the notes declare")
        return law

    def guessed_law(self, names: set, name: str = "") -> tuple[str, frozenset | None]:
        """No law says which names are random: capital letters (and epsilon) are, the other names constants
        (Var(aX + b), as a guess); with no capital letter, the indexed names (the sample y_i) are, as a guess; with
        neither, every name is taken as random, as a guess. A name the notes declare with a normal law (``Let $x \\sim
        \\mathcal{N}(\\mu, \\sigma^2)$``) is random and the others constants, without a guess."""
        declared = frozenset(s for s in names if isinstance(s, sp.Symbol) and self.namespace.normal_laws.get(s.name))
        if declared:
            return name, declared
        values = frozenset(s for s in names if isinstance(s, sp.Symbol) and self._law_of_its_capital(s))
        if values:  # X ~ N(mu, sigma^2), then E[(x - mu)^2]: x the value of X, mu and sigma the law's constants
            return name, values
        random = frozenset(s for s in names if _looks_random(s))
        if random == names:
            return name, random
        samples = {s for s in names if isinstance(s, sp.Indexed)}
        if not random and samples:  # E(sum_i y_i / n): the sample y_i is random, the size n and k constants
            random = frozenset(samples | {s.base.label for s in samples})
        if random:
            self.namespace.doubt(f"the expectation {name and f'under {name} '}does not say which names are random: "
                                 f"{', '.join(sorted(map(str, random)))} taken as random, the others as constants")
            return name, random
        self.namespace.doubt(f"the expectation {name and f'under {name} '}does not say which names are random: "
                             "all were taken as random")
        return name, None

    def open_bracket(self, what: str) -> str:
        """Take an opening ``[`` or ``(`` (after any ``\\left``, ``\\big``): the character that closes it."""
        while self.at("cmd") and self.peek()[1] in _SIZES:
            self.take()
        if not (self.at("char", "[") or self.at("char", "(")):
            raise self.error(f"expected {what} in brackets")
        return _CLOSING[self.take()[1]]

    def close_bracket(self, closing: str) -> None:
        """Take the closing bracket (after any ``\\right``, ``\\big``)."""
        while self.at("cmd") and self.peek()[1] in _SIZES:
            self.take()
        self.expect("char", closing)

    def operator_arguments(self) -> list[Any]:
        """``[a]``, ``(a, b)``, ``\\left[ a \\right]``, ``\\big( a \\big)``: the arguments of an operator."""
        if self.peek() in (("cmd", "mathbb"), ("letter", "E")) and self.peek(1) != ("char", "("):
            return [self.factor()]  # E_X E_{Y | X}[g]: the inner expectation is the argument of the outer one
        closing = self.open_bracket("the argument of an expectation")
        self.expectation_depth += 1
        try:
            arguments = [self.expression()]
            while self.at("char", ","):
                self.take()
                arguments.append(self.expression())
        finally:
            self.expectation_depth -= 1
        self.close_bracket(closing)
        return arguments

    def divergence(self) -> Any:
        """``KL(q(z) || p(z | x))``: the expectation of ``log q - log p`` under q when both are densities of the
        same variable; ``KL[P || Q]`` of named laws: an opaque function of the two."""
        closing = self.open_bracket("the arguments of a divergence")
        self.in_absolute_value += 1
        self.in_norm += 1
        self.expectation_depth += 1
        self.in_divergence += 1
        try:
            start = self.position
            first = law = self.expression()
            if not isinstance(first, AppliedUndef):  # q(z | x), read here as q(x, z) / q(x): the law is q(z | x)
                law = self.law_read_again(start)
            separators = 0
            while self.at("char", "|") or self.at("char", "‖") or self.at("cmd", "parallel") or self.at("cmd", "mid"):
                self.take()
                separators += 1
            if not separators:
                raise self.error("expected || between the two laws of a divergence")
            second = self.expression()
        finally:
            self.in_absolute_value -= 1
            self.in_norm -= 1
            self.expectation_depth -= 1
            self.in_divergence -= 1
        self.close_bracket(closing)
        between_laws = divergence_of_laws(first, second)
        if between_laws is not None:
            return between_laws
        # q(z) and a density of z (p(z | x) is p(x, z) / p(x) here, by Bayes' rule)
        densities = isinstance(law, AppliedUndef) and law.args and second.atoms(AppliedUndef)
        if densities and law.args[0] in second.free_symbols:
            random = frozenset(law.args[0].free_symbols)
            self.namespace.laws[str(law.func)] = (str(law), random)
            return expectation(sp.log(first) - sp.log(second), str(law), random,
                               **self.known_laws(str(law), random))
        if all(isinstance(d, sp.Symbol) for d in (first, second)):
            return self.namespace.call("KL", [first, second])
        raise self.error("a divergence between these laws is not read")

    def law_read_again(self, start: int) -> Any:
        """The first argument of a divergence, read again from ``start`` as a law (``q(z | x)`` the density of z
        given x, as an expectation's subscript reads it) rather than inside the expectation (``q(x, z) / q(x)``);
        the reader ends where the first reading ended."""
        end, depth = self.position, self.expectation_depth
        self.position, self.expectation_depth = start, 0
        try:
            law = self.expression()
        finally:
            self.expectation_depth = depth
        if self.position != end:
            raise self.error("a divergence between these laws is not read")
        return law

    def density_in_expectation(self, name: str) -> Any:
        """``p(z | x)`` inside an expectation: ``p(x, z) / p(x)`` (Bayes' rule, the conditional as joint over
        marginal), and a joint density ``p(z, x)`` with its arguments in one order, so that the steps of an ELBO
        derivation, which move between these forms, can be compared. A density with parameters after ``;`` is
        read as written."""
        start = self.position
        self.take()
        groups: list[list[Any]] = [[]]
        self.in_absolute_value += 1
        try:
            while True:
                groups[-1].append(self.expression())
                if self.at("char", ","):
                    self.take()
                elif self.peek() in (("char", "|"), ("cmd", "mid"), ("cmd", "vert")) and len(groups) == 1:
                    self.take()
                    groups.append([])
                else:
                    break
        finally:
            self.in_absolute_value -= 1
        if not self.at("char", ")"):  # p(x; theta), or anything else: read as written
            self.position = start
            return self.namespace.call(name, self.call_arguments())
        self.take()
        joint = self.namespace.call(name, sorted([a for group in groups for a in group], key=sp.default_sort_key))
        if len(groups) == 1:
            return joint
        return joint / self.namespace.call(name, sorted(groups[1], key=sp.default_sort_key))

    def density_integral(self, body: Any, variable: Any) -> Any:
        """``\\int q(z) g(z) dz`` over the whole line: the expectation of g under q (see
        :func:`symml.checker.expectations.integral_as_expectation`), else the integral itself."""
        found = integral_as_expectation(body, variable, self.known_laws)
        if found is None:
            gaussian = gaussian_integral(body, variable)
            return sp.Integral(body, (variable, -sp.oo, sp.oo)) if gaussian is None else gaussian
        value, density = found
        self.namespace.laws[str(density.func)] = (str(density), frozenset({variable}))
        return value


def _applications(name: str, bodies: list[Any]) -> list[Any]:
    """The applications of the function ``name`` in ``bodies`` (``q(z)`` for q), in a stable order."""
    found = {a for b in bodies for a in sp.sympify(b).atoms(AppliedUndef) if str(a.func) == name and a.args}
    return sorted(found, key=str)


def _looks_random(symbol: Any) -> bool:
    """Whether a name is a random variable by notation: a capital letter (X), epsilon, or an estimate (theta_hat)."""
    return symbol.name[:1].isupper() or symbol.name.split("_")[0] in _RANDOM_NAMES or symbol.name.endswith("_hat")


def record_normal_law(namespace: Namespace, variable: Any, mean: Any, variance: Any) -> bool:
    """Record ``variable ~ N(mean, variance)`` for the expectations that follow; False (nothing recorded) unless
    the variable is a scalar name and the variance a number or square known to be nonnegative (``N(0, I)`` of a
    vector is not a scalar law)."""
    if not isinstance(variable, sp.Symbol) or not sp.sympify(variance).is_nonnegative:
        return False
    law = (mean, variance)
    # a variable declared with two laws (P: X ~ N(mu_1, ...), Q: X ~ N(mu_2, ...)) has none of its own
    namespace.normal_laws[variable.name] = law if namespace.normal_laws.get(variable.name, law) == law else None
    return True


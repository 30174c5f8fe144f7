r"""Operators in LaTeX notes: functions (``\log^2 x``, ``\log_2 x``), square roots, fractions that are
derivatives (``\frac{d}{dx}``, ``\frac{\partial^2 f}{\partial x \partial y}``, ``\frac{dF}{dx}``), sums and
products with or without limits (``\sum_i``, ``\sum_{i=1}^n``, ``\sum_{k \neq i}``) and integrals.

>>> from symml.checker.parse_latex import parse_latex
>>> parse_latex(r"\frac{d}{dx} x^2")[0][1]
Derivative(x**2, x)
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.latex_tokens import (ACCENTS, FUNCTION_LETTERS, GREEK, GREEK_FUNCTIONS, NAMED, TRANSPARENT,
                                        ReaderBase, letter_token, split_words)
from symml.checker.activations import softmax_entry
from symml.checker.events import set_index, sum_rule
from symml.checker.expectations import integral_as_expectation, marginal
from symml.checker.matrix_notation import matrix_gradient
from symml.checker.vocabulary import INDEX_LETTERS, bounded_operator, power
from symml.errors import ParseError


class OperatorsMixin(ReaderBase):
    """Reads function applications, roots, derivatives, sums, products and integrals."""

    def function(self, name: str) -> Any:
        if self.at("char", "'"):  # \tanh'(z), \text{ReLU}'(z): the derivative of the named function
            return self.prime_derivative(name)
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
        if name == "softmax":  # softmax(z)_i: an element of a vector activation
            return softmax_entry(self, arguments)
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
        numerator_tokens = split_words(self.fraction_tokens())
        denominator_tokens = split_words(self.fraction_tokens())
        if numerator_tokens[:1] in ([("letter", "d")], [("cmd", "partial")]):
            rest = numerator_tokens[1:]
            ordered = rest[:1] == [("char", "^")]
            if ordered:
                rest = rest[2:]  # d^2 in the numerator: the order is in the denominator
            variables = self.differential_variables(denominator_tokens, ordered)
            if variables is not None:
                if len(rest) == 1 and rest[0][1] in FUNCTION_LETTERS | set(GREEK_FUNCTIONS):
                    # d sigma / dz, d ell / d mu: the function of the variable
                    name = GREEK_FUNCTIONS.get(rest[0][1], rest[0][1])
                    function = self.namespace.call(name, [variables[0][0]])
                elif rest:
                    function = self.sub_reader(rest).expression()
                    if isinstance(function, sp.Symbol) and self.namespace.is_function(function.name):
                        # d\mathcal{L}/dx after \mathcal{L}(x, y, \lambda) = ...: the function defined, at x
                        function = self.namespace.call(function.name, [variables[0][0]])
                else:
                    function = self.term()
                if isinstance(variables[0][0], sp.Pow):
                    return _derivative_by_a_power(function, variables[0][0])
                if len(variables) == 1 and isinstance(variables[0][0], sp.MatrixSymbol):
                    return matrix_gradient(function, *variables[0])
                return _derivative_at_hat(function, variables)
        self.position = start
        numerator = self.braced() if self.at("char", "{") else self.script_argument()
        denominator = self.braced() if self.at("char", "{") else self.script_argument()
        return numerator * power(denominator, -1)

    def fraction_tokens(self) -> list[tuple[str, str]]:
        """The raw tokens of a numerator or denominator: a braced group, or one token as in ``\\frac12`` and
        ``\\frac 1 2`` (a number of several digits gives its first digit, the rest stays)."""
        if self.at("char", "{"):
            return self.group_tokens()
        kind, value = self.peek()
        if kind in ("num", "word") and len(value) > 1:  # \\frac12 is 1/2, \\frac ab is a/b, as in LaTeX
            rest = ("num", value[1:]) if kind == "num" else letter_token(value[1:])
            self.tokens[self.position:self.position + 1] = [("num" if kind == "num" else "letter", value[0]), rest]
        return [self.take()]

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
            if kind == "cmd" and name in TRANSPARENT | NAMED | set(ACCENTS) and end < len(tokens) \
                    and tokens[end] == ("char", "{"):
                end = tokens.index(("char", "}"), end) + 1
            elif kind not in ("letter", "cmd") or (kind == "cmd" and name not in GREEK):
                return None
            if tokens[end:end + 1] == [("char", "_")] and end + 1 < len(tokens):
                end = (tokens.index(("char", "}"), end + 1) + 1) if tokens[end + 1] == ("char", "{") else end + 2
            labelled = tokens[end:end + 1] == [("char", "^")] and end + 1 < len(tokens) and tokens[end + 1][0] != "num"
            if labelled:  # \partial W^{[l]}, \partial z^{L-1}: a layer label, read with the name
                end = _script_end(tokens, end + 1)
            reader = self.sub_reader(tokens[index + 1:end])
            variable = reader.factor() if labelled else reader.primary()
            if not reader.at("end") or not isinstance(variable, (sp.Symbol, sp.Indexed, sp.MatrixSymbol)):
                return None
            index = end
            order = 1
            if tokens[index:index + 1] == [("char", "^")] and index + 1 < len(tokens) and tokens[index + 1][0] == "num":
                if ordered:
                    order = int(tokens[index + 1][1])
                elif len(tokens) == index + 2 and isinstance(variable, sp.Symbol) and variable.is_positive:
                    variable = variable ** int(tokens[index + 1][1])  # d sigma^2: by the variance
                else:
                    raise self.error("a derivative by a power of a variable is read only for one positive variable")
                index += 2
            variables.append((variable, order))
        return variables or None

    def at_differential(self) -> bool:
        kind, value = self.peek()
        if kind == "word" and value.startswith("d") and len(value) == 2:  # dx: split the word
            self.tokens[self.position:self.position + 1] = [("letter", "d"), ("letter", value[1])]
        return (self.peek() in (("letter", "d"), ("cmd", "partial"))
                and (self.peek(1)[0] == "letter" or (self.peek(1)[0] == "cmd" and self.peek(1)[1] in GREEK)
                     or (self.peek(1)[0] == "cmd" and self.peek(1)[1] in TRANSPARENT and self.peek(2) == ("char", "{")
                         and self.peek(4) == ("char", "}"))))  # d\boldsymbol{z}

    def limits(self) -> tuple[Any, Any]:
        lower = upper = None
        for _ in range(2):
            if self.at("char", "_"):
                self.take()
                if self.at("word"):  # \\sum_ky_k is \\sum_k y_k: put the rest back
                    word = self.take()[1]
                    self.tokens.insert(self.position, letter_token(word[1:]))
                    lower = [("letter", word[0])]
                else:
                    lower = split_words(self.group_tokens()) if self.at("char", "{") else [self.take()]
            elif self.at("char", "^"):
                self.take()
                if self.at("char", "{") and self.peek(1) == ("char", "}"):  # \\prod_{i}^{}: no limit written
                    self.position += 2
                else:
                    upper = self.script_argument()
        return lower, upper

    def big_operator(self, operator: type) -> Any:
        lower, upper = self.limits()
        if not lower:  # \\sum x_i: over the index the notes use, i
            lower = [("letter", "i")]
        lower = set_index(self, lower)  # \\sum_{\\mathbf{z}}: over every value of z
        if len(lower) == 3 and lower[0][0] == "letter" and lower[1] in (("cmd", "neq"), ("cmd", "ne")) \
                and lower[2][0] == "letter" and upper is None:  # \\sum_{k \\neq i} f(k) = \\sum_k f(k) - f(i)
            index, excluded = self.namespace.name(lower[0][1]), self.namespace.name(lower[2][1])
            body = self.term()
            return operator(body, (index, 1, self.implicit_upper_limit(index))) - body.xreplace({index: excluded}) \
                if operator is sp.Sum else self.error("a product over k != i is not read")
        if operator is sp.Sum and upper is None and lower[1:2] == [("char", "_")]:
            return self.sum_over_values(lower)  # \\sum_{x_{t-1}} p(x_t, x_{t-1}): a marginal
        if lower[0][0] != "letter" or (len(lower) > 1 and lower[1] != ("char", "=")):
            raise self.error("a sum over a set or with a condition on its index (\\sum_{k \\neq i}) is not read")
        index = self.namespace.name(lower[0][1])
        start = self.sub_reader(lower[2:]).expression() if len(lower) > 2 else sp.Integer(1)
        end = self.implicit_upper_limit(index) if upper is None else upper
        self.namespace.summed.append(str(index))  # r_c in \\sum_c r_c is element c of r
        try:
            body = self.extended_by_terms_in(index, self.signed_term()) if operator is sp.Sum else self.signed_term()
        finally:
            self.namespace.summed.pop()
        if end == index:  # \\sum_n over n data points (MacKay): the index is not its own limit
            fresh = index.as_dummy()
            body, index = body.xreplace({index: fresh}), fresh
        summed = sum_rule(body, index, start, end, len(lower) == 1 and upper is None) if operator is sp.Sum else None
        if summed is not None:  # \\sum_k P(X = x, Z = k) = P(X = x): the sum rule over the values of Z
            return summed
        if operator is sp.Sum and len(lower) == 1 and upper is None and lower[0][1] not in INDEX_LETTERS \
                and marginal(body, index) is not None:  # \sum_z p(x, z) = p(x): over a latent variable's values
            return marginal(body, index)
        return bounded_operator(operator, body, (index, start, end))

    def extended_by_terms_in(self, index: Any, body: Any) -> Any:
        """The body of a sum with the terms after it that still use its index: ``\\sum_i x_i \\log p + (1 - x_i)
        \\log(1 - p)`` sums both terms (read as written, the second would hold an index outside its sum)."""
        while self.at("char", "+") or self.at("char", "-"):
            # reading may rewrite the tokens ahead (a word split into letters): all of it is undone on the way back
            start, tokens, doubts = self.position, list(self.tokens), list(self.namespace.doubts)
            sign = 1 if self.take()[1] == "+" else -1
            try:
                following = self.signed_term()
            except ParseError:
                following = None
            if following is None or index not in getattr(following, "free_symbols", ()):
                self.position, self.tokens[:], self.namespace.doubts[:] = start, tokens, doubts
                break
            body = body + sign * following
        return body

    def sum_over_values(self, lower: list[tuple[str, str]]) -> Any:
        """``\\sum_{x_{t-1}} p(x_t, x_{t-1}, y)``: the sum over every value of the subscripted variable, read where
        it is a marginal (the law of total probability); else an error."""
        reader = self.sub_reader(lower)
        variable = reader.expression()
        summed = marginal(self.signed_term(), variable) if reader.at("end") else None
        if summed is None:
            raise self.error("a sum over the values of a variable is read only where it sums a density over them")
        return summed

    def signed_term(self) -> Any:
        """The body of a sum: a term, with a sign in front (``\\sum_i -[y_i \\log p_i]``)."""
        if self.at("char", "-"):
            self.take()
            return -self.term()
        return self.term()

    def implicit_upper_limit(self, index: Any) -> Any:
        """The upper limit of ``\\sum_k`` written without one: the one upper limit the notes write elsewhere
        (``\\sum_{k=1}^K``), else n. Only when the notes write several is it a guess."""
        written = self.namespace.upper_limits
        if len(written) == 1:
            return self.namespace.size(next(iter(written)))
        if len(written) > 1 and "n" not in written:
            self.namespace.doubt(f"the sum over {index} has no upper limit and the notes use several "
                                 f"({', '.join(sorted(written))}): taken as n")
        return self.namespace.size("n")

    def gradient(self) -> Any:
        """``\\nabla_{w} F`` and ``\\nabla^2_{w} F``: the derivative of the rest of the product by w (a vector
        variable is read as a scalar: an identity that holds for every dimension holds for dimension 1)."""
        order, variable = 1, None
        for _ in range(2):
            if self.at("char", "^"):
                self.take()
                exponent = self.script_argument()
                if not (isinstance(exponent, sp.Integer) and 1 <= exponent <= 3):
                    raise self.error("the order of a gradient must be 1, 2 or 3")
                order = int(exponent)
            elif self.at("char", "_"):
                self.take()
                reader = self.sub_reader(self.group_tokens() if self.at("char", "{") else self.script_tokens())
                variable = reader.primary()
                if not reader.at("end") or not isinstance(variable, (sp.Symbol, sp.Indexed, sp.MatrixSymbol)):
                    raise self.error("a gradient by something other than a variable is not read")
        function = self.term()
        if variable is None:  # \nabla L(\theta): the gradient by the one argument the function is written with
            variable = _sole_argument(function)
        if variable is None:
            raise self.error("a gradient without its variable (\\nabla_w) is not read")
        return matrix_gradient(function, variable, order)

    def script_tokens(self) -> list[tuple[str, str]]:
        """The one token after ``_`` without braces, with its group when it is a font or accent command
        (``\\nabla_\\mathbf{w}``)."""
        token = self.take()
        if token[0] == "cmd" and token[1] in TRANSPARENT | NAMED | set(ACCENTS) and self.at("char", "{"):
            return [token, ("char", "{"), *self.group_tokens(), ("char", "}")]
        return [token]

    def integral(self) -> Any:
        lower_tokens, upper = self.limits()
        self.expectation_depth += 1  # an integral against a density is an expectation: densities as there
        try:
            body, variable = self.integrand()
        finally:
            self.expectation_depth -= 1
        if lower_tokens is None and marginal(body, variable) is not None:  # \int p(x, z) dz = p(x)
            return marginal(body, variable)
        if lower_tokens is None and integral_as_expectation(body, variable) is None:
            return sp.Integral(body, variable)
        lower = None if lower_tokens is None else self.sub_reader(lower_tokens).expression()
        if lower is None or (upper is None and isinstance(lower, sp.Symbol)) or (lower, upper) == (-sp.oo, sp.oo):
            # over the whole line (no limits, or a set: \int_{\mathcal{X}}): against a density, an expectation
            return self.density_integral(body, variable)
        return sp.Integral(body, (variable, lower, upper))

    def integrand(self) -> tuple[Any, Any]:
        """The integrand and the variable of an integral, the differential before or after the integrand."""
        if self.at_differential():  # \int dz\, p(x, z): the differential first
            variable = self.integration_variable()
            body = self.term() if self.starts_factor() else sp.Integer(1)
        else:
            self.differential_stops += 1
            body = self.term()
            while (self.at("char", "+") or self.at("char", "-")) and not self.at_differential():
                # \int q(z) \log q(z) - q(z) \log p(z) dz: the integrand runs to the differential
                body = body + self.term() if self.take()[1] == "+" else body - self.term()
            self.differential_stops -= 1
            if not self.at_differential():
                raise self.error("an integral needs its differential (dx)")
            variable = self.integration_variable()
        return body, variable

    def integration_variable(self) -> Any:
        """The variable of the differential ahead (``dx``, ``d\\mu``, ``d\\boldsymbol{z}``), read."""
        self.take()
        if self.peek()[1] in TRANSPARENT:
            self.take()
            return self.namespace.name(self.group_tokens()[0][1])
        return self.namespace.name(self.take()[1])


def _script_end(tokens: list[tuple[str, str]], start: int) -> int:
    """Where the script starting at ``tokens[start]`` (a braced group or one token) ends."""
    if tokens[start] != ("char", "{"):
        return start + 1
    depth = 0
    for index in range(start, len(tokens)):
        depth += {("char", "{"): 1, ("char", "}"): -1}.get(tokens[index], 0)
        if depth == 0:
            return index + 1
    return len(tokens)


def _derivative_at_hat(function: Any, variables: list[tuple[Any, int]]) -> Any:
    """``d LL(lambda_hat) / d lambda``: the derivative by lambda, at lambda_hat (notes write the point as the
    argument)."""
    if len(variables) == 1 and isinstance(function, sp.core.function.AppliedUndef):
        (variable, order), = variables
        hat = sp.Symbol(f"{variable}_hat", **variable.assumptions0) if isinstance(variable, sp.Symbol) else None
        if hat is not None and not function.has(variable) and function.has(hat):
            return sp.Subs(sp.Derivative(function.xreplace({hat: variable}), (variable, order)), variable, hat)
    return sp.Derivative(function, *variables)


def _derivative_by_a_power(function: Any, power_of_variable: sp.Pow) -> Any:
    """``d F / d sigma^2`` for a positive sigma: ``(d F / d sigma) / (2 sigma)`` by the chain rule (F depends on
    sigma through sigma^2 in the notes that write it), at sigma_hat when the notes write the point."""
    variable, exponent = power_of_variable.args
    derivative = _derivative_at_hat(function, [(variable, 1)])
    slope = exponent * variable ** (exponent - 1)
    if isinstance(derivative, sp.Subs):
        return sp.Subs(derivative.expr / slope, derivative.variables, derivative.point)
    return derivative / slope


def _sole_argument(function: Any) -> Any:
    """The variable of a function applied to one name (``L(\\theta)``, ``f(\\mathbf{x})``), else None."""
    if isinstance(function, AppliedUndef) and len(function.args) == 1 \
            and isinstance(function.args[0], (sp.Symbol, sp.MatrixSymbol)):
        return function.args[0]
    return None

"""The mathematics a claim may be written in: whitelisted functions and how names become SymPy objects.

Both parsers (plain strings, :mod:`symml.checker.parse_text`; LaTeX, :mod:`symml.checker.parse_latex`) build
their SymPy objects through this one vocabulary, so ``"sigmoid(x)"`` and ``\\sigma(x)`` mean the same thing,
and a name the user already has as a SymPy object (``Symbol("x", positive=True)``, a ``MatrixSymbol``) is
reused instead of a fresh, assumption-free symbol.

>>> ns = Namespace({"x": sp.Symbol("x", positive=True)})
>>> ns.name("x").is_positive, ns.call("sigmoid", [ns.name("t")])
(True, 1/(1 + exp(-t)))
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import sympy as sp

from symml.errors import ParameterError, ParseError

__all__ = ["Namespace", "FUNCTION_NAMES", "INDEX_LETTERS", "INDEX_NAMES", "SCALAR_NORM", "SCALAR_READINGS",
           "SCALAR_TRANSPOSE"]

#: Letters that, as subscripts, index data (``x_i`` is element i of the data x, not a new scalar).
INDEX_LETTERS = frozenset("ijklmnt")
#: Names that are integers wherever they appear: summation indices, and the sample size n.
_INTEGER_NAMES = {"i": {}, "j": {}, "k": {}, "l": {}, "n": {"positive": True}}
#: The names read as integers for being summation indices in notes (i, j, k, l).
INDEX_NAMES = frozenset(name for name, assumptions in _INTEGER_NAMES.items() if not assumptions)


def _matrix_aware(matrix_form: Callable[[Any], Any], scalar_form: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda a: matrix_form(a) if getattr(a, "is_Matrix", False) else scalar_form(a)


def _elementwise(name: str, matrix: Any) -> Any:
    """log, exp or sigmoid of a vector, applied to each entry (``\\log \\sigma(Xw)``); of a 1 x 1 matrix, of the
    number it holds."""
    from symml.matrix_calculus.expressions import Elementwise  # the engine imports the checker's reader

    if tuple(matrix.shape) == (1, 1):
        return _FUNCTIONS[name][0](sp.Trace(matrix))
    return Elementwise(name, matrix)


def _sigmoid(t: Any) -> sp.Expr:
    return 1 / (1 + sp.exp(-t))


def _softplus(t: Any) -> sp.Expr:
    return sp.log(1 + sp.exp(t))


def _relu(t: Any) -> sp.Expr:
    return sp.Max(0, t)


# name -> (builder, arity). Builders get SymPy arguments and return SymPy objects; None arity = variadic.
_FUNCTIONS: dict[str, tuple[Callable[..., Any], int | None]] = {
    "exp": (_matrix_aware(lambda a: _elementwise("exp", a), sp.exp), 1),
    "log": (lambda a, *base: _elementwise("log", a) if getattr(a, "is_Matrix", False) and not base else sp.log(a, *base),
            None), "ln": (sp.log, 1), "sqrt": (sp.sqrt, 1),
    "sin": (sp.sin, 1), "cos": (sp.cos, 1), "tan": (sp.tan, 1), "asin": (sp.asin, 1), "acos": (sp.acos, 1),
    "atan": (sp.atan, 1), "arcsin": (sp.asin, 1), "arccos": (sp.acos, 1), "arctan": (sp.atan, 1),
    "sinh": (sp.sinh, 1), "cosh": (sp.cosh, 1), "tanh": (sp.tanh, 1), "asinh": (sp.asinh, 1),
    "acosh": (sp.acosh, 1), "atanh": (sp.atanh, 1),
    "abs": (sp.Abs, 1), "Abs": (sp.Abs, 1), "sign": (sp.sign, 1), "floor": (sp.floor, 1), "ceiling": (sp.ceiling, 1),
    "erf": (sp.erf, 1), "erfc": (sp.erfc, 1), "gamma": (sp.gamma, 1), "loggamma": (sp.loggamma, 1),
    "lgamma": (sp.loggamma, 1), "digamma": (sp.digamma, 1), "polygamma": (sp.polygamma, 2),
    "beta": (sp.beta, 2), "factorial": (sp.factorial, 1), "binomial": (sp.binomial, 2),
    # what densities copied from scipy.stats' and Stan's documentation call (a Rice density's I0, a zipfian's H)
    "besseli": (sp.besseli, 2), "besselk": (sp.besselk, 2), "besselj": (sp.besselj, 2),
    "harmonic": (sp.harmonic, None), "zeta": (sp.zeta, None), "lowergamma": (sp.lowergamma, 2),
    "uppergamma": (sp.uppergamma, 2), "erfinv": (sp.erfinv, 1),
    "log1p": (lambda a: sp.log(1 + a), 1), "expm1": (lambda a: sp.exp(a) - 1, 1),
    "max": (sp.Max, None), "min": (sp.Min, None), "Max": (sp.Max, None), "Min": (sp.Min, None),
    "sigmoid": (_matrix_aware(lambda a: _elementwise("sigmoid", a), _sigmoid), 1), "expit": (_sigmoid, 1), "softplus": (_softplus, 1), "relu": (_relu, 1),
    "trace": (_matrix_aware(sp.Trace, lambda a: a), 1), "tr": (_matrix_aware(sp.Trace, lambda a: a), 1),
    "det": (_matrix_aware(sp.Determinant, lambda a: a), 1),
    "logdet": (_matrix_aware(lambda a: sp.log(sp.Determinant(a)), sp.log), 1),
    "inv": (_matrix_aware(sp.Inverse, lambda a: 1 / a), 1),
    "transpose": (_matrix_aware(sp.Transpose, lambda a: a), 1),
}

#: How the guess "this transposed name is a number" begins: such a claim is decided for numbers only.
SCALAR_TRANSPOSE = "read the transposed"
#: How the guess "this matrix function (det, tr, inv) applies to a number" begins: likewise decided for numbers only.
SCALAR_MATRIX_FUNCTION = "read the matrix function"
#: How the guess "this double-bar norm is the absolute value of a number" begins: ‖Xw − y‖ is a vector's norm.
SCALAR_NORM = "read the norm"
#: The guesses under which a claim is decided for numbers only: it is neither right nor wrong for matrices.
SCALAR_READINGS = (SCALAR_TRANSPOSE, SCALAR_MATRIX_FUNCTION, SCALAR_NORM)
_MATRIX_FUNCTIONS = frozenset({"trace", "tr", "det", "logdet", "inv"})

#: The function names a claim may call.
FUNCTION_NAMES = frozenset(_FUNCTIONS) | {"diff", "integrate", "sum", "Sum", "Integral", "Derivative"}

_CONSTANTS = {"pi": sp.pi, "e": sp.E, "E": sp.E, "oo": sp.oo, "inf": sp.oo, "infty": sp.oo}

#: Largest integer literal (in digits) and exponent a claim may contain: anything larger is not a claim
#: about ML mathematics, and SymPy would try to evaluate it exactly.
_MAX_DIGITS = 60
_MAX_EXPONENT = 1000
#: Largest exact number a power of numbers may produce (in decimal digits): ((3^1000)^1000)^1000 is refused at
#: the second power, before SymPy multiplies out a 477,000-digit integer (an uninterruptible C call).
_MAX_RESULT_DIGITS = 5000
#: Largest numeric argument of the functions SymPy evaluates exactly on numbers (factorial(10^8), gamma(10^9)
#: and binomial(10^50, 10^25) would run for minutes in C before any budget could stop them).
_MAX_EXACT_ARGUMENT = 1000
_EXACT_ON_NUMBERS = {"factorial", "gamma", "binomial", "beta", "loggamma", "lgamma", "digamma", "polygamma"}
#: Longest claim (characters) either reader accepts.
MAX_LENGTH = 5000


class Namespace:
    """Turns names into SymPy objects: the user's own objects by name first, then fresh ones.

    Args:
        known: objects by name (``{"x": Symbol("x", positive=True), "X": MatrixSymbol("X", n, n)}``); their
            names are what a string must use.
    """

    def __init__(self, known: Mapping[str, Any] | None = None):
        given = dict(known or {})
        self.known: dict[str, Any] = {k: v for k, v in given.items()
                                      if not isinstance(v, (sp.IndexedBase, sp.FunctionClass))}
        # Data are kept apart from names: notes write x_i for the data and x for a scalar variable.
        self.data: dict[str, sp.IndexedBase] = {k: v for k, v in given.items() if isinstance(v, sp.IndexedBase)}
        # Functions too: notes write p(x | theta) for a density and p for a probability on the next line.
        self.functions: dict[str, Any] = {k: v for k, v in given.items() if isinstance(v, sp.FunctionClass)}
        #: Guesses the readers made while reading the current claim ("read 'ab' as a product a*b"): a claim
        #: read with a guess is never reported wrong, only unchecked with the guess as the reason.
        self.doubts: list[str] = []
        #: Letters the text uses on their own (x, not only inside words): a run of such letters is a product.
        self.letters: set[str] = set()
        #: Letters the text writes before a bracket (X(Xw - y)): inside a word with standalone letters, a guess.
        self.called_letters: set[str] = set()
        #: Open intervals a sampled value must lie in, by symbol name ({"p": (0, 1)}): probabilities.
        self.ranges: dict[str, tuple[Any, Any]] = {}
        #: Assumptions made from notation or stated in the notes, one phrase each, for the report.
        self.assumed: list[str] = []
        #: SymPy assumptions of new symbols by name (and by the name before "_": sigma_1, p_hat).
        self.assumptions: dict[str, dict[str, bool]] = {}
        #: Letters the text also writes with an index (y_i): y alone is then the whole vector, not a scalar.
        self.vectors: set[str] = set()
        #: What an index on a declared vector means, by name: "entries" (y_i, y_1 beside y in R^n: the i-th entry
        #: of y) or "iterates" (bold w_n, w_0 beside bold w in R^d: another vector of the shape of w).
        self.subscripted: dict[str, str] = {}
        #: The upper limits the text writes on sums and products (``\\sum_{k=1}^K``): a sum written without one
        #: runs to the same limit.
        self.upper_limits: set[str] = set()
        #: The indices of the sums being read (``\\sum_c r_c``): a subscript that is one of them is an index.
        self.summed: list[str] = []
        #: The laws of the expectations read so far, by density name ("q" -> ("q(z)", {z})); "" the last one.
        self.laws: dict[str, tuple[str, frozenset]] = {}
        #: Normal laws the notes declare (``X \\sim N(mu, v)``, ``P: X \\sim ...``): name -> (mean, variance).
        self.normal_laws: dict[str, tuple[Any, Any] | None] = {}
        #: Whether the notes write probabilities of events (p(X = x)): p of names is then a probability too.
        self.events = False
        #: Names read from a shifted subscript (m_{t-1} as m_t1): the element of a sequence, which does not
        #: take what notation assumes of its letter (m a size, sigma positive).
        self.shifted: set[str] = set()

    def doubt(self, what: str) -> None:
        """Record a guess made while reading (see ``doubts``)."""
        if what not in self.doubts:
            self.doubts.append(what)

    @classmethod
    def of(cls, *objects: Any, extra: Mapping[str, Any] | None = None) -> "Namespace":
        """A namespace holding every named atom of the given SymPy objects (and ``extra``, which wins)."""
        known: dict[str, Any] = {}
        for obj in objects:
            if isinstance(obj, sp.Basic):
                for atom in obj.atoms(sp.Symbol, sp.MatrixSymbol, sp.Dummy):
                    known.setdefault(str(atom.name), atom)
                for indexed in obj.atoms(sp.Indexed):
                    known.setdefault(f"{indexed.base.label}[]", indexed.base)
                for applied in obj.atoms(sp.core.function.AppliedUndef):
                    known.setdefault(str(applied.func), applied.func)
        if extra is not None and not isinstance(extra, Mapping):
            raise ParameterError(f"namespace must map names to symbols, {{'x': Symbol('x')}}, not "
                                 f"{type(extra).__name__} {extra!r:.40}")
        known.update(extra or {})
        namespace = cls({k: v for k, v in known.items() if not k.endswith("[]")})
        namespace.data.update({k[:-2]: v for k, v in known.items() if k.endswith("[]") and k[:-2] not in
                               namespace.data})
        return namespace

    def name(self, name: str) -> Any:
        """The object a bare name stands for: known, a constant, or a new real Symbol (i, j, k, l: integers;
        n: a positive integer), since the quantities of ML notes are real."""
        if name.startswith("_") or "__" in name:
            raise ParseError(f"the name {name!r} is not allowed (names may not start with '_' or contain '__')")
        if name.endswith("_bar") and (name[:-4] in self.vectors or name[:-4] in self.data):
            # x bar next to data x_i: the sample mean, over the one sample size the notes' sums run to
            written = sorted(limit for limit in self.upper_limits if limit[:1].lower() == "n")
            size_name = written[0] if len(written) == 1 else "n"
            size, index = self.size(size_name), self.name("i")
            if size_name not in self.letters or size_name not in self.upper_limits:
                self.doubt(f"{name} read as the mean of {name[:-4]}_1..{name[:-4]}_{size_name}")
            return sp.Sum(self.indexed(name[:-4], [index]), (index, 1, size)) / size
        if name in self.vectors and name not in self.subscripted:
            self.doubt(f"{name} is also written with an index ({name}_i); alone it was read as a scalar")
        if name in self.known:
            return self.known[name]
        vector, _, number = name.partition("_")
        if number.isdigit() and vector in self.subscripted:  # y_1, w_0: as y_i, w_n are read
            return self.indexed(vector, [sp.Integer(number)])
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        stated = self.assumptions.get(name, None if name in self.shifted else self.assumptions.get(name.split("_")[0]))
        symbol = (sp.Symbol(name, **stated) if stated is not None
                  else sp.Symbol(name, integer=True, **_INTEGER_NAMES[name]) if name in _INTEGER_NAMES
                  else sp.Symbol(name, real=True))
        self.known[name] = symbol
        return symbol

    def whole_vector(self, name: str) -> Any:
        """The data vector ``name`` as a whole (``p(y | theta)``, ``y^T y`` next to ``y_i``): its name, read
        without the doubt that a bare ``y`` elsewhere carries."""
        doubts = list(self.doubts)
        value = self.name(name)
        self.doubts[:] = doubts
        return value

    def is_builtin(self, name: str) -> bool:
        """Whether ``name`` is one of the whitelisted functions (log, exp, sigmoid, ...)."""
        return name in _FUNCTIONS

    def size(self, name: str = "n") -> sp.Symbol:
        """The upper limit of a sum written without one (``\\sum_i``): a positive integer symbol."""
        known = self.known.get(name)
        if isinstance(known, sp.Symbol):
            return known
        symbol = sp.Symbol(name, integer=True, positive=True)
        self.known[name] = symbol
        return symbol

    def indexed(self, name: str, indices: list[Any]) -> Any:
        """``x[i]`` (the data x at index i, or the i-th entry of a declared vector x)."""
        known = self.known.get(name)
        if self.subscripted.get(name) == "entries":  # y_i of a declared vector y: its entry (the probe reads y's)
            known = None
        if isinstance(known, sp.MatrixSymbol):  # w_t, w_{t+1} next to a declared vector w: iterates, its shape
            return sp.MatrixSymbol(f"{name}_{'_'.join(map(str, indices))}", *known.shape)
        if known is not None and not isinstance(known, sp.Symbol):
            raise ParseError(f"{name!r} is indexed but is a {type(known).__name__}, not data")
        if name not in self.data:
            self.data[name] = sp.IndexedBase(name, real=True)
        return self.data[name][tuple(indices)]

    def call(self, name: str, arguments: list[Any]) -> Any:
        """``name(arguments)``: a whitelisted function, or an undefined function ``f(x)`` of the user's."""
        if name in _FUNCTIONS:
            if name in _EXACT_ON_NUMBERS:
                _refuse_large_arguments(name, arguments)
            builder, arity = _FUNCTIONS[name]
            if arity is not None and len(arguments) != arity:
                raise ParseError(f"{name} takes {arity} argument(s), got {len(arguments)}")
            if name in _MATRIX_FUNCTIONS and not any(getattr(a, "is_Matrix", False) or getattr(a, "is_number", False)
                                                     for a in arguments):
                self.doubt(f"{SCALAR_MATRIX_FUNCTION} {name} of {arguments[0]} as a function of a number")
            return builder(*arguments)
        if name.startswith("_") or "__" in name:
            raise ParseError(f"{name!r} cannot be called: it is not a function")
        known = self.known.get(name)
        if known is not None and not isinstance(known, sp.Symbol):
            raise ParseError(f"{name!r} cannot be called: it is a {type(known).__name__}, not a function")
        if name not in self.functions:
            self.functions[name] = sp.Function(name)
        return self.functions[name](*arguments)

    def is_function(self, name: str) -> bool:
        """Whether ``name`` was used as (or given as) a function."""
        return name in self.functions


def number(text: str) -> sp.Number:
    """A numeric literal as an exact SymPy number ("0.5" -> 1/2), refusing absurdly long ones."""
    if len(text.replace(".", "").lstrip("0")) > _MAX_DIGITS:
        raise ParseError(f"the number {text[:20]}... is too long")
    return sp.Rational(text) if ("." in text or "e" in text.lower()) else sp.Integer(text)


def _digits(value: sp.Number) -> float:
    """About how many decimal digits the exact number has (numerator and denominator together)."""
    if isinstance(value, sp.Rational):
        return sum(len(str(abs(int(part)))) for part in (value.p, value.q))
    return 20.0  # a Float has bounded precision


def _refuse_large_arguments(name: str, arguments: list[Any]) -> None:
    for argument in arguments:
        if isinstance(argument, sp.Number) and argument.is_finite and abs(argument) > _MAX_EXACT_ARGUMENT:
            shown = str(argument) if _digits(argument) < 30 else f"a {int(_digits(argument))}-digit number"
            raise ParseError(f"{name} of {shown} is refused: symml evaluates {name} exactly only for arguments up "
                             f"to {_MAX_EXACT_ARGUMENT}")


def bounded_operator(operator: type, body: Any, limits: tuple) -> Any:
    """``operator(body, limits)`` for a Sum or Product over ``(index, start, end)``, refusing a Product over more
    numbered factors than symml evaluates exactly: the product of k for k up to 10^8 is factorial(10^8), which
    ``doit`` computes in one C call that no time budget can stop."""
    _, start, end = limits
    if operator is sp.Product and isinstance(start, sp.Number) and isinstance(end, sp.Number) and end.is_finite \
            and end - start + 1 > _MAX_EXACT_ARGUMENT:
        shown = str(end - start + 1) if _digits(end - start + 1) < 30 else "a huge number of"
        raise ParseError(f"a product of {shown} factors is refused: symml evaluates products exactly only up to "
                         f"{_MAX_EXACT_ARGUMENT} factors")
    return operator(body, limits)


def power(base: Any, exponent: Any) -> Any:
    """``base ** exponent``, refusing powers too large to work with exactly (at every level of nesting: the
    size of a power of numbers is estimated before SymPy computes it)."""
    if isinstance(exponent, sp.Number) and exponent.is_finite and abs(exponent) > _MAX_EXPONENT:
        raise ParseError(f"the exponent {exponent if _digits(exponent) < 30 else '(a huge number)'} is too large; "
                         f"at most {_MAX_EXPONENT} is accepted")
    if isinstance(base, sp.Number) and isinstance(exponent, sp.Number) and base.is_finite and base != 0:
        estimate = _digits(base) * float(abs(exponent))
        if estimate > _MAX_RESULT_DIGITS:
            raise ParseError(f"the power is too large: about {estimate:.0f} digits (at most {_MAX_RESULT_DIGITS})")
    if getattr(base, "is_Matrix", False) and exponent == -1:
        return sp.Inverse(base)
    if isinstance(exponent, sp.MatrixExpr) and tuple(exponent.shape) == (1, 1):
        exponent = sp.Trace(exponent)  # e^{w^T x}: a 1 x 1 product is the number it holds
    return base ** exponent

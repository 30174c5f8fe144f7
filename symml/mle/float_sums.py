"""Expressions of the sums over a few observations in Python floats (:func:`sums_in_floats`): one generated
function whose loop over the observations is written out.

At n = 10 a NumPy call costs ~1 us whatever its size, and an evaluation of the Student-t location's equation and
slope through :class:`symml.mle.scaled_sums.ScaledSums` (~10 ufuncs, a stacked reduction, the values map) ~7 us,
where the arithmetic itself is ~40 flops. Here the same sums, with the same overflow-proof shift, are one Python
loop over the observations in floats (the math module first, as :class:`SampleFunction` with ``scalar=True``),
the expressions of them after it: ~1.5-2.5 us at n = 10. Each summand is the one :class:`ScaledSums` compiled
(rewritten for floating point the same way); a domain error of the math module (log 0, an overflowing exp) gives
NaN, as NumPy would give NaN or inf, and the caller falls back to its NumPy path.

>>> import sympy as sp
>>> from symml.mle.scaled_sums import ScaledSums
>>> x, b, n, i = sp.Symbol("x", positive=True), sp.Symbol("b", positive=True), sp.Symbol("n"), sp.Idx("i")
>>> data = sp.IndexedBase("x")
>>> scale = (sp.Sum(data[i] ** b, (i, 1, n)) / n) ** (1 / b)
>>> sums = ScaledSums([scale], x, n, (b,))
>>> floats = sums_in_floats(sums, [sums.for_value(scale)], b)
>>> floats.constants
(n,)
>>> rows, tops = floats.rows([1e300, 2e300], (2.0,))
>>> round(floats.function(4.0, rows, tops, 2.0)[0] / 1e300, 12)  # ((1 + 16) / 2)^(1/4); x^4 alone overflows
1.707476485174
"""
from __future__ import annotations

import builtins
import dis
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

import sympy as sp
from sympy.printing.numpy import SciPyPrinter
from sympy.printing.pycode import PythonCodePrinter

from symml.floating_point_rewrites import SAMPLES, Where, for_floating_point, numpy_names

__all__ = ["FloatSums", "sums_in_floats"]

_MODULES: list[Any] = []  # [numpy_names(), "math", "scipy", "numpy"], made on first use (SciPy loads then)

#: What the math module and Python floats raise where NumPy returns NaN or inf (a complex power: TypeError on float())
_FAILURES = "(ArithmeticError, ValueError, TypeError)"


@dataclass(frozen=True)
class FloatSums:
    """Expressions of a :class:`ScaledSums`' sums, compiled for a few observations in Python floats.

    Attributes:
        constants: the symbols the function takes after the unknown (fixed parameters, statistics, n), in order.
        rows: ``rows(observations, constants) -> (rows, tops)``: the data-only subexpressions at each observation
            (one tuple per observation) and the extremes the shift needs; None where one is not a finite float.
        function: ``function(t, rows, tops, *constants) -> tuple of floats``, NaN where an operation leaves the
            math module's domain or range.
    """

    constants: tuple[sp.Symbol, ...]
    rows: Callable[[Sequence[float], Sequence[float]], tuple[list[tuple[float, ...]], tuple[float, ...]] | None]
    function: Callable[..., tuple[float, ...]]


def sums_in_floats(sums: Any, outputs: Sequence[sp.Expr], unknown: sp.Symbol,
                   constants: Sequence[sp.Symbol] = ()) -> FloatSums | None:
    """``outputs`` (expressions of ``sums``' scaled sums and shift, as :meth:`ScaledSums.for_ratio` or
    :meth:`ScaledSums.for_value` give them) as a function of the unknown over a few observations in floats; None
    where a summand's power of the data has an exponent other than (unknown factor) x (data) or where the
    generated code would need a name Python does not have (the caller keeps its NumPy path). ``constants``: taken
    too, first, in this order (two functions taking the same constants share their rows)."""
    data, terms, linear = sums.parts()
    outputs = [sp.sympify(e) for e in outputs]
    wanted = set().union(*(e.free_symbols for e in outputs))
    chosen = [term for term in terms if term[2] in wanted]
    groups = sorted({term[0] for term in chosen}, key=sp.default_sort_key)
    if any(group != 0 and group not in linear for group in groups):
        return None
    data_symbols = list(data.values())
    sum_symbols = [term[2] for term in chosen]
    known = set().union(*(e.free_symbols for e in [*outputs, *data, *(t[1] for t in chosen),
                                                    *(linear[g][0] for g in groups if g != 0)]))
    needed = known - {unknown, sums.shift, *data_symbols, *sum_symbols, sums.observation, *constants}
    constants = (*constants, *sorted(needed, key=lambda s: s.name))
    names = {unknown: "t", sums.shift: "shift", sums.observation: "x",
             **{s: f"k{j}" for j, s in enumerate(constants)}, **{s: f"d{j}" for j, s in enumerate(data_symbols)},
             **{s: f"s{j}" for j, s in enumerate(sum_symbols)}}
    printed = _Printed({s: sp.Symbol(name) for s, name in names.items()})
    columns = [data_symbols.index(linear[g][1]) for g in groups if g != 0]
    arguments = ", ".join(f"k{j}" for j in range(len(constants)))
    source = _rows_source(printed, list(data), columns, arguments)
    source += _function_source(printed, groups, linear, chosen, data_symbols, outputs, arguments, sums)
    namespace = printed.namespace()
    try:
        exec(compile(source, "<sums in floats>", "exec"), namespace)  # noqa: S102 - code printed from SymPy here
    except SyntaxError:
        return None
    # lambdify prints a function it cannot translate by its bare name: a NameError when called, refused here
    loaded = set().union(*(_globals(namespace[name].__code__) for name in ("_rows", "_function")))
    if loaded - set(namespace) - set(dir(builtins)):
        return None
    return FloatSums(constants, namespace["_rows"], namespace["_function"])


def _globals(code: Any) -> set[str]:
    """The global names ``code`` and the code objects nested in it (comprehensions) load."""
    nested = [c for c in code.co_consts if hasattr(c, "co_code")]
    return {i.argval for i in dis.get_instructions(code) if i.opname == "LOAD_GLOBAL"}.union(*map(_globals, nested))


class _FloatPrinter(SciPyPrinter):
    """lambdify's printer with conditions and choices of two cases as Python's own: NumPy's where and greater on
    floats cost ~1 us each and evaluate both cases (a log of 0 in the case not taken)."""

    def _print_Relational(self, expr: sp.Basic) -> str:
        return PythonCodePrinter._print_Relational(self, expr)

    def _print_And(self, expr: sp.Basic) -> str:
        return PythonCodePrinter._print_And(self, expr)

    def _print_Or(self, expr: sp.Basic) -> str:
        return PythonCodePrinter._print_Or(self, expr)

    def _print_Not(self, expr: sp.Basic) -> str:
        return PythonCodePrinter._print_Not(self, expr)

    def _print_Piecewise(self, expr: sp.Basic) -> str:
        return PythonCodePrinter._print_Piecewise(self, expr)

    def _print_Pow(self, expr: sp.Basic, rational: bool = False) -> str:
        # 1/b and b*b of a name: CPython's float ** calls pow (~3x a division or product)
        base, exponent = expr.args
        if exponent == -1:
            return f"1/({self._print(base)})"
        if base.is_Symbol and exponent in (2, -2):
            square = f"{self._print(base)}*{self._print(base)}"
            return f"({square})" if exponent == 2 else f"1/({square})"
        return super()._print_Pow(expr, rational=rational)

    def _print_Where(self, expr: sp.Basic) -> str:
        condition, a, b = (self._print(e) for e in expr.args)
        return f"(({a}) if {condition} else ({b}))"


class _Printed:
    """SymPy expressions printed as lambdify prints them for the math module first (the same printer, names and
    floating-point rewrites as :meth:`SampleFunction.of` with ``scalar=True``), the symbols by short names."""

    def __init__(self, renamed: dict[sp.Symbol, sp.Symbol]):
        if not _MODULES:
            _MODULES.extend([numpy_names(), "math", "scipy", "numpy"])
        self.renamed = renamed
        self.printer = _FloatPrinter({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True,
                                     "user_functions": {name: name for name in _MODULES[0]}})
        self.exprs: list[sp.Expr] = []

    def __call__(self, expr: sp.Expr) -> str:
        expr = for_floating_point(sp.sympify(expr), SAMPLES).xreplace(self.renamed)
        self.exprs.append(expr)
        return self.printer.doprint(expr)

    def assignments(self, exprs: Sequence[sp.Expr], prefix: str, indent: str,
                    loop: tuple[frozenset, str] | None = None) -> tuple[list[str], list[str], list[str]]:
        """Lines assigning the common subexpressions of ``exprs`` (renamed here) once, and the reduced exprs; with
        ``loop`` (the loop's own symbols, renamed, and the indent outside it), also the lines to run before the
        loop: the subexpressions free of the loop's symbols that every evaluation computes (√ν of |x − μ|/√ν, the
        2t of x − 2t: per observation otherwise, as cse leaves a subexpression used once in place)."""
        exprs = [for_floating_point(sp.sympify(e), SAMPLES).xreplace(self.renamed) for e in exprs]
        before: list[str] = []
        if loop is not None:
            exprs = _hoisted(exprs, loop[0], sp.numbered_symbols(f"{prefix}h"), before, loop[1], self._plain)
        replacements, reduced = sp.cse(exprs, symbols=sp.numbered_symbols(prefix))
        squares = sp.numbered_symbols(f"{prefix}q")
        lines: list[str] = []
        for symbol, value in replacements:
            lines.append(f"{indent}{symbol} = {self._plain(_squares_named(value, squares, lines, indent, self._plain))}")
        reduced = [_squares_named(e, squares, lines, indent, self._plain) for e in reduced]
        return before, lines, [self._plain(e) for e in reduced]

    def _plain(self, expr: sp.Expr) -> str:
        self.exprs.append(expr)
        return self.printer.doprint(expr)

    def namespace(self) -> dict[str, Any]:
        """lambdify's namespace for the printed functions (its modules' names), plus the loop's own."""
        symbols = sorted(set().union(*(e.free_symbols for e in self.exprs)), key=lambda s: s.name) if self.exprs else []
        probe = sp.lambdify(symbols, sp.Tuple(*self.exprs), modules=_MODULES)
        # Python's own sum, max and min under names of their own (lambdify's namespace holds NumPy's sum)
        return {**probe.__globals__, "_isfinite": math.isfinite, "_exp": math.exp, "_nan": math.nan,
                "_sum": builtins.sum, "_max": builtins.max, "_min": builtins.min}


def _always_evaluated(expr: sp.Basic) -> Iterator[sp.Basic]:
    """``expr`` and the subexpressions Python evaluates whenever the printed ``expr`` is: not the cases of a
    choice (Piecewise, Where: only their first condition), nor anything under a logical operator (``and``, ``or``
    short-circuit), where a value computed unconditionally could leave the math module's domain."""
    yield expr
    if isinstance(expr, sp.Piecewise):
        yield from _always_evaluated(expr.args[0].cond)
    elif isinstance(expr, Where):
        yield from _always_evaluated(expr.args[0])
    elif isinstance(expr, (sp.Add, sp.Mul, sp.Pow, sp.Function, sp.core.relational.Relational)):
        for argument in expr.args:
            yield from _always_evaluated(argument)


def _hoisted(exprs: list[sp.Expr], varying: frozenset, names: Iterator[sp.Symbol], lines: list[str], indent: str,
             printed: Callable[[sp.Expr], str]) -> list[sp.Expr]:
    """``exprs`` with each largest subexpression free of ``varying`` that they always evaluate (not a name or a
    number) replaced by a new name, and its assignment appended to ``lines``."""
    found: list[sp.Expr] = []
    for expr in exprs:
        for part in _always_evaluated(expr):  # an outer part before its own parts
            if (isinstance(part, sp.Expr) and not (part.is_Atom or (-part).is_Atom)  # -t costs what t does
                    and not part.free_symbols & varying and not any(outer.has(part) for outer in found)):
                found.append(part)
    renamed = {part: next(names) for part in found}
    lines += [f"{indent}{name} = {printed(part)}" for part, name in renamed.items()]
    return [e.xreplace(renamed) for e in exprs]


def _squares_named(expr: sp.Expr, names: Iterator[sp.Symbol], lines: list[str], indent: str,
                   printed: Callable[[sp.Expr], str]) -> sp.Expr:
    """``expr`` with the base of each square (or 1/square) of more than a name that it always evaluates assigned
    to a new name first (a line appended to ``lines``): CPython's float ** calls pow, ~60 ns, where b*b of a local
    costs ~40 ns with its assignment (the Student-t's (x − μ)² in Newton's loop)."""
    bases = [part.base for part in _always_evaluated(expr) if part.is_Pow and part.exp in (2, -2)
             and not part.base.is_Atom]
    if not bases:
        return expr
    base = bases[-1]  # an innermost one first (its own base, if it holds one, is named before it)
    name = next(names)
    lines.append(f"{indent}{name} = {printed(base)}")
    return _squares_named(expr.xreplace({base: name}), names, lines, indent, printed)


def _rows_source(printed: _Printed, data: list[sp.Expr], columns: list[int], arguments: str) -> str:
    """``_rows(observations, constants)``: the data-only subexpressions at each observation, and the largest and
    smallest of each column a linear exponent multiplies (None where one is not a finite float)."""
    row = ", ".join(printed(e) for e in data)
    tops = "".join(f"_max(c{j}), _min(c{j}), " for j in range(len(columns)))
    lines = [f"def _rows(xs, constants):", f"    {arguments}{',' if arguments else ''} = constants" if arguments
             else "    pass", "    try:",
             f"        rows = [({row}{',' if len(data) == 1 else ''}) for x in xs]" if data else "        rows = [() for x in xs]",
             # a finite total: every value finite (inf and nan propagate; one that overflows the total: None too)
             "        if not _isfinite(_sum(map(_sum, rows))): return None"]
    lines += [f"        c{j} = [r[{column}] for r in rows]" for j, column in enumerate(columns)]
    lines += [f"        return rows, ({tops})", f"    except {_FAILURES}:", "        return None", ""]
    return "\n".join(lines) + "\n"


def _function_source(printed: _Printed, groups: list[sp.Expr], linear: dict, chosen: list, data_symbols: list,
                     outputs: list[sp.Expr], arguments: str, sums: Any) -> str:
    nan = ", ".join(["_nan"] * len(outputs)) + ("," if len(outputs) == 1 else "")
    lines = [f"def _function(t, rows, tops{', ' if arguments else ''}{arguments}):", "    try:"]
    shifted = [g for g in groups if g != 0]
    tops = []
    for j, group in enumerate(shifted):  # an exponent c(t) g(x): it peaks at c max g or c min g
        lines.append(f"        c{j} = {printed(linear[group][0])}")
        lines.append(f"        top{j} = c{j} * tops[{2 * j}] if c{j} >= 0.0 else c{j} * tops[{2 * j + 1}]")
        tops.append(f"top{j}")
    if 0 in groups and shifted:
        tops.append("0.0")
    if shifted:  # the largest exponent taken out; where it is not finite the sums say so unshifted (inf or 0)
        lines.append(f"        shift = _max({', '.join(tops)})" if len(tops) > 1 else f"        shift = {tops[0]}")
        lines.append("        if not _isfinite(shift): shift = 0.0")
    else:
        lines.append("        shift = 0.0")
    for k in range(len(chosen)):
        lines.append(f"        s{k} = 0.0")
    names = ", ".join(f"d{j}" for j in range(len(data_symbols)))
    lines.append(f"        for {names}{',' if len(data_symbols) == 1 else ''} in rows:" if data_symbols
                 else "        for _ in rows:")
    loop = frozenset(printed.renamed[s] for s in data_symbols)
    before, body, factors = printed.assignments([term[1] for term in chosen], "_b", "            ", (loop, "        "))
    lines[-1:-1] = before
    lines += body
    for j, group in enumerate(shifted):
        data = f"d{data_symbols.index(linear[group][1])}"
        lines.append(f"            w{j} = _exp(c{j} * {data} - shift)")
    for k, (term, factor) in enumerate(zip(chosen, factors)):
        weight = f"w{shifted.index(term[0])} * " if term[0] != 0 else ""
        lines.append(f"            s{k} += {weight}({factor})")
    if 0 in groups and shifted:  # the sums without an exponent scaled by exp(0 - shift), as ScaledSums does
        lines.append("        scale = _exp(-shift)")
        lines += [f"        s{k} *= scale" for k, term in enumerate(chosen) if term[0] == 0]
    _, head, values = printed.assignments(outputs, "_o", "        ")
    lines += head
    lines.append(f"        return ({', '.join(f'float({v})' for v in values)}{',' if len(values) == 1 else ''})")
    lines += [f"    except {_FAILURES}:", f"        return ({nan})", ""]
    return "\n".join(lines) + "\n"

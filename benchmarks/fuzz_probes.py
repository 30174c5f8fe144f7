"""The probes of ``fuzz_api.py``: hypothesis strategies of calls to symml's public API, each with its oracle.

A probe draws a :class:`Case`: a call a user might make (from the inputs in ``fuzz_inputs.py`` and random expression
trees), the source that reproduces it, and an independent check of its answer (finite differences in 30-digit
arithmetic, ``numpy.mean``/``numpy.std``, a claim's truth known by construction) that names a WRONG result.
``PROBES`` maps each probe's name to its strategy.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import sympy as sp
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import symml  # noqa: E402  (after the path: run from a checkout)
from benchmarks.fuzz_inputs import (ARGUMENTS, CANARY, CLI_ARGV, DATA, DENSITIES, FAMILIES, HOSTILE,  # noqa: E402
                                    MALFORMED, SIZES, SUPPORTS)


@dataclass(frozen=True)
class Case:
    """One call of the public API: ``source`` reproduces it; ``run`` performs it and returns a WRONG description
    (a string) when an independent check refutes the result, else None."""

    api: str
    source: str
    run: Callable[[], str | None]


# --- oracles ----------------------------------------------------------------------------------------------------

def _finite_difference(expr: sp.Expr, x: sp.Symbol, at: dict[sp.Symbol, float]) -> complex | None:
    """d expr/dx at ``at`` by a 30-digit central difference, None where expr is not finite and real there."""
    import mpmath

    with mpmath.workdps(30):
        try:
            f = sp.lambdify(list(at), expr, "mpmath")
        except (KeyError, TypeError, NameError, SyntaxError):  # zoo, nan: nothing to compare with
            return None
        values = [mpmath.mpf(at[s]) for s in at]
        index = list(at).index(x)
        h = mpmath.mpf("1e-10")

        def f_at(t: Any) -> Any:
            shifted = list(values)
            shifted[index] = t
            return f(*shifted)

        try:
            low, middle, high = (f_at(values[index] + k * h) for k in (-1, 0, 1))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError, NameError):
            return None
        if not all(mpmath.isfinite(v) and not mpmath.im(v) for v in (low, middle, high)):
            return None
        left, right = (middle - low) / h, (high - middle) / h
        if abs(left - right) > mpmath.mpf("1e-6") * (1 + abs(left)):
            return None  # a kink: any subgradient between the one-sided derivatives is right
        return float((high - low) / (2 * h))


def _close(a: float, b: float, rel: float = 1e-5) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=rel)


# --- strategies: expressions ----------------------------------------------------------------------------------

X, Y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
_UNARY = [sp.exp, sp.log, sp.sin, sp.cos, sp.tanh, sp.sqrt, sp.Abs, sp.atan, sp.erf,
          lambda e: 1 / (1 + sp.exp(-e)), lambda e: sp.log(1 + sp.exp(e))]
_BINARY = [sp.Add, sp.Mul, lambda a, b: a - b, lambda a, b: a / b, lambda a, b: sp.Max(a, b)]
_leaves = st.one_of(st.sampled_from([X, Y, X, Y]), st.integers(-3, 5).map(sp.Integer),
                    st.sampled_from([sp.Rational(1, 2), sp.pi, sp.E]))
expressions = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(_UNARY), inner).map(lambda t: t[0](t[1])),
        st.tuples(st.sampled_from(_BINARY), inner, inner).map(lambda t: t[0](t[1], t[2])),
        st.tuples(inner, st.integers(-3, 4)).map(lambda t: t[0] ** t[1]),
    ),
    max_leaves=8,
)

typed_text = st.one_of(
    st.sampled_from(HOSTILE + MALFORMED),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.text(alphabet="x+-*/^(){}[]\\_0123456789 e.logsinexp=", max_size=25),
    expressions.map(str), expressions.map(sp.latex),
)


# --- probes: each a strategy of Cases ---------------------------------------------------------------------------

def _render_all(derivation: Any) -> None:
    derivation.latex()
    derivation.markdown()
    str(derivation)


@st.composite
def scalar_gradients(draw: Any) -> Case:
    """derive.gradient of a random expression tree: the result, its numpy() and 30-digit finite differences."""
    expr = draw(expressions)
    point = {X: draw(st.floats(-2, 2)), Y: draw(st.floats(0.1, 2))}

    def run() -> str | None:
        derivation = symml.derive.gradient(expr, X)
        _render_all(derivation)
        reference = _finite_difference(expr, X, point)
        if reference is None or not math.isfinite(reference) or abs(reference) > 1e8:
            return None
        derived = complex(sp.N(derivation.result.subs(point), 30)) if isinstance(derivation.result, sp.Expr) else None
        if derived is not None and math.isfinite(derived.real) and not (_close(derived.real, reference)
                                                                        and abs(derived.imag) < 1e-8):
            return f"result {derived} against finite differences {reference}"
        function = derivation.numpy()
        value = complex(np.asarray(function(x=point[X], y=point[Y])).ravel()[0])
        if math.isfinite(value.real) and not _close(value.real, reference, 1e-4):
            return f"numpy() {value} against finite differences {reference}"
        report = derivation.verify()
        return None if report.passed else f"verify() failed a result finite differences confirm: {report}"

    return Case("derive.gradient(expr)", f"symml.derive.gradient({sp.srepr(expr)}, x)  # at {point}", run)


_BOUNDED = [sp.sin, sp.cos, sp.tanh, lambda e: sp.exp(-e ** 2), sp.atan]


@st.composite
def scalar_optima(draw: Any) -> Case:
    """derive.minimize of (x - a)^2 + b h(c x), h bounded: numpy()'s minimiser against a dense grid and scipy."""
    a, b, c = draw(st.integers(-3, 3)), draw(st.integers(-3, 3)), draw(st.integers(1, 4))
    h = draw(st.sampled_from(_BOUNDED))
    objective = (X - a) ** 2 + b * h(c * X)

    def run() -> str | None:
        from scipy import optimize

        derivation = symml.derive.minimize(objective, X)
        _render_all(derivation)
        value = derivation.numpy()()
        found = float(np.ravel(list(value.values()) if isinstance(value, dict) else value)[0])
        f = sp.lambdify(X, objective, "numpy")
        grid = np.linspace(a - 4 - abs(b), a + 4 + abs(b), 20001)  # the minimum is within |b| of a, f >= (x-a)^2 - |b|
        start = grid[np.argmin(f(grid))]
        best = optimize.minimize_scalar(f, bracket=(start - 1e-3, start, start + 1e-3)).x
        worse = f(found) > f(best) + 1e-7 * (1 + abs(f(best)))
        return f"minimiser {found} (f = {f(found):.6g}); the global minimum is f({best:.6g}) = {f(best):.6g}" \
            if worse else None

    return Case("derive.minimize(scalar)", f"symml.derive.minimize({objective}, x).numpy()()", run)


@st.composite
def taylor_series(draw: Any) -> Case:
    """derive.taylor of a random tree: the polynomial against the function near the point (error O(h^(k+1)))."""
    expr = draw(expressions)
    at, order = draw(st.sampled_from([0, 1, sp.Rational(1, 2)])), draw(st.integers(0, 4))

    def run() -> str | None:
        derivation = symml.derive.taylor(expr, at={X: at}, order=order)
        _render_all(derivation)
        f = sp.lambdify([X, Y], expr, "mpmath")
        polynomial = sp.lambdify([X, Y], derivation.result, "mpmath")
        import mpmath

        errors = []
        for h in (1e-2, 5e-3):
            try:
                with mpmath.workdps(30):
                    errors.append(abs(complex(f(at + h, 0.7) - polynomial(at + h, 0.7))))
            except (ValueError, ZeroDivisionError, TypeError, OverflowError):
                return None
        if not all(math.isfinite(e) for e in errors) or errors[0] < 1e-12:
            return None
        ratio = errors[0] / max(errors[1], 1e-300)
        if ratio < 2 ** (order + 1) * 0.6:  # halving h must divide the error by about 2^(order+1)
            return f"error {errors[0]:.3g} at h = 1e-2, {errors[1]:.3g} at 5e-3: not of order {order + 1}"
        return None

    return Case("derive.taylor", f"symml.derive.taylor({sp.srepr(expr)}, at={{x: {at}}}, order={order})", run)


@st.composite
def typed_entry_points(draw: Any) -> Case:
    """The other entry points given typed text where an expression or a model is expected."""
    text = draw(typed_text)
    entry = draw(st.sampled_from(["minimize", "maximize", "taylor", "derivative", "expectation", "kl", "entropy",
                                  "posterior", "check_steps", "mle"]))
    import sympy.stats as stats

    calls: dict[str, Callable[[], Any]] = {
        "minimize": lambda: symml.derive.minimize(text, "x"), "maximize": lambda: symml.derive.maximize(text, "x"),
        "taylor": lambda: symml.derive.taylor(text, at={"x": 0}, order=2),
        "derivative": lambda: symml.derive.derivative(text, "x"),
        "expectation": lambda: symml.derive.expectation(stats.Normal("X", 0, 1), text),
        "kl": lambda: symml.derive.kl(text, stats.Normal("Q", 0, 1)), "entropy": lambda: symml.derive.entropy(text),
        "posterior": lambda: symml.derive.posterior(text, stats.Beta("P", 2, 2), wrt="p"),
        "check_steps": lambda: symml.check_steps([text, text]), "mle": lambda: symml.derive.mle(text),
    }
    return Case(f"derive.{entry}(str)", f"symml.derive.{entry}({text!r}, ...)", lambda: _render_or_none(calls[entry]()))


def _render_or_none(result: Any) -> None:
    if isinstance(result, symml.Derivation):
        _render_all(result)


@st.composite
def typed_derivatives(draw: Any) -> Case:
    """A typed loss to derive.gradient/hessian/taylor with wrt given by name."""
    text = draw(typed_text)
    operation = draw(st.sampled_from(["gradient", "hessian", "laplacian"]))
    wrt = draw(st.sampled_from(["x", "w", "", "x y", "1"]))

    def run() -> None:
        _render_all(getattr(symml.derive, operation)(text, wrt=wrt))

    return Case(f"derive.{operation}(str)", f"symml.derive.{operation}({text!r}, wrt={wrt!r})", run)


@st.composite
def claims(draw: Any) -> Case:
    """symml.check of 'lhs = rhs', true (an algebraic rewrite) or false (an exact perturbation) by construction."""
    lhs = draw(expressions)
    rewrite = draw(st.sampled_from(["expand", "factor-free", "plus tiny", "times 2", "hostile", "typed"]))
    syntax = draw(st.sampled_from(["text", "latex"]))
    show = sp.latex if syntax == "latex" else str
    if rewrite == "expand":
        rhs, truth = sp.expand(lhs), True
    elif rewrite == "factor-free":
        rhs, truth = lhs, True
    elif rewrite == "plus tiny":
        rhs, truth = lhs + sp.Rational(1, 10**draw(st.integers(3, 40))), False
    elif rewrite == "times 2":
        rhs, truth = 2 * lhs, None  # equal only where lhs = 0 everywhere
    else:
        text = draw(typed_text if rewrite == "typed" else st.sampled_from(HOSTILE))
        return Case("check(str)", f"symml.check({text!r})", lambda: bool(symml.check(text)) and None)
    claim = f"{show(lhs)} = {show(rhs)}"

    def run() -> str | None:
        verdict = symml.check(claim)
        try:
            value = complex(lhs.subs({X: sp.Rational(3, 10), Y: sp.Rational(7, 10)}).evalf(30))
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(value.real) and value.imag == 0):
            return None  # not real at the probe: claims about complex values are not judged here
        holds = truth if truth is not None else sp.simplify(lhs) == 0
        if verdict.kind.name != "UNDECIDED" and bool(verdict) != holds:
            return f"verdict {verdict.kind.value!r} for a claim that is {holds}"
        return None

    return Case("check(claim)", f"symml.check({claim!r})", run)




@st.composite
def estimator_data(draw: Any) -> Case:
    """mle(family).numpy() on odd data: a DataError, or an estimate agreeing with a direct computation."""
    family = draw(st.sampled_from(FAMILIES[:12]))
    label = draw(st.sampled_from(sorted(DATA)))
    data = DATA[label]

    def run() -> str | None:
        estimate = symml.derive.mle(family).numpy()(x=data)
        values = np.atleast_1d(np.asarray([v for v in (estimate.values() if isinstance(estimate, dict) else
                                                       [estimate])], dtype=object).ravel())
        flat = [float(np.ravel(v)[0]) if np.size(v) else math.nan for v in values]
        if not all(math.isfinite(v) for v in flat):
            return f"returned {estimate} (not finite) for {label} data"
        if family == "Normal":
            sample = np.asarray(data, dtype=float)
            expected = [sample.mean(), sample.std()]
            if not all(_close(a, b, 1e-9) for a, b in zip(flat, expected)) or expected[1] == 0:
                return f"returned {estimate}, expected mean, std {expected} on {label} data"
        return None

    return Case("mle(family).numpy()(x=data)", f"symml.derive.mle({family!r}).numpy()(x={label} data: {data!r})", run)


@st.composite
def mle_calls(draw: Any) -> Case:
    """mle with odd models and wrt: unknown families, parameters not in the model, symbols with odd assumptions."""
    family = draw(st.sampled_from(FAMILIES))
    wrt = draw(st.sampled_from([None, "mu", ["mu", "sigma"], "theta", ["mu", "mu"], [], 0, -1, "σ",
                                sp.Symbol("mu"), sp.Symbol("mu", positive=True), sp.Symbol("sigma", negative=True),
                                sp.Symbol("zz")]))
    operation = draw(st.sampled_from(["render", "numpy", "verify"]))

    def run() -> None:
        derivation = symml.derive.mle(family, wrt=wrt)
        if operation == "render":
            _render_all(derivation)
        elif operation == "numpy":
            derivation.numpy()(x=[0.5, 1.0, 2.0, 0.25])
        else:
            derivation.verify()

    return Case("derive.mle(family, wrt)", f"symml.derive.mle({family!r}, wrt={wrt!r}) then {operation}", run)




@st.composite
def user_models(draw: Any) -> Case:
    """Model(logpdf=typed text or a hostile string, data=..., support=...) then mle and its operations."""
    logpdf = draw(st.one_of(st.sampled_from(DENSITIES), typed_text))
    data = draw(st.sampled_from(["x", "x", "y", "", "theta", 3, None, ("x", "y")]))
    support = draw(st.sampled_from(SUPPORTS))
    operation = draw(st.sampled_from(["model", "mle", "numpy", "verify"]))

    def run() -> None:
        model = symml.Model(logpdf=logpdf, data=data, support=support)
        if operation == "model":
            return None
        derivation = symml.derive.mle(model)
        _render_all(derivation)
        if operation == "numpy":
            derivation.numpy()(x=[0.5, 1.0, 2.0, 0.25])
        elif operation == "verify":
            derivation.verify()
        return None

    return Case("Model(logpdf=...) + mle", f"symml.derive.mle(symml.Model(logpdf={logpdf!r}, data={data!r}, "
                                           f"support={support!r})) then {operation}", run)




@st.composite
def matrix_calls(draw: Any) -> Case:
    """Matrix calculus with odd sizes, non-conforming shapes and odd arrays to numpy()."""
    rows, cols = draw(st.sampled_from(SIZES)), draw(st.sampled_from(SIZES))
    wsize = draw(st.sampled_from(SIZES))
    loss = draw(st.sampled_from(["sq_norm(X@w - y)", "sum(softplus(X@w))", "w.T@w", "logdet(X)", "trace(X)",
                                 "sum(X)", "X@X", "w", "X@y"]))
    arrays = draw(st.sampled_from(["fit", "wrong shape", "nan", "empty", "object", "complex", "strings", "missing",
                                   "list"]))

    def run() -> None:
        X_ = symml.matrix("X", rows, cols)
        w = symml.vector("w", wsize)
        y = symml.vector("y", rows)
        namespace = {"X": X_, "w": w, "y": y, "sq_norm": symml.sq_norm, "sum": symml.sum,
                     "softplus": symml.softplus, "logdet": symml.logdet, "trace": symml.trace}
        expr = eval(loss, {"__builtins__": {}}, namespace)  # the fuzzer's own fixed strings, not user text
        derivation = symml.derive.gradient(expr, w if "w" in loss else X_)
        _render_all(derivation)
        function = derivation.numpy()
        r = rows if isinstance(rows, int) and not isinstance(rows, bool) and 0 < rows < 10 else 3
        c = cols if isinstance(cols, int) and not isinstance(cols, bool) and 0 < cols < 10 else 2
        inputs = {"X": np.ones((r, c)), "w": np.ones((c, 1)), "y": np.ones((r, 1))}
        if arrays == "wrong shape":
            inputs["w"] = np.ones((c + 1, 1))
        elif arrays == "nan":
            inputs["X"] = np.full((r, c), np.nan)
        elif arrays == "empty":
            inputs = {k: np.ones((0, 0)) for k in inputs}
        elif arrays == "object":
            inputs["X"] = np.ones((r, c), dtype=object)
        elif arrays == "complex":
            inputs["X"] = np.ones((r, c)) + 1j
        elif arrays == "strings":
            inputs["X"] = np.full((r, c), "a")
        elif arrays == "missing":
            inputs.pop("X")
        elif arrays == "list":
            inputs = {k: v.tolist() for k, v in inputs.items()}
        function(**{k: v for k, v in inputs.items() if k in loss or k == "X"})

    return Case("matrix gradient", f"X = symml.matrix('X', {rows!r}, {cols!r}); w = symml.vector('w', {wsize!r}); "
                                   f"y = symml.vector('y', {rows!r}); g = symml.derive.gradient({loss}, ...); "
                                   f"g.numpy()({arrays} arrays)", run)


@st.composite
def other_entry_points(draw: Any) -> Case:
    """The probability, optimisation and linear-algebra entry points with odd arguments."""
    import sympy.stats as stats

    theta = sp.Symbol("theta", positive=True)
    choices: dict[str, Callable[[], Any]] = {
        "expectation(Normal, 1/X)": lambda: symml.derive.expectation(stats.Normal("X", 0, 1), 1 / stats.Normal("X", 0, 1)),
        "moments(Normal, upto=-1)": lambda: symml.derive.moments(stats.Normal("X", 0, 1), upto=-1),
        "moments(Normal, upto=10**6)": lambda: symml.derive.moments(stats.Normal("X", 0, 1), upto=10**6),
        "moments(Normal, upto='a')": lambda: symml.derive.moments(stats.Normal("X", 0, 1), upto="a"),
        "entropy(3)": lambda: symml.derive.entropy(3),
        "entropy('Normal')": lambda: symml.derive.entropy("Normal"),
        "kl(Normal, None)": lambda: symml.derive.kl(stats.Normal("P", 0, 1), None),
        "kl(Normal(0, -1), Normal)": lambda: symml.derive.kl(stats.Normal("P", 0, -1), stats.Normal("Q", 0, 1)),
        "fisher_information(Normal, wrt=theta)": lambda: symml.derive.fisher_information(stats.Normal("X", 0, 1),
                                                                                        wrt=[theta]),
        "minimize(x**3, x)": lambda: symml.derive.minimize(X ** 3, X),
        "minimize(x, x, x >= 1, x <= 0)": lambda: symml.derive.minimize(X, X, subject_to=[X >= 1, X <= 0]),
        "minimize('x**2', 'x')": lambda: symml.derive.minimize("x**2", "x"),
        "minimize(x**2, y)": lambda: symml.derive.minimize(X ** 2, Y),
        "minimize(x**2, [])": lambda: symml.derive.minimize(X ** 2, []),
        "maximize(x**2, x)": lambda: symml.derive.maximize(X ** 2, X),
        "minimize(exp(x), x)": lambda: symml.derive.minimize(sp.exp(X), X),
        "conjugate(x, x)": lambda: symml.derive.conjugate(X, X),
        "eigen(Matrix([[1, 2]]))": lambda: symml.derive.eigen(sp.Matrix([[1, 2]])),
        "eigen(Matrix([]))": lambda: symml.derive.eigen(sp.Matrix([])),
        "inverse(zeros(2))": lambda: symml.derive.inverse(sp.zeros(2)),
        "inverse([[1, 2], [3, 4]])": lambda: symml.derive.inverse([[1, 2], [3, 4]]),
        "determinant('A')": lambda: symml.derive.determinant("A"),
        "svd(Matrix([[nan]]))": lambda: symml.derive.svd(sp.Matrix([[sp.nan]])),
        "taylor(exp(x), at={x: 0}, order=-1)": lambda: symml.derive.taylor(sp.exp(X), at={X: 0}, order=-1),
        "taylor(exp(x), at={x: 0}, order=10**6)": lambda: symml.derive.taylor(sp.exp(X), at={X: 0}, order=10**6),
        "taylor(log(x), at={x: 0})": lambda: symml.derive.taylor(sp.log(X), at={X: 0}, order=2),
        "taylor(exp(x), at={y: 0})": lambda: symml.derive.taylor(sp.exp(X), at={Y: 0}, order=2),
        "gradient(x**(10**10), x)": lambda: _render_all(symml.derive.gradient(X ** (10**10), X)),
        "gradient(1e400*x, x)": lambda: symml.derive.gradient(sp.Float("1e400") * X, X).numpy()(x=1.0),
        "gradient(x, 3)": lambda: symml.derive.gradient(X, 3),
        "gradient(x, 'x')": lambda: symml.derive.gradient(X, "x"),
        "gradient(None, x)": lambda: symml.derive.gradient(None, X),
        "gradient(x == 1, x)": lambda: symml.derive.gradient(sp.Eq(X, 1), X),
        "gradient(x, y)": lambda: symml.derive.gradient(X, Y).numpy()(x=1.0, y=2.0),
        "gradient(x*y, [x, x])": lambda: symml.derive.gradient(X * Y, [X, X]),
        "jacobian([x, y], [])": lambda: symml.derive.jacobian([X, Y], []),
        "hessian(x**3, x).numpy()(x='a')": lambda: symml.derive.hessian(X ** 3, X).numpy()(x="a"),
        "hessian(x**3, x).numpy()(x=None)": lambda: symml.derive.hessian(X ** 3, X).numpy()(x=None),
        "gradient(exp(x), x).numpy()(x=1e400)": lambda: symml.derive.gradient(sp.exp(X), X).numpy()(x=10**400),
        "gradient(x*y, x).numpy()()": lambda: symml.derive.gradient(X * Y, X).numpy()(),
        "gradient(x*y, x).numpy()(z=1)": lambda: symml.derive.gradient(X * Y, X).numpy()(x=1.0, y=1.0, z=1),
        "gradient(sin(x), x).verify(points=0)": lambda: symml.derive.gradient(sp.sin(X), X).verify(points=0),
        "gradient(sin(x), x).verify(bogus=1)": lambda: symml.derive.gradient(sp.sin(X), X).verify(bogus=1),
        "gradient(sin(x), x).latex(document='yes')": lambda: symml.derive.gradient(sp.sin(X), X).latex(document="yes"),
        "check(None)": lambda: symml.check(None),
        "check()": lambda: symml.check(),
        "check(x, y, x)": lambda: symml.check(X, Y, X),
        "check(x, 'x', points=0)": lambda: symml.check(X, "x", points=0),
        "check('x = x', points=-1)": lambda: symml.check("x = x", points=-1),
        "check_steps([None, None])": lambda: symml.check_steps([None, None]),
        "check_steps([])": lambda: symml.check_steps([]),
        "check_steps('x = x')": lambda: symml.check_steps("x = x"),
        "Model(logpdf=None, data='x')": lambda: symml.Model(logpdf=None, data="x"),
        "Model(logpdf=x, data=x) non-normalisable": lambda: symml.derive.mle(symml.Model(logpdf=X, data=X)),
        "dims('')": lambda: symml.dims(""),
        "dims('1 2')": lambda: symml.dims("1 2"),
        "vector('', 3)": lambda: symml.vector("", 3),
        "vector('w w', 3)": lambda: symml.vector("w w", 3),
        "matrix('X', -2, 3)": lambda: symml.matrix("X", -2, 3),
        "posterior(Bernoulli, Beta, wrt=q)": lambda: symml.derive.posterior(
            stats.Bernoulli("X", theta), stats.Beta("P", 2, 2), wrt=sp.Symbol("q")),
        "posterior(1, 2, 3)": lambda: symml.derive.posterior(1, 2, 3),
        "map(Bernoulli, Beta(-1, 2))": lambda: symml.derive.map(stats.Bernoulli("X", theta), stats.Beta("P", -1, 2),
                                                                 wrt=theta),
        "information_gain([[0, 0], [0, 0]])": lambda: symml.derive.information_gain([[0, 0], [0, 0]]),
        "information_gain([[-1, 2], [1, 5]])": lambda: symml.derive.information_gain([[-1, 2], [1, 5]]),
        "information_gain([])": lambda: symml.derive.information_gain([]),
        "brier_decomposition(0)": lambda: symml.derive.brier_decomposition(0),
        "brier_decomposition(-3)": lambda: symml.derive.brier_decomposition(-3),
        "confidence_interval(mle, mu, level=2)": lambda: symml.derive.confidence_interval(
            symml.derive.mle("Normal"), sp.Symbol("mu", real=True), level=2),
        "inverse_cdf_sampler(Normal).numpy()(-5)": lambda: symml.derive.inverse_cdf_sampler(
            stats.Exponential("T", theta)).numpy()(-5, theta=1.0),
        "rejection_sampling(Cauchy, Normal)": lambda: symml.derive.rejection_sampling(stats.Cauchy("X", 0, 1),
                                                                                      stats.Normal("X", 0, 1)),
    }
    name = draw(st.sampled_from(sorted(choices)))
    return Case(name.split("(")[0], f"symml.derive.{name}" if not name.startswith(("check", "Model", "dims", "vector",
                                                                                   "matrix")) else f"symml.{name}",
                lambda: choices[name]() and None)


def _exported(name: str) -> tuple[Any, dict[str, Any]]:
    """A derivation's numpy() function and good arguments for it, by a short name (built in the child)."""
    import sympy.stats as stats

    n, d = symml.dims("n d")
    Xm, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    r, p = sp.Symbol("r", positive=True), sp.Symbol("p", positive=True)
    a, b = sp.symbols("a b", positive=True)
    i = sp.Symbol("i", integer=True)
    xs, ys = sp.IndexedBase("x", real=True), sp.IndexedBase("y", real=True)
    sample = np.array([0.5, 1.0, 2.0, 0.25])
    rows = np.arange(6.0).reshape(3, 2) / 7
    if name == "scalar gradient":
        return symml.derive.gradient(X ** 2 * sp.exp(X), X).numpy(), {"x": 0.5}
    if name == "matrix gradient":
        loss = symml.sum(symml.softplus(Xm @ w)) - y.T @ Xm @ w
        return symml.derive.gradient(loss, w).numpy(), {"X": rows, "w": np.ones(2), "y": np.array([0.0, 1, 1])}
    if name == "mle Normal":
        return symml.derive.mle("Normal").numpy(), {"x": sample}
    if name == "mle Gamma":
        return symml.derive.mle("Gamma").numpy(), {"x": sample}
    if name == "posterior":
        post = symml.derive.posterior(stats.Bernoulli("X", p), stats.Beta("P", a, b), wrt=p)
        return post.numpy(), {"p": 0.3, "x": np.array([0, 1, 1.0]), "a": 2.0, "b": 3.0}
    if name == "map":
        return symml.derive.map(stats.Bernoulli("X", p), stats.Beta("P", a, b), wrt=p).numpy(), \
            {"x": np.array([0, 1, 1.0]), "a": 2.0, "b": 3.0}
    if name == "expectation":
        T = stats.Exponential("T", r)
        return symml.derive.expectation(T, T ** 3).numpy(), {"r": 2.0}
    if name == "ridge minimum":
        lam = sp.Symbol("lambda", positive=True)
        return symml.derive.minimize(symml.losses.ridge(Xm, w, y, lam), wrt=w).numpy(), \
            {"X": rows, "y": np.array([0.0, 1, 1]), "lambda": 0.5}
    if name == "indexed least squares":
        m = sp.Symbol("m", real=True)
        loss = sp.Sum((ys[i] - m * xs[i]) ** 2, (i, 1, sp.Symbol("n", integer=True, positive=True)))
        return symml.derive.minimize(loss, m).numpy(), {"x": sample, "y": 2 * sample}
    if name == "sampler":
        return symml.derive.inverse_cdf_sampler(stats.Exponential("T", r)).numpy(), {"size": 5, "r": 2.0}
    raise KeyError(name)


EXPORTS = ["scalar gradient", "matrix gradient", "mle Normal", "mle Gamma", "posterior", "map", "expectation",
           "ridge minimum", "indexed least squares", "sampler"]


@st.composite
def numpy_arguments(draw: Any) -> Case:
    """numpy() of derivations of every kind, one argument replaced by an odd value: a clear error or a result, never
    a result for a value that is not numbers."""
    name = draw(st.sampled_from(EXPORTS))
    label = draw(st.sampled_from(sorted(ARGUMENTS)))
    which = draw(st.integers(0, 5))

    def run() -> str | None:
        function, good = _exported(name)
        argument = sorted(good)[which % len(good)]
        value, refuse = ARGUMENTS[label]
        result = function(**{**good, argument: value})
        if refuse:
            return f"returned {str(result)[:120]} for {argument} = {label}"
        return None

    return Case(f"numpy() of {name}", f"<{name}>.numpy()(<good arguments>, argument #{which} = {label})", run)




@st.composite
def command_lines(draw: Any) -> Case:
    """``python -m symml ...`` with odd arguments, run as symml.cli.main(argv) in the child."""
    argv = draw(st.one_of(st.sampled_from(CLI_ARGV),
                          st.tuples(st.sampled_from(["gradient", "hessian"]), typed_text).map(
                              lambda t: [t[0], t[1], "--wrt", "x"])))

    def run() -> None:
        from symml.cli import main

        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as errors:
            status = main(list(argv))
        if "Traceback" in errors.getvalue():
            raise RuntimeError(f"a traceback printed, exit status {status}")

    return Case("cli", f"python -m symml {' '.join(repr(a) for a in argv)}", run)


PROBES: dict[str, Any] = {
    "scalar_gradients": scalar_gradients(), "scalar_optima": scalar_optima(), "taylor_series": taylor_series(),
    "typed_derivatives": typed_derivatives(), "typed_entry_points": typed_entry_points(), "claims": claims(),
    "estimator_data": estimator_data(), "mle_calls": mle_calls(), "user_models": user_models(),
    "matrix_calls": matrix_calls(), "numpy_arguments": numpy_arguments(), "other_entry_points": other_entry_points(), "command_lines": command_lines(),
}

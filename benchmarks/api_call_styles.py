"""Call every catalog entry's ``numpy()`` function the ways users do, and classify each call.

    OPENBLAS_NUM_THREADS=1 nice -n 10 python benchmarks/api_call_styles.py [PREFIX ...]

For each entry with a known good call (the sample or the first array given as a float64 1-D array, the rest by
name) the sample is passed again positionally and by name, as a list, a tuple, an int array, a float32 array, a
2-D column (n, 1), an object with ``__array__`` (a pandas-like column), a scalar, with a NaN, with an inf, empty,
with a negative or a fractional observation, with an unknown keyword, and with a named parameter missing (entries
taking their arrays by name: BY_NAME_CALLS, the same styles for one array). Each call is:

- SAME: the result equals the good call's (the good calls themselves are checked against independent oracles in
  the suite: scipy.stats fits, quadrature, finite differences);
- OTHER: a different answer where one is expected (a scalar sample of one observation, say) -- printed to read;
- WRONG: a different answer where the same is expected (list, tuple, float32, column, ``__array__``);
- refused: a SymmlError (its message is printed);
- RAW: any other exception.

Then ``verify()``, ``latex()``, ``markdown()``, ``str()`` and ``_repr_latex_()`` of every catalog entry are called
once, and any raw exception or non-string is reported.
"""
from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import derivations  # noqa: E402
from symml.errors import SymmlError  # noqa: E402


class ArrayLike:
    """A pandas-like column: no ndarray subclass, only ``__array__``."""

    def __init__(self, values: Any) -> None:
        self._values = np.asarray(values)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._values if dtype is None else self._values.astype(dtype)

    def __len__(self) -> int:
        return len(self._values)


POSITIVE_INTEGERS = [1.0, 2.0, 3.0, 5.0, 8.0, 2.0, 4.0]
#: {entry: (the sample, the other arguments by name)}; an entry missing here gets POSITIVE_INTEGERS and 2.0 for any
#: fixed parameter its estimator asks for.
GOOD_CALLS: dict[str, tuple[list[float], dict[str, Any]]] = {
    "mle.bernoulli": ([0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0], {}),
    "mle.beta": ([0.2, 0.5, 0.7, 0.4, 0.6, 0.3, 0.55], {}),
    "mle.binomial": (POSITIVE_INTEGERS, {"m": 10}),
    "mle.uniform": (POSITIVE_INTEGERS, {}),
    "bayes.beta_bernoulli_map": ([0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0], {"a": 2.0, "b": 3.0}),
    "bayes.beta_bernoulli_summary": ([0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0], {"a": 2.0, "b": 3.0}),
    "bayes.normal_gamma_map": (POSITIVE_INTEGERS, {}),
    "bayes.normal_inverse_gamma_map": (POSITIVE_INTEGERS, {}),
}
SAMPLE_FIRST = ("mle.", "probability.interval_", "bayes.beta_bernoulli_map", "bayes.beta_bernoulli_summary",
                "bayes.normal_gamma_map", "bayes.normal_inverse_gamma_map")


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return "value", call()
    except SymmlError as error:
        return "refused", f"{type(error).__name__}: {error}"
    except Exception as error:  # noqa: BLE001  (the sweep's point: any raw exception is a finding)
        return "RAW", f"{type(error).__name__}: {error}"


def flat(value: Any) -> np.ndarray:
    if isinstance(value, dict):
        return np.concatenate([flat(v) for _, v in sorted(value.items())]) if value else np.zeros(0)
    if isinstance(value, (tuple, list)):
        return np.concatenate([flat(v) for v in value]) if value else np.zeros(0)
    return np.asarray(value, dtype=float).ravel()


def same(a: Any, b: Any) -> bool:
    a, b = flat(a), flat(b)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-8, equal_nan=True)


def named_parameters(function: Callable[..., Any], sample: np.ndarray, given: dict[str, Any]) -> dict[str, Any]:
    """``given``, plus 2.0 for each fixed parameter the estimator asks for by name."""
    for _ in range(3):
        kind, value = outcome(lambda: function(sample, **given))
        asked = re.search(r"(?:fixed parameter\(s\)|needs values for) ([\w, ]+?)[:;]", str(value))
        if kind != "refused" or not asked:
            return given
        given = {**given, **{name.strip(): 2.0 for name in asked.group(1).split(",")}}
    return given


def styles(sample: list[float], fixed: dict[str, Any]) -> list[tuple[str, tuple, dict, bool]]:
    """(style, positional, by name, whether the good call's answer is expected)."""
    x = np.asarray(sample, dtype=float)
    some = next(iter(fixed), None)
    rows = [
        ("by name", (), {"x": x, **fixed}, True),
        ("list", (list(sample),), fixed, True),
        ("tuple", (tuple(sample),), fixed, True),
        ("float32", (x.astype(np.float32),), fixed, True),
        ("column (n,1)", (x[:, None],), fixed, True),
        ("row (1,n)", (x[None, :],), fixed, True),
        ("__array__", (ArrayLike(x),), fixed, True),
        ("scalar", (float(x[0]),), fixed, False),
        ("NaN", (np.r_[x, np.nan],), fixed, False),
        ("inf", (np.r_[x, np.inf],), fixed, False),
        ("empty", (np.zeros(0),), fixed, False),
        ("a negative observation", (np.r_[x, -1.0],), fixed, False),
        ("a fractional observation", (np.r_[x, 0.5],), fixed, False),
        ("unknown keyword", (x,), {**fixed, "bogus": 1.0}, False),
        ("twice", (x,), {"x": x, **fixed}, False),
    ]
    if np.all(x == np.round(x)):
        rows.insert(3, ("int array", (x.astype(int),), fixed, True))
    if some is not None:
        rows.append(("parameter missing", (x,), {k: v for k, v in fixed.items() if k != some}, False))
        rows.append(("array parameter", (x,), {**fixed, some: np.full(2, fixed[some])}, False))
        rows.append(("str parameter", (x,), {**fixed, some: "2"}, False))
    return rows


def sweep_sample_first(names: list[str]) -> list[tuple[str, str, str, str]]:
    rows = []
    for name in names:
        function = derivations.build(name).numpy()
        sample, given = GOOD_CALLS.get(name, (POSITIVE_INTEGERS, {}))
        x = np.asarray(sample, dtype=float)
        given = named_parameters(function, x, given)
        kind, good = outcome(lambda: function(x, **given))
        if kind != "value":
            rows.append((name, "good call", kind, str(good)[:140]))
            continue
        for style, args, kwargs, expected in styles(sample, given):
            kind, value = outcome(lambda: function(*args, **kwargs))
            if kind == "value":
                kind = "SAME" if same(value, good) else "WRONG" if expected else "OTHER"
            rows.append((name, style, kind, "" if kind == "SAME" else str(value)[:140]))
    return rows


_RNG = np.random.default_rng(0)
_X = _RNG.normal(size=(8, 3))
_Y = _RNG.normal(size=8)
#: {entry: (the arguments by name of a good call, the array argument whose style varies)}
BY_NAME_CALLS: dict[str, tuple[dict[str, Any], str]] = {
    "optimize.ordinary_least_squares": ({"X": _X, "y": _Y}, "y"),
    "optimize.ridge": ({"X": _X, "y": _Y, "lambda": 0.5}, "y"),
    "matrix.least_squares_gradient": ({"X": _X, "w": _Y[:3], "y": _Y}, "y"),
    "matrix.logistic_gradient": ({"X": _X, "w": _Y[:3], "y": (_Y > 0).astype(float)}, "w"),
    "calculus.gaussian_nll": ({"mu": 0.5, "s": 1.5, "x": _Y}, "x"),
    "calculus.sigmoid": ({"z": _Y}, "z"),
    "probability.kl_normal_normal": ({"m1": _Y, "m2": 0.0, "s1": 1.0, "s2": 2.0}, "m1"),
    "probability.fisher_normal": ({"sigma": np.abs(_Y) + 0.5}, "sigma"),
    "probability.entropy_gamma": ({"k": np.abs(_Y) + 0.5, "theta": 2.0}, "k"),
    "bayes.gamma_poisson_posterior": ({"x": np.array([1.0, 2, 0, 3, 1]), "lambda": 1.5, "a": 2.0, "b": 1.0}, "x"),
}


def by_name_styles(values: np.ndarray) -> list[tuple[str, Any, bool]]:
    """(style, the argument's value, whether the good call's answer is expected)."""
    rows = [("list", values.tolist(), True), ("tuple", tuple(values.ravel().tolist()) if values.ndim == 1 else
             tuple(map(tuple, values.tolist())), True), ("float32", values.astype(np.float32), True),
            ("__array__", ArrayLike(values), True),
            ("NaN", np.where(np.arange(values.size).reshape(values.shape) == 0, np.nan, values), False),
            ("inf", np.where(np.arange(values.size).reshape(values.shape) == 0, np.inf, values), False),
            ("empty", np.zeros((0,) + values.shape[1:]), False), ("scalar", float(values.ravel()[0]), False)]
    if values.ndim == 1:
        rows.append(("column (n,1)", values[:, None], False))
    if np.all(values == np.round(values)):
        rows.append(("int array", values.astype(int), True))
    return rows


def sweep_by_name(names: list[str]) -> list[tuple[str, str, str, str]]:
    rows = []
    for name in names:
        if name not in BY_NAME_CALLS:
            continue
        function = derivations.build(name).numpy()
        given, varied = BY_NAME_CALLS[name]
        kind, good = outcome(lambda: function(**given))
        if kind != "value":
            rows.append((name, "good call", kind, str(good)[:140]))
            continue
        calls = [(f"{varied}: {style}", (), {**given, varied: value}, expected)
                 for style, value, expected in by_name_styles(np.asarray(given[varied], dtype=float))]
        calls += [("positionally", tuple(given.values()), {}, False),
                  ("unknown keyword", (), {**given, "bogus": 1.0}, False),
                  (f"{varied} missing", (), {k: v for k, v in given.items() if k != varied}, False)]
        for style, args, kwargs, expected in calls:
            kind, value = outcome(lambda: function(*args, **kwargs))
            if kind == "value":
                kind = "SAME" if same(value, good) else "WRONG" if expected else "OTHER"
            rows.append((name, style, kind, "" if kind == "SAME" else str(value)[:140]))
    return rows


def sweep_renderings(names: list[str]) -> list[tuple[str, str, str, str]]:
    rows = []
    for name in names:
        derivation = derivations.build(name)
        for what, call in (("verify()", derivation.verify), ("latex()", derivation.latex),
                           ("markdown()", derivation.markdown), ("str()", lambda: str(derivation)),
                           ("_repr_latex_()", derivation._repr_latex_)):
            kind, value = outcome(call)
            if kind == "RAW" or (what != "verify()" and kind == "value" and not isinstance(value, str)):
                rows.append((name, what, kind, str(value)[:140]))
    return rows


def main(prefixes: list[str]) -> int:
    names = [n for n in derivations.entry_names() if not prefixes or n.startswith(tuple(prefixes))]
    rows = (sweep_sample_first([n for n in names if n.startswith(SAMPLE_FIRST)]) + sweep_by_name(names)
            + sweep_renderings(names))
    for row in rows:
        if row[2] != "SAME":
            print(" | ".join(row))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[2]] = counts.get(row[2], 0) + 1
    print("counts:", counts)
    return 1 if counts.get("RAW") or counts.get("WRONG") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

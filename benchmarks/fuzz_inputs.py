"""The inputs ``fuzz_api.py`` draws from: strings a user might type (hostile and malformed), odd samples, family
names, typed log-densities and supports, sizes, arguments for ``numpy()`` functions, and command lines."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import sympy as sp

#: The file a code-execution payload creates: if it exists after a call, user text was run as code.
CANARY = Path(tempfile.gettempdir()) / f"symml_fuzz_canary_{os.getpid()}"

#: Strings a user might type that must never be run, and strings that are plain mistakes.
HOSTILE = [
    f"__import__('os').system('touch {CANARY}')", f"open('{CANARY}', 'w')",
    f"(lambda: open('{CANARY}', 'w'))()", f"exec(\"open('{CANARY}', 'w')\")", f"eval(\"open('{CANARY}','w')\")",
    f"getattr(__builtins__, 'open')('{CANARY}', 'w')", "().__class__.__base__.__subclasses__()",
    "x.__class__.__mro__", f"__import__('pathlib').Path('{CANARY}').touch()", "lambda x: x", "x.func", "x.args[0]",
    "[c for c in ().__class__.__bases__]", "x if x else y", "x; y", "import os", "globals()", "x := 3",
    f"\\input{{{CANARY}}}", "\\write18{touch " + str(CANARY) + "}", "Symbol('x').__class__",
]
MALFORMED = [
    "", " ", "\n", "(", ")", "((x)", "x)", "{x", "\\frac{x}{", "\\frac{1}", "x +", "* x", "x = = y", "=", "x ==",
    "foo(x)", "\\foo{x}", "unknownfn(x, y)", "x**(10**10)", "x^{10^{10}}", "2**(2**(2**(2**10)))", "1e400",
    "10**400*x", "9" * 5000, "x" * 5000, "(" * 300 + "x" + ")" * 300, "-" * 2000 + "x", "∑ x", "x²", "αβγ",
    "\u0000", "x\u200b+ y", "😀 + x", "x++y", "sin", "log()", "exp(x, y)", "\\sum_{i=1}^{10^{10}} i", "x!!!!",
    "factorial(10**9)", "gamma(10**9)", "binomial(10**30, 10**15)", "Sum(x, (x, 1, 10**12))", "oo - oo", "zoo",
    "nan", "0/0", "1/0", "x/0", "log(0)", "\\left( x \\right", "x_{", "\\begin{pmatrix} 1 \\end{matrix}",
    "x =", "= x", "x = y = ", "\\mathbb{E}[", "E[X", "{}", "[]", "[x, y]", "(x, y)", "True", "None", "'x'",
    "x+" * 40000 + "x", "\\frac{1}{2}+" * 10000 + "x", "exp(" * 200 + "x" + ")" * 200, "x**x**x**x**x**x**x",
    "((3**1000)**1000)**1000", "10**10**10", "x**(1/0)", "sqrt(-1)*x", "I*x", "E**(10**9)", "\\Gamma(10^{8})",
]

DATA = {
    "nan": [1.0, float("nan"), 2.0], "inf": [1.0, float("inf"), 2.0], "-inf": [-float("inf"), 1.0],
    "empty": [], "one": [1.5], "two equal": [2.0, 2.0], "object": np.array([1, "a", 2.0], dtype=object),
    "complex": np.array([1 + 1j, 2.0]), "bool": np.array([True, False, True]), "strings": ["1", "2", "3"],
    "huge int": [10**400, 1, 2], "int64": np.array([2**62, 2**62, 1], dtype=np.int64), "2-d": np.ones((3, 2)),
    "scalar": 3.0, "None": None, "dict": {"a": 1}, "negative": [-1.0, -2.0, -3.0], "zeros": [0.0, 0.0, 0.0],
    "tiny": [1e-310, 2e-310, 3e-310], "large": [1e300, -1e300, 2e300], "ints": [1, 2, 3, 4],
    "fractions": [0.2, 0.5, 0.7],
}

FAMILIES = ["Normal", "Exponential", "Poisson", "Bernoulli", "Gamma", "Uniform", "Laplace", "Beta", "Geometric",
            "Weibull", "LogNormal", "Cauchy", "normal", "Nope", "", "Normal ", "__import__('os')"]

DENSITIES = [
    "-theta*x", "log(theta) - theta*x", "-(x - mu)**2/2", "theta*x", "x", "-x**2*theta", "log(theta)", "-theta",
    "log(x - theta)", "-abs(x - m)", "log(sin(theta*x))", "I*theta*x", "-(x - mu)**4", "-theta*x**2 + x",
    "log(theta) - theta*x**2", "\\log\\theta - \\theta x", "-\\frac{(x-\\mu)^2}{2\\sigma^2} - \\log\\sigma",
]

SUPPORTS = [None, sp.Interval(0, sp.oo), sp.Interval(0, 1), sp.Interval(1, 0), sp.EmptySet, sp.FiniteSet(1, 2),
            sp.Interval(-sp.oo, sp.oo), sp.Range(0, sp.oo), sp.Interval(sp.Symbol("theta"), sp.oo)]

SIZES = [3, 1, 0, -1, 2.5, "d", "n", "abc", "", None, 10**20, sp.Symbol("d"), sp.Symbol("k", negative=True), True]

#: {label: (value, whether it must be refused)}: a non-numeric value must not give a result.
ARGUMENTS = {
    "a string": ("a", True), "None": (None, True), "a dict": ({"a": 1}, True), "a ragged list": ([[1.0], [1.0, 2.0]], True),
    "strings": (np.array(["1", "x"]), True), "objects": (np.array([object(), 1], dtype=object), True),
    "NaN": (np.array([np.nan, 1.0, 2.0]), False), "inf": (np.array([np.inf, 1.0, 2.0]), False),
    "empty": (np.array([]), False), "one": (np.array([1.5]), False), "complex": (np.array([1 + 1j, 2.0]), False),
    "bool": (np.array([True, False, True]), False), "10**400": ([10**400, 1, 2], False), "-1": (-1, False),
    "0-d": (np.array(2.0), False), "float32": (np.array([0.5, 1.5, 2.5], dtype=np.float32), False),
    "int64 max": (np.array([2**63 - 1, 1, 2]), False), "2-d": (np.ones((2, 2)), False),
}

CLI_ARGV = [
    ["mle", "Normal", "--wrt", "mu", "zz"], ["mle", "Nope"], ["mle", ""], ["mle", "Normal", "--format", "pdf"],
    ["mle", "Normal", "--document"], ["gradient", "x**(10**10)", "--wrt", "x"], ["gradient", "", "--wrt", "x"],
    ["gradient", "sq_norm(X@w - y)", "--wrt", "w", "--matrix", "X:n", "--vector", "w:d", "--vector", "y:n"],
    ["gradient", "sq_norm(X@w - y)", "--wrt", "w", "--matrix", "X:n,d", "--vector", "w:e", "--vector", "y:n"],
    ["gradient", "sq_norm(X@w - y)", "--wrt", "w", "--matrix", "X:-1,0", "--vector", "w:d", "--vector", "y:n"],
    ["gradient", "sq_norm(X@w)", "--wrt", "w", "--matrix", "X:n,d", "--vector", "w:d", "--vector", "w:d"],
    ["hessian", f"__import__('os').system('touch {CANARY}')", "--wrt", "x"], ["gradient", "x", "--wrt", "y"],
    ["gradient", "lambda: 1", "--wrt", "x"], ["check", "/nonexistent/notes.md"], ["check", "/dev/null"],
    ["check", "/"], ["list", "things"], [], ["--help"], ["catalog", "--nope"], ["frobnicate"],
    ["gradient", "x**2", "--wrt", "x", "--verify", "--format", "latex", "--document"],
    ["mle", "Uniform", "--verify", "--format", "markdown"],
]

r"""Maximum likelihood for a vector observed together with scalars, at matrix level: n i.i.d. draws (xᵢ, yᵢ) with
xᵢ ∈ ℝᵈ (a feature vector, ``symml.vector("x", d)``) and yᵢ scalars (its class), parameters scalars, vectors and
matrices (Gaussian discriminant analysis: y ~ Bernoulli(φ), x | y ~ N(μ_y, Σ); CS229, PRML §4.2.2).

The log-likelihood Σᵢ log f(xᵢ, yᵢ | θ) is normalised at matrix level, so its cost is independent of d:

1. the log-density is split into groups g(y) T_g(x, θ) by the factors g that hold the scalar data only;
2. each T_g is quadratic in x, found by the matrix-calculus engine: its Hessian H_g in x is free of x, so
   T_g(x) = T_g(0) + ∇T_g(0)ᵀx + ½ tr(H_g x xᵀ) exactly;
3. so Σᵢ g(yᵢ) T_g(xᵢ) = n [ mean(g) T_g(0) + ∇T_g(0)ᵀ mean(g x) + ½ tr(H_g mean(g x xᵀ)) ], three sample means of
   the data, the weighted means of x and of its outer products x xᵀ (the sums of outer products the multivariate
   Normal's covariance estimate is written with);
4. each unknown's stationarity is solved by the optimisation core's matrix rules (:func:`symml.derive.maximize`
   over that unknown, the others held), and the solutions substituted in each other where one depends on another
   (Σ̂ on μ̂₀, μ̂₁): a profile, in the order the dependencies allow.

No model is recognised by name. A log-density in which x enters beyond a quadratic (a logistic model's
log(1 + exp(wᵀx))) is refused with a ModelError, as is a circular dependency between the unknowns' solutions.

>>> import sympy as sp, symml
>>> d = symml.dims("d")
>>> x, mu = symml.vector("x", d), symml.vector("mu", d)
>>> y = sp.Symbol("y", real=True)
>>> model = symml.Model(logpdf=-(x - mu).T*(x - mu)/2 - (y - 1)**2/2, data=(x, y), parameters=[mu])
>>> symml.derive.mle(model).result[mu]
mean(x)
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from symml.derivation import Derivation, Step
from symml.errors import ModelError, SymmlError, UnsupportedOperationError
from symml.matrix_calculus.algebra import Scalar, tidy, to_scalar
from symml.matrix_calculus.written_entries import matrix_form_of_entries
from symml.mle.sample_symbols import fresh_symbol
from symml.mle.joint import INDEX_NAMES, SIZE_NAMES, chosen_parameters
from symml.mle.statistics import StatisticSymbol
from symml.model import Model
from symml.optimize.core import hat
from symml.render.printer import latex

__all__ = ["JointVectorMLEProblem", "JointVectorLogPosterior", "JointVectorSamplesProblem",
           "SampleMean", "SampleOuterMean", "has_vector_data",
           "joint_vector_log_posterior", "joint_vector_mle", "quadratic_in", "vector_model_parameters"]


#: What each sample mean's name stands for: {name: (g, x, outer)}. A matrix symbol rebuilt by SymPy (xreplace, subs)
#: keeps its name and class but no attribute of its own; the name is made of the summand, so it has one meaning.
_SUMMANDS: dict[str, tuple[sp.Expr, sp.MatrixSymbol, bool]] = {}


class SampleMean(sp.MatrixSymbol):
    """The sample mean of g(yᵢ) xᵢ, a d-vector, as a matrix symbol (:class:`SampleOuterMean` for g(yᵢ) xᵢxᵢᵀ).

    >>> import symml
    >>> x, y = symml.vector("x", 3), sp.Symbol("y")
    >>> m = SampleMean.of(y, x)
    >>> m.shape, m.weight
    ((3, 1), y)
    """

    outer = False

    @classmethod
    def of(cls, weight: sp.Expr, vector: sp.MatrixSymbol) -> "SampleMean":
        """The mean of ``weight`` times x (times xᵀ for :class:`SampleOuterMean`)."""
        d = vector.shape[0]
        factors = ([] if weight == 1 else [f"({weight})"]) + [vector.name] + ([f"{vector.name}.T"] if cls.outer else [])
        name = f"mean({'*'.join(factors)})"
        _SUMMANDS[name] = (weight, vector, cls.outer)
        return cls(name, d, d if cls.outer else 1)

    @property
    def weight(self) -> sp.Expr:
        return _SUMMANDS[self.name][0]

    @property
    def vector(self) -> sp.MatrixSymbol:
        return _SUMMANDS[self.name][1]

    def summand(self, at: Any = None) -> Any:
        """g(y) x or g(y) x xᵀ, with x and the scalars replaced through ``at`` (a function of an expression)."""
        x = self.vector if at is None else at(self.vector)
        weight = self.weight if at is None else at(self.weight)
        return weight * (x * x.T if self.outer else x)

    def _symml_latex(self, printer: Any) -> str:
        x = printer._print(self.vector)
        body = f"{x} {x}^{{\\top}}" if self.outer else x
        if self.weight != 1:
            weight = printer._print(self.weight)
            body = (f"\\left({weight}\\right)" if isinstance(self.weight, sp.Add) else weight) + "\\, " + body
        return f"\\overline{{{body}}}"

    _latex = _symml_latex


class SampleOuterMean(SampleMean):
    """The sample mean of g(yᵢ) xᵢxᵢᵀ, a symmetric d x d matrix."""

    outer = True

    def _eval_transpose(self) -> "SampleOuterMean":
        return self


@dataclass(frozen=True)
class JointVectorMLEProblem:
    """A maximum-likelihood problem over draws (xᵢ, yᵢ) with x a vector, and what the engine derived.

    Attributes:
        title: one line describing the problem.
        vector: x, shape (d, 1); scalars: the scalar observations, with their supports.
        index, size: i and n.
        log_density: log f(x, y | θ) of one draw (a scalar expression, matrix parts as 1 x 1 atoms).
        wrt: the parameters estimated (Symbols and MatrixSymbols); fixed: the others (numpy() takes them by name).
        scalar_means: the sample means of functions of the scalar observations (StatisticSymbol).
        matrix_means: the sample means of g(y) x and g(y) x xᵀ (SampleMean).
        estimators: each parameter's closed form in the means, n and the fixed parameters.
        log_prior: log π of the parameters for a MAP estimate, 0 for maximum likelihood.
    """

    title: str
    vector: sp.MatrixSymbol | None
    scalars: tuple[sp.Symbol, ...]
    supports: tuple[sp.Set, ...]
    index: sp.Symbol
    size: sp.Symbol
    log_density: sp.Expr
    wrt: tuple
    fixed: tuple
    scalar_means: tuple
    matrix_means: tuple
    estimators: dict
    log_prior: sp.Expr = sp.S.Zero


def has_vector_data(source: Any) -> bool:
    """Whether ``source`` is a Model of a vector observed together with scalars (``data=(x, y)``, x a vector), or
    a list of Models (independent samples) one of which observes a vector."""
    if isinstance(source, (list, tuple)):
        return any(isinstance(m, Model) and any(isinstance(d, sp.MatrixSymbol) for d in (
            m.data if isinstance(m.data, tuple) else (m.data,))) for m in source)
    return isinstance(source, Model) and isinstance(source.data, tuple) and \
        any(isinstance(d, sp.MatrixSymbol) for d in source.data)


class _Means:
    """The sample means met while normalising, one symbol per summand (scalar means by linearity)."""

    def __init__(self, x: sp.MatrixSymbol, scalars: tuple) -> None:
        self.x, self.scalars = x, scalars
        self.scalar: dict[sp.Expr, StatisticSymbol] = {}
        self.matrix: dict[tuple[sp.Expr, bool], SampleMean] = {}

    def of_scalar(self, weight: sp.Expr) -> sp.Expr:
        """mean(g) for g a function of the scalar observations, by linearity: mean(1 - y) = 1 - ȳ."""
        total = sp.S.Zero
        for term in sp.Add.make_args(sp.expand(weight)):
            coefficient, data = term.as_independent(*self.scalars, as_Add=False)
            if data == 1:
                total += coefficient
                continue
            if data not in self.scalar:
                self.scalar[data] = StatisticSymbol("mean", data, real=True)
            total += coefficient * self.scalar[data]
        return total

    def of_matrix(self, weight: sp.Expr, outer: bool) -> SampleMean:
        key = (weight, outer)
        if key not in self.matrix:
            self.matrix[key] = (SampleOuterMean if outer else SampleMean).of(weight, self.x)
        return self.matrix[key]


def _data_weight(term: sp.Expr, scalars: set, supports: dict) -> tuple[sp.Expr, sp.Expr] | None:
    """(g, rest) with term = g·rest, g the factors holding the scalar observations only (normalised: content out,
    non-negative on a finite support); None when a factor mixes them with the vector or the parameters."""
    data: list[sp.Expr] = []
    rest: list[sp.Expr] = []
    for factor in sp.Mul.make_args(term):
        symbols = factor.free_symbols
        (data if symbols and symbols <= scalars and not isinstance(factor, Scalar) else rest).append(factor)
    rest_expr = sp.Mul(*rest)
    if rest_expr.free_symbols & scalars:
        return None
    weight = sp.Mul(*data)
    content, weight = weight.as_content_primitive()
    rest_expr *= content
    points = [dict(zip(supports, values)) for values in _grid(supports)]
    if points and all(sp.sympify(weight.subs(p)) <= 0 for p in points):
        weight, rest_expr = -weight, -rest_expr
    return weight, rest_expr


def _scalar_terms_apart(term: sp.Expr) -> sp.Expr:
    """Each 1 x 1 product of a sum (the residual x − yμ₁ − (1 − y)μ₀ inside a quadratic form) written as the sum of
    its terms' scalars, their coefficients outside: (1 − y)·μ₀ᵀΣ⁻¹x, so that the observations' weights separate."""
    return term.replace(lambda e: isinstance(e, Scalar) and e.matrix.expand() != e.matrix,
                        lambda e: to_scalar(e.matrix.expand()))


def _grid(supports: dict) -> list[tuple]:
    """Every combination of the finite supports' values (none when a support is infinite)."""
    if not supports or not all(isinstance(s, sp.FiniteSet) for s in supports.values()):
        return []
    return list(itertools.product(*(tuple(s) for s in supports.values())))


def _groups(log_density: sp.Expr, scalars: set, supports: dict) -> dict[sp.Expr, sp.Expr]:
    """The log-density as Σ_g g(y) T_g: each additive term's data factor g and the rest, terms whose factors mix
    the scalars with the rest expanded once more."""
    groups: dict[sp.Expr, sp.Expr] = {}
    points = [dict(zip(supports, values)) for values in _grid(supports)]

    def on_support(weight: sp.Expr) -> tuple:
        return tuple(sp.sympify(weight.subs(point)) for point in points)

    pending = list(sp.Add.make_args(log_density))
    while pending:
        term = pending.pop(0)
        split = _data_weight(term, scalars, supports)
        if split is None:
            expanded = sp.expand(_scalar_terms_apart(term))
            if expanded == term:
                raise ModelError(f"the term {term} of the log-density mixes the scalar observations with the vector or "
                                 "the parameters inside one function: the sums over the sample do not separate into "
                                 "sample means")
            pending.extend(sp.Add.make_args(expanded))
            continue
        weight, rest = split
        if points:  # on a finite support a weight is its values there: y² is y and y(1 − y) is 0 for a 0/1 label
            values = on_support(weight)
            if not any(values):
                continue
            weight = next((known for known in groups if on_support(known) == values), weight)
        groups[weight] = groups.get(weight, sp.S.Zero) + rest
    return groups


def _at_zero(expr: Any, x: sp.MatrixSymbol) -> Any:
    """``expr`` at x = 0, its matrix products tidied (a 1 x 1 atom that vanishes is 0)."""
    zero = sp.ZeroMatrix(*x.shape)
    if isinstance(expr, sp.MatrixExpr):
        return tidy(expr.xreplace({x: zero}).doit())
    return expr.replace(lambda e: isinstance(e, (Scalar, sp.Trace, sp.Determinant)) and e.has(x),
                        lambda e: to_scalar(tidy(e.xreplace({x: zero}).doit())) if isinstance(e, Scalar)
                        else e.xreplace({x: zero}).doit())


@dataclass(frozen=True)
class _Quadratic:
    """A group's T(x) = T(0) + ∇T(0)ᵀx + ½ tr(H x xᵀ), from the matrix-calculus engine."""

    value: sp.Expr
    gradient: Any
    hessian: Any


def quadratic_in(T: sp.Expr, x: sp.MatrixSymbol) -> _Quadratic:
    """T(x) = T(0) + ∇T(0)ᵀx + ½ tr(H x xᵀ) by the matrix-calculus engine (value, gradient, hessian).

    Raises:
        ModelError: T is not differentiable by the engine in x, or not quadratic in it (H depends on x).
    """
    from symml.matrix_calculus.derivatives import gradient, hessian

    try:
        G = gradient(T, x).result
        H = hessian(T, x).result
    except (UnsupportedOperationError, ValueError, TypeError) as failure:
        raise ModelError(f"the matrix-calculus engine cannot differentiate {T} in {x}: {failure}") from None
    if H.has(x):
        raise ModelError(f"{x} enters the log-density beyond a quadratic ({T}: its Hessian in {x} depends on {x}): "
                         "the sums over the sample are not sample means of x and x xᵀ; write the log-likelihood over "
                         "a data matrix and use symml.derive.maximize")
    return _Quadratic(_at_zero(T, x), _at_zero(G, x), H)


def _is_zero(matrix: Any) -> bool:
    return matrix == 0 or getattr(matrix, "is_ZeroMatrix", False)


def _normalised(groups: dict, x: sp.MatrixSymbol, n: sp.Symbol, means: _Means) -> tuple[sp.Expr, list[Step]]:
    """n (the log-likelihood's mean per draw) through sample means, and a step for each group quadratic in x."""
    total, steps = sp.S.Zero, []
    for weight, T in groups.items():
        if not T.has(x):
            total += n * means.of_scalar(weight) * T
            continue
        q = quadratic_in(T, x)
        shown = q.value + (0 if _is_zero(q.gradient) else Scalar(q.gradient.T * x)) \
            + (0 if _is_zero(q.hessian) else Scalar(x.T * q.hessian * x) / 2)
        steps.append(Step(f"Quadratic in ${latex(x)}$" + ("" if weight == 1 else f" (weight ${latex(weight)}$)"),
                          sp.Eq(T, shown, evaluate=False),
                          f"the Hessian in ${latex(x)}$ of the terms weighted by ${latex(weight)}$ (matrix calculus) "
                          f"is ${latex(q.hessian)}$, free of ${latex(x)}$: their second-order expansion about "
                          f"${latex(x)} = 0$ is exact"))
        total += n * means.of_scalar(weight) * q.value
        if not _is_zero(q.gradient):
            total += n * to_scalar(q.gradient.T * means.of_matrix(weight, False))
        if not _is_zero(q.hessian):
            total += n * sp.Trace(q.hessian * means.of_matrix(weight, True)) / 2
    return total, steps


def _hat(unknown: Any) -> Any:
    if isinstance(unknown, sp.MatrixSymbol):
        return type(unknown)(hat(sp.Symbol(unknown.name)).name, *unknown.shape)
    return hat(unknown)


def _solved_in_order(loglik: sp.Expr, wrt: tuple) -> tuple[dict, dict, list[Step]]:
    """Each unknown's stationary point with the others held, then substituted in each other in the order the
    dependencies allow: ({unknown: closed form}, {unknown: form in the other estimates' hats}, steps)."""
    from symml.optimize.minimize import maximize

    solutions, steps = {}, []
    for unknown in wrt:
        try:
            derived = maximize(loglik, unknown)
        except SymmlError as failure:
            raise ModelError(f"the score equation in {unknown} has no closed form at matrix level ({failure})") \
                from None
        value = derived.result[unknown] if isinstance(derived.result, dict) else derived.result
        if value is None:
            raise ModelError(f"the score equation in {unknown} has no closed form at matrix level")
        solutions[unknown] = value
        stationarity = next((s.lines for s in derived.steps if s.title.startswith("Stationarity")), ())
        steps.append(Step(f"Score equation in ${latex(unknown)}$",
                          (*stationarity, sp.Eq(_hat(unknown), value, evaluate=False)),
                          "the others held fixed (maximize over it: " + ", ".join(
                              s.title for s in derived.steps if s.title not in ("Function", "Objective")) + ")"))
    resolved: dict = {}
    shown: dict = {}
    while len(resolved) < len(wrt):
        ready = [u for u in wrt if u not in resolved and
                 not any(solutions[u].has(v) for v in wrt if v is not u and v not in resolved)]
        if not ready:
            left = [u for u in wrt if u not in resolved]
            raise ModelError(f"the solutions for {', '.join(map(str, left))} depend on each other: no closed form by "
                             "profiling one unknown after another")
        for u in ready:
            shown[u] = solutions[u].xreplace({v: _hat(v) for v in resolved})
            resolved[u] = tidy(solutions[u].xreplace(resolved)) if isinstance(solutions[u], sp.MatrixExpr) \
                else solutions[u].xreplace(resolved)
    return resolved, shown, steps


@dataclass(frozen=True)
class JointVectorSamplesProblem:
    """A maximum-likelihood (or MAP) problem over several independent samples, one or more of them of a vector,
    sharing parameters: each sample's record is a :class:`JointVectorMLEProblem` (its ``vector`` None for a
    sample of scalars alone), its own index, size and means; ``wrt``, ``fixed``, ``estimators`` and
    ``log_prior`` are the whole problem's."""

    title: str
    samples: tuple[JointVectorMLEProblem, ...]
    wrt: tuple
    fixed: tuple
    estimators: dict
    log_prior: sp.Expr = sp.S.Zero


def _models(source: Any) -> list[Model]:
    models = list(source) if isinstance(source, (list, tuple)) else [source]
    if not models or not all(isinstance(m, Model) for m in models):
        raise ModelError("several samples are given as a list of symml.Model, one for each sample (its own index "
                         "and size)")
    return models


def vector_model_parameters(source: Any) -> tuple:
    """The parameters of a joint model with a vector sample (one Model, or a list of them), in the order met."""
    observed = {d for m in _models(source) for d in (m.data if isinstance(m.data, tuple) else (m.data,))}
    return tuple(dict.fromkeys(p for m in _models(source) for p in m.parameters if p not in observed))


@dataclass(frozen=True)
class _SamplePart:
    """One sample's share of the log-likelihood: its record, its sum through means and its steps."""

    record: JointVectorMLEProblem
    loglik: sp.Expr
    steps: tuple[Step, ...]
    draw: str
    at_i: Any


def _sample_part(model: Model, k: int, taken: set) -> _SamplePart:
    """Sample k's log-likelihood normalised at matrix level (its own index and size, fresh against ``taken``)."""
    data = model.data if isinstance(model.data, tuple) else (model.data,)
    vectors = [d for d in data if isinstance(d, sp.MatrixSymbol)]
    if len(vectors) > 1:
        raise ModelError("a sample here observes one vector with scalars (data=(x, y)); stack several vectors into one")
    x = vectors[0] if vectors else None
    scalars = tuple(d for d in data if not isinstance(d, sp.MatrixSymbol))
    supports = tuple(model.support.sets) if isinstance(model.support, sp.ProductSet) else \
        tuple(sp.S.Reals if isinstance(d, sp.MatrixSymbol) else model.support for d in data)
    scalar_supports = {s: support for s, support in zip(data, supports) if s in scalars}
    # a vector's log-density alone is a 1 x 1 matrix expression; one written through the entry [0, 0] of a 1 x 1
    # product (SymPy's sums over entries) is read back at matrix level first
    read_back, said = matrix_form_of_entries(model.log_density_on_support)
    logf = to_scalar(read_back)
    i = fresh_symbol(INDEX_NAMES[k % 4] + ("" if k < 4 else str(k)), taken, integer=True, positive=True)
    n = fresh_symbol(SIZE_NAMES[k % 4] + ("" if k < 4 else str(k)), taken | {i.name}, integer=True, positive=True)
    taken |= {i.name, n.name}
    placeholder = x if x is not None else sp.MatrixSymbol("_no_vector", 1, 1)
    means = _Means(placeholder, scalars)
    loglik, quadratic_steps = _normalised(_groups(logf, set(scalars), scalar_supports), placeholder, n, means)
    x_i = sp.MatrixSymbol(f"{x.name}_{i.name}", *x.shape) if x is not None else None

    def at_i(expr: Any) -> Any:
        return expr.xreplace({**({x: x_i} if x is not None else {}),
                              **{s: sp.IndexedBase(s.name, real=True)[i] for s in scalars}})

    draw = f"$({', '.join(latex(at_i(d)) for d in data)})$" if len(data) > 1 else f"${latex(at_i(data[0]))}$"
    normalise = Step(
        "Normalise the sums" + (f" over ${latex(i)}$" if k else ""), (sp.Eq(sp.Symbol(f"ell_{k + 1}"), loglik,
                                                                            evaluate=False),),
        "each group's sum over the draws is n times a sample mean: "
        + "; ".join(f"${latex(m)} = \\frac{{1}}{{{latex(n)}}}\\sum_{{{latex(i)}=1}}^{{{latex(n)}}} "
                    f"{latex(m.summand(at_i))}$" for m in means.matrix.values())
        + ("; " if means.matrix and means.scalar else "")
        + "; ".join(f"${latex(s)} = \\frac{{1}}{{{latex(n)}}}\\sum_{{{latex(i)}=1}}^{{{latex(n)}}} "
                    f"{latex(at_i(s.summand))}$" for s in means.scalar.values())
        + "; terms up to an additive constant free of the parameters")
    record = JointVectorMLEProblem(
        title=model.name, vector=x, scalars=scalars, supports=tuple(scalar_supports[s] for s in scalars), index=i,
        size=n, log_density=logf, wrt=(), fixed=(), scalar_means=tuple(means.scalar.values()),
        matrix_means=tuple(means.matrix.values()), estimators={})
    read = () if said is None else (Step("Read the log-density at matrix level", sp.Eq(
        model.log_density_on_support, logf, evaluate=False), said),)
    return _SamplePart(record, loglik, (*read, *quadratic_steps, normalise), draw, at_i)


@dataclass(frozen=True)
class JointVectorLogPosterior:
    """The log-likelihood of samples with a vector at matrix level, through each sample's means, plus a log prior.

    Attributes:
        models: the samples' Models; parts: each sample's record, sum and steps.
        wrt, fixed: the parameters estimated and the known ones (with the prior's hyperparameters).
        steps: Model, Log-likelihood, the normalisation (and Log posterior); objective: the sum (plus log π).
    """

    models: tuple[Model, ...]
    parts: tuple[_SamplePart, ...]
    wrt: tuple
    fixed: tuple
    steps: tuple[Step, ...]
    objective: sp.Expr

    @property
    def samples(self) -> tuple[JointVectorMLEProblem, ...]:
        return tuple(part.record for part in self.parts)


def joint_vector_log_posterior(source: Any, wrt: Any = None,
                               log_prior: sp.Expr = sp.S.Zero) -> JointVectorLogPosterior:
    """The front of :func:`joint_vector_mle`: the log-likelihood (plus ``log_prior``) through sample means, with its
    steps, for one Model with a vector or a list of Models."""
    models = _models(source)
    parameters = vector_model_parameters(models)
    wrt = chosen_parameters(parameters, wrt)
    posterior = log_prior != 0
    hyperparameters = sorted(log_prior.free_symbols - set(parameters), key=lambda s: s.name)
    fixed = tuple(p for p in parameters if p not in wrt) + tuple(hyperparameters)
    taken = {s.name for m in models for s in m.log_density_on_support.free_symbols
             | m.log_density_on_support.atoms(sp.MatrixSymbol)}
    parts = [_sample_part(model, k, taken) for k, model in enumerate(models)]
    loglik = sp.Add(*(part.loglik for part in parts))
    ell = sp.Function("ell")(*[sp.Symbol(p.name) for p in wrt])
    shown_wrt = ", ".join(f"${latex(p)}$" for p in wrt) + (" with " + ", ".join(f"${latex(p)}$" for p in fixed)
                                                           + " known" if fixed else "")
    steps = [
        *(Step("Model", sp.Eq(sp.Function("log f")(*(m.data if isinstance(m.data, tuple) else (m.data,))),
                              part.record.log_density, evaluate=False),
               f"the log-density of one draw {part.draw}, ${latex(part.record.index)} = 1, \\dots, "
               f"{latex(part.record.size)}$"
               + (f", with ${latex(part.record.vector)} \\in \\mathbb{{R}}^{{{latex(part.record.vector.shape[0])}}}$"
                  if part.record.vector is not None else "") + f"; estimate {shown_wrt}")
          for m, part in zip(models, parts)),
        Step("Log-likelihood", sp.Eq(ell, sp.Add(*(sp.Sum(part.at_i(part.record.log_density),
                                                          (part.record.index, 1, part.record.size))
                                                   for part in parts)), evaluate=False),
             "the draws are independent" + (", within each sample and across samples," if len(parts) > 1 else ",")
             + " so the log of their joint density is the sum of the logs of theirs"),
        *(step for part in parts for step in part.steps),
    ]
    if len(parts) > 1:
        steps.append(Step("Add the samples", (sp.Eq(ell, loglik, evaluate=False),),
                          "the log-likelihood is the sum of the samples' log-likelihoods"))
    else:
        steps[-1] = Step("Normalise the sums", (sp.Eq(ell, loglik, evaluate=False),), steps[-1].why)
    objective = loglik
    if posterior:
        objective = loglik + log_prior
        steps.append(Step("Log posterior", sp.Eq(sp.Function("log p")(*[sp.Symbol(p.name) for p in wrt]),
                                                 sp.Add(loglik, log_prior, evaluate=False), evaluate=False),
                          "Bayes' rule: the log-likelihood plus the log prior (flat in the parameters it does not "
                          "name), up to a constant free of the parameters (the log evidence)"))
    return JointVectorLogPosterior(tuple(models), tuple(parts), wrt, fixed, tuple(steps), objective)


def joint_vector_mle(source: Any, wrt: Any = None, log_prior: sp.Expr = sp.S.Zero) -> Derivation:
    """The maximum-likelihood derivation for draws (xᵢ, yᵢ) of a vector and scalars (see the module docstring), or
    for several independent samples (a list of Models), one or more of them of a vector, sharing parameters: each
    sample normalised on its own (its index, size and means), the log-likelihoods added. With ``log_prior`` (log π
    of some of the parameters, from :func:`symml.mle.joint.joint_map`) the MAP one."""
    front = joint_vector_log_posterior(source, wrt, log_prior)
    models, parts, wrt, fixed, posterior = front.models, front.parts, front.wrt, front.fixed, log_prior != 0
    steps = list(front.steps)
    estimators, shown, solve_steps = _solved_in_order(front.objective, wrt)
    steps.extend(solve_steps)
    summary = tuple(sp.Eq(_hat(p), shown[p], evaluate=False) for p in wrt)
    steps.append(Step("Result", summary, ("the MAP estimates: " if posterior else "") + "each score equation solved, "
                      "the estimates substituted in the order their dependencies allow (a profile of the "
                      "log-likelihood)"))
    draws = " and ".join(part.draw for part in parts)
    title = ("MAP estimate" if posterior else "Maximum likelihood") + f" for draws {draws} of " + \
        " and ".join(m.name for m in models)
    if len(parts) == 1:
        problem: Any = replace(parts[0].record, title=title, wrt=wrt, fixed=fixed, estimators=estimators,
                               log_prior=log_prior)
    else:
        problem = JointVectorSamplesProblem(title, tuple(part.record for part in parts), wrt, fixed, estimators,
                                            log_prior)
    return Derivation(
        problem=problem, steps=tuple(steps), summary=summary, result=dict(estimators),
        remarks=("Each estimate solves its own score equation with the others held, and the solutions are "
                 "substituted in one another: together they are the joint stationary point of the log-likelihood; "
                 "numpy() evaluates them from the sample means of the data.",),
        assumptions=tuple(f"the draws {part.draw}, ${latex(part.record.index)} \\le {latex(part.record.size)}$, "
                          "are independent" for part in parts))

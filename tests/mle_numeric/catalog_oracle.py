"""The oracle for the catalog's MLE entries: each entry's model as a scipy.stats distribution, true parameter
values to simulate at, and whether its log-likelihood is smooth in the estimated parameters.

A table of known parameterisations: allowed here, in the tests, and nowhere in symml.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import scipy.stats as ss


@dataclass(frozen=True)
class Oracle:
    scipy: Callable[[dict[str, float]], Any]
    truth: dict[str, float]
    smooth: bool = True


ORACLE = {
    "mle.bernoulli": Oracle(lambda v: ss.bernoulli(v["p"]), {"p": 0.35}),
    "mle.beta": Oracle(lambda v: ss.beta(v["alpha"], v["beta"]), {"alpha": 2.0, "beta": 3.5}),
    "mle.binomial": Oracle(lambda v: ss.binom(int(v["m"]), v["p"]), {"m": 12, "p": 0.4}),
    "mle.exponential": Oracle(lambda v: ss.expon(scale=1 / v["lambda"]), {"lambda": 2.5}),
    "mle.gamma_rate": Oracle(lambda v: ss.gamma(v["k"], scale=1 / v["beta"]), {"k": 2.5, "beta": 0.8}),
    "mle.gamma_shape": Oracle(lambda v: ss.gamma(v["k"], scale=v["theta"]), {"k": 2.5, "theta": 1.7}),
    "mle.geometric": Oracle(lambda v: ss.geom(v["p"]), {"p": 0.3}),
    "mle.laplace_location": Oracle(lambda v: ss.laplace(v["mu"], v["b"]), {"mu": 0.8, "b": 1.5}, smooth=False),
    "mle.laplace_scale": Oracle(lambda v: ss.laplace(v["mu"], v["b"]), {"mu": 0.8, "b": 1.5}),
    "mle.lognormal": Oracle(lambda v: ss.lognorm(v["sigma"], scale=math.exp(v["mu"])), {"mu": 0.4, "sigma": 0.9}),
    "mle.maxwell": Oracle(lambda v: ss.maxwell(scale=v["a"]), {"a": 1.8}),
    "mle.normal": Oracle(lambda v: ss.norm(v["mu"], v["sigma"]), {"mu": 1.3, "sigma": 0.7}),
    "mle.normal_mean": Oracle(lambda v: ss.norm(v["mu"], v["sigma"]), {"mu": -4.0, "sigma": 2.0}),
    "mle.normal_sd": Oracle(lambda v: ss.norm(v["mu"], v["sigma"]), {"mu": -4.0, "sigma": 2.0}),
    "mle.pareto": Oracle(lambda v: ss.pareto(v["alpha"], scale=v["x_m"]), {"x_m": 1.5, "alpha": 3.0}),
    "mle.poisson": Oracle(lambda v: ss.poisson(v["lambda"]), {"lambda": 3.2}),
    "mle.rayleigh": Oracle(lambda v: ss.rayleigh(scale=v["sigma"]), {"sigma": 2.2}),
    "mle.shifted_exponential": Oracle(lambda v: ss.expon(loc=v["loc"], scale=1 / v["lambda"]),
                                      {"loc": 2.0, "lambda": 1.5}, smooth=False),
    "mle.student_t_location": Oracle(lambda v: ss.t(v["nu"], loc=v["mu"]), {"mu": 2.0, "nu": 3.0}),
    "mle.uniform": Oracle(lambda v: ss.uniform(v["a"], v["b"] - v["a"]), {"a": -1.0, "b": 3.0}, smooth=False),
    "mle.uniform_zero_theta": Oracle(lambda v: ss.uniform(0, v["theta"]), {"theta": 2.0}, smooth=False),
    "mle.weibull_scale": Oracle(lambda v: ss.weibull_min(v["beta"], scale=v["alpha"]), {"alpha": 1.7, "beta": 2.2}),
    "mle.weibull_shape": Oracle(lambda v: ss.weibull_min(v["beta"], scale=v["alpha"]), {"alpha": 1.7, "beta": 2.2}),
}

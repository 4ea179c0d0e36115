"""Is a sample drawn from a distribution? Bounds on its mean, its variance and its
Kolmogorov-Smirnov distance that a true sample exceeds with probability below
FAILURE_PROBABILITY each, so that a check of random weights fails only when the weights are not
what they should be."""

from __future__ import annotations

import math

import numpy as np

from spec import oracles

FAILURE_PROBABILITY = 1e-6
Z = 5.0  # a normal variable beyond 5 sigma: probability 5.7e-7


def dkw_bound(n: int) -> float:
    """The Kolmogorov-Smirnov distance that n true draws exceed with probability below
    FAILURE_PROBABILITY (Dvoretzky-Kiefer-Wolfowitz, Massart's constant)."""
    return math.sqrt(math.log(2 / FAILURE_PROBABILITY) / (2 * n))


def assert_drawn_from(call: str, sample, *, variance: float, fourth_moment: float, cdf) -> None:
    """`sample` looks like draws of a distribution of mean 0 with this variance, fourth central
    moment and distribution function: its mean within Z standard errors of 0, its variance within Z
    standard errors (sqrt((mu4 - sigma^4) / n)) of `variance`, its distance from `cdf` within the
    DKW bound."""
    sample = np.asarray(sample, np.float64).ravel()
    n = sample.size
    mean, var = sample.mean(), sample.var(ddof=1)
    bound = Z * math.sqrt(variance / n)
    assert abs(mean) <= bound, (
        f"{call}: mean {mean:.4g} of {n} draws, but should be 0 +- {bound:.3g}"
    )
    bound = Z * math.sqrt((fourth_moment - variance**2) / n)
    assert abs(var - variance) <= bound, (
        f"{call}: variance {var:.4g} of {n} draws, but should be {variance:.4g} +- {bound:.3g}"
    )
    distance, bound = oracles.kolmogorov_smirnov_distance(sample, cdf), dkw_bound(n)
    assert distance <= bound, (
        f"{call}: Kolmogorov-Smirnov distance {distance:.4g} from the distribution > {bound:.4g}"
    )

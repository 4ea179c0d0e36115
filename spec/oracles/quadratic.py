"""QUADRATIC: exact and 60-digit arithmetic on the coefficients' float values."""

from __future__ import annotations

import decimal
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np


def quadratic_discriminant(a: float, b: float, c: float) -> Fraction:
    """b² - 4ac, exactly."""
    a, b, c = (Fraction(float(v)) for v in (a, b, c))
    return b * b - 4 * a * c


def quadratic_roots(a, b, c) -> tuple[np.ndarray, np.ndarray]:
    """The roots (smaller, larger) of a x² + b x + c, a != 0, elementwise over broadcast arrays, as
    float64: the textbook formula in 60-digit decimal arithmetic (its cancellation costs at most
    the 16 digits that float64 has); NaN where b² < 4ac, and where a coefficient is NaN or
    infinite (no equation to solve)."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, c)))
    low, high = np.empty(a.shape), np.empty(a.shape)
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        for i in np.ndindex(a.shape):
            if not all(math.isfinite(v[i]) for v in (a, b, c)):
                low[i] = high[i] = math.nan
                continue
            da, db, dc = (Decimal(float(v[i])) for v in (a, b, c))
            d = db * db - 4 * da * dc
            if d < 0:
                low[i] = high[i] = math.nan
                continue
            pair = sorted([(-db - d.sqrt()) / (2 * da), (-db + d.sqrt()) / (2 * da)])
            low[i], high[i] = float(pair[0]), float(pair[1])
    return low, high


def quadratic_relative_residual(a, b, c, r) -> np.ndarray:
    """|a r² + b r + c| / (|a| r² + |b| |r| + |c|), exactly, elementwise: how far r is from being
    a root, relative to the size of the terms; inf for an infinite r, NaN for NaN."""
    a, b, c, r = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, c, r)))
    out = np.empty(a.shape)
    for i in np.ndindex(a.shape):
        if not np.isfinite(r[i]):
            out[i] = math.inf if np.isinf(r[i]) else math.nan
            continue
        fa, fb, fc, fr = (Fraction(float(v[i])) for v in (a, b, c, r))
        scale = abs(fa) * fr * fr + abs(fb) * abs(fr) + abs(fc)
        out[i] = float(abs(fa * fr * fr + fb * fr + fc) / scale) if scale else 0.0
    return out

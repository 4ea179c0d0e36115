"""Independent oracles: NumPy in float64 and closed forms, never the TensorFlow call they check."""

from __future__ import annotations

import decimal
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np


def range_length(start: float, limit: float, delta: float) -> int:
    """How many elements `range(start, limit, delta)` has: ceil((limit - start) / delta)."""
    return max(0, math.ceil((limit - start) / delta))


def arithmetic_sequence(start: float, delta: float, count: int) -> np.ndarray:
    """start, start + delta, ..., in float64."""
    return start + delta * np.arange(count, dtype=np.float64)


# --- QUADRATIC: exact and 60-digit arithmetic on the coefficients' float values ------------------


def quadratic_discriminant(a: float, b: float, c: float) -> Fraction:
    """b² - 4ac, exactly."""
    a, b, c = (Fraction(float(v)) for v in (a, b, c))
    return b * b - 4 * a * c


def quadratic_roots(a, b, c) -> tuple[np.ndarray, np.ndarray]:
    """The roots (smaller, larger) of a x² + b x + c, a != 0, elementwise over broadcast arrays, as
    float64: the textbook formula in 60-digit decimal arithmetic (its cancellation costs at most
    the 16 digits that float64 has); NaN where b² < 4ac."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, c)))
    low, high = np.empty(a.shape), np.empty(a.shape)
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        for i in np.ndindex(a.shape):
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
    a root, relative to the size of the terms."""
    a, b, c, r = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, c, r)))
    out = np.empty(a.shape)
    for i in np.ndindex(a.shape):
        fa, fb, fc, fr = (Fraction(float(v[i])) for v in (a, b, c, r))
        scale = abs(fa) * fr * fr + abs(fb) * abs(fr) + abs(fc)
        out[i] = float(abs(fa * fr * fr + fb * fr + fc) / scale) if scale else 0.0
    return out


# --- PERCEPTRON and LOSS: NumPy float64 ------------------------------------------------------


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def sigmoid(z) -> np.ndarray:
    """1 / (1 + e^-z), in float64 (0 where e^-z overflows)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-_f64(z)))


ACTIVATIONS = {
    "sigmoid": sigmoid,
    "tanh": lambda z: np.tanh(_f64(z)),
    "relu": lambda z: np.maximum(_f64(z), 0.0),
    "linear": _f64,
}


def perceptron_output(x, w, w0, activation: str = "sigmoid") -> np.ndarray:
    """g(w0 + Σ x_i w_i) over the last axis of x, in float64 (slides 14-15)."""
    return ACTIVATIONS[activation](_f64(w0) + _f64(x) @ _f64(w))


def mean_squared_error(y_true, y_pred) -> float:
    """The mean of (y_true - y_pred)² over every element (broadcasting, as NumPy does)."""
    return float(np.mean((_f64(y_true) - _f64(y_pred)) ** 2))


def log_softmax(logits) -> np.ndarray:
    """log softmax over the last axis, logits - log Σ e^logits, by np.logaddexp (exact in range)."""
    logits = _f64(logits)
    return logits - np.logaddexp.reduce(logits, axis=-1, keepdims=True)


def softmax(logits) -> np.ndarray:
    return np.exp(log_softmax(logits))


def softmax_cross_entropy(labels, logits) -> float:
    """The mean over the batch of -Σ labels · log softmax(logits), classes on the last axis."""
    return float(np.mean(-np.sum(_f64(labels) * log_softmax(logits), axis=-1)))


def binary_cross_entropy(labels, logits) -> float:
    """The mean of -[y log σ(z) + (1 - y) log(1 - σ(z))], from -log σ(z) = log(1 + e^-z) and
    -log(1 - σ(z)) = log(1 + e^z) (np.logaddexp, finite for any finite z)."""
    y, z = _f64(labels), _f64(logits)
    return float(np.mean(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))

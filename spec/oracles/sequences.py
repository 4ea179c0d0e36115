"""TENSORS: the length and the values of an arithmetic sequence (tf.range, tf.linspace)."""

from __future__ import annotations

import math

import numpy as np


def range_length(start: float, limit: float, delta: float) -> int:
    """How many elements `range(start, limit, delta)` has: ceil((limit - start) / delta)."""
    return max(0, math.ceil((limit - start) / delta))


def arithmetic_sequence(start: float, delta: float, count: int) -> np.ndarray:
    """start, start + delta, ..., in float64."""
    return start + delta * np.arange(count, dtype=np.float64)

"""How close a floating-point result must be to its oracle, in one place, keyed by dtype."""

from __future__ import annotations

import numpy as np

# rtol, atol: a few units in the last place of each format, for results of a handful of operations.
TOLERANCES = {
    "float16": (2e-3, 2e-3),
    "bfloat16": (1.6e-2, 1.6e-2),
    "float32": (1e-5, 1e-6),
    "float64": (1e-12, 1e-12),
}


def tolerance(dtype) -> tuple[float, float]:
    """(rtol, atol) for a NumPy or TensorFlow dtype; exact (0, 0) for integers and booleans."""
    name = getattr(dtype, "name", None) or np.dtype(dtype).name
    name = name.replace("complex64", "float32").replace("complex128", "float64")
    return TOLERANCES.get(name, (0.0, 0.0))


# The unit roundoff of each format: the largest relative error of one rounding to it.
UNIT_ROUNDOFF = {"float16": 2.0**-11, "bfloat16": 2.0**-8, "float32": 2.0**-24, "float64": 2.0**-53}


def roundings(dtype, count: int, scale: float = 1.0) -> float:
    """The error that `count` roundings to `dtype`'s format leave on values of size `scale`: the
    absolute tolerance of a result of a few operations on inputs that large (a loss of logits near
    1e4 in float32 is exact only to about 1e4 * 6e-8 per operation)."""
    name = getattr(dtype, "name", None) or np.dtype(dtype).name
    return count * UNIT_ROUNDOFF[name] * scale


# A computed root r of a x² + b x + c leaves the relative residual
# |a r² + b r + c| / (|a| r² + |b| |r| + |c|) of the few roundings of a backward-stable formula.
ROOT_RESIDUAL_ROUNDINGS = 16


def iterated_tolerance(dtype, steps: int) -> tuple[float, float]:
    """(rtol, atol) for the result of `steps` iterations of an update, each adding its rounding:
    the dtype's tolerance times (steps + 1)."""
    rtol, atol = tolerance(dtype)
    return rtol * (steps + 1), atol * (steps + 1)

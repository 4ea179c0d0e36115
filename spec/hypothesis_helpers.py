"""Hypothesis strategies for the spec's inputs: shapes, dtypes, and values that a dtype holds."""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec.harness.profiles import examples  # noqa: F401 - re-exported: hh.examples(n)

# The dtypes every TensorFlow 2.12-2.21 builds constructors for on the CPU.
INT_DTYPES = (tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8, tf.uint16)
FLOAT_DTYPES = (tf.float16, tf.bfloat16, tf.float32, tf.float64)
COMPLEX_DTYPES = (tf.complex64, tf.complex128)
ALL_DTYPES = (tf.bool, *INT_DTYPES, *FLOAT_DTYPES, *COMPLEX_DTYPES)
# What NumPy itself can hold (bfloat16 is not a NumPy dtype).
NUMPY_DTYPES = tuple(d for d in ALL_DTYPES if d != tf.bfloat16)
NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])  # what IEEE arithmetic must carry


def shapes(
    *, min_dims: int = 0, max_dims: int = 4, min_side: int = 0, max_side: int = 5
) -> st.SearchStrategy:
    """Array shapes, empty sides included unless `min_side` says otherwise."""
    return hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )


def scalars(dtype: tf.DType) -> st.SearchStrategy:
    """Python values that `dtype` holds exactly (finite, for floats)."""
    if dtype.is_bool:
        return st.booleans()
    if dtype.is_integer:
        return st.integers(int(dtype.min), int(dtype.max))
    if dtype == tf.bfloat16:
        # bfloat16 keeps 8 significant bits: integers up to 256 times powers of two.
        return st.builds(lambda m, e: float(m * 2.0**e), st.integers(-256, 256), st.integers(-8, 8))
    if dtype.is_complex:
        width = 64 if dtype == tf.complex128 else 32
        part = st.floats(allow_nan=False, allow_infinity=False, width=width)
        return st.builds(complex, part, part)
    width = {tf.float16: 16, tf.float32: 32, tf.float64: 64}[dtype]
    return st.floats(allow_nan=False, allow_infinity=False, width=width)


def arrays(dtype: tf.DType, shape) -> st.SearchStrategy:
    """NumPy arrays of a dtype that NumPy holds, with finite values."""
    return hnp.arrays(dtype.as_numpy_dtype, shape, elements=scalars(dtype))


# Each float format: its precision p (significant bits) and the exponents of its normal numbers
# m·2**e, 1 <= m < 2 (2**-14 to 65504 for float16).
FLOAT_FORMATS = {
    tf.float16: (11, -14, 15),
    tf.bfloat16: (8, -126, 127),
    tf.float32: (24, -126, 127),
    tf.float64: (53, -1022, 1023),
}


def binary_floats(dtype: tf.DType, low: int, high: int) -> st.SearchStrategy:
    """Non-zero numbers ±m·2**e of `dtype`'s precision (exact in it) with e from `low` to `high`:
    magnitudes spread evenly over the binades, not crowded near 1 or near the extremes."""
    p = FLOAT_FORMATS[dtype][0]
    return st.builds(
        lambda sign, m, e: sign * math.ldexp(m, e - (p - 1)),
        st.sampled_from([-1.0, 1.0]),
        st.integers(2 ** (p - 1), 2**p - 1),
        st.integers(low, high),
    )


def typed(*arrays):
    """Arrays as the spec passes them to an implementation: NumPy arrays as they are, bfloat16 ones
    as tensors (NumPy has no bfloat16 of its own; the contract does not ask for ml_dtypes')."""
    return tuple(tf.constant(v) if v.dtype == tf.bfloat16.as_numpy_dtype else v for v in arrays)


def dyadic(low: float, high: float, *, step: float = 0.25) -> st.SearchStrategy:
    """Multiples of `step` (a power of two) in [low, high]: sums and products of a few of them are
    exact in float32, so a property about their arithmetic is not blurred by rounding."""
    return st.integers(int(low / step), int(high / step)).map(lambda k: k * step)


def reals(dtype: tf.DType, bound: float) -> st.SearchStrategy:
    """Finite numbers of `dtype` (any float) in [-bound, bound], no subnormals (bfloat16: float32
    numbers rounded to it)."""
    if dtype == tf.bfloat16:
        bf16 = dtype.as_numpy_dtype
        return reals(tf.float32, bound).map(lambda v: float(np.array(v, np.float32).astype(bf16)))
    width = {tf.float16: 16, tf.float32: 32, tf.float64: 64}[dtype]
    return st.floats(-bound, bound, width=width, allow_subnormal=False)


def real_arrays(dtype: tf.DType, shape, bound: float) -> st.SearchStrategy:
    """NumPy arrays of `dtype` with elements from `reals(dtype, bound)` (bfloat16: TensorFlow's
    NumPy type, built from float32 arrays)."""
    if dtype == tf.bfloat16:
        arrays = hnp.arrays(np.float32, shape, elements=reals(dtype, bound).map(np.float32))
        return arrays.map(lambda a: a.astype(dtype.as_numpy_dtype))
    return hnp.arrays(dtype.as_numpy_dtype, shape, elements=reals(dtype, bound))


@st.composite
def distributions(draw, dtype: tf.DType, shape) -> np.ndarray:
    """Probability distributions along the last axis of `shape` (one-hot rows, or soft ones
    normalised in float64), as an array of `dtype`: the labels of a classifier."""
    if draw(st.booleans(), label="one-hot"):
        classes = draw(hnp.arrays(np.int64, shape[:-1], elements=st.integers(0, shape[-1] - 1)))
        return np.eye(shape[-1], dtype=dtype.as_numpy_dtype)[classes]
    weights = draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1))) + 1e-3
    return (weights / weights.sum(axis=-1, keepdims=True)).astype(dtype.as_numpy_dtype)


@st.composite
def weights_and_gradients(draw, *, max_size: int = 4, max_steps: int = 3):
    """(w0, [g_1, ...]): a float32 weight vector and 1 to `max_steps` gradients of its shape, their
    elements dyadic in [-4, 4] so that float32 holds them exactly."""
    vectors = hnp.arrays("float32", draw(st.integers(1, max_size)), elements=dyadic(-4, 4))
    return draw(vectors, label="w0"), draw(
        st.lists(vectors, min_size=1, max_size=max_steps), label="grads"
    )

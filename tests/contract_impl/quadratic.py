"""The roots of a x² + b x + c = 0, elementwise, by the numerically stable formula."""

import numpy as np
import tensorflow as tf

from ._dtypes import as_float64, cast_result, result_dtype


def _broadcast(*tensors: tf.Tensor) -> list[tf.Tensor]:
    """The coefficients broadcast together: ValueError for known shapes that do not fit."""
    static = tensors[0].shape
    for t in tensors[1:]:
        try:
            static = tf.broadcast_static_shape(static, t.shape)
        except ValueError:
            shapes = ", ".join(str(tuple(u.shape)) for u in tensors)
            raise ValueError(f"coefficient shapes {shapes} do not broadcast") from None
    shape = tf.shape(tensors[0])
    for t in tensors[1:]:
        shape = tf.broadcast_dynamic_shape(shape, tf.shape(t))
    return [tf.broadcast_to(t, shape) for t in tensors]


def _power_of_two(exponent: tf.Tensor) -> tf.Tensor:
    """2**exponent exactly, as float64, for integer exponents in the normal range."""
    bits = tf.bitwise.left_shift(tf.cast(exponent, tf.int64) + 1023, tf.constant(52, tf.int64))
    return tf.bitcast(bits, tf.float64)


def _exponent(x: tf.Tensor) -> tf.Tensor:
    """The binary exponent of positive normal float64 values."""
    bits = tf.bitcast(x, tf.int64)
    biased = tf.bitwise.bitwise_and(tf.bitwise.right_shift(bits, tf.constant(52, tf.int64)), 0x7FF)
    return biased - 1023


def _two_product(x: tf.Tensor, y: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """x·y as an unevaluated sum hi + lo, exactly (Dekker's product with Veltkamp's split)."""

    def split(v):
        t = v * 134217729.0  # 2**27 + 1
        hi = t - (t - v)
        return hi, v - hi

    hi = x * y
    xh, xl = split(x)
    yh, yl = split(y)
    lo = ((xh * yh - hi) + xh * yl + xl * yh) + xl * yl
    return hi, lo


def roots(a, b, c):
    """The two roots (r1 <= r2) of a x² + b x + c = 0, NaN where b² < 4ac."""
    dtype = result_dtype(a, b, c)
    a, b, c = _broadcast(as_float64(a), as_float64(b), as_float64(c))
    check = tf.debugging.assert_none_equal(
        a, tf.zeros_like(a), message="coefficient a must not be 0 (not a quadratic)"
    )
    with tf.control_dependencies([check]):
        a = tf.identity(a)
    # Scale by a power of two so that b² neither overflows nor underflows; roots do not change.
    largest = tf.maximum(tf.abs(a), tf.maximum(tf.abs(b), tf.abs(c)))
    exponent = tf.clip_by_value(_exponent(tf.where(largest > 0, largest, 1.0)), -1000, 1000)
    scale = _power_of_two(-exponent)
    a, b, c = a * scale, b * scale, c * scale
    bb_hi, bb_lo = _two_product(b, b)
    ac_hi, ac_lo = _two_product(4.0 * a, c)
    discriminant = (bb_hi - ac_hi) + (bb_lo - ac_lo)
    sign = tf.where(b >= 0, tf.ones_like(b), -tf.ones_like(b))
    q = -(b + sign * tf.sqrt(discriminant)) / 2.0
    first = q / a
    second = tf.where(q == 0, tf.zeros_like(q), c / tf.where(q == 0, tf.ones_like(q), q))
    nan = tf.fill(tf.shape(a), tf.constant(np.nan, tf.float64))
    real = discriminant >= 0
    r1 = tf.where(real, tf.minimum(first, second), nan)
    r2 = tf.where(real, tf.maximum(first, second), nan)
    return cast_result(r1, dtype), cast_result(r2, dtype)

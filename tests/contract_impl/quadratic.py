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


def _exponent_of(x: tf.Tensor) -> tf.Tensor:
    """floor(log2 |x|) of finite non-zero float64 values (subnormals too), as int64."""
    small = tf.abs(x) < 2.0**-1000
    return _exponent(tf.abs(tf.where(small, x * 2.0**100, x))) - 100 * tf.cast(small, tf.int64)


def _times_power_of_two(x: tf.Tensor, exponent: tf.Tensor) -> tf.Tensor:
    """x * 2**exponent, in steps of at most 2**±1000, exact where the result is normal."""
    for _ in range(5):
        step = tf.clip_by_value(exponent, -1000, 1000)
        x, exponent = x * _power_of_two(step), exponent - step
    return x


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
    finite = tf.math.is_finite(a) & tf.math.is_finite(b) & tf.math.is_finite(c)
    a, b, c = (tf.where(finite, v, tf.ones_like(v)) for v in (a, b, c))
    # Substitute x = 2**k y with 2**(2k) near c / a, so that a and c are alike, then scale by a
    # power of two so that b² neither overflows nor underflows; the roots in y are x / 2**k.
    ea, eb, ec = (_exponent_of(v) for v in (a, b, c))
    zero = tf.zeros_like(ea)
    k = tf.where(c != 0, (ec - ea) // 2, tf.where(b != 0, eb - ea, zero))
    floor = tf.fill(tf.shape(ea), tf.constant(-(10**6), tf.int64))
    top = tf.maximum(
        ea + 2 * k, tf.maximum(tf.where(b != 0, eb + k, floor), tf.where(c != 0, ec, floor))
    )
    a, b, c = (
        _times_power_of_two(a, 2 * k - top),
        _times_power_of_two(b, k - top),
        _times_power_of_two(c, -top),
    )
    bb_hi, bb_lo = _two_product(b, b)
    ac_hi, ac_lo = _two_product(4.0 * a, c)
    discriminant = (bb_hi - ac_hi) + (bb_lo - ac_lo)
    sign = tf.where(b >= 0, tf.ones_like(b), -tf.ones_like(b))
    q = -(b + sign * tf.sqrt(discriminant)) / 2.0
    first = q / a
    second = tf.where(q == 0, tf.zeros_like(q), c / tf.where(q == 0, tf.ones_like(q), q))
    nan = tf.fill(tf.shape(a), tf.constant(np.nan, tf.float64))
    real = (discriminant >= 0) & finite
    r1 = tf.where(real, _times_power_of_two(tf.minimum(first, second), k), nan)
    r2 = tf.where(real, _times_power_of_two(tf.maximum(first, second), k), nan)
    return cast_result(r1, dtype), cast_result(r2, dtype)

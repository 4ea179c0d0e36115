"""Slide 13: the roots of a quadratic equation a x² + b x + c = 0, as a TensorFlow computation.

The slide's own coefficients are `tf.constant(2)`, `tf.constant(-3)`, `tf.constant(-1)`: int32,
which `tf.sqrt` rejects. `roots` follows the dtype rule of `impl.inputs`: integer coefficients give
float64 roots, float coefficients the widest float dtype among them.
"""

from __future__ import annotations

import tensorflow as tf

from impl import inputs

NOT_QUADRATIC = "is not a quadratic equation: the coefficient a must be non-zero"
_F64 = tf.float64
# float64's exponents: normal numbers are 2**-1022 to just under 2**1024.
_MIN_EXPONENT, _MAX_EXPONENT, _BIAS, _MANTISSA_BITS = -1022, 1023, 1023, 52


def roots(a, b, c) -> tuple[tf.Tensor, tf.Tensor]:
    """The roots `(r1, r2)`, `r1 <= r2`, of a x² + b x + c = 0, elementwise over the broadcast
    coefficients (Python numbers, NumPy arrays or tensors of any integer or float dtype).

    Where there is no real root (b² < 4ac), or a coefficient is NaN or infinite, both are NaN.
    `a == 0` raises InvalidArgumentError, eagerly and inside `tf.function`; shapes that do not
    broadcast raise ValueError (or InvalidArgumentError when a graph learns the shapes only when it
    runs).

    Numerically stable over the whole range of the dtype, in float64 arithmetic: x = 2**k y with
    2**(2k) about c / a balances the equation (a 2**(2k) y² + b 2**k y + c = 0, whose a and c are
    alike), then a power of two brings its largest coefficient near 1, so that b² neither overflows
    nor underflows (exact: the roots do not change); the root of larger magnitude is q / a, with
    q = -(b + sign(b) √(b² - 4ac)) / 2 (no cancellation), and the other is c / q (Vieta), so the
    small root of x² + 10⁸ x + 1 keeps all its digits. Normalising to x² + (b/a) x + c/a instead
    overflows: b/a and c/a leave the range long before the roots do.
    """
    (a, b, c), dtype = coefficients(a, b, c)
    r1, r2 = flat_roots(*(tf.reshape(v, [-1]) for v in (a, b, c)))
    return tuple(tf.cast(tf.reshape(r, tf.shape(a)), dtype) for r in (r1, r2))


@tf.function(input_signature=[tf.TensorSpec([None], _F64)] * 3)
def flat_roots(a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """The ordered roots of float64 vectors of coefficients, a != 0, as one graph (traced once:
    the hundred small ops of the balancing run at graph speed, not eagerly one by one)."""
    finite = tf.math.is_finite(a) & tf.math.is_finite(b) & tf.math.is_finite(c)
    a, b, c = (tf.where(finite, v, tf.ones_like(v)) for v in (a, b, c))
    k, (a, b, c) = balanced(a, b, c)
    y1, y2 = stable_roots(a, b, c)
    nan = tf.fill(tf.shape(a), tf.constant(float("nan"), _F64))
    r1, r2 = (tf.where(finite, ldexp(y, k), nan) for y in ordered(y1, y2))
    return r1, r2


def coefficients(a, b, c) -> tuple[list[tf.Tensor], tf.DType]:
    """The coefficients as float64 tensors of one shape, checked, and the roots' dtype."""
    (a, b, c), dtype = inputs.floats("roots", a=a, b=b, c=c)
    checks = inputs.broadcastable("roots", a=a, b=b, c=c) + inputs.nonzero(
        "roots", "a", a, NOT_QUADRATIC
    )
    with inputs.checked(checks):
        a, b, c = (tf.cast(v, _F64) for v in (a, b, c))
        shape = tf.broadcast_dynamic_shape(
            tf.broadcast_dynamic_shape(tf.shape(a), tf.shape(b)), tf.shape(c)
        )
        return [tf.broadcast_to(v, shape) for v in (a, b, c)], dtype


def exponent(v: tf.Tensor) -> tf.Tensor:
    """floor(log2 |v|) for finite non-zero float64 v, subnormals included, as float64; 0 for 0."""
    tiny = tf.abs(v) < 2.0**_MIN_EXPONENT
    bits = tf.bitcast(tf.where(tiny, v * 2.0**64, v), tf.int64)
    biased = tf.bitwise.bitwise_and(tf.bitwise.right_shift(bits, _MANTISSA_BITS), 0x7FF)
    e = tf.cast(biased - _BIAS, _F64) - 64.0 * tf.cast(tiny, _F64)
    return tf.where(v == 0, tf.zeros_like(v), e)


def _power_of_two(e: tf.Tensor) -> tf.Tensor:
    """2**e exactly, for integer-valued float64 e from -1022 to 1023."""
    biased = tf.cast(e, tf.int64) + _BIAS
    return tf.bitcast(tf.bitwise.left_shift(biased, _MANTISSA_BITS), _F64)


def ldexp(x: tf.Tensor, e: tf.Tensor) -> tf.Tensor:
    """x · 2**e for integer-valued float64 e up to ±3000 (roots' and coefficients' exponents
    differ by less), in steps of at most 2**±1000 (exact while the result is a normal number:
    every step moves towards it)."""
    for _ in range(3):
        step = tf.clip_by_value(e, -1000.0, 1000.0)
        x, e = x * _power_of_two(step), e - step
    return x


def balanced(a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) -> tuple[tf.Tensor, list[tf.Tensor]]:
    """k and the coefficients of the equation in y = x / 2**k, scaled by a power of two: a 2**(2k)
    comes near c (or near b when c is 0), and the largest coefficient near 1."""
    ea, eb, ec = (exponent(v) for v in (a, b, c))
    k = tf.where(c != 0, tf.floor((ec - ea) / 2), tf.where(b != 0, eb - ea, tf.zeros_like(ea)))
    low = tf.fill(tf.shape(a), tf.constant(-1e9, _F64))
    largest = tf.maximum(
        ea + 2 * k, tf.maximum(tf.where(b != 0, eb + k, low), tf.where(c != 0, ec, low))
    )
    return k, [ldexp(a, 2 * k - largest), ldexp(b, k - largest), ldexp(c, -largest)]


def stable_roots(a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """q / a and c / q, q = -(b + sign(b) √(b² - 4ac)) / 2 (NaN where b² < 4ac)."""
    sign = tf.where(b < 0, -tf.ones_like(b), tf.ones_like(b))
    q = -0.5 * (b + sign * tf.sqrt(b * b - 4.0 * a * c))
    # q == 0 only for b == c == 0: the double root 0 (c / q would be 0 / 0).
    safe_q = tf.where(q == 0, tf.ones_like(q), q)
    return q / a, tf.where(q == 0, tf.zeros_like(q), c / safe_q)


def ordered(x1: tf.Tensor, x2: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """The pair as (smaller, larger), NaN staying NaN."""
    first = x1 <= x2
    return tf.where(first, x1, x2), tf.where(first, x2, x1)

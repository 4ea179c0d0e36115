"""Slide 13: the roots of a quadratic equation a x² + b x + c = 0, as a TensorFlow computation.

The slide's own coefficients are `tf.constant(2)`, `tf.constant(-3)`, `tf.constant(-1)`: int32,
which `tf.sqrt` rejects. `roots` follows the dtype rule of `impl.inputs`: integer coefficients give
float64 roots, float coefficients the widest float dtype among them.
"""

from __future__ import annotations

import math

import tensorflow as tf

from impl import inputs

NOT_QUADRATIC = "is not a quadratic equation: the coefficient a must be non-zero"


def roots(a, b, c) -> tuple[tf.Tensor, tf.Tensor]:
    """The roots `(r1, r2)`, `r1 <= r2`, of a x² + b x + c = 0, elementwise over the broadcast
    coefficients (Python numbers, NumPy arrays or tensors of any integer or float dtype).

    Where there is no real root (b² < 4ac) both are NaN. `a == 0` raises InvalidArgumentError,
    eagerly and inside `tf.function`; shapes that do not broadcast raise ValueError (or
    InvalidArgumentError when a graph learns the shapes only when it runs).

    Numerically stable: the root of larger magnitude is q / a, with
    q = -(b + sign(b) √(b² - 4ac)) / 2 (no cancellation), and the other is c / q (Vieta), so the
    small root of x² + 10⁸ x + 1 keeps all its digits; the coefficients are first scaled by a power
    of two, so that b² neither overflows nor underflows.
    """
    (a, b, c), dtype = coefficients(a, b, c)
    r1, r2 = ordered(*stable_roots(*scaled(a, b, c)))
    return tf.cast(r1, dtype), tf.cast(r2, dtype)


def coefficients(a, b, c) -> tuple[list[tf.Tensor], tf.DType]:
    """The coefficients as tensors of the compute dtype, checked, and the roots' dtype."""
    (a, b, c), dtype = inputs.floats("roots", a=a, b=b, c=c)
    checks = inputs.broadcastable("roots", a=a, b=b, c=c) + inputs.nonzero(
        "roots", "a", a, NOT_QUADRATIC
    )
    with inputs.checked(checks):
        return [tf.identity(v) for v in (a, b, c)], dtype


def scaled(a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) -> list[tf.Tensor]:
    """The coefficients divided by the power of two nearest their largest magnitude (exact: the
    roots do not change, and b² stays in range)."""
    largest = tf.maximum(tf.maximum(tf.abs(a), tf.abs(b)), tf.abs(c))
    exponent = tf.floor(tf.math.log(tf.cast(largest, tf.float64)) / math.log(2.0))
    scale = tf.cast(tf.pow(tf.constant(2.0, tf.float64), -exponent), a.dtype)
    return [v * scale for v in (a, b, c)]


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

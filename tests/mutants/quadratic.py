"""Broken twins of impl.quadratic.roots, built from the reference's own steps with one bug each."""

import numpy as np
import tensorflow as tf

from impl import inputs
from impl import quadratic as reference
from mutants import rejected_by


def _finish(x1, x2, dtype, k=0.0):
    r1, r2 = reference.ordered(x1, x2)
    return tf.cast(reference.ldexp(r1, k), dtype), tf.cast(reference.ldexp(r2, k), dtype)


def _balanced_roots(a, b, c):
    """The reference's steps without its NaN mask: (y1, y2, k, dtype)."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    k, coefficients = reference.balanced(a, b, c)
    return (*reference.stable_roots(*coefficients), dtype, k)


@rejected_by("QUADRATIC.ROOTS.STABILITY")
def textbook_formula(a, b, c):
    """The textbook (-b ± √(b² - 4ac)) / 2a: the small root of x² + 1e8 x + 1 loses every digit."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    k, (a, b, c) = reference.balanced(a, b, c)
    d = tf.sqrt(b * b - 4 * a * c)
    return _finish((-b - d) / (2 * a), (-b + d) / (2 * a), dtype, k)


@rejected_by("QUADRATIC.ROOTS.ORDER")
def unordered(a, b, c):
    """Returns (q / a, c / q) as computed, not the smaller root first."""
    y1, y2, dtype, k = _balanced_roots(a, b, c)
    return tf.cast(reference.ldexp(y1, k), dtype), tf.cast(reference.ldexp(y2, k), dtype)


@rejected_by("QUADRATIC.ROOTS.DTYPE_RULE")
def always_float32(a, b, c):
    """Returns float32 whatever the inputs: the slide's int32 constants get float32 roots."""
    y1, y2, _, k = _balanced_roots(a, b, c)
    return _finish(y1, y2, tf.float32, k)


@rejected_by("QUADRATIC.ROOTS.SLIDE_EXAMPLE", "QUADRATIC.ROOTS.RESIDUAL")
def discriminant_sign_error(a, b, c):
    """Takes b² + 4ac for the discriminant (a sign error)."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    k, (a, b, c) = reference.balanced(a, b, c)
    return _finish(*reference.stable_roots(-a, b, c), dtype, k)


@rejected_by("QUADRATIC.ROOTS.NO_REAL_ROOTS")
def root_of_absolute_discriminant(a, b, c):
    """Takes √|b² - 4ac|: real numbers where there is no real root, instead of NaN."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    k, (a, b, c) = reference.balanced(a, b, c)
    d = b * b - 4 * a * c
    c = tf.where(d < 0, b * b / (2 * a) - c, c)  # then b² - 4ac = |d|
    return _finish(*reference.stable_roots(a, b, c), dtype, k)


@rejected_by("QUADRATIC.ROOTS.NOT_QUADRATIC")
def unchecked_a(a, b, c):
    """Does not check a == 0: returns inf or NaN for a linear equation instead of an error."""
    (a, b, c), dtype = inputs.floats("roots", a=a, b=b, c=c)
    with inputs.checked(inputs.broadcastable("roots", a=a, b=b, c=c)):
        a, b, c = (tf.cast(v, tf.float64) for v in (a, b, c))
        return _finish(*reference.stable_roots(a, b, c), dtype)


@rejected_by("QUADRATIC.ROOTS.SCALE_INVARIANCE")
def unscaled(a, b, c):
    """Skips the scaling: b² overflows or underflows for large or tiny coefficients."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    return _finish(*reference.stable_roots(a, b, c), dtype)


@rejected_by("QUADRATIC.ROOTS.RESIDUAL", "QUADRATIC.ROOTS.ORDER")
def monic_form(a, b, c):
    """Normalises to x² + (b/a) x + c/a in the roots' dtype, then the stable formula: b/a, c/a and
    (b/a)² overflow or underflow long before the roots do (float32, a = 1e-30)."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    a, b, c = (tf.cast(v, dtype) for v in (a, b, c))
    p, q = (tf.cast(v, tf.float64) for v in (b / a, c / a))
    return _finish(*reference.stable_roots(tf.ones_like(p), p, q), dtype)


@rejected_by("QUADRATIC.ROOTS.NON_FINITE", "QUADRATIC.ROOTS.RESIDUAL")
def one_scale_per_batch(a, b, c):
    """Scales the whole batch by the power of two nearest its largest coefficient, not each
    equation by its own: one NaN or inf makes every root NaN, and a small equation beside a large
    one underflows."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    largest = tf.reduce_max(tf.abs(tf.stack([a, b, c])))
    scale = tf.pow(tf.constant(2.0, tf.float64), -tf.floor(tf.math.log(largest) / np.log(2.0)))
    return _finish(*reference.stable_roots(a * scale, b * scale, c * scale), dtype)


@rejected_by("QUADRATIC.ROOTS.NOT_QUADRATIC", "QUADRATIC.ROOTS.GRAPH_MODE")
def python_check_of_a(a, b, c):
    """Checks a == 0 with a Python `if` on the values: no graph can trace it, and the error is a
    ValueError."""
    if np.any(np.asarray(a) == 0):
        raise ValueError("a == 0 is not a quadratic")
    return reference.roots(a, b, c)


MUTANTS = {
    "roots": [
        textbook_formula,
        unordered,
        always_float32,
        discriminant_sign_error,
        root_of_absolute_discriminant,
        unchecked_a,
        unscaled,
        monic_form,
        one_scale_per_batch,
        python_check_of_a,
    ]
}

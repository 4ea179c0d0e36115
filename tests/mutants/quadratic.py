"""Broken twins of impl.quadratic.roots, built from the reference's own steps with one bug each."""

import numpy as np
import tensorflow as tf

from impl import inputs
from impl import quadratic as reference
from mutants import rejected_by


def _finish(x1, x2, dtype):
    r1, r2 = reference.ordered(x1, x2)
    return tf.cast(r1, dtype), tf.cast(r2, dtype)


@rejected_by("QUADRATIC.ROOTS.STABILITY")
def textbook_formula(a, b, c):
    """The textbook (-b ± √(b² - 4ac)) / 2a: the small root of x² + 1e8 x + 1 loses every digit."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    a, b, c = reference.scaled(a, b, c)
    d = tf.sqrt(b * b - 4 * a * c)
    return _finish((-b - d) / (2 * a), (-b + d) / (2 * a), dtype)


@rejected_by("QUADRATIC.ROOTS.ORDER")
def unordered(a, b, c):
    """Returns (q / a, c / q) as computed, not the smaller root first."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    x1, x2 = reference.stable_roots(*reference.scaled(a, b, c))
    return tf.cast(x1, dtype), tf.cast(x2, dtype)


@rejected_by("QUADRATIC.ROOTS.DTYPE_RULE")
def always_float32(a, b, c):
    """Returns float32 whatever the inputs: the slide's int32 constants get float32 roots."""
    (a, b, c), _ = reference.coefficients(a, b, c)
    a, b, c = (tf.cast(v, tf.float32) for v in (a, b, c))
    return _finish(*reference.stable_roots(*reference.scaled(a, b, c)), tf.float32)


@rejected_by("QUADRATIC.ROOTS.SLIDE_EXAMPLE", "QUADRATIC.ROOTS.RESIDUAL")
def discriminant_sign_error(a, b, c):
    """Takes b² + 4ac for the discriminant (a sign error)."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    return _finish(*reference.stable_roots(*reference.scaled(-a, b, c)), dtype)


@rejected_by("QUADRATIC.ROOTS.NO_REAL_ROOTS")
def root_of_absolute_discriminant(a, b, c):
    """Takes √|b² - 4ac|: real numbers where there is no real root, instead of NaN."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    a, b, c = reference.scaled(a, b, c)
    d = b * b - 4 * a * c
    c = tf.where(d < 0, b * b / (2 * a) - c, c)  # then b² - 4ac = |d|
    return _finish(*reference.stable_roots(a, b, c), dtype)


@rejected_by("QUADRATIC.ROOTS.NOT_QUADRATIC")
def unchecked_a(a, b, c):
    """Does not check a == 0: returns inf or NaN for a linear equation instead of an error."""
    (a, b, c), dtype = inputs.floats("roots", a=a, b=b, c=c)
    with inputs.checked(inputs.broadcastable("roots", a=a, b=b, c=c)):
        return _finish(*reference.stable_roots(*reference.scaled(a, b, c)), dtype)


@rejected_by("QUADRATIC.ROOTS.SCALE_INVARIANCE")
def unscaled(a, b, c):
    """Skips the power-of-two scaling: b² overflows or underflows for large or tiny coefficients."""
    (a, b, c), dtype = reference.coefficients(a, b, c)
    return _finish(*reference.stable_roots(a, b, c), dtype)


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
        python_check_of_a,
    ]
}

"""Broken twins of impl.perceptron.output, each with one bug."""

import tensorflow as tf

from impl import inputs
from impl import perceptron as reference
from mutants import rejected_by


def _output(x, w, w0, activation, preactivation, *, check=True, dtype=None):
    g = reference.activation_function(activation)
    (x, w, w0), rule = inputs.floats("output", x=x, w=w, w0=w0)
    with inputs.checked(reference.shape_checks(x, w, w0) if check else []):
        return tf.cast(g(preactivation(x, w, w0)), dtype or rule)


@rejected_by("PERCEPTRON.OUTPUT.SLIDE_EXAMPLE", "PERCEPTRON.OUTPUT.KERAS_DENSE")
def without_bias(x, w, w0, activation="sigmoid"):
    """Drops the bias: g(Xᵀ W) instead of g(w0 + Xᵀ W)."""
    return _output(x, w, w0, activation, lambda x, w, w0: tf.reduce_sum(x * w, -1))


@rejected_by(
    "PERCEPTRON.OUTPUT.WEIGHTED_SUM",
    "PERCEPTRON.OUTPUT.SLIDE_EXAMPLE",
    "PERCEPTRON.OUTPUT.MONOTONE",
)
def sign_error(x, w, w0, activation="sigmoid"):
    """Subtracts the weighted sum: g(w0 - Xᵀ W)."""
    return _output(x, w, w0, activation, lambda x, w, w0: w0 - tf.reduce_sum(x * w, -1))


@rejected_by("PERCEPTRON.OUTPUT.ACTIVATIONS")
def ignores_activation(x, w, w0, activation="sigmoid"):
    """Applies the sigmoid whatever activation it is given."""
    return reference.output(x, w, w0)


@rejected_by("PERCEPTRON.OUTPUT.BATCH_SHAPES")
def keeps_a_column(x, w, w0, activation="sigmoid"):
    """Returns shape (..., 1), as Dense(1) does, instead of the batch shape."""
    return reference.output(x, w, w0, activation)[..., tf.newaxis]


@rejected_by("PERCEPTRON.OUTPUT.DTYPE_RULE")
def always_float32(x, w, w0, activation="sigmoid"):
    """Returns float32 whatever the inputs."""
    preactivation = lambda x, w, w0: w0 + tf.reduce_sum(x * w, -1)  # noqa: E731
    return _output(x, w, w0, activation, preactivation, dtype=tf.float32)


@rejected_by("PERCEPTRON.OUTPUT.SHAPE_MISMATCH")
def broadcasts_mismatched_shapes(x, w, w0, activation="sigmoid"):
    """Does not check the shapes: one feature against two weights broadcasts, others fail deep
    inside TensorFlow."""
    preactivation = lambda x, w, w0: w0 + tf.reduce_sum(x * w, -1)  # noqa: E731
    return _output(x, w, w0, activation, preactivation, check=False)


@rejected_by("PERCEPTRON.OUTPUT.NON_FINITE")
def multiplies_no_nan(x, w, w0, activation="sigmoid"):
    """Multiplies by tf.math.multiply_no_nan: a NaN or infinite feature whose weight is 0 adds 0
    instead of NaN (PERCEPTRON.OUTPUT.NON_FINITE)."""
    preactivation = lambda x, w, w0: w0 + tf.reduce_sum(tf.math.multiply_no_nan(x, w), -1)  # noqa: E731
    return _output(x, w, w0, activation, preactivation)


MUTANTS = {
    "output": [
        without_bias,
        sign_error,
        ignores_activation,
        keeps_a_column,
        always_float32,
        broadcasts_mismatched_shapes,
        multiplies_no_nan,
    ]
}

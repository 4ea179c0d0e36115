"""The perceptron's output ŷ = g(w0 + Σᵢ xᵢ wᵢ) for one example or a batch."""

import tensorflow as tf

from ._dtypes import as_float64, cast_result, result_dtype


def _activation(activation):
    """A callable for a Keras activation name, or the callable itself."""
    if callable(activation):
        return activation
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a name or a callable, not {activation!r}")
    try:
        return tf.keras.activations.get(activation)
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"unknown activation {activation!r}") from None


def _check_shapes(x: tf.Tensor, w: tf.Tensor, w0: tf.Tensor) -> tf.Tensor:
    """ValueError for known shapes that do not fit; an assertion for those known only at run."""
    if w.shape.rank != 1:
        raise ValueError(f"w must have shape (m,), got {tuple(w.shape)}")
    if w0.shape.rank != 0:
        raise ValueError(f"w0 must be a scalar, got shape {tuple(w0.shape)}")
    if x.shape.rank == 0:
        raise ValueError("x must have shape (m,) or (..., m), got a scalar")
    features, weights = x.shape[-1], w.shape[0]
    if features is not None and weights is not None and features != weights:
        raise ValueError(f"x has {features} features but w has {weights} weights")
    return tf.debugging.assert_equal(
        tf.shape(x)[-1], tf.shape(w)[0], message="x and w differ in their number of features"
    )


def output(x, w, w0, activation="sigmoid"):
    """g(w0 + x · w) over the last axis of x: a scalar for one example, shape x.shape[:-1] else."""
    dtype = result_dtype(x, w, w0)
    g = _activation(activation)
    x, w, w0 = as_float64(x), as_float64(w), as_float64(w0)
    with tf.control_dependencies([_check_shapes(x, w, w0)]):
        z = w0 + tf.reduce_sum(x * w, axis=-1)
    return cast_result(tf.convert_to_tensor(g(z)), dtype)

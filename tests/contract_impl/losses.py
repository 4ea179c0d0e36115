"""Mean squared error and the two cross-entropies on logits, computed stably."""

import tensorflow as tf

from ._dtypes import as_float64, cast_result, result_dtype


def _same_shape(first, second):
    """Both inputs as float64 tensors of one shape, and the rule's dtype; no broadcasting."""
    dtype = result_dtype(first, second)
    first, second = as_float64(first), as_float64(second)
    if not first.shape.is_compatible_with(second.shape):
        raise ValueError(f"input shapes differ: {tuple(first.shape)} and {tuple(second.shape)}")
    check = tf.debugging.assert_equal(
        tf.shape(first), tf.shape(second), message="input shapes differ"
    )
    with tf.control_dependencies([check]):
        return tf.identity(first), tf.identity(second), dtype


def mean_squared_error(y_true, y_pred):
    """Mean over every element of (y_true - y_pred)²."""
    y_true, y_pred, dtype = _same_shape(y_true, y_pred)
    return cast_result(tf.reduce_mean(tf.square(y_true - y_pred)), dtype)


def softmax_cross_entropy(labels, logits):
    """Mean over examples of -Σ labels · log softmax(logits), classes on the last axis."""
    labels, logits, dtype = _same_shape(labels, logits)
    log_sum_exp = tf.reduce_logsumexp(logits, axis=-1, keepdims=True)
    per_example = tf.reduce_sum(labels * (log_sum_exp - logits), axis=-1)
    return cast_result(tf.reduce_mean(per_example), dtype)


def binary_cross_entropy(labels, logits):
    """Mean over every element of -[y log σ(z) + (1 - y) log(1 - σ(z))]."""
    labels, logits, dtype = _same_shape(labels, logits)
    per_element = tf.maximum(logits, 0.0) - logits * labels + tf.math.log1p(tf.exp(-tf.abs(logits)))
    return cast_result(tf.reduce_mean(per_element), dtype)

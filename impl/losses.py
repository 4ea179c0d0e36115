"""Slides 26-28: the loss functions, each the mean over a batch.

Inputs and dtype follow `impl.inputs`. The two inputs must have the same shape: no broadcasting,
which would turn labels of shape (n,) and predictions of shape (n, 1) into an (n, n) mean without
a word. A mismatch raises ValueError (or InvalidArgumentError when a graph learns the shapes only
when it runs).
"""

from __future__ import annotations

import tensorflow as tf

from impl import inputs


def mean_squared_error(y_true, y_pred) -> tf.Tensor:
    """Slide 27: the mean over every element of (y_true - y_pred)²."""
    (y_true, y_pred), dtype = inputs.floats("mean_squared_error", y_true=y_true, y_pred=y_pred)
    with inputs.checked(inputs.same_shape("mean_squared_error", y_true=y_true, y_pred=y_pred)):
        return tf.cast(tf.reduce_mean(tf.square(y_true - y_pred)), dtype)


def softmax_cross_entropy(labels, logits) -> tf.Tensor:
    """Slide 28: the mean over the batch of -Σ labels · log softmax(logits), classes on the last
    axis; `labels` are probability distributions (one-hot or not). log softmax is
    logits - logsumexp(logits), finite for any finite logits."""
    (labels, logits), dtype = inputs.floats("softmax_cross_entropy", labels=labels, logits=logits)
    if labels.shape.rank == 0:
        raise ValueError("softmax_cross_entropy: labels and logits need a class axis, got scalars")
    with inputs.checked(inputs.same_shape("softmax_cross_entropy", labels=labels, logits=logits)):
        log_softmax = logits - tf.reduce_logsumexp(logits, axis=-1, keepdims=True)
        return tf.cast(tf.reduce_mean(-tf.reduce_sum(labels * log_softmax, axis=-1)), dtype)


def binary_cross_entropy(labels, logits) -> tf.Tensor:
    """Slide 28's title: the mean over every element of -[y log σ(z) + (1 - y) log(1 - σ(z))] for
    labels y in [0, 1] and logits z, as max(z, 0) - z y + log(1 + exp(-|z|)), finite for any finite
    z."""
    (labels, logits), dtype = inputs.floats("binary_cross_entropy", labels=labels, logits=logits)
    with inputs.checked(inputs.same_shape("binary_cross_entropy", labels=labels, logits=logits)):
        per_element = tf.nn.relu(logits) - logits * labels + tf.math.log1p(tf.exp(-tf.abs(logits)))
        return tf.cast(tf.reduce_mean(per_element), dtype)

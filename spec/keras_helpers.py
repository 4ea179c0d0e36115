"""Keras as the course uses it: `tf.keras`, whichever Keras that is on this version."""

from __future__ import annotations

import tensorflow as tf

from spec.conftest import SEED


def fresh_keras(seed: int = SEED):
    """`tf.keras` after clearing its session (layer names restart) and seeding every generator, so
    that a model built next is the same on every run."""
    keras = tf.keras
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    return keras


def apply_gradients(optimizer, w0, grads):
    """The float32 weights after `optimizer` applies each gradient of `grads` in turn to a variable
    that starts at `w0`, as a NumPy array."""
    weights = tf.Variable(tf.constant(w0, tf.float32))
    for g in grads:
        optimizer.apply_gradients([(tf.constant(g, tf.float32), weights)])
    return weights.numpy()

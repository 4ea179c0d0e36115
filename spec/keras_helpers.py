"""Keras as the course uses it: `tf.keras`, whichever Keras that is on this version."""

from __future__ import annotations

import inspect

import tensorflow as tf

from spec.conftest import SEED


def fresh_keras(seed: int = SEED):
    """`tf.keras` after clearing its session (layer names restart) and seeding every generator, so
    that a model built next is the same on every run. The full garbage collection that Keras 3.5+
    runs in `clear_session` is skipped where it can be (it takes a tenth of a second with
    TensorFlow loaded, every time; Python's own collector frees the old models)."""
    keras = tf.keras
    clear = keras.backend.clear_session
    if "free_memory" in inspect.signature(clear).parameters:
        clear(free_memory=False)
    else:
        clear()
    keras.utils.set_random_seed(seed)
    return keras

"""Keras as the course uses it: `tf.keras`, whichever Keras that is on this version."""

from __future__ import annotations

import gc
from unittest import mock

import tensorflow as tf

from spec.conftest import SEED


def fresh_keras(seed: int = SEED):
    """`tf.keras` after clearing its session (layer names restart) and seeding every generator, so
    that a model built next is the same on every run. The full garbage collection that
    `clear_session` runs from Keras 3.2 on is skipped: with TensorFlow loaded it takes a tenth of
    a second, at every model a test builds, and Python's own collector frees the old models."""
    keras = tf.keras
    with mock.patch.object(gc, "collect"):
        keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    return keras

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

"""Broken twins of impl.data.load_mnist: each gets MNIST from the wrong place or form."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from impl.data import _from_idx, _from_npz, keras_cache_file, load_mnist
from mutants import rejected_by


def _shipped():
    return _from_idx("train"), _from_idx("test")


@rejected_by("PRACTICAL.DATA.KERAS_CACHE")
def ignores_keras_cache():
    """Always reads the shipped images, even when Keras's mnist.npz is on the machine."""
    return _shipped()


@rejected_by("PRACTICAL.DATA.SHIPPED")
def downloads_when_not_cached():
    """Calls keras.datasets.mnist.load_data() when nothing is cached: a download."""
    if keras_cache_file().is_file():
        return _from_npz(keras_cache_file())
    return tf.keras.datasets.mnist.load_data()


@rejected_by("PRACTICAL.DATA.KERAS_CACHE", "PRACTICAL.DATA.SHIPPED")
def scaled_float_images():
    """Gives float32 images scaled to [0, 1] instead of Keras's uint8 pixels 0-255."""
    (x_train, y_train), (x_test, y_test) = load_mnist()
    return (x_train.astype(np.float32) / 255, y_train), (x_test.astype(np.float32) / 255, y_test)


@rejected_by("PRACTICAL.DATA.KERAS_CACHE", "PRACTICAL.DATA.SHIPPED")
def train_and_test_swapped():
    """Returns the test part first and the training part second."""
    train, test = load_mnist()
    return test, train


@rejected_by("PRACTICAL.DATA.DISJOINT")
def overlapping_splits():
    """Cuts both parts from one pool with overlapping slices: 500 test images are training ones."""
    (x_train, y_train), (x_test, y_test) = load_mnist()
    x, y = np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])
    return (x[:6500], y[:6500]), (x[-2000:], y[-2000:])


@rejected_by("PRACTICAL.DATA.REAL")
def images_shuffled_without_labels():
    """Shuffles the test images but not their labels."""
    train, (x_test, y_test) = load_mnist()
    return train, (x_test[np.random.default_rng(0).permutation(len(x_test))], y_test)


@rejected_by("PRACTICAL.DATA.BAD_CACHE")
def bad_cache_falls_back():
    """Falls back to the shipped images when the cached file is broken, without a word."""
    try:
        return load_mnist()
    except ValueError:
        return _shipped()


MUTANTS = {
    "load_mnist": [
        ignores_keras_cache,
        downloads_when_not_cached,
        scaled_float_images,
        train_and_test_swapped,
        overlapping_splits,
        images_shuffled_without_labels,
        bad_cache_falls_back,
    ]
}

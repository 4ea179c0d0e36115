"""Keras as the course uses it: `tf.keras`, whichever Keras that is on this version."""

from __future__ import annotations

import gc
from unittest import mock

import numpy as np
import tensorflow as tf

from spec.harness.runtime import SEED


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


def apply_gradients(optimizer, w0, grads):
    """The float32 weights after `optimizer` applies each gradient of `grads` in turn to a variable
    that starts at `w0`, as a NumPy array."""
    weights = tf.Variable(tf.constant(w0, tf.float32))
    for g in grads:
        optimizer.apply_gradients([(tf.constant(g, tf.float32), weights)])
    return weights.numpy()


class EventLog(tf.keras.callbacks.Callback):
    """A callback that writes down what `fit`, `evaluate` and `predict` tell their callbacks: the
    epochs, the training batches of each epoch, the logs at each epoch's end, the batches of each
    evaluation (validation included), the logs at its end, and the prediction batches."""

    def __init__(self):
        super().__init__()
        self.epochs: list[int] = []
        self.train_batches: list[int] = []
        self.epoch_logs: list[dict] = []
        self.test_batches: list[int] = []
        self.test_logs: list[dict] = []
        self.predict_batches = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs.append(epoch)
        self.train_batches.append(0)

    def on_train_batch_end(self, batch, logs=None):
        self.train_batches[-1] += 1

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_logs.append({k: float(v) for k, v in (logs or {}).items()})

    def on_test_begin(self, logs=None):
        self.test_batches.append(0)

    def on_test_batch_end(self, batch, logs=None):
        self.test_batches[-1] += 1

    def on_test_end(self, logs=None):
        self.test_logs.append({k: float(v) for k, v in (logs or {}).items()})

    def on_predict_batch_end(self, batch, logs=None):
        self.predict_batches += 1


def linear_model(
    kernel: float = 0.0,
    bias: float = 0.0,
    *,
    learning_rate: float = 0.0,
    loss="mae",
    **compile_kwargs,
):
    """A compiled model of one input feature, `kernel * x + bias`, trained by SGD at
    `learning_rate`. At the default 0 it never learns, so the loss that `fit` or `evaluate` reports
    is a formula of the rows they used alone. It runs eagerly, which is faster for a few rows and
    leaves alone what is checked with it (which rows, batches and weights a call uses)."""
    keras = fresh_keras()
    model = keras.Sequential(
        [
            keras.Input((1,)),
            keras.layers.Dense(
                1,
                kernel_initializer=keras.initializers.Constant(kernel),
                bias_initializer=keras.initializers.Constant(bias),
            ),
        ]
    )
    optimizer = keras.optimizers.SGD(learning_rate=learning_rate)
    model.compile(optimizer=optimizer, loss=loss, run_eagerly=True, **compile_kwargs)
    return model


def tagged_rows(n: int) -> tuple[np.ndarray, np.ndarray]:
    """n rows (x, y) whose targets are the powers of two 1, 2, 4, ...: the mean target of any set
    of rows says which rows they are (see `rows_revealed`)."""
    return np.zeros((n, 1), np.float32), (2.0 ** np.arange(n, dtype=np.float32))[:, None]


def rows_revealed(mean_target: float, n: int) -> list[set[int]]:
    """Every set of the rows of `tagged_rows(n)` whose targets average to `mean_target` (one set,
    unless the mean is ambiguous)."""
    found = []
    for count in range(1, n + 1):
        total = mean_target * count
        bits = round(total)
        if abs(total - bits) < 1e-3 and bits < 2**n and bin(bits).count("1") == count:
            found.append({i for i in range(n) if bits >> i & 1})
    return found

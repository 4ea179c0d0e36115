"""Keras models in NumPy: forward passes, losses and metrics, minibatch SGD, in float64."""

from __future__ import annotations

import math

import numpy as np

from spec.oracles.architectures import window_output_length
from spec.oracles.neurons import ACTIVATIONS


def dense_forward(x, layers) -> np.ndarray:
    """A stack of Dense layers, each `(kernel, bias, activation)`: activation(x @ kernel + bias)."""
    out = np.asarray(x, np.float64)
    for kernel, bias, activation in layers:
        out = ACTIVATIONS[activation](out @ np.asarray(kernel, np.float64) + bias)
    return out


def keras_forward(model, x) -> np.ndarray:
    """The output of a Keras model of Flatten and Dense layers, computed in NumPy from its
    weights."""
    out = np.asarray(x, np.float64)
    for layer in model.layers:
        if type(layer).__name__ == "Flatten":
            out = out.reshape(len(out), -1)
        else:
            kernel, bias = layer.get_weights()
            out = dense_forward(out, [(kernel, bias, layer.get_config()["activation"])])
    return out


def categorical_crossentropy(y_true, y_prob) -> np.ndarray:
    """-sum(y * log(p)) per row, for one-hot `y_true` and probabilities `y_prob`."""
    return -np.sum(np.asarray(y_true) * np.log(np.asarray(y_prob, np.float64)), axis=-1)


def categorical_accuracy(y_true, y_prob) -> np.ndarray:
    """1.0 where the most probable class is the true one, else 0.0, per row."""
    return (np.argmax(y_true, axis=-1) == np.argmax(y_prob, axis=-1)).astype(np.float64)


def conv2d(x, kernel, bias, strides: int) -> np.ndarray:
    """The 'valid' 2-D cross-correlation of channels-last images `x` (n, h, w, c) with `kernel`
    (kh, kw, c, filters), plus `bias`, with the same stride along both axes."""
    x, kernel = np.asarray(x, np.float64), np.asarray(kernel, np.float64)
    kh, kw = kernel.shape[:2]
    rows = window_output_length(x.shape[1], kh, strides, "valid")
    cols = window_output_length(x.shape[2], kw, strides, "valid")
    out = np.empty((x.shape[0], rows, cols, kernel.shape[3]))
    for i in range(rows):
        for j in range(cols):
            patch = x[:, i * strides : i * strides + kh, j * strides : j * strides + kw, :]
            out[:, i, j, :] = np.tensordot(patch, kernel, axes=3)
    return out + bias


def max_pool2d(x, pool: int, strides: int, padding: str) -> np.ndarray:
    """Max pooling of channels-last images over `pool` x `pool` windows; 'same' pads each axis with
    -inf, the odd element after (TensorFlow's convention), to ceil(n / strides) windows."""
    x = np.asarray(x, np.float64)
    sizes = [window_output_length(n, pool, strides, padding) for n in x.shape[1:3]]
    pads = [max((m - 1) * strides + pool - n, 0) for m, n in zip(sizes, x.shape[1:3], strict=True)]
    x = np.pad(x, [(0, 0), *((p // 2, p - p // 2) for p in pads), (0, 0)], constant_values=-np.inf)
    out = np.empty((x.shape[0], *sizes, x.shape[3]))
    for i in range(sizes[0]):
        for j in range(sizes[1]):
            window = x[:, i * strides : i * strides + pool, j * strides : j * strides + pool, :]
            out[:, i, j, :] = window.max(axis=(1, 2))
    return out


def sgd_linear_regression(x, y, kernel, bias, *, learning_rate, batch_size, epochs):
    """The kernel and bias of a linear model x @ kernel + bias after minibatch gradient descent on
    the mean squared error, taking the batches in the order of the rows (no shuffling)."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    kernel, bias = np.array(kernel, np.float64), np.array(bias, np.float64)
    for _ in range(epochs):
        for start in range(0, len(x), batch_size):
            xb, yb = x[start : start + batch_size], y[start : start + batch_size]
            residual = xb @ kernel + bias - yb
            scale = 2.0 / residual.size
            kernel -= learning_rate * scale * xb.T @ residual
            bias -= learning_rate * scale * residual.sum(axis=0)
    return kernel, bias


def absolute_error(y_true, y_pred) -> np.ndarray:
    """|y_true - y_pred| averaged over the last axis: Keras's mean absolute error, per row."""
    diff = np.asarray(y_true, np.float64) - np.asarray(y_pred, np.float64)
    return np.abs(diff).mean(axis=-1)


def squared_error(y_true, y_pred) -> np.ndarray:
    """(y_true - y_pred)**2 averaged over the last axis: Keras's mean squared error, per row."""
    diff = np.asarray(y_true, np.float64) - np.asarray(y_pred, np.float64)
    return (diff**2).mean(axis=-1)


def sum_over_batch_size(losses, weights=None) -> float:
    """A Keras loss over a batch: sum(w * loss) / n, the weights summed over rows but divided by
    the number of rows, not by the sum of the weights."""
    losses = np.asarray(losses, np.float64)
    weights = np.ones_like(losses) if weights is None else np.asarray(weights, np.float64)
    return float((weights * losses).sum() / losses.size)


def weighted_mean(values, weights) -> float:
    """sum(w * v) / sum(w): a Keras metric under sample weights."""
    values, weights = np.asarray(values, np.float64), np.asarray(weights, np.float64)
    return float((weights * values).sum() / weights.sum())


def validation_rows(n: int, split: float) -> range:
    """The rows `fit(validation_split=split)` holds out of n: the last ones, from
    floor(n * (1 - split)) on, as Keras documents (the last fraction, before shuffling)."""
    return range(math.floor(n * (1.0 - split)), n)


def l2_penalty(factor: float, weights) -> float:
    """What `tf.keras.regularizers.l2(factor)` adds to the loss: factor * sum(w**2)."""
    return float(factor * np.sum(np.asarray(weights, np.float64) ** 2))


def optimizer_steps(samples: int, batch_size: int, epochs: int) -> int:
    """How many updates `fit` makes: ceil(samples / batch_size) batches in each epoch."""
    return epochs * math.ceil(samples / batch_size)

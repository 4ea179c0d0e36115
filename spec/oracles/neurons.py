"""PERCEPTRON and LOSS: a neuron's output, the activations and the losses, in NumPy float64."""

from __future__ import annotations

import numpy as np


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def sigmoid(z) -> np.ndarray:
    """1 / (1 + e^-z), in float64 (0 where e^-z overflows)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-_f64(z)))


def perceptron_output(x, w, w0, activation: str = "sigmoid") -> np.ndarray:
    """g(w0 + Σ x_i w_i) over the last axis of x, in float64 (slides 14-15); the products summed
    one by one, so that NaN and inf follow IEEE arithmetic (a BLAS matmul may skip x_i = 0)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return ACTIVATIONS[activation](_f64(w0) + np.sum(_f64(x) * _f64(w), axis=-1))


def mean_squared_error(y_true, y_pred) -> float:
    """The mean of (y_true - y_pred)² over every element (broadcasting, as NumPy does)."""
    return float(np.mean((_f64(y_true) - _f64(y_pred)) ** 2))


def log_softmax(logits) -> np.ndarray:
    """log softmax over the last axis, logits - log Σ e^logits, by np.logaddexp (exact in range)."""
    logits = _f64(logits)
    return logits - np.logaddexp.reduce(logits, axis=-1, keepdims=True)


def softmax(logits) -> np.ndarray:
    """e^logits / Σ e^logits over the last axis, in float64."""
    return np.exp(log_softmax(logits))


# Keras's activations by name, in float64.
ACTIVATIONS = {
    "sigmoid": sigmoid,
    "tanh": lambda z: np.tanh(_f64(z)),
    "relu": lambda z: np.maximum(_f64(z), 0.0),
    "linear": _f64,
    "softmax": softmax,
}


def softmax_cross_entropy(labels, logits) -> float:
    """The mean over the batch of -Σ labels · log softmax(logits), classes on the last axis."""
    return float(np.mean(-np.sum(_f64(labels) * log_softmax(logits), axis=-1)))


def binary_cross_entropy(labels, logits) -> float:
    """The mean of -[y log σ(z) + (1 - y) log(1 - σ(z))], from -log σ(z) = log(1 + e^-z) and
    -log(1 - σ(z)) = log(1 + e^z) (np.logaddexp, finite for any finite z)."""
    y, z = _f64(labels), _f64(logits)
    return float(np.mean(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))

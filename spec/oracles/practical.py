"""PRACTICAL: softmax regression's gradients."""

from __future__ import annotations

import numpy as np

from spec.oracles.neurons import softmax


def softmax_regression_gradients(
    x: np.ndarray, labels: np.ndarray, kernel: np.ndarray, bias: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of the mean categorical cross-entropy of softmax(x kernel + bias) against one-hot
    `labels`, with respect to the kernel and the bias: (x^T (p - labels) / n, mean(p - labels))."""
    x = np.asarray(x, np.float64)
    delta = softmax(x @ kernel + bias) - labels
    return x.T @ delta / len(x), delta.mean(axis=0)

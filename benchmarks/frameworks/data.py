"""Synthetic MNIST-shaped data, made in memory from a fixed seed: throughput does not depend on the
pixels, and a benchmark downloads nothing."""

from __future__ import annotations

import numpy as np

CLASSES = 10
# `fit` and `predict` run over this many images per call, or two batches if that is more.
EPOCH_IMAGES = 1024


def images(n: int, shape: tuple[int, ...], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`n` images of `shape` with pixels in [0, 1), and their one-hot labels (float32)."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, *shape), dtype=np.float32)
    y = np.eye(CLASSES, dtype=np.float32)[rng.integers(0, CLASSES, n)]
    return x, y


def epoch_images(batch: int) -> int:
    return max(EPOCH_IMAGES, 2 * batch)

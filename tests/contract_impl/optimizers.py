"""Gradient descent, full-batch, stochastic and minibatch, with tf.GradientTape."""

import itertools
import math
import numbers

import numpy as np
import tensorflow as tf


def _check_common(w0, learning_rate, steps) -> np.ndarray:
    if not isinstance(w0, np.ndarray) or w0.dtype.kind != "f":
        raise TypeError(f"w0 must be a NumPy array of floats, got {getattr(w0, 'dtype', w0)!r}")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real):
        raise TypeError(f"learning_rate must be a number, got {learning_rate!r}")
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be positive and finite, got {learning_rate!r}")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise TypeError(f"steps must be an int, got {steps!r}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    return w0


def _descend(step_loss, w0: np.ndarray, learning_rate: float, steps: int):
    """`steps` updates W ← W - learning_rate · ∂J/∂W, J = step_loss(step, W) a scalar."""
    w = tf.Variable(w0)
    rate = tf.constant(learning_rate, dtype=w.dtype)
    losses = np.empty(steps, dtype=w0.dtype)
    for step in range(steps):
        with tf.GradientTape() as tape:
            loss = step_loss(step, w)
        losses[step] = loss.numpy()
        w.assign_sub(rate * tape.gradient(loss, w))
    return w.numpy(), losses


def gradient_descent(loss_fn, w0, learning_rate, steps):
    """Full-batch gradient descent on the scalar loss `loss_fn(w)`."""
    w0 = _check_common(w0, learning_rate, steps)

    def step_loss(_, w):
        loss = tf.convert_to_tensor(loss_fn(w))
        if loss.shape.rank != 0:
            raise ValueError(f"loss_fn must return a scalar, got shape {tuple(loss.shape)}")
        return loss

    return _descend(step_loss, w0, learning_rate, steps)


def _index_stream(n: int, seed: int):
    """One permutation of range(n) per epoch, from one generator seeded by `seed`."""
    rng = np.random.default_rng(seed)
    return itertools.chain.from_iterable(rng.permutation(n).tolist() for _ in itertools.count())


def minibatch_gradient_descent(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Each step descends the mean loss of the next `batch_size` examples of the stream."""
    w0 = _check_common(w0, learning_rate, steps)
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim < 1 or y.ndim < 1 or len(x) != len(y):
        raise ValueError(f"x has {len(x)} examples but y has {len(y)}: one row per example")
    n = len(x)
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise TypeError(f"batch_size must be an int, got {batch_size!r}")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be from 1 to {n} (the examples), got {batch_size}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int, got {seed!r}")
    stream = _index_stream(n, int(seed))

    def step_loss(_, w):
        indices = list(itertools.islice(stream, batch_size))
        per_example = tf.convert_to_tensor(loss_fn(w, x[indices], y[indices]))
        if per_example.shape.rank != 1 or per_example.shape[0] != batch_size:
            raise ValueError(
                f"loss_fn must give one loss per example: shape ({batch_size},), "
                f"got {tuple(per_example.shape)}"
            )
        return tf.reduce_mean(per_example)

    return _descend(step_loss, w0, learning_rate, steps)


def stochastic_gradient_descent(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Minibatch gradient descent with one example per step."""
    return minibatch_gradient_descent(loss_fn, w0, x, y, learning_rate, steps, 1, seed)

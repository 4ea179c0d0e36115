"""Gradient descent, stochastic and minibatch gradient descent as slides 29-35 give them, in
TensorFlow 2: the weights are a `tf.Variable`, `tf.GradientTape` gives the gradient, and
`Variable.assign` updates the weights (slide 29's code, corrected).

Each returns `(weights, losses)`: the final weights, as a NumPy array of w0's dtype, and the loss
at the start of every step (before its update), [steps].
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import numpy as np
import tensorflow as tf

Result = tuple[np.ndarray, np.ndarray]


def gradient_descent(
    loss_fn: Callable[[tf.Variable], tf.Tensor], w0, learning_rate: float, steps: int
) -> Result:
    """Slides 29 and 33: from `w0`, `steps` times W <- W - learning_rate * dJ/dW, where
    `loss_fn(w)` is J(W), a scalar."""
    w0 = _weights(w0)
    _check_schedule(learning_rate, steps)

    def loss(w, _):
        value = tf.convert_to_tensor(loss_fn(w))
        if value.shape.rank != 0:
            raise ValueError(
                f"loss_fn(w) must be a scalar, the loss J(W); it has shape {value.shape}"
            )
        return value

    return _descend(loss, w0, learning_rate, steps, itertools.repeat(None))


def stochastic_gradient_descent(
    loss_fn: Callable[[tf.Variable, tf.Tensor, tf.Tensor], tf.Tensor],
    w0,
    x,
    y,
    learning_rate: float,
    steps: int,
    seed: int,
) -> Result:
    """Slide 34: each step picks one example i of (x, y) and makes W <- W - learning_rate *
    dJ_i/dW. `loss_fn(w, x_batch, y_batch)` gives each example's loss J_k, [batch]. The examples
    come in the order `example_order(len(x), seed)` gives: minibatch gradient descent with B = 1."""
    return minibatch_gradient_descent(loss_fn, w0, x, y, learning_rate, steps, 1, seed)


def minibatch_gradient_descent(
    loss_fn: Callable[[tf.Variable, tf.Tensor, tf.Tensor], tf.Tensor],
    w0,
    x,
    y,
    learning_rate: float,
    steps: int,
    batch_size: int,
    seed: int,
) -> Result:
    """Slide 35: each step takes the next `batch_size` examples in the order
    `example_order(len(x), seed)` gives and makes W <- W - learning_rate * dJ/dW, where
    J = (1/B) sum_k J_k, so that its gradient is the mean of the B examples' gradients.
    `loss_fn(w, x_batch, y_batch)` gives each example's loss J_k, [batch]."""
    w0 = _weights(w0)
    _check_schedule(learning_rate, steps)
    x, y = tf.convert_to_tensor(x), tf.convert_to_tensor(y)
    n = _count_examples(x, y)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer):
        raise TypeError(f"batch_size must be an integer, not {batch_size!r}")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be between 1 and the {n} examples; it is {batch_size}")
    order = example_order(n, seed)
    batches = (np.fromiter(order, np.int64, batch_size) for _ in itertools.count())

    def loss(w, batch):
        losses = tf.convert_to_tensor(loss_fn(w, tf.gather(x, batch), tf.gather(y, batch)))
        if losses.shape != (batch_size,):
            raise ValueError(
                f"loss_fn(w, x_batch, y_batch) must give one loss per example, shape "
                f"({batch_size},); it gives shape {losses.shape}"
            )
        return tf.reduce_mean(losses)

    return _descend(loss, w0, learning_rate, steps, batches)


def example_order(n: int, seed: int) -> Iterator[int]:
    """The example indices that stochastic and minibatch gradient descent take, one after another:
    every epoch a new permutation of range(n), drawn from `seed`."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be an integer, not {seed!r}")
    rng = np.random.default_rng(seed)
    while True:
        yield from rng.permutation(n).tolist()


def _descend(loss, w0: np.ndarray, learning_rate: float, steps: int, batches) -> Result:
    weights, learning_rate = tf.Variable(w0), float(learning_rate)
    losses = np.empty(steps, w0.dtype)
    for step, batch in zip(range(steps), batches, strict=False):
        with tf.GradientTape() as tape:
            value = loss(weights, batch)
        grads = tape.gradient(value, weights)
        if grads is None:
            raise ValueError("the loss does not depend on the weights: its gradient is None")
        weights.assign(weights - learning_rate * grads)
        losses[step] = value.numpy()
    return weights.numpy(), losses


def _weights(w0) -> np.ndarray:
    w0 = np.asarray(w0)
    if w0.dtype.kind != "f":
        raise TypeError(f"w0 must hold floating-point weights; it has dtype {w0.dtype}")
    return w0


def _check_schedule(learning_rate: float, steps: int) -> None:
    if not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be a positive number; it is {learning_rate!r}")
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer):
        raise TypeError(f"steps must be an integer, not {steps!r}")
    if steps < 0:
        raise ValueError(f"steps must be 0 or more; it is {steps}")


def _count_examples(x: tf.Tensor, y: tf.Tensor) -> int:
    if x.shape.rank == 0 or y.shape.rank == 0:
        raise ValueError(f"x and y must hold one example per row; shapes {x.shape}, {y.shape}")
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x has {x.shape[0]} examples but y has {y.shape[0]}")
    if x.shape[0] == 0:
        raise ValueError("x and y hold no examples")
    return int(x.shape[0])

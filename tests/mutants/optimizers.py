"""Broken twins of impl.optimizers: each descends with one bug."""

from __future__ import annotations

import itertools

import numpy as np
import tensorflow as tf

from impl.optimizers import example_order


def _descend(loss, w0, lr, steps, batches, *, sign=1.0, record_after=False):
    weights = tf.Variable(np.asarray(w0))
    losses = []
    for _, batch in zip(range(steps), batches, strict=False):
        with tf.GradientTape() as tape:
            value = loss(weights, batch)
        weights.assign(weights - sign * lr * tape.gradient(value, weights))
        losses.append(loss(weights, batch).numpy() if record_after else value.numpy())
    return weights.numpy(), np.array(losses)


def _batches(n, batch_size, order):
    return (np.fromiter(order, np.int64, batch_size) for _ in itertools.count())


def _minibatch(loss_fn, w0, x, y, lr, steps, batch_size, order, *, reduce=tf.reduce_mean, sign=1.0):
    x, y = tf.convert_to_tensor(x), tf.convert_to_tensor(y)

    def loss(w, batch):
        return reduce(loss_fn(w, tf.gather(x, batch), tf.gather(y, batch)))

    return _descend(loss, w0, lr, steps, _batches(len(x), batch_size, order), sign=sign)


# --- gradient_descent ----------------------------------------------------------------------------


def gd_sign_error(loss_fn, w0, learning_rate, steps):
    """Climbs: W <- W + eta dJ/dW."""
    return _descend(lambda w, _: loss_fn(w), w0, learning_rate, steps, itertools.repeat(0), sign=-1)


def gd_ignores_learning_rate(loss_fn, w0, learning_rate, steps):
    """Ignores the learning rate: always 0.1."""
    return _descend(lambda w, _: loss_fn(w), w0, 0.1, steps, itertools.repeat(0))


def gd_losses_after_update(loss_fn, w0, learning_rate, steps):
    """Reports the loss after each update instead of at each step's start."""
    loss = lambda w, _: loss_fn(w)  # noqa: E731
    return _descend(loss, w0, learning_rate, steps, itertools.repeat(0), record_after=True)


def gd_one_step_short(loss_fn, w0, learning_rate, steps):
    """Takes one step fewer than asked (and reports its losses)."""
    w, losses = _descend(lambda w, _: loss_fn(w), w0, learning_rate, max(steps - 1, 0), [0] * steps)
    return w, np.concatenate([losses, losses[-1:]])[:steps]


def gd_accepts_bad_arguments(loss_fn, w0, learning_rate, steps):
    """Runs with any learning rate or step count: a negative rate climbs, without a word."""
    return _descend(lambda w, _: loss_fn(w), w0, learning_rate, int(steps), itertools.repeat(0))


# --- stochastic_gradient_descent -----------------------------------------------------------------


def sgd_sign_error(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Climbs: W <- W + eta dJ_i/dW."""
    order = example_order(len(x), seed)
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, 1, order, sign=-1)


def sgd_full_batch(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Steps along the gradient of all the examples, not of one."""
    order = example_order(len(x), seed)
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, len(x), order)


def sgd_ignores_seed(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Picks the examples from an unseeded generator: no run repeats."""
    rng = np.random.default_rng()
    order = iter(lambda: int(rng.integers(len(x))), None)
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, 1, order)


def sgd_fixed_order(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Ignores the seed: always examples 0, 1, 2, ... in turn."""
    order = itertools.cycle(range(len(x)))
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, 1, order)


def sgd_ignores_learning_rate(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Ignores the learning rate: always 0.1."""
    return _minibatch(loss_fn, w0, x, y, 0.1, steps, 1, example_order(len(x), seed))


def sgd_decaying_rate(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Decays the learning rate, eta / (1 + k) at step k: the first step is right, the later ones
    too short (OPTIM.SGD.TRAJECTORY)."""
    x, y = tf.convert_to_tensor(x), tf.convert_to_tensor(y)
    weights, losses = tf.Variable(np.asarray(w0)), []
    for k, i in zip(range(steps), example_order(len(x), seed), strict=False):
        with tf.GradientTape() as tape:
            value = tf.reduce_mean(loss_fn(weights, tf.gather(x, [i]), tf.gather(y, [i])))
        weights.assign(weights - learning_rate / (1 + k) * tape.gradient(value, weights))
        losses.append(value.numpy())
    return weights.numpy(), np.array(losses)


# --- minibatch_gradient_descent ------------------------------------------------------------------


def minibatch_sums_gradients(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Sums the B examples' gradients instead of averaging them."""
    order = example_order(len(x), seed)
    return _minibatch(
        loss_fn, w0, x, y, learning_rate, steps, batch_size, order, reduce=tf.reduce_sum
    )


def minibatch_sign_error(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Climbs: W <- W + eta dJ/dW."""
    order = example_order(len(x), seed)
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, batch_size, order, sign=-1)


def minibatch_ignores_learning_rate(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Ignores the learning rate: always 0.1."""
    return _minibatch(loss_fn, w0, x, y, 0.1, steps, batch_size, example_order(len(x), seed))


def minibatch_ignores_seed(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Shuffles from an unseeded generator: no run repeats."""
    order = example_order(len(x), int(np.random.default_rng().integers(2**32)))
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, batch_size, order)


def minibatch_stale_gradient(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Steps with the previous step's gradient (the first with its own): every step after the
    first moves the wrong way by a little (OPTIM.MINIBATCH.TRAJECTORY)."""
    x, y = tf.convert_to_tensor(x), tf.convert_to_tensor(y)
    weights, losses, previous = tf.Variable(np.asarray(w0)), [], None
    order = example_order(len(x), seed)
    for batch in _batches(len(x), batch_size, order):
        if len(losses) == steps:
            break
        with tf.GradientTape() as tape:
            value = tf.reduce_mean(loss_fn(weights, tf.gather(x, batch), tf.gather(y, batch)))
        gradient = tape.gradient(value, weights)
        weights.assign(weights - learning_rate * (gradient if previous is None else previous))
        previous = gradient
        losses.append(value.numpy())
    return weights.numpy(), np.array(losses)


def minibatch_clips_batch_size(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Silently clips a batch size outside 1..N instead of refusing it."""
    batch_size = min(max(int(batch_size), 1), len(x))
    order = example_order(len(x), seed)
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, batch_size, order)


MUTANTS = {
    "gradient_descent": [
        gd_sign_error,
        gd_ignores_learning_rate,
        gd_losses_after_update,
        gd_one_step_short,
        gd_accepts_bad_arguments,
    ],
    "stochastic_gradient_descent": [
        sgd_sign_error,
        sgd_full_batch,
        sgd_ignores_seed,
        sgd_fixed_order,
        sgd_ignores_learning_rate,
        sgd_decaying_rate,
    ],
    "minibatch_gradient_descent": [
        minibatch_sums_gradients,
        minibatch_sign_error,
        minibatch_ignores_learning_rate,
        minibatch_ignores_seed,
        minibatch_clips_batch_size,
        minibatch_stale_gradient,
    ],
}

"""Broken twins of impl.optimizers: each descends with one bug."""

from __future__ import annotations

import itertools

import numpy as np
import tensorflow as tf

from impl.optimizers import example_order
from mutants import rejected_by


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


@rejected_by("OPTIM.GD.UPDATE_RULE", "OPTIM.GD.LOSS_NEVER_INCREASES")
def gd_sign_error(loss_fn, w0, learning_rate, steps):
    """Climbs: W <- W + eta dJ/dW."""
    return _descend(lambda w, _: loss_fn(w), w0, learning_rate, steps, itertools.repeat(0), sign=-1)


@rejected_by("OPTIM.GD.UPDATE_RULE")
def gd_ignores_learning_rate(loss_fn, w0, learning_rate, steps):
    """Ignores the learning rate: always 0.1."""
    return _descend(lambda w, _: loss_fn(w), w0, 0.1, steps, itertools.repeat(0))


@rejected_by("OPTIM.GD.UPDATE_RULE")
def gd_losses_after_update(loss_fn, w0, learning_rate, steps):
    """Reports the loss after each update instead of at each step's start."""
    loss = lambda w, _: loss_fn(w)  # noqa: E731
    return _descend(loss, w0, learning_rate, steps, itertools.repeat(0), record_after=True)


@rejected_by("OPTIM.GD.UPDATE_RULE")
def gd_one_step_short(loss_fn, w0, learning_rate, steps):
    """Takes one step fewer than asked (and reports its losses)."""
    w, losses = _descend(lambda w, _: loss_fn(w), w0, learning_rate, max(steps - 1, 0), [0] * steps)
    return w, np.concatenate([losses, losses[-1:]])[:steps]


@rejected_by("OPTIM.GD.BAD_ARGUMENTS")
def gd_accepts_bad_arguments(loss_fn, w0, learning_rate, steps):
    """Runs with any learning rate or step count: a negative rate climbs, without a word."""
    return _descend(lambda w, _: loss_fn(w), w0, learning_rate, int(steps), itertools.repeat(0))


# --- stochastic_gradient_descent -----------------------------------------------------------------


@rejected_by("OPTIM.SGD.ONE_EXAMPLE_PER_STEP", "OPTIM.SGD.NEAR_OPTIMUM")
def sgd_sign_error(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Climbs: W <- W + eta dJ_i/dW."""
    order = example_order(len(x), seed)
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, 1, order, sign=-1)


@rejected_by("OPTIM.SGD.ONE_EXAMPLE_PER_STEP")
def sgd_full_batch(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Steps along the gradient of all the examples, not of one."""
    order = example_order(len(x), seed)
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, len(x), order)


@rejected_by("OPTIM.SGD.SEED", "OPTIM.SGD.EPOCH_ORDER")
def sgd_ignores_seed(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Picks the examples from an unseeded generator: no run repeats."""
    rng = np.random.default_rng()
    order = iter(lambda: int(rng.integers(len(x))), None)
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, 1, order)


@rejected_by("OPTIM.SGD.SEED", "OPTIM.SGD.EPOCH_ORDER")
def sgd_fixed_order(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Ignores the seed: always examples 0, 1, 2, ... in turn."""
    order = itertools.cycle(range(len(x)))
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, 1, order)


@rejected_by("OPTIM.SGD.ONE_EXAMPLE_PER_STEP")
def sgd_ignores_learning_rate(loss_fn, w0, x, y, learning_rate, steps, seed):
    """Ignores the learning rate: always 0.1."""
    return _minibatch(loss_fn, w0, x, y, 0.1, steps, 1, example_order(len(x), seed))


@rejected_by("OPTIM.SGD.TRAJECTORY")
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


@rejected_by("OPTIM.MINIBATCH.MEAN_GRADIENT", "OPTIM.MINIBATCH.FULL_BATCH_IS_GD")
def minibatch_sums_gradients(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Sums the B examples' gradients instead of averaging them."""
    order = example_order(len(x), seed)
    return _minibatch(
        loss_fn, w0, x, y, learning_rate, steps, batch_size, order, reduce=tf.reduce_sum
    )


@rejected_by("OPTIM.MINIBATCH.MEAN_GRADIENT", "OPTIM.MINIBATCH.FULL_BATCH_IS_GD")
def minibatch_sign_error(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Climbs: W <- W + eta dJ/dW."""
    order = example_order(len(x), seed)
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, batch_size, order, sign=-1)


@rejected_by("OPTIM.MINIBATCH.MEAN_GRADIENT", "OPTIM.MINIBATCH.FULL_BATCH_IS_GD")
def minibatch_ignores_learning_rate(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Ignores the learning rate: always 0.1."""
    return _minibatch(loss_fn, w0, x, y, 0.1, steps, batch_size, example_order(len(x), seed))


@rejected_by("OPTIM.MINIBATCH.SEED", "OPTIM.MINIBATCH.EPOCH_ORDER")
def minibatch_ignores_seed(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Shuffles from an unseeded generator: no run repeats."""
    order = example_order(len(x), int(np.random.default_rng().integers(2**32)))
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, batch_size, order)


@rejected_by("OPTIM.MINIBATCH.TRAJECTORY")
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


@rejected_by("OPTIM.MINIBATCH.BAD_ARGUMENTS")
def minibatch_clips_batch_size(loss_fn, w0, x, y, learning_rate, steps, batch_size, seed):
    """Silently clips a batch size outside 1..N instead of refusing it."""
    batch_size = min(max(int(batch_size), 1), len(x))
    order = example_order(len(x), seed)
    return _minibatch(loss_fn, w0, x, y, learning_rate, steps, batch_size, order)


# --- shared bugs: OPTIM.MINIBATCH.SINGLE_IS_SGD compares minibatches of one with SGD --------------


@rejected_by("OPTIM.SGD.ONE_EXAMPLE_PER_STEP", "OPTIM.MINIBATCH.MEAN_GRADIENT")
def sgd_and_minibatch_ignore_learning_rate():
    """SGD and minibatch gradient descent both step at 0.1 whatever learning rate they are given:
    batches of one still follow SGD."""
    return sgd_ignores_learning_rate, minibatch_ignores_learning_rate


@rejected_by(
    "OPTIM.SGD.ONE_EXAMPLE_PER_STEP", "OPTIM.SGD.NEAR_OPTIMUM", "OPTIM.MINIBATCH.MEAN_GRADIENT"
)
def sgd_and_minibatch_climb():
    """SGD and minibatch gradient descent both climb, W <- W + eta dJ/dW: batches of one still
    follow SGD."""
    return sgd_sign_error, minibatch_sign_error


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
    ("stochastic_gradient_descent", "minibatch_gradient_descent"): [
        sgd_and_minibatch_ignore_learning_rate,
        sgd_and_minibatch_climb,
    ],
}

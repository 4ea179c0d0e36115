"""Chapter OPTIM: training by gradient descent, slides 20, 24 and 29-35.

The Keras optimizers that slides 20 and 24 compile with, step by step against their published
update formulas; slide 29's TF 1 code, each line an erratum with its TF 2 fix proven; then the
course's three algorithms (impl.optimizers) on least squares, against the closed-form solution and
the closed-form iterates of gradient descent.
"""

import functools
import itertools
import math

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st

from spec import hypothesis_helpers as hh
from spec import keras_helpers as kh
from spec import least_squares as lsq
from spec import oracles
from spec import pytest_helpers as ph
from spec.tolerances import iterated_tolerance, tolerance

# The Keras defaults that the docs of every version give (Adam's epsilon is 1e-7, not the paper's
# 1e-8).
RMSPROP_DEFAULTS = {"learning_rate": 0.001, "rho": 0.9, "epsilon": 1e-7}
ADAM_DEFAULTS = {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}
# The hyper-parameters that the drawn cases choose from.
RMSPROP_CHOICES = {
    "learning_rate": [1e-3, 0.01, 0.1],
    "rho": [0.0, 0.5, 0.9, 0.99],
    "epsilon": [1e-7, 1e-3, 0.1, 1.0],
}
ADAM_CHOICES = {
    "learning_rate": [1e-3, 0.01, 0.1],
    "beta_1": [0.0, 0.5, 0.9],
    "beta_2": [0.9, 0.99, 0.999],
    "epsilon": [1e-7, 1e-3, 0.1, 1.0],
}
# The weights and gradients of the deterministic (legacy optimizer) clauses, which take an epsilon
# of 0.1: large enough that where it sits in the formula changes the step.
W0 = np.array([1.0, -2.0, 0.5], np.float32)
GRADS = [np.array(g, np.float32) for g in ([0.5, -1.0, 0.25], [1.0, 0.75, -0.5], [-0.25, 1.0, 2.0])]


def assert_steps_follow(name: str, optimizer, oracle, params: dict, w0, grads) -> None:
    """One `optimizer.apply_gradients` per gradient from w0 ends where `oracle(w0, grads,
    **params)`, the update formula in NumPy, does."""
    out = kh.apply_gradients(optimizer, w0, grads)
    call = f"{name}.apply_gradients x{len(grads)} (w0={w0.tolist()}, "
    call += f"grads={[g.tolist() for g in grads]})"
    ph.assert_values(call, out, oracle(w0, grads, **params))


def draw_hyperparameters(data, choices: dict) -> dict:
    """One value drawn for each hyper-parameter from its choices."""
    return {
        name: data.draw(st.sampled_from(values), label=name) for name, values in choices.items()
    }


# --- slide 20: compile's default optimizer, RMSprop ------------------------------------------


@pytest.mark.clause("OPTIM.KERAS.RMSPROP_UPDATE")
@pytest.mark.parametrize("hyper", ["compile-default", "drawn"])
@given(wg=hh.weights_and_gradients(), data=st.data())
@hh.examples(6)
def test_rmsprop_steps_follow_formula(hyper, wg, data):
    w0, grads = wg
    if hyper == "compile-default":
        optimizer, params, name = tf.keras.optimizers.get("rmsprop"), RMSPROP_DEFAULTS, "'rmsprop'"
    else:
        params = draw_hyperparameters(data, RMSPROP_CHOICES)
        optimizer, name = tf.keras.optimizers.RMSprop(**params), f"RMSprop(**{params})"
    assert_steps_follow(name, optimizer, oracles.rmsprop_weights, params, w0, grads)


@pytest.mark.clause("OPTIM.KERAS.LEGACY_RMSPROP_UPDATE")
def test_legacy_rmsprop_steps_follow_formula():
    params = {"learning_rate": 0.01, "rho": 0.9, "epsilon": 0.1}
    optimizer = tf.keras.optimizers.legacy.RMSprop(**params)
    name = f"legacy.RMSprop(**{params})"
    assert_steps_follow(name, optimizer, oracles.rmsprop_weights, params, W0, GRADS)


# --- slide 24: compile(optimizer=tf.train.AdamOptimizer(0.001)) ---------------------------------


@pytest.mark.clause("OPTIM.KERAS.SLIDE_ADAM_OPTIMIZER")
def test_slide_tf_train_adam_optimizer_is_gone():
    exc = ph.assert_raises(
        "tf.train.AdamOptimizer(0.001)", lambda: tf.train.AdamOptimizer(0.001), AttributeError
    )
    assert "AdamOptimizer" in str(exc), f"the AttributeError does not name AdamOptimizer: {exc}"


@pytest.mark.clause("OPTIM.KERAS.ADAM_UPDATE")
@pytest.mark.parametrize("hyper", ["slide-fix", "drawn"])
@given(wg=hh.weights_and_gradients(), data=st.data())
@hh.examples(6)
def test_adam_steps_follow_formula(hyper, wg, data):
    w0, grads = wg
    if hyper == "slide-fix":
        optimizer, params, name = tf.keras.optimizers.Adam(0.001), ADAM_DEFAULTS, "Adam(0.001)"
    else:
        params = draw_hyperparameters(data, ADAM_CHOICES)
        optimizer, name = tf.keras.optimizers.Adam(**params), f"Adam(**{params})"
    assert_steps_follow(name, optimizer, oracles.adam_weights, params, w0, grads)


@pytest.mark.clause("OPTIM.KERAS.LEGACY_ADAM_UPDATE")
def test_legacy_adam_steps_follow_formula():
    params = {"learning_rate": 0.01, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 0.1}
    optimizer = tf.keras.optimizers.legacy.Adam(**params)
    assert_steps_follow(
        f"legacy.Adam(**{params})", optimizer, oracles.adam_weights, params, W0, GRADS
    )


# The compile defaults, each with gradients small enough that epsilon dominates the step: Adam
# divides by sqrt(v-hat) + epsilon, sqrt(v-hat) = |g| ~ 1e-7; RMSprop by sqrt(r + epsilon),
# r = (1 - rho) g² ~ 1e-7 for g ~ 1e-3. There 1e-7, 1e-8 and 0 give steps far apart.
DEFAULTS = {
    "rmsprop": (lambda: tf.keras.optimizers.get("rmsprop"), RMSPROP_DEFAULTS, 1e-3),
    "adam": (lambda: tf.keras.optimizers.Adam(0.001), ADAM_DEFAULTS, 1e-7),
}
ORACLES = {"rmsprop": oracles.rmsprop_weights, "adam": oracles.adam_weights}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("rmsprop", marks=pytest.mark.clause("OPTIM.KERAS.RMSPROP_DEFAULTS")),
        pytest.param("adam", marks=pytest.mark.clause("OPTIM.KERAS.ADAM_DEFAULTS")),
    ],
)
def test_default_constants_are_exact(name):
    make, defaults, size = DEFAULTS[name]
    optimizer, oracle = make(), ORACLES[name]
    config = optimizer.get_config()
    for key, value in defaults.items():  # the learning rate is a float32 variable in Keras 3
        got = np.float32(config[key]) if key == "learning_rate" else config[key]
        want = np.float32(value) if key == "learning_rate" else value
        assert got == want, (
            f"{type(optimizer).__name__}.get_config()[{key!r}] = {got!r}, not {want!r}"
        )
    grads = [np.float32(size) * g for g in GRADS]
    expected = oracle(W0, grads, **defaults)
    rtol, atol = tolerance(np.float32)
    # The case tells the documented epsilon from the paper's (1e-8) and from none.
    for other in (1e-8, 0.0):
        alternative = oracle(W0, grads, **{**defaults, "epsilon": other})
        assert not np.allclose(alternative, expected, rtol=rtol, atol=atol), (
            f"{name}: epsilon {other} gives the steps of epsilon 1e-7 on these gradients"
        )
    assert_steps_follow(
        f"{name} with gradients of size {size}", optimizer, oracle, defaults, W0, grads
    )


@pytest.mark.clause("OPTIM.KERAS.COMPAT_V1_ADAM")
def test_compat_v1_adam_takes_an_adam_step_in_compile():
    keras = kh.fresh_keras()
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(
        optimizer=tf.compat.v1.train.AdamOptimizer(0.001), loss="categorical_crossentropy"
    )
    x = np.linspace(-1, 1, 8 * 4, dtype=np.float32).reshape(8, 4)
    labels = np.eye(3, dtype=np.float32)[np.arange(8) % 3]
    before = [w.numpy() for w in model.layers[0].weights]
    model.train_on_batch(x, labels)
    after = [w.numpy() for w in model.layers[0].weights]
    grads = oracles.softmax_regression_gradients(x, labels, *before)
    call = "one train_on_batch of Dense(3, softmax) compiled with tf.compat.v1.train.AdamOptimizer"
    v1_defaults = {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8}
    for name, w0, w1, grad in zip(("kernel", "bias"), before, after, grads, strict=True):
        expected = oracles.adam_weights(w0, [grad], **v1_defaults) - w0
        ph.assert_values(f"{call}: {name} update", w1 - w0, expected, rtol=1e-3, atol=1e-7)


# --- slide 29: the algorithm and its TF 1 code ---------------------------------------------------


@pytest.mark.clause("OPTIM.INIT.SLIDE_RANDOM_NORMAL")
def test_slide_random_normal_is_gone():
    ph.assert_raises(
        "tf.random_normal([3], stddev=0.1)",
        lambda: tf.random_normal([3], stddev=0.1),
        AttributeError,
    )


# A true N(0, s^2) sample fails each bound with probability below 1e-6.
FAILURE_PROBABILITY = 1e-6


@pytest.mark.clause("OPTIM.INIT.NORMAL")
@given(
    stddev=st.floats(0.01, 100),
    shape=st.sampled_from([(20_000,), (100, 200), (20, 25, 40)]),
)
@hh.examples(4)
def test_random_normal_draws_normal_weights(stddev, shape):
    out = tf.random.normal(shape, stddev=stddev)
    call = f"tf.random.normal({shape}, stddev={stddev!r})"
    ph.assert_dtype(call, out.dtype, tf.float32)
    ph.assert_shape(call, out.shape, shape)
    sample = out.numpy().astype(np.float64).ravel()
    n, z = sample.size, 5.0  # a normal variable beyond 5 sigma: probability 5.7e-7
    mean, variance = sample.mean(), sample.var(ddof=1)
    assert abs(mean) <= z * stddev / math.sqrt(n), f"{call}: mean {mean:g}"
    assert abs(variance / stddev**2 - 1) <= z * math.sqrt(2 / (n - 1)), f"{call}: var {variance:g}"
    distance = oracles.kolmogorov_smirnov_distance(sample, lambda v: oracles.normal_cdf(v, stddev))
    bound = math.sqrt(math.log(2 / FAILURE_PROBABILITY) / 2 / n)  # Dvoretzky-Kiefer-Wolfowitz
    assert distance <= bound, f"{call}: Kolmogorov-Smirnov distance {distance:.4g} > {bound:.4g}"


@pytest.mark.clause("OPTIM.GRADIENT.SLIDE_TF_GRADIENTS")
def test_slide_tf_gradients_refuses_eager_tensors():
    weights = tf.random.normal([3])
    losses = tf.reduce_sum(tf.square(weights))
    exc = ph.assert_raises(
        "tf.gradients(losses, weights)", lambda: tf.gradients(losses, weights), RuntimeError
    )
    assert "GradientTape" in str(exc), f"the error does not point to tf.GradientTape: {exc}"


@pytest.mark.clause("OPTIM.GRADIENT.TAPE")
@given(problem=lsq.problems())
@hh.examples(6)
def test_gradient_tape_gives_the_gradient(problem):
    weights = tf.Variable(problem.w0)
    with tf.GradientTape() as tape:
        loss = problem.loss(weights)
    grads = tape.gradient(loss, weights)
    call = f"tape.gradient(J, weights) on {problem}"
    ph.assert_dtype(call, grads.dtype, tf.float64)
    ph.assert_shape(call, grads.shape, problem.w0.shape)
    expected = oracles.least_squares_gradients(problem.x, problem.y, problem.w0).mean(axis=0)
    ph.assert_values(call, grads.numpy(), expected)


@pytest.mark.clause("OPTIM.UPDATE.SLIDE_ASSIGN_ON_TENSOR")
def test_slide_assign_on_a_tensor_fails():
    weights, lr, grads = tf.random.normal([3], stddev=0.1), 0.1, tf.ones([3])
    ph.assert_raises(
        "weights.assign(weights - lr * grads), weights = tf.random.normal(...)",
        lambda: weights.assign(weights - lr * grads),
        AttributeError,
    )


@pytest.mark.clause("OPTIM.UPDATE.VARIABLE_ASSIGN")
@given(wg=hh.weights_and_gradients(max_steps=1), lr=hh.dyadic(0.25, 2))
@hh.examples(6)
def test_variable_assign_updates_the_weights(wg, lr):
    w0, (grads,) = wg
    weights = tf.Variable(w0)
    handle = weights.handle
    weights.assign(weights - lr * grads)
    call = (
        f"weights.assign(weights - {lr} * {grads.tolist()}), weights = tf.Variable({w0.tolist()})"
    )
    assert weights.handle is handle, f"{call} replaced the variable instead of updating it"
    ph.assert_dtype(call, weights.dtype, tf.float32)
    ph.assert_values(call, weights.numpy(), oracles.sgd_weights(w0, [grads], lr), rtol=0, atol=0)


@pytest.mark.clause("OPTIM.KERAS.SGD_UPDATE")
@given(wg=hh.weights_and_gradients(), lr=st.sampled_from([1e-3, 0.01, 0.1, 0.5]))
@hh.examples(6)
def test_keras_sgd_steps_follow_formula(wg, lr):
    w0, grads = wg
    optimizer, params = tf.keras.optimizers.SGD(learning_rate=lr), {"learning_rate": lr}
    assert_steps_follow(
        f"SGD(learning_rate={lr})", optimizer, oracles.sgd_weights, params, w0, grads
    )


# Each optimizer with its step size, the steps it takes and how close to w* it must end, as a
# fraction of its starting distance: SGD converges linearly; Adam and RMSprop, with a constant step,
# approach the optimum to a distance of the order of their learning rate (here they end at 2e-6,
# 5e-3 and 9e-3).
KERAS_CONVERGENCE = {
    "SGD": (lambda: tf.keras.optimizers.SGD(learning_rate=0.2), 50, 1e-4),
    "Adam": (lambda: tf.keras.optimizers.Adam(learning_rate=0.1), 100, 2e-2),
    "RMSprop": (lambda: tf.keras.optimizers.RMSprop(learning_rate=0.02), 100, 5e-2),
}


@pytest.mark.clause("OPTIM.KERAS.CONVERGE")
@pytest.mark.parametrize("name", KERAS_CONVERGENCE)
def test_keras_optimizers_converge_on_least_squares(name):
    make_optimizer, steps, fraction = KERAS_CONVERGENCE[name]
    problem, optimizer = lsq.make(seed=29, n=16, eigenvalues=[1.0, 2.0, 4.0]), make_optimizer()
    x, y = tf.constant(problem.x, tf.float32), tf.constant(problem.y, tf.float32)
    weights = tf.Variable(tf.constant(problem.w0, tf.float32))
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(lsq.per_example_loss(weights, x, y))
        optimizer.apply_gradients([(tape.gradient(loss, weights), weights)])
    distance, start = problem.distance(weights.numpy()), problem.distance(problem.w0)
    assert distance <= fraction * start, (
        f"{name}: {steps} steps on {problem} end {distance:.3g} from the lstsq solution, more "
        f"than {fraction:g} of the start's {start:.3g}"
    )


# --- slide 33: impl.optimizers.gradient_descent ----------------------------------------------


@pytest.mark.clause("OPTIM.GD.UPDATE_RULE")
@given(problem=lsq.problems(), factor=st.floats(0.1, 1.9), steps=st.integers(0, 25))
@hh.examples(8)
def test_gradient_descent_follows_update_rule(impl, problem, factor, steps):
    lr = factor / problem.mu_and_l[1]
    w, losses = impl.optimizers.gradient_descent(problem.loss, problem.w0, lr, steps)
    call = f"gradient_descent(J, w0, {lr:.4g}, {steps}) on {problem}"
    ph.assert_dtype(call, w.dtype, np.float64)
    ph.assert_shape(call, w.shape, problem.w0.shape)
    ph.assert_shape(f"{call} losses", np.shape(losses), (steps,))
    iterates = oracles.gradient_descent_iterates(problem.x, problem.y, problem.w0, lr, steps)
    rtol, atol = iterated_tolerance(np.float64, steps)
    ph.assert_values(call, w, iterates[-1], rtol=rtol, atol=atol)
    expected_losses = [oracles.least_squares_loss(problem.x, problem.y, wk) for wk in iterates[:-1]]
    ph.assert_values(f"{call} losses", losses, expected_losses, rtol=rtol, atol=atol)


@pytest.mark.clause("OPTIM.GD.LINEAR_RATE")
@given(problem=lsq.problems(), factor=st.floats(0.25, 1.0), accuracy=st.sampled_from([1e-2, 1e-3]))
@hh.examples(5)
def test_gradient_descent_converges_at_the_linear_rate(impl, problem, factor, accuracy):
    mu, big_l = problem.mu_and_l
    lr = factor / big_l
    steps = math.ceil(math.log(accuracy) / math.log(1 - lr * mu))
    w, _ = impl.optimizers.gradient_descent(problem.loss, problem.w0, lr, steps)
    distance, start = problem.distance(w), problem.distance(problem.w0)
    rtol, _ = iterated_tolerance(np.float64, steps)
    assert distance <= accuracy * start * (1 + rtol) + rtol, (
        f"gradient_descent(J, w0, {factor:.3g}/L, {steps}) on {problem} ends {distance:.3g} from "
        f"the lstsq solution; (1 - eta mu)^k predicts at most {accuracy:g} x {start:.3g}"
    )


@pytest.mark.clause("OPTIM.GD.LOSS_NEVER_INCREASES")
@given(problem=lsq.problems(), factor=st.floats(0.05, 1.9))
@hh.examples(4)
def test_gradient_descent_loss_never_increases(impl, problem, factor):
    lr = factor / problem.mu_and_l[1]
    _, losses = impl.optimizers.gradient_descent(problem.loss, problem.w0, lr, 30)
    rise = np.diff(losses)
    worst = int(np.argmax(rise))
    assert rise[worst] <= tolerance(np.float64)[0] * abs(losses[worst]), (
        f"gradient_descent(J, w0, {factor:.3g}/L, 30) on {problem}: the loss rises from "
        f"{losses[worst]!r} at step {worst} to {losses[worst + 1]!r}"
    )


@pytest.mark.clause("OPTIM.GD.DIVERGES")
@given(problem=lsq.problems(), factor=st.floats(2.2, 3.0))
@hh.examples(4)
def test_gradient_descent_diverges_beyond_two_over_l(impl, problem, factor):
    big_l = problem.mu_and_l[1]
    top = np.linalg.eigh(problem.x.T @ problem.x / len(problem.x))[1][:, -1]
    w0 = problem.solution + top  # at distance 1 along the direction of curvature L
    growth = factor - 1  # |1 - eta L|: the error's factor along `top` at each step
    steps = math.ceil(math.log(100) / math.log(growth))
    w, losses = impl.optimizers.gradient_descent(problem.loss, w0, factor / big_l, steps)
    call = f"gradient_descent(J, w* + v_L, {factor:.3g}/L, {steps}) on {problem}"
    assert problem.distance(w) >= 0.99 * growth**steps, (
        f"{call} ends {problem.distance(w):.3g} from w*, but |1 - eta L|^k = {growth**steps:.3g}"
    )
    assert np.all(np.diff(losses) > 0), f"{call}: the loss does not rise at every step: {losses}"


GD_BAD_ARGUMENTS = [
    ({"learning_rate": 0.0}, ValueError, "learning_rate"),
    ({"learning_rate": -0.1}, ValueError, "learning_rate"),
    ({"learning_rate": math.nan}, ValueError, "learning_rate"),
    ({"steps": -1}, ValueError, "steps"),
    ({"steps": 2.5}, TypeError, "steps"),
    ({"w0": np.array([1, 2])}, TypeError, "w0"),
    ({"loss_fn": lambda w: w * w}, ValueError, "scalar"),
]


@pytest.mark.clause("OPTIM.GD.BAD_ARGUMENTS")
@pytest.mark.parametrize(("bad", "error", "named"), GD_BAD_ARGUMENTS, ids=lambda v: str(v)[:30])
def test_gradient_descent_rejects_bad_arguments(impl, bad, error, named):
    args = {"loss_fn": lambda w: tf.reduce_sum(w * w), "w0": np.ones(2), "learning_rate": 0.1}
    args = {**args, "steps": 3, **bad}
    call = f"gradient_descent(**{args})"
    exc = ph.assert_raises(call, lambda: impl.optimizers.gradient_descent(**args), error)
    assert named in str(exc), f"{call}: the message does not name {named!r}: {exc}"


# --- slide 34: impl.optimizers.stochastic_gradient_descent ----------------------------------


def sgd(impl, problem, lr, steps, seed, w0=None):
    """impl's SGD on `problem`'s examples, with the per-example least-squares loss."""
    w0 = problem.w0 if w0 is None else w0
    return impl.optimizers.stochastic_gradient_descent(
        lsq.per_example_loss, w0, problem.x, problem.y, lr, steps, seed
    )


def minibatch(impl, problem, lr, steps, batch_size, seed):
    """impl's minibatch gradient descent on `problem`'s examples."""
    return impl.optimizers.minibatch_gradient_descent(
        lsq.per_example_loss, problem.w0, problem.x, problem.y, lr, steps, batch_size, seed
    )


@pytest.mark.clause("OPTIM.SGD.ONE_EXAMPLE_PER_STEP")
@given(problem=lsq.problems(), factor=st.floats(0.1, 1.0), seed=st.integers(0, 2**32 - 1))
@hh.examples(8)
def test_sgd_step_follows_one_example(impl, problem, factor, seed):
    lr = factor / problem.mu_and_l[1]
    w, losses = sgd(impl, problem, lr, 1, seed)
    call = f"stochastic_gradient_descent(J_k, w0, x, y, {lr:.4g}, 1, {seed}) on {problem}"
    ph.assert_dtype(call, w.dtype, np.float64)
    ph.assert_shape(call, w.shape, problem.w0.shape)
    candidates = problem.w0 - lr * oracles.least_squares_gradients(problem.x, problem.y, problem.w0)
    rtol, atol = tolerance(np.float64)
    i = ph.assert_one_of(f"{call}: w1", w, candidates, rtol=rtol, atol=atol)
    example_loss = oracles.least_squares_loss(
        problem.x[i : i + 1], problem.y[i : i + 1], problem.w0
    )
    ph.assert_values(f"{call}: loss of example {i}", losses, [example_loss])


@pytest.mark.clause("OPTIM.SGD.NEAR_OPTIMUM")
@given(problem=lsq.problems(n=(4, 8), noise=0.3), seed=st.integers(0, 2**32 - 1))
@hh.examples(2)
def test_sgd_gets_near_the_optimum(impl, problem, seed):
    n = len(problem.x)
    lr = 0.1 / max(np.sum(problem.x**2, axis=1))  # a tenth of the largest J_i's smoothness
    w, _ = sgd(impl, problem, lr, 30 * n, seed)
    loss = functools.partial(oracles.least_squares_loss, problem.x, problem.y)
    gap, start = loss(w) - loss(problem.solution), loss(problem.w0) - loss(problem.solution)
    assert gap <= 0.1 * start + 0.01, (
        f"stochastic_gradient_descent, 30 epochs at {lr:.3g} on {problem}: J(w) - J(w*) = "
        f"{gap:.3g}, more than 0.1 x {start:.3g} + 0.01"
    )


def assert_seeded(call: str, run) -> None:
    """run(seed) gives the same weights and losses for one seed, and others for another."""
    (w_a, losses_a), (w_b, losses_b), (_, losses_c) = run(7), run(7), run(8)
    assert np.array_equal(w_a, w_b), f"{call}: seed 7 gives {w_a.tolist()}, then {w_b.tolist()}"
    assert np.array_equal(losses_a, losses_b), f"{call}: seed 7 gives two loss sequences"
    assert not np.array_equal(losses_a, losses_c), (
        f"{call}: seeds 7 and 8 give the same losses {losses_a.tolist()}: the seed is ignored"
    )


@pytest.mark.clause("OPTIM.SGD.SEED")
def test_sgd_is_repeatable_with_a_seed(impl):
    problem = lsq.make(seed=34, n=12, eigenvalues=[1.0, 3.0])
    assert_seeded(
        "stochastic_gradient_descent(J_k, w0, x, y, 0.1, 24, seed)",
        lambda seed: sgd(impl, problem, 0.1, 24, seed),
    )


# --- slide 35: impl.optimizers.minibatch_gradient_descent --------------------------------------


@pytest.mark.clause("OPTIM.MINIBATCH.MEAN_GRADIENT")
@given(
    problem=lsq.problems(n=(3, 7)),
    factor=st.floats(0.1, 1.0),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
@hh.examples(8)
def test_minibatch_step_follows_mean_gradient(impl, problem, factor, seed, data):
    n = len(problem.x)
    batch_size = data.draw(st.integers(2, n), label="batch_size")
    lr = factor / problem.mu_and_l[1]
    w, losses = minibatch(impl, problem, lr, 1, batch_size, seed)
    call = f"minibatch_gradient_descent(J_k, w0, x, y, {lr:.4g}, 1, {batch_size}, {seed})"
    ph.assert_dtype(call, w.dtype, np.float64)
    ph.assert_shape(call, w.shape, problem.w0.shape)
    grads = oracles.least_squares_gradients(problem.x, problem.y, problem.w0)
    batches = [list(b) for b in itertools.combinations(range(n), batch_size)]
    candidates = [problem.w0 - lr * grads[b].mean(axis=0) for b in batches]
    rtol, atol = tolerance(np.float64)
    batch = batches[
        ph.assert_one_of(f"{call} on {problem}: w1", w, candidates, rtol=rtol, atol=atol)
    ]
    expected = oracles.least_squares_loss(problem.x[batch], problem.y[batch], problem.w0)
    ph.assert_values(f"{call}: loss of batch {batch}", losses, [expected])


@pytest.mark.clause("OPTIM.MINIBATCH.FULL_BATCH_IS_GD")
@given(problem=lsq.problems(), factor=st.floats(0.1, 1.9), seed=st.integers(0, 2**32 - 1))
@hh.examples(4)
def test_full_batch_is_gradient_descent(impl, problem, factor, seed):
    n, steps = len(problem.x), 12
    lr = factor / problem.mu_and_l[1]
    w, losses = minibatch(impl, problem, lr, steps, n, seed)
    call = f"minibatch_gradient_descent(J_k, w0, x, y, {lr:.4g}, {steps}, B=N={n}, {seed})"
    iterates = oracles.gradient_descent_iterates(problem.x, problem.y, problem.w0, lr, steps)
    rtol, atol = iterated_tolerance(np.float64, steps)
    ph.assert_values(call, w, iterates[-1], rtol=rtol, atol=atol)
    expected_losses = [oracles.least_squares_loss(problem.x, problem.y, wk) for wk in iterates[:-1]]
    ph.assert_values(f"{call} losses", losses, expected_losses, rtol=rtol, atol=atol)


@pytest.mark.clause("OPTIM.MINIBATCH.SINGLE_IS_SGD")
@given(problem=lsq.problems(), factor=st.floats(0.1, 1.0), seed=st.integers(0, 2**32 - 1))
@hh.examples(4)
def test_single_example_batches_are_sgd(impl, problem, factor, seed):
    steps, lr = 2 * len(problem.x), factor / problem.mu_and_l[1]
    w, losses = minibatch(impl, problem, lr, steps, 1, seed)
    w_sgd, losses_sgd = sgd(impl, problem, lr, steps, seed)
    call = f"minibatch_gradient_descent(..., {lr:.4g}, {steps}, B=1, {seed}) on {problem}"
    rtol, atol = iterated_tolerance(np.float64, steps)
    ph.assert_values(f"{call} vs stochastic_gradient_descent", w, w_sgd, rtol=rtol, atol=atol)
    ph.assert_values(f"{call} losses", losses, losses_sgd, rtol=rtol, atol=atol)


@pytest.mark.clause("OPTIM.MINIBATCH.SEED")
def test_minibatch_is_repeatable_with_a_seed(impl):
    problem = lsq.make(seed=35, n=12, eigenvalues=[1.0, 3.0])
    assert_seeded(
        "minibatch_gradient_descent(J_k, w0, x, y, 0.1, 12, 4, seed)",
        lambda seed: minibatch(impl, problem, 0.1, 12, 4, seed),
    )


MINIBATCH_BAD_ARGUMENTS = [
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"batch_size": 13}, ValueError, "batch_size"),
    ({"batch_size": 2.0}, TypeError, "batch_size"),
    ({"seed": "seven"}, TypeError, "seed"),
    ({"y": np.zeros(11)}, ValueError, "examples"),
    ({"loss_fn": lambda w, x, y: tf.reduce_mean(lsq.per_example_loss(w, x, y))}, ValueError, "one"),
]


@pytest.mark.parametrize(
    "single",
    [
        pytest.param(True, marks=pytest.mark.clause("OPTIM.SGD.TRAJECTORY"), id="sgd"),
        pytest.param(False, marks=pytest.mark.clause("OPTIM.MINIBATCH.TRAJECTORY"), id="minibatch"),
    ],
)
@given(
    problem=lsq.problems(n=(3, 8)),
    factor=st.floats(0.1, 1.0),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
@hh.examples(6)
def test_steps_follow_the_numpy_trajectory(impl, single, problem, factor, seed, data):
    n = len(problem.x)
    batch_size = 1 if single else data.draw(st.integers(2, n), label="batch_size")
    steps = data.draw(st.integers(2, 3 * n), label="steps")  # epochs, and batches across their ends
    lr = factor / max(np.sum(problem.x**2, axis=1))  # below every J_k's smoothness: no blow-up
    if single:
        w, losses = sgd(impl, problem, lr, steps, seed)
    else:
        w, losses = minibatch(impl, problem, lr, steps, batch_size, seed)
    name = "stochastic" if single else "minibatch"
    call = f"{name}_gradient_descent(J_k, w0, x, y, {lr:.4g}, {steps}, B={batch_size}, {seed})"
    call += f" on {problem}"
    weights, expected_losses = oracles.minibatch_iterates(
        problem.x, problem.y, problem.w0, lr, steps, batch_size, seed
    )
    rtol, atol = iterated_tolerance(np.float64, steps)
    ph.assert_values(call, w, weights[-1], rtol=rtol, atol=atol)
    ph.assert_values(f"{call} losses", losses, expected_losses, rtol=rtol, atol=atol)


# --- the order of examples across epochs (spec/CONTRACT.md#order-of-examples) --------------------


def visited_rows(impl, n: int, steps: int, batch_size: int, seed: int) -> list[list[int]]:
    """The rows each step's loss_fn saw: the examples carry their row number as their feature."""
    x, seen = np.arange(n, dtype=np.float64)[:, None], []

    def loss_fn(w, x_batch, y_batch):
        seen.append([int(v) for v in np.asarray(x_batch)[:, 0]])
        return lsq.per_example_loss(w, x_batch, y_batch)

    w0, y = np.zeros(1), np.zeros(n)
    if batch_size == 1:
        impl.optimizers.stochastic_gradient_descent(loss_fn, w0, x, y, 1e-3, steps, seed)
    else:
        impl.optimizers.minibatch_gradient_descent(loss_fn, w0, x, y, 1e-3, steps, batch_size, seed)
    return seen


@pytest.mark.parametrize(
    "single",
    [
        pytest.param(True, marks=pytest.mark.clause("OPTIM.SGD.EPOCH_ORDER"), id="sgd"),
        pytest.param(
            False, marks=pytest.mark.clause("OPTIM.MINIBATCH.EPOCH_ORDER"), id="minibatch"
        ),
    ],
)
@given(n=st.integers(2, 7), data=st.data(), seed=st.integers(0, 2**32 - 1))
@hh.examples(10)
def test_each_epoch_visits_every_example_once_in_the_contract_order(impl, single, n, data, seed):
    batch_size = 1 if single else data.draw(st.integers(2, n), label="batch_size")
    steps = math.ceil(3 * n / batch_size)
    seen = visited_rows(impl, n, steps, batch_size, seed)
    name = "stochastic" if single else "minibatch"
    call = f"{name}_gradient_descent(n={n}, B={batch_size}, steps={steps}, seed={seed})"
    assert len(seen) == steps, f"{call} called loss_fn {len(seen)} times, once per step expected"
    stream = [i for batch in seen for i in batch]
    for epoch in range(len(stream) // n):
        rows = stream[epoch * n : (epoch + 1) * n]
        assert sorted(rows) == list(range(n)), (
            f"{call}: epoch {epoch} visits rows {rows}, not every example exactly once"
        )
    expected = oracles.example_order(n, seed, len(stream))
    assert stream == expected, (
        f"{call} visits rows {stream}, but the contract's order (a permutation of range(n) from "
        f"numpy.random.default_rng(seed) per epoch, batches taken one after another across "
        f"epochs) is {expected}: spec/CONTRACT.md#order-of-examples"
    )


@pytest.mark.clause("OPTIM.MINIBATCH.BAD_ARGUMENTS")
@pytest.mark.parametrize(
    ("bad", "error", "named"), MINIBATCH_BAD_ARGUMENTS, ids=lambda v: str(v)[:30]
)
def test_minibatch_rejects_bad_arguments(impl, bad, error, named):
    problem = lsq.make(seed=35, n=12, eigenvalues=[1.0, 3.0])
    args = {"loss_fn": lsq.per_example_loss, "w0": problem.w0, "x": problem.x, "y": problem.y}
    args = {**args, "learning_rate": 0.1, "steps": 3, "batch_size": 4, "seed": 7, **bad}
    call = f"minibatch_gradient_descent(<{', '.join(f'{k}={v!r}' for k, v in bad.items())}>)"
    exc = ph.assert_raises(call, lambda: impl.optimizers.minibatch_gradient_descent(**args), error)
    assert named in str(exc), f"{call}: the message does not name {named!r}: {exc}"

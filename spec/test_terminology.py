"""Chapter TERMS: the course's terminology, slides 43-46.

Each definition that states something checkable, against NumPy on the layer's own weights: the
batch dimension comes first and image layers read [batch, height, width, channels]; a dense layer
connects every input to every neuron; the learning rate scales the gradient of one update; logits
are a layer's outputs before its activation; a neuron is an activation of a weighted sum plus a
bias; one-hot encoding (TensorFlow counts classes from 0, the slide's "3rd one" from 1: an
erratum); relu, sigmoid, softmax; tensor ranks. Where softmax "increases the difference between
the largest component and all others" is decided exactly: never as a difference, and as a ratio
exactly when the components are large enough.
"""

import math

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import hypothesis_helpers as hh
from spec import oracles
from spec import pytest_helpers as ph
from spec.keras_helpers import fresh_keras, linear_model
from spec.tolerances import iterated_tolerance, roundings, tolerance

ACTIVATIONS = ["relu", "sigmoid", "tanh", "linear"]


def dense(units: int, inputs: int, **kwargs):
    """A built `Dense(units, **kwargs)` on `inputs` features, with random (seeded) weights and a
    random bias, so that no check passes by a zero bias."""
    keras = fresh_keras()
    layer = keras.layers.Dense(units, bias_initializer="random_normal", **kwargs)
    layer.build((None, inputs))
    return layer


@pytest.fixture(scope="module")
def layers():
    """The layers the drawn examples go through, built once: Dense(3, relu) on 5 features,
    Dense(10, softmax) on 6 and a Dense(10) with its weights, Dense(1, g) on 4 for each g."""
    with_softmax = dense(10, 6, activation="softmax")
    logits = dense(10, 6)
    logits.set_weights(with_softmax.get_weights())
    return {
        "relu": dense(3, 5, activation="relu"),
        "softmax": with_softmax,
        "logits": logits,
        **{f"neuron {g}": dense(1, 4, activation=g) for g in ACTIVATIONS},
    }


def vectors(min_size: int = 2, max_size: int = 10, bound: float = 20.0):
    return hnp.arrays(
        np.float64, st.integers(min_size, max_size), elements=hh.reals(tf.float64, bound)
    )


# --- slide 43: batches, images, dense layers ------------------------------------------------------


@pytest.mark.clause("TERMS.BATCH.FIRST_DIMENSION")
@given(
    x=hnp.arrays(np.float32, st.tuples(st.integers(1, 8), st.just(5)), elements=hh.dyadic(-4, 4))
)
@hh.examples(10)
def test_batch_is_the_first_dimension(layers, x):
    layer = layers["relu"]
    kernel, bias = layer.get_weights()
    out = layer(x).numpy()
    call = f"Dense(3)(<float32 {x.shape}>)"
    ph.assert_shape(call, out.shape, (len(x), 3))
    ph.assert_values(call, out, oracles.dense_forward(x, [(kernel, bias, "relu")]))
    for i in range(len(x)):
        ph.assert_values(f"{call}[{i}] against the row alone", out[i], layer(x[i : i + 1])[0])


@pytest.mark.clause("TERMS.BATCH.IMAGES")
def test_image_batch_is_batch_height_width_channels():
    keras = fresh_keras()
    assert keras.backend.image_data_format() == "channels_last", (
        f"keras.backend.image_data_format() is {keras.backend.image_data_format()!r}"
    )
    conv = keras.layers.Conv2D(8, 3, padding="same")
    conv.build((100, 192, 192, 3))
    shape = tuple(conv.compute_output_shape((100, 192, 192, 3)))
    ph.assert_shape("Conv2D(8, 3, padding='same') of [100, 192, 192, 3]", shape, (100, 192, 192, 8))
    ph.assert_shape("its kernel (height, width, RGB, filters)", conv.kernel.shape, (3, 3, 3, 8))
    images = np.random.default_rng(0).uniform(-1, 1, (2, 6, 6, 3)).astype(np.float32)
    valid = keras.layers.Conv2D(4, 3, bias_initializer="random_normal")
    out = valid(images).numpy()
    kernel, bias = valid.get_weights()
    ph.assert_values(
        "Conv2D(4, 3) of 2 RGB images 6x6",
        out,
        oracles.conv2d(images, kernel, bias, 1),
        rtol=iterated_tolerance(tf.float32, 27)[0],
        atol=iterated_tolerance(tf.float32, 27)[1],
    )


@pytest.mark.clause("TERMS.DENSE.FULLY_CONNECTED")
def test_each_neuron_reads_every_input():
    layer = dense(4, 6)
    kernel, _ = layer.get_weights()
    x = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(2, 6))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
    jacobian = tape.batch_jacobian(y, x).numpy()
    for row in jacobian:
        ph.assert_values("d Dense(4)(x) / dx", row, kernel.T)
    assert np.all(kernel != 0), "a zero weight in the drawn kernel: connection not shown"


# --- slide 44: the learning rate ------------------------------------------------------------------


@pytest.mark.clause("TERMS.LEARNING_RATE.FRACTION")
@pytest.mark.parametrize("learning_rate", [0.5, 0.1, 0.01])
def test_learning_rate_scales_the_update(learning_rate):
    x = np.array([[1.0], [2.0], [-1.0], [0.5]], np.float32)
    y = np.array([[2.0], [1.0], [0.0], [3.0]], np.float32)
    model = linear_model(0.5, -0.25, learning_rate=learning_rate, loss="mse")
    model.train_on_batch(x, y)
    kernel, bias = model.get_weights()
    want_kernel, want_bias = oracles.sgd_linear_regression(
        x, y, [[0.5]], [-0.25], learning_rate=learning_rate, batch_size=len(x), epochs=1
    )
    call = f"one SGD(learning_rate={learning_rate}) step on the mean squared error"
    ph.assert_values(f"{call}: kernel", kernel, want_kernel)
    ph.assert_values(f"{call}: bias", bias, want_bias)


# --- slide 45: logits, neurons, one-hot -----------------------------------------------------------


@pytest.mark.clause("TERMS.LOGITS.BEFORE_ACTIVATION")
@given(x=hnp.arrays(np.float32, (4, 6), elements=hh.dyadic(-4, 4)))
@hh.examples(10)
def test_logits_are_outputs_before_activation(layers, x):
    keras = tf.keras
    with_softmax, logits_layer = layers["softmax"], layers["logits"]
    kernel, bias = with_softmax.get_weights()
    logits = logits_layer(x).numpy()
    ph.assert_values(
        "Dense(10)(x), the logits", logits, oracles.dense_forward(x, [(kernel, bias, "linear")])
    )
    probabilities = with_softmax(x).numpy()
    ph.assert_values(
        "Dense(10, activation='softmax')(x) against softmax of the logits",
        probabilities,
        keras.layers.Activation("softmax")(logits).numpy(),
    )
    ph.assert_values("Dense(10, activation='softmax')(x)", probabilities, oracles.softmax(logits))


@pytest.mark.clause("TERMS.NEURON.WEIGHTED_SUM")
@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(x=hnp.arrays(np.float32, (3, 4), elements=hh.dyadic(-4, 4)))
@hh.examples(5)
def test_neuron_is_activation_of_weighted_sum_plus_bias(layers, activation, x):
    layer = layers[f"neuron {activation}"]
    kernel, bias = layer.get_weights()
    out = layer(x).numpy()[:, 0]
    expected = oracles.perceptron_output(x, kernel[:, 0], bias[0], activation)
    ph.assert_values(f"Dense(1, activation={activation!r})(x)", out, expected)


SLIDE_ONE_HOT = [0, 0, 1, 0, 0]  # "class 3 out of 5 ... all zeros except the 3rd one which is 1"


@pytest.mark.clause("TERMS.ONE_HOT.SLIDE_COUNTING")
def test_class_3_of_5_is_the_4th_element():
    keras = fresh_keras()
    for call, out in (
        ("tf.one_hot(3, 5)", tf.one_hot(3, 5).numpy()),
        ("to_categorical(3, 5)", keras.utils.to_categorical(3, 5)),
    ):
        ph.assert_values(call, np.ravel(out), [0, 0, 0, 1, 0])
        assert np.ravel(out).tolist() != SLIDE_ONE_HOT, f"{call} is the slide's vector"


@pytest.mark.clause("TERMS.ONE_HOT.ZERO_BASED")
@given(data=st.data(), classes=st.integers(1, 20))
@hh.examples(20)
def test_one_hot_counts_classes_from_zero(data, classes):
    keras = tf.keras
    labels = data.draw(
        hnp.arrays(np.int64, st.integers(1, 6), elements=st.integers(0, classes - 1))
    )
    expected = np.eye(classes)[labels]
    ph.assert_values(
        f"tf.one_hot({labels.tolist()}, {classes})", tf.one_hot(labels, classes), expected
    )
    ph.assert_values(
        f"to_categorical({labels.tolist()}, {classes})",
        keras.utils.to_categorical(labels, classes),
        expected,
    )
    ph.assert_values(
        f"tf.one_hot({classes}, {classes}), out of range", tf.one_hot(classes, classes), 0
    )
    ph.assert_values(
        "tf.one_hot(3 - 1, 5), the slide's class 3 counted from 1", tf.one_hot(2, 5), SLIDE_ONE_HOT
    )


# --- slide 46: relu, sigmoid, softmax, tensors ----------------------------------------------------


@pytest.mark.clause("TERMS.ACTIVATION.RELU")
@given(x=hh.real_arrays(tf.float32, hh.shapes(max_dims=3), 2.0**100))
@hh.examples(20)
def test_relu_is_max_of_zero(x):
    expected = np.maximum(x, np.zeros_like(x))  # float32 also for 0-d arrays on NumPy 1
    ph.assert_identical(f"tf.nn.relu({ph.describe(x)})", tf.nn.relu(x).numpy(), expected)
    ph.assert_identical(
        f"keras relu({ph.describe(x)})", tf.keras.activations.relu(x).numpy(), expected
    )


@pytest.mark.clause("TERMS.ACTIVATION.SIGMOID")
@given(x=hh.real_arrays(tf.float32, hh.shapes(max_dims=3), 200))
@hh.examples(20)
def test_sigmoid_is_the_logistic_function(x):
    expected = oracles.sigmoid(x)
    rtol, atol = iterated_tolerance(tf.float32, 4)
    for call, out in (
        (f"tf.sigmoid({ph.describe(x)})", tf.sigmoid(x)),
        (f"keras sigmoid({ph.describe(x)})", tf.keras.activations.sigmoid(x)),
    ):
        ph.assert_dtype(call, out.dtype, tf.float32)
        ph.assert_values(call, np.asarray(out), expected, rtol=rtol, atol=atol)


@pytest.mark.clause("TERMS.SOFTMAX.NORMALISES")
@given(z=hnp.arrays(np.float32, st.integers(1, 10), elements=hh.reals(tf.float32, 50)))
@hh.examples(25)
def test_softmax_gives_probabilities(z):
    p = tf.nn.softmax(z).numpy()
    call = f"tf.nn.softmax({z.tolist()})"
    rtol, atol = iterated_tolerance(tf.float32, len(z))
    ph.assert_values(call, p, oracles.softmax(z), rtol=rtol, atol=atol)
    assert np.all(p >= 0), f"{call} = {p.tolist()} has a negative component"
    ph.assert_values(f"sum({call})", p.sum(dtype=np.float64), 1.0, rtol=rtol, atol=atol)
    assert np.argmax(p) == np.argmax(z), f"{call}: the largest component moved"


def softmax64(z: np.ndarray) -> np.ndarray:
    """TensorFlow's softmax in float64, so that what is checked is the function, not rounding."""
    return tf.nn.softmax(tf.constant(z, tf.float64)).numpy()


@pytest.mark.clause("TERMS.SOFTMAX.DIFFERENCE_SHRINKS")
@given(z=vectors(), scale=st.sampled_from([1e-3, 0.1, 1.0, 10.0, 1e3]))
@hh.examples(30)
def test_softmax_shrinks_every_difference(z, scale):
    z = z * scale
    top = int(np.argmax(z))
    p = softmax64(z)
    rtol, atol = tolerance(tf.float64)[0], roundings(tf.float64, 4)  # p_max, p_j: at most 1
    for j in np.flatnonzero(z < z[top]):
        gap = z[top] - z[j]
        bound = -math.expm1(-gap)  # p_max - p_j = p_max (1 - e^-gap) <= 1 - e^-gap < gap
        out = p[top] - p[j]
        call = f"softmax({z.tolist()}): p_max - p_{j} = {out!r}"
        assert out <= bound * (1 + rtol) + atol, f"{call} > 1 - e^-{gap!r} = {bound!r}"
        assert out <= gap * (1 + rtol) + atol, f"{call} > z_max - z_{j} = {gap!r}: it increased"


def log_mean_above_one(a: float, b: float) -> float:
    """(a - ln a) - (b - ln b) for a > b > 0: positive exactly when e^(a - b) > a / b, i.e. when
    the logarithmic mean (a - b) / (ln a - ln b) of a and b exceeds 1."""
    return (a - math.log(a)) - (b - math.log(b))


@pytest.mark.clause("TERMS.SOFTMAX.RATIO_CONDITION")
@given(
    region=st.sampled_from(["at least 1", "below 1", "mixed"]),
    data=st.data(),
)
@hh.examples(40)
def test_softmax_increases_ratios_exactly_when_large(region, data):
    low, high = {"at least 1": (1.0, 30.0), "below 1": (1e-3, 1.0), "mixed": (1e-3, 30.0)}[region]
    z = data.draw(
        hnp.arrays(np.float64, st.integers(2, 8), elements=st.floats(low, high, exclude_max=True)),
        label="z",
    )
    top = int(np.argmax(z))
    p = softmax64(z)
    for j in np.flatnonzero(z < z[top]):
        margin = log_mean_above_one(z[top], z[j])
        assume(abs(margin) > 1e-9)
        before, after = z[top] / z[j], p[top] / p[j]
        call = f"softmax({z.tolist()}): p_max / p_{j} = {after!r}, z_max / z_{j} = {before!r}"
        ph.assert_values(f"{call}: the ratio", after, math.exp(z[top] - z[j]))
        if region == "at least 1":
            assert margin > 0, f"{call}: the condition fails on components >= 1"
        if region == "below 1":
            assert margin < 0, f"{call}: the condition holds on components < 1"
        assert (after > before) == (margin > 0), (
            f"{call}: increased={after > before}, but the condition (a - ln a > b - ln b) "
            f"says {margin > 0}"
        )


@pytest.mark.clause("TERMS.TENSOR.RANKS")
@given(
    x=hnp.arrays(
        np.float32,
        hh.shapes(min_dims=1, max_dims=7, min_side=1, max_side=3),
        elements=hh.dyadic(-4, 4),
    )
)
@hh.examples(25)
def test_tensor_has_any_number_of_dimensions(x):
    t = tf.constant(x)
    call = f"tf.constant(<float32 {x.shape}>)"
    assert int(tf.rank(t)) == x.ndim, f"tf.rank({call}) = {int(tf.rank(t))}, not {x.ndim}"
    ph.assert_shape(call, t.shape, x.shape)
    for axis in range(x.ndim):
        ph.assert_values(
            f"tf.reduce_sum({call}, axis={axis})", tf.reduce_sum(t, axis).numpy(), x.sum(axis)
        )
    if x.ndim == 2:
        v = np.ones(x.shape[1], np.float32)
        ph.assert_values(f"tf.linalg.matvec({call}, ones)", tf.linalg.matvec(t, v).numpy(), x @ v)

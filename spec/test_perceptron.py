"""Chapter PERCEPTRON: the perceptron's output ŷ = g(w0 + Xᵀ W), slides 14-16.

The implementation's `perceptron.output` against NumPy: the weighted sum of slide 14, the worked
example of slides 15-16 and its decision boundary, the properties of the affine pre-activation and
the sigmoid, a Keras Dense layer with the same weights; then dtypes, shapes, graphs and bad input.
"""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import graph_helpers as gh
from spec import hypothesis_helpers as hh
from spec import oracles
from spec import pytest_helpers as ph
from spec.keras_helpers import fresh_keras

InvalidArgumentError = tf.errors.InvalidArgumentError
W0, W = 1.0, [3.0, -2.0]  # slides 15-16: w0 = 1, W = [3, -2]
FLOATS = (tf.float32, tf.float64)
ALL_FLOATS = hh.FLOAT_DTYPES  # float16, bfloat16, float32, float64
FEATURES = st.integers(1, 5)


@st.composite
def perceptrons(draw, dtype, bound=10.0, features=FEATURES):
    """(x, w, w0): a batch of 1 to 4 examples of m features, weights and a bias, of `dtype`."""
    m, n = draw(features), draw(st.integers(1, 4))
    x = draw(hh.real_arrays(dtype, (n, m), bound), label="x")
    w = draw(hh.real_arrays(dtype, (m,), bound), label="w")
    w0 = draw(hh.real_arrays(dtype, (), bound), label="w0")
    return x, w, w0


def assert_output(call, out, expected, dtype, shape, **tolerance):
    ph.assert_dtype(call, out.dtype, dtype)
    ph.assert_shape(call, out.shape, shape)
    ph.assert_values(call, ph.numpy(out), expected, **tolerance)


# --- slides 14-16: the output -----------------------------------------------------------------


@pytest.mark.clause("PERCEPTRON.OUTPUT.WEIGHTED_SUM")
@given(data=st.data())
@hh.examples(25)
def test_output_is_g_of_the_weighted_sum(impl, data):
    x, w, _ = data.draw(perceptrons(tf.float64))
    out = impl.perceptron.output(x, w, 0.0)
    expected = oracles.perceptron_output(x, w, 0.0)
    assert_output(ph.call("output", x, w, 0.0), out, expected, tf.float64, x.shape[:1])


@pytest.mark.clause("PERCEPTRON.OUTPUT.SLIDE_EXAMPLE")
@pytest.mark.parametrize("dtype", ALL_FLOATS, ids=str)
@given(data=st.data())
@hh.examples(15)
def test_output_of_slide_example(impl, dtype, data):
    x = data.draw(hh.real_arrays(dtype, (data.draw(st.integers(1, 4)), 2), 10.0), label="x")
    out = impl.perceptron.output(*hh.typed(x, np.array(W, x.dtype), np.array(W0, x.dtype)))
    # g(1 + 3 x1 - 2 x2), with g the sigmoid
    expected = oracles.sigmoid(1 + 3 * x[:, 0].astype(float) - 2 * x[:, 1].astype(float))
    assert_output(ph.call("output", x, W, W0), out, expected, dtype, x.shape[:1])


# How far x1 goes, in quarters, for x2 = (1 + 3 x1) / 2 to be exact in each dtype: bfloat16 keeps
# 8 significant bits, so x2 (a multiple of 1/8) up to 16.
BOUNDARY = {tf.float16: 64, tf.bfloat16: 5, tf.float32: 64, tf.float64: 64}


@pytest.mark.clause("PERCEPTRON.OUTPUT.DECISION_BOUNDARY")
@pytest.mark.parametrize("dtype", ALL_FLOATS, ids=str)
@given(data=st.data())
@hh.examples(10)
def test_points_on_the_line_give_one_half(impl, dtype, data):
    # 1 + 3 x1 - 2 x2 = 0 for x2 = (1 + 3 x1) / 2: exact for these x1, so sigmoid(0) = 0.5 exactly
    bound = BOUNDARY[dtype]
    x1 = np.array(data.draw(st.lists(hh.dyadic(-bound, bound), min_size=1, max_size=8), label="x1"))
    x = np.stack([x1, (1 + 3 * x1) / 2], axis=-1).astype(dtype.as_numpy_dtype)
    out = impl.perceptron.output(*hh.typed(x, np.array(W, x.dtype), np.array(W0, x.dtype)))
    assert_output(ph.call("output", x, W, W0), out, 0.5, dtype, x1.shape, rtol=0, atol=0)


@pytest.mark.clause("PERCEPTRON.OUTPUT.AFFINE_PREACTIVATION")
@given(data=st.data(), t=hh.dyadic(-4, 4))
@hh.examples(20)
def test_preactivation_is_affine(impl, data, t):
    x, w, w0 = data.draw(perceptrons(tf.float64))
    y = data.draw(hh.real_arrays(tf.float64, x.shape, 10.0), label="y")
    # z(x + t (y - x)) = z(x) + t (z(y) - z(x)) for z = w0 + x·w ('linear': g is the identity)
    z = [ph.numpy(impl.perceptron.output(v, w, w0, "linear")) for v in (x, y, x + t * (y - x))]
    scale = np.abs(w0) + (np.abs(x) + np.abs(y)) @ np.abs(w) * (1 + abs(t))
    ph.assert_values(
        f"z(x + {t} (y - x)) for {ph.call('output', x, w, w0, 'linear')}",
        z[2],
        z[0] + t * (z[1] - z[0]),
        rtol=0,
        atol=1e-12 * scale.max(),
    )


@pytest.mark.clause("PERCEPTRON.OUTPUT.MONOTONE")
@given(data=st.data(), step=hh.dyadic(0.25, 8), feature=st.integers(0, 4))
@hh.examples(25)
def test_output_moves_with_the_sign_of_each_weight(impl, data, step, feature):
    x, w, w0 = data.draw(perceptrons(tf.float64, features=st.just(5)))
    moved = x.copy()
    moved[:, feature] += step
    before, after = (ph.numpy(impl.perceptron.output(v, w, w0)) for v in (x, moved))
    change = np.sign(after - before)
    wrong = ~((change == 0) | (change == np.sign(w[feature])))
    assert not wrong.any(), (
        f"{ph.call('output', x, w, w0)}: x[:, {feature}] + {step} moves the output from "
        f"{before[wrong]} to {after[wrong]}, against the sign of w[{feature}] = {w[feature]}"
    )


@pytest.mark.clause("PERCEPTRON.OUTPUT.NON_FINITE")
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@given(data=st.data())
@hh.examples(10)
def test_non_finite_inputs_follow_ieee_arithmetic(impl, dtype, data):
    values = hh.reals(dtype, 10.0) | st.just(0.0) | hh.NON_FINITE
    m, n = data.draw(FEATURES, label="m"), data.draw(st.integers(1, 4), label="n")
    x = data.draw(hnp.arrays(dtype.as_numpy_dtype, (n, m), elements=values), label="x")
    w = data.draw(hnp.arrays(dtype.as_numpy_dtype, (m,), elements=values), label="w")
    w0 = data.draw(hnp.arrays(dtype.as_numpy_dtype, (), elements=values), label="w0")
    out = impl.perceptron.output(x, w, w0)
    # NumPy's float64 g(w0 + x @ w): NaN where it is NaN, sigmoid(±inf) = 1 or 0, no error
    expected = oracles.perceptron_output(x, w, w0)
    assert_output(ph.call("output", x, w, w0), out, expected, dtype, (n,))


@pytest.mark.clause("PERCEPTRON.OUTPUT.SIGMOID_RANGE")
@pytest.mark.parametrize(("dtype", "inside"), [(tf.float32, 15), (tf.float64, 30)], ids=str)
@given(data=st.data())
@hh.examples(20)
def test_sigmoid_output_is_a_probability(impl, dtype, inside, data):
    x, w, w0 = data.draw(perceptrons(dtype, bound=20.0))
    out = ph.numpy(impl.perceptron.output(x, w, w0)).astype(np.float64)
    z = oracles.perceptron_output(x, w, w0, "linear")
    call = ph.call("output", x, w, w0)
    assert ((out >= 0) & (out <= 1)).all(), f"{call} = {out}, not in [0, 1]"
    strictly = np.abs(z) <= inside  # beyond, sigmoid rounds to 0 or 1 in this dtype
    assert ((out > 0) & (out < 1))[strictly].all(), f"{call} = {out} at z = {z}: not in (0, 1)"


def cube(z):
    return z * z * z


@pytest.mark.clause("PERCEPTRON.OUTPUT.ACTIVATIONS")
@pytest.mark.parametrize(
    ("activation", "oracle"),
    [(name, oracles.ACTIVATIONS[name]) for name in ("sigmoid", "tanh", "relu", "linear")]
    + [(cube, lambda z: np.asarray(z, np.float64) ** 3), (tf.nn.relu, oracles.ACTIVATIONS["relu"])],
    ids=["sigmoid", "tanh", "relu", "linear", "callable-cube", "callable-tf.nn.relu"],
)
@given(data=st.data())
@hh.examples(8)
def test_activation_is_a_name_or_a_callable(impl, activation, oracle, data):
    x, w, w0 = data.draw(perceptrons(tf.float64, bound=3.0))
    out = impl.perceptron.output(x, w, w0, activation)
    expected = oracle(oracles.perceptron_output(x, w, w0, "linear"))
    assert_output(ph.call("output", x, w, w0, activation), out, expected, tf.float64, x.shape[:1])


@pytest.fixture(scope="module")
def sigmoid_dense():
    """A Keras Dense(1, activation='sigmoid') on two inputs, built."""
    keras = fresh_keras()
    layer = keras.layers.Dense(1, activation="sigmoid")
    layer.build((None, 2))
    return layer


@pytest.mark.clause("PERCEPTRON.OUTPUT.KERAS_DENSE")
@given(data=st.data())
@hh.examples(20)
def test_output_equals_keras_dense(impl, sigmoid_dense, data):
    x, w, w0 = data.draw(perceptrons(tf.float32, features=st.just(2)))
    sigmoid_dense.set_weights([w.reshape(2, 1), w0.reshape(1)])
    expected = ph.numpy(sigmoid_dense(x))[:, 0]
    out = impl.perceptron.output(x, w, w0)
    call = f"{ph.call('output', x, w, w0)} against Dense(1, activation='sigmoid')"
    assert_output(call, out, expected, tf.float32, x.shape[:1])


# --- inputs: batches, dtypes, graphs, bad input -------------------------------------------------


@pytest.mark.clause("PERCEPTRON.OUTPUT.BATCH_SHAPES")
@pytest.mark.parametrize("shape", [(2,), (3, 2), (2, 3, 2), (0, 2)], ids=str)
def test_output_has_the_batch_shape(impl, shape):
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape) / 4 - 1
    out = impl.perceptron.output(x, W, W0)
    expected = oracles.perceptron_output(x, W, W0)
    assert_output(ph.call("output", x, W, W0), out, expected, tf.float64, shape[:-1])


PERCEPTRON_DTYPES = [
    pytest.param(tf.constant([1, 2]), tf.constant([3, -2]), 1, tf.float64, id="int32-tensors"),
    pytest.param([1, 2], W, W0, tf.float64, id="python"),
    pytest.param(np.array([1, 2], np.float32), W, W0, tf.float32, id="float32-python"),
    pytest.param(tf.constant([1, 2], tf.float16), W, 1, tf.float16, id="float16-python"),
    pytest.param(np.array([1, 2], np.int64), np.array(W, np.float32), 1, tf.float32, id="i64-f32"),
    pytest.param(tf.constant([1.0, 2.0]), W, np.float64(1), tf.float64, id="f32-np-float64"),
]


@pytest.mark.clause("PERCEPTRON.OUTPUT.DTYPE_RULE")
@pytest.mark.parametrize(("x", "w", "w0", "dtype"), PERCEPTRON_DTYPES)
def test_output_dtype_follows_the_rule(impl, x, w, w0, dtype):
    out = impl.perceptron.output(x, w, w0)
    expected = oracles.sigmoid(0.0)  # 1 + 3·1 - 2·2 = 0
    assert_output(ph.call("output", x, w, w0), out, expected, dtype, (), rtol=0, atol=0)


@pytest.mark.clause("PERCEPTRON.OUTPUT.GRAPH_MODE")
@pytest.mark.parametrize("dtype", [tf.int32, tf.float32, tf.float64], ids=str)
def test_output_in_a_graph(impl, dtype):
    x = tf.constant([[1, 2], [0, 0], [-1, 3], [2, -4]], dtype)
    w, w0 = tf.constant([3, -2], dtype), tf.constant(1, dtype)
    graph = gh.traced(impl.perceptron.output, x, w, w0)
    expected = oracles.perceptron_output(x.numpy(), W, W0)
    call = f"tf.function(output)({ph.describe(x)}, {ph.describe(w)}, {ph.describe(w0)})"
    assert_output(call, graph(x, w, w0), expected, tf.float64 if dtype.is_integer else dtype, (4,))


@pytest.mark.clause("PERCEPTRON.OUTPUT.SHAPE_MISMATCH")
@pytest.mark.parametrize(
    ("x", "w", "w0", "names"),
    [
        (np.ones(3), np.ones(2), 1.0, r"\bx\b.*\bw\b"),
        (np.ones((4, 3)), np.ones(2), 1.0, r"\bx\b.*\bw\b"),
        (np.ones(2), np.ones((2, 1)), 1.0, r"\bw\b"),
        (np.ones(2), np.ones(2), np.ones(2), r"\bw0\b"),
    ],
    ids=["3-features-2-weights", "batch-3-features", "matrix-w", "vector-w0"],
)
def test_mismatched_shapes_are_an_error(impl, x, w, w0, names):
    call = ph.call("output", x, w, w0)
    ph.assert_error(call, lambda: impl.perceptron.output(x, w, w0), ValueError, names)


@pytest.mark.clause("PERCEPTRON.OUTPUT.SHAPE_MISMATCH")
def test_mismatched_shapes_are_an_error_in_a_graph(impl):
    x, w, w0 = np.ones((4, 3)), np.ones(2), np.float64(1)
    graph = gh.traced(impl.perceptron.output, x, w, w0)
    call = f"tf.function(output)({ph.call('', x, w, w0)}) [unknown shapes]"
    ph.assert_error(call, lambda: graph(x, w, w0), InvalidArgumentError, r"\bx\b|\bw\b|feature")


@pytest.mark.clause("PERCEPTRON.OUTPUT.UNKNOWN_ACTIVATION")
def test_unknown_activation_is_an_error(impl):
    call = "output([1, 2], [3, -2], 1, 'sigmod')"
    run = lambda: impl.perceptron.output([1.0, 2.0], W, W0, "sigmod")  # noqa: E731
    ph.assert_error(call, run, ValueError, "sigmod")

"""Chapter LOSS: the loss functions, slides 26-28.

First the slides' code on TensorFlow (slide 27's mean squared error, slide 28's
`tf.nn.softmax_cross_entropy_with_logits` with positional arguments under a "binary" title); then
the implementation's `losses`: each against a NumPy float64 oracle and against its Keras loss, the
properties of cross-entropy (shift invariance, extreme logits, gradient, two classes); then
dtypes, graphs and bad input.
"""

import warnings
from collections import namedtuple
from types import SimpleNamespace

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import graph_helpers as gh
from spec import hypothesis_helpers as hh
from spec import oracles, tolerances
from spec import pytest_helpers as ph
from spec.harness.observations import observe

InvalidArgumentError = tf.errors.InvalidArgumentError
FLOATS = (tf.float32, tf.float64)
ALL_FLOATS = hh.FLOAT_DTYPES  # float16, bfloat16, float32, float64
BATCHES = hh.shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)
RANKS = st.integers(1, 3)
CLASSES = st.integers(1, 5)


@st.composite
def regression(draw, dtype, bound=100.0):
    """(y_true, y_pred) of one drawn shape."""
    shape = draw(BATCHES)
    return draw(hh.real_arrays(dtype, shape, bound)), draw(hh.real_arrays(dtype, shape, bound))


@st.composite
def classification(draw, dtype, bound=20.0, rank=RANKS, classes=CLASSES):
    """(labels, logits): distributions over 1 to 5 classes on the last axis, and logits."""
    batch_rank = draw(rank) - 1
    batch = draw(hh.shapes(min_dims=batch_rank, max_dims=batch_rank, min_side=1, max_side=4))
    shape = (*batch, draw(classes))
    return draw(hh.distributions(dtype, shape)), draw(hh.real_arrays(dtype, shape, bound))


@st.composite
def binary(draw, dtype, bound=20.0):
    """(labels, logits): labels in [0, 1] (mostly 0 or 1), logits, of one drawn shape."""
    shape = draw(BATCHES)
    label = st.sampled_from([0.0, 1.0]) | hh.dyadic(0, 1)
    labels = draw(hnp.arrays(np.float64, shape, elements=label)).astype(dtype.as_numpy_dtype)
    return labels, draw(hh.real_arrays(dtype, shape, bound))


def squares_scale(y, p):
    """The size of the squares that a mean squared error adds up."""
    return 1 + np.max((np.abs(y) + np.abs(p)) ** 2)


def logits_scale(labels, logits):
    """The size of the log-probabilities that a cross-entropy adds up."""
    return 1 + np.max(np.abs(logits))


Loss = namedtuple("Loss", "inputs oracle scale")
LOSSES = {
    "mean_squared_error": Loss(regression, oracles.mean_squared_error, squares_scale),
    "softmax_cross_entropy": Loss(classification, oracles.softmax_cross_entropy, logits_scale),
    "binary_cross_entropy": Loss(binary, oracles.binary_cross_entropy, logits_scale),
}


def assert_loss(call, out, expected, dtype, scale):
    """`out` is a scalar of `dtype` equal to `expected`, to a few roundings of values of `scale`."""
    ph.assert_dtype(call, out.dtype, dtype)
    ph.assert_shape(call, out.shape, ())
    atol = tolerances.roundings(dtype, 32, float(scale))
    ph.assert_values(call, ph.numpy(out), expected, rtol=tolerances.tolerance(dtype)[0], atol=atol)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("mean_squared_error", marks=pytest.mark.clause("LOSS.MSE.FORMULA")),
        pytest.param("softmax_cross_entropy", marks=pytest.mark.clause("LOSS.SOFTMAX_CE.FORMULA")),
        pytest.param("binary_cross_entropy", marks=pytest.mark.clause("LOSS.BCE.FORMULA")),
    ],
)
@pytest.mark.parametrize("dtype", ALL_FLOATS, ids=str)
@given(data=st.data())
@hh.examples(12)
def test_loss_follows_its_formula(impl, name, dtype, data):
    loss = LOSSES[name]
    y, p = data.draw(loss.inputs(dtype), label="inputs")
    out = getattr(impl.losses, name)(*hh.typed(y, p))
    assert_loss(ph.call(name, y, p), out, loss.oracle(y, p), dtype, loss.scale(y, p))


# Keras losses reduce the last axis, then average over the batch: the inputs are (n, k) here, and
# CategoricalCrossentropy warns of a single class.
KERAS_SHAPES = {"softmax_cross_entropy": {"rank": st.just(2), "classes": st.integers(2, 5)}}


@pytest.mark.parametrize(
    ("name", "keras_loss_of"),
    [
        pytest.param(
            "mean_squared_error",
            lambda: tf.keras.losses.MeanSquaredError(),
            marks=pytest.mark.clause("LOSS.MSE.KERAS"),
            id="mean_squared_error",
        ),
        pytest.param(
            "softmax_cross_entropy",
            lambda: tf.keras.losses.CategoricalCrossentropy(from_logits=True),
            marks=pytest.mark.clause("LOSS.SOFTMAX_CE.KERAS"),
            id="softmax_cross_entropy",
        ),
        pytest.param(
            "binary_cross_entropy",
            lambda: tf.keras.losses.BinaryCrossentropy(from_logits=True),
            marks=pytest.mark.clause("LOSS.BCE.KERAS"),
            id="binary_cross_entropy",
        ),
    ],
)
@given(data=st.data())
@hh.examples(15)
def test_loss_equals_keras(impl, name, keras_loss_of, data):
    loss, keras_loss = LOSSES[name], keras_loss_of()
    y, p = data.draw(loss.inputs(tf.float32, **KERAS_SHAPES.get(name, {})), label="inputs")
    expected = ph.numpy(keras_loss(y, p))
    out = getattr(impl.losses, name)(y, p)
    call = f"{ph.call(name, y, p)} against {type(keras_loss).__name__}"
    assert_loss(call, out, expected, tf.float32, loss.scale(y, p))


# --- slide 27: mean squared error ---------------------------------------------------------------


@pytest.mark.clause("LOSS.MSE.SLIDE_CODE")
@given(inputs=regression(tf.float32))
@hh.examples(15)
def test_slide_mse_code_is_the_mean_squared_error(inputs):
    model = SimpleNamespace(y=tf.constant(inputs[0]), pred=tf.constant(inputs[1]))
    loss = tf.reduce_mean(tf.square(tf.subtract(model.y, model.pred)))
    expected = oracles.mean_squared_error(*inputs)
    assert_loss("the slide's MSE code", loss, expected, tf.float32, squares_scale(*inputs))


@pytest.mark.clause("LOSS.MSE.SLIDE_CODE_BROADCASTS")
def test_slide_mse_code_broadcasts_a_column_against_a_row():
    model = SimpleNamespace(y=tf.constant([1.0, 2.0, 3.0]), pred=tf.constant([[1.0], [2.0], [3.0]]))
    difference = tf.subtract(model.y, model.pred)
    ph.assert_shape("tf.subtract(y of shape (3,), pred of shape (3, 1))", difference.shape, (3, 3))
    loss = tf.reduce_mean(tf.square(difference))
    # a perfect prediction, yet the mean over all 9 pairs: (0+1+4+1+0+1+4+1+0) / 9
    ph.assert_values("the slide's MSE code for y (3,), pred (3, 1)", loss.numpy(), 12 / 9)


@pytest.mark.clause("LOSS.MSE.ZERO_IFF_PERFECT")
@given(inputs=regression(tf.float64), data=st.data())
@hh.examples(20)
def test_mean_squared_error_is_zero_only_for_a_perfect_prediction(impl, inputs, data):
    y = inputs[0]
    perfect = impl.losses.mean_squared_error(y, y)
    ph.assert_values(ph.call("mean_squared_error", y, y), ph.numpy(perfect), 0.0, rtol=0, atol=0)
    where = data.draw(st.integers(0, y.size - 1), label="element")
    off = y.copy()
    off.flat[where] += data.draw(hh.dyadic(-4, 4).filter(bool), label="error")
    loss = float(ph.numpy(impl.losses.mean_squared_error(y, off)))
    assert loss > 0, f"{ph.call('mean_squared_error', y, off)} = {loss}, but the prediction is off"


# --- slide 28: cross-entropy ------------------------------------------------------------------


@pytest.mark.clause("LOSS.SOFTMAX_CE.SLIDE_CODE")
@given(inputs=classification(tf.float32, rank=st.just(2)))
@hh.examples(15)
def test_slide_softmax_code_with_positional_arguments(inputs):
    model = SimpleNamespace(y=tf.constant(inputs[0]), pred=tf.constant(inputs[1]))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(model.y, model.pred))
    expected = oracles.softmax_cross_entropy(*inputs)
    call = "the slide's tf.nn.softmax_cross_entropy_with_logits(model.y, model.pred)"
    assert_loss(call, loss, expected, tf.float32, logits_scale(*inputs))


@pytest.mark.clause("LOSS.BCE.SLIDE_CODE_ONE_LOGIT")
@given(inputs=binary(tf.float32))
@hh.examples(10)
def test_slide_softmax_code_on_one_logit_is_always_zero(inputs):
    # one output per example, as a binary classifier has: (n, 1)
    y, z = (tf.reshape(tf.constant(v), (-1, 1)) for v in inputs)
    model = SimpleNamespace(y=y, pred=z)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(model.y, model.pred))
    call = "the slide's code on labels and logits of shape (n, 1)"
    ph.assert_values(call, loss.numpy(), 0.0, rtol=0, atol=0)
    observe(f"{call} gives {abs(float(loss))} whatever the inputs: a softmax over one class is 1")


@pytest.mark.clause("LOSS.BCE.SIGMOID_FIX")
@given(inputs=binary(tf.float32))
@hh.examples(15)
def test_sigmoid_cross_entropy_is_the_binary_cross_entropy(inputs):
    model = SimpleNamespace(y=tf.constant(inputs[0]), pred=tf.constant(inputs[1]))
    loss = tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=model.y, logits=model.pred)
    )
    expected = oracles.binary_cross_entropy(*inputs)
    call = "tf.nn.sigmoid_cross_entropy_with_logits(labels=model.y, logits=model.pred)"
    assert_loss(call, loss, expected, tf.float32, logits_scale(*inputs))


@pytest.mark.clause("LOSS.SOFTMAX_CE.SHIFT_INVARIANCE")
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@given(data=st.data())
@hh.examples(15)
def test_softmax_cross_entropy_ignores_a_constant_added_to_a_row(impl, dtype, data):
    labels, logits = data.draw(classification(dtype), label="labels, logits")
    shifts = data.draw(hnp.arrays(np.float64, (*logits.shape[:-1], 1), elements=hh.dyadic(-64, 64)))
    shifted = (logits + shifts).astype(logits.dtype)
    expected = ph.numpy(impl.losses.softmax_cross_entropy(labels, logits))
    out = impl.losses.softmax_cross_entropy(labels, shifted)
    call = f"softmax_cross_entropy(labels, logits + {shifts.ravel().tolist()}), unshifted"
    assert_loss(call, out, expected, dtype, 1 + np.max(np.abs(shifted)))


@pytest.mark.clause("LOSS.SOFTMAX_CE.GRADIENT")
@given(inputs=classification(tf.float64))
@hh.examples(15)
def test_softmax_cross_entropy_gradient_is_softmax_minus_labels(impl, inputs):
    labels, logits = inputs
    z = tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch(z)
        loss = impl.losses.softmax_cross_entropy(labels, z)
    gradient = tape.gradient(loss, z)
    call = f"d {ph.call('softmax_cross_entropy', labels, logits)} / d logits"
    assert gradient is not None, f"{call} is None: the loss is not differentiable in TensorFlow"
    examples = logits.size // logits.shape[-1]  # the loss is the mean over them
    expected = (oracles.softmax(logits) - labels) / examples
    ph.assert_shape(call, gradient.shape, logits.shape)
    ph.assert_values(call, ph.numpy(gradient), expected)


@pytest.mark.clause("LOSS.SOFTMAX_CE.TWO_CLASSES_ARE_BINARY")
@given(inputs=binary(tf.float64), data=st.data())
@hh.examples(15)
def test_two_class_softmax_cross_entropy_is_binary_on_the_logit_difference(impl, inputs, data):
    y, first = inputs
    second = data.draw(hh.real_arrays(tf.float64, y.shape, 20.0), label="second logit")
    labels, logits = np.stack([y, 1 - y], -1), np.stack([first, second], -1)
    expected = ph.numpy(impl.losses.binary_cross_entropy(y, first - second))
    out = impl.losses.softmax_cross_entropy(labels, logits)
    call = f"{ph.call('softmax_cross_entropy', labels, logits)} against binary of z1 - z2"
    assert_loss(call, out, expected, tf.float64, 1 + np.max(np.abs(logits)))


# --- slides 26-28: what every loss does -----------------------------------------------------------


@pytest.mark.clause("LOSS.VALUE.NON_NEGATIVE")
@pytest.mark.parametrize("name", LOSSES)
@given(data=st.data())
@hh.examples(10)
def test_loss_is_never_negative(impl, name, data):
    y, p = data.draw(LOSSES[name].inputs(tf.float32), label="inputs")
    loss = float(ph.numpy(getattr(impl.losses, name)(y, p)))
    assert loss >= 0, f"{ph.call(name, y, p)} = {loss}, a negative loss"


EXTREMES = st.sampled_from([-1e4, -9999.5, 0.0, 9999.5, 1e4]) | hh.reals(tf.float32, 1e4)


@pytest.mark.clause("LOSS.VALUE.EXTREME_LOGITS")
@pytest.mark.parametrize("name", ["softmax_cross_entropy", "binary_cross_entropy"])
@given(data=st.data())
@hh.examples(15)
def test_cross_entropy_of_extreme_logits_is_finite_and_right(impl, name, data):
    labels, _ = data.draw(LOSSES[name].inputs(tf.float32), label="labels")
    logits = data.draw(hnp.arrays(np.float32, labels.shape, elements=EXTREMES), label="logits")
    out = getattr(impl.losses, name)(labels, logits)
    call = ph.call(name, labels, logits)
    assert np.isfinite(ph.numpy(out)), f"{call} = {ph.numpy(out)}, not finite"
    assert_loss(call, out, LOSSES[name].oracle(labels, logits), tf.float32, 1e4)


@pytest.mark.clause("LOSS.VALUE.NON_FINITE")
@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@given(data=st.data(), where=st.sampled_from(["labels", "predictions"]), bad=hh.NON_FINITE)
@hh.examples(8)
def test_non_finite_input_gives_a_non_finite_loss(impl, name, dtype, data, where, bad):
    y, p = (v.copy() for v in data.draw(LOSSES[name].inputs(dtype), label="inputs"))
    target = y if where == "labels" else p
    target.flat[data.draw(st.integers(0, target.size - 1), label="element")] = bad
    out = ph.numpy(getattr(impl.losses, name)(y, p))
    call = ph.call(name, y, p)
    if np.isnan(bad):  # NaN in, NaN out: never dropped from the mean
        ph.assert_values(call, out, np.nan)
    elif name == "mean_squared_error":  # IEEE arithmetic, as NumPy's mean of the squares
        ph.assert_values(call, out, LOSSES[name].oracle(y, p))
    else:  # a cross-entropy of an infinite logit or label is inf or NaN, never a number
        assert not np.isfinite(out), f"{call} = {out!r}, a number from an infinite input"


@pytest.mark.clause("LOSS.VALUE.EMPTY_BATCH")
@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("shape", [(0, 3), (2, 0, 3)], ids=str)  # no examples, 3 classes
@pytest.mark.parametrize("dtype", ALL_FLOATS, ids=str)
def test_empty_batch_gives_nan(impl, name, shape, dtype):
    y = p = tf.zeros(shape, dtype)
    out = getattr(impl.losses, name)(y, p)
    with np.errstate(invalid="ignore"), warnings.catch_warnings(action="ignore"):
        expected = LOSSES[name].oracle(np.zeros(shape), np.zeros(shape))  # the mean of nothing
    call = ph.call(name, y, p)
    ph.assert_dtype(call, out.dtype, dtype)
    ph.assert_shape(call, out.shape, ())
    ph.assert_values(call, ph.numpy(out), expected)


LABELS, PREDICTIONS = [[0, 1], [1, 0]], [[1, 2], [3, 0]]


def _pair(make_labels, make_predictions, dtype, name):
    return pytest.param(make_labels(LABELS), make_predictions(PREDICTIONS), dtype, id=name)


def _tensor(dtype):
    return lambda v: tf.constant(v, dtype)


def _array(dtype):
    return lambda v: np.array(v, dtype)


# The same labels and predictions in each kind and dtype, and the dtype of the loss.
LOSS_DTYPES = [
    _pair(list, list, tf.float64, "python-ints"),
    _pair(tf.constant, tf.constant, tf.float64, "int32"),
    _pair(_array(np.int64), _array(np.float32), tf.float32, "int64-float32"),
    _pair(_tensor(tf.float16), list, tf.float16, "float16-python"),
    _pair(_tensor(tf.bfloat16), _tensor(tf.bfloat16), tf.bfloat16, "bfloat16"),
    _pair(_array(np.float64), _tensor(tf.float32), tf.float64, "float64-float32"),
]


@pytest.mark.clause("LOSS.INPUTS.DTYPE_RULE")
@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize(("labels", "predictions", "dtype"), LOSS_DTYPES)
def test_loss_dtype_follows_the_rule(impl, name, labels, predictions, dtype):
    out = getattr(impl.losses, name)(labels, predictions)
    expected = LOSSES[name].oracle(ph.numpy(labels), ph.numpy(predictions))
    call = ph.call(name, labels, predictions)
    ph.assert_dtype(call, out.dtype, dtype)
    ph.assert_shape(call, out.shape, ())
    ph.assert_values(call, ph.numpy(out), expected)


@pytest.mark.clause("LOSS.INPUTS.GRAPH_MODE")
@pytest.mark.parametrize("name", LOSSES)
def test_loss_in_a_graph(impl, name):
    # int32 inputs: the dtype rule's cast to float64 runs in the graph too
    labels = tf.constant([[0, 1], [1, 0], [1, 0]])
    predictions = tf.constant([[1, 2], [3, 0], [-4, 5]])
    graph = gh.traced(getattr(impl.losses, name), labels, predictions)
    out = graph(labels, predictions)
    expected = LOSSES[name].oracle(labels.numpy(), predictions.numpy())
    call = f"tf.function({ph.call(name, labels, predictions)}) [unknown shapes]"
    assert_loss(call, out, expected, tf.float64, 5)


@pytest.mark.clause("LOSS.INPUTS.SHAPE_MISMATCH")
@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize(
    ("shapes", "mode", "error"),
    [
        (((3,), (3, 1)), "eager", ValueError),
        (((4, 2), (4, 3)), "eager", ValueError),
        (((3, 2), (2, 2)), "graph", InvalidArgumentError),
    ],
    ids=["column-and-row", "classes", "graph-batches"],
)
def test_loss_of_mismatched_shapes_is_an_error(impl, name, shapes, mode, error):
    labels, predictions = (np.zeros(s) for s in shapes)
    fn = getattr(impl.losses, name)
    fn = fn if mode == "eager" else gh.traced(fn, labels, predictions)
    call = f"{ph.call(name, labels, predictions)} [{mode}]"
    ph.assert_error(call, lambda: fn(labels, predictions), error, "shape")

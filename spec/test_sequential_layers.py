"""Chapter SEQUENTIAL, slides 22-25: the slides' models and layers exactly as printed, the
errata and their fixes.
"""

import numpy as np
import pytest
import tensorflow as tf

from spec import oracles
from spec import pytest_helpers as ph
from spec.harness.runtime import SEED
from spec.keras_helpers import fresh_keras
from spec.sequential_helpers import (
    assert_reported,
    input_shape_allowed,
    slide24_scores,
)

# Keras 2's layers draw their seeds with random.randint(1, 1e9), which Python deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:non-integer arguments to randrange:DeprecationWarning"
)

# --- slide 22: Flatten, Dense(64, relu), Dense(10, softmax) --------------------------------------

SLIDE22_LAYERS = [("Flatten", {}), ("Dense", {"units": 64}), ("Dense", {"units": 10})]


def slide22_model():
    """Slide 22's model, as printed."""
    fresh_keras()
    with input_shape_allowed():
        model = tf.keras.Sequential()
        model.add(tf.keras.layers.Flatten(input_shape=[28, 28, 1]))
        model.add(tf.keras.layers.Dense(64, activation="relu"))
        model.add(tf.keras.layers.Dense(10, activation="softmax"))
    return model


@pytest.mark.clause("SEQUENTIAL.SLIDE22.PARAM_COUNT")
def test_slide22_model_param_count():
    model = slide22_model()
    expected = oracles.sequential_param_count((28, 28, 1), SLIDE22_LAYERS)  # 50,890
    assert model.count_params() == expected, (
        f"count_params()={model.count_params()}, not {expected}"
    )


@pytest.mark.clause("SEQUENTIAL.SLIDE22.OUTPUT")
def test_slide22_model_maps_images_to_ten_probabilities():
    model = slide22_model()
    x = np.random.default_rng(SEED).random((3, 28, 28, 1), dtype=np.float32)
    out = model.predict(x, verbose=0)
    ph.assert_dtype("slide 22's model.predict(<3 x 28 x 28 x 1>)", out.dtype, np.float32)
    ph.assert_shape("slide 22's model.predict(<3 x 28 x 28 x 1>)", out.shape, (3, 10))
    ph.assert_values(
        "slide 22's model.predict(<3 x 28 x 28 x 1>)", out, oracles.keras_forward(model, x)
    )


# --- slide 23: layers ----------------------------------------------------------------------------


@pytest.mark.clause("SEQUENTIAL.LAYERS.SIGMOID_STRING")
def test_sigmoid_as_a_tf_string_is_rejected():
    exc = ph.assert_raises(
        "layers.Dense(64, activation='tf.sigmoid')",
        lambda: tf.keras.layers.Dense(64, activation="tf.sigmoid"),
        ValueError,
    )
    assert "tf.sigmoid" in str(exc), f"the error does not name 'tf.sigmoid': {exc}"


@pytest.mark.clause("SEQUENTIAL.LAYERS.SIGMOID")
@pytest.mark.parametrize("activation", ["sigmoid", tf.sigmoid], ids=["'sigmoid'", "tf.sigmoid"])
def test_sigmoid_layer(activation):
    keras = fresh_keras()
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(64, activation=activation)])
    x = np.linspace(-2, 2, 15, dtype="f4").reshape(3, 5)
    kernel, bias = model.get_weights()
    expected = oracles.dense_forward(x, [(kernel, bias, "sigmoid")])
    ph.assert_values(f"Dense(64, activation={activation!r})(x)", model(x), expected)


def l2_bias_model():
    """Slide 23's linear layer with an L2 bias regularizer, on 5 features, its bias set to
    -2 ... 2 (a fresh layer's bias is zero)."""
    keras = fresh_keras()
    layer = keras.layers.Dense(64, bias_regularizer=tf.keras.regularizers.l2(0.01))
    model = keras.Sequential([keras.Input((5,)), layer])
    layer.bias.assign(np.linspace(-2, 2, 64, dtype="f4"))
    return model


@pytest.mark.clause("SEQUENTIAL.LAYERS.L2_BIAS")
def test_l2_bias_regularizer_adds_its_penalty():
    model = l2_bias_model()
    kernel, bias = model.get_weights()
    x = np.linspace(-2, 2, 15, dtype="f4").reshape(3, 5)
    linear = oracles.dense_forward(x, [(kernel, bias, "linear")])
    ph.assert_values("Dense(64, bias_regularizer=l2(0.01))(x)", model(x), linear)
    losses = [float(loss) for loss in model.losses]
    ph.assert_shape("model.losses", np.shape(losses), (1,))
    assert_reported("model.losses", losses, [oracles.l2_penalty(0.01, bias)])


@pytest.mark.clause("SEQUENTIAL.LAYERS.L2_BIAS_IN_LOSS")
def test_l2_bias_penalty_is_part_of_the_loss():
    model = l2_bias_model()
    model.compile(loss="mse", run_eagerly=True)
    kernel, bias = model.get_weights()
    x = np.linspace(-2, 2, 15, dtype="f4").reshape(3, 5)
    y = np.zeros((3, 64), "f4")
    data_loss = oracles.squared_error(y, oracles.dense_forward(x, [(kernel, bias, "linear")]))
    expected = data_loss.mean() + oracles.l2_penalty(0.01, bias)
    assert_reported(
        "evaluate(x, y) with l2(0.01) on the bias", model.evaluate(x, y, verbose=0), expected
    )


@pytest.mark.clause("SEQUENTIAL.LAYERS.CONV2D")
def test_conv2d_slide_layer():
    keras = fresh_keras()
    layer = tf.keras.layers.Conv2D(kernel_size=6, filters=24, strides=2, activation="relu")
    model = keras.Sequential([keras.Input((28, 28, 1)), layer])
    spec = ("Conv2D", {"kernel_size": 6, "filters": 24, "strides": 2})
    call = "Conv2D(kernel_size=6, filters=24, strides=2, activation='relu') on 28 x 28 x 1"
    ph.assert_shape(
        call, model.output_shape, (None, *oracles.layer_output_shape(*spec, (28, 28, 1)))
    )
    expected = oracles.layer_param_count(*spec, (28, 28, 1))  # 6 * 6 * 24 + 24 = 888
    assert model.count_params() == expected, f"{call}: {model.count_params()} parameters"
    x = np.random.default_rng(SEED).random((2, 28, 28, 1), dtype=np.float32) - 0.5
    kernel, bias = layer.get_weights()
    relu = oracles.ACTIVATIONS["relu"]
    ph.assert_values(f"{call}(x)", model(x), relu(oracles.conv2d(x, kernel, bias, strides=2)))


@pytest.mark.clause("SEQUENTIAL.LAYERS.MAXPOOL_STRIDE")
def test_maxpool_with_stride_is_rejected():
    exc = ph.assert_raises(
        "layers.MaxPooling2D(pool_size=(2,2), stride=2, padding='same')",
        lambda: tf.keras.layers.MaxPooling2D(pool_size=(2, 2), stride=2, padding="same"),
        TypeError,
    )
    assert "stride" in str(exc), f"the error does not name 'stride': {exc}"


@pytest.mark.clause("SEQUENTIAL.LAYERS.MAXPOOL_SAME")
def test_maxpool_with_strides_pools_with_same_padding():
    layer = tf.keras.layers.MaxPooling2D(pool_size=(2, 2), strides=2, padding="same")
    x = np.random.default_rng(SEED).random((2, 5, 5, 3), dtype=np.float32)
    out = layer(x)
    call = "MaxPooling2D(pool_size=(2,2), strides=2, padding='same')(<2 x 5 x 5 x 3>)"
    spec = ("MaxPooling2D", {"pool_size": (2, 2), "strides": 2, "padding": "same"})
    ph.assert_shape(call, out.shape, (2, *oracles.layer_output_shape(*spec, (5, 5, 3))))
    ph.assert_values(call, out, oracles.max_pool2d(x, 2, 2, "same"))


# --- slide 24: build and compile -----------------------------------------------------------------


@pytest.mark.clause("SEQUENTIAL.SLIDE24.MODEL")
def test_slide24_model(slide24):
    model = slide24.model
    layers = [("Dense", {"units": 64}), ("Dense", {"units": 64}), ("Dense", {"units": 10})]
    expected = oracles.sequential_param_count((32,), layers)  # 6,922
    assert model.count_params() == expected, (
        f"count_params()={model.count_params()}, not {expected}"
    )
    ph.assert_shape("slide 24's model.output_shape", model.output_shape, (None, 10))
    activations = [layer.get_config()["activation"] for layer in model.layers]
    assert activations == ["relu", "relu", "softmax"], f"the activations are {activations}"


@pytest.mark.clause("SEQUENTIAL.SLIDE24.COMPILE_STRINGS")
def test_slide24_compile_strings_name_the_loss_and_metric(slide24):
    out = slide24.model.evaluate(slide24.data, slide24.labels, verbose=0)
    assert slide24.model.loss == "categorical_crossentropy", f"model.loss={slide24.model.loss!r}"
    assert_reported("evaluate(data, labels)", out, list(slide24_scores(slide24).values()))


@pytest.mark.clause("SEQUENTIAL.SLIDE24.METRICS_NAMES")
def test_slide24_metrics_names(slide24):
    slide24.model.evaluate(slide24.data, slide24.labels, verbose=0)
    names = slide24.model.metrics_names
    assert names == ["loss", "accuracy"], f"model.metrics_names={names} after evaluate"


# --- slide 25: train -----------------------------------------------------------------------------


@pytest.mark.clause("SEQUENTIAL.FIT.SLIDE_EXAMPLE")
def test_fit_slide_example_returns_the_history(slide25):
    history = slide25.history
    assert isinstance(history, tf.keras.callbacks.History), f"fit returned a {type(history)}"
    assert sorted(history.history) == ["accuracy", "loss"], f"History keys {list(history.history)}"
    for name, values in history.history.items():
        assert len(values) == 5, f"History.history[{name!r}] has {len(values)} entries, not 5"
        assert np.isfinite(values).all(), f"History.history[{name!r}]={values}"
    after = slide25.model.get_weights()
    changed = [not np.array_equal(a, b) for a, b in zip(slide25.before, after, strict=True)]
    assert all(changed), f"fit left some weights as they were: changed={changed}"

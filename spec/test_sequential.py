"""Chapter SEQUENTIAL, slides 17-19: Keras and tf.keras, `Sequential(layers, name)` and `add()`,
and drawn architectures against the closed forms of their shapes and parameter counts.

The chapter's other modules: test_sequential_training.py (slides 20-21: compile, fit, evaluate,
predict) and test_sequential_layers.py (slides 22-25: the slides' models and layers, the errata);
what they share is in sequential_helpers.py.
"""

import inspect
import warnings

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st

from spec import architectures as archs
from spec import hypothesis_helpers as hh
from spec import oracles
from spec import pytest_helpers as ph
from spec.keras_helpers import fresh_keras
from spec.sequential_helpers import (
    input_shape_allowed,
)

# Keras 2's layers draw their seeds with random.randint(1, 1e9), which Python deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:non-integer arguments to randrange:DeprecationWarning"
)

# --- slides 17-18: Keras and tf.keras ------------------------------------------------------------


@pytest.mark.clause("SEQUENTIAL.KERAS.TENSORFLOW_BACKEND")
def test_keras_runs_on_tensorflow():
    keras = fresh_keras()
    assert keras.backend.backend() == "tensorflow", f"tf.keras runs on {keras.backend.backend()}"
    out = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])(np.ones((1, 2), "f4"))
    assert isinstance(out, tf.Tensor), f"a model's output is a {type(out)}, not a tf.Tensor"


# Every name the slides reach through tf.keras.
COURSE_NAMES = [
    "Sequential",
    "layers.Dense",
    "layers.Flatten",
    "layers.Conv2D",
    "layers.MaxPooling2D",
    "regularizers.l2",
    "optimizers.Adam",
    "models.load_model",
]


@pytest.mark.clause("SEQUENTIAL.TF_KERAS.COURSE_NAMES")
def test_tf_keras_has_the_course_names():
    from tensorflow.keras import layers  # the bare `layers.` of slides 23 and 24

    assert layers.Dense is tf.keras.layers.Dense, "tensorflow.keras.layers is not tf.keras.layers"
    for name in COURSE_NAMES:
        obj = tf.keras
        for part in name.split("."):
            assert hasattr(obj, part), f"tf.keras.{name} does not exist"
            obj = getattr(obj, part)
        assert callable(obj), f"tf.keras.{name} is a {type(obj)}, not callable"


# --- slide 19: Sequential(layers, name) and add() ------------------------------------------------


@pytest.mark.clause("SEQUENTIAL.CONSTRUCT.SIGNATURE")
def test_sequential_takes_layers_then_name():
    fresh_keras()
    model = tf.keras.Sequential([], "course")
    assert model.name == "course", f"tf.keras.Sequential([], 'course').name == {model.name!r}"
    params = list(inspect.signature(tf.keras.Sequential).parameters)
    assert params[:2] == ["layers", "name"], f"tf.keras.Sequential({', '.join(params)})"
    for name in ("layers", "name"):
        ph.assert_parameter("tf.keras.Sequential", tf.keras.Sequential, name, None)


@pytest.mark.clause("SEQUENTIAL.CONSTRUCT.LAYERS_AND_NAME")
def test_sequential_keeps_its_layers_and_name():
    keras = fresh_keras()
    assert keras.Sequential().layers == [], "tf.keras.Sequential() has layers"
    hidden, out = keras.layers.Dense(8), keras.layers.Dense(4)
    model = keras.Sequential(layers=[keras.Input((16,)), hidden, out], name="course")
    assert model.name == "course", f"Sequential(..., name='course').name == {model.name!r}"
    assert model.layers == [hidden, out], f"Sequential(layers=...).layers == {model.layers}"


@pytest.mark.clause("SEQUENTIAL.ADD.SLIDE_EXAMPLE")
def test_add_builds_the_slide_model():
    fresh_keras()
    with input_shape_allowed():
        model = tf.keras.Sequential()
        model.add(tf.keras.layers.Dense(8, input_shape=(16,)))
        model.add(tf.keras.layers.Dense(4))
    # 16 * 8 + 8 + 8 * 4 + 4 = 172
    expected = oracles.sequential_param_count(
        (16,), [("Dense", {"units": 8}), ("Dense", {"units": 4})]
    )
    assert model.count_params() == expected, (
        f"count_params()={model.count_params()}, not {expected}"
    )
    x = np.linspace(-2, 2, 3 * 16, dtype="f4").reshape(3, 16)
    out = model(x)
    ph.assert_shape("slide 19's model(<3 x 16>)", out.shape, (3, 4))
    ph.assert_values("slide 19's model(<3 x 16>)", out, oracles.keras_forward(model, x))


@pytest.mark.clause("SEQUENTIAL.ADD.SAME_AS_LIST")
@given(arch=archs.architectures())
@hh.examples(6)
def test_add_builds_the_same_model_as_a_list(arch):
    listed = archs.build(arch).get_config()
    keras = fresh_keras()
    model = keras.Sequential()
    model.add(keras.Input(arch.input_shape))
    for kind, kwargs in arch.layers:
        model.add(archs.layer(kind, kwargs))
    ph.assert_same_config(f"add() one by one of\n{arch}", model.get_config(), listed)


@pytest.mark.clause("SEQUENTIAL.INPUT_SHAPE.SAME_MODEL")
@given(arch=archs.architectures(), data=st.data())
@hh.examples(6)
def test_input_shape_builds_the_same_model_as_input(arch, data):
    reference = archs.build(arch)
    keras = fresh_keras()
    (kind, kwargs), *rest = arch.layers
    with input_shape_allowed():
        first = archs.layer(kind, {**kwargs, "input_shape": arch.input_shape})
    model = keras.Sequential([first, *(archs.layer(k, kw) for k, kw in rest)])
    call = f"with input_shape= instead of Input:\n{arch}"
    ph.assert_shape(f"{call}\n.output_shape", model.output_shape, (None, *arch.output_shape))
    assert model.count_params() == arch.param_count, (
        f"{call}\n.count_params()={model.count_params()}"
    )
    model.set_weights(reference.get_weights())
    x = data.draw(archs.batches(arch), label="x")
    ph.assert_values(f"{call}\n(x)", model(x), reference(x))


def slide19_model(keras, first_input: bool):
    """Slide 19's model, from `keras.Input((16,))` or with `input_shape=(16,)` as printed."""
    if first_input:
        return keras.Sequential([keras.Input((16,)), keras.layers.Dense(8), keras.layers.Dense(4)])
    return keras.Sequential([keras.layers.Dense(8, input_shape=(16,)), keras.layers.Dense(4)])


@pytest.mark.clause("SEQUENTIAL.INPUT_SHAPE.NO_WARNING")
def test_input_shape_gives_no_warning():
    keras = fresh_keras()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        slide19_model(keras, first_input=False)
    said = [f"{w.category.__name__}: {w.message}" for w in caught]
    said = [s for s in said if not s.startswith("DeprecationWarning")]
    assert not said, f"Dense(8, input_shape=(16,)) in a Sequential warns: {said}"


@pytest.mark.clause("SEQUENTIAL.INPUT_SHAPE.SAME_CONFIG")
def test_input_shape_gives_the_same_config_as_input():
    with input_shape_allowed():
        shaped = slide19_model(fresh_keras(), first_input=False).get_config()
    with_input = slide19_model(fresh_keras(), first_input=True).get_config()
    ph.assert_same_config("Sequential([Dense(8, input_shape=(16,)), ...])", shaped, with_input)


@pytest.mark.clause("SEQUENTIAL.ARCH.OUTPUT_SHAPE")
@given(arch=archs.architectures())
@hh.examples(12)
def test_drawn_model_has_the_formula_output_shape(arch):
    model = archs.build(arch)
    ph.assert_shape(f"{arch}\n.output_shape", model.output_shape, (None, *arch.output_shape))


@pytest.mark.clause("SEQUENTIAL.ARCH.PARAM_COUNT")
@given(arch=archs.architectures())
@hh.examples(12)
def test_drawn_model_has_the_formula_param_count(arch):
    model = archs.build(arch)
    count = model.count_params()
    assert count == arch.param_count, f"{arch}\n.count_params()={count}, not {arch.param_count}"


@pytest.mark.clause("SEQUENTIAL.ARCH.PREDICT_SHAPE")
@given(arch=archs.architectures(), data=st.data())
@hh.examples(4)
def test_drawn_model_predicts_the_formula_shape(arch, data):
    model = archs.build(arch)
    x = data.draw(archs.batches(arch), label="x")
    out = model.predict(x, verbose=0)
    call = f"{arch}\n.predict(<{x.shape}>)"
    ph.assert_dtype(call, out.dtype, np.float32)
    ph.assert_shape(call, out.shape, (len(x), *arch.output_shape))
    assert np.isfinite(out).all(), f"{call} has non-finite values"


@pytest.mark.clause("SEQUENTIAL.ARCH.CONFIG_ROUNDTRIP")
@given(arch=archs.architectures(), data=st.data())
@hh.examples(5)
def test_drawn_model_config_roundtrip(arch, data):
    model = archs.build(arch)
    config = model.get_config()
    clone = tf.keras.Sequential.from_config(config)
    ph.assert_same_config(
        f"Sequential.from_config(get_config()) of\n{arch}", clone.get_config(), config
    )
    clone.set_weights(model.get_weights())
    x = data.draw(archs.batches(arch), label="x")
    ph.assert_values(f"from_config(...) with the same weights, of\n{arch}\n(x)", clone(x), model(x))

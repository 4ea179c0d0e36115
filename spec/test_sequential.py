"""Chapter SEQUENTIAL: the Keras Sequential API as the course teaches it, slides 17-25.

TensorFlow's Keras itself, on every version: the slides' models and layers exactly as printed; drawn
architectures against the closed forms of their shapes and parameter counts; one clause per
argument of the `compile`, `fit`, `evaluate` and `predict` signatures printed on slides 20-21 (does
it exist, with the printed default, and what does passing it do); the errata and their fixes.

The values `fit`, `evaluate` and `predict` report are compared with NumPy on the model's own
weights. Which rows a call used is read off a frozen model's loss on rows whose targets are powers
of two (`keras_helpers.tagged_rows`); those small models run eagerly (`keras_helpers.linear_model`).
"""

import contextlib
import inspect
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st

from spec import architectures as archs
from spec import hypothesis_helpers as hh
from spec import oracles
from spec import pytest_helpers as ph
from spec.conftest import SEED
from spec.keras_helpers import EventLog, fresh_keras, linear_model, rows_revealed, tagged_rows

# Keras 2's layers draw their seeds with random.randint(1, 1e9), which Python deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:non-integer arguments to randrange:DeprecationWarning"
)

# The signatures printed on slides 20 and 21, in their order, with their defaults.
PRINTED = {
    "compile": {
        "optimizer": "rmsprop",
        "loss": None,
        "metrics": None,
        "loss_weights": None,
        "sample_weight_mode": None,
        "weighted_metrics": None,
    },
    "fit": {
        "x": None,
        "y": None,
        "batch_size": None,
        "epochs": 1,
        "verbose": 1,
        "callbacks": None,
        "validation_split": 0.0,
        "validation_data": None,
        "shuffle": True,
        "class_weight": None,
        "sample_weight": None,
        "initial_epoch": 0,
        "steps_per_epoch": None,
        "validation_steps": None,
        "validation_batch_size": None,
        "validation_freq": 1,
        "max_queue_size": 10,
        "workers": 1,
        "use_multiprocessing": False,
    },
    "evaluate": {
        "x": None,
        "y": None,
        "batch_size": None,
        "verbose": 1,
        "sample_weight": None,
        "steps": None,
        "callbacks": None,
        "max_queue_size": 10,
        "workers": 1,
        "use_multiprocessing": False,
        "return_dict": False,
    },
    "predict": {
        "x": inspect.Parameter.empty,
        "batch_size": None,
        "verbose": 0,
        "steps": None,
        "callbacks": None,
        "max_queue_size": 10,
        "workers": 1,
        "use_multiprocessing": False,
    },
}

# Ten rows of one feature, and the model kernel * x + bias that `linear_model` freezes for them.
X = np.array([[-1.5], [-1.0], [0.0], [0.5], [1.0], [2.25], [3.0], [-0.25], [1.75], [0.75]], "f4")
Y = np.array([[-2.0], [0.5], [1.0], [1.0], [3.0], [4.0], [6.25], [0.0], [4.5], [2.0]], "f4")
KERNEL, BIAS = 2.0, 0.5
# Per row, the loss of the frozen model on (X, Y): the mean absolute error.
ERRORS = oracles.absolute_error(Y, KERNEL * X.astype(np.float64) + BIAS)


def assert_reported(call: str, out, expected) -> None:
    """Keras computes losses and metrics in float32 and reports them as Python floats (or lists of
    them): compare them with float32's tolerance."""
    ph.assert_values(call, np.asarray(out, np.float32), expected)


def frozen(**compile_kwargs):
    """`linear_model(KERNEL, BIAS)`: predicts 2x + 0.5, learns nothing, loss MAE unless told."""
    return linear_model(KERNEL, BIAS, **compile_kwargs)


def assert_printed(method: str, name: str) -> None:
    """`Sequential.<method>` has the parameter `name`, with the default the slide prints."""
    fn = getattr(tf.keras.Sequential, method)
    ph.assert_parameter(f"Sequential.{method}", fn, name, PRINTED[method][name])


@contextlib.contextmanager
def input_shape_allowed():
    """Leave out Keras 3's warning about `input_shape`, which the slides' code passes:
    SEQUENTIAL.INPUT_SHAPE.NO_WARNING records it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Do not pass an `input_shape`", UserWarning)
        yield


def numpy_forward(model, x) -> np.ndarray:
    """The output of a model of Flatten and Dense layers, computed in NumPy from its weights."""
    out = np.asarray(x, np.float64)
    for layer in model.layers:
        if isinstance(layer, tf.keras.layers.Flatten):
            out = out.reshape(len(out), -1)
        else:
            kernel, bias = layer.get_weights()
            out = oracles.dense_forward(out, [(kernel, bias, layer.get_config()["activation"])])
    return out


def classification_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    """n rows of 32 features in [0, 1) and one-hot labels of 10 classes, the same on every run."""
    rng = np.random.default_rng(SEED)
    data = rng.random((n, 32), dtype=np.float32)
    return data, np.eye(10, dtype=np.float32)[rng.integers(0, 10, n)]


def slide24_model():
    """Slide 24's model and compile as printed, with today's Adam for `tf.train.AdamOptimizer`
    (that erratum is the OPTIM chapter's)."""
    fresh_keras()
    layers = tf.keras.layers
    with input_shape_allowed():
        model = tf.keras.Sequential(
            [
                layers.Dense(64, activation="relu", input_shape=(32,)),
                layers.Dense(64, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ]
        )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(0.001),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


@pytest.fixture(scope="module")
def slide24():
    """Slide 24's compiled model, 20 rows for it and its output computed in NumPy; evaluate and
    predict leave the model as it is, so the tests share it."""
    model = slide24_model()
    data, labels = classification_data(20)
    return SimpleNamespace(
        model=model, data=data, labels=labels, probabilities=numpy_forward(model, data)
    )


@pytest.fixture(scope="module")
def slide25():
    """Slide 25's `model.fit(data, labels, batch_size=32, epochs=5)` on slide 24's model and 70
    rows, with an EventLog among its callbacks."""
    model = slide24_model()
    data, labels = classification_data(70)
    before, log = model.get_weights(), EventLog()
    history = model.fit(data, labels, batch_size=32, epochs=5, callbacks=[log])
    return SimpleNamespace(model=model, history=history, log=log, before=before, rows=len(data))


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
    ph.assert_values("slide 19's model(<3 x 16>)", out, numpy_forward(model, x))


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


# --- slide 20: compile ---------------------------------------------------------------------------


@pytest.mark.clause("SEQUENTIAL.COMPILE.ARGUMENT_ORDER")
def test_compile_takes_the_printed_order():
    ph.assert_parameter_order(
        "Sequential.compile", tf.keras.Sequential.compile, [*PRINTED["compile"]]
    )


@pytest.mark.clause("SEQUENTIAL.COMPILE.OPTIMIZER")
def test_compile_default_optimizer_is_rmsprop():
    model = linear_model()
    model.compile(loss="mae")
    assert isinstance(model.optimizer, tf.keras.optimizers.RMSprop), (
        f"compile(loss='mae').optimizer is a {type(model.optimizer).__name__}, not RMSprop"
    )
    model.compile(optimizer="sgd", loss="mae")
    assert isinstance(model.optimizer, tf.keras.optimizers.SGD), "compile(optimizer='sgd')"
    assert_printed("compile", "optimizer")


@pytest.mark.clause("SEQUENTIAL.COMPILE.LOSS")
def test_compile_loss_is_what_evaluate_reports():
    loss = frozen(loss="mse").evaluate(X, Y, verbose=0)
    expected = oracles.squared_error(Y, KERNEL * X.astype(np.float64) + BIAS).mean()
    assert_reported("compile(loss='mse'); evaluate(X, Y)", loss, expected)
    assert_printed("compile", "loss")


@pytest.mark.clause("SEQUENTIAL.COMPILE.METRICS")
def test_compile_metrics_follow_the_loss():
    out = frozen(loss="mse", metrics=["mae"]).evaluate(X, Y, verbose=0)
    squared = oracles.squared_error(Y, KERNEL * X.astype(np.float64) + BIAS).mean()
    ph.assert_shape("compile(metrics=['mae']); evaluate(X, Y)", np.shape(out), (2,))
    assert_reported("compile(metrics=['mae']); evaluate(X, Y)", out, [squared, ERRORS.mean()])
    assert_printed("compile", "metrics")


@pytest.mark.clause("SEQUENTIAL.COMPILE.LOSS_WEIGHTS")
def test_compile_loss_weights_scale_the_loss():
    loss = frozen(loss_weights=[3.0]).evaluate(X, Y, verbose=0)
    assert_reported("compile(loss='mae', loss_weights=[3.0]); evaluate", loss, 3 * ERRORS.mean())
    assert_printed("compile", "loss_weights")


@pytest.mark.clause("SEQUENTIAL.COMPILE.SAMPLE_WEIGHT_MODE")
def test_compile_accepts_sample_weight_mode():
    loss = frozen(sample_weight_mode=None).evaluate(X, Y, verbose=0)
    assert_reported("compile(loss='mae', sample_weight_mode=None); evaluate", loss, ERRORS.mean())


@pytest.mark.clause("SEQUENTIAL.COMPILE.WEIGHTED_METRICS")
def test_compile_weighted_metrics_are_weighted_means():
    weights = np.arange(1, 11, dtype="f4")
    model = frozen(weighted_metrics=["mae"])
    out = model.evaluate(X, Y, sample_weight=weights, verbose=0)
    expected = [
        oracles.sum_over_batch_size(ERRORS, weights),
        oracles.weighted_mean(ERRORS, weights),
    ]
    assert_reported(
        "compile(weighted_metrics=['mae']); evaluate(sample_weight=1..10)", out, expected
    )
    assert_printed("compile", "weighted_metrics")


@pytest.mark.clause("SEQUENTIAL.COMPILE.KWARGS")
def test_compile_takes_kwargs_and_rejects_unknown_ones():
    model = linear_model()
    exc = ph.assert_raises(
        "compile(loss='mae', learning_speed=2)",
        lambda: model.compile(loss="mae", learning_speed=2),
        TypeError,
    )
    assert "learning_speed" in str(exc), f"the error does not name the argument: {exc}"
    kinds = [p.kind for p in inspect.signature(tf.keras.Sequential.compile).parameters.values()]
    assert inspect.Parameter.VAR_KEYWORD in kinds, "Sequential.compile takes no **kwargs"


# --- slide 20: fit -------------------------------------------------------------------------------


@pytest.mark.clause("SEQUENTIAL.FIT.ARGUMENT_ORDER")
def test_fit_takes_the_printed_order():
    ph.assert_parameter_order("Sequential.fit", tf.keras.Sequential.fit, [*PRINTED["fit"]])


@pytest.mark.clause("SEQUENTIAL.FIT.X_AND_Y")
def test_fit_trains_on_x_against_y():
    history = frozen().fit(x=X, y=Y, batch_size=len(X), verbose=0)
    assert_reported("fit(x=X, y=Y).history['loss']", history.history["loss"], [ERRORS.mean()])
    assert_printed("fit", "x")
    assert_printed("fit", "y")


@pytest.mark.clause("SEQUENTIAL.FIT.BATCH_SIZE")
def test_fit_batch_size_makes_ceil_steps(slide25):
    steps = oracles.optimizer_steps(slide25.rows, 32, epochs=1)
    assert slide25.log.train_batches == [steps] * 5, (
        f"fit(<{slide25.rows} rows>, batch_size=32, epochs=5) ran {slide25.log.train_batches} "
        f"batches per epoch, but should run {steps}"
    )
    log = EventLog()
    linear_model().fit(*tagged_rows(40), verbose=0, callbacks=[log])
    assert log.train_batches == [2], f"fit(<40 rows>) ran {log.train_batches} batches, not 2 of 32"
    assert_printed("fit", "batch_size")


@pytest.mark.clause("SEQUENTIAL.FIT.EPOCHS")
def test_fit_runs_epochs(slide25):
    assert slide25.history.epoch == [0, 1, 2, 3, 4], f"History.epoch={slide25.history.epoch}"
    assert slide25.log.epochs == [0, 1, 2, 3, 4], f"epochs begun: {slide25.log.epochs}"
    log = EventLog()
    linear_model().fit(*tagged_rows(4), verbose=0, callbacks=[log])
    assert log.epochs == [0], f"fit() without epochs ran the epochs {log.epochs}"
    assert_printed("fit", "epochs")


def printed_by(capsys, call) -> str:
    """What `call()` writes to standard output."""
    capsys.readouterr()
    call()
    return capsys.readouterr().out


def assert_verbosity(capsys, method: str, call, progress: str) -> None:
    """`call(verbose=0)` prints nothing, `call(verbose=1)` a progress bar that shows `progress`,
    and the default is the slide's."""
    assert printed_by(capsys, lambda: call(verbose=0)) == "", f"{method}(verbose=0) prints"
    bar = printed_by(capsys, lambda: call(verbose=1))
    assert "1/1" in bar, f"{method}(verbose=1) prints no progress bar: {bar!r}"
    assert progress in bar, f"{method}(verbose=1) prints no {progress!r}: {bar!r}"
    assert_printed(method, "verbose")


@pytest.mark.clause("SEQUENTIAL.FIT.VERBOSE")
def test_fit_verbose(capsys):
    model = frozen()
    assert_verbosity(capsys, "fit", lambda **kw: model.fit(X, Y, **kw), "loss")


@pytest.mark.clause("SEQUENTIAL.FIT.CALLBACKS")
def test_fit_callbacks_see_every_epoch(slide25):
    history = slide25.history.history
    for name in ("loss", "accuracy"):
        seen = [logs[name] for logs in slide25.log.epoch_logs]
        assert_reported(f"the callback's logs[{name!r}] at each epoch's end", seen, history[name])
    assert_printed("fit", "callbacks")


@pytest.mark.clause("SEQUENTIAL.FIT.VALIDATION_SPLIT")
@pytest.mark.parametrize(("rows", "split"), [(10, 0.2), (7, 0.5)])
def test_fit_validation_split_holds_out_the_last_rows(rows, split):
    history = linear_model().fit(
        *tagged_rows(rows), validation_split=split, batch_size=rows, shuffle=True, verbose=0
    )
    held_out = set(oracles.validation_rows(rows, split))
    call = f"fit(<{rows} rows>, validation_split={split}, shuffle=True)"
    val = rows_revealed(history.history["val_loss"][0], rows)
    assert val == [held_out], f"{call} validated on the rows {val}, but should on {held_out}"
    trained = rows_revealed(history.history["loss"][0], rows)
    assert trained == [set(range(rows)) - held_out], f"{call} trained on the rows {trained}"
    assert_printed("fit", "validation_split")


@pytest.mark.clause("SEQUENTIAL.FIT.VALIDATION_DATA")
def test_fit_validation_data_is_evaluated():
    history = frozen().fit(*tagged_rows(3), validation_data=(X, Y), verbose=0)
    assert_reported(
        "fit(validation_data=(X, Y)) val_loss", history.history["val_loss"], [ERRORS.mean()]
    )
    assert_printed("fit", "validation_data")


@pytest.mark.clause("SEQUENTIAL.FIT.SHUFFLE")
def test_fit_without_shuffle_takes_the_rows_in_order():
    model = linear_model(learning_rate=0.125, loss="mse")
    model.fit(X, Y, batch_size=3, epochs=2, shuffle=False, verbose=0)
    kernel, bias = model.get_weights()
    expected = oracles.sgd_linear_regression(
        X, Y, [[0.0]], [0.0], learning_rate=0.125, batch_size=3, epochs=2
    )
    call = "fit(X, Y, batch_size=3, epochs=2, shuffle=False) with SGD(0.125) from zeros"
    ph.assert_values(f"{call}: kernel", kernel, expected[0])
    ph.assert_values(f"{call}: bias", bias, expected[1])
    assert_printed("fit", "shuffle")


@pytest.mark.clause("SEQUENTIAL.FIT.CLASS_WEIGHT")
def test_fit_class_weight_weighs_each_class():
    labels = np.array([[0], [1], [1], [0], [1], [0], [0], [0]], "f4")
    history = linear_model(bias=0.25).fit(
        np.zeros_like(labels), labels, class_weight={0: 1.0, 1: 3.0}, batch_size=8, verbose=0
    )
    errors = oracles.absolute_error(labels, 0.25)
    expected = oracles.sum_over_batch_size(errors, np.where(labels[:, 0] == 1, 3.0, 1.0))
    assert_reported("fit(class_weight={0: 1, 1: 3}) loss", history.history["loss"], [expected])
    assert_printed("fit", "class_weight")


@pytest.mark.clause("SEQUENTIAL.FIT.SAMPLE_WEIGHT")
def test_fit_sample_weight_weighs_each_row():
    weights = np.arange(1, 11, dtype="f4")
    history = frozen().fit(X, Y, sample_weight=weights, batch_size=10, verbose=0)
    expected = oracles.sum_over_batch_size(ERRORS, weights)
    assert_reported("fit(X, Y, sample_weight=1..10) loss", history.history["loss"], [expected])
    assert_printed("fit", "sample_weight")


@pytest.mark.clause("SEQUENTIAL.FIT.INITIAL_EPOCH")
def test_fit_initial_epoch_resumes_the_count():
    log = EventLog()
    history = linear_model().fit(
        *tagged_rows(4), initial_epoch=3, epochs=5, callbacks=[log], verbose=0
    )
    assert history.epoch == [3, 4], f"fit(initial_epoch=3, epochs=5): History.epoch={history.epoch}"
    assert log.epochs == [3, 4], f"fit(initial_epoch=3, epochs=5) began the epochs {log.epochs}"
    assert len(history.history["loss"]) == 2, f"History.history={history.history}"
    assert_printed("fit", "initial_epoch")


@pytest.mark.clause("SEQUENTIAL.FIT.STEPS_PER_EPOCH")
def test_fit_steps_per_epoch_bounds_each_epoch():
    log = EventLog()
    linear_model().fit(
        *tagged_rows(10), batch_size=2, steps_per_epoch=2, epochs=2, callbacks=[log], verbose=0
    )
    assert log.train_batches == [2, 2], f"fit(steps_per_epoch=2) ran {log.train_batches} batches"
    assert_printed("fit", "steps_per_epoch")


@pytest.mark.clause("SEQUENTIAL.FIT.VALIDATION_STEPS")
def test_fit_validation_steps_bounds_the_validation():
    history = linear_model().fit(
        *tagged_rows(6),
        validation_data=tagged_rows(6),
        validation_batch_size=2,
        validation_steps=1,
        verbose=0,
    )
    rows = rows_revealed(history.history["val_loss"][0], 6)
    assert rows == [{0, 1}], f"fit(validation_steps=1, validation_batch_size=2) validated {rows}"
    assert_printed("fit", "validation_steps")


@pytest.mark.clause("SEQUENTIAL.FIT.VALIDATION_BATCH_SIZE")
def test_fit_validation_batch_size_batches_the_validation():
    log = EventLog()
    history = frozen().fit(
        X, Y, validation_data=(X, Y), validation_batch_size=3, callbacks=[log], verbose=0
    )
    assert log.test_batches == [4], f"validation_batch_size=3 on 10 rows ran {log.test_batches}"
    assert_reported(
        "fit(validation_batch_size=3) val_loss", history.history["val_loss"], [ERRORS.mean()]
    )
    assert_printed("fit", "validation_batch_size")


@pytest.mark.clause("SEQUENTIAL.FIT.VALIDATION_FREQ")
def test_fit_validation_freq_validates_every_nth_epoch():
    log = EventLog()
    linear_model().fit(
        *tagged_rows(4),
        validation_data=tagged_rows(4),
        validation_freq=2,
        epochs=3,
        callbacks=[log],
        verbose=0,
    )
    validated = [epoch for epoch, logs in enumerate(log.epoch_logs) if "val_loss" in logs]
    assert validated == [1], f"fit(validation_freq=2, epochs=3) validated after {validated}"
    assert_printed("fit", "validation_freq")


def assert_ignored_with_arrays(method: str, name: str, value) -> None:
    """`Sequential.<method>` takes `name` as printed, and with NumPy arrays (which it reads
    without a queue, workers or processes) passing `value` changes nothing."""
    assert_printed(method, name)
    model = frozen()
    call = f"{method}(X, ..., {name}={value!r})"
    if method == "predict":
        out = model.predict(X, verbose=0, **{name: value})
        ph.assert_values(call, out, KERNEL * X.astype(np.float64) + BIAS)
    elif method == "fit":
        history = model.fit(X, Y, batch_size=len(X), verbose=0, **{name: value})
        assert_reported(f"{call} loss", history.history["loss"], [ERRORS.mean()])
    else:
        assert_reported(call, model.evaluate(X, Y, verbose=0, **{name: value}), ERRORS.mean())


@pytest.mark.clause("SEQUENTIAL.FIT.MAX_QUEUE_SIZE")
def test_fit_takes_max_queue_size():
    assert_ignored_with_arrays("fit", "max_queue_size", 2)


@pytest.mark.clause("SEQUENTIAL.FIT.WORKERS")
def test_fit_takes_workers():
    assert_ignored_with_arrays("fit", "workers", 2)


@pytest.mark.clause("SEQUENTIAL.FIT.USE_MULTIPROCESSING")
def test_fit_takes_use_multiprocessing():
    assert_ignored_with_arrays("fit", "use_multiprocessing", True)


# --- slide 21: evaluate --------------------------------------------------------------------------


@pytest.mark.clause("SEQUENTIAL.EVALUATE.ARGUMENT_ORDER")
def test_evaluate_takes_the_printed_order():
    ph.assert_parameter_order(
        "Sequential.evaluate", tf.keras.Sequential.evaluate, [*PRINTED["evaluate"]]
    )


@pytest.mark.clause("SEQUENTIAL.EVALUATE.X_AND_Y")
def test_evaluate_scores_x_against_y():
    assert_reported("evaluate(x=X, y=Y)", frozen().evaluate(x=X, y=Y, verbose=0), ERRORS.mean())
    assert_printed("evaluate", "x")
    assert_printed("evaluate", "y")


@pytest.mark.clause("SEQUENTIAL.EVALUATE.BATCH_SIZE")
def test_evaluate_batch_size_keeps_the_mean_over_rows():
    log = EventLog()
    loss = frozen().evaluate(X, Y, batch_size=3, callbacks=[log], verbose=0)
    assert log.test_batches == [4], f"evaluate(<10 rows>, batch_size=3) ran {log.test_batches}"
    assert_reported("evaluate(X, Y, batch_size=3)", loss, ERRORS.mean())
    assert_printed("evaluate", "batch_size")


@pytest.mark.clause("SEQUENTIAL.EVALUATE.VERBOSE")
def test_evaluate_verbose(capsys):
    model = frozen()
    assert_verbosity(capsys, "evaluate", lambda **kw: model.evaluate(X, Y, **kw), "loss")


@pytest.mark.clause("SEQUENTIAL.EVALUATE.SAMPLE_WEIGHT")
def test_evaluate_sample_weight_weighs_each_row():
    weights = np.arange(1, 11, dtype="f4")
    loss = frozen().evaluate(X, Y, sample_weight=weights, verbose=0)
    expected = oracles.sum_over_batch_size(ERRORS, weights)
    assert_reported("evaluate(X, Y, sample_weight=1..10)", loss, expected)
    assert_printed("evaluate", "sample_weight")


@pytest.mark.clause("SEQUENTIAL.EVALUATE.STEPS")
def test_evaluate_steps_bounds_the_batches():
    loss = linear_model().evaluate(*tagged_rows(6), batch_size=2, steps=1, verbose=0)
    rows = rows_revealed(loss, 6)
    assert rows == [{0, 1}], f"evaluate(<6 rows>, batch_size=2, steps=1) scored the rows {rows}"
    assert_printed("evaluate", "steps")


@pytest.mark.clause("SEQUENTIAL.EVALUATE.CALLBACKS")
def test_evaluate_callbacks_see_every_batch():
    log = EventLog()
    loss = frozen().evaluate(X, Y, batch_size=4, callbacks=[log], verbose=0)
    assert log.test_batches == [3], f"evaluate(<10 rows>, batch_size=4) ran {log.test_batches}"
    assert_reported("the callback's logs['loss'] at the end", log.test_logs[-1]["loss"], loss)
    assert_printed("evaluate", "callbacks")


@pytest.mark.clause("SEQUENTIAL.EVALUATE.MAX_QUEUE_SIZE")
def test_evaluate_takes_max_queue_size():
    assert_ignored_with_arrays("evaluate", "max_queue_size", 2)


@pytest.mark.clause("SEQUENTIAL.EVALUATE.WORKERS")
def test_evaluate_takes_workers():
    assert_ignored_with_arrays("evaluate", "workers", 2)


@pytest.mark.clause("SEQUENTIAL.EVALUATE.USE_MULTIPROCESSING")
def test_evaluate_takes_use_multiprocessing():
    assert_ignored_with_arrays("evaluate", "use_multiprocessing", True)


def slide24_scores(slide24) -> dict[str, float]:
    """The loss and the accuracy of slide 24's model on its rows, in NumPy."""
    loss = oracles.categorical_crossentropy(slide24.labels, slide24.probabilities).mean()
    accuracy = oracles.categorical_accuracy(slide24.labels, slide24.probabilities).mean()
    return {"loss": loss, "accuracy": accuracy}


@pytest.mark.clause("SEQUENTIAL.EVALUATE.RETURN_DICT")
def test_evaluate_return_dict_names_the_scores(slide24):
    out = slide24.model.evaluate(slide24.data, slide24.labels, verbose=0, return_dict=True)
    expected = slide24_scores(slide24)
    assert sorted(out) == sorted(expected), f"evaluate(return_dict=True) has the keys {list(out)}"
    for name, value in expected.items():
        assert_reported(f"evaluate(return_dict=True)[{name!r}]", out[name], value)
    assert_printed("evaluate", "return_dict")


# --- slide 21: predict ---------------------------------------------------------------------------


@pytest.mark.clause("SEQUENTIAL.PREDICT.ARGUMENT_ORDER")
def test_predict_takes_the_printed_order():
    ph.assert_parameter_order(
        "Sequential.predict", tf.keras.Sequential.predict, [*PRINTED["predict"]]
    )


@pytest.mark.clause("SEQUENTIAL.PREDICT.X")
def test_predict_equals_calling_the_model(slide24):
    out = slide24.model.predict(slide24.data, verbose=0)
    ph.assert_dtype("predict(<20 x 32>)", out.dtype, np.float32)
    ph.assert_shape("predict(<20 x 32>)", out.shape, (20, 10))
    ph.assert_values("predict(<20 x 32>)", out, slide24.probabilities)
    ph.assert_values("model(<20 x 32>)", slide24.model(slide24.data), out)
    assert_printed("predict", "x")


@pytest.mark.clause("SEQUENTIAL.PREDICT.BATCH_SIZE")
def test_predict_batch_size_batches_the_rows(slide24):
    log = EventLog()
    out = slide24.model.predict(slide24.data, batch_size=3, callbacks=[log], verbose=0)
    assert log.predict_batches == 7, f"predict(<20 rows>, batch_size=3) ran {log.predict_batches}"
    ph.assert_values("predict(<20 x 32>, batch_size=3)", out, slide24.probabilities)
    assert_printed("predict", "batch_size")


@pytest.mark.clause("SEQUENTIAL.PREDICT.VERBOSE")
def test_predict_verbose(capsys, slide24):
    predict = slide24.model.predict
    assert_verbosity(capsys, "predict", lambda **kw: predict(slide24.data, **kw), "step")


@pytest.mark.clause("SEQUENTIAL.PREDICT.STEPS")
def test_predict_steps_bounds_the_batches(slide24):
    out = slide24.model.predict(slide24.data, batch_size=4, steps=2, verbose=0)
    ph.assert_shape("predict(<20 rows>, batch_size=4, steps=2)", out.shape, (8, 10))
    ph.assert_values("predict(<20 rows>, batch_size=4, steps=2)", out, slide24.probabilities[:8])
    assert_printed("predict", "steps")


@pytest.mark.clause("SEQUENTIAL.PREDICT.CALLBACKS")
def test_predict_callbacks_see_every_batch(slide24):
    log = EventLog()
    slide24.model.predict(slide24.data, batch_size=8, callbacks=[log], verbose=0)
    assert log.predict_batches == 3, f"predict(<20 rows>, batch_size=8) ran {log.predict_batches}"
    assert log.model is slide24.model, "the callback's model is not the model that predicts"
    assert_printed("predict", "callbacks")


@pytest.mark.clause("SEQUENTIAL.PREDICT.MAX_QUEUE_SIZE")
def test_predict_takes_max_queue_size():
    assert_ignored_with_arrays("predict", "max_queue_size", 2)


@pytest.mark.clause("SEQUENTIAL.PREDICT.WORKERS")
def test_predict_takes_workers():
    assert_ignored_with_arrays("predict", "workers", 2)


@pytest.mark.clause("SEQUENTIAL.PREDICT.USE_MULTIPROCESSING")
def test_predict_takes_use_multiprocessing():
    assert_ignored_with_arrays("predict", "use_multiprocessing", True)


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
    ph.assert_values("slide 22's model.predict(<3 x 28 x 28 x 1>)", out, numpy_forward(model, x))


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

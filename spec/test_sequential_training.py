"""Chapter SEQUENTIAL, slides 20-21: one clause per argument of the `compile`, `fit`, `evaluate`
and `predict` signatures the slides print (does it exist, with the printed default, and what does
passing it do).

The values `fit`, `evaluate` and `predict` report are compared with NumPy on the model's own
weights. Which rows a call used is read off a frozen model's loss on rows whose targets are powers
of two (`keras_helpers.tagged_rows`); those small models run eagerly (`keras_helpers.linear_model`).
"""

import inspect

import numpy as np
import pytest
import tensorflow as tf

from spec import oracles
from spec import pytest_helpers as ph
from spec.keras_helpers import EventLog, linear_model, rows_revealed, tagged_rows
from spec.sequential_helpers import (
    BIAS,
    ERRORS,
    KERNEL,
    PRINTED,
    X,
    Y,
    assert_printed,
    assert_reported,
    frozen,
    slide24_scores,
)

# Keras 2's layers draw their seeds with random.randint(1, 1e9), which Python deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:non-integer arguments to randrange:DeprecationWarning"
)

# --- slides 20-21: compile, fit, evaluate and predict take their arguments in the printed order --


@pytest.mark.parametrize(
    "method",
    [
        pytest.param("compile", marks=pytest.mark.clause("SEQUENTIAL.COMPILE.ARGUMENT_ORDER")),
        pytest.param("fit", marks=pytest.mark.clause("SEQUENTIAL.FIT.ARGUMENT_ORDER")),
        pytest.param("evaluate", marks=pytest.mark.clause("SEQUENTIAL.EVALUATE.ARGUMENT_ORDER")),
        pytest.param("predict", marks=pytest.mark.clause("SEQUENTIAL.PREDICT.ARGUMENT_ORDER")),
    ],
)
def test_method_takes_the_printed_order(method):
    ph.assert_parameter_order(
        f"Sequential.{method}", getattr(tf.keras.Sequential, method), [*PRINTED[method]]
    )


# --- slide 20: compile ---------------------------------------------------------------------------


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
    """`call(verbose=0)` prints nothing, `call(verbose=1)` a progress bar that shows `progress`."""
    assert printed_by(capsys, lambda: call(verbose=0)) == "", f"{method}(verbose=0) prints"
    bar = printed_by(capsys, lambda: call(verbose=1))
    assert "1/1" in bar, f"{method}(verbose=1) prints no progress bar: {bar!r}"
    assert progress in bar, f"{method}(verbose=1) prints no {progress!r}: {bar!r}"


@pytest.mark.parametrize(
    "method",
    [
        pytest.param("fit", marks=pytest.mark.clause("SEQUENTIAL.FIT.VERBOSE_DEFAULT")),
        pytest.param("evaluate", marks=pytest.mark.clause("SEQUENTIAL.EVALUATE.VERBOSE_DEFAULT")),
        pytest.param("predict", marks=pytest.mark.clause("SEQUENTIAL.PREDICT.VERBOSE_DEFAULT")),
    ],
)
def test_verbose_has_the_printed_default(method):
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


@pytest.mark.parametrize(
    ("method", "name", "value"),
    [
        pytest.param(
            "fit",
            "max_queue_size",
            2,
            marks=pytest.mark.clause("SEQUENTIAL.FIT.MAX_QUEUE_SIZE"),
            id="fit-max_queue_size",
        ),
        pytest.param(
            "fit",
            "workers",
            2,
            marks=pytest.mark.clause("SEQUENTIAL.FIT.WORKERS"),
            id="fit-workers",
        ),
        pytest.param(
            "fit",
            "use_multiprocessing",
            True,
            marks=pytest.mark.clause("SEQUENTIAL.FIT.USE_MULTIPROCESSING"),
            id="fit-use_multiprocessing",
        ),
        pytest.param(
            "evaluate",
            "max_queue_size",
            2,
            marks=pytest.mark.clause("SEQUENTIAL.EVALUATE.MAX_QUEUE_SIZE"),
            id="evaluate-max_queue_size",
        ),
        pytest.param(
            "evaluate",
            "workers",
            2,
            marks=pytest.mark.clause("SEQUENTIAL.EVALUATE.WORKERS"),
            id="evaluate-workers",
        ),
        pytest.param(
            "evaluate",
            "use_multiprocessing",
            True,
            marks=pytest.mark.clause("SEQUENTIAL.EVALUATE.USE_MULTIPROCESSING"),
            id="evaluate-use_multiprocessing",
        ),
        pytest.param(
            "predict",
            "max_queue_size",
            2,
            marks=pytest.mark.clause("SEQUENTIAL.PREDICT.MAX_QUEUE_SIZE"),
            id="predict-max_queue_size",
        ),
        pytest.param(
            "predict",
            "workers",
            2,
            marks=pytest.mark.clause("SEQUENTIAL.PREDICT.WORKERS"),
            id="predict-workers",
        ),
        pytest.param(
            "predict",
            "use_multiprocessing",
            True,
            marks=pytest.mark.clause("SEQUENTIAL.PREDICT.USE_MULTIPROCESSING"),
            id="predict-use_multiprocessing",
        ),
    ],
)
def test_method_takes_and_ignores_with_arrays(method: str, name: str, value) -> None:
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


# --- slide 21: evaluate --------------------------------------------------------------------------


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


@pytest.mark.clause("SEQUENTIAL.EVALUATE.RETURN_DICT")
def test_evaluate_return_dict_names_the_scores(slide24):
    out = slide24.model.evaluate(slide24.data, slide24.labels, verbose=0, return_dict=True)
    expected = slide24_scores(slide24)
    assert sorted(out) == sorted(expected), f"evaluate(return_dict=True) has the keys {list(out)}"
    for name, value in expected.items():
        assert_reported(f"evaluate(return_dict=True)[{name!r}]", out[name], value)
    assert_printed("evaluate", "return_dict")


# --- slide 21: predict ---------------------------------------------------------------------------


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

"""What the SEQUENTIAL chapter's modules share: the signatures printed on slides 20-21, a frozen
linear model and its rows, slide 24's model as printed, and the fixtures built on it."""

import contextlib
import inspect
import warnings

import numpy as np
import tensorflow as tf

from spec import oracles
from spec import pytest_helpers as ph
from spec.harness.runtime import SEED
from spec.keras_helpers import fresh_keras, linear_model

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


def slide24_scores(slide24) -> dict[str, float]:
    """The loss and the accuracy of slide 24's model on its rows, in NumPy."""
    loss = oracles.categorical_crossentropy(slide24.labels, slide24.probabilities).mean()
    accuracy = oracles.categorical_accuracy(slide24.labels, slide24.probabilities).mean()
    return {"loss": loss, "accuracy": accuracy}

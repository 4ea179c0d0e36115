"""Loading a model file from an untrusted source, in a fresh interpreter: does code from the file
run?

`write(folder)` saves a model with a `Lambda` layer to `lambda.h5` and `lambda.keras`; the Lambda's
Python code, if it ever runs, touches the file named by $H5_SPEC_MARK. `run(folder)`, the
`untrusted` job of spec.fresh_interpreter, runs in a new interpreter, in which nothing but the file
can supply that code: it tries each way of loading in `WAYS` and reports, for each, whether it
raised (class and message), whether the mark appeared, and the weights it loaded.

`run_crafted(folder)`, the `crafted` job, builds and loads the files of `spec.crafted_files`, one
per published advisory, there.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

# Before TensorFlow runs an op: the suite's thread settings and determinism (spec.harness.runtime).
from spec.keras_helpers import fresh_keras

MARK_VARIABLE = "H5_SPEC_MARK"

# A Python lambda (what Keras serializes as bytecode) that touches $H5_SPEC_MARK when called, and
# otherwise passes its input through. It names only builtins, so it runs wherever it is loaded.
LEAVE_MARK = lambda x: (  # noqa: E731
    [
        __import__("pathlib").Path(p).touch()
        for p in [__import__("os").environ.get("H5_SPEC_MARK")]
        if p
    ],
    x,
)[1]


def lambda_model(function):
    """Input(3) -> Lambda(function) -> Dense(2)."""
    keras = fresh_keras()
    return keras.Sequential(
        [keras.Input((3,)), keras.layers.Lambda(function), keras.layers.Dense(2)]
    )


def write(directory: Path) -> list[np.ndarray]:
    """Save the Lambda model to `directory`/lambda.h5 and lambda.keras; its weights."""
    os.environ.pop(MARK_VARIABLE, None)
    model = lambda_model(LEAVE_MARK)
    with warnings.catch_warnings():
        # Keras 2's notice that .h5 is a legacy format: this file is one on purpose.
        warnings.simplefilter("ignore", UserWarning)
        for suffix in ("h5", "keras"):
            model.save(str(Path(directory) / f"lambda.{suffix}"))
    return model.get_weights()


def _load_weights_into_own_model(path: Path):
    """The safe way: the architecture from your own code, only the weights from the file."""
    model = lambda_model(lambda x: x)
    model.load_weights(str(path))
    return model


def _ways():
    import tensorflow as tf

    load = tf.keras.models.load_model
    return {
        "h5 default": lambda d: load(str(d / "lambda.h5")),
        "h5 safe_mode": lambda d: load(str(d / "lambda.h5"), safe_mode=True),
        "keras default": lambda d: load(str(d / "lambda.keras")),
        "keras safe_mode": lambda d: load(str(d / "lambda.keras"), safe_mode=True),
        "h5 weights only": lambda d: _load_weights_into_own_model(d / "lambda.h5"),
    }


WAYS = ("h5 default", "h5 safe_mode", "keras default", "keras safe_mode", "h5 weights only")


def _try(way, directory: Path, mark: Path) -> dict:
    os.environ[MARK_VARIABLE] = str(mark)
    outcome = {"raised": None, "message": "", "weights": None}
    try:
        model = way(directory)
        outcome["weights"] = [w.tolist() for w in model.get_weights()]
    except Exception as exc:
        outcome["raised"], outcome["message"] = type(exc).__name__, str(exc)[:500]
    finally:
        del os.environ[MARK_VARIABLE]
    outcome["ran_code"] = mark.exists()
    return outcome


def run(folder: Path) -> dict:
    """The `untrusted` job of spec.fresh_interpreter, on the files `write(folder)` saved: for each
    of `WAYS`, raised (class and message), ran_code (whether the mark appeared), weights."""
    ways = _ways()
    return {
        name: _try(ways[name], folder, folder / f"{name.replace(' ', '-')}.mark") for name in WAYS
    }


def run_crafted(folder: Path, unsafe: bool = False) -> dict:
    """The `crafted` job of spec.fresh_interpreter: what `spec.crafted_files.run` gives."""
    from spec import crafted_files

    return crafted_files.run(folder, unsafe=unsafe)

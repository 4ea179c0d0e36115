"""Loading a model file from an untrusted source, in a fresh interpreter: does code from the file
run?

`write(directory)` saves a model with a `Lambda` layer to `lambda.h5` and `lambda.keras`; the
Lambda's Python code, if it ever runs, touches the file named by $H5_SPEC_MARK. `Probe(directory)`
runs `python -m spec.untrusted_loading DIRECTORY` once: a new interpreter, in which nothing but the
file can supply that code, tries each way of loading in `WAYS` and writes, for each, whether it
raised (class and message), whether the mark appeared, and the weights it loaded. One subprocess
per environment, started early: importing TensorFlow costs seconds.

`Probe(directory, crafted=True)` runs `python -m spec.untrusted_loading --crafted DIRECTORY`
instead: the files of `spec.crafted_files`, one per published advisory, built and loaded there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

# Before TensorFlow runs an op: the suite's thread settings and determinism (spec.harness.runtime).
from spec.keras_helpers import fresh_keras

MARK_VARIABLE = "H5_SPEC_MARK"
REPORT = "report.json"
ROOT = Path(__file__).resolve().parent.parent

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


def main(directory: Path, crafted: bool = False, unsafe: bool = False) -> None:
    if crafted:
        from spec import crafted_files

        report = crafted_files.run(directory, unsafe=unsafe)
    else:
        ways = _ways()
        report = {
            name: _try(ways[name], directory, directory / f"{name.replace(' ', '-')}.mark")
            for name in WAYS
        }
    (directory / REPORT).write_text(json.dumps(report), encoding="utf-8")


class Probe:
    """`main(directory)` running in a new interpreter with this one's environment, started now so
    that its TensorFlow import overlaps with other work; `report()` waits for what it found."""

    def __init__(self, directory: Path, crafted: bool = False):
        self.directory = Path(directory)
        self._log = open(self.directory / "probe.log", "w", encoding="utf-8")  # noqa: SIM115
        mode = ["--crafted"] if crafted else []
        self._process = subprocess.Popen(
            [sys.executable, "-m", "spec.untrusted_loading", *mode, str(self.directory)],
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def report(self, timeout: float = 300) -> dict:
        """The report: for each of `WAYS`, raised, message, ran_code, weights (with `crafted`,
        for each advisory, what `spec.crafted_files.run` gives)."""
        code = self._process.wait(timeout)
        if code != 0:
            log = (self.directory / "probe.log").read_text("utf-8")
            raise RuntimeError(f"the loading subprocess exited with {code}:\n{log[-3000:]}")
        return json.loads((self.directory / REPORT).read_text("utf-8"))

    def close(self) -> None:
        """Stop the subprocess if it still runs."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._log.close()


if __name__ == "__main__":
    flags = sys.argv[1:-1]
    main(Path(sys.argv[-1]), crafted="--crafted" in flags, unsafe="--unsafe" in flags)

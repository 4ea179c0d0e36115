"""What this run is made of: the versions of Python, TensorFlow, the Keras behind `tf.keras`, NumPy
and h5py, and the suite's own commit."""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The distribution that provides each package `tf.keras` can resolve to.
KERAS_DISTRIBUTIONS = {"keras": "keras", "tf_keras": "tf-keras"}


def _distribution_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def keras_package() -> str:
    """The top-level package behind `tf.keras`: 'keras' (Keras 2 before TF 2.16, Keras 3 after)
    or 'tf_keras' (Keras 2 on new TensorFlow with TF_USE_LEGACY_KERAS=1)."""
    import tensorflow as tf

    return tf.keras.layers.Dense.__module__.split(".", 1)[0]


def versions() -> dict[str, str | None]:
    """The versions a result record and the expectations are keyed by.

    Raises ImportError when TensorFlow itself cannot be imported.
    """
    import numpy
    import tensorflow as tf

    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": _distribution_version(KERAS_DISTRIBUTIONS.get(keras_package(), "keras")),
        "numpy": numpy.__version__,
        "h5py": _distribution_version("h5py"),
    }


def suite_commit() -> str:
    """The suite's git commit, '-dirty' when the work tree has changes, 'unknown' outside git."""
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=40", "--exclude=*"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"

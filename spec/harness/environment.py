"""What this run is made of: the versions of Python, TensorFlow, the Keras behind `tf.keras`, NumPy
and h5py, and the suite's own commit."""

from __future__ import annotations

import importlib
import importlib.metadata
import platform
import subprocess
from pathlib import Path

from spec.harness.record import VERSION_KEYS

ROOT = Path(__file__).resolve().parents[2]
# The distributions that provide each package `tf.keras` can resolve to (tf-nightly installs
# keras-nightly, which is imported as `keras`).
KERAS_DISTRIBUTIONS = {
    "keras": ("keras", "keras-nightly"),
    "tf_keras": ("tf-keras", "tf-keras-nightly"),
}


def _distribution_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def keras_version(package: str) -> str | None:
    """The version of the Keras behind `tf.keras`: its distribution's, else the module's own."""
    for name in KERAS_DISTRIBUTIONS.get(package, (package,)):
        version = _distribution_version(name)
        if version:
            return version
    return getattr(importlib.import_module(package), "__version__", None)


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

    found = {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras_version(keras_package()),
        "numpy": numpy.__version__,
        "h5py": _distribution_version("h5py"),
    }
    return {key: found[key] for key in VERSION_KEYS}


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

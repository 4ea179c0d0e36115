"""MNIST for the practicals: Keras's copy when it is already on this machine, else the real images
shipped in `impl/mnist/` (see its README). Never the network."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np

SHIPPED = Path(__file__).resolve().parent / "mnist"
IMAGE_SIDE = 28
Split = tuple[np.ndarray, np.ndarray]


def keras_cache_file() -> Path:
    """Where `keras.datasets.mnist.load_data()` keeps its download: `datasets/mnist.npz` under
    $KERAS_HOME, else ~/.keras, or under /tmp/.keras when that directory is not writable (Keras's
    rule)."""
    base = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras").expanduser()
    if not os.access(base, os.W_OK):
        base = Path("/tmp/.keras")
    return base / "datasets" / "mnist.npz"


def load_mnist() -> tuple[Split, Split]:
    """`(x_train, y_train), (x_test, y_test)` as `keras.datasets.mnist.load_data()` gives them:
    uint8 images [n, 28, 28] with pixels 0-255 and uint8 labels 0-9.

    From Keras's cached `mnist.npz` when there is one (60,000 and 10,000 images), read directly:
    `load_data()` itself downloads the file again whenever its checksum is not the published one.
    Otherwise from the 6,000 training and 2,000 test images shipped with this package.

    Raises ValueError, naming the file, when the cached file is not in mnist.npz's format.
    """
    cached = keras_cache_file()
    if cached.is_file():
        return _from_npz(cached)
    return _from_idx("train"), _from_idx("test")


def _from_npz(path: Path) -> tuple[Split, Split]:
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in ("x_train", "y_train", "x_test", "y_test")}
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(
            f"{path} is not a Keras mnist.npz (arrays x_train, y_train, x_test, y_test): {exc}; "
            f"delete it to use the shipped images"
        ) from exc
    splits = (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
    for name, (images, labels) in zip(("train", "test"), splits, strict=True):
        _check(f"{path} ({name})", images, labels)
    return splits


def _check(where: str, images: np.ndarray, labels: np.ndarray) -> None:
    problem = None
    if images.dtype != np.uint8 or labels.dtype != np.uint8:
        problem = f"dtypes {images.dtype} and {labels.dtype}, not uint8"
    elif images.ndim != 3 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
        problem = f"images of shape {images.shape}, not [n, 28, 28]"
    elif labels.shape != images.shape[:1]:
        problem = f"{labels.shape[0]} labels for {images.shape[0]} images"
    elif labels.size and labels.max() > 9:
        problem = f"a label {labels.max()}, not 0-9"
    if problem:
        raise ValueError(f"{where} is not MNIST as Keras gives it: {problem}")


def _read_idx(name: str, header: int) -> np.ndarray:
    data = bytearray(gzip.decompress((SHIPPED / name).read_bytes()))  # writable, as Keras's arrays
    return np.frombuffer(data, np.uint8, offset=header)


def _from_idx(part: str) -> Split:
    """One part of the shipped subset, from its IDX files (the format of the MNIST originals)."""
    labels = _read_idx(f"{part}-labels-idx1-ubyte.gz", header=8)
    images = _read_idx(f"{part}-images-idx3-ubyte.gz", header=16)
    return images.reshape(-1, IMAGE_SIDE, IMAGE_SIDE), labels

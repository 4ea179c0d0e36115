"""MNIST from Keras's cache when it is there, else the real images shipped in the repository."""

import gzip
import os
import zipfile
from pathlib import Path

import numpy as np

SHIPPED = Path(__file__).resolve().parents[2] / "impl" / "mnist"
ARRAYS = ("x_train", "y_train", "x_test", "y_test")


def _keras_copy() -> Path:
    home = os.environ.get("KERAS_HOME")
    base = Path(home) if home else Path(os.environ.get("HOME", "~")).expanduser() / ".keras"
    return base / "datasets" / "mnist.npz"


def _read_keras_copy(path: Path):
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in ARRAYS}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{path} is not an npz with {', '.join(ARRAYS)}: {exc}") from exc
    for name in ("x_train", "x_test"):
        if arrays[name].dtype != np.uint8:
            raise ValueError(f"{path}: {name} is {arrays[name].dtype}, not uint8 images")
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _idx(name: str, magic: int) -> np.ndarray:
    """One gzip-compressed IDX file: a big-endian header (magic, then each size), then uint8."""
    raw = gzip.decompress((SHIPPED / name).read_bytes())
    rank = magic & 0xFF
    header = np.frombuffer(raw, ">u4", count=1 + rank)
    if header[0] != magic:
        raise ValueError(f"{SHIPPED / name} is not an IDX file of magic {magic}")
    return np.frombuffer(raw, np.uint8, offset=4 * (1 + rank)).reshape(header[1:]).copy()


def load_mnist():
    """((x_train, y_train), (x_test, y_test)): uint8 images (n, 28, 28) and uint8 labels (n,)."""
    path = _keras_copy()
    if path.exists():
        return _read_keras_copy(path)
    return tuple(
        (_idx(f"{part}-images-idx3-ubyte.gz", 2051), _idx(f"{part}-labels-idx1-ubyte.gz", 2049))
        for part in ("train", "test")
    )

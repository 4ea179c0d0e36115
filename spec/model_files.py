"""Keras models in files: saving and loading in each format, and what a model is made of (its
`ModelState`), so that a round trip can be compared piece by piece.

Formats: `h5` (the course's `model.save('my_model.h5')`), `keras` (the native `.keras` file) and
`savedmodel` (`model.save(directory, save_format='tf')`, Keras 2 only).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tensorflow as tf

FORMATS = ("h5", "keras", "savedmodel")
SUFFIXES = {"h5": ".h5", "keras": ".keras", "savedmodel": ""}


def path_for(directory: Path, fmt: str, stem: str = "model") -> Path:
    """Where a model named `stem` is saved in `directory` in format `fmt`."""
    return Path(directory) / f"{stem}{SUFFIXES[fmt]}"


def save(model, path: Path, fmt: str) -> Path:
    """`model.save(path)` as the course writes it (with `save_format='tf'` for a SavedModel)."""
    kwargs = {"save_format": "tf"} if fmt == "savedmodel" else {}
    model.save(str(path), **kwargs)
    return path


def load(path: Path, **kwargs):
    """`tf.keras.models.load_model(path, **kwargs)`."""
    return tf.keras.models.load_model(str(path), **kwargs)


def optimizer_variables(optimizer) -> list[np.ndarray]:
    """The values of an optimizer's variables (its iteration count, slots and, in Keras 3, its
    learning rate), in the optimizer's order."""
    variables = optimizer.variables
    variables = variables() if callable(variables) else variables
    return [tf.convert_to_tensor(v).numpy() for v in variables]


def loss_name(loss) -> str:
    """The name of a compiled loss: a string, a loss function or a `Loss` object."""
    if isinstance(loss, str):
        return loss
    return getattr(loss, "__name__", None) or loss.name


@dataclass(frozen=True)
class ModelState:
    """What `load_model` must give back: each layer's class and config, each layer's weights, the
    compiled loss, the compile config (what `compile` was given, as Keras serializes it), the
    optimizer's class, hyper-parameters and variables."""

    layers: tuple[tuple[str, dict], ...]
    weights: tuple[tuple[np.ndarray, ...], ...]
    loss: str | None
    compile_config: dict
    optimizer: str | None
    optimizer_config: dict
    optimizer_variables: tuple[np.ndarray, ...]


def state(model) -> ModelState:
    """The `ModelState` of `model`, copied out of it."""
    opt = model.optimizer
    return ModelState(
        layers=tuple((type(layer).__name__, layer.get_config()) for layer in model.layers),
        weights=tuple(tuple(np.array(w) for w in layer.get_weights()) for layer in model.layers),
        loss=None if getattr(model, "loss", None) is None else loss_name(model.loss),
        compile_config=model.get_compile_config() or {},
        optimizer=None if opt is None else type(opt).__name__,
        optimizer_config={} if opt is None else opt.get_config(),
        optimizer_variables=() if opt is None else tuple(optimizer_variables(opt)),
    )

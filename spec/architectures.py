"""Drawn Sequential architectures: plain data, the model each builds, and its closed-form shapes.

An `Architecture` is an input shape (without the batch axis) and a tuple of layer specs
`(kind, kwargs)`: `kind` names a class of `tf.keras.layers` (one of `LAYER_KINDS`) and `kwargs` are
its constructor's arguments, as plain Python values. It is what a test draws and prints; `build`
turns it into a model, and `output_shape` / `param_count` give what that model must have, from the
closed forms of `spec.oracles`, never from Keras.

    @given(arch=architectures(), data=st.data())
    def test_something(arch, data):
        model = build(arch)
        x = data.draw(batches(arch))
        assert model.predict(x, verbose=0).shape == (len(x), *arch.output_shape)

Every drawn architecture is valid on every Keras this suite runs: a 'valid' window never exceeds
its input, and every axis keeps at least one element.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import tensorflow as tf
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import oracles
from spec.harness.runtime import SEED
from spec.keras_helpers import fresh_keras

LAYER_KINDS = ("Dense", "Conv2D", "MaxPooling2D", "Flatten", "Dropout", "BatchNormalization")
# The kinds that need a channels-last image (Flatten: one that later layers take as a vector).
IMAGE_KINDS = ("Conv2D", "MaxPooling2D", "Flatten")
ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh")
PADDINGS = ("valid", "same")


@dataclass(frozen=True)
class Architecture:
    """A Sequential model as plain data: `input_shape` and the `(kind, kwargs)` of each layer."""

    input_shape: tuple[int, ...]
    layers: tuple[tuple[str, dict], ...]

    @property
    def output_shape(self) -> tuple[int, ...]:
        """The model's output shape without the batch axis, in closed form."""
        return oracles.sequential_shapes(self.input_shape, self.layers)[-1]

    @property
    def param_count(self) -> int:
        """The model's `count_params()`, non-trainable weights included, in closed form."""
        return oracles.sequential_param_count(self.input_shape, self.layers)

    def __str__(self) -> str:
        """The code that builds this model, for failure messages and reproductions."""
        layers = "".join(
            f"    tf.keras.layers.{kind}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())}),\n"
            for kind, kwargs in self.layers
        )
        return f"tf.keras.Sequential([\n    tf.keras.Input({self.input_shape!r}),\n{layers}])"


def layer(kind: str, kwargs: dict):
    """The Keras layer `tf.keras.layers.<kind>(**kwargs)` of the current `tf.keras`."""
    if kind not in LAYER_KINDS:
        raise ValueError(f"unknown layer kind {kind!r}; expected one of {LAYER_KINDS}")
    return getattr(tf.keras.layers, kind)(**kwargs)


def build(arch: Architecture, *, seed: int = SEED):
    """The Sequential model of `arch`, built in a fresh Keras session seeded with `seed` (the
    suite's seed by default), so that the same architecture gets the same weights and layer names
    on every run. The input is a `tf.keras.Input`, the form every Keras accepts without warning."""
    keras = fresh_keras(seed)
    return keras.Sequential(
        [keras.Input(arch.input_shape), *(layer(kind, kwargs) for kind, kwargs in arch.layers)]
    )


# --- strategies ---------------------------------------------------------------------------------


def _windows(side: int, padding: str, max_window: int) -> st.SearchStrategy:
    """Window lengths that fit an axis of length `side` (any up to `max_window` for 'same')."""
    return st.integers(1, max_window if padding == "same" else min(side, max_window))


@st.composite
def _window_layer(draw, kind: str, shape: tuple[int, ...], max_window: int) -> tuple[str, dict]:
    padding = draw(st.sampled_from(PADDINGS))
    window = (
        draw(_windows(shape[0], padding, max_window)),
        draw(_windows(shape[1], padding, max_window)),
    )
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    if kind == "MaxPooling2D":
        return kind, {
            "pool_size": window,
            "strides": draw(st.sampled_from([None, strides])),
            "padding": padding,
        }
    return kind, {
        "filters": draw(st.integers(1, 4)),
        "kernel_size": window,
        "strides": strides,
        "padding": padding,
        "activation": draw(st.sampled_from(ACTIVATIONS)),
    }


def _layer_spec(kind: str, shape: tuple[int, ...], max_window: int) -> st.SearchStrategy:
    if kind in ("Conv2D", "MaxPooling2D"):
        return _window_layer(kind, shape, max_window)
    if kind == "Dense":
        return st.fixed_dictionaries(
            {
                "units": st.integers(1, 8),
                "activation": st.sampled_from(ACTIVATIONS),
                "use_bias": st.booleans(),
            }
        ).map(lambda kw: ("Dense", kw))
    if kind == "Dropout":
        return st.sampled_from([0.0, 0.25, 0.5]).map(lambda rate: ("Dropout", {"rate": rate}))
    if kind == "BatchNormalization":
        return st.fixed_dictionaries({"center": st.booleans(), "scale": st.booleans()}).map(
            lambda kw: ("BatchNormalization", kw)
        )
    return st.just(("Flatten", {}))


@st.composite
def architectures(
    draw,
    *,
    min_layers: int = 1,
    max_layers: int = 4,
    max_side: int = 10,
    max_channels: int = 3,
    max_window: int = 4,
    kinds: tuple[str, ...] = LAYER_KINDS,
) -> Architecture:
    """Sequential architectures of `min_layers` to `max_layers` layers of the given `kinds`, on a
    vector input (features,) or a channels-last image (height, width, channels). Conv2D,
    MaxPooling2D and Flatten come while the input is still an image, the other kinds anywhere.
    Sides up to `max_side`, windows up to `max_window`, strides up to 3, at most 8 units or 4
    filters per layer."""
    unknown = set(kinds) - set(LAYER_KINDS)
    if not kinds or unknown:
        raise ValueError(f"kinds must be some of {LAYER_KINDS}, not {kinds!r}")
    anywhere = [k for k in kinds if k not in IMAGE_KINDS]
    # Without a kind that takes a vector, neither a vector input nor a Flatten could be followed.
    # Windows are listed twice on images, and images are drawn three times in four, so that most
    # drawn models have a convolution or a pooling.
    windows = [k for k in kinds if k in ("Conv2D", "MaxPooling2D")]
    on_image = [*windows, *windows, *(k for k in kinds if k not in windows)]
    on_image = [k for k in on_image if anywhere or k != "Flatten"]
    if not on_image:
        raise ValueError("a Flatten needs a kind after it that takes a vector")
    image = st.tuples(
        st.integers(1, max_side), st.integers(1, max_side), st.integers(1, max_channels)
    )
    vector = st.tuples(st.integers(1, 8))
    input_shape = draw(image if not anywhere or draw(st.integers(0, 3)) else vector)
    shape, layers = input_shape, []
    for _ in range(draw(st.integers(min_layers, max_layers))):
        kind = draw(st.sampled_from(on_image if len(shape) == 3 else anywhere))
        spec = draw(_layer_spec(kind, shape, max_window))
        layers.append(spec)
        shape = oracles.layer_output_shape(*spec, shape)
    return Architecture(input_shape=input_shape, layers=tuple(layers))


def batches(arch: Architecture, *, min_batch: int = 1, max_batch: int = 3) -> st.SearchStrategy:
    """float32 input batches for `arch`, values multiples of 1/4 in [-2, 2]."""
    return st.integers(min_batch, max_batch).flatmap(
        lambda n: hnp.arrays(
            np.float32,
            (n, *arch.input_shape),
            elements=st.integers(-8, 8).map(lambda k: k / 4),
        )
    )

"""SEQUENTIAL: closed-form output shapes and parameter counts of Sequential architectures."""

from __future__ import annotations

import math

# A layer is given as plain data, (kind, kwargs) with the kwargs of its Keras constructor, and a
# shape as a tuple of ints without the batch axis.


def _pair(value) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


def window_output_length(n: int, window: int, stride: int, padding: str) -> int:
    """The length a sliding window (a convolution or a pooling) leaves of an axis of length `n`:
    floor((n - window) / stride) + 1 for 'valid', ceil(n / stride) for 'same'."""
    if padding == "valid":
        return (n - window) // stride + 1
    if padding == "same":
        return -(-n // stride)
    raise ValueError(f"padding must be 'valid' or 'same', not {padding!r}")


def _window_output_shape(shape, window, strides, padding, channels) -> tuple[int, ...]:
    height, width, _ = shape
    (kh, kw), (sh, sw) = _pair(window), _pair(strides)
    return (
        window_output_length(height, kh, sh, padding),
        window_output_length(width, kw, sw, padding),
        channels,
    )


def layer_output_shape(kind: str, kwargs: dict, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape (without the batch axis) that the layer `kind(**kwargs)` gives an input of `shape`;
    Conv2D and MaxPooling2D take channels-last images (height, width, channels)."""
    if kind == "Dense":
        return (*shape[:-1], kwargs["units"])
    if kind == "Conv2D":
        return _window_output_shape(
            shape,
            kwargs["kernel_size"],
            kwargs.get("strides", 1),
            kwargs.get("padding", "valid"),
            kwargs["filters"],
        )
    if kind == "MaxPooling2D":
        pool = kwargs.get("pool_size", 2)
        strides = kwargs.get("strides") or pool
        return _window_output_shape(shape, pool, strides, kwargs.get("padding", "valid"), shape[-1])
    if kind == "Flatten":
        return (math.prod(shape),)
    if kind in ("Dropout", "BatchNormalization"):
        return tuple(shape)
    raise ValueError(f"no output-shape formula for layer kind {kind!r}")


def layer_param_count(kind: str, kwargs: dict, shape: tuple[int, ...]) -> int:
    """How many numbers the weights of `kind(**kwargs)` hold on an input of `shape`, non-trainable
    ones included: Dense n_in*units (+ units), Conv2D kh*kw*c_in*filters (+ filters),
    BatchNormalization (2 + center + scale) * channels (moving mean and variance, beta, gamma)."""
    if kind == "Dense":
        return shape[-1] * kwargs["units"] + kwargs["units"] * kwargs.get("use_bias", True)
    if kind == "Conv2D":
        kh, kw = _pair(kwargs["kernel_size"])
        filters = kwargs["filters"]
        return kh * kw * shape[-1] * filters + filters * kwargs.get("use_bias", True)
    if kind == "BatchNormalization":
        return shape[-1] * (2 + kwargs.get("center", True) + kwargs.get("scale", True))
    if kind in ("MaxPooling2D", "Flatten", "Dropout"):
        return 0
    raise ValueError(f"no parameter-count formula for layer kind {kind!r}")


def sequential_shapes(input_shape, layers) -> list[tuple[int, ...]]:
    """The shape after each layer of a Sequential model, starting with `input_shape`."""
    shapes = [tuple(input_shape)]
    for kind, kwargs in layers:
        shapes.append(layer_output_shape(kind, kwargs, shapes[-1]))
    return shapes


def sequential_param_count(input_shape, layers) -> int:
    """`count_params()` of a Sequential model of `layers` on `input_shape`, in closed form."""
    shapes = sequential_shapes(input_shape, layers)
    return sum(layer_param_count(k, kw, s) for (k, kw), s in zip(layers, shapes, strict=False))


def trainable_and_frozen(input_shape, layers) -> tuple[int, int]:
    """`count_params()` split into (trainable, non-trainable): batch normalisation's moving mean
    and variance, two numbers per channel, are the only weights that training does not change."""
    shapes = sequential_shapes(input_shape, layers)
    frozen = sum(
        2 * shape[-1]
        for (kind, _), shape in zip(layers, shapes, strict=False)
        if kind == "BatchNormalization"
    )
    return sequential_param_count(input_shape, layers) - frozen, frozen

"""Independent oracles: NumPy in float64 and closed forms, never the TensorFlow call they check."""

from __future__ import annotations

import math

import numpy as np


def range_length(start: float, limit: float, delta: float) -> int:
    """How many elements `range(start, limit, delta)` has: ceil((limit - start) / delta)."""
    return max(0, math.ceil((limit - start) / delta))


def arithmetic_sequence(start: float, delta: float, count: int) -> np.ndarray:
    """start, start + delta, ..., in float64."""
    return start + delta * np.arange(count, dtype=np.float64)


# --- Sequential architectures: closed-form output shapes and parameter counts -------------------
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


# --- Keras models in NumPy: forward passes, losses and metrics, minibatch SGD, in float64 --------


def softmax(z: np.ndarray) -> np.ndarray:
    """exp(z) / sum(exp(z)) along the last axis."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "softmax": softmax,
}


def dense_forward(x, layers) -> np.ndarray:
    """A stack of Dense layers, each `(kernel, bias, activation)`: activation(x @ kernel + bias)."""
    out = np.asarray(x, np.float64)
    for kernel, bias, activation in layers:
        out = ACTIVATIONS[activation](out @ np.asarray(kernel, np.float64) + bias)
    return out


def categorical_crossentropy(y_true, y_prob) -> np.ndarray:
    """-sum(y * log(p)) per row, for one-hot `y_true` and probabilities `y_prob`."""
    return -np.sum(np.asarray(y_true) * np.log(np.asarray(y_prob, np.float64)), axis=-1)


def categorical_accuracy(y_true, y_prob) -> np.ndarray:
    """1.0 where the most probable class is the true one, else 0.0, per row."""
    return (np.argmax(y_true, axis=-1) == np.argmax(y_prob, axis=-1)).astype(np.float64)


def conv2d(x, kernel, bias, strides: int) -> np.ndarray:
    """The 'valid' 2-D cross-correlation of channels-last images `x` (n, h, w, c) with `kernel`
    (kh, kw, c, filters), plus `bias`, with the same stride along both axes."""
    x, kernel = np.asarray(x, np.float64), np.asarray(kernel, np.float64)
    kh, kw = kernel.shape[:2]
    rows = window_output_length(x.shape[1], kh, strides, "valid")
    cols = window_output_length(x.shape[2], kw, strides, "valid")
    out = np.empty((x.shape[0], rows, cols, kernel.shape[3]))
    for i in range(rows):
        for j in range(cols):
            patch = x[:, i * strides : i * strides + kh, j * strides : j * strides + kw, :]
            out[:, i, j, :] = np.tensordot(patch, kernel, axes=3)
    return out + bias


def max_pool2d(x, pool: int, strides: int, padding: str) -> np.ndarray:
    """Max pooling of channels-last images over `pool` x `pool` windows; 'same' pads each axis with
    -inf, the odd element after (TensorFlow's convention), to ceil(n / strides) windows."""
    x = np.asarray(x, np.float64)
    sizes = [window_output_length(n, pool, strides, padding) for n in x.shape[1:3]]
    pads = [max((m - 1) * strides + pool - n, 0) for m, n in zip(sizes, x.shape[1:3], strict=True)]
    x = np.pad(x, [(0, 0), *((p // 2, p - p // 2) for p in pads), (0, 0)], constant_values=-np.inf)
    out = np.empty((x.shape[0], *sizes, x.shape[3]))
    for i in range(sizes[0]):
        for j in range(sizes[1]):
            window = x[:, i * strides : i * strides + pool, j * strides : j * strides + pool, :]
            out[:, i, j, :] = window.max(axis=(1, 2))
    return out


def sgd_linear_regression(x, y, kernel, bias, *, learning_rate, batch_size, epochs):
    """The kernel and bias of a linear model x @ kernel + bias after minibatch gradient descent on
    the mean squared error, taking the batches in the order of the rows (no shuffling)."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    kernel, bias = np.array(kernel, np.float64), np.array(bias, np.float64)
    for _ in range(epochs):
        for start in range(0, len(x), batch_size):
            xb, yb = x[start : start + batch_size], y[start : start + batch_size]
            residual = xb @ kernel + bias - yb
            scale = 2.0 / residual.size
            kernel -= learning_rate * scale * xb.T @ residual
            bias -= learning_rate * scale * residual.sum(axis=0)
    return kernel, bias


def absolute_error(y_true, y_pred) -> np.ndarray:
    """|y_true - y_pred| averaged over the last axis: Keras's mean absolute error, per row."""
    diff = np.asarray(y_true, np.float64) - np.asarray(y_pred, np.float64)
    return np.abs(diff).mean(axis=-1)


def squared_error(y_true, y_pred) -> np.ndarray:
    """(y_true - y_pred)**2 averaged over the last axis: Keras's mean squared error, per row."""
    diff = np.asarray(y_true, np.float64) - np.asarray(y_pred, np.float64)
    return (diff**2).mean(axis=-1)


def sum_over_batch_size(losses, weights=None) -> float:
    """A Keras loss over a batch: sum(w * loss) / n, the weights summed over rows but divided by
    the number of rows, not by the sum of the weights."""
    losses = np.asarray(losses, np.float64)
    weights = np.ones_like(losses) if weights is None else np.asarray(weights, np.float64)
    return float((weights * losses).sum() / losses.size)


def weighted_mean(values, weights) -> float:
    """sum(w * v) / sum(w): a Keras metric under sample weights."""
    values, weights = np.asarray(values, np.float64), np.asarray(weights, np.float64)
    return float((weights * values).sum() / weights.sum())


def validation_rows(n: int, split: float) -> range:
    """The rows `fit(validation_split=split)` holds out of n: the last ones, from
    floor(n * (1 - split)) on, as Keras documents (the last fraction, before shuffling)."""
    return range(math.floor(n * (1.0 - split)), n)


def l2_penalty(factor: float, weights) -> float:
    """What `tf.keras.regularizers.l2(factor)` adds to the loss: factor * sum(w**2)."""
    return float(factor * np.sum(np.asarray(weights, np.float64) ** 2))

"""Independent oracles: NumPy in float64 and closed forms, never the TensorFlow call they check."""

from __future__ import annotations

import decimal
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np


def range_length(start: float, limit: float, delta: float) -> int:
    """How many elements `range(start, limit, delta)` has: ceil((limit - start) / delta)."""
    return max(0, math.ceil((limit - start) / delta))


def arithmetic_sequence(start: float, delta: float, count: int) -> np.ndarray:
    """start, start + delta, ..., in float64."""
    return start + delta * np.arange(count, dtype=np.float64)


# --- QUADRATIC: exact and 60-digit arithmetic on the coefficients' float values ------------------


def quadratic_discriminant(a: float, b: float, c: float) -> Fraction:
    """b² - 4ac, exactly."""
    a, b, c = (Fraction(float(v)) for v in (a, b, c))
    return b * b - 4 * a * c


def quadratic_roots(a, b, c) -> tuple[np.ndarray, np.ndarray]:
    """The roots (smaller, larger) of a x² + b x + c, a != 0, elementwise over broadcast arrays, as
    float64: the textbook formula in 60-digit decimal arithmetic (its cancellation costs at most
    the 16 digits that float64 has); NaN where b² < 4ac."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, c)))
    low, high = np.empty(a.shape), np.empty(a.shape)
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        for i in np.ndindex(a.shape):
            da, db, dc = (Decimal(float(v[i])) for v in (a, b, c))
            d = db * db - 4 * da * dc
            if d < 0:
                low[i] = high[i] = math.nan
                continue
            pair = sorted([(-db - d.sqrt()) / (2 * da), (-db + d.sqrt()) / (2 * da)])
            low[i], high[i] = float(pair[0]), float(pair[1])
    return low, high


def quadratic_relative_residual(a, b, c, r) -> np.ndarray:
    """|a r² + b r + c| / (|a| r² + |b| |r| + |c|), exactly, elementwise: how far r is from being
    a root, relative to the size of the terms."""
    a, b, c, r = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, c, r)))
    out = np.empty(a.shape)
    for i in np.ndindex(a.shape):
        fa, fb, fc, fr = (Fraction(float(v[i])) for v in (a, b, c, r))
        scale = abs(fa) * fr * fr + abs(fb) * abs(fr) + abs(fc)
        out[i] = float(abs(fa * fr * fr + fb * fr + fc) / scale) if scale else 0.0
    return out


# --- PERCEPTRON and LOSS: NumPy float64 ------------------------------------------------------


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def sigmoid(z) -> np.ndarray:
    """1 / (1 + e^-z), in float64 (0 where e^-z overflows)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-_f64(z)))


def perceptron_output(x, w, w0, activation: str = "sigmoid") -> np.ndarray:
    """g(w0 + Σ x_i w_i) over the last axis of x, in float64 (slides 14-15)."""
    return ACTIVATIONS[activation](_f64(w0) + _f64(x) @ _f64(w))


def mean_squared_error(y_true, y_pred) -> float:
    """The mean of (y_true - y_pred)² over every element (broadcasting, as NumPy does)."""
    return float(np.mean((_f64(y_true) - _f64(y_pred)) ** 2))


def log_softmax(logits) -> np.ndarray:
    """log softmax over the last axis, logits - log Σ e^logits, by np.logaddexp (exact in range)."""
    logits = _f64(logits)
    return logits - np.logaddexp.reduce(logits, axis=-1, keepdims=True)


def softmax(logits) -> np.ndarray:
    """e^logits / Σ e^logits over the last axis, in float64."""
    return np.exp(log_softmax(logits))


# Keras's activations by name, in float64.
ACTIVATIONS = {
    "sigmoid": sigmoid,
    "tanh": lambda z: np.tanh(_f64(z)),
    "relu": lambda z: np.maximum(_f64(z), 0.0),
    "linear": _f64,
    "softmax": softmax,
}


def softmax_cross_entropy(labels, logits) -> float:
    """The mean over the batch of -Σ labels · log softmax(logits), classes on the last axis."""
    return float(np.mean(-np.sum(_f64(labels) * log_softmax(logits), axis=-1)))


def binary_cross_entropy(labels, logits) -> float:
    """The mean of -[y log σ(z) + (1 - y) log(1 - σ(z))], from -log σ(z) = log(1 + e^-z) and
    -log(1 - σ(z)) = log(1 + e^z) (np.logaddexp, finite for any finite z)."""
    y, z = _f64(labels), _f64(logits)
    return float(np.mean(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))


# --- OPTIM: least squares, gradient descent, the Keras optimizers' update formulas --------------
# The least-squares problem J(w) = (1/n) sum_i J_i(w), J_i(w) = (x_i . w - y_i)^2 / 2, in float64.


def least_squares_loss(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """J(w) = (1/2n) ||x w - y||^2."""
    residual = np.asarray(x, np.float64) @ np.asarray(w, np.float64) - y
    return float(0.5 * np.mean(residual**2))


def least_squares_gradients(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Each example's gradient dJ_i/dw = (x_i . w - y_i) x_i, [n, d]."""
    x = np.asarray(x, np.float64)
    return (x @ np.asarray(w, np.float64) - y)[:, None] * x


def least_squares_solution(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The minimiser of J, by numpy.linalg.lstsq."""
    return np.linalg.lstsq(np.asarray(x, np.float64), np.asarray(y, np.float64), rcond=None)[0]


def curvature(x: np.ndarray) -> tuple[float, float]:
    """(mu, L): the smallest and largest eigenvalue of J's Hessian x^T x / n, its strong convexity
    and its smoothness constants."""
    eigenvalues = np.linalg.eigvalsh(np.asarray(x, np.float64).T @ x / len(x))
    return float(eigenvalues[0]), float(eigenvalues[-1])


def gradient_descent_iterates(
    x: np.ndarray, y: np.ndarray, w0: np.ndarray, learning_rate: float, steps: int
) -> np.ndarray:
    """w_0 ... w_steps of W <- W - eta dJ/dW in closed form: w_k = w* + (I - eta H)^k (w_0 - w*),
    with H = x^T x / n = V diag(lambda) V^T, [steps + 1, d]."""
    x = np.asarray(x, np.float64)
    eigenvalues, v = np.linalg.eigh(x.T @ x / len(x))
    solution = least_squares_solution(x, y)
    error = v.T @ (np.asarray(w0, np.float64) - solution)
    factors = (1 - learning_rate * eigenvalues) ** np.arange(steps + 1)[:, None]
    return solution + (factors * error) @ v.T


def adam_weights(
    w: np.ndarray, grads, learning_rate: float, beta_1: float, beta_2: float, epsilon: float
) -> np.ndarray:
    """The weights after one Adam step per gradient in `grads`: Kingma and Ba (2015), in the form
    of section 2's last paragraph, with epsilon-hat (Keras's documented `epsilon`):
    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  a_t = lr sqrt(1 - b2^t) / (1 - b1^t);
    w = w - a_t m / (sqrt(v) + epsilon)."""
    w, m, v = np.asarray(w, np.float64), 0.0, 0.0
    for t, g in enumerate(grads, 1):
        g = np.asarray(g, np.float64)
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        alpha = learning_rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        w = w - alpha * m / (np.sqrt(v) + epsilon)
    return w


def rmsprop_weights(
    w: np.ndarray, grads, learning_rate: float, rho: float, epsilon: float
) -> np.ndarray:
    """The weights after one RMSprop step per gradient in `grads`: Hinton's RMSprop (Neural Networks
    for Machine Learning, lecture 6e) as Goodfellow, Bengio and Courville, Deep Learning (2016),
    algorithm 8.5, write it, epsilon under the square root:
    r = rho r + (1 - rho) g^2;  w = w - lr g / sqrt(r + epsilon)."""
    w, r = np.asarray(w, np.float64), 0.0
    for g in grads:
        g = np.asarray(g, np.float64)
        r = rho * r + (1 - rho) * g**2
        w = w - learning_rate * g / np.sqrt(r + epsilon)
    return w


def sgd_weights(w: np.ndarray, grads, learning_rate: float) -> np.ndarray:
    """The weights after W <- W - lr g for each gradient g in `grads`."""
    return np.asarray(w, np.float64) - learning_rate * np.sum(np.asarray(grads, np.float64), axis=0)


def normal_cdf(x: np.ndarray, stddev: float) -> np.ndarray:
    """The distribution function of N(0, stddev^2)."""
    return 0.5 * (1 + np.vectorize(math.erf)(np.asarray(x, np.float64) / (stddev * math.sqrt(2))))


def kolmogorov_smirnov_distance(sample: np.ndarray, cdf) -> float:
    """sup_x |F_n(x) - F(x)| between the sample's empirical distribution function and `cdf`."""
    sample = np.sort(np.asarray(sample, np.float64).ravel())
    n, f = len(sample), cdf(sample)
    return float(max(np.max(np.arange(1, n + 1) / n - f), np.max(f - np.arange(n) / n)))


def uniform_cdf(x: np.ndarray, limit: float) -> np.ndarray:
    """The distribution function of U(-limit, limit)."""
    return np.clip((np.asarray(x, np.float64) + limit) / (2 * limit), 0.0, 1.0)


def glorot_limit(fan_in: int, fan_out: int) -> float:
    """sqrt(6 / (fan_in + fan_out)): the bound of Glorot and Bengio's (2010) uniform
    initialisation, whose variance, limit^2 / 3, is 2 / (fan_in + fan_out)."""
    return math.sqrt(6 / (fan_in + fan_out))


# --- PRACTICAL: the models' parameter counts and shapes, softmax regression ----------------------


def softmax_regression_gradients(
    x: np.ndarray, labels: np.ndarray, kernel: np.ndarray, bias: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of the mean categorical cross-entropy of softmax(x kernel + bias) against one-hot
    `labels`, with respect to the kernel and the bias: (x^T (p - labels) / n, mean(p - labels))."""
    x = np.asarray(x, np.float64)
    delta = softmax(x @ kernel + bias) - labels
    return x.T @ delta / len(x), delta.mean(axis=0)


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


# --- Keras models in NumPy: forward passes, losses and metrics, minibatch SGD, in float64 --------


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


def optimizer_steps(samples: int, batch_size: int, epochs: int) -> int:
    """How many updates `fit` makes: ceil(samples / batch_size) batches in each epoch."""
    return epochs * math.ceil(samples / batch_size)

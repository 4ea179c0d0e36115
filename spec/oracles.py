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


ACTIVATIONS = {
    "sigmoid": sigmoid,
    "tanh": lambda z: np.tanh(_f64(z)),
    "relu": lambda z: np.maximum(_f64(z), 0.0),
    "linear": _f64,
}


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


# --- PRACTICAL: the models' parameter counts and shapes, softmax regression ----------------------


def dense_parameters(inputs: int, units: int, *, bias: bool = True) -> int:
    """A dense layer's weights: the inputs x units kernel, plus a bias per unit."""
    return inputs * units + units * bias


def conv2d_parameters(kernel: int, channels: int, filters: int, *, bias: bool = True) -> int:
    """A 2-D convolution's weights: a kernel x kernel x channels filter per output, plus biases."""
    return kernel * kernel * channels * filters + filters * bias


def batch_norm_parameters(features: int, *, center: bool, scale: bool) -> tuple[int, int]:
    """(trainable, non-trainable) weights of batch normalisation: an offset and/or a scale per
    feature; a moving mean and a moving variance per feature."""
    return features * (center + scale), 2 * features


def same_padding_side(side: int, strides: int) -> int:
    """The output side of a 'same'-padded convolution: ceil(side / strides)."""
    return -(-side // strides)


def softmax_regression_gradients(
    x: np.ndarray, labels: np.ndarray, kernel: np.ndarray, bias: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of the mean categorical cross-entropy of softmax(x kernel + bias) against one-hot
    `labels`, with respect to the kernel and the bias: (x^T (p - labels) / n, mean(p - labels))."""
    x = np.asarray(x, np.float64)
    delta = softmax(x @ kernel + bias) - labels
    return x.T @ delta / len(x), delta.mean(axis=0)

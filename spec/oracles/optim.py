"""OPTIM: least squares, gradient descent, the Keras optimizers' update formulas, a sample's
distance from a distribution, in NumPy float64."""

from __future__ import annotations

import math

import numpy as np

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


def minibatch_iterates(
    x: np.ndarray,
    y: np.ndarray,
    w0: np.ndarray,
    learning_rate: float,
    steps: int,
    batch_size: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The weights after each step of minibatch gradient descent on least squares, [steps + 1, d],
    and the batch's mean loss at the start of each step, [steps]: step k takes the examples at
    positions kB to kB + B - 1 of `example_order` and moves by -lr times their mean gradient."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    order = example_order(len(x), seed, steps * batch_size)
    w, weights, losses = np.asarray(w0, np.float64), [np.asarray(w0, np.float64)], []
    for k in range(steps):
        batch = order[k * batch_size : (k + 1) * batch_size]
        losses.append(least_squares_loss(x[batch], y[batch], w))
        w = w - learning_rate * least_squares_gradients(x[batch], y[batch], w).mean(axis=0)
        weights.append(w)
    return np.array(weights), np.array(losses)


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


def example_order(n: int, seed: int, count: int) -> list[int]:
    """The first `count` example indices of the contract's order: every epoch a new permutation of
    range(n) from numpy.random.default_rng(seed)."""
    rng, out = np.random.default_rng(seed), []
    while len(out) < count:
        out += rng.permutation(n).tolist()
    return out[:count]

"""The convex problem the optimizer clauses descend: least squares, J(w) = (1/n) sum_i J_i(w) with
J_i(w) = (x_i . w - y_i)^2 / 2, on drawn data whose Hessian x^T x / n has its eigenvalues in a
chosen interval [1, condition], so that mu, L, the rates and the solution are known in closed form
(spec.oracles)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import tensorflow as tf
from hypothesis import strategies as st

from spec import oracles


def per_example_loss(w, x, y):
    """J_k(w) for each example (row) of the batch (x, y), in TensorFlow: [batch]."""
    return 0.5 * tf.square(tf.linalg.matvec(x, w) - y)


@dataclass(frozen=True, eq=False)
class Problem:
    x: np.ndarray  # [n, d], float64
    y: np.ndarray  # [n]
    w0: np.ndarray  # [d], the starting weights

    def loss(self, w):
        """J(w), in TensorFlow: the argument gradient descent takes."""
        return tf.reduce_mean(per_example_loss(w, self.x, self.y))

    @cached_property
    def solution(self) -> np.ndarray:
        return oracles.least_squares_solution(self.x, self.y)

    @cached_property
    def mu_and_l(self) -> tuple[float, float]:
        return oracles.curvature(self.x)

    def distance(self, w) -> float:
        """||w - w*||."""
        return float(np.linalg.norm(np.asarray(w, np.float64) - self.solution))

    def __repr__(self) -> str:
        mu, big_l = self.mu_and_l
        return f"least squares (n={len(self.x)}, d={self.x.shape[1]}, mu={mu:.3g}, L={big_l:.3g})"


def make(seed: int, n: int, eigenvalues, noise: float = 0.5) -> Problem:
    """x = sqrt(n) U diag(sqrt(eigenvalues)) V^T with U, V drawn orthonormal from `seed` (so that
    x^T x / n = V diag(eigenvalues) V^T), y = x w_true + noise, and w0, all N(0, 1)."""
    rng = np.random.default_rng(seed)
    d = len(eigenvalues)
    u = np.linalg.qr(rng.standard_normal((n, d)))[0]
    v = np.linalg.qr(rng.standard_normal((d, d)))[0]
    x = np.sqrt(n) * (u * np.sqrt(np.asarray(eigenvalues, np.float64))) @ v.T
    y = x @ rng.standard_normal(d) + noise * rng.standard_normal(n)
    return Problem(x=x, y=y, w0=rng.standard_normal(d))


@st.composite
def problems(
    draw, *, n=(4, 16), max_d: int = 4, condition: float = 4.0, noise: float = 0.5
) -> Problem:
    """Well-conditioned problems: the Hessian's eigenvalues drawn in [1, condition]."""
    rows = draw(st.integers(*n), label="n")
    d = draw(st.integers(1, min(max_d, rows)), label="d")
    eigenvalues = draw(st.lists(st.floats(1.0, condition), min_size=d, max_size=d))
    return make(draw(st.integers(0, 2**32 - 1), label="seed"), rows, eigenvalues, noise)

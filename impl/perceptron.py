"""Slides 14-16: the perceptron's output ŷ = g(w0 + Xᵀ W)."""

from __future__ import annotations

from collections.abc import Callable

import tensorflow as tf

from impl import inputs


def output(x, w, w0, activation: str | Callable = "sigmoid") -> tf.Tensor:
    """ŷ = g(w0 + Xᵀ W) for one example `x` of shape (m,) or a batch of shape (..., m), weights
    `w` of shape (m,) and a scalar bias `w0`; the output has the shape of `x` without its last
    axis. `activation` (g) is a Keras activation name ('sigmoid', 'relu', 'tanh', 'linear', ...)
    or a callable on tensors.

    Inputs and dtype follow `impl.inputs`; shapes that do not fit raise ValueError (or
    InvalidArgumentError when a graph learns them only when it runs), an unknown activation name
    raises ValueError.
    """
    g = activation_function(activation)
    (x, w, w0), dtype = inputs.floats("output", x=x, w=w, w0=w0)
    with inputs.checked(shape_checks(x, w, w0)):
        return tf.cast(g(w0 + tf.reduce_sum(x * w, axis=-1)), dtype)


def activation_function(activation: str | Callable) -> Callable:
    """g: a callable as it is, a name through `tf.keras.activations.get`."""
    if callable(activation):
        return activation
    try:
        return tf.keras.activations.get(activation)
    except ValueError:
        raise ValueError(
            f"output: unknown activation {activation!r}; expected a Keras activation name "
            f"('sigmoid', 'relu', 'tanh', 'linear', ...) or a callable"
        ) from None


def shape_checks(x: tf.Tensor, w: tf.Tensor, w0: tf.Tensor) -> list:
    """x is (..., m), w is (m,), w0 is a scalar: ValueError now, or assertions to run."""
    shapes = f"x {tuple(x.shape)}, w {tuple(w.shape)}, w0 {tuple(w0.shape)}"
    if w.shape.rank != 1 or w0.shape.rank != 0 or x.shape.rank == 0:
        raise ValueError(
            f"output: expected x of shape (..., m), w of shape (m,) and a scalar w0; got {shapes}"
        )
    m_x, m_w = x.shape[-1], w.shape[0]
    if m_x is not None and m_w is not None:
        if m_x != m_w:
            raise ValueError(f"output: x has {m_x} features but w has {m_w} weights ({shapes})")
        return []
    message = "output: the last axis of x and the length of w (features and weights) differ"
    return [tf.debugging.assert_equal(tf.shape(x)[-1], tf.shape(w)[0], message=message)]

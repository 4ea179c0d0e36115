"""Running a function of the implementation under test inside a TensorFlow graph."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import tensorflow as tf


def traced(fn: Callable, *examples) -> Callable:
    """`fn` as a `tf.function` whose input signature knows only the ranks and dtypes of `examples`
    (arrays or tensors; every dimension None): one trace serves every drawn shape, and any check
    of the shapes or values has to run in the graph."""
    signature = [tf.TensorSpec([None] * np.ndim(x), tf.as_dtype(x.dtype)) for x in examples]
    return tf.function(fn, input_signature=signature)

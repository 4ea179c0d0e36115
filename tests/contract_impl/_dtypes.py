"""The contract's dtype rule: typed inputs set the result's float dtype, Python numbers follow."""

import numpy as np
import tensorflow as tf

_REJECTED_KINDS = {"b": "bool", "c": "complex", "U": "str", "S": "bytes", "O": "object"}


def _typed_dtype(value) -> tf.DType | None:
    """The dtype of a typed input, None for Python numbers and lists; TypeError for other kinds."""
    if isinstance(value, bool):
        raise TypeError("a coefficient of dtype bool is not a number")
    if isinstance(value, (str, bytes, complex)):
        raise TypeError(f"an input of type {type(value).__name__} is not a real number")
    if isinstance(value, (int, float)) and not isinstance(value, np.generic):
        return None
    if tf.is_tensor(value):
        dtype = tf.as_dtype(value.dtype)
        if not (dtype.is_floating or dtype.is_integer):
            raise TypeError(f"an input of dtype {dtype.name} is not a real number")
        return dtype
    typed = isinstance(value, (np.ndarray, np.generic))
    kind = np.asarray(value).dtype
    if kind.kind in _REJECTED_KINDS:
        raise TypeError(f"an input of dtype {kind.name} ({_REJECTED_KINDS[kind.kind]}) is not real")
    if kind.kind not in "iuf":
        raise TypeError(f"an input of dtype {kind} is not a real number")
    return tf.as_dtype(kind) if typed else None


def result_dtype(*values) -> tf.DType:
    """The widest float dtype among the typed inputs, float64 where none is a float."""
    floats = {d for d in map(_typed_dtype, values) if d is not None and d.is_floating}
    if not floats or tf.float64 in floats:
        return tf.float64
    if tf.float32 in floats or len(floats) > 1:
        return tf.float32
    return floats.pop()


def as_float64(value) -> tf.Tensor:
    """`value` as a float64 tensor (every result dtype is computed in float64, then cast back)."""
    if tf.is_tensor(value):
        return (
            tf.cast(tf.cast(value, tf.float32), tf.float64)
            if value.dtype == tf.bfloat16
            else (tf.cast(value, tf.float64))
        )
    if isinstance(value, (np.ndarray, np.generic)):
        return tf.cast(tf.convert_to_tensor(value), tf.float64)
    return tf.convert_to_tensor(np.asarray(value, dtype=np.float64))


def cast_result(value: tf.Tensor, dtype: tf.DType) -> tf.Tensor:
    """A float64 result cast to the rule's dtype (through float32 for bfloat16)."""
    if dtype == tf.bfloat16:
        return tf.cast(tf.cast(value, tf.float32), dtype)
    return tf.cast(value, dtype)

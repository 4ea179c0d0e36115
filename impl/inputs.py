"""How the worked examples take their inputs: the dtype rule, and the checks that give bad input a
clear error, eagerly and inside `tf.function`.

The dtype rule. Tensors, NumPy arrays and NumPy scalars are typed; Python numbers and (nested)
lists of them are not, and follow the typed inputs. The result has the widest float dtype among
the typed inputs (float16 with bfloat16 gives float32); where no typed input is a float (integer
tensors such as the slide's `tf.constant(2)`, or Python numbers only) it is float64, which holds
every int32 exactly. The arithmetic runs in float64 for a float64 result and in float32 otherwise
(`b * b` overflows float16 from |b| = 256 on); the result is cast back. Bool, complex and string
inputs are a TypeError.

The errors. A wrong value (`a == 0`) is a `tf.errors.InvalidArgumentError`, eagerly and in a graph
(a `tf.debugging` assertion runs with the computation). Shapes that do not fit are a ValueError
when the shapes are known (always eagerly, and while tracing a `tf.function`), and an
InvalidArgumentError when a graph learns them only when it runs.
"""

from __future__ import annotations

import functools

import numpy as np
import tensorflow as tf

_HALF = (tf.float16, tf.bfloat16)


def _typed_dtype(fn: str, name: str, value) -> tf.DType | None:
    """The dtype of a typed input, None for a Python number or list; TypeError if not real."""
    if isinstance(value, bool) or (isinstance(value, list | tuple) and _has_bool(value)):
        raise TypeError(f"{fn}: {name} is a bool; expected an integer or float number")
    if _is_weak(value):
        if np.asarray(value).dtype.kind not in "iuf":
            raise TypeError(f"{fn}: {name}={value!r} is not a list of real numbers")
        return None
    dtype = getattr(value, "dtype", None)
    dtype = tf.as_dtype(dtype) if dtype is not None else tf.convert_to_tensor(value).dtype
    if not (dtype.is_integer or dtype.is_floating):
        raise TypeError(
            f"{fn}: {name} has dtype {dtype.name}; expected an integer or float dtype "
            f"(a complex, bool or string input has no real roots or outputs)"
        )
    return dtype


def _is_weak(value) -> bool:
    """Python numbers and lists are weakly typed (np.float64 is a float, but typed)."""
    return isinstance(value, int | float | list | tuple) and not isinstance(value, np.generic)


def _has_bool(values) -> bool:
    return any(
        _has_bool(v) if isinstance(v, list | tuple) else isinstance(v, bool | np.bool_)
        for v in values
    )


def result_dtype(dtypes: list[tf.DType | None]) -> tf.DType:
    """The dtype rule: the widest float among the typed inputs' dtypes, else float64."""
    floats = {d for d in dtypes if d is not None and d.is_floating}
    if not floats:
        return tf.float64
    if tf.float64 in floats:
        return tf.float64
    if tf.float32 in floats or floats == set(_HALF):
        return tf.float32
    return floats.pop()


def floats(fn: str, **values) -> tuple[list[tf.Tensor], tf.DType]:
    """The inputs as tensors of the compute dtype, and the dtype of the result (the dtype rule)."""
    dtype = result_dtype([_typed_dtype(fn, name, v) for name, v in values.items()])
    compute = tf.float64 if dtype == tf.float64 else tf.float32
    tensors = [
        tf.convert_to_tensor(v, compute) if _is_weak(v) else tf.cast(v, compute)
        for v in values.values()
    ]
    return tensors, dtype


def _shapes(values: dict) -> str:
    return ", ".join(f"{name} {tuple(v.shape)}" for name, v in values.items())


def broadcastable(fn: str, **values: tf.Tensor) -> list:
    """Check that the shapes broadcast together: ValueError now, or assertions to run."""
    try:
        functools.reduce(tf.broadcast_static_shape, (v.shape for v in values.values()))
    except ValueError:
        raise ValueError(f"{fn}: the shapes {_shapes(values)} do not broadcast together") from None
    if all(v.shape.is_fully_defined() for v in values.values()):
        return []
    shapes = [tf.shape(v) for v in values.values()]
    rank = functools.reduce(tf.maximum, [tf.size(s) for s in shapes])
    padded = [tf.concat([tf.ones([rank - tf.size(s)], tf.int32), s], 0) for s in shapes]
    target = functools.reduce(tf.maximum, padded)
    fits = tf.reduce_all([tf.reduce_all((s == target) | (s == 1)) for s in padded])
    message = f"{fn}: the shapes of {', '.join(values)} do not broadcast together"
    return [tf.debugging.Assert(fits, [message, *shapes])]


def same_shape(fn: str, **values: tf.Tensor) -> list:
    """Check that the inputs have one shape (no broadcasting): ValueError now, or assertions."""
    shapes = [v.shape for v in values.values()]
    first = shapes[0]
    if any(not s.is_compatible_with(first) for s in shapes[1:]):
        raise ValueError(f"{fn}: {_shapes(values)} must have the same shape")
    if all(s.is_fully_defined() for s in shapes):
        return []
    names, tensors = list(values), list(values.values())
    message = f"{fn}: {names[0]} and {{}} must have the same shape"
    return [
        tf.debugging.assert_equal(tf.shape(tensors[0]), tf.shape(v), message=message.format(name))
        for name, v in zip(names[1:], tensors[1:], strict=True)
    ]


def nonzero(fn: str, name: str, value: tf.Tensor, why: str) -> list:
    """Check that no element of `value` is 0 (an InvalidArgumentError when it runs)."""
    message = f"{fn}: {name} == 0 {why}"
    return [tf.debugging.assert_none_equal(value, tf.zeros_like(value), message=message)]


def checked(checks: list):
    """A context in which the computation runs after the checks (in a graph; eagerly they ran)."""
    return tf.control_dependencies([c for c in checks if c is not None])

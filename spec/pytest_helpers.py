"""Assertions that explain themselves: each names the call it checks, what came out and what was
expected, so that a failure reads as a reproduction."""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable

import numpy as np

from spec.harness.observations import observe
from spec.tolerances import tolerance


def _name(dtype) -> str:
    return getattr(dtype, "name", None) or np.dtype(dtype).name


def assert_dtype(call: str, out_dtype, expected) -> None:
    assert _name(out_dtype) == _name(expected), (
        f"{call}.dtype={_name(out_dtype)}, but should be {_name(expected)}"
    )


def assert_shape(call: str, out_shape, expected) -> None:
    out_shape, expected = tuple(out_shape), tuple(expected)
    assert out_shape == expected, f"{call}.shape={out_shape}, but should be {expected}"


def assert_values(
    call: str, out, expected, *, rtol: float | None = None, atol: float | None = None
) -> None:
    """Every element of `out` equals `expected`: exactly for integers and booleans, within the
    tolerance of `out`'s dtype for floats (or the `rtol`/`atol` given)."""
    out = np.asarray(out)
    if out.dtype.kind in "biu":
        got, want = out, np.broadcast_to(np.asarray(expected), out.shape)
        close, rtol, atol = got == want, 0.0, 0.0
    else:
        default_rtol, default_atol = tolerance(out.dtype)
        rtol = default_rtol if rtol is None else rtol
        atol = default_atol if atol is None else atol
        got = out.astype(np.complex128 if np.iscomplexobj(out) else np.float64)
        want = np.broadcast_to(np.asarray(expected), got.shape)
        close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        where = tuple(int(i) for i in np.argwhere(~close)[0])
        raise AssertionError(
            f"{call}[{', '.join(map(str, where))}] = {got[where]!r}, but should be {want[where]!r} "
            f"(rtol={rtol:g}, atol={atol:g}; {int((~close).sum())} of {close.size} elements differ)"
        )


def _names(expected) -> str:
    classes = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(c.__name__ for c in classes)


def headline(exc: BaseException) -> str:
    """The line of an exception's message a reader takes in: its first, or for an error raised
    inside a tf.function ('in user code:', a traceback, then 'TypeError: ...'), the error's."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return ""
    if lines[0] != "in user code:":
        return lines[0]
    return lines[-1].removeprefix(f"{type(exc).__name__}: ")


def assert_raises(call: str, fn: Callable[[], object], expected) -> BaseException:
    """`fn()` raises `expected` (an exception class or a tuple of them, subclasses included);
    returns the exception for further checks. What the call did, as expected or not, is observed
    (observations.py)."""
    try:
        out = fn()
    except Exception as exc:
        message = headline(exc)
        name = type(exc).__name__
        observe(f"{call} raises {name}: {message}"[:300], raised=name, message=message[:300])
        if isinstance(exc, expected):
            return exc
        raise AssertionError(
            f"{call} raised {type(exc).__module__}.{name}: "
            f"{str(exc)[:200]}, but should raise {_names(expected)}"
        ) from exc
    observe(f"{call} returns {out!r:.200}", returned=f"{out!r:.200}")
    raise AssertionError(f"{call} returned {out!r}, but should raise {_names(expected)}")


def assert_error(
    call: str, fn: Callable[[], object], expected, *patterns: str, absent: tuple[str, ...] = ()
) -> BaseException:
    """`fn()` raises `expected` with a message that names the problem: it matches each of
    `patterns` and none of `absent` (regular expressions, case-insensitive). Returns the
    exception."""
    exc = assert_raises(call, fn, expected)
    message = str(exc)
    missing = [p for p in patterns if not re.search(p, message, re.IGNORECASE)]
    assert not missing, (
        f"{call} raised {type(exc).__name__}, but its message does not name the problem "
        f"(no match for {missing}): {message[:400]!r}"
    )
    misleading = [p for p in absent if re.search(p, message, re.IGNORECASE)]
    assert not misleading, (
        f"{call} raised {type(exc).__name__} with a misleading message "
        f"(it matches {misleading}): {message[:400]!r}"
    )
    return exc


def describe(value) -> str:
    """An input as a call's name shows it: small arrays and tensors by value and dtype, larger ones
    by dtype and shape, anything else by repr."""
    if not hasattr(value, "dtype"):
        return repr(value)
    kind = "tensor" if "tensorflow" in type(value).__module__ else "array"
    shape = tuple(value.shape)
    if math.prod(shape) <= 4:
        return f"{kind}({numpy(value).tolist()}, {_name(value.dtype)})"
    return f"<{kind} {_name(value.dtype)} {shape}>"


def call(name: str, *args) -> str:
    """`name(arg, ...)` with each argument described."""
    return f"{name}({', '.join(describe(a) for a in args)})"


def numpy(value) -> np.ndarray:
    """A tensor's or array's values as a NumPy array (np.asarray refuses bfloat16 tensors on newer
    TensorFlow)."""
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


def assert_one_of(call: str, out, candidates, *, rtol: float, atol: float) -> int:
    """`out` equals one of `candidates` (along their first axis); returns the index of the first
    it equals."""
    out, candidates = np.asarray(out, np.float64), np.asarray(candidates, np.float64)
    close = np.isclose(out, candidates, rtol=rtol, atol=atol).reshape(len(candidates), -1).all(1)
    if not close.any():
        nearest = int(np.argmin(np.abs(candidates - out).reshape(len(candidates), -1).max(1)))
        raise AssertionError(
            f"{call} = {out.tolist()!r}, but should be one of {len(candidates)} values; the "
            f"nearest is {candidates[nearest].tolist()!r} (rtol={rtol:g}, atol={atol:g})"
        )
    return int(np.argmax(close))


def assert_parameter(call: str, fn: Callable, name: str, default) -> None:
    """`fn` has a parameter `name` whose default is `default` (compared by repr: 1 is not True)."""
    params = inspect.signature(fn).parameters
    assert name in params, f"{call} has no parameter {name!r}; it has {', '.join(params)}"
    got = params[name].default
    assert repr(got) == repr(default), (
        f"{call}: {name}={got!r} by default, but should be {default!r}"
    )


def assert_parameter_order(call: str, fn: Callable, printed: list[str]) -> None:
    """The parameters of `fn` that `printed` names come in the printed order, so that a call that
    passes them by position binds them as printed."""
    params = [p for p in inspect.signature(fn).parameters if p in printed]
    expected = [p for p in printed if p in params]
    assert params == expected, (
        f"{call} takes ({', '.join(params)}) in this order, but should be {expected}"
    )


def _first_difference(got, expected, path: str) -> str | None:
    """Where two configs first differ (lists and tuples of equal length compare element-wise)."""
    if isinstance(got, dict) and isinstance(expected, dict):
        for key in sorted(set(got) | set(expected), key=str):
            where = f"{path}[{key!r}]"
            if key not in got:
                return f"{where} is missing, but should be {expected[key]!r}"
            if key not in expected:
                return f"{where} = {got[key]!r}, but should not be there"
            found = _first_difference(got[key], expected[key], where)
            if found:
                return found
        return None
    sequences = (list, tuple)
    if isinstance(got, sequences) and isinstance(expected, sequences) and len(got) == len(expected):
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            found = _first_difference(g, e, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if got == expected else f"{path} = {got!r}, but should be {expected!r}"


def assert_same_config(call: str, got: dict, expected: dict) -> None:
    """Two `get_config()` dicts are equal; the message names the first key where they differ."""
    difference = _first_difference(got, expected, "config")
    assert difference is None, f"{call}: {difference}"


def assert_identical(call: str, out, expected) -> None:
    """`out` is `expected` bit for bit: the same dtype, the same shape, every value equal."""
    out, expected = np.asarray(out), np.asarray(expected)
    assert_dtype(call, out.dtype, expected.dtype)
    assert_shape(call, out.shape, expected.shape)
    assert_values(call, out, expected, rtol=0, atol=0)


def assert_identical_arrays(call: str, outs, expecteds) -> None:
    """Two sequences of arrays have the same length and are identical element by element."""
    outs, expecteds = list(outs), list(expecteds)
    assert len(outs) == len(expecteds), (
        f"{call} holds {len(outs)} arrays, but should hold {len(expecteds)}"
    )
    for i, (out, expected) in enumerate(zip(outs, expecteds, strict=True)):
        assert_identical(f"{call}[{i}]", out, expected)

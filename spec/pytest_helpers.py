"""Assertions that explain themselves: each names the call it checks, what came out and what was
expected, so that a failure reads as a reproduction."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

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


def assert_raises(
    call: str, fn: Callable[[], object], expected: type[BaseException]
) -> BaseException:
    """`fn()` raises `expected` (or a subclass); returns the exception for further checks."""
    try:
        out = fn()
    except expected as exc:
        return exc
    except Exception as exc:
        raise AssertionError(
            f"{call} raised {type(exc).__module__}.{type(exc).__name__}: "
            f"{str(exc)[:200]}, but should raise {expected.__name__}"
        ) from exc
    raise AssertionError(f"{call} returned {out!r}, but should raise {expected.__name__}")


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


def first_difference(out, expected, where: str = "") -> str | None:
    """Where two nested structures of dicts, lists and values first differ (None: equal)."""
    if isinstance(out, dict) and isinstance(expected, dict):
        for key in sorted(set(out) | set(expected), key=str):
            if key not in out or key not in expected:
                side = "is missing" if key not in out else "is extra"
                return f"{where}[{key!r}] {side}"
            found = first_difference(out[key], expected[key], f"{where}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(out, list | tuple) and isinstance(expected, list | tuple):
        if len(out) != len(expected):
            return f"{where}: {len(out)} items, but should have {len(expected)}"
        for i, (o, e) in enumerate(zip(out, expected, strict=True)):
            found = first_difference(o, e, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if out == expected else f"{where} = {out!r}, but should be {expected!r}"


def assert_same_structure(call: str, out, expected) -> None:
    """Two configs (nested dicts, lists and values) are equal; the message shows where not."""
    found = first_difference(out, expected)
    assert found is None, f"{call}{found}"


def assert_error(
    call: str,
    fn: Callable[[], object],
    expected: type[BaseException] | tuple[type[BaseException], ...],
    *,
    mentions: tuple[str, ...] = (),
    not_mentions: tuple[str, ...] = (),
) -> BaseException:
    """`fn()` raises `expected`, with a message that names each of `mentions` and none of
    `not_mentions` (case-insensitive); returns the exception."""
    names = (
        expected.__name__
        if isinstance(expected, type)
        else " or ".join(e.__name__ for e in expected)
    )
    try:
        out = fn()
    except expected as exc:
        text = str(exc).lower()
        shown = f"{type(exc).__name__}: {str(exc)[:300]!r}"
        for word in mentions:
            assert word.lower() in text, f"{call} raised {shown}, which does not name {word!r}"
        for word in not_mentions:
            assert word.lower() not in text, f"{call} raised {shown}, which says {word!r}"
        return exc
    except Exception as exc:
        raise AssertionError(
            f"{call} raised {type(exc).__module__}.{type(exc).__name__}: "
            f"{str(exc)[:300]!r}, but should raise {names}"
        ) from exc
    raise AssertionError(f"{call} returned {out!r}, but should raise {names}")

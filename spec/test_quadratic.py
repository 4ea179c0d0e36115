"""Chapter QUADRATIC: the roots of a quadratic equation as a TensorFlow program, slide 13.

First the slide's own code on TensorFlow (its int32 constants and `tf.sqrt`), then the
implementation's `quadratic.roots`: the slide's example, the dtype rule, batches, eager and graph;
then the roots' properties over drawn coefficients against exact arithmetic; then bad input.
"""

import math
from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import graph_helpers as gh
from spec import hypothesis_helpers as hh
from spec import oracles, tolerances
from spec import pytest_helpers as ph

InvalidArgumentError = tf.errors.InvalidArgumentError
# 2x² - 3x - 1 = 0 (slide 13): (3 - √17) / 4 and (3 + √17) / 4, to float64 precision.
SLIDE_ROOTS = ((3 - math.sqrt(17)) / 4, (3 + math.sqrt(17)) / 4)
SLIDE_RTOL = tolerances.roundings(tf.float64, 4)
FLOATS = (tf.float32, tf.float64)
ALL_FLOATS = hh.FLOAT_DTYPES  # float16, bfloat16, float32, float64
NAMES_A_ZERO = (r"\ba\b", r"0|zero")


def slide_constants():
    """The slide's coefficients, as printed."""
    a = tf.constant(2)
    b = tf.constant(-3)
    c = tf.constant(-1)
    return SimpleNamespace(a=a, b=b, c=c)


def assert_roots(call, out, expected, dtype, shape, **tolerance):
    """`out` is a pair of tensors of `dtype` and `shape`, equal to the pair `expected`."""
    assert isinstance(out, tuple | list), f"{call} returned {out!r}, not a pair (r1, r2)"
    assert len(out) == 2, f"{call} returned {len(out)} values, not a pair (r1, r2)"
    for name, got, want in zip(("r1", "r2"), out, expected, strict=True):
        ph.assert_dtype(f"{call}.{name}", got.dtype, dtype)
        ph.assert_shape(f"{call}.{name}", got.shape, shape)
        ph.assert_values(f"{call}.{name}", ph.numpy(got), want, **tolerance)


def coefficient(dtype, *, nonzero=False):
    """Coefficients of `dtype`: small integers, or magnitudes from 2**-12 to 2**12 (2**-6 to 2**6
    in float16, whose roots would overflow beyond), or 0."""
    e = 6 if dtype == tf.float16 else 12
    out = st.integers(-20, 20).map(float) | hh.binary_floats(dtype, -e, e)
    return out.filter(bool) if nonzero else out


@st.composite
def spread_coefficients(draw, dtype):
    """(a, b, c) = a (x - s)(x - t) rounded to `dtype`, a, s and t of independent exponents over
    the dtype's range: s and t from 2**(emin + p) to 2**(emax - p) in magnitude (p its precision),
    a such that a, b and c are normal numbers. Normalising to x² + (b/a) x + c/a overflows or
    underflows here."""
    p, low, high = hh.FLOAT_FORMATS[dtype]
    s, t = draw(st.tuples(*[hh.binary_floats(dtype, low + p, high - p)] * 2), label="s, t")
    es, et = (math.frexp(v)[1] - 1 for v in (s, t))
    ea = draw(
        st.integers(max(low, low - es - et), min(high, high - 3 - es - et, high - 3 - max(es, et))),
        label="exponent of a",
    )
    a = draw(hh.binary_floats(dtype, ea, ea), label="a")
    fa, fs, ft = (Fraction(v) for v in (a, s, t))
    exact = (fa, -fa * (fs + ft), fa * fs * ft)
    return tuple(float(v) for v in exact)


@st.composite
def real_root_coefficients(draw, dtype, *, spread=True):
    """A batch (a, b, c) of `dtype` with real roots that rounding cannot lose: each equation with
    coefficients from 2**-12 to 2**12 or (`spread`) spread over the dtype's range; where
    b² - 4ac < 2**-10 (b² + 4|ac|) after rounding to the dtype, c changes sign (and then
    b² - 4ac = b² + 4|ac|)."""
    small = st.tuples(coefficient(dtype, nonzero=True), coefficient(dtype), coefficient(dtype))
    rows = st.one_of(small, spread_coefficients(dtype)) if spread else small
    rows = draw(st.lists(rows, min_size=1, max_size=6))
    a, b, c = (as_array(v, dtype) for v in zip(*rows, strict=True))
    flip = [
        oracles.quadratic_discriminant(ai, bi, ci) < Fraction(bi * bi + 4 * abs(ai * ci), 2**10)
        for ai, bi, ci in zip(*(map(Fraction, v.astype(float)) for v in (a, b, c)), strict=True)
    ]
    return a, b, np.where(flip, -c, c)


def as_array(values, dtype) -> np.ndarray:
    """`values` as a NumPy array of `dtype` (bfloat16 included, as TensorFlow's NumPy type)."""
    return np.array(values, dtype.as_numpy_dtype)


# --- slide 13: the slide's code on TensorFlow ---------------------------------------------------


@pytest.mark.clause("QUADRATIC.SLIDE.INT32_SQRT_EAGER")
def test_slide_sqrt_of_int32_discriminant_raises_eagerly():
    k = slide_constants()
    ph.assert_error(
        "tf.sqrt(b * b - 4 * a * c) of the slide's tf.constant(2), tf.constant(-3), ...",
        lambda: tf.sqrt(k.b * k.b - 4 * k.a * k.c),
        InvalidArgumentError,
        "int32",
    )


@pytest.mark.clause("QUADRATIC.SLIDE.INT32_SQRT_GRAPH")
def test_slide_sqrt_of_int32_discriminant_fails_to_trace():
    k = slide_constants()
    graph = tf.function(lambda a, b, c: tf.sqrt(b * b - 4 * a * c))
    ph.assert_error(
        "tf.function(lambda a, b, c: tf.sqrt(b * b - 4 * a * c))(<the slide's constants>)",
        lambda: graph(k.a, k.b, k.c),
        TypeError,
        "int32",
    )


def slide_code_cast_to_float64(a, b, c):
    """The corrected code that the two errata above print as their fix."""
    a, b, c = (tf.cast(t, tf.float64) for t in (a, b, c))
    d = tf.sqrt(b * b - 4 * a * c)
    return (-b - d) / (2 * a), (-b + d) / (2 * a)


@pytest.mark.clause("QUADRATIC.SLIDE.FLOAT64_FIX")
@pytest.mark.parametrize("mode", ["eager", "graph"])
def test_slide_code_cast_to_float64_gives_the_roots(mode):
    k = slide_constants()
    fn = slide_code_cast_to_float64
    out = (fn if mode == "eager" else tf.function(fn))(k.a, k.b, k.c)
    call = f"the slide's code cast to float64 ({mode})"
    assert_roots(call, out, SLIDE_ROOTS, tf.float64, (), rtol=SLIDE_RTOL, atol=0)


# --- slide 13: roots(a, b, c), the example, the dtype rule, batches, graphs --------------------


@pytest.mark.clause("QUADRATIC.ROOTS.SLIDE_EXAMPLE")
def test_roots_of_slide_example(impl):
    k = slide_constants()
    out = impl.quadratic.roots(k.a, k.b, k.c)
    call = "roots(tf.constant(2), tf.constant(-3), tf.constant(-1))"
    assert_roots(call, out, SLIDE_ROOTS, tf.float64, (), rtol=SLIDE_RTOL, atol=0)


def _one_five_six(make):
    return tuple(make(v) for v in (1, 5, 6))


def _rule(dtype):
    return dtype if dtype.is_floating else tf.float64


# x² + 5x + 6 (roots -3 and -2, exact in every dtype) in each kind of input and dtype, and the
# dtype of its roots: integers give float64, floats the widest float among the typed inputs;
# Python numbers and lists follow the typed inputs.
DTYPE_RULE = [
    *(
        pytest.param(_one_five_six(lambda v, d=d: tf.constant(v, d)), _rule(d), id=f"tf-{d.name}")
        for d in (*hh.INT_DTYPES, *hh.FLOAT_DTYPES)
    ),
    *(
        pytest.param(
            _one_five_six(lambda v, d=d: np.array(v, d.as_numpy_dtype)), _rule(d), id=f"np-{d.name}"
        )
        for d in (*hh.INT_DTYPES, *hh.FLOAT_DTYPES)
        if d in hh.NUMPY_DTYPES
    ),
    pytest.param((1, 5, 6), tf.float64, id="python-ints"),
    pytest.param((1.0, 5.0, 6.0), tf.float64, id="python-floats"),
    pytest.param(([1], [5.0], 6), tf.float64, id="lists"),
    pytest.param((tf.constant(1.0, tf.float16), 5.0, 6), tf.float16, id="float16-python"),
    pytest.param(
        (tf.constant(1.0, tf.float16), tf.constant(5.0, tf.bfloat16), 6), tf.float32, id="f16-bf16"
    ),
    pytest.param((tf.constant(1.0), tf.constant(5, tf.int64), 6), tf.float32, id="f32-int64"),
    pytest.param((tf.constant(1.0), np.float64(5), 6), tf.float64, id="f32-np-float64"),
    pytest.param((np.float32(1), 5.0, [6.0]), tf.float32, id="np-float32-python"),
    pytest.param((tf.constant(1, tf.int8), np.uint16(5), 6.0), tf.float64, id="int8-uint16"),
]


@pytest.mark.clause("QUADRATIC.ROOTS.DTYPE_RULE")
@pytest.mark.parametrize(("coefficients", "dtype"), DTYPE_RULE)
def test_roots_dtype_follows_the_rule(impl, coefficients, dtype):
    out = impl.quadratic.roots(*coefficients)
    shape = np.broadcast_shapes(*(tuple(np.shape(v)) for v in coefficients))
    assert_roots(ph.call("roots", *coefficients), out, (-3, -2), dtype, shape, rtol=0, atol=0)


@pytest.mark.clause("QUADRATIC.ROOTS.NON_REAL_DTYPES")
@pytest.mark.parametrize(
    ("a", "dtype"),
    [(True, "bool"), (tf.constant(True), "bool"), (np.array([1 + 2j]), "complex"), ("2", "str")],
    ids=["python-bool", "tf-bool", "np-complex", "string"],
)
def test_roots_reject_non_real_dtypes(impl, a, dtype):
    ph.assert_error(
        ph.call("roots", a, 1, 1), lambda: impl.quadratic.roots(a, 1, 1), TypeError, dtype
    )


@pytest.mark.clause("QUADRATIC.ROOTS.BROADCAST")
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3), data=st.data()
)
@hh.examples(15)
def test_roots_broadcast_over_batches(impl, shapes, data):
    # Integer coefficients: b² - 4ac is exact, so NaN (no real root) is exactly where it is < 0.
    ints = st.integers(-20, 20).map(float)
    a, b, c = (
        data.draw(hnp.arrays(np.float64, s, elements=ints.filter(bool) if k == 0 else ints))
        for k, s in enumerate(shapes.input_shapes)
    )
    out = impl.quadratic.roots(a, b, c)
    call = ph.call("roots", a, b, c)
    assert_roots(call, out, oracles.quadratic_roots(a, b, c), tf.float64, shapes.result_shape)


MIXED_BATCH = {  # the slide's equation, a double root, ±2, no real root, -3 and -2
    "a": [2, 1, -1, 1, 1],
    "b": [-3, -2, 0, 0, 5],
    "c": [-1, 1, 4, 1, 6],
}


@pytest.mark.clause("QUADRATIC.ROOTS.GRAPH_MODE")
@pytest.mark.parametrize(
    ("dtype", "signature"),
    [(tf.int32, "traced-shapes"), (tf.float32, "unknown-shapes"), (tf.float64, "unknown-shapes")],
    ids=["int32-traced-shapes", "float32-unknown-shapes", "float64-unknown-shapes"],
)
def test_roots_in_a_graph(impl, dtype, signature):
    a, b, c = (tf.constant(MIXED_BATCH[k], dtype) for k in "abc")
    fn = impl.quadratic.roots
    graph = tf.function(fn) if signature == "traced-shapes" else gh.traced(fn, a, b, c)
    out = graph(a, b, c)
    expected = oracles.quadratic_roots(*MIXED_BATCH.values())
    call = f"tf.function(roots)({ph.describe(a)}, ...) [{signature}]"
    assert_roots(call, out, expected, _rule(dtype), (5,))


# --- slide 13: the roots' properties ------------------------------------------------------------


@pytest.mark.clause("QUADRATIC.ROOTS.RESIDUAL")
@pytest.mark.parametrize("dtype", ALL_FLOATS, ids=str)
@given(data=st.data())
@hh.examples(12)
def test_roots_solve_the_equation(impl, dtype, data):
    a, b, c = data.draw(real_root_coefficients(dtype), label="a, b, c")
    out = impl.quadratic.roots(*hh.typed(a, b, c))
    call = ph.call("roots", a, b, c)
    bound = tolerances.roundings(dtype, tolerances.ROOT_RESIDUAL_ROUNDINGS)
    for name, r in zip(("r1", "r2"), out, strict=True):
        ph.assert_dtype(f"{call}.{name}", r.dtype, dtype)
        residual = oracles.quadratic_relative_residual(a, b, c, ph.numpy(r))
        worst = int(np.argmax(np.nan_to_num(residual, nan=np.inf)))
        assert residual[worst] <= bound, (
            f"{call}.{name}[{worst}] = {ph.numpy(r)[worst]!r} leaves |a r² + b r + c| = "
            f"{residual[worst]:.3g} (|a| r² + |b| |r| + |c|), more than {bound:.3g}"
        )


@pytest.mark.clause("QUADRATIC.ROOTS.VIETA")
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@given(
    a=st.integers(-16, 16).filter(bool),
    r=st.lists(st.tuples(hh.dyadic(-16, 16), hh.dyadic(-16, 16)), min_size=1, max_size=6),
)
@hh.examples(20)
def test_roots_sum_and_product_are_vieta(impl, dtype, a, r):
    # a (x - s)(x - t) = a x² - a (s + t) x + a s t, exactly representable in float32.
    s, t = (np.array(v, dtype.as_numpy_dtype) for v in zip(*r, strict=True))
    b, c = -a * (s + t), a * s * t
    r1, r2 = (np.asarray(v, np.float64) for v in impl.quadratic.roots(np.asarray(a, s.dtype), b, c))
    call = ph.call("roots", a, b, c)
    ph.assert_values(f"{call}: r1 + r2", r1 + r2, -b / a)
    ph.assert_values(f"{call}: r1 * r2", r1 * r2, c / a)
    ph.assert_values(f"{call}.r1", r1, np.minimum(s, t))


@pytest.mark.clause("QUADRATIC.ROOTS.ORDER")
@pytest.mark.parametrize("dtype", ALL_FLOATS, ids=str)
@given(data=st.data())
@hh.examples(8)
def test_roots_come_smaller_first(impl, dtype, data):
    a, b, c = data.draw(real_root_coefficients(dtype), label="a, b, c")
    r1, r2 = (ph.numpy(v).astype(np.float64) for v in impl.quadratic.roots(*hh.typed(a, b, c)))
    wrong = np.flatnonzero(~(r1 <= r2))
    assert wrong.size == 0, (
        f"{ph.call('roots', a, b, c)}: r1[{wrong[0]}] = {r1[wrong[0]]!r} is not <= "
        f"r2[{wrong[0]}] = {r2[wrong[0]]!r} (a = {a[wrong[0]]!r})"
    )


@pytest.mark.clause("QUADRATIC.ROOTS.DOUBLE_ROOT")
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@given(a=st.integers(-16, 16).filter(bool), r=hh.dyadic(-16, 16))
@hh.examples(15)
def test_double_root_comes_twice(impl, dtype, a, r):
    # a (x - r)² = a x² - 2 a r x + a r², exact: b² - 4ac is exactly 0.
    a, b, c = (np.asarray(v, dtype.as_numpy_dtype) for v in (a, -2 * a * r, a * r * r))
    out = impl.quadratic.roots(a, b, c)
    assert_roots(ph.call("roots", a, b, c), out, (r, r), dtype, (), rtol=0, atol=0)


@pytest.mark.clause("QUADRATIC.ROOTS.NO_REAL_ROOTS")
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@given(data=st.data())
@hh.examples(15)
def test_no_real_roots_are_nan(impl, dtype, data):
    a = data.draw(coefficient(dtype, nonzero=True), label="a")
    b, c = data.draw(st.tuples(coefficient(dtype), coefficient(dtype)).filter(any), label="b, c")
    # c with the sign of a and |c| > b² / (2 |a|): b² - 4ac <= -b² - 4|ac| < 0.
    c = math.copysign(abs(c) + b * b / (2 * abs(a)), a)
    a, b, c = (np.asarray(v, dtype.as_numpy_dtype) for v in (a, b, c))
    out = impl.quadratic.roots(a, b, c)
    assert_roots(ph.call("roots", a, b, c), out, (math.nan, math.nan), dtype, ())


@pytest.mark.clause("QUADRATIC.ROOTS.NON_FINITE")
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@given(data=st.data())
@hh.examples(6)
def test_non_finite_coefficients_give_nan_roots_in_place(impl, dtype, data):
    a, b, c = (
        data.draw(
            st.lists(coefficient(dtype, nonzero=k == 0) | hh.NON_FINITE, min_size=4, max_size=4)
        )
        for k in range(3)
    )
    a, b, c = (as_array(v, dtype) for v in (a, b, c))
    out = impl.quadratic.roots(a, b, c)
    # NaN where a coefficient is NaN or infinite, NumPy's roots elsewhere: no error, no spreading
    assert_roots(ph.call("roots", a, b, c), out, oracles.quadratic_roots(a, b, c), dtype, (4,))


@pytest.mark.clause("QUADRATIC.ROOTS.EMPTY_BATCH")
@pytest.mark.parametrize(
    "shapes", [((0,), (0,), (0,)), ((0,), (), ()), ((2, 0), (1,), (0,))], ids=str
)
@pytest.mark.parametrize("dtype", ALL_FLOATS, ids=str)
def test_empty_batches_give_empty_roots(impl, dtype, shapes):
    a, b, c = (tf.ones(shape, dtype) for shape in shapes)
    out = impl.quadratic.roots(a, b, c)
    expected = np.empty(np.broadcast_shapes(*shapes))
    assert_roots(ph.call("roots", a, b, c), out, (expected, expected), dtype, expected.shape)


@pytest.mark.clause("QUADRATIC.ROOTS.SCALE_INVARIANCE")
@pytest.mark.parametrize(("dtype", "max_exponent"), [(tf.float32, 100), (tf.float64, 900)], ids=str)
@given(data=st.data(), signs=st.tuples(st.booleans(), st.booleans()))
@hh.examples(10)
def test_scaled_coefficients_have_scaled_roots(impl, dtype, max_exponent, data, signs):
    a, b, c = data.draw(real_root_coefficients(dtype, spread=False), label="a, b, c")
    # k (a s², b s, c), k and s signed powers of two: each coefficient its own scale, exactly.
    e_s = data.draw(st.integers(-max_exponent // 4, max_exponent // 4), label="exponent of s")
    room = max_exponent - 2 * abs(e_s)
    e_k = data.draw(st.integers(-room, room), label="exponent of k")
    k, s = ((-1.0 if neg else 1.0) * 2.0**e for neg, e in zip(signs, (e_k, e_s), strict=True))
    scaled = tuple(
        as_array(k * v.astype(np.float64) * f, dtype)
        for v, f in zip((a, b, c), (s * s, s, 1.0), strict=True)
    )
    r1, r2 = (ph.numpy(r).astype(np.float64) / s for r in impl.quadratic.roots(a, b, c))
    expected = (r1, r2) if s > 0 else (r2, r1)  # x = s y: the roots in y are r / s
    out = impl.quadratic.roots(*scaled)
    call = f"roots({k!r} * (a s², b s, c)), s = {s!r}, against roots(a, b, c) / s, with "
    call += ph.call("", a, b, c)
    assert_roots(call, out, [as_array(r, dtype) for r in expected], dtype, a.shape)
    assert np.isfinite(expected).all(), f"{ph.call('roots', a, b, c)} = {expected}: not finite"


@pytest.mark.clause("QUADRATIC.ROOTS.STABILITY")
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_small_root_keeps_its_digits(impl, dtype):
    a, b, c = (np.asarray(v, dtype.as_numpy_dtype) for v in (1, 1e8, 1))
    out = impl.quadratic.roots(a, b, c)
    expected = oracles.quadratic_roots(1, 1e8, 1)  # -1e8 and -1e-8, to 1e-16
    call = ph.call("roots", a, b, c)
    assert_roots(call, out, expected, dtype, (), rtol=tolerances.tolerance(dtype)[0], atol=0)


# --- slide 13: bad input ----------------------------------------------------------------------


@pytest.mark.clause("QUADRATIC.ROOTS.NOT_QUADRATIC")
@pytest.mark.parametrize(
    ("coefficients", "mode"),
    [
        ((0, 1, 1), "eager"),
        ((tf.constant(0), tf.constant(1), tf.constant(1)), "eager"),
        (([1.0, 0.0], 2.0, 1.0), "eager"),
        (([1.0, 0.0], 2.0, 1.0), "graph"),
    ],
    ids=["python", "int32-tensors", "batch-with-one-zero", "graph-batch-with-one-zero"],
)
def test_a_of_zero_is_an_error(impl, coefficients, mode):
    fn = impl.quadratic.roots
    if mode == "graph":
        coefficients = tuple(np.asarray(v, np.float64) for v in coefficients)
        fn = gh.traced(fn, *coefficients)
    call = f"{ph.call('roots', *coefficients)} [{mode}]"
    ph.assert_error(call, lambda: fn(*coefficients), InvalidArgumentError, *NAMES_A_ZERO)


@pytest.mark.clause("QUADRATIC.ROOTS.SHAPE_MISMATCH")
@pytest.mark.parametrize(
    ("mode", "error"), [("eager", ValueError), ("graph", InvalidArgumentError)]
)
def test_shapes_that_do_not_broadcast_are_an_error(impl, mode, error):
    coefficients = (np.ones(2), np.ones(3), np.ones(1))
    fn = impl.quadratic.roots if mode == "eager" else gh.traced(impl.quadratic.roots, *coefficients)
    call = f"{ph.call('roots', *coefficients)} [{mode}]"
    ph.assert_error(call, lambda: fn(*coefficients), error, "shape|broadcast")

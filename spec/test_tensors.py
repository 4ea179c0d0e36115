"""Chapter TENSORS: tensors and their constructors, slides 8-11.

Every example printed on the slides, exactly as printed; then each constructor's properties over
drawn shapes, dtypes and values against NumPy; then bad input, each with the error class it raises.
"""

import inspect

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import hypothesis_helpers as hh
from spec import oracles
from spec import pytest_helpers as ph

InvalidArgumentError = tf.errors.InvalidArgumentError


# --- slide 8: ranks ------------------------------------------------------------------------------


@pytest.mark.clause("TENSORS.RANK.NESTING")
@given(x=hh.arrays(tf.int32, hh.shapes(min_side=1, max_side=3)))
@hh.examples(25)
def test_rank_is_the_nesting_depth(x):
    t = tf.constant(x.tolist(), dtype=tf.int32)
    ph.assert_shape("tf.constant(nested list)", t.shape, x.shape)
    assert int(tf.rank(t)) == x.ndim, f"tf.rank={int(tf.rank(t))}, but the list nests {x.ndim} deep"


# --- slides 9-10: tf.add ---------------------------------------------------------------------


@pytest.mark.clause("TENSORS.GRAPH.AUTO_NAMES")
def test_graph_names_unnamed_nodes():
    graph = tf.Graph()
    with graph.as_default():
        first, second = tf.add(3, 5), tf.add(3, 5)
        named = tf.add(3, 5, name="my_add")
    for out, name in ((first, "Add"), (second, "Add_1"), (named, "my_add")):
        assert out.op.name == name, f"a tf.add(3, 5) node is named {out.op.name!r}, not {name!r}"
        inputs = [t.op.name for t in out.op.inputs]
        assert inputs == [f"{name}/x", f"{name}/y"], (
            f"{name}'s inputs, the slide's x = 3 and y = 5, are named {inputs}"
        )
        values = [int(tf.get_static_value(t)) for t in out.op.inputs]
        assert values == [3, 5], f"{name}'s inputs hold {values}, not [3, 5]"
    names = [op.name for op in graph.get_operations()]
    assert len(names) == len(set(names)) == 9, f"the graph's nodes are {names}"


@pytest.mark.clause("TENSORS.ADD.SLIDE_EXAMPLE")
def test_add_matches_slide():
    a = tf.add(3, 5)
    ph.assert_dtype("tf.add(3, 5)", a.dtype, tf.int32)
    ph.assert_shape("tf.add(3, 5)", a.shape, ())
    ph.assert_values("tf.add(3, 5)", a.numpy(), 8)


@pytest.mark.clause("TENSORS.ADD.PRINTED")
def test_add_prints_as_slide():
    printed = str(tf.add(3, 5))
    assert printed == "tf.Tensor(8, shape=(), dtype=int32)", (
        f"print(tf.add(3, 5)) shows {printed!r}"
    )


@pytest.mark.clause("TENSORS.ADD.BROADCAST")
@pytest.mark.parametrize(
    "dtype", [tf.int32, tf.int64, tf.float16, tf.float32, tf.float64, tf.complex64], ids=str
)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=4), data=st.data()
)
@hh.examples(10)
def test_add_broadcasts_like_numpy(dtype, shapes, data):
    small = (
        hh.dyadic(-64, 64) if dtype.is_floating or dtype.is_complex else st.integers(-1000, 1000)
    )
    x, y = (
        data.draw(hnp.arrays(dtype.as_numpy_dtype, s, elements=small)) for s in shapes.input_shapes
    )
    out = tf.add(tf.constant(x), tf.constant(y))
    call = f"tf.add(<{x.dtype} {x.shape}>, <{y.dtype} {y.shape}>)"
    ph.assert_dtype(call, out.dtype, dtype)
    ph.assert_shape(call, out.shape, shapes.result_shape)
    ph.assert_values(call, out.numpy(), np.add(x, y))


# (a, b, dtype of tf.add(a, b)): Python scalars take the dtype of the tensor or scalar before them.
ADD_DTYPES = [
    (3, 5, tf.int32),
    (3.0, 5.0, tf.float32),
    (3.0, 5, tf.float32),
    (np.int64(3), 5, tf.int64),
    (np.float64(3.0), 5.0, tf.float64),
    (tf.constant(3, tf.int8), 5, tf.int8),
    (tf.constant(3.0, tf.float16), 5, tf.float16),
]


@pytest.mark.clause("TENSORS.ADD.DTYPE_RULES")
@pytest.mark.parametrize(("a", "b", "dtype"), ADD_DTYPES, ids=lambda v: repr(v)[:20])
def test_add_dtype_follows_first_argument(a, b, dtype):
    out = tf.add(a, b)
    ph.assert_dtype(f"tf.add({a!r}, {b!r})", out.dtype, dtype)
    ph.assert_values(f"tf.add({a!r}, {b!r})", out.numpy(), 8)


@pytest.mark.clause("TENSORS.ADD.MISMATCHED_DTYPES")
@pytest.mark.parametrize(
    ("a", "b"),
    [
        (3, 5.0),
        (tf.constant(3), tf.constant(5.0)),
        (tf.constant(3, tf.int64), tf.constant(5, tf.int32)),
    ],
    ids=["int-then-float-scalar", "int32-float32", "int64-int32"],
)
def test_add_rejects_mismatched_dtypes(a, b):
    ph.assert_raises(f"tf.add({a!r}, {b!r})", lambda: tf.add(a, b), InvalidArgumentError)


@pytest.mark.clause("TENSORS.ADD.INCOMPATIBLE_SHAPES")
def test_add_rejects_incompatible_shapes():
    ph.assert_raises(
        "tf.add(zeros([2, 3]), zeros([4]))",
        lambda: tf.add(tf.zeros([2, 3]), tf.zeros([4])),
        InvalidArgumentError,
    )


# --- slide 11: zeros, zeros_like, fill ---------------------------------------------------------


@pytest.mark.clause("TENSORS.ZEROS.SLIDE_EXAMPLE")
def test_zeros_matches_slide():
    out = tf.zeros([2, 3], tf.int32)
    ph.assert_dtype("tf.zeros([2, 3], tf.int32)", out.dtype, tf.int32)
    assert out.numpy().tolist() == [[0, 0, 0], [0, 0, 0]]


@pytest.mark.clause("TENSORS.ZEROS.ANY_SHAPE_AND_DTYPE")
@pytest.mark.parametrize("dtype", [None, *hh.ALL_DTYPES], ids=str)
@given(shape=hh.shapes())
@hh.examples(5)
def test_zeros_any_shape_and_dtype(shape, dtype):
    out = tf.zeros(shape) if dtype is None else tf.zeros(shape, dtype)
    call = f"tf.zeros({list(shape)}, {dtype})"
    ph.assert_dtype(call, out.dtype, dtype or tf.float32)
    ph.assert_shape(call, out.shape, shape)
    ph.assert_values(call, out.numpy(), np.zeros(shape))


@pytest.mark.clause("TENSORS.ZEROS.NEGATIVE_DIMENSION")
def test_zeros_rejects_negative_dimension():
    ph.assert_raises("tf.zeros([-1, 2])", lambda: tf.zeros([-1, 2]), InvalidArgumentError)


@pytest.mark.clause("TENSORS.ZEROS_LIKE.SLIDE_EXAMPLE")
def test_zeros_like_matches_slide():
    input_tensor = [[0, 1], [2, 3], [4, 5]]
    out = tf.zeros_like(input_tensor)
    ph.assert_dtype("tf.zeros_like(input_tensor)", out.dtype, tf.int32)
    assert out.numpy().tolist() == [[0, 0], [0, 0], [0, 0]]


@pytest.mark.clause("TENSORS.ZEROS_LIKE.ANY_INPUT")
@pytest.mark.parametrize("dtype", hh.NUMPY_DTYPES, ids=str)
@given(data=st.data(), as_tensor=st.booleans())
@hh.examples(5)
def test_zeros_like_keeps_shape_and_dtype(dtype, data, as_tensor):
    x = data.draw(hh.arrays(dtype, hh.shapes()))
    out = tf.zeros_like(tf.constant(x) if as_tensor else x)
    call = f"tf.zeros_like(<{x.dtype} {x.shape}{' tensor' if as_tensor else ''}>)"
    ph.assert_dtype(call, out.dtype, dtype)
    ph.assert_shape(call, out.shape, x.shape)
    ph.assert_values(call, out.numpy(), np.zeros_like(x))


@pytest.mark.clause("TENSORS.FILL.SLIDE_EXAMPLE")
def test_fill_matches_slide():
    out = tf.fill([2, 3], 8)
    ph.assert_dtype("tf.fill([2, 3], 8)", out.dtype, tf.int32)
    assert out.numpy().tolist() == [[8, 8, 8], [8, 8, 8]]


@pytest.mark.clause("TENSORS.FILL.ANY_SHAPE_AND_VALUE")
@pytest.mark.parametrize("dtype", hh.ALL_DTYPES, ids=str)
@given(shape=hh.shapes(), data=st.data())
@hh.examples(8)
def test_fill_any_shape_and_value(shape, dtype, data):
    value = data.draw(hh.scalars(dtype), label="value")
    out = tf.fill(list(shape), tf.constant(value, dtype))
    call = f"tf.fill({list(shape)}, tf.constant({value!r}, {dtype.name}))"
    ph.assert_dtype(call, out.dtype, dtype)
    ph.assert_shape(call, out.shape, shape)
    ph.assert_values(call, out.numpy(), value, rtol=0, atol=0)


@pytest.mark.clause("TENSORS.FILL.NEGATIVE_DIMENSION")
def test_fill_rejects_negative_dimension():
    ph.assert_raises("tf.fill([-1, 2], 8)", lambda: tf.fill([-1, 2], 8), InvalidArgumentError)


# --- slide 11: linspace ------------------------------------------------------------------------


@pytest.mark.clause("TENSORS.LINSPACE.SIGNATURE")
def test_linspace_takes_slide_signature():
    params = inspect.signature(tf.linspace).parameters
    assert list(params)[:4] == ["start", "stop", "num", "name"], f"tf.linspace{list(params)}"
    assert params["name"].default is None
    out = tf.linspace(start=10.0, stop=13.0, num=4, name="course")
    ph.assert_values(
        "tf.linspace(start=10.0, stop=13.0, num=4, name='course')", out, [10, 11, 12, 13]
    )


@pytest.mark.clause("TENSORS.LINSPACE.SLIDE_EXAMPLE")
def test_linspace_matches_slide():
    out = tf.linspace(10.0, 13.0, 4)
    ph.assert_dtype("tf.linspace(10.0, 13.0, 4)", out.dtype, tf.float32)
    assert out.numpy().tolist() == [10.0, 11.0, 12.0, 13.0]


@pytest.mark.clause("TENSORS.LINSPACE.EVEN_SPACING")
@given(
    start=st.floats(-1e4, 1e4, width=32),
    stop=st.floats(-1e4, 1e4, width=32),
    num=st.integers(2, 50),
)
@hh.examples(60)
def test_linspace_endpoints_count_and_spacing(start, stop, num):
    out = tf.linspace(start, stop, num).numpy()
    call = f"tf.linspace({start!r}, {stop!r}, {num})"
    ph.assert_shape(call, out.shape, (num,))
    assert (out[0], out[-1]) == (np.float32(start), np.float32(stop)), f"{call} ends {out[[0, -1]]}"
    # float32 rounding of start + i * step: a few ulps of the larger endpoint.
    scale = max(abs(start), abs(stop), 1e-30)
    expected = np.linspace(start, stop, num, dtype=np.float64)
    ph.assert_values(call, out, expected, rtol=0, atol=4 * np.finfo(np.float32).eps * scale)


@pytest.mark.clause("TENSORS.LINSPACE.NUM_ONE")
def test_linspace_of_one_is_start():
    out = tf.linspace(10.0, 13.0, 1)
    assert out.numpy().tolist() == [10.0], f"tf.linspace(10.0, 13.0, 1) = {out.numpy()}"


@pytest.mark.clause("TENSORS.LINSPACE.NUM_ZERO")
def test_linspace_of_zero_is_empty():
    out = tf.linspace(10.0, 13.0, 0)
    ph.assert_shape("tf.linspace(10.0, 13.0, 0)", out.shape, (0,))
    ph.assert_dtype("tf.linspace(10.0, 13.0, 0)", out.dtype, tf.float32)


@pytest.mark.clause("TENSORS.LINSPACE.INTEGER_ARGUMENTS")
def test_linspace_of_integers_is_float64_like_numpy():
    out = tf.linspace(10, 13, 4)
    ph.assert_dtype("tf.linspace(10, 13, 4)", out.dtype, np.linspace(10, 13, 4).dtype)
    assert out.numpy().tolist() == [10.0, 11.0, 12.0, 13.0]


@pytest.mark.clause("TENSORS.LINSPACE.NEGATIVE_NUM")
def test_linspace_rejects_negative_num():
    ph.assert_raises(
        "tf.linspace(10.0, 13.0, -1)", lambda: tf.linspace(10.0, 13.0, -1), InvalidArgumentError
    )


# --- slide 11: range ---------------------------------------------------------------------------


@pytest.mark.clause("TENSORS.RANGE.SIGNATURE")
def test_range_takes_slide_signature():
    params = inspect.signature(tf.range).parameters
    printed = {"limit": None, "delta": 1, "dtype": None, "name": "range"}
    assert list(params) == ["start", *printed], f"tf.range{list(params)}"
    defaults = {k: params[k].default for k in printed}
    assert defaults == printed, f"tf.range defaults {defaults}, but the slide prints {printed}"


@pytest.mark.clause("TENSORS.RANGE.SLIDE_EXAMPLE")
def test_range_matches_slide():
    out = tf.range(3, 18, 3)
    ph.assert_dtype("tf.range(3, 18, 3)", out.dtype, tf.int32)
    assert out.numpy().tolist() == [3, 6, 9, 12, 15]


@pytest.mark.clause("TENSORS.RANGE.LIMIT_ONLY")
def test_range_of_limit_starts_at_zero():
    out = tf.range(5)
    ph.assert_dtype("tf.range(5)", out.dtype, tf.int32)
    assert out.numpy().tolist() == [0, 1, 2, 3, 4]


@st.composite
def range_arguments(draw, numbers):
    """(start, limit, delta) with delta != 0 pointing from start towards limit."""
    start, delta = draw(numbers), draw(numbers.filter(bool))
    steps = draw(st.integers(0, 60))
    return start, start + np.sign(delta) * steps * draw(st.sampled_from([0.25, 1])), delta


@pytest.mark.clause("TENSORS.RANGE.LENGTH_AND_ELEMENTS")
@given(args=range_arguments(st.integers(-50, 50)) | range_arguments(hh.dyadic(-8, 8)))
@hh.examples(80)
def test_range_length_and_elements(args):
    start, limit, delta = args
    if isinstance(start, int) and isinstance(delta, int):
        limit = int(limit)
    out = tf.range(start, limit, delta).numpy()
    call = f"tf.range({start!r}, {limit!r}, {delta!r})"
    n = oracles.range_length(start, limit, delta)
    ph.assert_shape(call, out.shape, (n,))
    ph.assert_values(call, out, oracles.arithmetic_sequence(start, delta, n), rtol=0, atol=0)


@pytest.mark.clause("TENSORS.RANGE.DTYPE_INFERENCE")
@pytest.mark.parametrize(
    ("args", "kwargs", "dtype"),
    [
        ((5,), {}, tf.int32),
        ((3, 18, 3), {}, tf.int32),
        ((0.5, 2.0, 0.5), {}, tf.float32),
        ((1, 2.0, 0.5), {}, tf.float32),
        ((5,), {"dtype": tf.float64}, tf.float64),
        ((np.int64(5),), {}, tf.int64),
    ],
    ids=["int", "ints", "floats", "int-and-floats", "dtype-argument", "numpy-int64"],
)
def test_range_infers_dtype(args, kwargs, dtype):
    out = tf.range(*args, **kwargs)
    ph.assert_dtype(f"tf.range(*{args}, **{kwargs})", out.dtype, dtype)


@pytest.mark.clause("TENSORS.RANGE.ZERO_DELTA")
def test_range_rejects_zero_delta():
    ph.assert_raises("tf.range(3, 18, 0)", lambda: tf.range(3, 18, 0), InvalidArgumentError)


@pytest.mark.clause("TENSORS.RANGE.WRONG_DIRECTION")
def test_range_rejects_start_beyond_limit():
    ph.assert_raises("tf.range(5, 3, 1)", lambda: tf.range(5, 3, 1), InvalidArgumentError)

"""Meta-tests for the helpers every verdict rests on: the assertions (`ph`), the strategies
(`hh`), the tolerances and the oracles, each against values worked out by hand. A wrong oracle or
an ignored tolerance would make every verdict wrong in silence, so each meta-check is also shown to
reject a deliberately broken twin of its helper."""

import math

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from spec import hypothesis_helpers as hh
from spec import oracles, tolerances
from spec import pytest_helpers as ph
from spec.harness import observations

DRAWS = settings(
    max_examples=60, derandomize=True, database=None, deadline=None, report_multiple_bugs=False
)


def check_assert_values(assert_values):
    """Within rtol passes, beyond it fails; integers compare exactly; NaN equals NaN."""
    assert_values("x", np.array([1.0, 2.0]), [1.0 + 1e-9, 2.0], rtol=1e-6)
    with pytest.raises(AssertionError, match=r"x\[1\] = .*2\.02"):
        assert_values("x", np.array([1.0, 2.02]), [1.0, 2.0], rtol=1e-3, atol=0)
    with pytest.raises(AssertionError):
        assert_values("n", np.array([3, 4], np.int32), [3, 5])
    assert_values("nan", np.array([np.nan], np.float32), [np.nan])


def check_assert_error(assert_error):
    """The class and every pattern must match; a misleading one must not."""

    def boom():
        raise ValueError("bad shape (2, 3): expected a vector")

    assert_error("f()", boom, ValueError, r"shape", r"\(2, 3\)")
    with pytest.raises(AssertionError, match="does not name the problem"):
        assert_error("f()", boom, ValueError, r"dtype")
    with pytest.raises(AssertionError, match="should raise TypeError"):
        assert_error("f()", boom, TypeError)
    with pytest.raises(AssertionError, match="misleading"):
        assert_error("f()", boom, ValueError, absent=(r"expected",))
    with pytest.raises(AssertionError, match="returned 1"):
        assert_error("g()", lambda: 1, ValueError)


def check_assert_shape(assert_shape):
    assert_shape("x", (2, 3), (2, 3))
    with pytest.raises(AssertionError, match=r"shape=\(3, 2\)"):
        assert_shape("x", (3, 2), (2, 3))


def check_reals(reals):
    """Finite float32 values within the bound."""

    @DRAWS
    @given(reals(tf.float32, 3.0))
    def draws(x):
        assert -3.0 <= x <= 3.0, x
        assert float(np.float32(x)) == x, f"{x} is not a float32"

    draws()


def check_distributions(distributions):
    """Each row along the last axis is a probability distribution."""

    @DRAWS
    @given(distributions(tf.float32, (4, 3)))
    def draws(p):
        assert (p >= 0).all(), p
        assert np.allclose(p.sum(-1), 1, atol=1e-6), p

    draws()


def check_tolerance(tolerance):
    assert tolerance(np.float32) == (1e-5, 1e-6)
    assert tolerance(tf.float64) == (1e-12, 1e-12)
    assert tolerance(np.int32) == (0.0, 0.0)


def check_sigmoid(sigmoid):
    np.testing.assert_allclose(
        sigmoid([0.0, 2.0, -2.0]), [0.5, 0.8807970779778823, 0.11920292202211755]
    )


def check_quadratic_roots(quadratic_roots):
    """2x² - 3x - 1 (slide 13): (3 ± √17) / 4; x² + 1 has no real root."""
    low, high = quadratic_roots(2.0, -3.0, -1.0)
    np.testing.assert_allclose([low, high], [(3 - 17**0.5) / 4, (3 + 17**0.5) / 4], rtol=1e-15)
    assert np.isnan(quadratic_roots(1.0, 0.0, 1.0)[0])


def check_mean_squared_error(mean_squared_error):
    np.testing.assert_allclose(mean_squared_error([1.0, 2.0], [3.0, 5.0]), 6.5)


def check_softmax(softmax):
    np.testing.assert_allclose(softmax([[0.0, math.log(3.0)]]), [[0.25, 0.75]])


def check_softmax_cross_entropy(softmax_cross_entropy):
    np.testing.assert_allclose(
        softmax_cross_entropy([[0.0, 1.0]], [[0.0, math.log(3.0)]]), -math.log(0.75)
    )


def check_binary_cross_entropy(binary_cross_entropy):
    """-[y log σ(z) + (1 - y) log(1 - σ(z))]: log 2 at z = 0, log(1 + e) for y = 0, z = 1."""
    np.testing.assert_allclose(binary_cross_entropy([1.0], [0.0]), math.log(2.0))
    np.testing.assert_allclose(binary_cross_entropy([0.0], [1.0]), math.log(1 + math.e))


def check_range_length(range_length):
    """tf.range(3, 18, 3) ==> [3 6 9 12 15] (slide 11)."""
    assert range_length(3, 18, 3) == 5
    assert range_length(0, 1, 0.25) == 4


def check_sequential_param_count(sequential_param_count):
    """Slide 22's model: 784 * 64 + 64 + 64 * 10 + 10 = 50,890 weights."""
    layers = [("Flatten", {}), ("Dense", {"units": 64}), ("Dense", {"units": 10})]
    assert sequential_param_count((28, 28, 1), layers) == 50_890


def check_conv2d(conv2d):
    """A 2x2 kernel of ones over a 3x3 image of 0..8 sums each window, plus the bias."""
    x = np.arange(9.0).reshape(1, 3, 3, 1)
    out = conv2d(x, np.ones((2, 2, 1, 1)), np.array([0.5]), 1)
    np.testing.assert_allclose(out[0, :, :, 0], [[8.5, 12.5], [20.5, 24.5]])


def check_adam_weights(adam_weights):
    """Adam's first step, bias-corrected, is lr g / (|g| + eps / sqrt(1 - b2))."""
    out = adam_weights(np.array([1.0, 1.0]), [np.array([0.5, -2.0])], 0.1, 0.9, 0.999, 1e-3)
    eps = 1e-3 / math.sqrt(1 - 0.999)
    np.testing.assert_allclose(out, [1 - 0.1 * 0.5 / (0.5 + eps), 1 + 0.1 * 2 / (2 + eps)])


def _ignoring_rtol(call, out, expected, *, rtol=None, atol=None):
    ph.assert_values(call, out, expected)


def _first_element_only(call, out, expected, *, rtol=None, atol=None):
    ph.assert_values(
        call, np.ravel(out)[:1], np.ravel(np.broadcast_to(expected, np.shape(out)))[:1]
    )


def _ignoring_patterns(call, fn, expected, *patterns, absent=()):
    return ph.assert_raises(call, fn, expected)


def _length_only(call, out_shape, expected):
    assert len(tuple(out_shape)) == len(tuple(expected)), call


META = [
    (check_assert_values, ph.assert_values, [_ignoring_rtol, _first_element_only]),
    (check_assert_error, ph.assert_error, [_ignoring_patterns]),
    (check_assert_shape, ph.assert_shape, [_length_only]),
    (check_reals, hh.reals, [lambda dtype, bound: st.floats(width=32)]),
    (
        check_distributions,
        hh.distributions,
        [lambda dtype, shape: hh.real_arrays(dtype, shape, 1.0)],
    ),
    (check_tolerance, tolerances.tolerance, [lambda dtype: (1e-3, 1e-3)]),
    (check_sigmoid, oracles.sigmoid, [lambda z: oracles.sigmoid(-np.asarray(z))]),
    (
        check_quadratic_roots,
        oracles.quadratic_roots,
        [lambda a, b, c: oracles.quadratic_roots(a, -b, c)],
    ),
    (
        check_mean_squared_error,
        oracles.mean_squared_error,
        [lambda y, p: np.mean(np.abs(np.subtract(y, p)))],
    ),
    (check_softmax, oracles.softmax, [lambda z: np.exp(np.asarray(z))]),
    (
        check_softmax_cross_entropy,
        oracles.softmax_cross_entropy,
        [lambda y, z: oracles.softmax_cross_entropy(z, y)],
    ),
    (
        check_binary_cross_entropy,
        oracles.binary_cross_entropy,
        [lambda y, z: oracles.binary_cross_entropy(y, -np.asarray(z))],
    ),
    (
        check_range_length,
        oracles.range_length,
        [lambda start, limit, delta: int((limit - start) // delta) + 1],
    ),
    (
        check_sequential_param_count,
        oracles.sequential_param_count,
        [lambda shape, layers: oracles.sequential_param_count(shape, layers[1:])],
    ),
    (check_conv2d, oracles.conv2d, [lambda x, k, b, s: oracles.conv2d(x, k, b, s) - b]),
    (
        check_adam_weights,
        oracles.adam_weights,
        [lambda w, g, lr, b1, b2, eps: oracles.adam_weights(w, g, lr, b2, b1, eps)],
    ),
]


@pytest.mark.parametrize(
    ("check", "helper"), [pytest.param(c, h, id=c.__name__) for c, h, _ in META]
)
def test_helper_meets_its_meta_check(check, helper):
    check(helper)


@pytest.mark.parametrize(
    ("check", "broken"),
    [
        pytest.param(c, b, id=f"{c.__name__}-{i}")
        for c, _, twins in META
        for i, b in enumerate(twins)
    ],
)
def test_meta_check_rejects_a_broken_twin(check, broken):
    """The check fails on the twin: an assertion, or a pytest.raises that saw nothing raised."""
    with pytest.raises((AssertionError, pytest.fail.Exception)):
        check(broken)


def test_assert_raises_observes_what_the_call_did_whatever_it_did():
    observations.take()
    ph.assert_raises("int('x')", lambda: int("x"), ValueError)
    with pytest.raises(AssertionError, match=r"raised builtins\.ValueError"):
        ph.assert_raises("int('x')", lambda: int("x"), TypeError)
    with pytest.raises(AssertionError, match="returned 1"):
        ph.assert_raises("int('1')", lambda: int("1"), ValueError)
    seen = observations.take()
    message = "invalid literal for int() with base 10: 'x'"
    assert [(o.raised, o.message, o.returned) for o in seen] == [
        ("ValueError", message, ""),
        ("ValueError", message, ""),
        ("", "", "1"),
    ]
    assert seen[2].text == "int('1') returns 1"


def test_headline_of_an_error_in_a_tf_function_is_the_error():
    traced = tf.function(lambda x: tf.sqrt(x))
    with pytest.raises(TypeError) as info:
        traced(tf.constant(2))
    assert str(info.value).startswith("in user code:")
    assert ph.headline(info.value).startswith("Value passed to parameter 'x' has DataType int32")
    assert ph.headline(ValueError("first\nsecond")) == "first"

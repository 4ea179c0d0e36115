"""Chapter INIT: where training starts, slides 30-33.

"Randomly pick an initial (w_0, w_1)" and "Initialize weights randomly ~ N(0, σ²)", against what a
Keras `Dense` layer starts from by default: a kernel drawn from Glorot's uniform distribution and a
zero bias. Each draw is checked statistically (`spec.sampling`: its mean, variance and
Kolmogorov-Smirnov distance, with bounds a true sample exceeds with probability below 1e-6).
"""

import math

import numpy as np
import pytest

from spec import oracles, sampling
from spec import pytest_helpers as ph
from spec.keras_helpers import fresh_keras

# (fan_in, fan_out) of the Dense kernels drawn: the course's MLP layers and a large one.
SHAPES = [(784, 64), (64, 10), (512, 256)]


def dense_weights(fan_out: int, fan_in: int, **kwargs) -> tuple[np.ndarray, np.ndarray]:
    """The kernel and bias of a fresh `Dense(fan_out, **kwargs)` built on `fan_in` inputs, and the
    layer's config."""
    keras = fresh_keras()
    layer = keras.layers.Dense(fan_out, **kwargs)
    layer.build((None, fan_in))
    kernel, bias = layer.get_weights()
    return kernel, bias, layer.get_config()


@pytest.mark.clause("INIT.DENSE.GLOROT_UNIFORM_KERNEL")
@pytest.mark.parametrize(("fan_in", "fan_out"), SHAPES, ids=lambda v: str(v))
def test_dense_kernel_is_glorot_uniform(fan_in, fan_out):
    kernel, _, config = dense_weights(fan_out, fan_in)
    call = f"Dense({fan_out}) on {fan_in} inputs: kernel"
    name = config["kernel_initializer"]["class_name"]
    assert name == "GlorotUniform", f"{call}_initializer is {name}, but should be GlorotUniform"
    limit = oracles.glorot_limit(fan_in, fan_out)
    largest = float(np.abs(kernel).max())
    assert largest <= np.float32(limit), f"{call}: |w| = {largest!r} > {limit!r}"
    sampling.assert_drawn_from(
        call,
        kernel,
        variance=limit**2 / 3,
        fourth_moment=limit**4 / 5,
        cdf=lambda v: oracles.uniform_cdf(v, limit),
    )


@pytest.mark.clause("INIT.DENSE.ZERO_BIAS")
@pytest.mark.parametrize(("fan_in", "fan_out"), SHAPES[:2], ids=lambda v: str(v))
def test_dense_bias_starts_at_zero(fan_in, fan_out):
    _, bias, config = dense_weights(fan_out, fan_in)
    name = config["bias_initializer"]["class_name"]
    assert name == "Zeros", f"Dense({fan_out}).bias_initializer is {name}, but should be Zeros"
    ph.assert_identical(f"Dense({fan_out}).bias", bias, np.zeros(fan_out, np.float32))


@pytest.mark.clause("INIT.DENSE.NOT_NORMAL")
def test_dense_kernel_is_not_the_slides_normal():
    fan_in, fan_out = SHAPES[-1]
    kernel, _, _ = dense_weights(fan_out, fan_in)
    limit = oracles.glorot_limit(fan_in, fan_out)
    stddev = limit / math.sqrt(3)  # the normal with the kernel's own variance
    call = f"Dense({fan_out}) on {fan_in} inputs: kernel against N(0, {stddev:.4g}²)"
    distance = oracles.kolmogorov_smirnov_distance(kernel, lambda v: oracles.normal_cdf(v, stddev))
    bound = sampling.dkw_bound(kernel.size)
    assert distance > bound, (
        f"{call}: Kolmogorov-Smirnov distance {distance:.4g} <= {bound:.4g}: not told apart"
    )
    beyond = float(np.mean(np.abs(kernel) > limit))
    assert beyond == 0.0, f"{call}: {beyond:.2%} of the weights lie beyond {limit:.4g}"


@pytest.mark.clause("INIT.DENSE.NORMAL_INITIALIZER")
@pytest.mark.parametrize("stddev", [0.05, 0.5, 2.0])
def test_random_normal_initializer_gives_the_slides_normal(stddev):
    keras = fresh_keras()
    fan_in, fan_out = SHAPES[-1]
    initializer = keras.initializers.RandomNormal(mean=0.0, stddev=stddev)
    kernel, _, _ = dense_weights(fan_out, fan_in, kernel_initializer=initializer)
    sampling.assert_drawn_from(
        f"Dense({fan_out}, kernel_initializer=RandomNormal(stddev={stddev})) kernel",
        kernel,
        variance=stddev**2,
        fourth_moment=3 * stddev**4,
        cdf=lambda v: oracles.normal_cdf(v, stddev),
    )

"""benchmarks.flops: the FLOPs per image counted from a Keras model's layer shapes equal the closed
form, for the course's CNN and for single layers of other shapes."""

import math

import pytest
import tensorflow as tf

from benchmarks import flops
from impl import models


def conv_macs(size: int, channels: int, filters: int, kernel: int, stride: int, padding: str):
    """Multiply-adds of a square Conv2D on a square image: output pixels x filters x kernel."""
    out = math.ceil(size / stride) if padding == "same" else (size - kernel) // stride + 1
    return out * out * filters * kernel * kernel * channels


# The course's CNN, from its description: 28x28x1 -> 3x3 conv 12 -> 6x6/2 conv 24 -> 6x6/2 conv 32
# -> flatten (7*7*32) -> dense 200 -> dense 10.
COURSE_CNN_MACS = [
    conv_macs(28, 1, 12, 3, 1, "same"),
    conv_macs(28, 12, 24, 6, 2, "same"),
    conv_macs(14, 24, 32, 6, 2, "same"),
    7 * 7 * 32 * 200,
    200 * 10,
]


@pytest.fixture(scope="module")
def course_cnn_layers():
    return flops.keras_layers(models.cnn(), (28, 28, 1))


def test_course_cnn_multiply_adds_per_layer(course_cnn_layers):
    assert [layer.macs for layer in course_cnn_layers] == COURSE_CNN_MACS


def test_course_cnn_forward_flops(course_cnn_layers):
    assert flops.forward_flops(course_cnn_layers) == 2 * sum(COURSE_CNN_MACS) == 7_574_304


def test_course_cnn_training_flops(course_cnn_layers):
    """Forward, weight gradients, and input gradients of every layer but the first."""
    expected = 3 * 2 * sum(COURSE_CNN_MACS) - 2 * COURSE_CNN_MACS[0]
    assert flops.training_flops(course_cnn_layers) == expected == 22_553_568


@pytest.mark.parametrize(
    ("size", "channels", "filters", "kernel", "stride", "padding"),
    [
        (28, 1, 12, 3, 1, "same"),
        (15, 3, 8, 4, 2, "same"),
        (15, 3, 8, 4, 2, "valid"),
        (9, 5, 2, 3, 3, "valid"),
        (7, 2, 4, 1, 1, "same"),
    ],
)
def test_single_convolution(size, channels, filters, kernel, stride, padding):
    keras = tf.keras
    model = keras.Sequential(
        [keras.Input((size, size, channels)), keras.layers.Conv2D(filters, kernel, stride, padding)]
    )
    (layer,) = flops.keras_layers(model, (size, size, channels))
    assert layer.macs == conv_macs(size, channels, filters, kernel, stride, padding)


def test_dense_on_a_sequence_counts_every_position():
    keras = tf.keras
    model = keras.Sequential([keras.Input((6, 5)), keras.layers.Dense(3)])
    (layer,) = flops.keras_layers(model, (6, 5))
    assert (layer.kernel_size, layer.positions, layer.macs) == (15, 6, 6 * 5 * 3)


def test_layers_without_a_kernel_are_not_counted():
    keras = tf.keras
    model = keras.Sequential(
        [keras.Input((4, 4, 2)), keras.layers.BatchNormalization(), keras.layers.Flatten()]
    )
    assert flops.keras_layers(model, (4, 4, 2)) == []

"""The practicals' models (slides 37-42), compiled as slide 24 compiles a model, its erratum fixed:
`tf.keras.optimizers.Adam(0.001)` for `tf.train.AdamOptimizer(0.001)`, categorical cross-entropy
on one-hot labels, accuracy as the metric.

Each takes MNIST images shaped [28, 28, 1] (slide 22's `input_shape`), pixels scaled to [0, 1], and
gives the 10 class probabilities.
"""

from __future__ import annotations

import tensorflow as tf

IMAGE_SHAPE = (28, 28, 1)
CLASSES = 10
LEARNING_RATE = 0.001


def _compiled(name: str, layers: list, learning_rate: float) -> tf.keras.Sequential:
    keras = tf.keras
    model = keras.Sequential([keras.Input(shape=IMAGE_SHAPE), *layers], name=name)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def linear_classifier(learning_rate: float = LEARNING_RATE) -> tf.keras.Sequential:
    """Slides 38-41's linear softmax classifier: softmax(x W + b) on the flattened image."""
    layers = tf.keras.layers
    return _compiled(
        "linear_classifier",
        [layers.Flatten(), layers.Dense(CLASSES, activation="softmax")],
        learning_rate,
    )


def mlp(learning_rate: float = LEARNING_RATE) -> tf.keras.Sequential:
    """Slide 22's multi-layer perceptron (slide 37): 64 relu units, then a softmax layer."""
    layers = tf.keras.layers
    return _compiled(
        "mlp",
        [
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(CLASSES, activation="softmax"),
        ],
        learning_rate,
    )


def _normalised_relu(layer) -> list:
    """`layer` (no bias of its own), batch normalisation (its offset stands for the bias; no scale,
    since relu follows) and relu, as the course's codelab stacks them."""
    layers = tf.keras.layers
    normalise = layers.BatchNormalization(center=True, scale=False)
    return [layer, normalise, layers.Activation("relu")]


def cnn(learning_rate: float = LEARNING_RATE, dropout: float = 0.3) -> tf.keras.Sequential:
    """The course's MNIST convnet (Martin Gorner's codelab, slide 2): three convolutions of 12, 24
    and 32 filters (3x3, then 6x6 with stride 2 twice: 28x28 to 14x14 to 7x7), a dense layer of 200,
    each batch-normalised before its relu, dropout, and a softmax over the 10 classes."""
    layers = tf.keras.layers

    def conv(filters: int, size: int, strides: int) -> list:
        return _normalised_relu(
            layers.Conv2D(filters, size, strides=strides, padding="same", use_bias=False)
        )

    return _compiled(
        "cnn",
        [
            *conv(12, 3, 1),
            *conv(24, 6, 2),
            *conv(32, 6, 2),
            layers.Flatten(),
            *_normalised_relu(layers.Dense(200, use_bias=False)),
            layers.Dropout(dropout),
            layers.Dense(CLASSES, activation="softmax"),
        ],
        learning_rate,
    )

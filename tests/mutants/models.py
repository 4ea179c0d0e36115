"""Broken twins of impl.models: each builds its model with one departure from the course."""

from __future__ import annotations

import tensorflow as tf

from impl.models import CLASSES, IMAGE_SHAPE, LEARNING_RATE, _compiled, _normalised_relu, mlp
from mutants import rejected_by


def _layers():
    return tf.keras.layers


# --- linear_classifier ---------------------------------------------------------------------------


@rejected_by("PRACTICAL.MODELS.SOFTMAX_OUTPUT", "PRACTICAL.MODELS.ACTIVATIONS")
def linear_without_softmax(learning_rate=LEARNING_RATE):
    """Outputs the logits x W + b, not their softmax."""
    return _compiled(
        "linear_classifier", [_layers().Flatten(), _layers().Dense(CLASSES)], learning_rate
    )


@rejected_by("PRACTICAL.LINEAR.PARAMETERS")
def linear_without_bias(learning_rate=LEARNING_RATE):
    """Leaves out the bias b of softmax(x W + b)."""
    dense = _layers().Dense(CLASSES, activation="softmax", use_bias=False)
    return _compiled("linear_classifier", [_layers().Flatten(), dense], learning_rate)


@rejected_by("PRACTICAL.MODELS.COMPILED")
def linear_without_accuracy_metric(learning_rate=LEARNING_RATE):
    """Is compiled without metrics=['accuracy'], so evaluate reports the loss alone."""
    layers = _layers()
    dense = layers.Dense(CLASSES, activation="softmax")
    model = tf.keras.Sequential([tf.keras.Input(shape=IMAGE_SHAPE), layers.Flatten(), dense])
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate), loss="categorical_crossentropy"
    )
    return model


# --- mlp -----------------------------------------------------------------------------------------


@rejected_by("PRACTICAL.MLP.PARAMETERS")
def mlp_32_hidden_units(learning_rate=LEARNING_RATE):
    """Has 32 hidden units, not slide 22's 64."""
    layers = _layers()
    hidden = [layers.Flatten(), layers.Dense(32, activation="relu")]
    return _compiled("mlp", [*hidden, layers.Dense(CLASSES, activation="softmax")], learning_rate)


@rejected_by("PRACTICAL.MODELS.SOFTMAX_OUTPUT", "PRACTICAL.MODELS.ACTIVATIONS")
def mlp_sigmoid_output(learning_rate=LEARNING_RATE):
    """Ends in 10 independent sigmoids instead of a softmax."""
    layers = _layers()
    hidden = [layers.Flatten(), layers.Dense(64, activation="relu")]
    return _compiled("mlp", [*hidden, layers.Dense(CLASSES, activation="sigmoid")], learning_rate)


@rejected_by("PRACTICAL.MODELS.ACTIVATIONS")
def mlp_without_hidden_relu(learning_rate=LEARNING_RATE):
    """Leaves the hidden layer linear (Dense(64) without activation='relu'): a linear classifier."""
    layers = _layers()
    hidden = [layers.Flatten(), layers.Dense(64)]
    return _compiled("mlp", [*hidden, layers.Dense(CLASSES, activation="softmax")], learning_rate)


@rejected_by("PRACTICAL.MODELS.COMPILED")
def mlp_mean_squared_error(learning_rate=LEARNING_RATE):
    """Is compiled with the mean squared error instead of the categorical cross-entropy."""
    model = mlp(learning_rate)
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate), loss="mse")
    return model


# --- cnn -----------------------------------------------------------------------------------------


def _cnn(
    learning_rate, *, sizes=(3, 6, 6), padding="same", normalise=True, dropout=0.3, relu_first=False
):
    layers = _layers()

    def block(layer):
        if not normalise:
            return [layer, layers.Activation("relu")]
        weighted, norm, relu = _normalised_relu(layer)
        return [weighted, relu, norm] if relu_first else [weighted, norm, relu]

    convolutions = [
        block(layers.Conv2D(f, k, strides=s, padding=padding, use_bias=False))
        for f, k, s in zip((12, 24, 32), sizes, (1, 2, 2), strict=True)
    ]
    return _compiled(
        "cnn",
        [
            *(layer for conv in convolutions for layer in conv),
            layers.Flatten(),
            *block(layers.Dense(200, use_bias=False)),
            *([layers.Dropout(dropout)] if dropout else []),
            layers.Dense(CLASSES, activation="softmax"),
        ],
        learning_rate,
    )


@rejected_by("PRACTICAL.CNN.PARAMETERS", "PRACTICAL.CNN.ARCHITECTURE")
def cnn_without_batch_norm(learning_rate=LEARNING_RATE):
    """Leaves out batch normalisation (and so has no bias at all)."""
    return _cnn(learning_rate, normalise=False)


@rejected_by("PRACTICAL.CNN.PARAMETERS", "PRACTICAL.CNN.ARCHITECTURE")
def cnn_3x3_kernels(learning_rate=LEARNING_RATE):
    """Uses 3x3 kernels throughout, not 6x6 in the strided convolutions."""
    return _cnn(learning_rate, sizes=(3, 3, 3))


@rejected_by("PRACTICAL.CNN.PARAMETERS", "PRACTICAL.CNN.ARCHITECTURE")
def cnn_valid_padding(learning_rate=LEARNING_RATE):
    """Pads 'valid' instead of 'same': feature maps 26, 11, 3 instead of 28, 14, 7."""
    return _cnn(learning_rate, padding="valid")


@rejected_by("PRACTICAL.CNN.ARCHITECTURE", "PRACTICAL.CNN.DROPOUT")
def cnn_without_dropout(learning_rate=LEARNING_RATE):
    """Leaves out the dropout before the classifier."""
    return _cnn(learning_rate, dropout=0)


@rejected_by("PRACTICAL.CNN.DROPOUT")
def cnn_keep_probability_as_rate(learning_rate=LEARNING_RATE):
    """Passes the TF1 codelab's keep probability, pkeep=0.75, to Dropout, which drops 75%."""
    return _cnn(learning_rate, dropout=0.75)


@rejected_by("PRACTICAL.MODELS.ACTIVATIONS")
def cnn_relu_before_batch_norm(learning_rate=LEARNING_RATE):
    """Applies relu before batch normalisation, not after it."""
    return _cnn(learning_rate, relu_first=True)


MUTANTS = {
    "linear_classifier": [
        linear_without_softmax,
        linear_without_bias,
        linear_without_accuracy_metric,
    ],
    "mlp": [
        mlp_32_hidden_units,
        mlp_sigmoid_output,
        mlp_without_hidden_relu,
        mlp_mean_squared_error,
    ],
    "cnn": [
        cnn_without_batch_norm,
        cnn_3x3_kernels,
        cnn_valid_padding,
        cnn_without_dropout,
        cnn_keep_probability_as_rate,
        cnn_relu_before_batch_norm,
    ],
}

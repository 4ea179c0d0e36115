"""The practicals' three MNIST classifiers, compiled for categorical cross-entropy with Adam."""

import tensorflow as tf

INPUT_SHAPE = (28, 28, 1)


def _compiled(layers: list, learning_rate: float) -> tf.keras.Model:
    model = tf.keras.Sequential([tf.keras.Input(shape=INPUT_SHAPE), *layers])
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=learning_rate),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def linear_classifier(learning_rate=0.001):
    """Flatten, then one softmax layer of 10 units."""
    return _compiled(
        [tf.keras.layers.Flatten(), tf.keras.layers.Dense(10, activation="softmax")],
        learning_rate,
    )


def mlp(learning_rate=0.001):
    """Flatten, a hidden relu layer of 64 units, a softmax layer of 10."""
    return _compiled(
        [
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ],
        learning_rate,
    )


def _normalised_relu(momentum: float) -> list:
    """Batch normalisation with an offset and no scale (relu follows), then relu."""
    return [
        tf.keras.layers.BatchNormalization(center=True, scale=False, momentum=momentum),
        tf.keras.layers.Activation("relu"),
    ]


def cnn(learning_rate=0.001, dropout=0.3, momentum=0.9):
    """Three unbiased convolutions and a dense layer, each batch-normalised, then softmax."""
    conv = tf.keras.layers.Conv2D
    return _compiled(
        [
            conv(12, 3, strides=1, padding="same", use_bias=False),
            *_normalised_relu(momentum),
            conv(24, 6, strides=2, padding="same", use_bias=False),
            *_normalised_relu(momentum),
            conv(32, 6, strides=2, padding="same", use_bias=False),
            *_normalised_relu(momentum),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(200, use_bias=False),
            *_normalised_relu(momentum),
            tf.keras.layers.Dropout(dropout),
            tf.keras.layers.Dense(10, activation="softmax"),
        ],
        learning_rate,
    )

"""The codelab's three models, each compiled as its notebook compiles it. Its learning-rate decay is
a callback of the notebook's `fit`, not part of the model, and its BatchNormalization keeps Keras's
default momentum (0.99)."""

import tensorflow as tf


def linear_classifier():
    """keras_01: one softmax layer, compiled with 'sgd'."""
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Input(shape=(28, 28, 1)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def mlp():
    """keras_02: dense layers of 200 and 60 relu units, then softmax, compiled with 'adam'."""
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Input(shape=(28, 28, 1)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(200, activation="relu"),
            tf.keras.layers.Dense(60, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def cnn():
    """keras_05: three convolutions and a dense layer, each batch-normalised before its relu,
    dropout 0.3, softmax; Adam at 0.01 (the notebook's `lr=0.01`, a name Keras 3 removed)."""
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Input(shape=(28, 28, 1)),
            tf.keras.layers.Conv2D(kernel_size=3, filters=12, use_bias=False, padding="same"),
            tf.keras.layers.BatchNormalization(center=True, scale=False),
            tf.keras.layers.Activation("relu"),
            tf.keras.layers.Conv2D(
                kernel_size=6, filters=24, use_bias=False, padding="same", strides=2
            ),
            tf.keras.layers.BatchNormalization(center=True, scale=False),
            tf.keras.layers.Activation("relu"),
            tf.keras.layers.Conv2D(
                kernel_size=6, filters=32, use_bias=False, padding="same", strides=2
            ),
            tf.keras.layers.BatchNormalization(center=True, scale=False),
            tf.keras.layers.Activation("relu"),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(200, use_bias=False),
            tf.keras.layers.BatchNormalization(center=True, scale=False),
            tf.keras.layers.Activation("relu"),
            tf.keras.layers.Dropout(0.3),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model

"""How the practicals train and grade their models on MNIST: the spec's split of what `load_mnist()`
returns, the preparation of the images, the spec's recipe per model (Adam's learning rate, images,
epochs, batch size) and accuracy threshold, the training itself, seeded, and the recalibration of
batch normalisation's statistics before grading.

The recipes are the smallest trainings that clear the thresholds with a margin on every release
(one thread per op, the CPU); the `thorough` Hypothesis profile trains longer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import tensorflow as tf
from hypothesis import settings

from spec import keras_helpers, mnist_index
from spec.harness import profiles

TEST_IMAGES = 2000  # the test images graded
CLASSES = 10


@dataclass(frozen=True)
class Recipe:
    images: int  # the first `images` training images
    epochs: int
    batch_size: int
    learning_rate: float  # the spec's Adam's
    threshold: float  # the test accuracy the clause requires


RECIPES = {
    "linear_classifier": Recipe(6000, 3, 64, 0.003, 0.85),
    "mlp": Recipe(6000, 3, 64, 0.003, 0.90),
    "cnn": Recipe(3000, 2, 64, 0.003, 0.95),
}
THOROUGH_RECIPES = {
    "linear_classifier": Recipe(6000, 6, 64, 0.003, 0.85),
    "mlp": Recipe(6000, 6, 64, 0.003, 0.90),
    "cnn": Recipe(6000, 4, 64, 0.003, 0.95),
}


def recipe(model: str) -> Recipe:
    """The recipe for `model` under the current Hypothesis profile."""
    thorough = settings.default.max_examples > profiles.BASE_EXAMPLES
    return (THOROUGH_RECIPES if thorough else RECIPES)[model]


@dataclass(frozen=True)
class Split:
    x_train: np.ndarray  # float32 [n, 28, 28, 1] in [0, 1]
    y_train: np.ndarray  # one-hot float32 [n, 10]
    x_test: np.ndarray
    labels_test: np.ndarray  # the test labels, 0-9


def prepare(images: np.ndarray) -> np.ndarray:
    """uint8 images [n, 28, 28] as the models take them: float32 [n, 28, 28, 1] in [0, 1]."""
    return (np.asarray(images, np.float32) / 255.0)[..., None]


def one_hot(labels: np.ndarray) -> np.ndarray:
    return np.eye(CLASSES, dtype=np.float32)[np.asarray(labels)]


def split(loaded) -> Split:
    """The spec's split of what `load_mnist()` returned: all its training images (the recipes take
    their first n) and the first TEST_IMAGES of its test images that are MNIST test images (by the
    spec's index) and not among its training images, labelled by the index."""
    (x_train, y_train), (x_test, _) = loaded
    known, seen = mnist_index.labels_of_test_images(), set(mnist_index.digests(x_train))
    graded = [
        (i, known[digest])
        for i, digest in enumerate(mnist_index.digests(x_test))
        if digest in known and digest not in seen
    ][:TEST_IMAGES]
    rows, labels = [row for row, _ in graded], [label for _, label in graded]
    return Split(
        prepare(x_train), one_hot(y_train), prepare(x_test[rows]), np.array(labels, np.uint8)
    )


def train(builder, recipe: Recipe, data: Split, *, images: int | None = None, epochs=None):
    """A model from `builder()`, compiled by the spec (Adam at the recipe's learning rate, the
    categorical cross-entropy), trained on the first `images` (default: the recipe's) training
    images from the suite's seed, its batch normalisation recalibrated on them; returns (model,
    history)."""
    keras = keras_helpers.fresh_keras()
    model = builder()
    model.compile(
        optimizer=keras.optimizers.Adam(recipe.learning_rate), loss="categorical_crossentropy"
    )
    n = images or recipe.images
    history = model.fit(
        data.x_train[:n],
        data.y_train[:n],
        epochs=epochs or recipe.epochs,
        batch_size=recipe.batch_size,
        shuffle=True,
        verbose=0,
    )
    recalibrate_batch_norm(model, data.x_train[:n])
    return model, history


def all_layers(model) -> list:
    """The model's layers in order, those of nested models included."""
    return [
        inner
        for layer in model.layers
        for inner in (layer, *(all_layers(layer) if hasattr(layer, "layers") else ()))
    ]


def recalibrate_batch_norm(model, images: np.ndarray, batch: int = 500) -> None:
    """Set every BatchNormalization layer's moving mean and variance, which inference uses, to the
    mean of its batch statistics over `images`: forward passes in training mode, the k-th batch
    weighted 1/k into the moving averages (momentum 1 - 1/k), each layer's momentum restored."""
    norms = [
        layer
        for layer in all_layers(model)
        if isinstance(layer, tf.keras.layers.BatchNormalization)
    ]
    if not norms:
        return
    momenta = [layer.momentum for layer in norms]
    for k, start in enumerate(range(0, len(images), batch), 1):
        for layer in norms:
            layer.momentum = 1 - 1 / k
        model(images[start : start + batch], training=True)
    for layer, momentum in zip(norms, momenta, strict=True):
        layer.momentum = momentum


def accuracy(model, data: Split) -> float:
    """The fraction of the test split whose most probable class is its label."""
    batches = range(0, len(data.x_test), 500)
    guesses = [np.argmax(model(data.x_test[i : i + 500], training=False), axis=1) for i in batches]
    return float(np.mean(np.concatenate(guesses) == data.labels_test))

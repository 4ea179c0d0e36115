"""How the practicals train their models on MNIST: the fixed split, the preparation of the images,
one recipe (images, epochs, batch size, learning rate) and accuracy threshold per model, and the
training itself, seeded.

The recipes are the smallest trainings that clear the thresholds with a margin on every release
(one thread per op, the CPU); the `thorough` Hypothesis profile trains longer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import settings

from spec import keras_helpers
from spec.harness import profiles

TEST_IMAGES = 2000  # the first 2,000 test images: the fixed test split
CLASSES = 10


@dataclass(frozen=True)
class Recipe:
    images: int  # the first `images` training images
    epochs: int
    batch_size: int
    learning_rate: float  # Adam's, passed to the model's builder
    threshold: float  # the test accuracy the clause requires


RECIPES = {
    "linear_classifier": Recipe(6000, 3, 64, 0.003, 0.85),
    "mlp": Recipe(6000, 3, 64, 0.003, 0.90),
    "cnn": Recipe(3000, 3, 64, 0.003, 0.95),
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
    """The fixed split of what `load_mnist()` returned: all its training images (the recipes take
    their first n), its first TEST_IMAGES test images."""
    (x_train, y_train), (x_test, y_test) = loaded
    return Split(
        prepare(x_train), one_hot(y_train), prepare(x_test[:TEST_IMAGES]), y_test[:TEST_IMAGES]
    )


def train(builder, recipe: Recipe, data: Split, *, images: int | None = None, epochs=None):
    """A model from `builder(learning_rate=...)`, trained on the first `images` (default: the
    recipe's) training images from the suite's seed; returns (model, history)."""
    keras_helpers.fresh_keras()
    model = builder(learning_rate=recipe.learning_rate)
    n = images or recipe.images
    history = model.fit(
        data.x_train[:n],
        data.y_train[:n],
        epochs=epochs or recipe.epochs,
        batch_size=recipe.batch_size,
        shuffle=True,
        verbose=0,
    )
    return model, history


def accuracy(model, data: Split) -> float:
    """The fraction of the test split whose most probable class is its label."""
    batches = range(0, len(data.x_test), 500)
    guesses = [np.argmax(model(data.x_test[i : i + 500], training=False), axis=1) for i in batches]
    return float(np.mean(np.concatenate(guesses) == data.labels_test))

"""The runtime every spec test runs on: TensorFlow quiet and deterministic, the thread counts that
tox sets, and the same Python, NumPy and TensorFlow seeds at the start of every test."""

from __future__ import annotations

import os
import random

import numpy as np
import pytest

SEED = 1337


def configure() -> None:
    """Apply the thread counts that tox sets (one per op: the same sums in the same order on every
    machine) and make every op deterministic. Takes effect before TensorFlow's first op; a second
    run in the same process (pytester) finds them applied."""
    import tensorflow as tf

    threading = tf.config.threading
    for variable, getter, setter in (
        (
            "TF_NUM_INTRAOP_THREADS",
            threading.get_intra_op_parallelism_threads,
            threading.set_intra_op_parallelism_threads,
        ),
        (
            "TF_NUM_INTEROP_THREADS",
            threading.get_inter_op_parallelism_threads,
            threading.set_inter_op_parallelism_threads,
        ),
    ):
        wanted = int(os.environ.get(variable) or 0)
        if wanted and getter() != wanted:
            setter(wanted)
    tf.config.experimental.enable_op_determinism()


def seed_everything(seed: int = SEED) -> None:
    import tensorflow as tf

    random.seed(seed)
    np.random.seed(seed)
    tf.random.set_seed(seed)


@pytest.fixture(autouse=True)
def seeded():
    """The same Python, NumPy and TensorFlow seeds at the start of every test."""
    seed_everything()

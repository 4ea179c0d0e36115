"""Every spec test runs on a quiet, deterministic TensorFlow, from fixed seeds."""

import os
import random

import numpy as np
import pytest
import tensorflow as tf

SEED = 1337


def _configure_runtime() -> None:
    """Apply the thread counts that tox sets (one per op: the same sums in the same order on every
    machine) and make every op deterministic. Takes effect before TensorFlow's first op; a second
    run in the same process (pytester) finds them applied."""
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


_configure_runtime()


@pytest.fixture(autouse=True)
def _seeded():
    """The same Python, NumPy and TensorFlow seeds at the start of every test."""
    random.seed(SEED)
    np.random.seed(SEED)
    tf.random.set_seed(SEED)

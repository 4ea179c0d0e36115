"""Training a linear model under `tf.distribute.MirroredStrategy` on two logical CPU devices, in a
fresh interpreter.

TensorFlow splits a CPU into logical devices only before its runtime starts, which in the spec's
own process has long happened; so `run` is the `distributed` job of spec.fresh_interpreter: it
splits the CPU, trains a linear model mirrored over the two devices, and reports what it saw: the
devices, the rows each replica got at each step, and the weights it ended with. The spec runs the
same `train` on one device in its own process, and the same training in NumPy on `problem()`. No
GPU, no second machine.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

BATCH = 8  # the global batch: each of the two replicas should get 4 rows
STEPS = 3
LEARNING_RATE = 0.1


def problem() -> dict[str, np.ndarray]:
    """The rows (features x, targets y) and the starting weights, float32, from a fixed seed."""
    rng = np.random.default_rng(20200629)
    x = rng.normal(size=(BATCH * STEPS, 3)).astype(np.float32)
    y = (x @ np.array([[1.5], [-2.0], [0.5]]) + 0.25).astype(np.float32)
    return {
        "x": x,
        "y": y,
        "kernel": rng.normal(size=(3, 1)).astype(np.float32),
        "bias": np.zeros(1, np.float32),
    }


def train(tf, strategy, data: dict) -> dict:
    """Minibatch gradient descent on the mean squared error of x @ kernel + bias, one step per batch
    of BATCH rows in order: each replica's gradient of its rows' share of the batch mean, summed
    across replicas; the rows (by index) and the device of each replica at each step."""
    with strategy.scope():
        kernel, bias = tf.Variable(data["kernel"]), tf.Variable(data["bias"])
    rows = np.arange(len(data["x"]), dtype=np.int32)
    dataset = tf.data.Dataset.from_tensor_slices((rows, data["x"], data["y"])).batch(BATCH)

    def replica_step(index, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(x @ kernel + bias - y)) / BATCH
        return (*tape.gradient(loss, [kernel, bias]), index)

    shares, devices = [], []
    for batch in strategy.experimental_distribute_dataset(dataset):
        grad_kernel, grad_bias, index = strategy.run(replica_step, args=batch)
        sum_ = tf.distribute.ReduceOp.SUM
        kernel.assign_sub(LEARNING_RATE * strategy.reduce(sum_, grad_kernel, axis=None))
        bias.assign_sub(LEARNING_RATE * strategy.reduce(sum_, grad_bias, axis=None))
        local = strategy.experimental_local_results(index)
        shares.append([t.numpy().tolist() for t in local])
        devices.append([t.device for t in local])
    return {
        "shares": shares,
        "devices": devices,
        "replicas": strategy.num_replicas_in_sync,
        "kernel": kernel.numpy().tolist(),
        "bias": bias.numpy().tolist(),
    }


def run(folder: Path) -> dict:
    """In a fresh interpreter (spec.fresh_interpreter), before anything else starts TensorFlow's
    runtime: split the CPU into two logical devices and train mirrored over them; the devices'
    names and what `train` saw. `folder` is unused: the job writes nothing."""
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    names = [d.name for d in tf.config.list_logical_devices("CPU")]
    return {
        "logical_cpus": names,
        "mirrored": train(tf, tf.distribute.MirroredStrategy(names), problem()),
    }

"""Training a linear model under `tf.distribute.MirroredStrategy` on two logical CPU devices, in a
fresh interpreter.

TensorFlow splits a CPU into logical devices only before its runtime starts, which in the spec's
own process has long happened; so `start()` runs `python -m spec.distributed_training`, which
splits the CPU, trains a linear model mirrored over the two devices, and prints what it saw as
JSON: the devices, the rows each replica got at each step, and the weights it ended with. The spec
runs the same `train` on one device in its own process, and the same training in NumPy on
`problem()`. No GPU, no second machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
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


def main() -> None:
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    names = [d.name for d in tf.config.list_logical_devices("CPU")]
    report = {
        "logical_cpus": names,
        "mirrored": train(tf, tf.distribute.MirroredStrategy(names), problem()),
    }
    print(json.dumps(report))


def start() -> subprocess.Popen:
    """Start the training in a fresh interpreter (its TensorFlow import takes seconds: start it
    early, read it late with `result`)."""
    return subprocess.Popen(
        [sys.executable, "-m", "spec.distributed_training"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def result(process: subprocess.Popen, timeout: float) -> dict:
    """What the training printed; a RuntimeError with its output if it failed or ran too long."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise RuntimeError(f"the training ran past {timeout} s: {err[-1500:]}") from None
    if process.returncode != 0:
        raise RuntimeError(f"the training exited with {process.returncode}: {err[-1500:]}")
    return json.loads(out.strip().splitlines()[-1])


if __name__ == "__main__":
    main()

"""The course's CNN on Keras 3's JAX backend: the very `impl.models.cnn()` of the TensorFlow runs,
built with KERAS_BACKEND=jax (from TensorFlow 2.16 on, `tf.keras` is Keras 3, whose layers then
compute in JAX), trained and run by the JAX recipe of the Keras guides: `stateless_call`, the
optimizer's `stateless_apply`, one `jax.jit` per step, the state donated from step to step.

Where TensorFlow is not installed (a GPU machine with JAX and Keras alone), `impl.models`, which
uses nothing of TensorFlow but `tf.keras`, gets Keras itself under that name (keras_only): the same
model, built by the same code."""

from __future__ import annotations

import importlib
import importlib.util
import platform
import sys
import types

from benchmarks.cases import Case
from benchmarks.frameworks import tensorflow_cnn


def keras_only():
    """A stand-in `tensorflow` module whose `keras` is Keras 3 itself, put in sys.modules."""
    import keras

    module = types.ModuleType("tensorflow")
    module.keras = keras
    module.__version__ = None
    sys.modules["tensorflow"] = module
    return module


class Runner(tensorflow_cnn.Runner):
    backend = "jax"

    def start(self) -> dict:
        import jax

        self.jax = jax
        if importlib.util.find_spec("tensorflow") is not None:
            started = super().start()
        else:
            import keras
            import numpy

            self.tf = keras_only()
            self.models = importlib.import_module(f"{tensorflow_cnn.IMPL}.models")
            versions = {"python": platform.python_version(), "tensorflow": None}
            versions |= {"keras": keras.__version__, "numpy": numpy.__version__}
            started = {"versions": versions, "impl": tensorflow_cnn.IMPL}
        started["versions"]["jax"] = jax.__version__
        backend = self.tf.keras.backend.backend()
        started["versions"]["keras_backend"] = backend
        if backend != "jax":
            reason = f"tf.keras is Keras {started['versions']['keras']} on {backend}, not on JAX"
            started["unavailable"] = {"cpu": reason, "gpu": reason}
        elif jax.default_backend() != "gpu":
            started["unavailable"] = {"gpu": f"jax {jax.__version__} has no GPU here"}
        else:
            started["unavailable"] = {}
        # XLA sizes its own CPU thread pool; TensorFlow's thread settings do not reach it.
        started["threads"] = {"intra": "XLA default", "inter": "XLA default"}
        return started

    def placed(self, device: str):
        return self.jax.default_device(self.jax.devices(device)[0])

    def matmul(self, device: str, n: int):
        jax = self.jax
        a = jax.random.uniform(jax.random.key(0), (n, n), dtype="float32")
        # The sum makes the whole product needed, and its result tiny to wait for.
        product = jax.jit(lambda a: (a @ a).sum())
        return lambda: product(a).block_until_ready()

    def compiled_step(self, model, case: Case, x, y):
        jax, jnp = self.jax, self.jax.numpy
        with self.placed(case.device):
            x, y = jnp.asarray(x), jnp.asarray(y)
        loss_fn = self.tf.keras.losses.get(model.loss)
        optimizer = model.optimizer
        optimizer.build(model.trainable_variables)
        state = [
            [v.value for v in model.trainable_variables],
            [v.value for v in model.non_trainable_variables],
            [v.value for v in optimizer.variables],
        ]
        if case.mode == "forward":
            infer = jax.jit(
                self._counted(
                    lambda tv, ntv, x: model.stateless_call(tv, ntv, x, training=False)[0]
                )
            )
            return lambda: infer(state[0], state[1], x).block_until_ready()

        def loss_and_updates(trainable, non_trainable, x, y):
            pred, non_trainable = model.stateless_call(trainable, non_trainable, x, training=True)
            return jnp.mean(loss_fn(y, pred)), non_trainable

        gradients = jax.value_and_grad(loss_and_updates, has_aux=True)

        def train_step(state, x, y):
            trainable, non_trainable, optimizer_vars = state
            (loss, non_trainable), grads = gradients(trainable, non_trainable, x, y)
            trainable, optimizer_vars = optimizer.stateless_apply(optimizer_vars, grads, trainable)
            return loss, [trainable, non_trainable, optimizer_vars]

        step = jax.jit(self._counted(train_step), donate_argnums=0)

        def run():
            loss, state[:] = step(list(state), x, y)
            loss.block_until_ready()

        return run

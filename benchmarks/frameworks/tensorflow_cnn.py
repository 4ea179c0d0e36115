"""The course's CNN, `impl.models.cnn()` as the course compiles it, on TensorFlow and the Keras
behind `tf.keras`: a compiled custom training step and forward pass (`tf.function`, XLA off or
on), and the user-facing `fit` and `predict`."""

from __future__ import annotations

import dataclasses
import importlib
import math
from collections.abc import Callable

from benchmarks import flops
from benchmarks.cases import Case, Settings
from benchmarks.frameworks import data
from spec.harness import implementation

IMPL = implementation.name()


class Runner:
    backend = "tensorflow"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.accuracy = Accuracy(self)
        # The traces of the prepared case's step (its Python body runs only when traced): a trace
        # after the warm-up means the timed calls retraced, and, with XLA, recompiled.
        self.traces = 0

    def environment(self) -> dict[str, str]:
        """Set before TensorFlow is imported: it reads oneDNN's switch and its pools only then."""
        env = {
            "KERAS_BACKEND": self.backend,
            "TF_NUM_INTRAOP_THREADS": str(self.settings.intra),
            "TF_NUM_INTEROP_THREADS": str(self.settings.inter),
        }
        if self.settings.onednn is not None:
            env["TF_ENABLE_ONEDNN_OPTS"] = "1" if self.settings.onednn else "0"
        return env

    def start(self) -> dict:
        import tensorflow as tf

        from spec.harness import environment

        self.tf = tf
        tf.config.threading.set_intra_op_parallelism_threads(self.settings.intra)
        tf.config.threading.set_inter_op_parallelism_threads(self.settings.inter)
        self.models = importlib.import_module(f"{IMPL}.models")
        gpus = tf.config.list_physical_devices("GPU")
        return {
            "versions": environment.versions(),
            "impl": IMPL,
            "threads": {
                "intra": tf.config.threading.get_intra_op_parallelism_threads(),
                "inter": tf.config.threading.get_inter_op_parallelism_threads(),
            },
            "unavailable": {}
            if gpus
            else {"gpu": f"TensorFlow {tf.__version__} lists no GPU on this machine"},
        }

    def _device(self, device: str) -> str:
        return "/GPU:0" if device == "gpu" else "/CPU:0"

    def build(self, device: str = "cpu", precision: str = "float32"):
        """A fresh `impl.models.cnn()` on `device`, its layers computing in `precision`."""
        mixed = self.tf.keras.mixed_precision
        policy = mixed.global_policy()
        mixed.set_global_policy(precision)
        try:
            with self.placed(device):
                return self.models.cnn()
        finally:
            mixed.set_global_policy(policy)

    def placed(self, device: str):
        """The context in which arrays and models go to `device`."""
        return self.tf.device(self._device(device))

    def recipe(self) -> dict:
        return dataclasses.asdict(recipe_of("cnn"))

    def describe(self) -> dict:
        model = self.build()
        return {
            # What `fit` and `predict` do unless told: Keras 3 compiles them with XLA where it can.
            "default_jit_compile": bool(model.jit_compile),
            "trainable_params": _count(model.trainable_weights),
            "non_trainable_params": _count(model.non_trainable_weights),
            **flops.summary(flops.keras_layers(model, tuple(model.input_shape[1:]))),
        }

    def matmul(self, device: str, n: int) -> Callable[[], object]:
        tf = self.tf
        with tf.device(self._device(device)):
            a = tf.random.uniform((n, n), dtype=tf.float32)

            @tf.function
            def product():
                # The sum (n^2 adds) makes the whole product needed, and its result tiny to fetch.
                return tf.reduce_sum(tf.linalg.matmul(a, a))

        return lambda: product().numpy()

    def prepare(self, case: Case) -> tuple[Callable[[], object], int]:
        """The callable that runs `case` once (a step, an epoch, a `predict`), and its images."""
        model = self.build(case.device, case.precision)
        if case.mode in ("fit", "predict"):
            return self.keras_call(model, case)
        x, y = data.images(case.batch, tuple(model.input_shape[1:]))
        return self.compiled_step(model, case, x, y), case.batch

    def keras_call(self, model, case: Case):
        """`fit` (one epoch) or `predict` over in-memory data, XLA as the case says."""
        x, y = data.images(data.epoch_images(case.batch), tuple(model.input_shape[1:]))
        model.jit_compile = case.xla
        if bool(model.jit_compile) != case.xla:
            raise RuntimeError(f"model.jit_compile stays {model.jit_compile}, set to {case.xla}")
        name = "train_step" if case.mode == "fit" else "predict_step"
        setattr(model, name, self._counted(getattr(model, name)))

        def run():
            with self.placed(case.device):
                if case.mode == "fit":
                    return model.fit(x, y, batch_size=case.batch, epochs=1, verbose=0)
                return model.predict(x, batch_size=case.batch, verbose=0)

        return run, len(x)

    def _counted(self, step):
        def traced(*args, **kwargs):
            self.traces += 1
            return step(*args, **kwargs)

        return traced

    def compiled_step(self, model, case: Case, x, y):
        """The training step of the TensorFlow guides (the model's compiled loss under a
        GradientTape, its compiled optimizer's update), or the forward pass, in one
        `tf.function`."""
        tf = self.tf
        with self.placed(case.device):
            x, y = tf.constant(x), tf.constant(y)
        loss_fn = tf.keras.losses.get(model.loss)

        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(loss_fn(y, model(x, training=True)))
            grads = tape.gradient(loss, model.trainable_variables)
            model.optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
            return loss

        def forward(x, _y):
            return model(x, training=False)

        step = self._counted(train_step if case.mode == "train_step" else forward)
        # No autograph: the step has no Python control flow to convert (and autograph's zip in
        # TensorFlow 2.12 does not take strict=).
        compiled = tf.function(step, jit_compile=case.xla, autograph=False)

        def run():
            with self.placed(case.device):
                return compiled(x, y).numpy()

        return run


class Accuracy:
    """The accuracy cost of a configuration: the course's CNN trained by the practicals' recipe
    (spec/mnist_training.py: the spec's split of the MNIST images that `load_mnist()` returns, its
    Adam, its images and epochs, batch normalisation recalibrated) at a case's batch and precision,
    graded on the spec's test images; and the same weights run in other precisions. `fit` runs as
    the recipe compiles it (XLA off on a CPU): XLA reorders float32 sums, it does not change what
    is computed."""

    def __init__(self, runner: Runner):
        self.runner = runner
        self.split = None

    def __call__(self, case: Case, images: int | None, epochs: int | None, infer_in=()) -> dict:
        from spec import mnist_training

        recipe = dataclasses.replace(recipe_of("cnn"), batch_size=case.batch)
        model, _ = mnist_training.train(
            lambda: self.runner.build(case.device, case.precision),
            recipe,
            self.data(),
            images=images,
            epochs=epochs,
        )
        inference = {}
        for precision in infer_in:
            other = self.runner.build(case.device, precision)
            other.set_weights(model.get_weights())
            inference[precision] = mnist_training.accuracy(other, self.data())
        return {"accuracy": mnist_training.accuracy(model, self.data()), "inference": inference}

    def data(self):
        """The spec's split of the MNIST images that the implementation's `load_mnist()` returns
        (with an empty Keras cache, those it ships), loaded once."""
        from spec import mnist_training

        if self.split is None:
            loaded = importlib.import_module(f"{IMPL}.data").load_mnist()
            self.split = mnist_training.split(loaded)
        return self.split


def recipe_of(model: str):
    """The practicals' recipe for `model` (spec/mnist_training.py)."""
    from spec import mnist_training

    return mnist_training.recipe(model)


def _count(weights) -> int:
    return sum(math.prod(int(d) for d in w.shape) for w in weights)

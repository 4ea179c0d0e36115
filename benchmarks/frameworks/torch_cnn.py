"""The course's CNN in PyTorch, layer for layer as `impl.models.cnn()` builds it in Keras (same
parameters and FLOPs: benchmarks/test_architecture.py proves it): convolutions without bias, each
batch-normalised with an offset and no scale (Keras's center=True, scale=False, epsilon 1e-3,
momentum 0.99), padded as TensorFlow's 'same'; Adam with Keras's epsilon; eager, or the whole step
under `torch.compile`. It outputs logits: the loss applies the softmax (as PyTorch users write it),
and the forward pass returns probabilities, as the Keras model does. In a half precision (a Keras
mixed policy's name), the step runs under autocast with channels_last tensors."""

from __future__ import annotations

import contextlib

import torch
import torch.nn.functional as F
from torch import nn

from benchmarks import flops
from benchmarks.cases import Case, Settings
from benchmarks.frameworks import data

IMAGE_SHAPE = (1, 28, 28)  # channels first
LEARNING_RATE = 0.001  # impl.models' Adam
KERAS_EPSILON = 1e-3  # BatchNormalization's; Adam's is 1e-7
KERAS_MOMENTUM = 0.01  # PyTorch's momentum is 1 - Keras's 0.99
# Keras's mixed policies as autocast's dtypes: a half-precision case computes under autocast, its
# tensors channels_last (the layout oneDNN's and cuDNN's fast convolutions take).
AUTOCAST = {"mixed_float16": torch.float16, "mixed_bfloat16": torch.bfloat16}
SEED = 1337
RECALIBRATION_BATCH = 500


def same_padding(size: int, kernel: int, stride: int) -> int:
    """TensorFlow's 'same' padding on each side, which this model's layers pad symmetrically."""
    total = max((-(-size // stride) - 1) * stride + kernel - size, 0)
    if total % 2:
        raise ValueError(f"'same' pads {size} asymmetrically for kernel {kernel}, stride {stride}")
    return total // 2


class OffsetBatchNorm(nn.Module):
    """Batch normalisation with a learned offset and no scale."""

    def __init__(self, channels: int, dims: int):
        super().__init__()
        norm = nn.BatchNorm2d if dims == 2 else nn.BatchNorm1d
        self.norm = norm(channels, eps=KERAS_EPSILON, momentum=KERAS_MOMENTUM, affine=False)
        self.offset = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        shape = (1, -1) + (1,) * (x.dim() - 2)
        return self.norm(x) + self.offset.view(shape)


class CNN(nn.Module):
    def __init__(self, dropout: float = 0.3):
        super().__init__()
        layers, size, channels = [], IMAGE_SHAPE[1], IMAGE_SHAPE[0]
        for filters, kernel, stride in ((12, 3, 1), (24, 6, 2), (32, 6, 2)):
            pad = same_padding(size, kernel, stride)
            layers += [
                nn.Conv2d(channels, filters, kernel, stride, pad, bias=False),
                OffsetBatchNorm(filters, 2),
                nn.ReLU(),
            ]
            size, channels = -(-size // stride), filters
        layers += [
            nn.Flatten(),
            nn.Linear(channels * size * size, 200, bias=False),
            OffsetBatchNorm(200, 1),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(200, data.CLASSES),
        ]
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


class Runner:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.compile = settings.framework == "torch-compile"

    def environment(self) -> dict[str, str]:
        return {}  # start() sets the thread pools

    def start(self) -> dict:
        import platform

        import numpy

        torch.set_num_threads(self.settings.intra)
        torch.set_num_interop_threads(self.settings.inter)
        cuda = torch.cuda.is_available()
        return {
            "versions": {
                "python": platform.python_version(),
                "torch": torch.__version__,
                "numpy": numpy.__version__,
            },
            "threads": {"intra": torch.get_num_threads(), "inter": torch.get_num_interop_threads()},
            "unavailable": {} if cuda else {"gpu": f"torch {torch.__version__} sees no CUDA GPU"},
        }

    def describe(self) -> dict:
        model = CNN()
        buffers = [b for name, b in model.named_buffers() if not name.endswith("batches_tracked")]
        return {
            "trainable_params": sum(p.numel() for p in model.parameters() if p.requires_grad),
            "non_trainable_params": sum(b.numel() for b in buffers),
            **flops.summary(flops.torch_layers(model, IMAGE_SHAPE)),
        }

    def matmul(self, device: str, n: int):
        a = torch.rand(n, n, device=_device(device))
        return lambda: (a @ a).sum().item()

    def prepare(self, case: Case):
        if case.mode not in ("train_step", "forward"):
            raise ValueError(f"PyTorch has no {case.mode}: its cases are train_step and forward")
        device = _device(case.device)
        torch._dynamo.reset()
        model = _layout(CNN().to(device), case.precision)
        optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, eps=1e-7)
        images, onehot = data.images(case.batch, IMAGE_SHAPE[1:] + IMAGE_SHAPE[:1])
        x = _layout(_channels_first(images).to(device), case.precision)
        y = torch.from_numpy(onehot.argmax(axis=1)).to(device)

        def precision():
            return _autocast(device, case.precision)

        def train_step(x, y):
            optimizer.zero_grad(set_to_none=True)
            with precision():
                loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            return loss

        @torch.no_grad()
        def forward(x, _y):
            with precision():
                return torch.softmax(model(x), dim=-1)

        model.train(case.mode == "train_step")
        step = train_step if case.mode == "train_step" else forward
        if self.compile:
            step = torch.compile(step, dynamic=False)

        def run():
            step(x, y)
            if device.type == "cuda":
                torch.cuda.synchronize()

        return run, case.batch

    def recipe(self) -> dict:
        import dataclasses

        from benchmarks.frameworks.tensorflow_cnn import recipe_of

        return dataclasses.asdict(recipe_of("cnn"))

    def accuracy(self, case: Case, images: int | None, epochs: int | None, infer_in=()) -> dict:
        """The practicals' recipe (spec/mnist_training.py) in PyTorch: Adam at its learning rate,
        its images and epochs, shuffled, at `case`'s batch and precision; batch normalisation
        recalibrated as the spec does (the running statistics the mean of the training images'
        batch statistics: PyTorch's cumulative average, momentum None); graded on the spec's test
        images; and the same weights run in each precision of `infer_in`."""
        from benchmarks.frameworks.tensorflow_cnn import Accuracy, recipe_of

        split, recipe = Accuracy(None).data(), recipe_of("cnn")
        n, epochs = images or recipe.images, epochs or recipe.epochs
        device = _device(case.device)
        torch.manual_seed(SEED)
        model = _layout(CNN().to(device), case.precision)
        optimizer = torch.optim.Adam(model.parameters(), lr=recipe.learning_rate, eps=1e-7)
        x = _layout(_channels_first(split.x_train[:n]).to(device), case.precision)
        y = torch.from_numpy(split.y_train[:n].argmax(axis=1)).to(device)
        model.train()
        for _ in range(epochs):
            order = torch.randperm(n, device=device)
            for start in range(0, n, case.batch):
                chosen = order[start : start + case.batch]
                optimizer.zero_grad(set_to_none=True)
                with _autocast(device, case.precision):
                    loss = F.cross_entropy(model(x[chosen]), y[chosen])
                loss.backward()
                optimizer.step()
        with torch.no_grad():
            for module in model.modules():
                if isinstance(module, OffsetBatchNorm):
                    module.norm.reset_running_stats()
                    module.norm.momentum = None
            for start in range(0, n, RECALIBRATION_BATCH):
                with _autocast(device, case.precision):
                    model(x[start : start + RECALIBRATION_BATCH])
            model.eval()
            test = _channels_first(split.x_test).to(device)
            labels = torch.from_numpy(split.labels_test.astype("int64")).to(device)

            def graded(precision: str) -> float:
                with _autocast(device, precision):
                    guesses = model(_layout(test, precision)).argmax(dim=1)
                return float((guesses == labels).float().mean())

            inference = {p: graded(p) for p in infer_in}
            return {"accuracy": graded(case.precision), "inference": inference}


def _channels_first(images) -> torch.Tensor:
    """NumPy images [n, 28, 28, 1] as a contiguous [n, 1, 28, 28] tensor."""
    return torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()


def _layout(x, precision: str):
    """A model or an image tensor in the layout of `precision`'s cases."""
    return x.to(memory_format=torch.channels_last) if precision in AUTOCAST else x


def _autocast(device: torch.device, precision: str):
    if precision in AUTOCAST:
        return torch.autocast(device.type, AUTOCAST[precision])
    return contextlib.nullcontext()


def _device(device: str) -> torch.device:
    return torch.device("cuda" if device == "gpu" else "cpu")

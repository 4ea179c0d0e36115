"""The course's CNN in PyTorch, layer for layer as `impl.models.cnn()` builds it in Keras (same
parameters and FLOPs: benchmarks/test_architecture.py proves it): convolutions without bias, each
batch-normalised with an offset and no scale (Keras's center=True, scale=False, epsilon 1e-3,
momentum 0.99), padded as TensorFlow's 'same'; Adam with Keras's epsilon; eager, or the whole step
under `torch.compile`. It outputs logits: the loss applies the softmax (as PyTorch users write it),
and the forward pass returns probabilities, as the Keras model does."""

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
        model = CNN().to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, eps=1e-7)
        images, onehot = data.images(case.batch, IMAGE_SHAPE[1:] + IMAGE_SHAPE[:1])
        x = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous().to(device)
        y = torch.from_numpy(onehot.argmax(axis=1)).to(device)
        mixed = case.precision == "mixed_float16"

        def precision():
            return torch.autocast(device.type, torch.float16) if mixed else contextlib.nullcontext()

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


def _device(device: str) -> torch.device:
    return torch.device("cuda" if device == "gpu" else "cpu")

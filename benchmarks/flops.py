"""FLOPs per image, counted from a model's layer shapes.

Counted: the multiply-adds of the convolutions and dense layers (2 FLOPs each), the work that a
matrix-multiply peak measures. A layer whose kernel holds K weights and whose output has P
positions (pixels for a convolution, 1 for a dense layer on a flat input) does K x P multiply-adds
per image. Training adds, per layer, the gradient of the weights (as many FLOPs as the forward
pass) and the gradient of the layer's input (as many again), except for the first layer, whose
input needs no gradient. Not counted: batch normalisation, activations, dropout, the loss and the
optimizer's update, all elementwise (together about 2% of the training FLOPs of the course's CNN).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Layer:
    name: str
    kernel_size: int  # weights in the kernel, bias excluded
    positions: int  # output positions per image that each apply the whole kernel

    @property
    def macs(self) -> int:
        return self.kernel_size * self.positions


def forward_flops(layers: list[Layer]) -> int:
    return 2 * sum(layer.macs for layer in layers)


def training_flops(layers: list[Layer]) -> int:
    """Forward pass, weight gradients, and input gradients of every layer but the first."""
    input_gradients = 2 * sum(layer.macs for layer in layers[1:])
    return 2 * forward_flops(layers) + input_gradients


def summary(layers: list[Layer]) -> dict:
    return {
        "layers": [[layer.name, layer.kernel_size, layer.positions] for layer in layers],
        "forward_flops": forward_flops(layers),
        "training_flops": training_flops(layers),
    }


def keras_layers(model, input_shape: tuple[int, ...]) -> list[Layer]:
    """The counted layers of a Keras 2 or 3 model (those with a `kernel`), in order, their output
    shapes chained from one image of `input_shape` by each layer's `compute_output_shape`."""
    shape = (1, *input_shape)
    out = []
    for layer in model.layers:
        shape = tuple(int(d) for d in layer.compute_output_shape(shape))
        kernel = getattr(layer, "kernel", None)
        if kernel is not None:
            positions = math.prod(shape[1:]) // shape[-1]
            out.append(Layer(layer.name, math.prod(int(d) for d in kernel.shape), positions))
    return out


def torch_layers(model, input_shape: tuple[int, ...]) -> list[Layer]:
    """The counted layers of a PyTorch model (its Conv2d and Linear modules), in call order, their
    output shapes observed on one image of `input_shape` (channels first)."""
    import torch

    found: list[Layer] = []

    def record(module, _inputs, output, name):
        channels = output.shape[1] if isinstance(module, torch.nn.Conv2d) else output.shape[-1]
        found.append(Layer(name, module.weight.numel(), output[0].numel() // channels))

    kinds = (torch.nn.Conv2d, torch.nn.Linear)
    hooks = [
        module.register_forward_hook(lambda m, i, o, name=name: record(m, i, o, name))
        for name, module in model.named_modules()
        if isinstance(module, kinds)
    ]
    training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros(1, *input_shape))
    finally:
        model.train(training)
        for hook in hooks:
            hook.remove()
    return found

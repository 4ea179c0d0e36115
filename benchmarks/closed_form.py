"""The oracle of the FLOP counts: the course's CNN's multiply-adds per image, in closed form from
its description (28x28x1 -> 3x3 conv 12 -> 6x6/2 conv 24 -> 6x6/2 conv 32 -> flatten 7*7*32 ->
dense 200 -> dense 10, 'same' padding), not from any model's shapes."""

from __future__ import annotations

import math


def conv_macs(size: int, channels: int, filters: int, kernel: int, stride: int) -> int:
    """A square 'same' Conv2D on a square image: output pixels x filters x kernel weights."""
    out = math.ceil(size / stride)
    return out * out * filters * kernel * kernel * channels


COURSE_CNN_MACS = [
    conv_macs(28, 1, 12, 3, 1),
    conv_macs(28, 12, 24, 6, 2),
    conv_macs(14, 24, 32, 6, 2),
    7 * 7 * 32 * 200,
    200 * 10,
]
FORWARD_FLOPS = 2 * sum(COURSE_CNN_MACS)
# Forward, weight gradients, and input gradients of every layer but the first.
TRAINING_FLOPS = 3 * FORWARD_FLOPS - 2 * COURSE_CNN_MACS[0]

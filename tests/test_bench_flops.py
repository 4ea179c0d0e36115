"""benchmarks.flops: forward and training FLOPs from multiply-adds per layer, against the closed
form of the course's CNN (benchmarks/closed_form.py). That the models' own layer shapes give those
multiply-adds is checked in every benchmark run, where the models are built
(benchmarks/test_architecture.py): building one here would start TensorFlow's runtime before the
spec's own runs in this process set its threads."""

import pytest

from benchmarks import closed_form, flops


def layers(macs: list[int]) -> list[flops.Layer]:
    """Layers with these multiply-adds (as kernel weights over one position)."""
    return [flops.Layer(f"layer{i}", m, 1) for i, m in enumerate(macs)]


def test_course_cnn_flops_in_numbers():
    assert closed_form.FORWARD_FLOPS == 7_574_304
    assert closed_form.TRAINING_FLOPS == 22_553_568


def test_forward_flops_are_two_per_multiply_add():
    assert flops.forward_flops(layers(closed_form.COURSE_CNN_MACS)) == closed_form.FORWARD_FLOPS


def test_training_flops_skip_the_first_layers_input_gradient():
    assert flops.training_flops(layers(closed_form.COURSE_CNN_MACS)) == closed_form.TRAINING_FLOPS
    assert flops.training_flops(layers([5])) == 2 * flops.forward_flops(layers([5]))


@pytest.mark.parametrize(("kernel_size", "positions"), [(108, 784), (10368, 196), (2000, 1)])
def test_a_layers_multiply_adds_are_its_kernel_at_every_position(kernel_size, positions):
    assert flops.Layer("x", kernel_size, positions).macs == kernel_size * positions


def test_summary_lists_the_layers_and_both_counts():
    summary = flops.summary(layers([3, 4]))
    assert summary == {
        "layers": [["layer0", 3, 1], ["layer1", 4, 1]],
        "forward_flops": 14,
        "training_flops": 2 * 14 + 8,
    }

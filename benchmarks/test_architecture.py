"""The benchmarks count what the course's CNN computes: the Keras model's multiply-adds per layer,
counted from its shapes, are the closed form's; and the peers run the same CNN: the PyTorch model
of frameworks/torch_cnn.py and `impl.models.cnn()` on Keras's JAX backend have the TensorFlow
model's parameters, layer for layer the same multiply-adds, and so the same FLOPs per image."""

from __future__ import annotations

import pytest

from benchmarks import cases, closed_form, flops

EXPECTED_KEYS = ("trainable_params", "non_trainable_params", "forward_flops", "training_flops")


@pytest.fixture(scope="module")
def keras_model(pool) -> dict:
    return pool.describe(cases.default_settings("tensorflow", cases.cores()))


def test_keras_model_flops_are_the_closed_form(keras_model):
    macs = [flops.Layer(*layer).macs for layer in keras_model["layers"]]
    assert macs == closed_form.COURSE_CNN_MACS, (
        f"multiply-adds per layer {macs}, but the course's CNN has {closed_form.COURSE_CNN_MACS}"
    )
    assert keras_model["forward_flops"] == closed_form.FORWARD_FLOPS
    assert keras_model["training_flops"] == closed_form.TRAINING_FLOPS


def test_peer_model_is_the_keras_model(pool, keras_model, peer):
    settings = cases.default_settings(peer, cases.cores())
    if settings not in pool.descriptions:
        reason = pool.unavailable(cases.Case(settings, "cpu", "forward", 1, False))
        if reason:
            pytest.skip(reason)
    model = pool.describe(settings)
    for key in EXPECTED_KEYS:
        assert model[key] == keras_model[key], (
            f"{peer}: {key} = {model[key]}, but the Keras model's is {keras_model[key]}"
        )
    peer_macs = [flops.Layer(*layer).macs for layer in model["layers"]]
    keras_macs = [flops.Layer(*layer).macs for layer in keras_model["layers"]]
    assert peer_macs == keras_macs, (
        f"{peer}: multiply-adds per layer {peer_macs}, but the Keras model's are {keras_macs}"
    )

"""benchmarks.measure's verdict on a case's rounds (reliable, or unreliable with its reason: the
spread, two speeds, a busy machine) and benchmarks.verdict's answer: the fastest reliable
configuration whose accuracy is within half a point of its float32 recipe's."""

import time

import bench_runs as br
import pytest

from benchmarks import measure, verdict

STEADY = [1.00, 1.01, 0.99, 1.00, 1.02, 0.98, 1.00]
TWO_SPEEDS = [0.80, 0.81, 1.33, 0.82, 1.34, 0.80, 1.30, 0.81]


def test_steady_rounds_are_reliable():
    assert measure.spread(STEADY) <= measure.RELIABLE_SPREAD
    assert measure.unreliable(STEADY, 1, busy=0.0) is None


def test_rounds_at_two_speeds_are_named_with_both():
    assert measure.bimodal(TWO_SPEEDS) == (pytest.approx(0.81), pytest.approx(1.33))
    reason = measure.unreliable(TWO_SPEEDS, 2, busy=0.0)
    # per call: the rounds' medians over their two calls
    assert "two speeds, 405 and 665 ms a call" in reason
    assert reason.startswith(f"spread ±{measure.spread(TWO_SPEEDS):.1%}, over ±5%")


def test_a_spread_without_two_groups_is_not_called_bimodal():
    scattered = [1.0, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3]
    assert measure.bimodal(scattered) is None
    reason = measure.unreliable(scattered, 1, busy=0.0)
    assert reason is not None
    assert "two speeds" not in reason


def test_one_outlier_is_not_a_second_speed():
    assert measure.bimodal([1.0, 1.0, 1.01, 0.99, 1.0, 2.0]) is None


def test_a_busy_machine_is_named_in_the_reason():
    scattered = [1.0, 1.1, 1.2, 1.3, 1.4]
    assert "other processes took 30% of the CPU" in measure.unreliable(scattered, 1, busy=0.3)
    assert "other processes" not in measure.unreliable(scattered, 1, busy=0.01)


@pytest.mark.parametrize(
    ("mode", "kind"), [("train_step", "compiled"), ("forward", "compiled"), ("fit", "keras")]
)
def test_timing_per_kind_of_call_scaled_by_bench_seconds(mode, kind):
    chosen = measure.timing(mode, scale=2.0)
    assert chosen["target_s"] == 2 * measure.TIMING[kind]["target_s"]
    assert chosen["least"] == measure.TIMING[kind]["least"] >= 5


def rows(tmp_path, entries):
    return br.run("bench-tf221", entries, tmp_path).rows


def trained(*records):
    return [verdict.Trained("tensorflow", p, b, a, inf) for p, b, a, inf in records]


BF16 = "mixed_bfloat16"


def test_the_fastest_within_half_a_point_wins(tmp_path):
    fast = br.case(batch=2048, precision=BF16)
    middle = br.case(batch=64, precision=BF16)
    slow = br.case(batch=64)
    found = rows(
        tmp_path,
        [br.benchmark(fast, 9000), br.benchmark(middle, 6000), br.benchmark(slow, 3000)],
    )
    accuracies = trained(("float32", 64, 0.970, {}), (BF16, 2048, 0.900, {}), (BF16, 64, 0.966, {}))
    choice = verdict.fastest(found, verdict.training_accuracy(accuracies, 64))
    assert choice.row.case == middle
    assert choice.accuracy == (0.966, 0.970)
    ((lost, why),) = choice.passed_over
    assert lost.case == fast
    assert why == "accuracy 90.0%, 7.0 points below float32's 97.0%"


def test_a_loss_of_more_than_half_a_point_never_wins(tmp_path):
    fast, slow = br.case(batch=64, precision=BF16), br.case(batch=64)
    found = rows(tmp_path, [br.benchmark(fast, 9000), br.benchmark(slow, 3000)])
    just_out = trained(("float32", 64, 0.970, {}), (BF16, 64, 0.9649, {}))
    assert verdict.fastest(found, verdict.training_accuracy(just_out, 64)).row.case == slow
    just_in = trained(("float32", 64, 0.970, {}), (BF16, 64, 0.9651, {}))
    assert verdict.fastest(found, verdict.training_accuracy(just_in, 64)).row.case == fast


def test_an_unreliable_case_never_wins_and_says_why(tmp_path):
    noisy, steady = br.case(mode="fit", batch=64, xla=True), br.case(mode="fit", batch=64)
    entries = [br.benchmark(noisy, 9000), br.benchmark(steady, 3000)]
    entries[0]["extra_info"]["unreliable"] = "spread ±40.0%, over ±5% after a re-measure"
    found = rows(tmp_path, entries)
    choice = verdict.fastest(
        found, verdict.training_accuracy(trained(("float32", 64, 0.97, {})), 64)
    )
    assert choice.row.case == steady
    assert choice.passed_over[0][1] == "unreliable: spread ±40.0%, over ±5% after a re-measure"


def test_an_unmeasured_accuracy_never_wins(tmp_path):
    fast, slow = br.case(batch=2048), br.case(batch=64)
    found = rows(tmp_path, [br.benchmark(fast, 9000), br.benchmark(slow, 3000)])
    choice = verdict.fastest(
        found, verdict.training_accuracy(trained(("float32", 64, 0.97, {})), 64)
    )
    assert choice.row.case == slow
    assert choice.passed_over[0][1] == verdict.UNMEASURED


def test_inference_is_graded_on_the_float32_weights_in_its_precision(tmp_path):
    half, full = br.case(mode="forward", batch=512, precision=BF16), br.case(mode="forward")
    found = rows(tmp_path, [br.benchmark(half, 30000), br.benchmark(full, 15000)])
    good = trained(("float32", 64, 0.970, {BF16: 0.969}))
    assert verdict.fastest(found, verdict.inference_accuracy(good, 64)).row.case == half
    bad = trained(("float32", 64, 0.970, {BF16: 0.95}))
    assert verdict.fastest(found, verdict.inference_accuracy(bad, 64)).row.case == full


def test_torch_compile_shares_pytorch_eagers_accuracy(tmp_path):
    compiled = br.case("torch-compile", batch=64, precision=BF16)
    found = rows(tmp_path, [br.benchmark(compiled, 5000)])
    accuracies = [
        verdict.Trained("torch-eager", "float32", 64, 0.97),
        verdict.Trained("torch-eager", BF16, 64, 0.968),
    ]
    choice = verdict.fastest(found, verdict.training_accuracy(accuracies, 64))
    assert choice.row.case == compiled
    assert choice.accuracy == (0.968, 0.97)


def test_a_retrace_while_timed_is_named_and_its_absence_too():
    scattered = [1.0, 1.1, 1.2, 1.3, 1.4]
    assert "traced again 3 times while timed" in measure.unreliable(scattered, 1, 0.0, 3)
    assert "no retrace while timed" in measure.unreliable(scattered, 1, 0.0, 0)
    assert "trace" not in measure.unreliable(scattered, 1, 0.0, None)


def test_two_speeds_with_two_degrees_of_parallelism_say_so():
    rounds = [(t, 1.9 if t < 1.0 else 1.1) for t in TWO_SPEEDS]
    assert measure.cores_by_speed(rounds) == (pytest.approx(1.9), pytest.approx(1.1))
    reason = measure.unreliable(TWO_SPEEDS, 1, 0.0, 0, rounds)
    assert "two speeds, 810 and 1.33e+03 ms a call, keeping 1.9 and 1.1 cores busy" in reason
    assert measure.cores_by_speed([(t, 2.0) for t in STEADY]) is None


def test_timed_rounds_count_the_cores_kept_busy():
    """A worker whose CPU clock runs twice as fast as the wall clock keeps two cores busy."""
    rounds = measure.timed_rounds(
        lambda: time.sleep(0.01), 3, 2, cpu=lambda: 2 * time.perf_counter()
    )
    assert len(rounds) == 3
    for wall, cores in rounds:
        assert wall >= 0.02
        assert cores == pytest.approx(2.0, rel=0.05)

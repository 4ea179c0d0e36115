"""python -m benchmarks.report: from benchmark runs (made up here, shaped as pytest-benchmark writes
them), the Markdown answers first which configuration trains and runs fastest at equal accuracy,
per TensorFlow line and across frameworks, with GPU columns; then gives every case, unreliable ones
marked with their reason, the peers as ratios to TensorFlow in their session, and what was skipped;
the PNG is drawn; against a baseline, the exit status is 1 exactly when a reliable case slowed down
beyond the limit."""

import bench_runs as br
import pytest
from PIL import Image

from benchmarks.report import main

BF16 = "mixed_bfloat16"
TRAIN, FORWARD = br.case(batch=512), br.case(mode="forward", batch=512)
SLOW_THREADS = br.case(batch=512, intra=1)
FIT = br.case(mode="fit", batch=64)
HALF_TRAIN = br.case(batch=64, precision=BF16)
HALF_FORWARD = br.case(mode="forward", batch=512, precision=BF16)


def trained(framework, precision, batch, accuracy, inference=None):
    return {
        "framework": framework,
        "precision": precision,
        "batch": batch,
        "accuracy": accuracy,
        "inference": inference or {},
    }


# The recipe trains at batch 64: float32 97.0%; bfloat16 at 64 loses 0.2 points, float32 at 512
# loses 7; the float32 weights run in bfloat16 lose 0.1.
ACCURACY = {
    "recipe_batch": 64,
    "trained": [
        trained("tensorflow", "float32", 64, 0.970, {BF16: 0.969}),
        trained("tensorflow", BF16, 64, 0.968),
        trained("tensorflow", "float32", 512, 0.900),
    ],
}


def line(tmp_path, env, tf, train=4000.0, **session):
    entries = [
        br.benchmark(TRAIN, train, tf=tf),
        br.benchmark(FORWARD, 16000, tf=tf),
        br.benchmark(SLOW_THREADS, 2500, tf=tf),
        br.benchmark(FIT, 3000, spread=0.3, tf=tf),
        br.benchmark(HALF_TRAIN, 3500, tf=tf),
        br.benchmark(HALF_FORWARD, 20000, tf=tf),
    ]
    session.setdefault("accuracy", ACCURACY)
    return br.write(tmp_path / "bench", env, entries, bf16_flags=["amx_bf16"], **session)


def peers(tmp_path):
    entries = [
        br.benchmark(TRAIN, 4000),
        br.benchmark(br.case(batch=512, xla=True), 1000),
        br.benchmark(br.case("torch-eager", batch=512), 3000),
        br.benchmark(br.case("keras-jax", batch=512, xla=True), 1200),
    ]
    accuracy = {
        "recipe_batch": 512,
        "trained": [
            trained(f, "float32", 512, 0.97) for f in ("tensorflow", "torch-eager", "keras-jax")
        ],
    }
    return br.write(
        tmp_path / "bench", "bench-peers", entries, bench_set="peers", accuracy=accuracy
    )


def gpu(tmp_path):
    """A run of benchmarks/gpu.py: PyTorch on a GPU, no TensorFlow there."""
    entries = [br.benchmark(br.case("torch-eager", batch=512, device="gpu"), 50000)]
    skipped = [{"case": "x", "reason": "jax 0.10.2 has no GPU here"}]
    accuracy = {"recipe_batch": 512, "trained": [trained("torch-eager", "float32", 512, 0.97)]}
    return br.write(
        tmp_path / "bench",
        "bench-gpu",
        entries,
        bench_set="gpu",
        accuracy=accuracy,
        skipped=skipped,
    )


def report(tmp_path, *args):
    code = main(["--bench", str(tmp_path / "bench"), "--out", str(tmp_path / "out"), *args])
    return code, (tmp_path / "out" / "benchmarks.md").read_text(encoding="utf-8")


@pytest.fixture
def runs(tmp_path):
    line(tmp_path, "bench-tf221", "2.21.0", train=4400)
    skipped = [{"case": "x-gpu", "reason": "TensorFlow 2.12.1 lists no GPU on this machine"}] * 3
    line(tmp_path, "bench-tf212", "2.12.1", train=4500, skipped=skipped)
    peers(tmp_path)
    return tmp_path


def answer(md: str) -> list[str]:
    """The rows of the report's first table (the answer), its header first."""
    table = md.split("## The fastest way to train and to run")[1].split("\n|", 1)[1]
    rows = ("|" + table).split("\n\n")[0].splitlines()
    return [r for r in rows if "---" not in r]


def test_the_answer_comes_first_per_line_then_per_framework(runs):
    code, md = report(runs)
    assert code == 0
    assert md.index("## The fastest way") < md.index("## Every case")
    scopes = [r.split(" | ")[0] for r in answer(md)[1:]]
    assert scopes == [
        "| TensorFlow 2.12.1 (bench-tf212)",
        "| TensorFlow 2.21.0 (bench-tf221)",
        "| TensorFlow (bench-peers)",
        "| PyTorch eager (bench-peers)",
        "| Keras 3 on JAX (bench-peers)",
    ]


def test_the_answer_trains_at_equal_accuracy_not_at_the_top_speed(runs):
    _, md = report(runs)
    tf212 = answer(md)[1]
    # float32 at 512 (4,500/s) loses 7 points; bfloat16 at 64 (3,500/s) loses 0.2
    assert (
        "| **3,500/s** ±2.0%: train_step b64, XLA off, CPU mixed_bfloat16, 2x2 threads, oneDNN "
        "on; accuracy 96.8% (float32 97.0%) |" in tf212
    )
    assert "| **20,000/s** ±2.0%: forward b512, XLA off, CPU mixed_bfloat16" in tf212
    assert "accuracy 96.9% (float32 97.0%)" in tf212
    assert (
        "- TensorFlow 2.12.1 (bench-tf212), train on the CPU: train_step b512, XLA off "
        "(4,500/s): accuracy 90.0%, 7.0 points below float32's 97.0%" in md
    )


def test_the_answer_says_this_cpu_has_bfloat16(runs):
    _, md = report(runs)
    assert "This CPU has amx_bf16: the runs measured mixed_bfloat16 on it." in md


def test_frameworks_are_ratios_to_tensorflows_answer(runs):
    _, md = report(runs)
    torch = next(r for r in answer(md) if r.startswith("| PyTorch eager"))
    assert "**3,000/s** ±2.0%: train_step b512, XLA off" in torch
    assert "**0.75x** TensorFlow's" in torch


def test_gpu_columns_come_from_the_gpu_run(runs):
    _, md = report(runs)
    assert answer(md)[0].endswith("| train, GPU | run (infer), GPU |")
    assert answer(md)[1].endswith("| — | — |"), "no GPU in TensorFlow's lines"
    gpu(runs)
    _, md = report(runs)
    torch = next(r for r in answer(md) if r.startswith("| PyTorch eager"))
    assert "**50,000/s** ±2.0%: train_step b512, XLA off, GPU float32" in torch.split(" | ")[3]
    assert "- bench-gpu: 1 cases: jax 0.10.2 has no GPU here" in md


def test_unreliable_cases_are_marked_with_their_reason(runs):
    _, md = report(runs)
    assert "| fit b64, XLA off | 3,000 (34%, ±30.0%) *unreliable* |" in md
    assert "- bench-tf221: fit b64, XLA off: spread ±30.0%, over ±5% (not re-measured)" in md


def test_every_case_per_line_names_its_settings(runs):
    _, md = report(runs)
    assert "| train_step b512, XLA off, 1x2 threads, oneDNN on | 2,500 (28%, ±2.0%) |" in md


def test_peers_are_ratios_to_tensorflows_fastest_reliable_variant(runs):
    _, md = report(runs)
    row = next(r for r in md.splitlines() if r.startswith("| train_step | 512 |"))
    assert "4,000 (45%, ±2.0%), XLA off, float32" in row
    assert "3,000 (34%, ±2.0%), XLA off, float32 **0.75x**" in row
    assert "1,200 (14%, ±2.0%), XLA on, float32 **0.30x**" in row


def test_skipped_cases_are_counted_with_their_reason(runs):
    _, md = report(runs)
    assert "- bench-tf212: 3 cases: TensorFlow 2.12.1 lists no GPU on this machine" in md


def test_png_is_drawn(runs):
    report(runs)
    with Image.open(runs / "out" / "benchmarks.png") as png:
        assert png.format == "PNG"
        assert png.size[0] > png.size[1] > 500


def test_baseline_ignores_unreliable_cases_and_says_so(runs, tmp_path_factory):
    before = tmp_path_factory.mktemp("before")
    line(before, "bench-tf221", "2.21.0", train=4400)
    _, md = report(runs, "--baseline", str(before / "bench"))
    assert "1 ignored as unreliable" in md  # FIT; bench-tf212 has no baseline
    assert f"- bench-tf221: {FIT}: baseline: spread ±30.0%" in md
    assert f"| {FIT} |" not in md.split("## Against the baseline")[1]


def test_baseline_fails_only_on_a_slowdown_beyond_the_limit(runs, tmp_path_factory):
    before = tmp_path_factory.mktemp("before")
    line(before, "bench-tf221", "2.21.0", train=4400)
    code, md = report(runs, "--baseline", str(before / "bench"))
    assert code == 0, md
    line(before, "bench-tf221", "2.21.0", train=5000)  # now 4,400: 12% slower
    code, md = report(runs, "--baseline", str(before / "bench"))
    assert code == 1
    assert f"| bench-tf221 | {TRAIN} | 5,000 | 4,400 | -12.0% | -10% | **slower** |" in md


def test_no_runs_is_an_error_that_says_what_to_run(tmp_path, capsys):
    (tmp_path / "bench").mkdir()
    assert main(["--bench", str(tmp_path / "bench"), "--out", str(tmp_path / "out")]) == 2
    assert "tox -m bench" in capsys.readouterr().err


def test_a_file_that_is_not_a_run_is_named(tmp_path, capsys):
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "junk.json").write_text("{}")
    assert main(["--bench", str(tmp_path / "bench"), "--out", str(tmp_path / "out")]) == 2
    assert "junk.json: not a benchmark run" in capsys.readouterr().err


def test_a_run_without_accuracy_answers_that_none_was_measured(tmp_path):
    line(tmp_path, "bench-tf221", "2.21.0", accuracy={})
    _, md = report(tmp_path)
    assert "| TensorFlow 2.21.0 (bench-tf221) | no accuracy measured (4 cases) |" in md

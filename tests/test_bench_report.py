"""python -m benchmarks.report: from benchmark runs (made up here, shaped as pytest-benchmark writes
them), the Markdown gives each TensorFlow line's fastest configuration and every case, the peers
as ratios to TensorFlow in their session, and what was skipped; the PNG is drawn; against a
baseline, the exit status is 1 exactly when a case slowed down beyond the limit."""

import bench_runs as br
import pytest
from PIL import Image

from benchmarks.report import main

TRAIN, FORWARD = br.case(batch=512), br.case(mode="forward", batch=512)
SLOW_THREADS = br.case(batch=512, intra=1)
FIT = br.case(mode="fit", batch=64)


def line(tmp_path, env, tf, train=4000.0, **session):
    entries = [
        br.benchmark(TRAIN, train, tf=tf),
        br.benchmark(FORWARD, 16000, tf=tf),
        br.benchmark(SLOW_THREADS, 2500, tf=tf),
        br.benchmark(FIT, 3000, spread=0.3, tf=tf),
    ]
    return br.write(tmp_path / "bench", env, entries, **session)


def peers(tmp_path):
    entries = [
        br.benchmark(TRAIN, 4000),
        br.benchmark(br.case(batch=512, xla=True), 1000),
        br.benchmark(br.case("torch-eager", batch=512), 3000),
        br.benchmark(br.case("keras-jax", batch=512, xla=True), 1200),
    ]
    return br.write(tmp_path / "bench", "bench-peers", entries, bench_set="peers")


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


def test_fastest_configuration_of_each_line(runs):
    code, md = report(runs)
    assert code == 0
    section = md.split("## The fastest configuration")[1].split("##")[0]
    rows = [r for r in section.splitlines() if r.startswith("| bench-")]
    assert [r.split(" | ")[0] for r in rows] == ["| bench-tf212", "| bench-tf221"], "by TF version"
    # 4,500 images/s of 22.55 MFLOP each over the 200 GFLOP/s peak: 51%
    assert "| 4,500 (51%, ±2.0%) | train_step b512, XLA off, 2x2 threads, oneDNN on |" in rows[0]
    assert "| 16,000 (61%, ±2.0%) | forward b512, XLA off, 2x2 threads, oneDNN on |" in rows[0]


def test_every_case_per_line_names_its_settings(runs):
    _, md = report(runs)
    assert "| train_step b512, XLA off, 1x2 threads, oneDNN on | 2,500 (28%, ±2.0%) |" in md
    assert "| fit b64, XLA off | 3,000 (34%, ±30.0%) | 3,000 (34%, ±30.0%) |" in md


def test_peers_are_ratios_to_tensorflows_faster_setting(runs):
    _, md = report(runs)
    row = next(r for r in md.splitlines() if r.startswith("| train_step | 512 |"))
    assert "4,000 (45%, ±2.0%), XLA off" in row
    assert "3,000 (34%, ±2.0%) **0.75x**" in row
    assert "1,200 (14%, ±2.0%) **0.30x**" in row


def test_skipped_cases_are_counted_with_their_reason(runs):
    _, md = report(runs)
    assert "- bench-tf212: 3 cases: TensorFlow 2.12.1 lists no GPU on this machine" in md


def test_png_is_drawn(runs):
    report(runs)
    with Image.open(runs / "out" / "benchmarks.png") as png:
        assert png.format == "PNG"
        assert png.size[0] > png.size[1] > 500


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

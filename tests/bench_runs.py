"""Benchmark runs made up for the tests of benchmarks/: files shaped as pytest-benchmark writes them
(with the session's record), and rows, with the throughput the test chooses."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from benchmarks import cases, measure
from benchmarks.results import load_run

CORES = 2
FLOPS = {"forward_flops": 7_574_304, "training_flops": 22_553_568}
PEAK = 200.0  # GFLOP/s


def case(
    framework="tensorflow",
    mode="train_step",
    batch=128,
    xla=False,
    precision="float32",
    device="cpu",
    **settings,
) -> cases.Case:
    chosen = replace(cases.default_settings(framework, CORES), **settings)
    return cases.Case(chosen, device, mode, batch, xla, precision)


def benchmark(c: cases.Case, images_per_s: float, spread: float = 0.02, tf="2.21.0") -> dict:
    """One entry of pytest-benchmark's "benchmarks" list for case `c` at `images_per_s`."""
    images = c.batch
    median = images / images_per_s
    prepared = {"images_per_call": images, "first_step_s": 1.5, "build_s": 0.1}
    info = measure.case_info(c, prepared, median, spread * median, FLOPS, PEAK)
    info["versions"] = {"tensorflow": tf, "keras": "3.15.1"} if c.framework == "tensorflow" else {}
    return {"param": str(c), "name": f"test_throughput[{c}]", "extra_info": info}


def write(directory: Path, env: str, entries: list[dict], bench_set="tensorflow", **session):
    """Write reports/bench/<env>.json in `directory`; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    record = {
        "machine_info": {"cpu": {"brand_raw": "Test CPU"}},
        "benchmarks": entries,
        "session": {
            "env": env,
            "set": bench_set,
            "cores": CORES,
            "wall_s": 120.0,
            "other_processes": 0.01,
            "stolen": 0.0,
            "peak": {"cpu": {"gflops": PEAK, "by": "numpy", "runs": {}}},
            "worker_start_s": {"tensorflow-t2x2-onednn": 6.0},
            "worker_ipc_s": {"tensorflow-t2x2-onednn": 6e-5},
            "skipped": [],
            **session,
        },
    }
    path = directory / f"{env}.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def run(env: str, entries: list[dict], tmp_path: Path, **session):
    """The results.Run of a written run."""
    return load_run(write(tmp_path, env, entries, **session))

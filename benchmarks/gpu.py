"""python -m benchmarks.gpu: the peers on a GPU, PyTorch (eager and compiled) and Keras 3 on JAX, on
a machine without TensorFlow or pytest-benchmark (a GPU machine's TensorFlow wheels are too large
to carry there); it writes reports/bench/bench-gpu.json in the shape pytest-benchmark writes, and
benchmarks.report puts its answer in the GPU columns beside the CPU's. The cases, workers, rounds,
re-measure, verdict and accuracy check are the pytest session's (benchmarks/conftest.py,
test_throughput.py, test_accuracy.py). A case that cannot run here is skipped with its reason.

`--device cpu` runs the same cases on the CPU: how the script is tested where there is no GPU
(`tox -e bench-smoke` runs it with --smoke: one batch, no torch.compile, a short training).

    python -m benchmarks.gpu [--out reports/bench/bench-gpu.json] [--device gpu|cpu]
                             [--bench-seconds 1.0] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path

from benchmarks import accuracy, cases, load, measure, results
from benchmarks.load import busy_meter, worker_cpu
from benchmarks.pool import Pool, WorkerError

FRAMEWORKS = ("torch-eager", "torch-compile", "keras-jax")
SMOKE_FRAMEWORKS = ("torch-eager", "keras-jax")
SMOKE_TIMING = {"target_s": 0.0, "least": 2, "most": 2, "round_s": 0.0}


def gpu_set(device: str, n: int, half: bool, smoke: bool = False) -> list[cases.Case]:
    """Each peer's compiled steps at the peers' batches for `device` (cases.peer_batches; the
    smallest only when `smoke`), in float32 and the device's half precision (on a CPU where it has
    bfloat16), the frameworks alternating case by case."""
    frameworks = SMOKE_FRAMEWORKS if smoke else FRAMEWORKS
    return [
        cases.Case(cases.default_settings(f, n), device, mode, batch, f == "keras-jax", precision)
        for mode in cases.COMPILED_MODES
        for batch in cases.peer_batches(device, mode)[: 1 if smoke else None]
        for precision in cases.precisions(device, half)
        for f in frameworks
    ]


def measure_case(pool: Pool, case: cases.Case, scale: float, smoke: bool) -> dict:
    """One case timed as test_throughput times it (its rounds by measure.plan, the re-measure)."""
    worker = pool.get(case.settings)
    model = pool.describe(case.settings)
    prepared = worker.request("prepare", case=case.as_dict())
    timing = SMOKE_TIMING if smoke else measure.timing(case.mode, scale)
    rounds, calls = measure.plan(prepared["warm_call_s"], **timing)
    traced = worker.request("traces")["traces"]
    meter = busy_meter(worker)
    times = [t for t, _ in measure.timed_rounds(worker.call, rounds, calls)]
    busy = meter()
    times, spreads, busy, remeasured = measure.steadier(
        worker.call, times, calls, busy, lambda: busy_meter(worker), worker_cpu(worker)
    )
    return measure.measured(
        case,
        prepared,
        times,
        calls,
        model,
        peak_gflops=None,
        spreads=spreads,
        remeasured_rounds=remeasured,
        other_processes=busy,
        retraces=None if traced is None else worker.request("traces")["traces"] - traced,
        versions=worker.started["versions"],
        threads=worker.started["threads"],
        peak_rss_mb=worker.request("usage")["peak_rss_mb"],
    )


def run(device: str, scale: float, smoke: bool) -> dict:
    """The session: every case (or its skip), then the accuracy check, as pytest-benchmark does."""
    meter, n = load.Meter(), cases.cores()
    chosen = gpu_set(device, n, bool(cases.bf16_flags()) or device == "gpu", smoke)
    pool = Pool(len(FRAMEWORKS))
    entries, skipped = [], []
    try:
        for case in chosen:
            try:
                reason = pool.unavailable(case)
                if not reason:
                    info = measure_case(pool, case, scale, smoke)
                    entries.append({"param": str(case), "name": f"gpu[{case}]", "extra_info": info})
                    continue
            except WorkerError as exc:
                reason = str(exc).splitlines()[0]
            skipped.append({"case": str(case), "reason": reason})
        rows = [results.row(e) for e in entries]
        try:
            record = accuracy.check(pool, rows, "gpu", device, accuracy.SHORT if smoke else {})
        except WorkerError as exc:
            record = {"trained": [], "error": str(exc).splitlines()[0]}
    finally:
        pool.close()
    return {
        "machine_info": {"cpu": {"brand_raw": platform.processor() or platform.machine()}},
        "benchmarks": entries,
        "session": {
            "env": "bench-gpu",
            "set": "gpu",
            "device": device,
            "cores": n,
            **meter.read(n),
            "peak": {},
            "worker_start_s": pool.started_s,
            "worker_ipc_s": pool.ipc_s,
            "skipped": skipped,
            "bf16_flags": cases.bf16_flags(),
            "accuracy": record,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gpu", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("reports/bench/bench-gpu.json"))
    parser.add_argument("--device", choices=("gpu", "cpu"), default="gpu")
    parser.add_argument("--bench-seconds", type=float, default=1.0)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    found = run(args.device, args.bench_seconds, args.smoke)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(found, indent=1), encoding="utf-8")
    measured, skipped = len(found["benchmarks"]), len(found["session"]["skipped"])
    print(f"wrote {args.out}: {measured} cases measured, {skipped} skipped")
    for skip in found["session"]["skipped"]:
        print(f"  skipped {skip['case']}: {skip['reason']}")
    results.load_run(args.out)  # the report reads it
    return 0 if measured else 1


if __name__ == "__main__":
    sys.exit(main())

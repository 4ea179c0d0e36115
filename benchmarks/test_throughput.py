"""Throughput of the course's CNN: one benchmark per case of the chosen set (see cases.py), timed in
rounds of calls to its worker after its warm-up calls; extra_info["images_per_s"] is the images of
one call (a batch, or an epoch) over the median round's time per call. A case whose rounds scatter
by more than measure.RELIABLE_SPREAD is timed once more, and the steadier of the two measurements
is kept; extra_info["unreliable"] then says why it stays noisy, or is None."""

from __future__ import annotations

import pytest

from benchmarks import measure
from benchmarks.load import busy_meter, worker_cpu


def test_throughput(benchmark, case, pool, peak, timing, measured):
    reason = pool.unavailable(case)
    if reason:
        pytest.skip(reason)
    worker = pool.get(case.settings)
    peak_gflops = peak.gflops(case.device, worker)
    model = pool.describe(case.settings)
    prepared = worker.request("prepare", case=case.as_dict())
    rounds, calls = measure.plan(prepared["warm_call_s"], **timing(case.mode))

    traced = worker.request("traces")["traces"]
    benchmark.group = f"{case.mode} {case.device}"
    meter = busy_meter(worker)
    benchmark.pedantic(worker.call, rounds=rounds, iterations=calls)
    busy = meter()

    stats = benchmark.stats.stats
    assert stats.rounds == rounds, f"{case}: {stats.rounds} rounds timed, {rounds} asked"
    assert stats.median > 0, f"{case}: a median call of {stats.median} s"
    # pytest-benchmark's data are per call (a round's time over its calls).
    times = [t * calls for t in stats.data]
    times, spreads, busy, remeasured = measure.steadier(
        worker.call, times, calls, busy, lambda: busy_meter(worker), worker_cpu(worker)
    )
    after = worker.request("traces")["traces"]
    info = measure.measured(
        case,
        prepared,
        times,
        calls,
        model,
        peak_gflops=peak_gflops,
        spreads=spreads,
        remeasured_rounds=remeasured,
        other_processes=busy,
        retraces=None if traced is None else after - traced,
        versions=worker.started["versions"],
        threads=worker.started["threads"],
        ipc_s=worker.ipc_s,
        peak_rss_mb=worker.request("usage")["peak_rss_mb"],
    )
    benchmark.extra_info.update(info)
    measured.append({"param": str(case), "extra_info": info})

"""Throughput of the course's CNN: one benchmark per case of the chosen set (see cases.py), timed in
rounds of calls to its worker; extra_info["images_per_s"] is the images of one call (a batch, or
an epoch) over the median round's time per call."""

from __future__ import annotations

import pytest

from benchmarks import measure


def test_throughput(benchmark, case, pool, peak, timing):
    reason = pool.unavailable(case)
    if reason:
        pytest.skip(reason)
    worker = pool.get(case.settings)
    peak_gflops = peak.gflops(case.device, worker)
    model = pool.describe(case.settings)
    prepared = worker.request("prepare", case=case.as_dict())
    rounds, calls = measure.plan(prepared["warm_call_s"], **timing)

    benchmark.group = f"{case.mode} {case.device}"
    benchmark.pedantic(worker.call, rounds=rounds, iterations=calls)

    stats = benchmark.stats.stats
    assert stats.rounds == rounds, f"{case}: {stats.rounds} rounds timed, {rounds} asked"
    assert stats.median > 0, f"{case}: a median call of {stats.median} s"
    info = measure.case_info(case, prepared, stats.median, stats.iqr, model, peak_gflops)
    info.update(
        versions=worker.started["versions"],
        threads=worker.started["threads"],
        rounds=rounds,
        calls_per_round=calls,
        ipc_s=worker.ipc_s,
        peak_rss_mb=worker.request("usage")["peak_rss_mb"],
    )
    benchmark.extra_info.update(info)

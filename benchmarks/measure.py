"""The numbers a case records: throughput from the median time per call, the spread of the rounds,
the achieved GFLOP/s and its fraction of the measured matrix-multiply peak; the plan of rounds;
and the peak's calibration itself."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable

CALIBRATION_SECONDS = 1.0
MIN_ROUNDS = 5


def spread(times: list[float]) -> float:
    """The interquartile range over the median."""
    q1, median, q3 = statistics.quantiles(times, n=4, method="inclusive")
    return (q3 - q1) / median


def gemm_rate(run: Callable[[], object], n: int) -> dict:
    """GFLOP/s of `run`, one float32 n x n matrix product (2 n^3 FLOPs), from the median of as many
    rounds as fill about CALIBRATION_SECONDS after two warm-up calls."""
    for _ in range(2):
        run()
    times: list[float] = []
    deadline = time.perf_counter() + CALIBRATION_SECONDS
    while len(times) < MIN_ROUNDS or time.perf_counter() < deadline:
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return {
        "gflops": 2 * n**3 / statistics.median(times) / 1e9,
        "spread": spread(times),
        "rounds": len(times),
        "n": n,
    }


def plan(call_s: float, target_s: float, least: int, most: int, round_s: float) -> tuple[int, int]:
    """(rounds, calls per round): rounds of at least `round_s` each, so that a short call's noise
    averages out within its round, and as many as fill `target_s`, within [least, most]."""
    calls = max(1, math.ceil(round_s / max(call_s, 1e-9)))
    rounds = round(target_s / (calls * max(call_s, 1e-9)))
    return max(least, min(most, rounds)), calls


def case_info(
    case, prepared: dict, median_s: float, iqr_s: float, flops: dict, peak: float | None
) -> dict:
    """What a case records beside pytest-benchmark's own statistics."""
    images_per_s = prepared["images_per_call"] / median_s
    per_image = flops["training_flops" if case.training else "forward_flops"]
    gflops = images_per_s * per_image / 1e9
    return {
        "images_per_s": images_per_s,
        "flops_per_image": per_image,
        "gflops": gflops,
        "peak_gflops": peak,
        "fraction_of_peak": gflops / peak if peak else None,
        "spread": iqr_s / median_s,
        "first_step_s": prepared["first_step_s"],
        "build_s": prepared["build_s"],
        "images_per_call": prepared["images_per_call"],
        **case.as_dict(),
    }

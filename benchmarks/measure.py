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
# A case whose rounds scatter by more than this (IQR over median) is re-measured once; if its spread
# stays above it, the case is unreliable: reported with the reason, never a winner, not compared
# with a baseline.
RELIABLE_SPREAD = 0.05
# Two groups of rounds whose times differ by more than this ratio: the case runs at two speeds.
BIMODAL_GAP = 1.2
# Other processes' share of the CPU while a case ran above which its spread is not its own.
BUSY = 0.05
# How a case's rounds are planned (plan's arguments), per kind of call: the compiled steps take
# milliseconds, and rounds of 0.1 s average their noise; `fit` and `predict` run a whole epoch per
# call (a tenth of a second to a second), in rounds of at least 0.25 s. Seven rounds at least of
# the short calls, five of an epoch (their interquartile range spans the middle three).
TIMING = {
    "compiled": {"target_s": 1.0, "least": 7, "most": 100, "round_s": 0.1},
    "keras": {"target_s": 2.0, "least": 5, "most": 40, "round_s": 0.25},
}


def spread(times: list[float]) -> float:
    """The interquartile range over the median."""
    q1, median, q3 = statistics.quantiles(times, n=4, method="inclusive")
    return (q3 - q1) / median


def timing(mode: str, scale: float = 1.0) -> dict:
    """plan's arguments for a case of `mode`, its target scaled by `scale` (--bench-seconds)."""
    chosen = dict(TIMING["keras" if mode in ("fit", "predict") else "compiled"])
    chosen["target_s"] *= scale
    return chosen


def bimodal(times: list[float]) -> tuple[float, float] | None:
    """The medians of the two groups of rounds, fast and slow, where the rounds fall into two (the
    widest gap between consecutive sorted times over BIMODAL_GAP, at least two rounds on each
    side); None where they do not."""
    ordered = sorted(times)
    gaps = [(ordered[i + 1] / ordered[i], i + 1) for i in range(1, len(ordered) - 2)]
    if not gaps:
        return None
    ratio, cut = max(gaps)
    if ratio <= BIMODAL_GAP:
        return None
    return statistics.median(ordered[:cut]), statistics.median(ordered[cut:])


def cores_by_speed(rounds: list[tuple[float, float]]) -> tuple[float, float] | None:
    """The median cores the worker kept busy (its CPU seconds over the wall time) in the fast and
    in the slow group of `rounds` (time, cores), where they fall into two (bimodal); else None."""
    groups = bimodal([t for t, _ in rounds])
    if not groups or not rounds:
        return None
    cut = (groups[0] + groups[1]) / 2
    fast = [c for t, c in rounds if t < cut]
    slow = [c for t, c in rounds if t >= cut]
    return statistics.median(fast), statistics.median(slow)


def unreliable(
    times: list[float],
    calls: int,
    busy: float,
    retraces: int | None = None,
    rounds: list[tuple[float, float]] = (),
) -> str | None:
    """Why rounds of `calls` calls each, timed while other processes took `busy` of the CPU and
    the step was traced `retraces` times more (None: not counted), are not a figure to act on;
    None when their spread is within RELIABLE_SPREAD. `rounds`, the re-measure's (time, cores
    busy), tell whether two speeds are two degrees of parallelism."""
    scatter = spread(times)
    if scatter <= RELIABLE_SPREAD:
        return None
    reason = f"spread ±{scatter:.1%}, over ±{RELIABLE_SPREAD:.0%} after a re-measure"
    groups = bimodal(times)
    if groups:
        fast, slow = (t / calls for t in groups)
        reason += f"; its rounds run at two speeds, {fast * 1e3:.3g} and {slow * 1e3:.3g} ms a call"
        cores = cores_by_speed(list(rounds))
        if cores:
            reason += f", keeping {cores[0]:.2g} and {cores[1]:.2g} cores busy"
    if retraces:
        reason += f"; its step was traced again {retraces} times while timed"
    elif retraces == 0:
        reason += "; no retrace while timed"
    if busy > BUSY:
        reason += f"; other processes took {busy:.0%} of the CPU meanwhile"
    return reason


def timed_rounds(
    call: Callable[[], object], rounds: int, calls: int, cpu: Callable[[], float] = lambda: 0.0
) -> list[tuple[float, float]]:
    """`rounds` rounds of `calls` calls: each round's seconds (as pytest-benchmark times them) and
    the cores the worker kept busy meanwhile (`cpu()`: its CPU seconds so far)."""
    out = []
    for _ in range(rounds):
        used, start = cpu(), time.perf_counter()
        for _ in range(calls):
            call()
        wall = time.perf_counter() - start
        out.append((wall, (cpu() - used) / wall))
    return out


def steadier(
    call: Callable[[], object], times: list[float], calls: int, busy: float, meter, cpu
) -> tuple[list[float], list[float], float, list[tuple[float, float]]]:
    """The re-measure: where the rounds' `times` spread by more than RELIABLE_SPREAD, as many rounds
    again, and the steadier of the two kept. Returns the kept times, each measurement's spread, the
    other processes' share of the CPU while the kept one ran (`busy` for the first; `meter()` a
    fresh load.Meter's reading of it for the second), and the re-measure's rounds (time, cores
    busy: timed_rounds with `cpu`), or none."""
    spreads, rounds = [spread(times)], []
    if spreads[0] > RELIABLE_SPREAD:
        read = meter()
        rounds = timed_rounds(call, len(times), calls, cpu)
        again = [t for t, _ in rounds]
        spreads.append(spread(again))
        if spreads[1] < spreads[0]:
            times, busy = again, read()
    return times, spreads, busy, rounds


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


def measured(case, prepared: dict, times: list[float], calls: int, model: dict, **found) -> dict:
    """What a case records from its kept rounds' `times` of `calls` calls each: case_info, its
    plan, and the verdict (unreliable) from `found`'s busy share and retraces (with the peak's
    GFLOP/s, the measurements' spreads, and the worker's figures, recorded as given)."""
    median = statistics.median(times) / calls
    info = case_info(
        case, prepared, median, spread(times) * median, model, found.pop("peak_gflops")
    )
    info.update(
        rounds=len(times),
        calls_per_round=calls,
        warmup_calls=prepared["warmup_calls"],
        unreliable=unreliable(
            times,
            calls,
            found["other_processes"],
            found["retraces"],
            found.get("remeasured_rounds", ()),
        ),
        **found,
    )
    return info


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

"""How long one environment's benchmark takes, estimated before it runs, from a recorded run's
figures (benchmarks/sample): per case, its first call, its warm-up and its timed rounds
(measure.plan at the case's call time), the re-measure of a share of them; per session, the workers'
starts, the peak's calibration and the accuracy trainings. The budget is three minutes."""

from __future__ import annotations

from benchmarks import cases, measure, verdict, worker
from benchmarks.frameworks import data
from benchmarks.results import Row, Run

BUDGET_S = 180.0
PEAK_S = 4.0  # NumPy's and the first worker's 1 s calibrations, NumPy's again at the end
TRAINING_S = 7.0  # one recipe training (6,000 images) on 2 cores, its grading and first call
# The share of cases timed twice (their spread over the limit at first): 13 and 12 of 34 in this
# machine's TensorFlow 2.12 and 2.21 runs.
REMEASURED = 0.4


def _nearest(case: cases.Case, recorded: list[Row]) -> Row:
    """The recorded row most like `case`: the same framework, mode and XLA setting, the nearest
    batch, float32 preferred (a half precision is assumed no faster), the defaults preferred."""
    alike = [
        r
        for r in recorded
        if (r.case.framework, r.case.mode, r.case.xla) == (case.framework, case.mode, case.xla)
    ] or [r for r in recorded if r.case.mode == case.mode]
    if not alike:
        raise ValueError(f"no recorded case like {case}")
    return min(
        alike,
        key=lambda r: (
            abs(r.case.batch - case.batch),
            r.case.precision != "float32",
            r.case.settings != case.settings,
        ),
    )


def case_s(case: cases.Case, recorded: list[Row], scale: float = 1.0) -> float:
    """The seconds that `case` takes: first call, warm-up, timed rounds (and their re-measure's
    share), at the recorded images/s of the nearest case."""
    near = _nearest(case, recorded)
    images = data.epoch_images(case.batch) if case.mode in cases.KERAS_MODES else case.batch
    call_s = images / near.images_per_s
    rounds, calls = measure.plan(call_s, **measure.timing(case.mode, scale))
    warm = max(
        worker.WARMUP_CALLS * call_s, min(worker.WARMUP_SECONDS, worker.WARMUP_MOST * call_s)
    )
    return near.first_step_s + warm + (1 + REMEASURED) * rounds * calls * call_s


def estimate_s(chosen: list[cases.Case], recorded: Run, trainings: int) -> float:
    """The seconds a session of `chosen` CPU cases takes, with `trainings` accuracy trainings, at
    the `recorded` run's figures and its workers' mean start: a start per process settings, and
    one more per framework family (the accuracy check trains in its default worker, which a
    session of one live worker has ended by then)."""
    cpu = [c for c in chosen if c.device == "cpu"]
    starts = list(recorded.session["worker_start_s"].values())
    families = {verdict.family(c.framework) for c in cpu}
    return (
        sum(case_s(c, recorded.rows) for c in cpu)
        + (len({c.settings for c in cpu}) + len(families)) * sum(starts) / len(starts)
        + PEAK_S
        + trainings * TRAINING_S
    )

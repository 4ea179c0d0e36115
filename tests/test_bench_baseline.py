"""benchmarks.baseline: a case regresses when its median images/s falls below the baseline's by
more than the threshold and by more than the two runs' spreads together; new and vanished cases
are listed and never fail."""

import bench_runs as br
import pytest

from benchmarks import baseline

CASE = br.case()


def compare(tmp_path, before: float, after: float, spreads=(0.02, 0.02), threshold=0.10):
    old = br.run("tf221", [br.benchmark(CASE, before, spreads[0])], tmp_path / "before")
    new = br.run("tf221", [br.benchmark(CASE, after, spreads[1])], tmp_path / "after")
    return baseline.compare([old], [new], threshold)


@pytest.mark.parametrize(
    ("after", "regressed"),
    [(1000, False), (1200, False), (901, False), (900, False), (899, True), (500, True)],
)
def test_slowdown_beyond_the_threshold_regresses(tmp_path, after, regressed):
    comparison = compare(tmp_path, 1000, after)
    (change,) = comparison.changes
    assert change.slowdown == pytest.approx(1 - after / 1000)
    assert change.regressed is regressed
    assert len(comparison.regressions) == int(regressed)


def test_a_noisy_case_must_slow_down_beyond_its_spreads(tmp_path):
    """25% slower, but the runs' rounds scatter by 20% and 10%: within the noise."""
    assert not compare(tmp_path, 1000, 750, spreads=(0.20, 0.10)).regressions
    assert compare(tmp_path, 1000, 650, spreads=(0.20, 0.10)).regressions


def test_the_threshold_is_the_callers(tmp_path):
    assert compare(tmp_path, 1000, 940, threshold=0.05).regressions
    assert not compare(tmp_path, 1000, 940, threshold=0.10).regressions


def test_new_and_vanished_cases_are_listed_not_failed(tmp_path):
    other = br.case(batch=512)
    old = br.run("tf221", [br.benchmark(CASE, 1000)], tmp_path / "before")
    new = br.run("tf221", [br.benchmark(other, 10)], tmp_path / "after")
    comparison = baseline.compare([old], [new])
    assert comparison.regressions == []
    assert comparison.only_after == [("tf221", str(other))]
    assert comparison.only_before == [("tf221", str(CASE))]


def test_cases_are_compared_within_their_environment(tmp_path):
    old = br.run("tf212", [br.benchmark(CASE, 1000)], tmp_path / "before")
    new = br.run("tf221", [br.benchmark(CASE, 100)], tmp_path / "after")
    comparison = baseline.compare([old], [new])
    assert comparison.changes == []
    assert comparison.regressions == []

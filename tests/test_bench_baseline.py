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


def test_a_case_must_slow_down_beyond_its_spreads(tmp_path):
    """7% slower against a 5% threshold, but the runs' rounds scatter by 4% each: within the noise
    (a spread over 5% makes a case unreliable, and uncompared)."""
    assert not compare(tmp_path, 1000, 930, spreads=(0.04, 0.04), threshold=0.05).regressions
    assert compare(tmp_path, 1000, 910, spreads=(0.04, 0.04), threshold=0.05).regressions


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


@pytest.mark.parametrize(("noisy_before", "noisy_after"), [(True, False), (False, True)])
def test_an_unreliable_case_is_not_compared_and_is_listed(tmp_path, noisy_before, noisy_after):
    """Half as fast, but unreliable in one of the two runs: listed with its reason, never slower."""
    entries = [br.benchmark(CASE, 1000), br.benchmark(CASE, 500)]
    for entry, noisy in zip(entries, (noisy_before, noisy_after), strict=True):
        entry["extra_info"]["unreliable"] = "two speeds" if noisy else None
    old = br.run("tf221", [entries[0]], tmp_path / "before")
    new = br.run("tf221", [entries[1]], tmp_path / "after")
    comparison = baseline.compare([old], [new])
    assert comparison.changes == []
    assert comparison.regressions == []
    when = "baseline" if noisy_before else "now"
    assert comparison.unreliable == [("tf221", str(CASE), f"{when}: two speeds")]
    assert "1 ignored as unreliable" in comparison.summary()


def test_a_run_recorded_before_the_verdict_is_judged_by_its_spread(tmp_path):
    old = br.run("tf221", [br.benchmark(CASE, 1000, spread=0.06)], tmp_path / "before")
    new = br.run("tf221", [br.benchmark(CASE, 500)], tmp_path / "after")
    ((_, _, reason),) = baseline.compare([old], [new]).unreliable
    assert reason == "baseline: spread ±6.0%, over ±5% (not re-measured)"

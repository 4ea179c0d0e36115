"""The accuracy cost of the fastest configurations (benchmarks/accuracy.py), after the throughput
cases: each framework's float32 recipe must clear the recipe's threshold (in the smoke run, which
trains briefly, SMOKE_ACCURACY)."""

from __future__ import annotations

import pytest

from benchmarks import accuracy, results

SMOKE_ACCURACY = 0.3  # far above chance (0.1), far below what 1,000 images give


def test_accuracy_cost_of_the_fastest(pool, pytestconfig, measured, accuracy_record):
    chosen = pytestconfig.getoption("bench_set")
    smoke = chosen == "smoke"
    rows = [results.row(b) for b in measured]
    if not any(r.case.device == "cpu" for r in rows):
        pytest.skip("no CPU case was measured")
    short = accuracy.SHORT if smoke else {}
    accuracy_record.update(accuracy.check(pool, rows, chosen, "cpu", short))
    floor = SMOKE_ACCURACY if smoke else accuracy_record["recipe"]["threshold"]
    for t in accuracy_record["trained"]:
        if t["precision"] == "float32" and t["batch"] == accuracy_record["recipe_batch"]:
            grade = t["accuracy"]
            assert grade >= floor, (
                f"{t['framework']}: float32 recipe {grade:.1%}, under {floor:.0%}"
            )

"""benchmarks.budget: one environment's benchmark, estimated from the recorded runs of
benchmarks/sample (their images/s, first calls and worker starts), takes at most three minutes with
its accuracy trainings; and the estimate grows with what a case costs."""

from pathlib import Path

import bench_runs as br
import pytest

from benchmarks import budget, cases, results
from benchmarks.accuracy import MAX_TRAININGS

SAMPLE = sorted((Path(__file__).parent.parent / "benchmarks" / "sample" / "bench").glob("*.json"))


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.stem)
def test_one_environment_takes_at_most_three_minutes(path):
    recorded = results.load_run(path)
    chosen = cases.selected(recorded.set, 2, half=True)
    families = {c.framework for c in chosen} - {"torch-compile"}
    trainings = len(families) * (1 + MAX_TRAININGS[recorded.set])
    estimate = budget.estimate_s(chosen, recorded, trainings)
    assert estimate <= budget.BUDGET_S, f"{recorded.env}: about {estimate:.0f} s"


def test_a_case_costs_its_first_call_warm_up_and_rounds(tmp_path):
    fit = br.case(mode="fit", batch=64)
    recorded = br.run("bench-tf221", [br.benchmark(fit, 1024 / 0.5)], tmp_path).rows
    # 0.5 s a call: one call a round, five rounds (and their re-measure's share), two warm-up
    # calls, the first call of 1.5 s
    rounds = (1 + budget.REMEASURED) * 5 * 0.5
    assert budget.case_s(fit, recorded) == pytest.approx(1.5 + 2 * 0.5 + rounds)


def test_an_unrecorded_batch_takes_the_nearest_batchs_rate(tmp_path):
    recorded = br.run("bench-tf221", [br.benchmark(br.case(batch=512), 4000)], tmp_path).rows
    wide = budget.case_s(br.case(batch=2048), recorded)
    assert wide > budget.case_s(br.case(batch=512), recorded)

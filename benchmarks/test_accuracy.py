"""The accuracy cost of the fastest configurations (benchmarks/verdict.py), measured after the
throughput cases: per framework family, the course's CNN trained by the practicals' recipe in
float32 (the reference, whose accuracy must clear the recipe's threshold) and its weights run in
each half precision measured; then, fastest first, each reliable training configuration whose batch
and precision have no accuracy yet, until one trains within verdict.ACCURACY_COST of the reference
(at most MAX_TRAININGS of the set per family). The session's JSON records them under "accuracy"."""

from __future__ import annotations

from dataclasses import asdict, replace

import pytest

from benchmarks import cases, results, verdict

# The trainings after each family's reference, at most: the TensorFlow lines search deeper than the
# peers' session, which has three families to train within the same three minutes.
MAX_TRAININGS = {"tensorflow": 3, "peers": 1, "smoke": 1}
# The smoke run trains briefly: its accuracy proves the path, not the recipe.
SMOKE = {"images": 1000, "epochs": 1}
SMOKE_ACCURACY = 0.3  # far above chance (0.1), far below what 1,000 images give


def _train(worker, case: cases.Case, short: dict, infer_in=()) -> dict:
    return worker.request("accuracy", case=case.as_dict(), infer_in=list(infer_in), **short)


def test_accuracy_cost_of_the_fastest(pool, pytestconfig, measured, accuracy_record):
    chosen = pytestconfig.getoption("bench_set")
    smoke = chosen == "smoke"
    short = SMOKE if smoke else {}
    rows = [results.row(b) for b in measured if b["extra_info"]["device"] == "cpu"]
    families = list(dict.fromkeys(verdict.family(r.case.framework) for r in rows))
    if not families:
        pytest.skip("no CPU case was measured")
    trained: list[verdict.Trained] = []
    for family in families:
        settings = cases.default_settings(family, cases.cores())
        worker = pool.get(settings)
        recipe = worker.request("recipe")
        batch = recipe["batch_size"]
        accuracy_record.update(recipe=recipe, recipe_batch=batch)
        mine = [r for r in rows if verdict.family(r.case.framework) == family]
        halves = sorted({r.case.precision for r in mine} - {"float32"})
        reference = cases.Case(settings, "cpu", "fit", batch, False)
        got = _train(worker, reference, short, halves)
        trained.append(verdict.Trained(family, "float32", batch, got["accuracy"], got["inference"]))
        floor = SMOKE_ACCURACY if smoke else recipe["threshold"]
        assert got["accuracy"] >= floor, (
            f"{family}: the float32 recipe grades {got['accuracy']:.1%}, under {floor:.0%}"
        )
        training = [r for r in mine if r.case.training]
        for _ in range(MAX_TRAININGS[chosen]):
            choice = verdict.fastest(training, verdict.training_accuracy(trained, batch))
            unmeasured = next(
                (r for r, why in choice.passed_over if why == verdict.UNMEASURED), None
            )
            if unmeasured is None:
                break
            case = replace(
                reference, batch=unmeasured.case.batch, precision=unmeasured.case.precision
            )
            got = _train(worker, case, short)
            trained.append(verdict.Trained(family, case.precision, case.batch, got["accuracy"]))
    accuracy_record["trained"] = [asdict(t) for t in trained]

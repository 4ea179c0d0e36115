"""The accuracy cost of the fastest configurations (benchmarks/verdict.py), measured after the
throughput cases: per framework family, the course's CNN trained by the practicals' recipe in
float32 (the reference) and its weights run in each half precision measured; then, fastest first,
each reliable training configuration whose batch and precision have no accuracy yet, until one
trains within verdict.ACCURACY_COST of the reference (at most MAX_TRAININGS of the set per family).
Run by benchmarks/test_accuracy.py and benchmarks/gpu.py; the record goes to the session's JSON
under "accuracy"."""

from __future__ import annotations

from dataclasses import asdict, replace

from benchmarks import cases, verdict
from benchmarks.pool import Pool
from benchmarks.results import Row

# The trainings after each family's reference, at most: the TensorFlow lines search deeper than the
# peers' session, which has three families to train within the same three minutes.
MAX_TRAININGS = {"tensorflow": 4, "peers": 1, "smoke": 1, "gpu": 1}
# The smoke runs train briefly: their accuracy proves the path, not the recipe.
SHORT = {"images": 1000, "epochs": 1}


def _train(worker, case: cases.Case, short: dict, infer_in=()) -> dict:
    return worker.request("accuracy", case=case.as_dict(), infer_in=list(infer_in), **short)


def check(pool: Pool, rows: list[Row], chosen: str, device: str, short: dict) -> dict:
    """The accuracy record of a session of set `chosen`, from its measured `rows` on `device`:
    {"recipe", "recipe_batch", "trained": [verdict.Trained as dicts]}."""
    rows = [r for r in rows if r.case.device == device]
    record: dict = {"trained": []}
    trained: list[verdict.Trained] = []
    for family in dict.fromkeys(verdict.family(r.case.framework) for r in rows):
        settings = cases.default_settings(family, cases.cores())
        worker = pool.get(settings)
        recipe = worker.request("recipe")
        batch = recipe["batch_size"]
        record.update(recipe=recipe, recipe_batch=batch)
        mine = [r for r in rows if verdict.family(r.case.framework) == family]
        halves = sorted({r.case.precision for r in mine} - {"float32"})
        reference = cases.Case(settings, device, "fit", batch, False)
        got = _train(worker, reference, short, halves)
        trained.append(verdict.Trained(family, "float32", batch, got["accuracy"], got["inference"]))
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
        record["trained"] = [asdict(t) for t in trained]
    return record

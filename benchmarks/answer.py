"""The answer on top of the report: per TensorFlow line, and across frameworks, the fastest reliable
way to train and to run the course's CNN at equal accuracy (verdict.fastest), on the CPU and, where
a run measured one, on a GPU."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks import verdict
from benchmarks.cases import NAMES, PEERS
from benchmarks.results import Run
from spec.harness.tables import markdown_table


@dataclass
class Line:
    """One row of the answer: a scope (a TensorFlow line, or a framework in the peers' session),
    and its choices to train and to run, per device."""

    scope: str
    framework: str
    run: Run
    train: dict  # device -> verdict.Choice
    infer: dict


def _choose(run: Run, framework: str, device: str, training: bool) -> verdict.Choice:
    rows = [
        r
        for r in run.rows
        if r.case.framework == framework and r.case.device == device and r.case.training == training
    ]
    batch = run.recipe_batch or 0
    accuracy = (verdict.training_accuracy if training else verdict.inference_accuracy)(
        run.trained, batch
    )
    return verdict.fastest(rows, accuracy)


def _line(scope: str, framework: str, cpu: Run, gpu: Run | None) -> Line:
    train, infer = {}, {}
    for device, run in (("cpu", cpu), ("gpu", gpu or cpu)):
        train[device] = _choose(run, framework, device, True)
        infer[device] = _choose(run, framework, device, False)
    return Line(scope, framework, cpu, train, infer)


def lines(runs: list[Run]) -> list[Line]:
    """A line per TensorFlow release line's run, then one per framework of the peers' session,
    with the GPU run's choices (set "gpu") beside the peers'."""
    gpu = next((r for r in runs if r.set == "gpu"), None)
    out = [
        _line(f"TensorFlow {r.versions().get('tensorflow', '?')} ({r.env})", "tensorflow", r, None)
        for r in runs
        if r.set == "tensorflow"
    ]
    for run in (r for r in runs if r.set == "peers"):
        for framework in ("tensorflow", *PEERS):
            if any(r.case.framework == framework for r in run.rows):
                out.append(_line(f"{NAMES[framework]} ({run.env})", framework, run, gpu))
    return out


def cell(choice: verdict.Choice, cores: int, against: verdict.Choice | None = None) -> str:
    """The winner in words: images/s with its spread, its configuration, its accuracy beside the
    float32 recipe's, and its ratio to `against` (TensorFlow's in the same session)."""
    row = choice.row
    if row is None:
        lost = len(choice.passed_over)
        if lost and all(
            why == verdict.UNMEASURED or why.startswith("unreliable")
            for _, why in choice.passed_over
        ):
            return f"no accuracy measured ({lost} cases)"
        return f"none at equal accuracy ({lost} passed over)" if lost else "—"
    accuracy, reference = choice.accuracy
    text = (
        f"**{row.images_per_s:,.0f}/s** ±{row.spread:.1%}: {row.label(cores, settings=False)}, "
        f"{row.settings()}; accuracy {accuracy:.1%} (float32 {reference:.1%})"
    )
    if against is not None and against.row is not None and against.row is not row:
        text += f"; **{row.images_per_s / against.row.images_per_s:.2f}x** TensorFlow's"
    return text


def table(runs: list[Run]) -> list[str]:
    found = lines(runs)
    tf_of = {line.run.env: line for line in found if line.framework == "tensorflow"}
    rows = []
    for line in found:
        tf = tf_of.get(line.run.env)
        row = [line.scope]
        for device in ("cpu", "gpu"):
            for choices in (line.train, line.infer):
                against = (tf.train if choices is line.train else tf.infer)[device] if tf else None
                row.append(cell(choices[device], line.run.cores, against))
        rows.append(row)
    header = ["", "train, CPU", "run (infer), CPU", "train, GPU", "run (infer), GPU"]
    return markdown_table(header, rows)


def passed_over(runs: list[Run]) -> list[str]:
    """The faster configurations that each answer passed over, and why."""
    out = []
    for line in lines(runs):
        for what, choices in (("train", line.train), ("run", line.infer)):
            for device, choice in choices.items():
                for row, reason in choice.passed_over:
                    out.append(
                        f"- {line.scope}, {what} on the {device.upper()}: "
                        f"{row.label(line.run.cores)} ({row.images_per_s:,.0f}/s): {reason}"
                    )
    return out or ["- none"]

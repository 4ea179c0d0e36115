"""The answer a reader acts on: the fastest reliable configuration at equal accuracy.

A configuration trains at equal accuracy when the course's CNN, trained by the practicals' recipe at
its batch and precision, grades within ACCURACY_COST of the recipe's own float32 training; it runs
(infers) at equal accuracy when the float32 recipe's weights, run in its precision, do. Batch and
precision decide the accuracy (threads, oneDNN and XLA reorder float32 sums, nothing more), and
torch.compile computes what PyTorch eager does: an accuracy is measured per (family, precision,
batch), once. A case whose spread stayed above the limit (results.Row.unreliable) is never a
winner, whatever its speed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ACCURACY_COST = 0.005  # half a point
UNMEASURED = "accuracy not measured"
FAMILY = {"torch-compile": "torch-eager"}


def family(framework: str) -> str:
    return FAMILY.get(framework, framework)


@dataclass(frozen=True)
class Trained:
    """One accuracy measurement: the CNN of `framework` trained by the recipe at `batch` and
    `precision`, and its weights run in other precisions (`inference`)."""

    framework: str
    precision: str
    batch: int
    accuracy: float
    inference: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def key(self) -> tuple[str, str, int]:
        return family(self.framework), self.precision, self.batch


def training_key(case) -> tuple[str, str, int]:
    return family(case.framework), case.precision, case.batch


@dataclass
class Choice:
    """The winner of one question (train or run) among some rows, its accuracy and its float32
    reference's, and why each faster row lost."""

    row: object | None
    accuracy: tuple[float, float] | None
    passed_over: list[tuple[object, str]]


Accuracy = Callable[[object], "tuple[float, float] | None"]


def fastest(rows: list, accuracy_of: Accuracy) -> Choice:
    """The fastest of `rows` (results.Row) that is reliable and whose accuracy is within
    ACCURACY_COST of its float32 reference's (accuracy_of(row): the two, or None when unmeasured);
    the faster rows passed over, each with its reason."""
    passed = []
    for row in sorted(rows, key=lambda r: -r.images_per_s):
        if row.unreliable:
            passed.append((row, f"unreliable: {row.unreliable}"))
            continue
        measured = accuracy_of(row)
        if measured is None:
            passed.append((row, UNMEASURED))
            continue
        accuracy, reference = measured
        if accuracy < reference - ACCURACY_COST:
            lost = f"{(reference - accuracy) * 100:.1f} points below float32's {reference:.1%}"
            passed.append((row, f"accuracy {accuracy:.1%}, {lost}"))
        else:
            return Choice(row, measured, passed)
    return Choice(None, None, passed)


def references(trained: list[Trained], batch: int) -> dict[str, Trained]:
    """Each family's float32 training at the recipe's `batch`: its reference."""
    return {
        family(t.framework): t for t in trained if t.precision == "float32" and t.batch == batch
    }


def training_accuracy(trained: list[Trained], batch: int) -> Accuracy:
    """accuracy_of for training rows: the measurement at the row's family, precision and batch,
    against the family's float32 recipe (`batch` is the recipe's)."""
    found, refs = {t.key: t.accuracy for t in trained}, references(trained, batch)

    def accuracy_of(row):
        ref, accuracy = refs.get(family(row.case.framework)), found.get(training_key(row.case))
        return None if ref is None or accuracy is None else (accuracy, ref.accuracy)

    return accuracy_of


def inference_accuracy(trained: list[Trained], batch: int) -> Accuracy:
    """accuracy_of for inference rows: the family's float32 recipe's weights, run in the row's
    precision, against the same weights in float32."""
    refs = references(trained, batch)

    def accuracy_of(row):
        ref = refs.get(family(row.case.framework))
        if ref is None:
            return None
        if row.case.precision == "float32":
            return ref.accuracy, ref.accuracy
        accuracy = ref.inference.get(row.case.precision)
        return None if accuracy is None else (accuracy, ref.accuracy)

    return accuracy_of

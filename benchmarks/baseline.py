"""The regression check: this run's benchmarks against a saved baseline (an earlier reports/bench).

A case regresses when its median images/s falls below the baseline's by more than the threshold
(10% unless told), and by more than the two runs' spreads (IQR/median) together: a case whose
rounds scatter by 20% cannot show a 10% slowdown. A case that is unreliable in either run
(results.Row.unreliable: its spread stayed over measure.RELIABLE_SPREAD) is not compared: it is
listed with its reason. Cases in only one of the two are listed, and never fail the check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks.results import Row, Run

THRESHOLD = 0.10


@dataclass(frozen=True)
class Change:
    env: str
    before: Row
    after: Row
    threshold: float

    @property
    def slowdown(self) -> float:
        """The fraction of the baseline's images/s lost (negative: faster)."""
        return 1 - self.after.images_per_s / self.before.images_per_s

    @property
    def limit(self) -> float:
        return max(self.threshold, self.before.spread + self.after.spread)

    @property
    def regressed(self) -> bool:
        return self.slowdown > self.limit


@dataclass
class Comparison:
    threshold: float
    changes: list[Change] = field(default_factory=list)
    only_before: list[tuple[str, str]] = field(default_factory=list)
    only_after: list[tuple[str, str]] = field(default_factory=list)
    unreliable: list[tuple[str, str, str]] = field(default_factory=list)  # env, case, reason

    @property
    def regressions(self) -> list[Change]:
        return [c for c in self.changes if c.regressed]

    def summary(self) -> str:
        return (
            f"baseline: {len(self.regressions)} of {len(self.changes)} cases slower beyond the "
            f"limit (threshold {self.threshold:.0%}, or the two runs' spreads together if larger); "
            f"{len(self.only_after)} new, {len(self.only_before)} gone; "
            f"{len(self.unreliable)} ignored as unreliable"
        )


def compare(before: list[Run], after: list[Run], threshold: float = THRESHOLD) -> Comparison:
    """Each case of `after` against the same environment's same case in `before`."""
    out = Comparison(threshold)
    old = {(run.env, row.id): row for run in before for row in run.rows}
    new = {(run.env, row.id): row for run in after for row in run.rows}
    for key, row in new.items():
        if key in old:
            noisy = [
                f"{when}: {r.unreliable}"
                for when, r in (("baseline", old[key]), ("now", row))
                if r.unreliable
            ]
            if noisy:
                out.unreliable.append((*key, "; ".join(noisy)))
            else:
                out.changes.append(Change(key[0], old[key], row, threshold))
        else:
            out.only_after.append(key)
    out.only_before = [key for key in old if key not in new]
    return out

"""Compare this run's conformance.json with an earlier one: what regressed (held before, does not
now), what was fixed, what changed otherwise, and which clauses and environments came or went."""

from __future__ import annotations

from dataclasses import dataclass, field

from spec.report.model import Conformance

HOLDS = ("pass", "xpass")
BROKEN = ("fail", "error", "xfail")


@dataclass
class Comparison:
    regressed: list[tuple[str, str, str, str]] = field(default_factory=list)
    fixed: list[tuple[str, str, str, str]] = field(default_factory=list)
    changed: list[tuple[str, str, str, str]] = field(default_factory=list)
    added_clauses: list[str] = field(default_factory=list)
    removed_clauses: list[str] = field(default_factory=list)
    added_envs: list[str] = field(default_factory=list)
    removed_envs: list[str] = field(default_factory=list)
    commits: tuple[list[str], list[str]] = ([], [])

    def render(self) -> str:
        before, after = self.commits
        lines = []
        if before != after:
            lines.append(
                f"note: the baseline comes from suite commit(s) {', '.join(before) or '?'} and "
                f"this run from {', '.join(after) or '?'}: a change below may come from the suite, "
                f"not from TensorFlow or Keras"
            )
        for title, rows in (
            ("regressed", self.regressed),
            ("fixed", self.fixed),
            ("changed", self.changed),
        ):
            lines += [f"{title}: {cid} in {env}: {was} -> {now}" for cid, env, was, now in rows]
        for title, names in (
            ("clause added", self.added_clauses),
            ("clause removed", self.removed_clauses),
            ("environment added", self.added_envs),
            ("environment removed", self.removed_envs),
        ):
            lines += [f"{title}: {name}" for name in names]
        lines.append(
            f"baseline: {len(self.regressed)} regressed, {len(self.fixed)} fixed, "
            f"{len(self.changed)} changed, {len(self.added_clauses)} clauses added, "
            f"{len(self.removed_clauses)} removed"
        )
        return "\n".join(lines)


def compare(before: Conformance, after: Conformance) -> Comparison:
    """How `after` (this run) differs from `before` (the baseline)."""
    out = Comparison(commits=(before.suite_commits, after.suite_commits))
    was_names = [c.name for c in before.columns]
    now_names = [c.name for c in after.columns]
    out.added_clauses = sorted(set(after.cells) - set(before.cells))
    out.removed_clauses = sorted(set(before.cells) - set(after.cells))
    out.added_envs = sorted(set(now_names) - set(was_names))
    out.removed_envs = sorted(set(was_names) - set(now_names))
    common = [name for name in now_names if name in was_names]
    for cid in after.cells:
        if cid not in before.cells:
            continue
        for name in common:
            was, now = before.outcome(cid, name), after.outcome(cid, name)
            if was == now:
                continue
            row = (cid, name, str(was), str(now))
            if was in HOLDS and now in BROKEN:
                out.regressed.append(row)
            elif was in BROKEN and now in HOLDS:
                out.fixed.append(row)
            else:
                out.changed.append(row)
    return out

"""Compare this run's conformance.json with an earlier one: what regressed (held before, does not
now), what was fixed, what changed otherwise, and which clauses and environments came or went."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def _commits(conf: dict) -> list[str]:
    return sorted({run.get("suite_commit", "?") for run in conf.get("runs", {}).values()})


def compare(before: dict, after: dict) -> Comparison:
    """How `after` (this run's conformance.json) differs from `before` (the baseline)."""
    out = Comparison(commits=(_commits(before), _commits(after)))
    out.added_clauses = sorted(set(after["matrix"]) - set(before["matrix"]))
    out.removed_clauses = sorted(set(before["matrix"]) - set(after["matrix"]))
    out.added_envs = sorted(set(after["envs"]) - set(before["envs"]))
    out.removed_envs = sorted(set(before["envs"]) - set(after["envs"]))
    common_envs = [env for env in after["envs"] if env in before["envs"]]
    for cid in after["matrix"]:
        for env in common_envs:
            was = before["matrix"].get(cid, {}).get(env)
            now = after["matrix"][cid].get(env)
            if cid not in before["matrix"] or was == now:
                continue
            row = (cid, env, str(was), str(now))
            if was in HOLDS and now in BROKEN:
                out.regressed.append(row)
            elif was in BROKEN and now in HOLDS:
                out.fixed.append(row)
            else:
                out.changed.append(row)
    return out

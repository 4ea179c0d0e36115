"""The gate: every outcome matches its expectation, in every environment that should have run.

A finding is an unexpected failure, an unexpected pass, an error, a clause that did not run, or an
environment that failed to install, to import TensorFlow or to finish; each comes with the clause,
the environment and its versions, the message, and a command that reproduces it.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from spec.report.runs import MEETS, Run

KINDS = {
    "fail": "unexpected failure",
    "error": "error",
    "xpass": "unexpected pass",
    "skip": "unexpected skip",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    env: str
    versions: dict
    clause: str
    message: str
    test: str = ""

    def reproduction(self) -> str:
        select = f" -- {shlex.quote(self.test)}" if self.test else ""
        return f"python3 -m tox -e {self.env}{select}"

    def render(self) -> str:
        versions = (
            ", ".join(f"{k} {v}" for k, v in self.versions.items() if v) or "versions unknown"
        )
        lines = [f"{self.kind.upper()}: {self.clause} in {self.env} ({versions})"]
        lines += [f"    {line}" for line in self.message.splitlines() or ["(no message)"]]
        lines.append(f"    reproduce: {self.reproduction()}")
        return "\n".join(lines)


def findings(runs: list[Run], clause_ids: list[str]) -> tuple[list[Finding], int]:
    """Everything that does not match its expectation, and how many results did."""
    found, met = [], 0
    for run in runs:
        found += [
            Finding("environment failed", run.env, run.versions, e["where"], e["message"])
            for e in run.errors
        ]
        seen = set()
        for r in run.results:
            seen.add(r["clause"])
            if r["outcome"] == MEETS[r["expected"]]:
                met += 1
                continue
            kind = KINDS.get(r["outcome"], f"{r['outcome']} (expected {r['expected']})")
            message = f"expected {r['expected']}, got {r['outcome']}: {r['message']}"
            found.append(Finding(kind, run.env, run.versions, r["clause"], message, r["test"]))
        if not run.errors:
            found += [
                Finding("not run", run.env, run.versions, cid, "no test of this clause ran")
                for cid in clause_ids
                if cid not in seen
            ]
    return found, met


def render(found: list[Finding], met: int) -> str:
    """The gate's verdict: each finding, then a closing count line."""
    lines = [f.render() for f in found]
    lines.append(
        f"The gate is RED: {len(found)} outcomes differ from spec/expectations.toml."
        if found
        else "The gate is GREEN: every outcome matches spec/expectations.toml."
    )
    lines.append(f"gate: {met} passed, {len(found)} failed")
    return "\n".join(lines)

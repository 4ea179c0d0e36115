"""The gate: every outcome matches its expectation, in every environment that should have run.

A finding is an unexpected failure, an unexpected pass, an error, a clause that did not run, or an
environment that failed to install, to import TensorFlow or to finish; each comes with the clause,
the environment and its versions, the message, and a command that reproduces it.
"""

from __future__ import annotations

from dataclasses import dataclass

from spec.report.model import Column, Conformance

KINDS = {
    "fail": "unexpected failure",
    "error": "error",
    "xpass": "unexpected pass",
    "skip": "unexpected skip",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    column: Column
    clause: str
    message: str
    test: str = ""

    def render(self) -> str:
        versions = (
            ", ".join(f"{k} {v}" for k, v in self.column.versions.items() if v)
            or "versions unknown"
        )
        lines = [f"{self.kind.upper()}: {self.clause} in {self.column.name} ({versions})"]
        lines += [f"    {line}" for line in self.message.splitlines() or ["(no message)"]]
        lines.append(f"    reproduce: {self.column.reproduction(self.test)}")
        return "\n".join(lines)


def findings(conf: Conformance) -> tuple[list[Finding], int]:
    """Everything that does not match its expectation, and how many results did."""
    found, met = [], 0
    for column in conf.columns:
        found += [Finding("environment failed", column, e.where, e.message) for e in column.errors]
        for cid in conf.clauses:
            cell = conf.cell(cid, column.name)
            if cell is None:
                if not column.errors:
                    found.append(Finding("not run", column, cid, "no test of this clause ran"))
                continue
            for r in cell.results:
                if r.met:
                    met += 1
                    continue
                kind = KINDS.get(r.outcome, f"{r.outcome} (expected {r.expected})")
                message = f"expected {r.expected}, got {r.outcome}: {r.message}"
                found.append(Finding(kind, column, cid, message, r.test))
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

"""How every view names an outcome: its symbol and its meaning; and why a clause's verdict is
what it is in a column."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spec.harness import registry

if TYPE_CHECKING:
    from spec.report.model import Conformance

SYMBOLS = {
    "pass": "✅",
    "xfail": "⛔",
    "skip": "➖",
    "fail": "❌",
    "xpass": "❗",
    "error": "💥",
    None: "·",
}
MEANINGS = {
    "pass": "holds",
    "xfail": "does not hold, as declared in spec/expectations.toml",
    "skip": "not applicable (declared skip)",
    "fail": "fails, unexpectedly",
    "xpass": "holds, though declared not to",
    "error": "error",
    None: "not run",
}


def implementations(impls: list[str]) -> str:
    """The sentence naming whose code the report judges."""
    named = ", ".join(f"`{i}`" for i in impls) or "none"
    return f"Implementation{'s' if len(impls) > 1 else ''} under test: {named}."


def why(conf: Conformance, cid: str, column: str) -> str:
    """Why clause `cid` has its verdict in `column`: the declared reason where an expectation
    declares it (what the course must change), else the message of its worst test."""
    found = conf.cell(cid, column)
    expected = registry.expected(cid, conf.column(column).versions)
    if expected and found and found.outcome in ("xfail", "skip"):
        return expected.reason
    return found.message if found else ""

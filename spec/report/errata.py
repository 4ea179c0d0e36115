"""reports/errata.md: for each erratum clause, the slide, the code as printed, what it does in each
environment (environments where it does the same thing share a row), and the corrected code with
the environments where its proving clause passed."""

from __future__ import annotations

from spec.harness.tables import cell, versions_label
from spec.report import views
from spec.report.model import Conformance


def _fenced(code: str) -> list[str]:
    return ["```python", code.strip(), "```"]


def _what_happens(conf: Conformance, cid: str, column: str) -> str:
    found = conf.cell(cid, column)
    return (cell(found.message).removeprefix("observed: ") if found else "") or "—"


def _behaviours(conf: Conformance, cid: str) -> list[tuple[str | None, str, list[str]]]:
    """(outcome, what happens, columns), one entry per distinct pair, in column order."""
    grouped: dict[tuple[str | None, str], list[str]] = {}
    for c in conf.columns:
        key = (conf.outcome(cid, c.name), _what_happens(conf, cid, c.name))
        grouped.setdefault(key, []).append(c.name)
    return [(outcome, text, names) for (outcome, text), names in grouped.items()]


def _environments(conf: Conformance, names: list[str]) -> str:
    if len(names) > 1 and len(names) == len(conf.columns):
        return f"all {len(names)}"
    return ", ".join(names)


def render(conf: Conformance) -> str:
    errata = [c for c in conf.clauses.values() if c.level == "erratum"]
    lines = [
        "# Errata: course code that does not work as printed on TensorFlow 2.x",
        "",
        f"{len(errata)} errata. For each: the slide, the code as printed, what it does in each "
        "environment, and the corrected code with the environments where the spec proved it. "
        + views.implementations(conf.impls),
        "",
        "| environment | versions |",
        "|---|---|",
        *(f"| {c.name} | {versions_label(c.versions)} |" for c in conf.columns),
    ]
    for clause in sorted(errata, key=lambda c: (c.slide, c.id)):
        lines += ["", f"## Slide {clause.slide}: `{clause.id}`", "", "As printed:", ""]
        lines += _fenced(clause.quote)
        lines += [
            "",
            "What it does:",
            "",
            "| environments | verdict | what happens |",
            "|---|---|---|",
        ]
        lines += [
            f"| {_environments(conf, names)} | {views.SYMBOLS[outcome]} "
            f"{views.MEANINGS[outcome]} | {text} |"
            for outcome, text, names in _behaviours(conf, clause.id)
        ]
        names = [c.name for c in conf.columns]
        proven = [n for n in names if conf.outcome(clause.fixed_by, n) == "pass"]
        unproven = [n for n in names if n not in proven]
        lines += ["", "Corrected:", "", *_fenced(clause.fix)]
        lines += [
            "",
            f"Proven by `{clause.fixed_by}` on: {', '.join(proven) or 'no environment'}"
            + (f"; not proven on: {', '.join(unproven)}" if unproven else "")
            + ".",
        ]
    return "\n".join(lines) + "\n"

"""One column's verdict, as the local run prints it and the Colab notebook shows it: how many
clauses hold, chapter by chapter; each clause that does not hold there, with what the course must
change; and each erratum whose printed code fails there, with the corrected code and whether the
spec proved it there."""

from __future__ import annotations

from spec.harness.tables import markdown_table, versions_label
from spec.report import views
from spec.report.model import Conformance

# The outcomes of a clause that does not hold (an unexpected pass holds: the gate reports it).
NOT_HELD = ("xfail", "skip", "fail", "error")


def _indented(code: str) -> list[str]:
    return ["", "  ```python", *(f"  {line}" for line in code.strip().splitlines()), "  ```"]


def render(conf: Conformance, name: str) -> str:
    """Column `name`'s verdict, in Markdown that also reads as plain text."""
    column = conf.column(name)
    ran = [cid for cid in conf.clauses if conf.cell(cid, name)]
    outcomes = [conf.outcome(cid, name) for cid in ran]
    versions = ", ".join(f"{k} {v}" for k, v in column.versions.items() if v) or "versions unknown"
    lines = [
        f"## {name}: {outcomes.count('pass')} of {len(ran)} clauses hold",
        "",
        f"{versions}. {views.implementations([column.impl])}",
        "",
        "; ".join(
            f"{views.SYMBOLS[o]} {views.MEANINGS[o]}: {outcomes.count(o)}"
            for o in views.SYMBOLS
            if o and outcomes.count(o)
        )
        + f"; {views.SYMBOLS[None]} not run: {len(conf.clauses) - len(ran)}",
        "",
    ]
    rows = []
    for chapter, ids in conf.chapters():
        here = [cid for cid in ids if cid in ran]
        if here:
            rows.append([chapter, conf.slide_range(here), f"{conf.holds(here, name)}/{len(here)}"])
    lines += markdown_table(["chapter", "slides", "clauses that hold"], rows)
    lines += ["", f"### What does not hold on {versions_label(column.versions)}", ""]
    lines += [
        f"- {views.SYMBOLS[conf.outcome(cid, name)]} `{cid}` (slide {conf.clauses[cid].slide}): "
        + " ".join(views.why(conf, cid, name).split())
        for cid in ran
        if conf.outcome(cid, name) in NOT_HELD
    ] or ["Every clause that ran holds."]
    errata = [c for c in conf.clauses.values() if c.level == "erratum" and c.id in ran]
    applying = [c for c in errata if conf.outcome(c.id, name) == "pass"]
    if applying:
        lines += ["", "### Errata: the slide's code fails here as printed; use the corrected code"]
    for clause in sorted(applying, key=lambda c: (c.slide, c.id)):
        proof = conf.outcome(clause.fixed_by, name)
        proven = (
            f"proven here by `{clause.fixed_by}`"
            if proof == "pass"
            else f"not proven here: `{clause.fixed_by}` {views.MEANINGS[proof]}"
        )
        what = clause.checks or clause.quote
        lines += ["", f"- `{clause.id}` (slide {clause.slide}): {what}. Corrected, {proven}:"]
        lines += _indented(clause.fix)
    return "\n".join(lines) + "\n"

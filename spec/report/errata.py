"""reports/errata.md, read from the course maintainer's side: for each erratum clause, the slide,
the code as printed, whether that code works in each environment and, where it does not, what a
student running it sees (environments where it does the same share a row); then the corrected code
with the environments where its proving clause passed.

Whether the printed code works is measured, not taken from the clause's words: the exception the
test saw the printed code raise (or the value it returned instead), whatever the clause's outcome;
lacking that, the clause's outcome (it passes only where the printed code fails as it says). Whether
it fails exactly as the erratum words it (the exception's class, say) is a detail beside that."""

from __future__ import annotations

from spec.harness.registry import Clause
from spec.harness.tables import cell, markdown_table, versions_label
from spec.report import views
from spec.report.model import Cell, Conformance

# The printed code in one environment: what the sheet calls it.
SYMBOLS = {"fails": "❌", "works": "✅", "skip": "➖", "unknown": "❓", None: "·"}
VERDICTS = {
    "fails": "does not work as printed",
    "works": "works as printed",
    "skip": "not applicable",
    "unknown": "not measured",
    None: "not run",
}
# How closely the clause's own words hold there (its outcome), as a detail.
WORDING = {
    "pass": "✅ as the erratum says",
    "xfail": "⛔ otherwise, as declared in spec/expectations.toml",
    "skip": "➖ not applicable (declared skip)",
    "fail": "❌ otherwise, unexpectedly",
    "xpass": "❗ as the erratum says, though declared otherwise",
    "error": "💥 error",
    None: "·",
}
GIST = 200


def _gist(text: str) -> str:
    text = cell(text)
    return text if len(text) <= GIST else text[: GIST - 1] + "…"


def as_printed(found: Cell | None) -> tuple[str | None, str]:
    """Whether the printed code works in one environment (a key of VERDICTS) and what a student
    sees: the exception it raised, what it returned, or what the test saw."""
    if found is None:
        return None, "—"
    seen = [o for r in found.results for o in r.observed]
    raised = next((o for o in seen if o.raised), None)
    if raised:
        return "fails", f"`{raised.raised}`: {_gist(raised.message)}"
    returned = next((o for o in seen if o.returned), None)
    if returned:
        return "works", f"no error; it returns {_gist(returned.returned)}"
    if found.outcome == "skip":
        return "skip", _gist(found.message)
    if found.outcome in ("pass", "xpass"):
        notes = "; ".join(dict.fromkeys(o.text for o in seen))
        return "fails", _gist(notes) or "as the erratum says"
    return "unknown", f"the test's outcome, {found.outcome}: {_gist(found.message) or '—'}"


def _verdict(key: str | None) -> str:
    return f"{SYMBOLS[key]} {VERDICTS[key]}"


def _behaviours(conf: Conformance, clause: Clause) -> list[tuple[tuple[str, str, str], list[str]]]:
    """((verdict, what a student sees, wording), columns), one entry per distinct triple."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for c in conf.columns:
        verdict, sees = as_printed(conf.cell(clause.id, c.name))
        key = (_verdict(verdict), sees, WORDING[conf.outcome(clause.id, c.name)])
        grouped.setdefault(key, []).append(c.name)
    return list(grouped.items())


def _environments(conf: Conformance, names: list[str]) -> str:
    if len(names) > 1 and len(names) == len(conf.columns):
        return f"all {len(names)}"
    return ", ".join(names)


def _fenced(code: str) -> list[str]:
    return ["```python", code.strip(), "```"]


def _at_a_glance(conf: Conformance, errata: list[Clause]) -> list[str]:
    rows = [
        [
            str(e.slide),
            f"`{e.id}`",
            *(SYMBOLS[as_printed(conf.cell(e.id, c.name))[0]] for c in conf.columns),
        ]
        for e in errata
    ]
    return markdown_table(["slide", "erratum", *(c.name for c in conf.columns)], rows)


def _erratum(conf: Conformance, clause: Clause) -> list[str]:
    lines = ["", f"## Slide {clause.slide}: `{clause.id}`", "", "As printed:", ""]
    lines += _fenced(clause.quote)
    lines += ["", f"The erratum: {cell(clause.checks)}", ""]
    lines += markdown_table(
        ["environments", "as printed", "what a student sees", "the erratum's words"],
        [
            [_environments(conf, names), verdict, sees, wording]
            for (verdict, sees, wording), names in _behaviours(conf, clause)
        ],
    )
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
    return lines


INTRO = (
    "For each: the slide, the code as printed, whether it works in each environment and, where "
    "it does not, what a student running it sees (measured: the exception it raised, or what the "
    "test saw); whether it fails exactly as the erratum words it; and the corrected code with the "
    "environments where the spec proved it."
)


def render(conf: Conformance) -> str:
    errata = sorted(
        (c for c in conf.clauses.values() if c.level == "erratum"), key=lambda c: (c.slide, c.id)
    )
    lines = [
        "# Errata: course code that does not work as printed on TensorFlow 2.x",
        "",
        f"{len(errata)} errata. {INTRO} {views.implementations(conf.impls)}",
        "",
        "; ".join(_verdict(key) for key in VERDICTS) + ".",
        "",
        *markdown_table(
            ["environment", "versions"],
            [[c.name, versions_label(c.versions)] for c in conf.columns],
        ),
        "",
        "## At a glance",
        "",
        *_at_a_glance(conf, errata),
    ]
    for clause in errata:
        lines += _erratum(conf, clause)
    return "\n".join(lines) + "\n"

"""reports/safety.md: loading a model file someone else made. For each advisory of the SAFETY
chapter, whether the load is safe in each environment, what happened there, and the lowest Keras 3
at which it is safe as the Keras sweep measured it."""

from __future__ import annotations

import itertools

from packaging.version import Version

from spec import sweep
from spec.harness.tables import cell, markdown_table, versions_label
from spec.report import views
from spec.report.model import Cell, Conformance

CHAPTER = "SAFETY."
SYMBOLS = {"safe": "✅", "unsafe": "❌", "skip": "➖", "unknown": "❓", None: "·"}
MEANINGS = {
    "safe": "safe: the payload did not run (the load was refused, failed, or ignored it)",
    "unsafe": "unsafe: the payload ran",
    "skip": "not applicable",
    "unknown": "the test failed another way",
    None: "not run",
}
PAYLOAD_RAN = "payload ran"
INTRO = (
    "For each published advisory about loading a Keras or TensorFlow model file, the SAFETY "
    "chapter crafts the file at test time and loads it as the advisory says, in a fresh "
    "interpreter (a payload only writes a marker in the test's temporary folder). Per "
    "environment: whether the load is safe and what happened; and the lowest Keras 3 from which "
    "it is safe, as the Keras sweep measured it on TF 2.16.2 and Python 3.11 "
    "(spec/sweep/keras3.json, `tox -m sweep`)."
)


def advisory(checks: str) -> str:
    """The advisory a SAFETY clause checks, with its stated versions: the head of its text."""
    head, found, _ = checks.partition("): ")
    return cell(head + ")" if found else checks.split(":", 1)[0])


def verdict(found: Cell | None) -> tuple[str | None, str]:
    """Whether loading the crafted file was safe in one environment (a key of SYMBOLS), and what
    the test saw there."""
    if found is None:
        return None, "—"
    if found.outcome == "skip":
        return "skip", cell(found.message)
    seen = "; ".join(dict.fromkeys(o.text for r in found.results for o in r.observed))
    if found.outcome in ("pass", "xpass"):
        return "safe", cell(seen or found.message)
    if found.outcome in ("fail", "xfail") and PAYLOAD_RAN in found.message:
        return "unsafe", cell(found.message.rsplit(": ", 1)[-1])
    return "unknown", cell(found.message)


def safe_from(entry: dict | None) -> str:
    """The lowest Keras 3 from which the sweep saw the load safe on every later release, and any
    earlier stretch of safe releases."""
    if not entry or not entry["outcomes"]:
        return "not swept"
    swept = sorted(entry["outcomes"], key=Version)
    safe = ((v, entry["outcomes"][v].startswith("pass")) for v in swept)
    stretches = [[v for v, _ in run] for ok, run in itertools.groupby(safe, lambda p: p[1]) if ok]

    def span(versions: list[str]) -> str:
        return versions[0] if len(versions) == 1 else f"{versions[0]}–{versions[-1]}"

    if not stretches:
        return "never"
    if stretches[-1][-1] != swept[-1]:
        return f"not yet (safe in {', '.join(map(span, stretches))})"
    first = "every Keras 3 swept" if stretches[-1][0] == swept[0] else stretches[-1][0]
    earlier = ", ".join(map(span, stretches[:-1]))
    return first + (f" (also {earlier})" if earlier else "")


def render(conf: Conformance, data: dict | None = None) -> str:
    data = sweep.load() if data is None else data
    clauses = [c for cid, c in sorted(conf.clauses.items()) if cid.startswith(CHAPTER)]
    columns = [c.name for c in conf.columns]
    legend = " · ".join(f"{SYMBOLS[key]} {meaning}" for key, meaning in MEANINGS.items())
    rows = [
        [
            f"`{c.id}`",
            advisory(c.checks),
            safe_from(data["clauses"].get(c.id)),
            *(SYMBOLS[verdict(conf.cell(c.id, name))[0]] for name in columns),
        ]
        for c in clauses
    ]
    lines = [
        "# Loading a model file someone else made",
        "",
        f"{INTRO} {views.implementations(conf.impls)}",
        "",
        legend + ".",
        "",
        *markdown_table(
            ["environment", "versions"],
            [[c.name, versions_label(c.versions)] for c in conf.columns],
        ),
        "",
        *markdown_table(["clause", "advisory", "safe from Keras 3 (sweep)", *columns], rows),
    ]
    for c in clauses:
        groups: dict[tuple[str | None, str], list[str]] = {}
        for name in columns:
            groups.setdefault(verdict(conf.cell(c.id, name)), []).append(name)
        lines += ["", f"## `{c.id}`", "", cell(c.checks), ""]
        lines += markdown_table(
            ["environments", "safe", "what the test saw"],
            [[", ".join(names), SYMBOLS[key], text] for (key, text), names in groups.items()],
        )
    return "\n".join(lines) + "\n"

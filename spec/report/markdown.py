"""reports/conformance.md: a summary row per chapter, what changed between versions, then the
clauses by chapter in slide order, one column per environment headed by its TensorFlow and Keras
versions."""

from __future__ import annotations

from spec.harness import registry
from spec.harness.registry import Clause
from spec.harness.tables import cell, column_header, markdown_table, versions_label
from spec.report import views
from spec.report.model import Conformance

LEGEND = " · ".join(f"{views.SYMBOLS[o]} {meaning}" for o, meaning in views.MEANINGS.items())


def _says(clause: Clause) -> str:
    checks = f"<br>→ {cell(clause.checks)}" if clause.checks else ""
    return f"`{cell(clause.quote)}`{checks}"


def _what_changes_next(conf: Conformance) -> list[str]:
    """For a nightly column: how it differs from the newest release line, and which Keras-qualified
    expectations its Keras falls inside."""
    lines = []
    for nightly, newest in conf.prerelease_columns():
        keras = nightly.versions.get("keras")
        lines += [
            "",
            f"## What changes next: {nightly.name} against {newest.name if newest else '—'}",
        ]
        lines += ["", f"{nightly.name} runs {versions_label(nightly.versions)}, pre-releases. "]
        if newest is not None:
            changes = conf.changes(newest.name, nightly.name)
            lines += [
                f"- `{cid}`: {views.SYMBOLS[was]} → {views.SYMBOLS[now]}"
                + (f". {cell(message)}" if message else "")
                for cid, was, now, message in changes
            ] or ["Every clause has the same verdict as on the newest release line."]
        covered = registry.keras_prerelease_coverage(keras) if keras else []
        if covered:
            lines += [
                "",
                f"The Keras-qualified expectations and Keras {keras}: a pre-release is matched as "
                "the version it is (a 3.16.0.dev sorts below 3.16.0), so a range open above, or "
                "bounded by the coming release, covers it.",
                "",
                *markdown_table(
                    ["clause", "keras", "outcome", f"covers {keras}"],
                    [
                        [f"`{e.clause}`", f"`{e.keras}`", e.outcome, "yes" if inside else "no"]
                        for e, inside in covered
                    ],
                ),
            ]
    return lines


def move(conf: Conformance, old: str, new: str) -> list[str]:
    """What changes for the course if it moves from column `old` to column `new`: each clause
    whose verdict differs, with why (the declared reason where there is one, else the message)."""
    was, now = conf.column(old), conf.column(new)
    lines = [
        f"## What changes if you move from {old} to {new}",
        "",
        f"From {versions_label(was.versions)} to {versions_label(now.versions)}: the clauses whose "
        "verdict differs, and what the course must change.",
        "",
    ]
    for cid, before, after, _ in conf.changes(old, new):
        clause = conf.clauses[cid]
        why = views.why(conf, cid, new)
        lines.append(
            f"- `{cid}` (slide {clause.slide}): {views.SYMBOLS[before]} → {views.SYMBOLS[after]}"
            + (f". {cell(why)}" if why else "")
        )
    if len(lines) == 5:
        lines.append("Every clause has the same verdict in both.")
    return lines


def render(conf: Conformance, moves: list[tuple[str, str]] = ()) -> str:
    names = [c.name for c in conf.columns]
    headers = [column_header(c.name, c.versions) for c in conf.columns]
    lines = [
        "# Which course claims hold on which TensorFlow",
        "",
        f"{len(conf.clauses)} clauses × {len(names)} environments; suite commit "
        f"{', '.join(f'`{c[:12]}`' for c in conf.suite_commits) or 'none'}. "
        + views.implementations(conf.impls),
        "",
        LEGEND,
        "",
        "## Summary: clauses that hold / clauses",
        "",
    ]
    chapters = conf.chapters()
    summary = [
        [chapter] + [f"{conf.holds(ids, name)}/{len(ids)}" for name in names]
        for chapter, ids in chapters
    ]
    lines += markdown_table(["chapter", *headers], summary)
    lines += ["", "## What changed between versions", ""]
    lines += [
        f"- `{cid}`: "
        + "; ".join(f"{views.SYMBOLS[o]} {', '.join(in_envs)}" for o, in_envs in by_outcome)
        + (f". {cell(message)}" if message else "")
        for cid, by_outcome, message in conf.differences()
    ] or ["Every clause has the same verdict in every environment."]
    for chapter, ids in chapters:
        lines += ["", f"## {chapter} ({conf.slide_range(ids)})", ""]
        rows = [
            [str(conf.clauses[cid].slide), f"`{cid}`", conf.clauses[cid].level]
            + [_says(conf.clauses[cid])]
            + [views.SYMBOLS[conf.outcome(cid, name)] for name in names]
            for cid in ids
        ]
        lines += markdown_table(
            ["slide", "clause", "level", "the course says → the spec checks", *headers], rows
        )
    for old, new in moves:
        lines += ["", *move(conf, old, new)]
    lines += _what_changes_next(conf)
    errors = [(c.name, e) for c in conf.columns for e in c.errors]
    if errors:
        lines += ["", "## Environments that did not run cleanly", ""]
        lines += [f"- **{name}**, {e.where}: {cell(e.message)}" for name, e in errors]
    return "\n".join(lines) + "\n"

"""reports/conformance.md: a summary row per chapter, what changed between versions, then the
clauses by chapter in slide order, one column per environment headed by its TensorFlow and Keras
versions."""

from __future__ import annotations

from spec.report import views

LEGEND = " · ".join(f"{views.SYMBOLS[o]} {meaning}" for o, meaning in views.MEANINGS.items())


def column_header(env: str, versions: dict) -> str:
    return (
        f"{env}<br>TF {versions.get('tensorflow') or '?'}<br>Keras {versions.get('keras') or '?'}"
    )


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _says(clause: dict) -> str:
    checks = f"<br>→ {_cell(clause['checks'])}" if clause.get("checks") else ""
    return f"`{_cell(clause['quote'])}`{checks}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render(conf: dict) -> str:
    envs = list(conf["envs"])
    headers = [column_header(env, conf["envs"][env]) for env in envs]
    clauses = conf["clauses"]
    commits = sorted({run["suite_commit"] for run in conf["runs"].values()})
    lines = [
        "# Which course claims hold on which TensorFlow",
        "",
        f"{len(clauses)} clauses × {len(envs)} environments; suite commit "
        f"{', '.join(f'`{c[:12]}`' for c in commits) or 'none'}.",
        "",
        LEGEND,
        "",
        "## Summary: clauses that hold / clauses",
        "",
    ]
    chapters = views.chapters(conf)
    summary = [
        [chapter] + [f"{views.holds(conf, ids, env)}/{len(ids)}" for env in envs]
        for chapter, ids in chapters
    ]
    lines += _table(["chapter", *headers], summary)
    lines += ["", "## What changed between versions", ""]
    differences = views.differences(conf)
    lines += [
        f"- `{cid}`: "
        + "; ".join(f"{views.SYMBOLS[o]} {', '.join(in_envs)}" for o, in_envs in by_outcome)
        + (f". {_cell(message)}" if message else "")
        for cid, by_outcome, message in differences
    ] or ["Every clause has the same verdict in every environment."]
    for chapter, ids in chapters:
        lines += ["", f"## {chapter} ({views.slide_range(conf, ids)})", ""]
        rows = [
            [str(clauses[cid]["slide"]), f"`{cid}`", clauses[cid]["level"], _says(clauses[cid])]
            + [views.SYMBOLS[conf["matrix"][cid].get(env)] for env in envs]
            for cid in ids
        ]
        lines += _table(
            ["slide", "clause", "level", "the course says → the spec checks", *headers], rows
        )
    errors = [(env, e) for env, run in conf["runs"].items() for e in run["errors"]]
    if errors:
        lines += ["", "## Environments that did not run cleanly", ""]
        lines += [f"- **{env}**, {e['where']}: {_cell(e['message'])}" for env, e in errors]
    return "\n".join(lines) + "\n"

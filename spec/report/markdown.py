"""reports/conformance.md: clauses grouped by chapter and slide, one column per environment headed
by its TensorFlow and Keras versions, and a summary row per chapter."""

from __future__ import annotations

from itertools import groupby

SYMBOLS = {
    "pass": "✅",
    "xfail": "⛔",
    "skip": "➖",
    "fail": "❌",
    "xpass": "❗",
    "error": "💥",
    None: "·",
}
LEGEND = (
    "✅ holds · ⛔ does not hold, as declared in spec/expectations.toml · ➖ not applicable "
    "(declared skip) · ❌ fails, unexpectedly · ❗ holds, though declared not to · 💥 error · "
    "· not run"
)


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
    chapters = [
        (chapter, list(ids))
        for chapter, ids in groupby(clauses, key=lambda cid: cid.split(".", 1)[0])
    ]
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
    summary = []
    for chapter, ids in chapters:
        summary.append(
            [chapter]
            + [
                f"{sum(conf['matrix'][cid].get(env) == 'pass' for cid in ids)}/{len(ids)}"
                for env in envs
            ]
        )
    lines += _table(["chapter", *headers], summary)
    for chapter, ids in chapters:
        slides = sorted({clauses[cid]["slide"] for cid in ids})
        lines += ["", f"## {chapter} (slides {slides[0]}–{slides[-1]})", ""]
        rows = [
            [str(clauses[cid]["slide"]), f"`{cid}`", clauses[cid]["level"], _says(clauses[cid])]
            + [SYMBOLS[conf["matrix"][cid].get(env)] for env in envs]
            for cid in sorted(ids, key=lambda cid: clauses[cid]["slide"])
        ]
        lines += _table(
            ["slide", "clause", "level", "the course says → the spec checks", *headers], rows
        )
    errors = [(env, e) for env, run in conf["runs"].items() for e in run["errors"]]
    if errors:
        lines += ["", "## Environments that did not run cleanly", ""]
        lines += [f"- **{env}**, {e['where']}: {_cell(e['message'])}" for env, e in errors]
    return "\n".join(lines) + "\n"

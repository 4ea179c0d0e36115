"""reports/errata.md: for each erratum clause, the slide, the code as printed, what it does in each
environment (environments where it does the same thing share a row), and the corrected code with
the environments where its proving clause passed."""

from __future__ import annotations

from spec.report import views


def _fenced(code: str) -> list[str]:
    return ["```python", code.strip(), "```"]


def _what_happens(conf: dict, cid: str, env: str) -> str:
    detail = conf.get("details", {}).get(cid, {}).get(env, {})
    message = " ".join(detail.get("message", "").split()).replace("|", "\\|")
    return message.removeprefix("observed: ") or "—"


def _behaviours(conf: dict, cid: str) -> list[tuple[str | None, str, list[str]]]:
    """(outcome, what happens, environments), one entry per distinct pair, in environment order."""
    row, grouped = conf["matrix"].get(cid, {}), {}
    for env in conf["envs"]:
        grouped.setdefault((row.get(env), _what_happens(conf, cid, env)), []).append(env)
    return [(outcome, text, envs) for (outcome, text), envs in grouped.items()]


def _environments(conf: dict, envs: list[str]) -> str:
    if len(envs) > 1 and len(envs) == len(conf["envs"]):
        return f"all {len(envs)}"
    return ", ".join(envs)


def render(conf: dict) -> str:
    errata = [cid for cid, c in conf["clauses"].items() if c["level"] == "erratum"]
    lines = [
        "# Errata: course code that does not work as printed on TensorFlow 2.x",
        "",
        f"{len(errata)} errata. For each: the slide, the code as printed, what it does in each "
        "environment, and the corrected code with the environments where the spec proved it.",
        "",
        "| environment | versions |",
        "|---|---|",
        *(f"| {env} | {views.versions_label(v)} |" for env, v in conf["envs"].items()),
    ]
    for cid in sorted(errata, key=lambda cid: (conf["clauses"][cid]["slide"], cid)):
        clause = conf["clauses"][cid]
        lines += ["", f"## Slide {clause['slide']}: `{cid}`", "", "As printed:", ""]
        lines += _fenced(clause["quote"])
        lines += [
            "",
            "What it does:",
            "",
            "| environments | verdict | what happens |",
            "|---|---|---|",
        ]
        lines += [
            f"| {_environments(conf, envs)} | {views.SYMBOLS[outcome]} {views.MEANINGS[outcome]} "
            f"| {text} |"
            for outcome, text, envs in _behaviours(conf, cid)
        ]
        proof = conf["matrix"].get(clause["fixed_by"], {})
        proven = [env for env in conf["envs"] if proof.get(env) == "pass"]
        unproven = [env for env in conf["envs"] if proof.get(env) != "pass"]
        lines += ["", "Corrected:", "", *_fenced(clause["fix"])]
        lines += [
            "",
            f"Proven by `{clause['fixed_by']}` on: {', '.join(proven) or 'no environment'}"
            + (f"; not proven on: {', '.join(unproven)}" if unproven else "")
            + ".",
        ]
    return "\n".join(lines) + "\n"

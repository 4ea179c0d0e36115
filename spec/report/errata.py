"""reports/errata.md: for each erratum clause, the slide, the code as printed, what it does in each
environment, and the corrected code with the environments where its proving clause passed."""

from __future__ import annotations

from spec.report import views


def _fenced(code: str) -> list[str]:
    return ["```python", code.strip(), "```"]


def _what_happens(conf: dict, cid: str, env: str) -> str:
    detail = conf.get("details", {}).get(cid, {}).get(env, {})
    message = " ".join(detail.get("message", "").split()).replace("|", "\\|")
    return message.removeprefix("observed: ") or "—"


def render(conf: dict) -> str:
    errata = [cid for cid, c in conf["clauses"].items() if c["level"] == "erratum"]
    lines = [
        "# Errata: course code that does not work as printed on TensorFlow 2.x",
        "",
        f"{len(errata)} errata. For each: the slide, the code as printed, what it does in each "
        "environment, and the corrected code with the environments where the spec proved it.",
    ]
    for cid in sorted(errata, key=lambda cid: (conf["clauses"][cid]["slide"], cid)):
        clause = conf["clauses"][cid]
        row = conf["matrix"].get(cid, {})
        lines += ["", f"## Slide {clause['slide']}: `{cid}`", "", "As printed:", ""]
        lines += _fenced(clause["quote"])
        lines += [
            "",
            "What it does:",
            "",
            "| environment | versions | verdict | what happens |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {env} | {views.versions_label(versions)} | {views.SYMBOLS[row.get(env)]} "
            f"{views.MEANINGS[row.get(env)]} | {_what_happens(conf, cid, env)} |"
            for env, versions in conf["envs"].items()
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

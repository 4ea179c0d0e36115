"""What every report shows, computed once from conformance.json: the chapters and their clauses in
slide order, the per-chapter summary, and the clauses whose verdict differs between environments."""

from __future__ import annotations

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


def chapters(conf: dict) -> list[tuple[str, list[str]]]:
    """(chapter, its clause IDs in slide order), each chapter once, in the order in which the
    registry first names them."""
    clauses = conf["clauses"]
    grouped: dict[str, list[str]] = {}
    for cid in clauses:
        grouped.setdefault(cid.split(".", 1)[0], []).append(cid)
    return [
        (chapter, sorted(ids, key=lambda cid: clauses[cid]["slide"]))
        for chapter, ids in grouped.items()
    ]


def slide_range(conf: dict, ids: list[str]) -> str:
    """'slide 13' or 'slides 17–25': the slides that clauses `ids` cite."""
    slides = [conf["clauses"][cid]["slide"] for cid in ids]
    low, high = min(slides), max(slides)
    return f"slide {low}" if low == high else f"slides {low}–{high}"


def holds(conf: dict, ids: list[str], env: str) -> int:
    return sum(conf["matrix"][cid].get(env) == "pass" for cid in ids)


def versions_label(versions: dict) -> str:
    return f"TF {versions.get('tensorflow') or '?'}, Keras {versions.get('keras') or '?'}"


def differences(conf: dict) -> list[tuple[str, list[tuple[str | None, list[str]]], str]]:
    """Each clause whose outcome is not the same in every environment: the environments by
    outcome, and the message of the first environment where it does not hold."""
    out = []
    for cid, row in conf["matrix"].items():
        by_outcome: dict[str | None, list[str]] = {}
        for env in conf["envs"]:
            by_outcome.setdefault(row.get(env), []).append(env)
        if len(by_outcome) < 2:
            continue
        first_other = next(env for env in conf["envs"] if row.get(env) != "pass")
        message = conf.get("details", {}).get(cid, {}).get(first_other, {}).get("message", "")
        out.append((cid, list(by_outcome.items()), message))
    return out

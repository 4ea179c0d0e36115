"""How every view names an outcome: its symbol and its meaning."""

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


def implementations(impls: list[str]) -> str:
    """The sentence naming whose code the report judges."""
    named = ", ".join(f"`{i}`" for i in impls) or "none"
    return f"Implementation{'s' if len(impls) > 1 else ''} under test: {named}."

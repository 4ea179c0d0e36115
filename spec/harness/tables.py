"""What the conformance and benchmark reports share: the order of versions, a column's header,
and the Markdown table."""

from __future__ import annotations

from packaging.version import InvalidVersion, Version


def release(text: str | None) -> Version:
    """A version string as an ordering key; a missing or unreadable one sorts first."""
    try:
        return Version(text or "0")
    except InvalidVersion:
        return Version("0")


def versions_label(versions: dict, sep: str = ", ") -> str:
    """'TF 2.21.0, Keras 3.15.1' (with `sep` between the two)."""
    return f"TF {versions.get('tensorflow') or '?'}{sep}Keras {versions.get('keras') or '?'}"


def column_header(name: str, versions: dict) -> str:
    """A Markdown column head: the environment, then its TensorFlow and Keras, one per line."""
    return f"{name}<br>{versions_label(versions, '<br>')}"


def cell(text: str) -> str:
    """`text` on one line, safe inside a Markdown table cell."""
    return " ".join(text.replace("|", "\\|").split())


def markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]

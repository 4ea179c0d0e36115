"""Follow Colab: rewrite the pins of tox.ini's [colab] section from a Colab `pip freeze` file.

    python -m spec.colab_pins pip-freeze.txt [--tox-ini tox.ini] [--date YYYY-MM-DD]

Only the packages already pinned in [colab] `deps` change, each to the version the freeze lists;
`--date` sets the section's `date`. It prints what changed, and exits 1 with the reason when the
file is not a pip freeze or lacks a pinned package. Colab publishes its freeze in the public
repository googlecolab/backend-info (pip-freeze.txt).
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from pathlib import Path

SECTION = "colab"
# `name==version`, the line pip freeze writes for a package installed from an index.
PINNED = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)$")
# The other lines pip freeze writes: `name @ url` (a direct reference) and `-e ...` (editable).
DIRECT = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*@\s*\S+$")


class PinsError(Exception):
    """The freeze file or tox.ini cannot give the [colab] pins."""


def canonical(name: str) -> str:
    """A distribution name as PEP 503 compares them: ml_dtypes, ML-Dtypes and ml.dtypes are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_freeze(text: str, source: str = "the freeze") -> dict[str, str | None]:
    """Each distribution of a `pip freeze` output and its version (None for a direct reference)."""
    packages: dict[str, str | None] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("-e "):
            continue
        if match := PINNED.match(line):
            packages[canonical(match["name"])] = match["version"]
        elif match := DIRECT.match(line):
            packages[canonical(match["name"])] = None
        else:
            raise PinsError(
                f"{source} is not in pip-freeze format: line {number} is {raw!r}, not "
                "'name==version' or 'name @ url'"
            )
    if not any(packages.values()):
        raise PinsError(f"{source} is not in pip-freeze format: it has no 'name==version' line")
    return packages


def _section(lines: list[str]) -> tuple[int, int]:
    """The line range of [colab]'s body: from its header to the next section."""
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == f"[{SECTION}]") + 1
    except StopIteration:
        raise PinsError(f"tox.ini has no [{SECTION}] section") from None
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("[")), len(lines))
    return start, end


def _pin_lines(lines: list[str], start: int, end: int) -> list[int]:
    """The indices of the continuation lines of [colab]'s `deps =` key."""
    try:
        key = next(i for i in range(start, end) if re.match(r"deps\s*=\s*$", lines[i]))
    except StopIteration:
        raise PinsError(f"tox.ini's [{SECTION}] has no multi-line 'deps =' key") from None
    pins = []
    for i in range(key + 1, end):
        if not lines[i][:1].isspace() or not lines[i].strip():
            break
        if not PINNED.match(lines[i].strip()):
            raise PinsError(
                f"tox.ini's [{SECTION}] deps line {lines[i].strip()!r} is not name==version"
            )
        pins.append(i)
    if not pins:
        raise PinsError(f"tox.ini's [{SECTION}] deps pins nothing")
    return pins


def update(
    ini: str, freeze: dict[str, str | None], date: str | None = None
) -> tuple[str, list[str]]:
    """tox.ini's text with [colab]'s pins (and `date`) from the freeze, and one line per change."""
    lines = ini.splitlines(keepends=True)
    start, end = _section(lines)
    changes: list[str] = []
    missing: list[str] = []
    for i in _pin_lines(lines, start, end):
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        match = PINNED.match(lines[i].strip())
        name, old = match["name"], match["version"]
        if canonical(name) not in freeze:
            missing.append(name)
            continue
        new = freeze[canonical(name)]
        if new is None:
            raise PinsError(f"the freeze installs {name} from a direct reference, not a version")
        if new != old:
            lines[i] = f"{indent}{name}=={new}\n"
            changes.append(f"{name}: {old} -> {new}")
    if missing:
        raise PinsError(f"the freeze lacks pinned package(s): {', '.join(missing)}")
    if date is not None:
        for i in range(start, end):
            if match := re.match(r"date\s*=\s*(\S+)\s*$", lines[i]):
                if match[1] != date:
                    lines[i] = f"date = {date}\n"
                    changes.append(f"date: {match[1]} -> {date}")
                break
        else:
            raise PinsError(f"tox.ini's [{SECTION}] has no 'date =' key")
    return "".join(lines), changes


def _iso_date(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m spec.colab_pins",
        description="Rewrite tox.ini's [colab] pins from a Colab `pip freeze` file.",
    )
    parser.add_argument(
        "freeze", type=Path, help="a Colab pip freeze (backend-info pip-freeze.txt)"
    )
    parser.add_argument("--tox-ini", type=Path, default=Path("tox.ini"), help="default: tox.ini")
    parser.add_argument("--date", type=_iso_date, help="the freeze's date, YYYY-MM-DD")
    args = parser.parse_args(argv)
    try:
        freeze = read_freeze(args.freeze.read_text(encoding="utf-8"), str(args.freeze))
        ini = args.tox_ini.read_text(encoding="utf-8")
        text, changes = update(ini, freeze, args.date)
    except (OSError, UnicodeDecodeError, PinsError) as error:
        print(f"colab_pins: {error}", file=sys.stderr)
        return 1
    if changes:
        args.tox_ini.write_text(text, encoding="utf-8")
        print(f"{args.tox_ini} [{SECTION}]:", *changes, sep="\n    ")
    else:
        print(f"{args.tox_ini} [{SECTION}]: the pins already match {args.freeze}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

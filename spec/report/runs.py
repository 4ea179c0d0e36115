"""The result records of one or more runs (reports/runs/*.json, and records gathered elsewhere:
a CI job's artifact, a run downloaded from Colab), in report order, and a stand-in record for an
environment that wrote none."""

from __future__ import annotations

import re
from pathlib import Path

from spec.harness import record
from spec.harness.record import EnvError, Record, RecordError
from spec.harness.tables import release


def _order(rec: Record) -> tuple:
    v = rec.versions
    return (release(v.get("tensorflow")), release(v.get("keras")), rec.env, rec.impl)


def load_runs(*sources: Path) -> list[Record]:
    """Every record in the folders `sources` (a source may also be one record's file, such as a
    run downloaded from Colab), ordered by TensorFlow version, then Keras version. Two records of
    one column are an error: a report shows each column once."""
    found: dict[str, tuple[Path, Record]] = {}
    for source in sources:
        paths = [source] if source.suffix == ".json" else sorted(source.glob("*.json"))
        for path in paths:
            rec = record.load(path)
            name = record.file_name(rec.env, rec.impl).removesuffix(".json")
            if name in found:
                raise RecordError(
                    f"two records of column {name}: {found[name][0]} and {path}; pass one of them"
                )
            found[name] = (path, rec)
    return sorted((rec for _, rec in found.values()), key=_order)


def missing_run(env: str, tox_dir: Path, impl: str = record.DEFAULT_IMPL) -> Record:
    """A stand-in for an environment that wrote no record, carrying the cause that tox logged."""
    return Record(
        env=env,
        versions=record.no_versions(),
        suite_commit="none",
        impl=impl,
        errors=[EnvError("tox", tox_failure(tox_dir / env))],
    )


def tox_failure(env_dir: Path) -> str:
    """The last failed command in a tox environment's logs, with the end of its error output."""
    logs = sorted((env_dir / "log").glob("*-*.log"), key=lambda p: int(p.name.split("-", 1)[0]))
    for log in reversed(logs):
        text = log.read_text(encoding="utf-8", errors="replace")
        code = re.search(r"^exit_code: (-?\d+)$", text, re.MULTILINE)
        if code and code.group(1) != "0":
            cmd = re.search(r"^cmd: (.*)$", text, re.MULTILINE)
            err = text.split("standard error:", 1)[-1].strip().splitlines()[-3:]
            return (
                f"{log.name.split('-', 1)[1].removesuffix('.log')} failed (exit "
                f"{code.group(1)}): {cmd.group(1) if cmd else '?'}: {' / '.join(err)}"
            )
    if not env_dir.exists():
        return "tox never created this environment: is its Python interpreter installed?"
    return "the environment wrote no result record: it did not run its tests, or did not finish"

"""python -m spec.report.grade DIR: grade every student package in DIR on this environment's
TensorFlow, each in its own run of the spec, then write one report per student and a class
summary from their records (reports/grade/ unless --out says otherwise).

    python -m spec.report.grade students/ [--env-name ENV] [--out DIR] [-- PYTEST_ARGS ...]

A student package is a folder of DIR with an __init__.py and the modules of the public API.
Arguments after -- narrow each run (`-- -m impl` grades only the implementation's clauses).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from spec.harness import record
from spec.harness.implementation import CONTRACT_SECTIONS
from spec.harness.tables import cell, markdown_table
from spec.report.model import Conformance
from spec.report.runs import load_runs

ROOT = Path(__file__).resolve().parents[2]


def students(directory: Path) -> list[str]:
    """The packages in `directory`, by name."""
    return sorted(p.name for p in directory.iterdir() if (p / "__init__.py").is_file())


def run_spec(student: str, directory: Path, env: str, out: Path, pytest_args: list[str]) -> int:
    """One run of the spec on `student`, its output in out/logs/<student>.log."""
    python_path = os.pathsep.join(filter(None, [str(directory), os.environ.get("PYTHONPATH")]))
    command = [
        sys.executable,
        *("-m", "pytest", "-o", "testpaths=spec", "-p", "no:cacheprovider", "-q"),
        *("--impl", student, "--env-name", env, "--runs-dir", str(out / "runs")),
        *pytest_args,
    ]
    log = out / "logs" / f"{student}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as sink:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": python_path},
            stdout=sink,
            stderr=subprocess.STDOUT,
            check=False,
        )
    return done.returncode


def student_report(conf: Conformance, name: str, directory: Path) -> str:
    """What one student's package does not do, clause by clause, with the contract's section and
    the command that reproduces each failure."""
    column = conf.column(name)
    graded = [cid for cid in conf.clauses if conf.cell(cid, name)]
    failing = [cid for cid in graded if not conf.cell(cid, name).met]
    versions = ", ".join(f"{k} {v}" for k, v in column.versions.items() if v)
    lines = [
        f"# {column.impl}: {len(graded) - len(failing)} of {len(graded)} clauses hold",
        "",
        f"Graded on {column.env} ({versions}).",
        "",
    ]
    if not failing:
        return "\n".join([*lines, "Every clause graded holds."]) + "\n"
    rows = []
    for cid in failing:
        found, clause = conf.cell(cid, name), conf.clauses[cid]
        section = CONTRACT_SECTIONS.get(clause.chapter)
        rows.append(
            [
                f"`{cid}`",
                str(clause.slide),
                cell(found.message)[:400],
                f"`spec/CONTRACT.md#{section}`" if section else "—",
                f"`PYTHONPATH={directory} {found.reproduction()}`",
            ]
        )
    return (
        "\n".join(
            [
                *lines,
                *markdown_table(["clause", "slide", "what failed", "contract", "reproduce"], rows),
            ]
        )
        + "\n"
    )


def summary(conf: Conformance, names: list[str]) -> str:
    """The class: each student's count and the clauses they fail, then each failing clause's
    students."""
    rows, by_clause = [], {}
    for name in names:
        cells = {cid: conf.cell(cid, name) for cid in conf.clauses if conf.cell(cid, name)}
        failing = [cid for cid, c in cells.items() if not c.met]
        for cid in failing:
            by_clause.setdefault(cid, []).append(conf.column(name).impl)
        rows.append(
            [
                conf.column(name).impl,
                f"{len(cells) - len(failing)}/{len(cells)}",
                ", ".join(f"`{cid}`" for cid in failing) or "—",
            ]
        )
    lines = ["# The class", "", *markdown_table(["student", "clauses that hold", "fails"], rows)]
    if by_clause:
        lines += ["", "## Clauses the class fails", ""]
        lines += markdown_table(
            ["clause", "students"],
            [[f"`{cid}`", ", ".join(who)] for cid, who in sorted(by_clause.items())],
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ours, pytest_args = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    parser = argparse.ArgumentParser(prog="python -m spec.report.grade", description=__doc__)
    parser.add_argument("directory", type=Path, help="the folder of student packages")
    parser.add_argument("--env-name", default=record.env_name(), help="the runs' column")
    parser.add_argument("--out", type=Path, default=Path("reports/grade"))
    args = parser.parse_args(ours)
    directory = args.directory.resolve()
    if not directory.is_dir():
        parser.error(f"{args.directory} is not a folder of student packages")
    names = students(directory)
    if not names:
        parser.error(f"{args.directory} holds no package (a folder with an __init__.py)")
    out = args.out.resolve()
    for name in names:
        code = run_spec(name, directory, args.env_name, out, pytest_args)
        print(f"graded {name}: pytest exit {code} (log: {out / 'logs' / (name + '.log')})")
    records = [r for r in load_runs(out / "runs") if r.impl in names and r.env == args.env_name]
    missing = sorted(set(names) - {r.impl for r in records})
    if missing:
        print(f"error: no record for {', '.join(missing)}: see their logs", file=sys.stderr)
        return 2
    conf = Conformance.of(records)
    for column in conf.columns:
        (out / f"{column.impl}.md").write_text(
            student_report(conf, column.name, directory), encoding="utf-8"
        )
    text = summary(conf, [c.name for c in conf.columns])
    (out / "summary.md").write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""python -m spec.report: turn reports/runs/*.json (or the records that several --runs gather)
into reports/conformance.{json,md,html}, reports/errata.md and reports/safety.md; with --gate,
exit 1 unless every outcome matches its expectation; with --baseline, list what changed since an
earlier conformance.json and exit 1 on a regression."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from spec.harness import record
from spec.harness.record import RecordError
from spec.report import baseline, errata, gate, html, markdown, safety
from spec.report.model import Conformance
from spec.report.runs import load_runs, missing_run


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m spec.report", description=__doc__)
    parser.add_argument(
        "--runs",
        type=Path,
        action="append",
        metavar="DIR_OR_FILE",
        help="a folder of result records, or one record's file (a CI job's artifact, a run "
        "downloaded from Colab); repeatable, to report runs gathered in several places together "
        "(default: reports/runs)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("reports"),
        help="where the reports are written (default: reports)",
    )
    parser.add_argument(
        "--envs",
        type=lambda s: [e for e in s.split(",") if e],
        action="extend",
        help="the environments to report, comma-separated (ENV, or ENV@IMPL for another "
        "implementation's run); repeatable, each adding to the list; one without a record shows "
        "as failed, with the cause from its tox log (default: every record)",
    )
    parser.add_argument(
        "--tox-dir",
        type=Path,
        default=Path(".tox"),
        help="where tox keeps its environments and their logs (default: .tox)",
    )
    parser.add_argument(
        "--move",
        action="append",
        default=[],
        metavar="OLD,NEW",
        type=lambda s: tuple(s.split(",", 1)),
        help="also show what changes for the course if it moves from column OLD to column NEW "
        "(e.g. colab,tf221); repeatable",
    )
    parser.add_argument(
        "--gate",
        action="store_true",
        help="exit 1 unless every outcome matches spec/expectations.toml",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="an earlier conformance.json: list regressions, fixes, additions and "
        "removals, and exit 1 on a regression",
    )
    return parser.parse_args(argv)


def _missing(name: str, tox_dir: Path):
    env, _, impl = name.partition("@")
    return missing_run(env, tox_dir, impl or record.DEFAULT_IMPL)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    sources = args.runs or [Path("reports/runs")]
    try:
        runs = load_runs(*sources)
        before = (
            Conformance.from_json(json.loads(args.baseline.read_text(encoding="utf-8")))
            if args.baseline
            else None
        )
    except (RecordError, OSError, ValueError, KeyError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.envs is not None:
        found = {record.file_name(run.env, run.impl).removesuffix(".json"): run for run in runs}
        runs = [found.get(name) or _missing(name, args.tox_dir) for name in args.envs]
    if not runs:
        print(
            f"error: no result records in {', '.join(map(str, sources))}; run the spec first "
            "(tox -m gate)",
            file=sys.stderr,
        )
        return 2
    conf = Conformance.of(runs)
    names = [c.name for c in conf.columns]
    unknown = [name for pair in args.move for name in pair if name not in names]
    if unknown or any(len(pair) != 2 for pair in args.move):
        print(f"error: --move takes OLD,NEW of the columns {', '.join(names)}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    outputs = {
        "conformance.json": json.dumps(conf.to_json(), indent=1) + "\n",
        "conformance.md": markdown.render(conf, args.move),
        "conformance.html": html.render(conf),
        "errata.md": errata.render(conf),
        "safety.md": safety.render(conf),
    }
    for name, text in outputs.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(
        f"wrote {', '.join(f'{args.out}/{name}' for name in outputs)}: "
        f"{len(conf.clauses)} clauses × {len(runs)} environments"
    )
    status = 0
    if before is not None:
        comparison = baseline.compare(before, conf)
        print(comparison.render())
        status = 1 if comparison.regressed else status
    if args.gate:
        found, met = gate.findings(conf)
        print(gate.render(found, met))
        status = 1 if found else status
    return status


if __name__ == "__main__":
    sys.exit(main())

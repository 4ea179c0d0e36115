"""python -m spec.report: turn reports/runs/*.json into reports/conformance.{json,md}."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from spec.report import markdown
from spec.report.runs import RunError, conformance, load_runs, missing_run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spec.report", description=__doc__)
    parser.add_argument(
        "--runs",
        type=Path,
        default=Path("reports/runs"),
        help="the directory of result records (default: reports/runs)",
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
        help="the environments to report, comma-separated; one without a record "
        "shows as failed, with the cause from its tox log (default: every record)",
    )
    parser.add_argument(
        "--tox-dir",
        type=Path,
        default=Path(".tox"),
        help="where tox keeps its environments and their logs (default: .tox)",
    )
    args = parser.parse_args(argv)
    try:
        runs = load_runs(args.runs)
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.envs is not None:
        found = {run.env: run for run in runs}
        runs = [found.get(env) or missing_run(env, args.tox_dir) for env in args.envs]
    if not runs:
        print(
            f"error: no result records in {args.runs}/; run the spec first (tox -m gate)",
            file=sys.stderr,
        )
        return 2
    conf = conformance(runs)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "conformance.json").write_text(json.dumps(conf, indent=1) + "\n", encoding="utf-8")
    (args.out / "conformance.md").write_text(markdown.render(conf), encoding="utf-8")
    print(
        f"wrote {args.out}/conformance.json and conformance.md: "
        f"{len(conf['clauses'])} clauses × {len(runs)} environments"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

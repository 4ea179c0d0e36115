"""python -m benchmarks.report: reports/benchmarks.md and reports/benchmarks.png from the benchmark
runs in reports/bench/*.json; with --baseline DIR, the regression check (exit status 1 when a case
slowed down beyond the limit that benchmarks/baseline.py states).

    python -m benchmarks.report [--bench DIR] [--out DIR] [--baseline DIR] [--threshold 0.10]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from benchmarks import answer, baseline, measure, plot, verdict
from benchmarks.cases import NAMES, PEERS
from benchmarks.results import ResultsError, Row, Run, load_runs
from spec.harness.tables import column_header, markdown_table

QUIET_SPREAD = measure.RELIABLE_SPREAD


def bf16_note(runs: list[Run]) -> str:
    flags = sorted({f for run in runs for f in run.bf16})
    if flags:
        return f"This CPU has {', '.join(flags)}: the runs measured mixed_bfloat16 on it."
    return "This CPU has no bfloat16 instructions (avx512_bf16, amx_bf16): no run measured them."


def _rate(row: Row | None) -> str:
    if row is None:
        return "—"
    fraction = f"{row.fraction_of_peak:.0%}" if row.fraction_of_peak is not None else "?"
    mark = " *unreliable*" if row.unreliable else ""
    return f"{row.images_per_s:,.0f} ({fraction}, ±{row.spread:.1%}){mark}"


def unreliable(runs: list[Run]) -> list[str]:
    """Every case whose spread stayed over the limit, with the reason."""
    out = [
        f"- {run.env}: {row.label(run.cores)}: {row.unreliable}"
        for run in runs
        for row in run.rows
        if row.unreliable
    ]
    return out or ["- none"]


def accuracies(runs: list[Run]) -> list[str]:
    """The accuracy measurements behind the answer: the recipe, and each training's accuracy."""
    rows = [
        [
            run.env,
            NAMES.get(t.framework, t.framework),
            t.precision,
            str(t.batch),
            f"{t.accuracy:.2%}",
            ", ".join(f"{p}: {a:.2%}" for p, a in t.inference.items()) or "—",
        ]
        for run in runs
        for t in run.trained
    ]
    if not rows:
        return ["No accuracy was measured."]
    header = [
        "environment",
        "framework",
        "precision",
        "batch",
        "test accuracy",
        "its weights run in",
    ]
    return markdown_table(header, rows)


def case_matrix(runs: list[Run], value) -> list[str]:
    """One row per TensorFlow case, one column per run, `value(row)` in each cell."""
    keys: dict[str, Row] = {}
    for run in runs:
        for row in run.rows:
            if row.case.framework == "tensorflow":
                keys.setdefault(row.label(run.cores), row)
    cells = {
        run.env: {
            row.label(run.cores): row for row in run.rows if row.case.framework == "tensorflow"
        }
        for run in runs
    }
    rows = [[label, *(value(cells[run.env].get(label)) for run in runs)] for label in keys]
    return markdown_table(["case", *(column_header(run.env, run.versions()) for run in runs)], rows)


def _fastest(rows: list[Row]) -> Row | None:
    """The fastest reliable row (the fastest of all where none is reliable)."""
    reliable = [r for r in rows if not r.unreliable]
    return max(reliable or rows, key=lambda r: r.images_per_s, default=None)


def _variant(row: Row) -> str:
    return f"XLA {'on' if row.case.xla else 'off'}, {row.case.precision}"


def peers(run: Run) -> list[str]:
    """Each peer's fastest reliable variant (XLA, precision) and its ratio to TensorFlow's, per mode
    and batch, all measured in `run`; no accuracy check here (the answer on top has it)."""
    frameworks = [f for f in PEERS if any(r.case.framework == f for r in run.rows)]
    header = ["mode", "batch", "TensorFlow (fastest reliable variant)"]
    header += [NAMES[f] + " (ratio to TF)" for f in frameworks]
    rows = []
    keys = dict.fromkeys(
        (r.case.device, r.case.mode, r.case.batch) for r in run.rows if r.case.device == "cpu"
    )
    for device, mode, batch in keys:
        same = [
            r
            for r in run.rows
            if (r.case.device, r.case.mode, r.case.batch) == (device, mode, batch)
        ]
        tf = _fastest([r for r in same if r.case.framework == "tensorflow"])
        line = [mode, str(batch), f"{_rate(tf)}, {_variant(tf)}" if tf else "—"]
        for framework in frameworks:
            peer = _fastest([r for r in same if r.case.framework == framework])
            ratio = f" **{peer.images_per_s / tf.images_per_s:.2f}x**" if peer and tf else ""
            line.append(f"{_rate(peer)}, {_variant(peer)}{ratio}" if peer else "—")
        rows.append(line)
    return markdown_table(header, rows)


def peer_first_calls(run: Run) -> list[str]:
    frameworks = list(dict.fromkeys(r.case.framework for r in run.rows))
    keys = dict.fromkeys((r.case.mode, r.case.batch) for r in run.rows)
    rows = []
    for mode, batch in keys:
        line = [mode, str(batch)]
        for framework in frameworks:
            found = [
                r.first_step_s
                for r in run.rows
                if (r.case.framework, r.case.mode, r.case.batch) == (framework, mode, batch)
            ]
            line.append(" / ".join(f"{s:.2f}" for s in found) or "—")
        rows.append(line)
    return markdown_table(["mode", "batch", *(NAMES[f] for f in frameworks)], rows)


def sessions(runs: list[Run]) -> list[str]:
    header = [
        "environment",
        "set",
        "run time",
        "peak GFLOP/s (by)",
        "other processes",
        "stolen",
        "median spread",
        f"reliable cases (within ±{QUIET_SPREAD:.0%})",
        "worker start",
        "request round trip",
    ]
    rows = []
    for run in runs:
        peak = run.session.get("peak", {}).get("cpu", {})
        spreads = sorted(r.spread for r in run.rows)
        starts = run.session.get("worker_start_s", {}).values()
        trips = run.session.get("worker_ipc_s", {}).values()
        quiet = sum(not r.unreliable for r in run.rows)
        rows.append(
            [
                run.env,
                run.set,
                f"{run.session.get('wall_s', 0):.0f} s",
                f"{peak['gflops']:.0f} ({peak['by']})" if peak else "—",
                f"{run.session.get('other_processes', 0):.1%}",
                f"{run.session.get('stolen', 0):.1%}",
                f"{spreads[len(spreads) // 2]:.1%}" if spreads else "—",
                f"{quiet}/{len(spreads)}",
                f"{max(starts):.1f} s max" if starts else "—",
                f"{max(trips) * 1e6:.0f} µs max" if trips else "—",
            ]
        )
    return markdown_table(header, rows)


def skipped(runs: list[Run]) -> list[str]:
    lines = []
    for run in runs:
        for reason, count in Counter(s["reason"] for s in run.skipped).items():
            lines.append(f"- {run.env}: {count} cases: {reason}")
    return lines or ["- none"]


def against_baseline(comparison: baseline.Comparison) -> list[str]:
    lines = [comparison.summary(), ""]
    if comparison.unreliable:
        lines += ["Not compared, unreliable:", ""]
        lines += [f"- {env}: {case}: {reason}" for env, case, reason in comparison.unreliable]
        lines.append("")
    changes = sorted(comparison.changes, key=lambda c: -c.slowdown)
    rows = [
        [
            c.env,
            c.after.id,
            f"{c.before.images_per_s:,.0f}",
            f"{c.after.images_per_s:,.0f}",
            f"{-c.slowdown:+.1%}",
            f"-{c.limit:.0%}",
            "**slower**" if c.regressed else "ok",
        ]
        for c in changes
    ]
    header = ["environment", "case", "baseline images/s", "now", "change", "limit", "verdict"]
    return [*lines, *markdown_table(header, rows)]


def markdown(runs: list[Run], comparison: baseline.Comparison | None) -> str:
    lines_runs = [r for r in runs if r.set == "tensorflow"]
    peer_runs = [r for r in runs if r.set == "peers"]
    some = runs[0]
    flops = {r.case.training: r.flops_per_image for run in runs for r in run.rows}
    out = [
        "# Throughput of the course's CNN",
        "",
        f"`impl.models.cnn()` on {some.machine}, {some.cores} cores. Images per second are a "
        "case's images per call (a batch; an epoch of in-memory data for `fit` and `predict`) "
        "over the median round's time per call; in brackets, the achieved GFLOP/s as a fraction "
        "of this machine's float32 matrix-multiply rate measured in the same session (the peak), "
        "and the spread of the rounds (interquartile range over median). FLOPs per image, counted "
        "from the layer shapes (benchmarks/flops.py): "
        + ", ".join(
            f"{'training' if training else 'inference'} {flops[training] / 1e6:.2f} M"
            for training in sorted(flops, reverse=True)
        )
        + ".",
        "",
        "## The fastest way to train and to run the course's CNN on this machine, "
        "at equal accuracy",
        "",
        "Per TensorFlow line, and per framework in the peers' session: the fastest configuration "
        f"whose spread stayed within ±{QUIET_SPREAD:.0%} and whose accuracy is within "
        f"{verdict.ACCURACY_COST * 100:.1f} points of the float32 recipe's (the practicals' "
        "recipe: the course's CNN trained at the configuration's batch and precision, graded on "
        "the spec's test images; to run, the float32 weights in the configuration's precision). "
        "Ratios are to TensorFlow's answer in the same session. " + bf16_note(runs),
        "",
        *answer.table(runs),
        "",
        "![The answer, then images/s per TensorFlow version for each case, and the peers]"
        "(benchmarks.png)",
        "",
        "Faster configurations the answer passed over, and why:",
        "",
        *answer.passed_over(runs),
        "",
        "### The accuracies",
        "",
        *accuracies(runs),
        "",
        "## Every case, per TensorFlow line",
        "",
        "At TensorFlow's defaults (a thread per core in each pool, oneDNN on) unless the case says "
        "otherwise; the other settings are the search over process settings.",
        "",
        *case_matrix(lines_runs, _rate),
        "",
        f"Unreliable cases (spread over ±{QUIET_SPREAD:.0%} after a re-measure): never a winner, "
        "not compared with a baseline.",
        "",
        *unreliable(runs),
        "",
        "### The first call (tracing and compiling, then one call), seconds",
        "",
        *case_matrix(lines_runs, lambda r: f"{r.first_step_s:.2f}" if r else "—"),
        "",
    ]
    for run in peer_runs:
        out += [
            f"## Peers, measured beside TensorFlow in one session ({run.env})",
            "",
            *peers(run),
            "",
            "First call (tracing, compiling), seconds (TensorFlow: XLA off / on):",
            "",
            *peer_first_calls(run),
            "",
        ]
    out += ["## The sessions", "", *sessions(runs), "", "Not run here:", "", *skipped(runs), ""]
    if comparison is not None:
        out += ["## Against the baseline", "", *against_baseline(comparison), ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__)
    parser.add_argument("--bench", type=Path, default=Path("reports/bench"))
    parser.add_argument("--out", type=Path, default=Path("reports"))
    parser.add_argument("--baseline", type=Path, help="an earlier reports/bench to compare with")
    parser.add_argument("--threshold", type=float, default=baseline.THRESHOLD)
    args = parser.parse_args(argv)
    try:
        runs = load_runs(args.bench)
        before = load_runs(args.baseline) if args.baseline else None
    except ResultsError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not runs:
        print(f"no benchmark runs in {args.bench}: run `tox -m bench` first", file=sys.stderr)
        return 2
    comparison = baseline.compare(before, runs, args.threshold) if before is not None else None
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "benchmarks.md").write_text(markdown(runs, comparison), encoding="utf-8")
    plot.draw(runs, args.out / "benchmarks.png")
    print(f"wrote {args.out / 'benchmarks.md'} and {args.out / 'benchmarks.png'}")
    if comparison is not None:
        print(comparison.summary())
        for change in comparison.regressions:
            print(
                f"slower: {change.env} {change.after.id}: {change.before.images_per_s:,.0f} -> "
                f"{change.after.images_per_s:,.0f} images/s ({-change.slowdown:+.1%}, "
                f"limit -{change.limit:.0%})"
            )
        return 1 if comparison.regressions else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

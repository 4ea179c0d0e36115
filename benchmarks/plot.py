"""reports/benchmarks.png: on top, the answer (benchmarks/answer.py): the fastest way to train and
to run the course's CNN at equal accuracy, per TensorFlow line and per framework, with its spread;
then images/s per TensorFlow version for each case (one panel per mode, a line per batch size,
solid without XLA and dashed with it, at TensorFlow's defaults in float32), and the peers beside
TensorFlow in their shared session."""

from __future__ import annotations

from pathlib import Path

from benchmarks import answer
from benchmarks.cases import MODES, NAMES, PEERS
from benchmarks.results import Run

COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
TITLES = {
    "train_step": "compiled training step",
    "forward": "compiled forward pass",
    "fit": "fit (one epoch in memory)",
    "predict": "predict",
}
PEER_MODES = ("train_step", "forward")


def draw(runs: list[Run], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lines_runs = [r for r in runs if r.set == "tensorflow"]
    peer_run = next((r for r in runs if r.set == "peers"), None)
    fig = plt.figure(figsize=(17, 15), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=(1, 2))
    train, run = top.subplots(1, 2)
    found = answer.lines(runs)
    _answer_panel(train, found, training=True)
    _answer_panel(run, found, training=False)
    panels = list(bottom.subplots(2, 3).flat)
    for ax, mode in zip(panels, MODES, strict=False):
        _versions_panel(ax, lines_runs, mode)
    for ax, mode in zip(panels[len(MODES) :], PEER_MODES, strict=False):
        _peers_panel(ax, peer_run, mode)
    some = runs[0]
    fig.suptitle(
        f"The course's CNN: images/s on {some.machine}, {some.cores} cores "
        f"(measured float32 matmul peak about {some.peak_gflops or 0:.0f} GFLOP/s)",
        fontsize=13,
    )
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _answer_panel(ax, found: list[answer.Line], training: bool) -> None:
    """A bar per scope and device: the answer's images/s, its spread as an error bar, its
    configuration written beside it; a scope without an answer at equal accuracy has no bar."""
    what = "train" if training else "run (infer)"
    ax.set_title(f"fastest to {what} at equal accuracy", fontsize=11)
    labels, values, errors, colors, notes = [], [], [], [], []
    for line in found:
        for k, device in enumerate(("cpu", "gpu")):
            choice = (line.train if training else line.infer)[device]
            if choice.row is None and device == "gpu":
                continue
            row = choice.row
            labels.append(f"{line.scope}, {device.upper()}")
            values.append(row.images_per_s if row else 0)
            errors.append(row.images_per_s * row.spread if row else 0)
            colors.append(COLORS[k])
            notes.append(
                row.label(line.run.cores, settings=False) if row else "none at equal accuracy"
            )
    if not labels:
        ax.text(0.5, 0.5, "no runs", transform=ax.transAxes, ha="center")
        return
    ys = range(len(labels))
    ax.barh(ys, values, xerr=errors, color=colors, capsize=3)
    ax.set_yticks(ys, labels, fontsize=8)
    ax.invert_yaxis()
    for y, value, note in zip(ys, values, notes, strict=True):
        ax.text(value, y, f"  {note}", va="center", fontsize=7, in_layout=False)
    ax.set_xlim(0, max(values) * 1.8 or 1)
    ax.set_xlabel("images/s (error bar: the spread)")
    ax.grid(alpha=0.3, axis="x")


def _versions_panel(ax, runs: list[Run], mode: str) -> None:
    labels = [f"{r.versions().get('tensorflow', '?')}" for r in runs]
    series: dict[tuple[int, bool], list[float | None]] = {}
    for i, run in enumerate(runs):
        for row in run.rows:
            if (
                row.case.framework == "tensorflow"
                and row.case.mode == mode
                and row.case.device == "cpu"
                and row.case.precision == "float32"
                and row.is_default(run.cores)
            ):
                series.setdefault((row.case.batch, row.case.xla), [None] * len(runs))[i] = (
                    row.images_per_s
                )
    batches = sorted({batch for batch, _ in series})
    for (batch, xla), values in sorted(series.items()):
        xs = [i for i, v in enumerate(values) if v is not None]
        ax.plot(
            xs,
            [values[i] for i in xs],
            marker="o",
            linestyle="--" if xla else "-",
            color=COLORS[batches.index(batch) % len(COLORS)],
            label=f"batch {batch}, XLA {'on' if xla else 'off'}",
        )
    ax.set_title(TITLES[mode])
    ax.set_xticks(range(len(runs)), labels)
    ax.set_xlabel("TensorFlow")
    ax.set_ylabel("images/s")
    _room_for_legend(ax)
    ax.grid(alpha=0.3)
    if series:
        ax.legend(fontsize=8, ncols=2, loc="upper left")
    else:
        ax.text(0.5, 0.5, "no runs", transform=ax.transAxes, ha="center")


def _peers_panel(ax, run: Run | None, mode: str) -> None:
    ax.set_title(f"peers, {TITLES[mode]}")
    rows = [r for r in run.rows if r.case.mode == mode and r.case.device == "cpu"] if run else []
    if not rows:
        ax.text(0.5, 0.5, "no peers run", transform=ax.transAxes, ha="center")
        return
    batches = sorted({r.case.batch for r in rows})
    frameworks = ["tensorflow", *(f for f in PEERS if any(r.case.framework == f for r in rows))]
    width = 0.8 / len(frameworks)
    for k, framework in enumerate(frameworks):
        values = [
            max(
                (
                    r.images_per_s
                    for r in rows
                    if (r.case.framework, r.case.batch) == (framework, b)
                ),
                default=0,
            )
            for b in batches
        ]
        xs = [i + (k - (len(frameworks) - 1) / 2) * width for i in range(len(batches))]
        name = NAMES[framework] + " (fastest variant)"
        ax.bar(xs, values, width, label=name, color=COLORS[k % len(COLORS)])
    ax.set_xticks(range(len(batches)), [f"batch {b}" for b in batches])
    ax.set_ylabel("images/s")
    _room_for_legend(ax)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, ncols=2, loc="upper left")


def _room_for_legend(ax) -> None:
    """From zero, with the top third free for the legend."""
    ax.set_ylim(0, ax.get_ylim()[1] * 1.45)

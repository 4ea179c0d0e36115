"""reports/benchmarks.png: images/s per TensorFlow version for each case (one panel per mode, a
line per batch size, solid without XLA and dashed with it, at TensorFlow's defaults), and the
peers beside TensorFlow in their shared session."""

from __future__ import annotations

from pathlib import Path

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
    fig, axes = plt.subplots(2, 3, figsize=(17, 9.5), layout="constrained")
    panels = list(axes.flat)
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


def _versions_panel(ax, runs: list[Run], mode: str) -> None:
    labels = [f"{r.versions().get('tensorflow', '?')}" for r in runs]
    series: dict[tuple[int, bool], list[float | None]] = {}
    for i, run in enumerate(runs):
        for row in run.rows:
            if row.case.mode == mode and row.case.device == "cpu" and row.is_default(run.cores):
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
        name = NAMES[framework] + (" (faster of XLA off/on)" if framework == "tensorflow" else "")
        ax.bar(xs, values, width, label=name, color=COLORS[k % len(COLORS)])
    ax.set_xticks(range(len(batches)), [f"batch {b}" for b in batches])
    ax.set_ylabel("images/s")
    _room_for_legend(ax)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, ncols=2, loc="upper left")


def _room_for_legend(ax) -> None:
    """From zero, with the top third free for the legend."""
    ax.set_ylim(0, ax.get_ylim()[1] * 1.45)

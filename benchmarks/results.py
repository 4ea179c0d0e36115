"""The benchmark runs (reports/bench/<env>.json, written by pytest-benchmark with the session's own
record under "session") as rows that the report and the baseline check read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path

from benchmarks.cases import Case, Settings
from benchmarks.measure import RELIABLE_SPREAD
from benchmarks.verdict import Trained
from spec.harness.tables import release

# The keys of extra_info that make up a case (Case.as_dict).
CASE_KEYS = tuple(f.name for f in fields(Settings)) + tuple(
    f.name for f in fields(Case) if f.name != "settings"
)


class ResultsError(ValueError):
    """A file that is not a benchmark run."""


@dataclass(frozen=True)
class Row:
    """One case's measurement."""

    id: str  # the case's id, e.g. tensorflow-t2x2-onednn-cpu-train_step-b128-no_xla-float32
    case: Case
    images_per_s: float
    flops_per_image: int
    fraction_of_peak: float | None
    spread: float
    first_step_s: float
    versions: dict = field(hash=False, compare=False)
    unreliable: str | None = None  # why the figure is not one to act on (measure.unreliable)

    def settings(self) -> str:
        """The process settings in words, e.g. '2x2 threads, oneDNN on'."""
        s = self.case.settings
        onednn = {None: "", True: ", oneDNN on", False: ", oneDNN off"}[s.onednn]
        return f"{s.intra}x{s.inter} threads{onednn}"

    def is_default(self, cores: int) -> bool:
        s = self.case.settings
        return s.intra == s.inter == cores and s.onednn in (None, True)

    def label(self, cores: int, settings: bool = True) -> str:
        """The case in words, e.g. 'train_step b128, XLA off', with non-default settings."""
        c = self.case
        text = f"{c.mode} b{c.batch}, XLA {'on' if c.xla else 'off'}"
        if c.device != "cpu" or c.precision != "float32":
            text += f", {c.device.upper()} {c.precision}"
        if settings and not self.is_default(cores):
            text += f", {self.settings()}"
        return text


@dataclass
class Run:
    env: str
    set: str
    session: dict
    machine: str
    rows: list[Row]

    @property
    def cores(self) -> int:
        return self.session.get("cores", 0)

    @property
    def skipped(self) -> list[dict]:
        return self.session.get("skipped", [])

    @property
    def trained(self) -> list[Trained]:
        """The accuracy measurements of the session (benchmarks/test_accuracy.py)."""
        return [Trained(**t) for t in self.session.get("accuracy", {}).get("trained", [])]

    @property
    def recipe_batch(self) -> int | None:
        return self.session.get("accuracy", {}).get("recipe_batch")

    @property
    def bf16(self) -> list[str]:
        """The CPU's bfloat16 flags that the session found (cases.bf16_flags)."""
        return self.session.get("bf16_flags", [])

    @property
    def peak_gflops(self) -> float | None:
        return self.session.get("peak", {}).get("cpu", {}).get("gflops")

    def versions(self, framework: str = "tensorflow") -> dict:
        return next((r.versions for r in self.rows if r.case.framework == framework), {})

    @property
    def sort_key(self) -> tuple:
        return (release(self.versions().get("tensorflow")), self.set != "tensorflow", self.env)


def _unreliable(info: dict) -> str | None:
    """The run's own verdict; for a run recorded before there was one, its spread alone."""
    if "unreliable" in info:
        return info["unreliable"]
    if info["spread"] > RELIABLE_SPREAD:
        return f"spread ±{info['spread']:.1%}, over ±{RELIABLE_SPREAD:.0%} (not re-measured)"
    return None


def row(bench: dict) -> Row:
    """One entry of pytest-benchmark's "benchmarks" list as a Row."""
    info = bench["extra_info"]
    return Row(
        id=bench["param"],
        case=Case.from_dict({k: info[k] for k in CASE_KEYS if k in info}),
        images_per_s=info["images_per_s"],
        flops_per_image=info["flops_per_image"],
        fraction_of_peak=info.get("fraction_of_peak"),
        spread=info["spread"],
        first_step_s=info["first_step_s"],
        versions=info.get("versions", {}),
        unreliable=_unreliable(info),
    )


def load_run(path: Path) -> Run:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        session = data["session"]
        cpu = data.get("machine_info", {}).get("cpu", {})
        return Run(
            env=session["env"],
            set=session["set"],
            session=session,
            machine=cpu.get("brand_raw") or data.get("machine_info", {}).get("processor", "?"),
            rows=[row(b) for b in data["benchmarks"]],
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ResultsError(f"{path}: not a benchmark run ({type(exc).__name__}: {exc})") from exc


def load_runs(directory: Path) -> list[Run]:
    """Every run in `directory`, by TensorFlow version, the release lines' own runs first."""
    return sorted((load_run(p) for p in sorted(directory.glob("*.json"))), key=lambda r: r.sort_key)

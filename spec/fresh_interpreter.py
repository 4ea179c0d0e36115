"""What the spec cannot do in its own process, done in one fresh interpreter per session.

The jobs, each run in its own folder of the session's directory and giving a JSON report:
- `distributed` (spec.distributed_training): MirroredStrategy over two logical CPU devices, which
  TensorFlow splits only before its runtime starts, so it runs first;
- `untrusted` (spec.untrusted_loading): each way of loading a Lambda model that the spec's own
  process saved, in an interpreter where nothing but the file can supply the Lambda's code;
- `crafted` (spec.untrusted_loading, spec.crafted_files): one file per published advisory, built
  and loaded.

A fresh interpreter's TensorFlow import costs seconds of CPU, so a session starts one, as its first
test starts, for the jobs that its selected tests ask for (a test asks by taking the fixture of the
job's name); it runs them in `JOBS` order while the tests go on, the crafted files last (a payload
that runs may change the interpreter: CVE-2025-9906's turns safe_mode off). `report(job)` waits for
that job's report; a job that fails fails only the clauses that read it, with the interpreter's log.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 300  # from the start, for every job together
LOG = "interpreter.log"


class Job(NamedTuple):
    module: str
    run: str  # the function run in the fresh interpreter, on the job's folder
    prepare: str | None = None  # the function run first in the spec's process, on the same folder


JOBS = {
    "distributed": Job("spec.distributed_training", "run"),
    "untrusted": Job("spec.untrusted_loading", "run", prepare="write"),
    "crafted": Job("spec.untrusted_loading", "run_crafted"),
}


def needed(items) -> list[str]:
    """The jobs that the collected test items ask for, in `JOBS` order."""
    asked = {name for item in items for name in getattr(item, "fixturenames", ())}
    return [job for job in JOBS if job in asked]


def _call(module: str, function: str, folder: Path):
    return getattr(importlib.import_module(module), function)(folder)


class Interpreter:
    """`python -m spec.fresh_interpreter DIRECTORY JOB...`, started now with this process's
    environment, after each job's preparation here (kept in `prepared[job]`)."""

    def __init__(self, directory: Path, jobs: list[str]):
        self.directory, self.jobs = Path(directory), list(jobs)
        self.prepared = {}
        for job in self.jobs:
            (self.directory / job).mkdir()
            if JOBS[job].prepare:
                self.prepared[job] = _call(
                    JOBS[job].module, JOBS[job].prepare, self.directory / job
                )
        self._deadline = time.monotonic() + TIMEOUT_S
        self._log = open(self.directory / LOG, "w", encoding="utf-8")  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-m", "spec.fresh_interpreter", str(self.directory), *self.jobs],
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def report(self, job: str) -> dict:
        """The job's report, once written; a RuntimeError with the interpreter's log if the job
        failed, was never asked for, or the interpreter ended or ran past TIMEOUT_S without it."""
        if job not in self.jobs:
            raise RuntimeError(f"no test of this session asked for the job {job!r}")
        path = self.directory / job / "report.json"
        while not path.exists():
            if self._process.poll() is not None:
                self._fail(job, f"the interpreter exited with {self._process.returncode}")
            if time.monotonic() > self._deadline:
                self.close()
                self._fail(job, f"the interpreter ran past {TIMEOUT_S} s")
            time.sleep(0.05)
        report = json.loads(path.read_text("utf-8"))
        if "error" in report:
            self._fail(job, report["error"])
        return report

    def _fail(self, job: str, why: str):
        log = (self.directory / LOG).read_text("utf-8")
        raise RuntimeError(f"job {job!r} of the fresh interpreter: {why}\n{log[-3000:]}")

    def close(self) -> None:
        """Stop the interpreter if it still runs."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._log.close()


def main(directory: Path, jobs: list[str]) -> None:
    """Run each job in its folder, writing its report (or its error) atomically."""
    for job in jobs:
        try:
            report = _call(JOBS[job].module, JOBS[job].run, directory / job)
        except Exception:
            report = {"error": traceback.format_exc()}
        partial = directory / job / "report.json.partial"
        partial.write_text(json.dumps(report), encoding="utf-8")
        partial.rename(directory / job / "report.json")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])

"""The benchmark session's side of the workers (benchmarks/worker.py): start one per process
settings, send it requests, and time nothing but its calls.

At most `alive` workers live at once (benchmarks.cases.workers_alive): starting one more ends the
one used least recently.
"""

from __future__ import annotations

import importlib.util
import json
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks.cases import PACKAGES, Case, Settings

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 300
REQUEST_TIMEOUT_S = 600  # a first compile (torch.compile on two cores) can take minutes
LOG_TAIL = 3000


class WorkerError(RuntimeError):
    """A worker failed: its traceback, or the end of its log when it died."""


class Worker:
    def __init__(self, settings: Settings):
        self.settings = settings
        log, self.log = tempfile.mkstemp(prefix=f"bench-{settings}-", suffix=".log")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.worker", json.dumps(asdict(settings))],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        os.close(log)
        self.started = self._reply(START_TIMEOUT_S)
        self.ipc_s = self._round_trip()

    @property
    def unavailable(self) -> dict[str, str]:
        """Devices this framework cannot run on here, with the reason."""
        return self.started.get("unavailable", {})

    def request(self, op: str, timeout: float = REQUEST_TIMEOUT_S, **args) -> dict:
        self.proc.stdin.write((json.dumps({"op": op, **args}) + "\n").encode())
        self.proc.stdin.flush()
        return self._reply(timeout)

    def call(self) -> None:
        """One call of the prepared case: what the benchmark times."""
        self.proc.stdin.write(b'{"op": "call"}\n')
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if line != b"{}\n":
            raise WorkerError(self._failure(line))

    def _round_trip(self, times: int = 200) -> float:
        """The median time of a request that does nothing: what each timed call costs on top."""
        taken = []
        for _ in range(times):
            start = time.perf_counter()
            self.request("ping")
            taken.append(time.perf_counter() - start)
        return statistics.median(taken)

    def _reply(self, timeout: float) -> dict:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.close()
            raise WorkerError(
                f"worker {self.settings} gave no answer in {timeout:.0f} s\n{self._log()}"
            )
        line = self.proc.stdout.readline()
        reply = json.loads(line) if line else None
        if reply is None or "error" in reply:
            raise WorkerError(self._failure(line))
        return reply

    def _failure(self, line: bytes) -> str:
        if line:
            try:
                return f"worker {self.settings} failed:\n{json.loads(line)['error']}"
            except (ValueError, KeyError):
                return f"worker {self.settings} answered {line[:200]!r}"
        self.proc.wait(timeout=30)
        return f"worker {self.settings} exited with {self.proc.returncode}\n{self._log()}"

    def _log(self) -> str:
        text = Path(self.log).read_text(encoding="utf-8", errors="replace")
        return f"... {text[-LOG_TAIL:]}" if len(text) > LOG_TAIL else text

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(b'{"op": "exit"}\n')
                self.proc.stdin.flush()
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        Path(self.log).unlink(missing_ok=True)


class Pool:
    """The workers of one benchmark session, at most `alive` at a time; a worker that failed to
    start is remembered, so that its other cases fail at once with the same cause."""

    def __init__(self, alive: int = 1):
        self.alive = alive
        self.live: dict[Settings, Worker] = {}  # the least recently used first
        self.failed: dict[Settings, str] = {}
        self.started_s: dict[str, float] = {}
        self.ipc_s: dict[str, float] = {}
        self.descriptions: dict[Settings, dict] = {}

    def get(self, settings: Settings) -> Worker:
        if settings in self.live:
            self.live[settings] = self.live.pop(settings)
            return self.live[settings]
        while len(self.live) >= self.alive:
            self.live.pop(next(iter(self.live))).close()
        if settings in self.failed:
            raise WorkerError(self.failed[settings])
        start = time.perf_counter()
        try:
            worker = Worker(settings)
        except WorkerError as exc:
            self.failed[settings] = str(exc)
            raise
        self.started_s[str(settings)] = time.perf_counter() - start
        self.ipc_s[str(settings)] = worker.ipc_s
        self.live[settings] = worker
        return worker

    def unavailable(self, case: Case) -> str | None:
        """Why `case` cannot run here (its framework is not installed, or it lacks the device),
        or None; starts the case's worker to ask it."""
        package = PACKAGES[case.framework]
        if importlib.util.find_spec(package) is None:
            return f"{package} is not installed in this environment"
        return self.get(case.settings).unavailable.get(case.device)

    def describe(self, settings: Settings) -> dict:
        """The model's parameter counts and FLOPs per image under `settings`, asked once."""
        if settings not in self.descriptions:
            self.descriptions[settings] = self.get(settings).request("describe")
        return self.descriptions[settings]

    def close(self) -> None:
        while self.live:
            self.live.popitem()[1].close()

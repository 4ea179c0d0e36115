"""How busy the machine was with other work while the benchmarks ran: the CPU time that other
processes took, and the time the hypervisor stole, as fractions of the session's CPU capacity. A
quiet machine shows both near 0; the spread of a busy one's rounds is not the benchmarks' own."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

STAT = Path("/proc/stat")


def _machine() -> tuple[float, float]:
    """All CPUs' busy and stolen seconds since boot (Linux), or zeros where /proc/stat is absent."""
    try:
        fields = STAT.read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0, 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def cpu_seconds(pid: int) -> float:
    """CPU seconds of a running process and of its ended children (Linux's /proc/PID/stat), or 0."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime: the 14th to 17th fields, the 12th to 15th after the name
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _own(pids: tuple[int, ...] = ()) -> float:
    """CPU seconds of this process, of its children that have ended, and of the running processes
    `pids` (the workers measured meanwhile)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    ) + sum(cpu_seconds(pid) for pid in pids)


def worker_cpu(worker) -> Callable[[], float]:
    """The `worker` process's CPU seconds so far, as a function."""
    return lambda: cpu_seconds(worker.proc.pid)


def busy_meter(worker) -> Callable[[], float]:
    """A meter started now, as a function that reads the other processes' share of the CPU since,
    the `worker` process's own CPU time excluded."""
    meter = Meter((worker.proc.pid,))
    return lambda: meter.read(len(os.sched_getaffinity(0)))["other_processes"]


class Meter:
    """From its start: the wall time, and the shares of the CPU that other processes than this one,
    its ended children and the running `pids` took, and that the hypervisor stole."""

    def __init__(self, pids: tuple[int, ...] = ()):
        self.pids = pids
        self.wall, (self.busy, self.steal) = time.perf_counter(), _machine()
        self.own = _own(pids)

    def read(self, cores: int) -> dict:
        wall = time.perf_counter() - self.wall
        busy, steal = _machine()
        capacity = wall * cores
        others = max(0.0, (busy - self.busy) - (_own(self.pids) - self.own))
        return {
            "wall_s": wall,
            "other_processes": others / capacity,
            "stolen": (steal - self.steal) / capacity,
        }

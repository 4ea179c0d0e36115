"""How busy the machine was with other work while the benchmarks ran: the CPU time that other
processes took, and the time the hypervisor stole, as fractions of the session's CPU capacity. A
quiet machine shows both near 0; the spread of a busy one's rounds is not the benchmarks' own."""

from __future__ import annotations

import os
import resource
import time
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


def _own() -> float:
    """CPU seconds of this process and of its children that have ended (the workers)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    )


class Meter:
    def __init__(self):
        self.wall, (self.busy, self.steal), self.own = time.perf_counter(), _machine(), _own()

    def read(self, cores: int) -> dict:
        wall = time.perf_counter() - self.wall
        busy, steal = _machine()
        capacity = wall * cores
        others = max(0.0, (busy - self.busy) - (_own() - self.own))
        return {
            "wall_s": wall,
            "other_processes": others / capacity,
            "stolen": (steal - self.steal) / capacity,
        }

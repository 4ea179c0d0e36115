"""The benchmark session: which set of cases runs, the workers, the measured matrix-multiply peak,
and what the JSON (--benchmark-json) records besides pytest-benchmark's own statistics."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import cases, load, measure
from benchmarks.pool import Pool, Worker
from spec.harness import environment, record

# The matrix size of the calibration, per device: large enough to run at the device's peak.
GEMM_SIZE = {"cpu": 2048, "gpu": 8192}
METER = load.Meter()
SKIPPED: list[dict] = []
# Each measured case's entry (its "param" and "extra_info"), for the accuracy check.
MEASURED: list[dict] = []
# What benchmarks/test_accuracy.py measured: the recipe, and each training's accuracy.
ACCURACY: dict = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tf-course-spec benchmarks")
    group.addoption(
        "--bench-set",
        default="tensorflow",
        choices=cases.SETS,
        help="tensorflow: every mode, batch and XLA setting, and the search over process "
        "settings; peers: PyTorch and Keras on JAX beside TensorFlow; smoke: one short round of "
        "each kind (default: tensorflow)",
    )
    group.addoption(
        "--bench-seconds",
        type=float,
        default=1.0,
        help="a factor on how long the timed rounds of one case take: about 1 s for a compiled "
        "step, 2 s for fit and predict (default: 1.0)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """The folder of --benchmark-json, which pytest-benchmark does not make."""
    path = config.getoption("benchmark_json", None)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    chosen = cases.selected(metafunc.config.getoption("bench_set"))
    if "case" in metafunc.fixturenames:
        # As dicts, so that pytest-benchmark's JSON records each case's fields as its params.
        ids = [str(c) for c in chosen]
        metafunc.parametrize("case", [c.as_dict() for c in chosen], ids=ids, indirect=True)
    if "peer" in metafunc.fixturenames:
        peers = [f for f in dict.fromkeys(c.framework for c in chosen) if f in cases.PEERS]
        # torch.compile's model is torch-eager's: one check covers both.
        peers = [p for p in peers if p != "torch-compile"]
        none = pytest.param(
            None, marks=pytest.mark.skip(reason="this set runs no peer"), id="no-peer"
        )
        metafunc.parametrize("peer", peers or [none])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The throughput first, then the accuracy of its fastest configurations, then the architecture
    checks: they reuse the model descriptions the benchmarks asked for, instead of starting every
    framework's worker once more."""
    order = ("test_throughput.py", "test_accuracy.py", "test_architecture.py")
    items.sort(key=lambda item: order.index(item.path.name) if item.path.name in order else 0)


@pytest.fixture(scope="session")
def measured() -> list[dict]:
    return MEASURED


@pytest.fixture(scope="session")
def accuracy_record() -> dict:
    return ACCURACY


@pytest.fixture
def case(request: pytest.FixtureRequest) -> cases.Case:
    return cases.Case.from_dict(request.param)


def numpy_gemm_rate(n: int) -> dict:
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    out = np.empty_like(a)
    return measure.gemm_rate(lambda: np.matmul(a, a, out=out), n)


class Peak:
    """This machine's float32 matrix-multiply rate per device: on the CPU the best of NumPy's BLAS
    and the first framework worker at its default settings, at the session's start, and NumPy's
    again at its end (a slow spell of the machine must not lower the peak); on a GPU that
    worker's. Workers with fewer threads measure no peak. The cases' fractions of the peak are
    set at the end (update_fractions), against the final peak."""

    def __init__(self):
        self.measured: dict[str, dict] = {}

    def gflops(self, device: str, worker: Worker) -> float | None:
        if device not in self.measured:
            n = GEMM_SIZE[device]
            found = {"numpy": numpy_gemm_rate(n)} if device == "cpu" else {}
            s = worker.settings
            if s == cases.default_settings(s.framework, cases.cores()):
                found[s.framework] = worker.request("matmul", device=device, n=n)
            if not found:
                return None
            self.measured[device] = {"runs": found}
            self._best(device)
        return self.measured[device]["gflops"]

    def _best(self, device: str) -> None:
        runs = self.measured[device]["runs"]
        best = max(runs, key=lambda k: runs[k]["gflops"])
        self.measured[device].update(gflops=runs[best]["gflops"], by=best)

    def update_fractions(self, benchmarks: list[dict]) -> None:
        """Measure the CPU's rate once more, then each case's fraction of its device's peak."""
        if "cpu" in self.measured:
            self.measured["cpu"]["runs"]["numpy_at_end"] = numpy_gemm_rate(GEMM_SIZE["cpu"])
            self._best("cpu")
        for bench in benchmarks:
            info = bench["extra_info"]
            peak = self.measured.get(info.get("device"), {}).get("gflops")
            if peak and "gflops" in info:
                info.update(peak_gflops=peak, fraction_of_peak=info["gflops"] / peak)


SESSION = pytest.StashKey[dict]()


@pytest.fixture(scope="session")
def pool(pytestconfig: pytest.Config):
    workers = Pool(cases.workers_alive(pytestconfig.getoption("bench_set")))
    pytestconfig.stash.setdefault(SESSION, {})["pool"] = workers
    yield workers
    workers.close()


@pytest.fixture(scope="session")
def peak(pytestconfig: pytest.Config) -> Peak:
    measured = Peak()
    pytestconfig.stash.setdefault(SESSION, {})["peak"] = measured
    return measured


@pytest.fixture(scope="session")
def timing(pytestconfig: pytest.Config):
    """How a case's rounds are planned (measure.plan's arguments for its mode, measure.TIMING,
    the target scaled by --bench-seconds); in the smoke run, two rounds of one call."""
    if pytestconfig.getoption("bench_set") == "smoke":
        return lambda mode: {"target_s": 0.0, "least": 2, "most": 2, "round_s": 0.0}
    scale = pytestconfig.getoption("bench_seconds")
    return lambda mode: measure.timing(mode, scale)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember each case that could not run here, and why, for the report."""
    if report.skipped and report.nodeid.split("::")[-1].startswith("test_throughput["):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        case = report.nodeid.split("[", 1)[1].removesuffix("]")
        SKIPPED.append({"case": case, "reason": reason.removeprefix("Skipped: ")})


def pytest_benchmark_update_json(
    config: pytest.Config, benchmarks: list, output_json: dict
) -> None:
    session = config.stash.get(SESSION, {})
    peak, workers = session.get("peak"), session.get("pool")
    if peak:
        peak.update_fractions(output_json["benchmarks"])
    output_json["session"] = {
        "env": record.env_name(config.getoption("env_name", None)),
        "set": config.getoption("bench_set"),
        "cores": cases.cores(),
        # wall_s, and the shares of the CPU that other processes and the hypervisor took
        **METER.read(cases.cores()),
        "peak": peak.measured if peak else {},
        "worker_start_s": workers.started_s if workers else {},
        "worker_ipc_s": workers.ipc_s if workers else {},
        "skipped": SKIPPED,
        "bf16_flags": cases.bf16_flags(),
        "accuracy": ACCURACY,
        "suite_commit": environment.suite_commit(),
    }

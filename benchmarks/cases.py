"""What is measured: the benchmark cases of each set, and the process settings each one runs under.

A case is one throughput measurement: a framework, a device, a mode (a compiled training step, a
compiled forward pass, `fit` on one epoch of in-memory data, `predict`), a batch size, XLA off or
on, a precision, and the process settings it needs a worker of its own for (threads, oneDNN).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")

MODES = ("train_step", "forward", "fit", "predict")
TRAINING_MODES = ("train_step", "fit")
COMPILED_MODES = ("train_step", "forward")
KERAS_MODES = ("fit", "predict")
# The compiled steps run past 512, where the search's trend points; fit and predict (the calls
# students make, each a whole epoch) at the codelab's batch and at 512.
BATCHES = {"cpu": (64, 512, 2048), "gpu": (64, 512, 4096)}
KERAS_BATCHES = (64, 512)
# The half precision a device computes fast: bfloat16 on a CPU with AVX-512 BF16 or AMX (see
# bf16_flags), float16 on a GPU.
HALF = {"cpu": "mixed_bfloat16", "gpu": "mixed_float16"}
BF16_FLAGS = ("avx512_bf16", "amx_bf16")
# The search over process settings (search_settings) runs the compiled steps at this batch, where
# they ran fastest; XLA runs up to it.
SEARCH_BATCH = 512
PEERS = ("torch-eager", "torch-compile", "keras-jax")
PEER_BATCHES = {"cpu": (64, 512), "gpu": (64, 512, 4096)}
# The practicals' recipe's batch (spec/mnist_training.py), at which the peers train: at 512 the
# recipe loses about three points of accuracy on every TensorFlow line (benchmarks/sample), so a
# larger batch never trains at equal accuracy.
RECIPE_BATCH = 64
SETS = ("tensorflow", "peers", "smoke")
NAMES = {
    "tensorflow": "TensorFlow",
    "torch-eager": "PyTorch eager",
    "torch-compile": "torch.compile",
    "keras-jax": "Keras 3 on JAX",
}
# The package each framework needs in the benchmark's environment.
PACKAGES = {
    "tensorflow": "tensorflow",
    "torch-eager": "torch",
    "torch-compile": "torch",
    "keras-jax": "jax",
}


def cores() -> int:
    """The CPU cores this process may run on."""
    return len(os.sched_getaffinity(0))


def bf16_flags(cpuinfo: Path = CPUINFO) -> list[str]:
    """The flags of BF16_FLAGS that this CPU has (Linux's /proc/cpuinfo; none where it is absent):
    with any, bfloat16 matrix products run in hardware, and the sets measure mixed_bfloat16."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    flags = next(
        (line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags")),
        [],
    )
    return [f for f in BF16_FLAGS if f in flags]


def precisions(device: str, half: bool) -> tuple[str, ...]:
    """float32, and the device's half precision where it has one (always on a GPU)."""
    return ("float32", HALF[device]) if half or device == "gpu" else ("float32",)


@dataclass(frozen=True)
class Settings:
    """What a worker process is started with: the framework, its intra- and inter-op thread pools,
    and for TensorFlow whether its oneDNN kernels are on (None: not a TensorFlow switch)."""

    framework: str
    intra: int
    inter: int
    onednn: bool | None = None

    def __str__(self) -> str:
        onednn = {None: "", True: "-onednn", False: "-no_onednn"}[self.onednn]
        return f"{self.framework}-t{self.intra}x{self.inter}{onednn}"


@dataclass(frozen=True)
class Case:
    settings: Settings
    device: str
    mode: str
    batch: int
    xla: bool
    precision: str = "float32"

    @property
    def framework(self) -> str:
        return self.settings.framework

    @property
    def training(self) -> bool:
        return self.mode in TRAINING_MODES

    def as_dict(self) -> dict:
        return {
            **asdict(self.settings),
            **{k: v for k, v in asdict(self).items() if k != "settings"},
        }

    @classmethod
    def from_dict(cls, d: dict) -> Case:
        """The inverse of as_dict."""
        fields = dict(d)
        settings = Settings(**{k: fields.pop(k) for k in ("framework", "intra", "inter", "onednn")})
        return cls(settings, **fields)

    def __str__(self) -> str:
        xla = "xla" if self.xla else "no_xla"
        return f"{self.settings}-{self.device}-{self.mode}-b{self.batch}-{xla}-{self.precision}"


def default_settings(framework: str, n: int) -> Settings:
    """The framework's defaults on `n` cores: a thread per core in each pool, oneDNN on."""
    return Settings(framework, n, n, True if framework == "tensorflow" else None)


def _grid(settings: Settings, device: str, modes, batches, xlas, precs=("float32",)) -> list[Case]:
    return [
        Case(settings, device, mode, batch, xla, precision)
        for mode in modes
        for batch in batches
        for xla in xlas
        for precision in precs
    ]


def search_settings(n: int) -> list[Settings]:
    """TensorFlow's process settings other than its defaults, where they matter: oneDNN off, one
    thread in each pool, and one inter-op thread alone (the fastest change on two cores): three
    settings on two or more cores (oneDNN off with one inter-op thread, slower than either alone
    in benchmarks/sample, is not searched)."""
    default = default_settings("tensorflow", n)
    grid = [
        replace(default, onednn=False),
        replace(default, intra=1, inter=1),
        replace(default, inter=1),
    ]
    return [s for s in dict.fromkeys(grid) if s != default]


def tensorflow_set(n: int, half: bool = False) -> list[Case]:
    """At TensorFlow's defaults: the compiled steps at every batch, `fit` and `predict` at
    KERAS_BATCHES, each in float32 with XLA off, and with XLA on at SEARCH_BATCH and below for the
    compiled steps, at SEARCH_BATCH for `fit` and `predict` (past it XLA's training step on a CPU is
    the slowest case, and the longest); in the device's half precision (on a CPU only where it has
    bfloat16, `half`) with XLA off, training up to SEARCH_BATCH (past it, slower than at it in
    benchmarks/sample) and inference past the smallest batch (its accuracy does not depend on the
    batch). Then the search over process settings for the compiled steps at SEARCH_BATCH, float32,
    XLA off; and `fit` at the codelab's batch with one thread in each pool, where it holds still
    (at the defaults, TensorFlow 2.21's `fit` alternates between two speeds, call by call)."""
    default = default_settings("tensorflow", n)
    out = []
    for device in ("cpu", "gpu"):
        half_precision = precisions(device, half)[1:]
        compiled_xla = [b for b in BATCHES[device] if b <= SEARCH_BATCH]
        for modes, batches, xla_batches in (
            (COMPILED_MODES, BATCHES[device], compiled_xla),
            (KERAS_MODES, KERAS_BATCHES, [SEARCH_BATCH]),
        ):
            for batch in batches:
                xlas = (False, True) if batch in xla_batches else (False,)
                out += _grid(default, device, modes, (batch,), xlas)
                half_modes = [
                    m
                    for m in modes
                    if (batch <= SEARCH_BATCH if m in TRAINING_MODES else batch != batches[0])
                ]
                out += _grid(default, device, half_modes, (batch,), (False,), half_precision)
    for settings in search_settings(n):
        out += _grid(settings, "cpu", COMPILED_MODES, (SEARCH_BATCH,), (False,))
        if settings.intra == settings.inter == 1:
            out += _grid(settings, "cpu", ("fit",), (KERAS_BATCHES[0],), (False,))
    return out


def peer_batches(device: str, mode: str) -> tuple[int, ...]:
    """The peers' batches for `mode`: training at the recipe's batch, inference at every batch."""
    return (RECIPE_BATCH,) if mode in TRAINING_MODES else PEER_BATCHES[device]


def peers_set(n: int, half: bool = False) -> list[Case]:
    """TensorFlow's compiled steps (XLA off: faster than on in every line's CPU set) and each peer's
    at its best settings (float32, and the device's half precision: PyTorch's autocast with
    channels_last tensors, Keras's mixed policy), at `peer_batches`, in one session, case by case:
    a slow spell of the machine falls on all frameworks alike."""
    out = []
    for device in ("cpu", "gpu"):
        precs = precisions(device, half)
        for mode in COMPILED_MODES:
            batches = peer_batches(device, mode)
            tf = default_settings("tensorflow", n)
            out += _grid(tf, device, (mode,), batches, (False,), precs)
            for peer in PEERS:
                # Keras on JAX always compiles with XLA; PyTorch has no XLA on this path.
                xla = (peer == "keras-jax",)
                out += _grid(default_settings(peer, n), device, (mode,), batches, xla, precs)
    order = ("tensorflow", *PEERS)
    return sorted(
        out,
        key=lambda c: (c.device, MODES.index(c.mode), c.batch, order.index(c.framework)),
    )


def smoke_set(n: int, half: bool = False) -> list[Case]:
    """One case of every mode (and of the half precision where the CPU has it) and of every peer
    but torch.compile (whose first compile alone takes longer than the whole smoke run), and one
    GPU case to show the skip."""
    tf = default_settings("tensorflow", n)
    out = [*_grid(tf, "cpu", MODES, (64,), (False,)), Case(tf, "gpu", "train_step", 64, False)]
    out += _grid(tf, "cpu", ("train_step",), (64,), (False,), precisions("cpu", half)[1:])
    for peer in ("torch-eager", "keras-jax"):
        out += _grid(
            default_settings(peer, n), "cpu", COMPILED_MODES, (64,), (peer == "keras-jax",)
        )
    return out


def selected(name: str, n: int | None = None, half: bool | None = None) -> list[Case]:
    """The cases of set `name` on `n` cores (default: this process's), with bfloat16 cases if `half`
    (default: where this CPU has it): the peers alternate (their workers all stay alive, see
    workers_alive); the other sets are grouped by worker settings, so that each worker starts
    once."""
    if name not in SETS:
        raise ValueError(f"unknown benchmark set {name!r}; choose one of {', '.join(SETS)}")
    n = n or cores()
    half = bool(bf16_flags()) if half is None else half
    cases = {"tensorflow": tensorflow_set, "peers": peers_set, "smoke": smoke_set}[name](n, half)
    if name == "peers":
        return cases
    order = list(dict.fromkeys(c.settings for c in cases))
    return sorted(cases, key=lambda c: order.index(c.settings))


def workers_alive(name: str) -> int:
    """How many workers set `name` keeps alive at once: one (an idle framework's threads and
    memory never sit beside the one measured), or one per framework for the alternating peers."""
    return 1 + len(PEERS) if name == "peers" else 1

"""What is measured: the benchmark cases of each set, and the process settings each one runs under.

A case is one throughput measurement: a framework, a device, a mode (a compiled training step, a
compiled forward pass, `fit` on one epoch of in-memory data, `predict`), a batch size, XLA off or
on, a precision, and the process settings it needs a worker of its own for (threads, oneDNN).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace

MODES = ("train_step", "forward", "fit", "predict")
TRAINING_MODES = ("train_step", "fit")
BATCHES = {"cpu": (64, 128, 512), "gpu": (64, 512, 4096)}
PRECISIONS = {"cpu": ("float32",), "gpu": ("float32", "mixed_float16")}
# The search varies one process setting at a time around TensorFlow's defaults, for the compiled
# steps at the batches where they run fastest.
SEARCH_MODES = ("train_step", "forward")
SEARCH_BATCHES = (128, 512)
PEERS = ("torch-eager", "torch-compile", "keras-jax")
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


def _grid(settings: Settings, device: str, modes, batches, xlas) -> list[Case]:
    return [
        Case(settings, device, mode, batch, xla, precision)
        for mode in modes
        for batch in batches
        for xla in xlas
        for precision in PRECISIONS[device]
    ]


def tensorflow_set(n: int) -> list[Case]:
    """Every mode x batch x XLA at TensorFlow's defaults, on each device; then the search: oneDNN
    off, one intra-op thread, one inter-op thread, each alone, for the compiled steps."""
    default = default_settings("tensorflow", n)
    out = [
        c
        for device in ("cpu", "gpu")
        for c in _grid(default, device, MODES, BATCHES[device], (False, True))
    ]
    varied = [replace(default, onednn=False), replace(default, intra=1), replace(default, inter=1)]
    for settings in dict.fromkeys(varied):
        if settings != default:
            out += _grid(settings, "cpu", SEARCH_MODES, SEARCH_BATCHES, (False,))
    return out


def peers_set(n: int) -> list[Case]:
    """TensorFlow's compiled steps (XLA off and on) and each peer's, at every framework's defaults,
    in one session, case by case: a slow spell of the machine falls on all frameworks alike."""
    out = []
    for device in ("cpu", "gpu"):
        tf = default_settings("tensorflow", n)
        out += _grid(tf, device, SEARCH_MODES, BATCHES[device], (False, True))
        for peer in PEERS:
            # Keras on JAX always compiles with XLA; PyTorch has no XLA on this path.
            xla = (peer == "keras-jax",)
            out += _grid(default_settings(peer, n), device, SEARCH_MODES, BATCHES[device], xla)
    order = ("tensorflow", *PEERS)
    return sorted(
        out, key=lambda c: (c.device, SEARCH_MODES.index(c.mode), c.batch, order.index(c.framework))
    )


def smoke_set(n: int) -> list[Case]:
    """One case of every mode and of every peer but torch.compile (whose first compile alone takes
    longer than the whole smoke run), and one GPU case to show the skip."""
    tf = default_settings("tensorflow", n)
    out = [*_grid(tf, "cpu", MODES, (64,), (False,)), Case(tf, "gpu", "train_step", 64, False)]
    for peer in ("torch-eager", "keras-jax"):
        out += _grid(default_settings(peer, n), "cpu", SEARCH_MODES, (64,), (peer == "keras-jax",))
    return out


def selected(name: str, n: int | None = None) -> list[Case]:
    """The cases of set `name`: the peers alternate (their workers all stay alive, see
    workers_alive); the other sets are grouped by worker settings, so that each worker starts
    once."""
    if name not in SETS:
        raise ValueError(f"unknown benchmark set {name!r}; choose one of {', '.join(SETS)}")
    n = n or cores()
    cases = {"tensorflow": tensorflow_set, "peers": peers_set, "smoke": smoke_set}[name](n)
    if name == "peers":
        return cases
    order = list(dict.fromkeys(c.settings for c in cases))
    return sorted(cases, key=lambda c: order.index(c.settings))


def workers_alive(name: str) -> int:
    """How many workers set `name` keeps alive at once: one (an idle framework's threads and
    memory never sit beside the one measured), or one per framework for the alternating peers."""
    return 1 + len(PEERS) if name == "peers" else 1

"""The run record, reports/runs/<env>[@<impl>].json: one schema, written by the recorder and read
by the reports; the version keys it carries; how a run's environment is named; and the command
that reproduces one of its tests."""

from __future__ import annotations

import json
import os
import shlex
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

DEFAULT_IMPL = "impl"
# The versions a record is keyed by, in this order.
VERSION_KEYS = ("python", "tensorflow", "keras", "numpy", "h5py")
# From best to worst: a clause's outcome in a run is the worst outcome of its tests.
OUTCOMES = ("pass", "skip", "xfail", "xpass", "fail", "error")
# The outcome each expected outcome is met by.
MEETS = {"pass": "pass", "fail": "xfail", "skip": "skip"}
# The most distinct things one test's result keeps of what it observed.
OBSERVED_LIMIT = 5


class RecordError(ValueError):
    """A result record that cannot be read."""


@dataclass(frozen=True)
class Observed:
    """Something a test saw, in `text` as a reader reads it. A call that raised carries the
    exception's class (`raised`) and the first line of its message (`message`); a call that was to
    raise but returned carries what it returned (`returned`, a short repr)."""

    text: str
    raised: str = ""
    message: str = ""
    returned: str = ""


@dataclass
class Result:
    """One spec test's result; `observed`: what it saw (at most OBSERVED_LIMIT distinct things)."""

    clause: str
    test: str
    outcome: str = "pass"
    expected: str = "pass"
    message: str = ""
    duration_s: float = 0.0
    observed: list[Observed] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.observed = [o if isinstance(o, Observed) else Observed(**o) for o in self.observed]

    @property
    def met(self) -> bool:
        """Whether the outcome is the one its expectation declares."""
        return self.outcome == MEETS[self.expected]


@dataclass
class EnvError:
    """Something that kept a run from judging its clauses: an import, a collection, an install."""

    where: str
    message: str


@dataclass
class Record:
    """What one run of the spec in one environment found."""

    env: str
    suite_commit: str
    versions: dict[str, str | None]
    hypothesis_profile: str = ""
    impl: str = DEFAULT_IMPL
    results: list[Result] = field(default_factory=list)
    errors: list[EnvError] = field(default_factory=list)

    def to_json(self) -> dict:
        """The record as JSON, without the empty lists a reader defaults (errors, observed)."""
        data = asdict(self)
        if not self.errors:
            del data["errors"]
        for result in data["results"]:
            if not result["observed"]:
                del result["observed"]
        return data

    @classmethod
    def from_json(cls, data: dict) -> Record:
        names = {f.name for f in fields(cls)}
        return cls(
            **{k: v for k, v in data.items() if k in names and k not in ("results", "errors")},
            results=[Result(**r) for r in data["results"]],
            errors=[EnvError(**e) for e in data.get("errors", [])],
        )

    def write(self, directory: Path) -> Path:
        path = directory / file_name(self.env, self.impl)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")
        return path

    def reproduction(self, test: str = "") -> str:
        return reproduction(self.env, test, self.impl)


def no_versions() -> dict[str, str | None]:
    return dict.fromkeys(VERSION_KEYS)


def load(path: Path) -> Record:
    try:
        return Record.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RecordError(f"{path}: not a result record ({type(exc).__name__}: {exc})") from exc


def file_name(env: str, impl: str) -> str:
    """`<env>.json` for the reference implementation, `<env>@<impl>.json` for any other, so that
    runs of two implementations never overwrite each other."""
    return f"{env}.json" if impl == DEFAULT_IMPL else f"{env}@{impl}.json"


def env_name(option: str | None = None) -> str:
    """A run's column: the option given, else tox's environment, else 'local'."""
    return option or os.environ.get("TOX_ENV_NAME") or "local"


def reproduction(env: str, test: str = "", impl: str = DEFAULT_IMPL) -> str:
    """The command that reruns `test` (all of the spec if empty) of `impl` in tox's `env`, or,
    for a run outside tox (`local`, `local-…`), on the interpreter's own TensorFlow."""
    if env == "local" or env.startswith("local-"):
        ours = ["--impl", impl] if impl != DEFAULT_IMPL else []
        return shlex.join(
            ["python3", "-m", "spec.run_here", *ours, *(["--", test] if test else [])]
        )
    args = [test] if test else []
    if impl != DEFAULT_IMPL:
        args += ["--impl", impl]
    tail = f" -- {shlex.join(args)}" if args else ""
    return f"python3 -m tox -e {env}{tail}"

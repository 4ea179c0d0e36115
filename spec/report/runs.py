"""The result records of one or more runs (reports/runs/<env>.json) and the conformance matrix
built from them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.version import InvalidVersion, Version

from spec import registry

# From best to worst: a clause's outcome in an environment is the worst outcome of its tests.
OUTCOMES = ("pass", "skip", "xfail", "xpass", "fail", "error")
# The outcome each expected outcome is met by.
MEETS = {"pass": "pass", "fail": "xfail", "skip": "skip"}


class RunError(ValueError):
    """A result record that cannot be read."""


@dataclass
class Run:
    env: str
    versions: dict
    suite_commit: str = "unknown"
    hypothesis_profile: str = ""
    impl: str = ""
    results: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple:
        return (
            release(self.versions.get("tensorflow")),
            release(self.versions.get("keras")),
            self.env,
        )

    def worst_results(self) -> dict[str, dict]:
        """Each clause's result with the worst outcome in this run (the first of equals)."""
        out: dict[str, dict] = {}
        for r in self.results:
            held = out.get(r["clause"])
            if held is None or OUTCOMES.index(r["outcome"]) > OUTCOMES.index(held["outcome"]):
                out[r["clause"]] = r
        return out


def release(text: str | None) -> Version:
    """A version string as an ordering key; a missing or unreadable one sorts first."""
    try:
        return Version(text or "0")
    except InvalidVersion:
        return Version("0")


def load_run(path: Path) -> Run:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Run(
            env=data["env"],
            versions=data["versions"],
            suite_commit=data["suite_commit"],
            hypothesis_profile=data["hypothesis_profile"],
            impl=data["impl"],
            results=data["results"],
            errors=data.get("errors", []),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RunError(f"{path}: not a result record ({type(exc).__name__}: {exc})") from exc


def load_runs(directory: Path) -> list[Run]:
    """Every record in `directory`, ordered by TensorFlow version, then Keras version."""
    return sorted((load_run(p) for p in sorted(directory.glob("*.json"))), key=lambda r: r.sort_key)


def missing_run(env: str, tox_dir: Path) -> Run:
    """A stand-in for an environment that wrote no record, carrying the cause that tox logged."""
    versions = dict.fromkeys(("python", "tensorflow", "keras", "numpy", "h5py"))
    return Run(
        env=env,
        versions=versions,
        suite_commit="none",
        errors=[{"where": "tox", "message": tox_failure(tox_dir / env)}],
    )


def tox_failure(env_dir: Path) -> str:
    """The last failed command in a tox environment's logs, with the end of its error output."""
    logs = sorted((env_dir / "log").glob("*-*.log"), key=lambda p: int(p.name.split("-", 1)[0]))
    for log in reversed(logs):
        text = log.read_text(encoding="utf-8", errors="replace")
        code = re.search(r"^exit_code: (-?\d+)$", text, re.MULTILINE)
        if code and code.group(1) != "0":
            cmd = re.search(r"^cmd: (.*)$", text, re.MULTILINE)
            err = text.split("standard error:", 1)[-1].strip().splitlines()[-3:]
            return (
                f"{log.name.split('-', 1)[1].removesuffix('.log')} failed (exit "
                f"{code.group(1)}): {cmd.group(1) if cmd else '?'}: {' / '.join(err)}"
            )
    if not env_dir.exists():
        return "tox never created this environment: is its Python interpreter installed?"
    return "the environment wrote no result record: it did not run its tests, or did not finish"


def conformance(runs: list[Run]) -> dict:
    """The matrix of ../shared/DESIGN.md: envs, clauses, and each clause's outcome per env; plus,
    per clause and env, the test and message behind that outcome, and each run's provenance."""
    clauses = registry.clauses()
    matrix: dict[str, dict[str, str]] = {cid: {} for cid in clauses}
    details: dict[str, dict[str, dict]] = {}
    for run in runs:
        for cid, result in run.worst_results().items():
            matrix.setdefault(cid, {})[run.env] = result["outcome"]
            details.setdefault(cid, {})[run.env] = {
                "test": result["test"],
                "message": result["message"],
            }
    return {
        "envs": {run.env: run.versions for run in runs},
        "clauses": {
            cid: {
                "slide": c.slide,
                "level": c.level,
                "quote": c.quote,
                "checks": c.checks,
                "fix": c.fix,
                "fixed_by": c.fixed_by,
            }
            for cid, c in clauses.items()
        },
        "matrix": matrix,
        "details": details,
        "runs": {
            run.env: {
                "suite_commit": run.suite_commit,
                "hypothesis_profile": run.hypothesis_profile,
                "impl": run.impl,
                "errors": run.errors,
            }
            for run in runs
        },
    }

"""Each spec test's outcome, as met or not by its expectation, and what it observed; at the end of
the session, the run's record (record.py) in --runs-dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from spec.harness import environment, observations
from spec.harness.record import OBSERVED_LIMIT, EnvError, Observed, Record, Result, no_versions
from spec.harness.registry import Clause

KEY = pytest.StashKey["Recorder"]()
MESSAGE_LIMIT = 1500


def of(config: pytest.Config) -> Recorder:
    return config.stash[KEY]


class Recorder:
    """Collects one result per spec test and, at the end of the session, writes the run's record."""

    def __init__(self, runs_dir: Path, *, env: str, impl: str, profile: str):
        self.runs_dir, self.env, self.impl, self.profile = runs_dir, env, impl, profile
        self.planned: dict[str, tuple[Clause, str]] = {}
        self.results: dict[str, Result] = {}
        self.errors: list[EnvError] = []
        self.observed: dict[str, list[Observed]] = {}
        self._versions: dict | None = None

    def versions(self) -> dict[str, str | None]:
        if self._versions is None:
            try:
                self._versions = environment.versions()
            except ImportError as exc:
                self._versions = no_versions()
                self.errors.append(EnvError("import tensorflow", short(str(exc))))
        return self._versions

    def expect(self, nodeid: str, clause: Clause, expected: str) -> None:
        self.planned[nodeid] = (clause, expected)

    def clause(self, nodeid: str) -> Clause | None:
        planned = self.planned.get(nodeid)
        return planned[0] if planned else None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item):
        """Keep what the test observed (observations.py) for its result, and attach its text to
        its report as 'observed'."""
        observations.take()
        try:
            return (yield)
        finally:
            # A Hypothesis test observes once per example: each distinct thing once.
            seen = list(dict.fromkeys(observations.take()))
            if seen:
                self.observed[item.nodeid] = seen[:OBSERVED_LIMIT]
                texts = dict.fromkeys(o.text for o in seen)
                item.user_properties.append(("observed", "; ".join(texts)))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.nodeid not in self.planned:
            return
        clause, expected = self.planned[report.nodeid]
        result = self.results.setdefault(
            report.nodeid, Result(clause=clause.id, test=report.nodeid, expected=expected)
        )
        result.duration_s = round(result.duration_s + report.duration, 4)
        outcome, message = classify(report)
        if outcome is not None and (result.outcome == "pass" or outcome == "error"):
            result.outcome, result.message = outcome, message
        if report.when == "call":
            result.observed = self.observed.pop(report.nodeid, [])
        observed = dict(report.user_properties).get("observed")
        if observed and not result.message:
            result.message = short(f"observed: {observed}")

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            where = f"collecting {report.nodeid or 'the session'}"
            self.errors.append(EnvError(where, short(report.longreprtext)))

    def record(self) -> Record:
        return Record(
            env=self.env,
            versions=self.versions(),
            suite_commit=environment.suite_commit(),
            hypothesis_profile=self.profile,
            impl=self.impl,
            results=list(self.results.values()),
            errors=self.errors,
        )

    def pytest_sessionfinish(self) -> None:
        if self.results or self.errors:
            self.record().write(self.runs_dir)


def classify(report: pytest.TestReport) -> tuple[str | None, str]:
    """The outcome a report phase adds to its test's result, with its message (None: no change)."""
    if getattr(report, "missing_function", False):
        return "fail", str(report.longrepr)
    if report.when != "call":
        if report.failed:
            return "error", f"{report.when}: {_crash(report)}"
        if report.skipped:
            return ("xfail" if hasattr(report, "wasxfail") else "skip"), _skip_reason(report)
        return None, ""
    if hasattr(report, "wasxfail"):
        if report.skipped:
            return "xfail", f"expected failure ({report.wasxfail}): {_crash(report)}"
        return "xpass", f"unexpected pass: {report.wasxfail}"
    if report.failed:
        text = str(report.longrepr)
        if text.startswith("[XPASS(strict)]"):
            return "xpass", "unexpected pass: " + text.removeprefix("[XPASS(strict)]").strip()
        return "fail", _crash(report)
    if report.skipped:
        return "skip", _skip_reason(report)
    return None, ""


def _crash(report: pytest.TestReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    return short(crash.message if crash is not None else str(report.longrepr))


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return short(reason.removeprefix("Skipped: "))


def short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"

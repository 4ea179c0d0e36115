"""The pytest plugin that runs the spec: the `clause` marker, the `--impl` implementation under
test, the version expectations, the Hypothesis profile, and one result record per run.

The record, `reports/runs/<env>.json`, follows ../shared/DESIGN.md; `python -m spec.report` reads
it.
"""

from __future__ import annotations

import importlib
import json
import os
import random

import pytest

from spec import environment, observations, profiles, registry
from spec.api import PUBLIC_API

DEFAULT_IMPL = "impl"
RECORDER = pytest.StashKey["Recorder"]()
MESSAGE_LIMIT = 1500


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tf-course-spec")
    group.addoption(
        "--impl",
        default=None,
        metavar="MODULE",
        help="the implementation under test (default: $TF_COURSE_IMPL, else 'impl')",
    )
    group.addoption(
        "--env-name",
        default=None,
        metavar="NAME",
        help="this run's column in the reports (default: $TOX_ENV_NAME, else 'local')",
    )
    group.addoption(
        "--runs-dir",
        default="reports/runs",
        metavar="DIR",
        help="where the result record <env>.json is written (default: reports/runs)",
    )
    parser.addini(
        "clauses_file",
        "the clause registry (default: the suite's spec/clauses.toml)",
        type="paths",
        default=[],
    )
    parser.addini(
        "expectations_file",
        "the version expectations (default: spec/expectations.toml)",
        type="paths",
        default=[],
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "clause(id): the course clause this test checks, registered in spec/clauses.toml"
    )
    config.addinivalue_line(
        "markers", "impl: the test checks the implementation under test (added for you: -m impl)"
    )
    name = config.getoption("hypothesis_profile", None) or os.environ.get(
        "HYPOTHESIS_PROFILE", "dev"
    )
    try:
        profiles.load(name)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    if name == "thorough" and config.getoption("hypothesis_seed", None) is None:
        config.option.hypothesis_seed = str(random.SystemRandom().randrange(2**32))
    impl = config.getoption("impl") or os.environ.get("TF_COURSE_IMPL") or DEFAULT_IMPL
    env = config.getoption("env_name") or os.environ.get("TOX_ENV_NAME") or "local"
    config.stash[RECORDER] = Recorder(config, env=env, impl=impl, profile=name)
    config.pluginmanager.register(config.stash[RECORDER], "tf-course-spec-recorder")


def pytest_report_header(config: pytest.Config) -> str:
    rec = config.stash[RECORDER]
    seed = config.getoption("hypothesis_seed", None)
    replay = f", seed {seed} (replay with --hypothesis-seed={seed})" if seed else ""
    profile = f"hypothesis profile {rec.profile}{replay}"
    return f"tf-course-spec: env {rec.env}, impl {rec.impl!r}, {profile}"


class Implementation:
    """The implementation under test: `impl.quadratic.roots` imports `<module>.quadratic` on first
    use, so that one spec grades any package with the same layout. Only the modules of the public
    API are attributes (Hypothesis probes its arguments with hasattr, which must stay False)."""

    def __init__(self, name: str):
        self.name = name

    def __getattr__(self, part: str):
        if part not in PUBLIC_API:
            raise AttributeError(f"{self!r} has no module {part!r} in the public API")
        module = f"{self.name}.{part}"
        try:
            return importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name in (self.name, module):
                pytest.fail(
                    f"the implementation under test, {self.name!r}, has no module {module}: "
                    f"the spec needs {part}.<function> (see the README)",
                    pytrace=False,
                )
            raise

    def __repr__(self) -> str:
        return f"Implementation({self.name!r})"


@pytest.fixture(scope="session")
def impl(pytestconfig: pytest.Config) -> Implementation:
    """The implementation under test, chosen with --impl or TF_COURSE_IMPL."""
    return Implementation(pytestconfig.stash[RECORDER].impl)


def clause_of(item: pytest.Item) -> str | None:
    marks = list(item.iter_markers("clause"))
    if not marks:
        return None
    if len(marks) > 1 or len(marks[0].args) != 1:
        raise pytest.UsageError(
            f"{item.nodeid}: a test checks exactly one clause, "
            f"@pytest.mark.clause('CHAPTER.TOPIC.DETAIL')"
        )
    return marks[0].args[0]


def _registry_file(config: pytest.Config, name: str, default):
    paths = config.getini(name)
    return paths[0] if paths else default


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rec = config.stash[RECORDER]
    clauses_file = _registry_file(config, "clauses_file", registry.CLAUSES_FILE)
    try:
        known = registry.clauses(clauses_file)
        entries = registry.expectations(
            _registry_file(config, "expectations_file", registry.EXPECTATIONS_FILE)
        )
    except registry.RegistryError as exc:
        raise pytest.UsageError(str(exc)) from None
    for item in items:
        clause = clause_of(item)
        if clause is None:
            continue
        if clause not in known:
            raise pytest.UsageError(f"{item.nodeid}: clause {clause!r} is not in {clauses_file}")
        item.user_properties.append(("clause", clause))
        if "impl" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.impl)
        exp = registry.expected(clause, rec.versions(), entries)
        rec.expect(item.nodeid, clause, _apply_expectation(item, clause, exp))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Attach what the test observed (spec/observations.py) to its report as 'observed'."""
    observations.take()
    try:
        return (yield)
    finally:
        seen = observations.take()
        if seen:
            # A Hypothesis test observes once per example: each distinct thing once.
            item.user_properties.append(("observed", "; ".join(dict.fromkeys(seen))))


def _apply_expectation(item: pytest.Item, clause: str, exp: registry.Expectation | None) -> str:
    if exp is None:
        return "pass"
    reason = f"[{exp.category}] {exp.reason}"
    if exp.outcome == "skip":
        item.add_marker(pytest.mark.skip(reason=reason))
    elif getattr(item.obj, "is_hypothesis_test", False):
        raise pytest.UsageError(
            f"{item.nodeid}: a Hypothesis test is never xfailed ({clause}); gate it with a skip "
            f"and a reason, or check the failing case in a deterministic test"
        )
    else:
        item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
    return exp.outcome


class Recorder:
    """Collects one result per spec test and, at the end of the session, writes the run's record."""

    def __init__(self, config: pytest.Config, *, env: str, impl: str, profile: str):
        self.config, self.env, self.impl, self.profile = config, env, impl, profile
        self.planned: dict[str, tuple[str, str]] = {}
        self.results: dict[str, dict] = {}
        self.errors: list[dict] = []
        self._versions: dict | None = None

    def versions(self) -> dict:
        if self._versions is None:
            try:
                self._versions = environment.versions()
            except ImportError as exc:
                self._versions = dict.fromkeys(("python", "tensorflow", "keras", "numpy", "h5py"))
                self.errors.append({"where": "import tensorflow", "message": _short(str(exc))})
        return self._versions

    def expect(self, nodeid: str, clause: str, expected: str) -> None:
        self.planned[nodeid] = (clause, expected)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.nodeid not in self.planned:
            return
        clause, expected = self.planned[report.nodeid]
        entry = self.results.setdefault(
            report.nodeid,
            {
                "clause": clause,
                "test": report.nodeid,
                "outcome": "pass",
                "expected": expected,
                "message": "",
                "duration_s": 0.0,
            },
        )
        entry["duration_s"] = round(entry["duration_s"] + report.duration, 4)
        outcome, message = _classify(report)
        if outcome is not None and (entry["outcome"] == "pass" or outcome == "error"):
            entry["outcome"], entry["message"] = outcome, message
        observed = dict(report.user_properties).get("observed")
        if observed and not entry["message"]:
            entry["message"] = _short(f"observed: {observed}")

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.errors.append(
                {
                    "where": f"collecting {report.nodeid or 'the session'}",
                    "message": _short(report.longreprtext),
                }
            )

    def pytest_sessionfinish(self) -> None:
        if not self.results and not self.errors:
            return
        record = {
            "env": self.env,
            "suite_commit": environment.suite_commit(),
            "versions": self.versions(),
            "hypothesis_profile": self.profile,
            "impl": self.impl,
            "results": list(self.results.values()),
        }
        if self.errors:
            record["errors"] = self.errors
        out = self.config.rootpath / self.config.getoption("runs_dir") / f"{self.env}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def _classify(report: pytest.TestReport) -> tuple[str | None, str]:
    """The outcome a report phase adds to its test's result, with its message (None: no change)."""
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
    return _short(crash.message if crash is not None else str(report.longrepr))


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return _short(reason.removeprefix("Skipped: "))


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"

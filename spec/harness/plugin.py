"""The pytest plugin that runs the spec: its options, the Hypothesis profile, and the harness's
modules registered as plugins (the implementation, the expectations, the clauses chosen with
--clause, the recorder, the terminal, the time limit)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from spec.harness import implementation, profiles, recorder
from spec.harness.record import DEFAULT_IMPL, env_name, file_name

pytest_plugins = (
    "spec.harness.implementation",
    "spec.harness.expectations",
    "spec.harness.selection",
    "spec.harness.terminal",
    "spec.harness.timeout",
)


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
    group.addoption(
        "--clause",
        action="append",
        default=[],
        metavar="ID",
        help="run only the tests of this clause (repeatable), e.g. --clause LOSS.MSE.FORMULA",
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
    profile = config.getoption("hypothesis_profile", None) or profiles.from_environment()
    try:
        profiles.load(profile)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    if profile == "thorough" and config.getoption("hypothesis_seed", None) is None:
        config.option.hypothesis_seed = str(random.SystemRandom().randrange(2**32))
    impl = implementation.name(config.getoption("impl"))
    env = env_name(config.getoption("env_name"))
    _keep_junit_apart(config, env, impl)
    rec = recorder.Recorder(
        config.rootpath / config.getoption("runs_dir"), env=env, impl=impl, profile=profile
    )
    config.stash[recorder.KEY] = rec
    config.pluginmanager.register(rec, "tf-course-spec-recorder")


def _keep_junit_apart(config: pytest.Config, env: str, impl: str) -> None:
    """Another implementation's JUnit file sits beside the reference's, as its record does."""
    xml = getattr(config.option, "xmlpath", None)
    if xml and impl != DEFAULT_IMPL and Path(xml).name == f"{env}.xml":
        config.option.xmlpath = str(Path(xml).with_name(Path(file_name(env, impl)).stem + ".xml"))

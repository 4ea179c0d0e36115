"""Each collected spec test's clause (on the test or on its `pytest.param`), checked against the
registry, and the clause's expectation in this environment turned into a strict xfail or a skip;
an xfail holds only as the failure it declares."""

from __future__ import annotations

import pytest

from spec.harness import recorder, registry

DECLARED = pytest.StashKey[registry.Expectation]()


def clause_of(item: pytest.Item) -> str | None:
    """The one clause a test (or its parameter) carries, or None for a test outside the spec."""
    marks = list(item.iter_markers("clause"))
    if not marks:
        return None
    if len(marks) > 1 or len(marks[0].args) != 1:
        raise pytest.UsageError(
            f"{item.nodeid}: a test checks exactly one clause, "
            f"@pytest.mark.clause('CHAPTER.TOPIC.DETAIL') on the test or on each pytest.param"
        )
    return marks[0].args[0]


def _registry_file(config: pytest.Config, name: str, default):
    paths = config.getini(name)
    return paths[0] if paths else default


def registry_files(config: pytest.Config):
    return (
        _registry_file(config, "clauses_file", registry.CLAUSES_FILE),
        _registry_file(config, "expectations_file", registry.EXPECTATIONS_FILE),
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rec = recorder.of(config)
    clauses_file, expectations_file = registry_files(config)
    try:
        known = registry.clauses(clauses_file)
        entries = registry.expectations(expectations_file)
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
        rec.expect(item.nodeid, known[clause], _apply(item, clause, exp))


def _apply(item: pytest.Item, clause: str, exp: registry.Expectation | None) -> str:
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
        item.stash[DECLARED] = exp
    return exp.outcome


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """An expected failure holds only as the failure it declares: another exception or another
    message, a fixture's error included, is a failure of its own."""
    report = yield
    exp = item.stash.get(DECLARED, None)
    if exp is not None and report.skipped and hasattr(report, "wasxfail") and call.excinfo:
        error = call.excinfo.value
        problem = (
            exp.mismatch(error)
            if call.when == "call"
            else f"its {call.when} failed: {type(error).__name__}: {str(error)[:300]}"
        )
        if problem:
            del report.wasxfail
            report.outcome = "failed"
            report.longrepr = f"declared to fail with {exp.declared()}, but {problem}"
    return report

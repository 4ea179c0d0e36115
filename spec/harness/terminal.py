"""The terminal as a report: the header names the environment, the implementation and the
profile, and after collection the versions; every failing, erroring or unexpectedly passing spec
test names its clause and slide; the run closes with how many clauses hold, do not hold as
declared, and differ from their expectations."""

from __future__ import annotations

import pytest

from spec.harness import implementation, recorder
from spec.harness.record import OUTCOMES


def pytest_report_header(config: pytest.Config) -> str:
    rec = recorder.of(config)
    seed = config.getoption("hypothesis_seed", None)
    replay = f", seed {seed} (replay with --hypothesis-seed={seed})" if seed else ""
    profile = f"hypothesis profile {rec.profile}{replay}"
    return f"tf-course-spec: env {rec.env}, impl {rec.impl!r}, {profile}"


def pytest_report_collectionfinish(config: pytest.Config, items: list[pytest.Item]) -> list[str]:
    """The versions this run judges, and, before any test runs, what the implementation under
    test lacks of the public API (each test that needs it then fails with one line)."""
    rec = recorder.of(config)
    if not rec.planned:
        return []
    clauses = {clause.id for clause, _ in rec.planned.values()}
    versions = ", ".join(f"{k} {v}" for k, v in rec.versions().items() if v)
    lines = [f"tf-course-spec: {len(clauses)} clauses in {len(rec.planned)} tests, on {versions}"]
    if any(item.get_closest_marker("impl") for item in items):
        lacks = implementation.problems(rec.impl)
        lines += [
            f"tf-course-spec: the implementation {rec.impl!r} lacks {name} ({why}): the tests "
            f"that call it fail (spec/CONTRACT.md#{name.split('.')[0]})"
            for name, why in lacks.items()
        ]
    return lines


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config):
    """'FAILED TENSORS.RANGE.SLIDE_EXAMPLE (slide 11)' instead of a bare 'FAILED' (with -v)."""
    clause = recorder.of(config).clause(report.nodeid)
    if clause is None or not report.failed:
        return None
    if report.when != "call":
        category, letter, word = "error", "E", "ERROR"
    elif str(report.longrepr).startswith("[XPASS(strict)]"):
        category, letter, word = "failed", "F", "XPASS(strict)"
    else:
        category, letter, word = "failed", "F", "FAILED"
    return category, letter, (f"{word} {clause.id} (slide {clause.slide})", {"red": True})


def _verdicts(rec: recorder.Recorder) -> dict[str, str]:
    """Each clause of this run: 'differs' if any of its tests missed its expectation, else its
    worst outcome."""
    out: dict[str, str] = {}
    for result in rec.results.values():
        verdict = "differs" if not result.met else result.outcome
        held = out.get(result.clause)
        if held is None or (
            held != "differs"
            and (verdict == "differs" or OUTCOMES.index(verdict) > OUTCOMES.index(held))
        ):
            out[result.clause] = verdict
    return out


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    rec = recorder.of(config)
    if not rec.results:
        return
    differing = [r for r in rec.results.values() if not r.met]
    if differing:
        terminalreporter.section("tf-course-spec: tests that differ from spec/expectations.toml")
        for r in differing:
            clause = rec.clause(r.test)
            first = (r.message.splitlines() or ["(no message)"])[0]
            terminalreporter.write_line(
                f"{r.outcome.upper()} {r.clause} (slide {clause.slide}): expected {r.expected}, "
                f"got {r.outcome}: {first}"
            )
            section = implementation.CONTRACT_SECTIONS.get(clause.chapter)
            if section:
                terminalreporter.write_line(f"    the contract: spec/CONTRACT.md#{section}")
            terminalreporter.write_line(f"    reproduce: {rec.record().reproduction(r.test)}")
    verdicts = list(_verdicts(rec).values())
    counts = {
        "hold": verdicts.count("pass"),
        "do not hold, as declared": verdicts.count("xfail"),
        "not applicable here": verdicts.count("skip"),
        "differ from their expectations": verdicts.count("differs"),
    }
    terminalreporter.write_line(
        f"tf-course-spec: {len(verdicts)} clauses in {rec.env} (impl {rec.impl!r}): "
        + ", ".join(f"{n} {what}" for what, n in counts.items())
    )

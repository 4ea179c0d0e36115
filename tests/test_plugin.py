"""The plugin, run through pytester on a demo registry: the result record follows DESIGN.md, the
expectations turn into strict xfails and skips, and misuse is a clear usage error."""

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLAUSES = "".join(
    f'[[clause]]\nid = "DEMO.OUTCOME.{name}"\nslide = 1\nlevel = "must"\nquote = "q"\n\n'
    for name in ("PASS", "FAIL", "XFAIL", "XPASS", "SKIP", "ERROR", "HYPOTHESIS")
)
EXPECTATIONS = "".join(
    f'[[expect]]\nclause = "DEMO.OUTCOME.{name}"\ntensorflow = ">=2"\noutcome = "{outcome}"\n'
    f'category = "bug"\nreason = "declared {outcome}"\n\n'
    for name, outcome in (("XFAIL", "fail"), ("XPASS", "fail"), ("SKIP", "skip"))
)
TESTS = """
import pytest
from spec import pytest_helpers as ph

@pytest.fixture
def broken():
    raise RuntimeError("fixture broke")

@pytest.mark.clause("DEMO.OUTCOME.PASS")
def test_pass(impl):
    assert impl.name == "demo_impl"
    ph.assert_raises("int('x')", lambda: int("x"), ValueError)

@pytest.mark.clause("DEMO.OUTCOME.FAIL")
def test_fail():
    assert 1 == 2, "one is not two"

@pytest.mark.clause("DEMO.OUTCOME.XFAIL")
def test_xfail():
    raise ValueError("as declared")

@pytest.mark.clause("DEMO.OUTCOME.XPASS")
def test_xpass():
    pass

@pytest.mark.clause("DEMO.OUTCOME.SKIP")
def test_skip():
    raise AssertionError("never runs")

@pytest.mark.clause("DEMO.OUTCOME.ERROR")
def test_error(broken):
    pass

def test_unmarked():
    pass
"""


@pytest.fixture
def demo(pytester: pytest.Pytester, monkeypatch) -> pytest.Pytester:
    """A directory with the demo registry; `spec` importable from subprocesses too."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    pytester.makefile(".toml", clauses=CLAUSES, expectations=EXPECTATIONS)
    pytester.makeini(
        "[pytest]\nclauses_file = clauses.toml\nexpectations_file = expectations.toml\n"
    )
    return pytester


def record(pytester: pytest.Pytester, env: str) -> dict:
    return json.loads((pytester.path / "reports" / "runs" / f"{env}.json").read_text())


def test_record_follows_design_and_classifies_outcomes(demo):
    demo.makepyfile(test_demo=TESTS)
    result = demo.runpytest(
        "-p", "spec.plugin", "--impl", "demo_impl", "--env-name", "demo", "--junitxml", "demo.xml"
    )
    result.assert_outcomes(passed=2, failed=2, xfailed=1, skipped=1, errors=1)
    rec = record(demo, "demo")
    assert list(rec) == ["env", "suite_commit", "versions", "hypothesis_profile", "impl", "results"]
    assert rec["env"] == "demo"
    assert rec["impl"] == "demo_impl"
    assert list(rec["versions"]) == ["python", "tensorflow", "keras", "numpy", "h5py"]
    by_clause = {r["clause"].split(".")[-1]: r for r in rec["results"]}
    assert {k: (r["outcome"], r["expected"]) for k, r in by_clause.items()} == {
        "PASS": ("pass", "pass"),
        "FAIL": ("fail", "pass"),
        "XFAIL": ("xfail", "fail"),
        "XPASS": ("xpass", "fail"),
        "SKIP": ("skip", "skip"),
        "ERROR": ("error", "pass"),
    }
    assert by_clause["PASS"]["message"].startswith("observed: int('x') raises ValueError: invalid")
    assert "one is not two" in by_clause["FAIL"]["message"]
    assert "declared fail" in by_clause["XFAIL"]["message"]
    assert "as declared" in by_clause["XFAIL"]["message"]
    assert "declared skip" in by_clause["SKIP"]["message"]
    assert "fixture broke" in by_clause["ERROR"]["message"]
    assert all(
        set(r) == {"clause", "test", "outcome", "expected", "message", "duration_s"}
        for r in rec["results"]
    )
    assert 'name="clause" value="DEMO.OUTCOME.PASS"' in (demo.path / "demo.xml").read_text()


def test_missing_module_of_the_implementation_fails_clearly(demo):
    demo.makepyfile(
        test_demo="""
        import pytest
        @pytest.mark.clause("DEMO.OUTCOME.PASS")
        def test_roots(impl):
            impl.quadratic.roots(1, 2, 1)
    """
    )
    result = demo.runpytest("-p", "spec.plugin", "--impl", "no_such_student_package")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*'no_such_student_package', has no module no_such_student_package.quadratic*"]
    )


def test_implementation_comes_from_the_environment(demo, monkeypatch):
    monkeypatch.setenv("TF_COURSE_IMPL", "demo_impl")
    demo.makepyfile(test_demo=TESTS)
    demo.runpytest("-p", "spec.plugin", "-k", "test_pass", "--env-name", "env")
    assert record(demo, "env")["impl"] == "demo_impl"


@pytest.mark.parametrize(
    ("test", "complaint"),
    [
        (
            '@pytest.mark.clause("DEMO.NOPE.X")\ndef test_x():\n    pass\n',
            "clause 'DEMO.NOPE.X' is not in",
        ),
        (
            '@pytest.mark.clause("DEMO.OUTCOME.PASS")\n@pytest.mark.clause("DEMO.OUTCOME.FAIL")\n'
            "def test_x():\n    pass\n",
            "exactly one clause",
        ),
        (
            "from hypothesis import given, strategies as st\n"
            '@pytest.mark.clause("DEMO.OUTCOME.XFAIL")\n@given(st.integers())\n'
            "def test_x(n):\n    pass\n",
            "a Hypothesis test is never xfailed",
        ),
    ],
    ids=["unknown-clause", "two-clauses", "xfailed-hypothesis-test"],
)
def test_misuse_is_a_usage_error(demo, test, complaint):
    demo.makepyfile(test_demo="import pytest\n" + test)
    result = demo.runpytest("-p", "spec.plugin")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert complaint in result.stderr.str()


def test_unknown_profile_is_a_usage_error(demo, monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "fast")
    demo.makepyfile(test_demo=TESTS)
    result = demo.runpytest_subprocess("-p", "spec.plugin")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    complaint = "unknown Hypothesis profile 'fast'; choose one of ci, dev, thorough, mutants"
    assert complaint in result.stderr.str()


def test_thorough_profile_scales_examples_and_prints_its_seed(demo, monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "thorough")
    demo.makepyfile(
        test_demo="""
        import pytest
        from hypothesis import given, strategies as st
        from spec.profiles import examples
        CALLS = []
        @pytest.mark.clause("DEMO.OUTCOME.HYPOTHESIS")
        @given(st.integers())
        @examples(7)
        def test_count(n):
            CALLS.append(n)
        def test_was_scaled():
            assert len(CALLS) == 70
    """
    )
    result = demo.runpytest_subprocess("-p", "spec.plugin", "--env-name", "thorough")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*hypothesis profile thorough, seed * (replay with --hypothesis-seed=*)"]
    )
    assert record(demo, "thorough")["hypothesis_profile"] == "thorough"

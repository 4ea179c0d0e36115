"""The plugin, run through pytester on a demo registry: the result record follows DESIGN.md, the
expectations turn into strict xfails and skips, and misuse is a clear usage error."""

import json
import os
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLAUSES = "".join(
    f'[[clause]]\nid = "DEMO.OUTCOME.{name}"\nslide = 1\nlevel = "must"\nquote = "q"\n\n'
    for name in (
        *("PASS", "FAIL", "XFAIL", "XPASS", "SKIP", "ERROR", "HYPOTHESIS"),
        *("OTHER_FAILURE", "OTHER_MESSAGE", "SETUP_ERROR"),
    )
)
DECLARED = {"fail": 'raises = "ValueError"\nmatch = "as declared"\n', "skip": ""}
EXPECTATIONS = "".join(
    f'[[expect]]\nclause = "DEMO.OUTCOME.{name}"\ntensorflow = ">=2"\noutcome = "{outcome}"\n'
    f'category = "bug"\nreason = "declared {outcome}"\n{DECLARED[outcome]}\n'
    for name, outcome in (
        ("XFAIL", "fail"),
        ("XPASS", "fail"),
        ("SKIP", "skip"),
        ("OTHER_FAILURE", "fail"),
        ("OTHER_MESSAGE", "fail"),
        ("SETUP_ERROR", "fail"),
    )
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
    ph.assert_raises("int('y')", lambda: int("y"), ValueError)
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
        "-p",
        "spec.harness.plugin",
        "--impl",
        "demo_impl",
        "--env-name",
        "demo",
        "--junitxml",
        "demo.xml",
    )
    result.assert_outcomes(passed=2, failed=2, xfailed=1, skipped=1, errors=1)
    rec = record(demo, "demo@demo_impl")
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
    observed = {k: r.pop("observed") for k, r in by_clause.items() if "observed" in r}
    assert observed == {
        k: [
            {
                "text": f"int('{x}') raises ValueError: {message}",
                "raised": "ValueError",
                "message": message,
                "returned": "",
            }
        ]
        for k, x in (("PASS", "x"), ("FAIL", "y"))
        for message in [f"invalid literal for int() with base 10: '{x}'"]
    }, "what a test saw, structured, whatever its outcome"
    assert all(
        set(r) == {"clause", "test", "outcome", "expected", "message", "duration_s"}
        for r in rec["results"]
    )
    assert (
        'name="clause" value="DEMO.OUTCOME.PASS"' in (demo.path / "demo@demo_impl.xml").read_text()
    )


def test_missing_module_of_the_implementation_fails_clearly(demo):
    demo.makepyfile(
        test_demo="""
        import pytest
        @pytest.mark.clause("DEMO.OUTCOME.PASS")
        def test_roots(impl):
            impl.quadratic.roots(1, 2, 1)
    """
    )
    result = demo.runpytest("-p", "spec.harness.plugin", "--impl", "no_such_student_package")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*'no_such_student_package', has no module no_such_student_package.quadratic*"]
    )


def test_implementation_comes_from_the_environment(demo, monkeypatch):
    monkeypatch.setenv("TF_COURSE_IMPL", "demo_impl")
    demo.makepyfile(test_demo=TESTS)
    demo.runpytest("-p", "spec.harness.plugin", "-k", "test_pass", "--env-name", "env")
    assert record(demo, "env@demo_impl")["impl"] == "demo_impl"


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
    result = demo.runpytest("-p", "spec.harness.plugin")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert complaint in result.stderr.str()


def test_unknown_profile_is_a_usage_error(demo, monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "fast")
    demo.makepyfile(test_demo=TESTS)
    result = demo.runpytest_subprocess("-p", "spec.harness.plugin")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    complaint = "unknown Hypothesis profile 'fast'; choose one of ci, dev, thorough, mutants"
    assert complaint in result.stderr.str()


def test_thorough_profile_scales_examples_and_prints_its_seed(demo, monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "thorough")
    demo.makepyfile(
        test_demo="""
        import pytest
        from hypothesis import given, strategies as st
        from spec.harness.profiles import examples
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
    result = demo.runpytest_subprocess("-p", "spec.harness.plugin", "--env-name", "thorough")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*hypothesis profile thorough, seed * (replay with --hypothesis-seed=*)"]
    )
    assert record(demo, "thorough")["hypothesis_profile"] == "thorough"


PARAM_TESTS = """
import pytest
@pytest.mark.parametrize("n", [
    pytest.param(1, marks=pytest.mark.clause("DEMO.OUTCOME.PASS"), id="holds"),
    pytest.param(2, marks=pytest.mark.clause("DEMO.OUTCOME.XFAIL"), id="declared"),
])
def test_n(n):
    if n != 1:
        raise ValueError("as declared")
"""


def test_clause_on_a_parameter_gets_its_own_expectation(demo):
    demo.makepyfile(test_demo=PARAM_TESTS)
    result = demo.runpytest("-p", "spec.harness.plugin", "--env-name", "params")
    result.assert_outcomes(passed=1, xfailed=1)
    results = record(demo, "params")["results"]
    assert {(r["test"], r["clause"], r["outcome"], r["expected"]) for r in results} == {
        ("test_demo.py::test_n[holds]", "DEMO.OUTCOME.PASS", "pass", "pass"),
        ("test_demo.py::test_n[declared]", "DEMO.OUTCOME.XFAIL", "xfail", "fail"),
    }


def test_terminal_names_the_run_each_differing_clause_and_the_counts(demo):
    demo.makepyfile(test_demo=TESTS)
    result = demo.runpytest(
        "-p", "spec.harness.plugin", "--impl", "demo_impl", "--env-name", "demo", "-v"
    )
    result.stdout.fnmatch_lines(
        [
            "tf-course-spec: env demo, impl 'demo_impl', hypothesis profile *",
            "tf-course-spec: 6 clauses in 6 tests, on python *, tensorflow *",
            "*test_demo.py::test_fail FAILED DEMO.OUTCOME.FAIL (slide 1)*",
            "*test_demo.py::test_xpass XPASS(strict) DEMO.OUTCOME.XPASS (slide 1)*",
            "*test_demo.py::test_error ERROR DEMO.OUTCOME.ERROR (slide 1)*",
            "*tf-course-spec: tests that differ from spec/expectations.toml*",
            "FAIL DEMO.OUTCOME.FAIL (slide 1): expected pass, got fail: AssertionError: one is*",
            "    reproduce: python3 -m tox -e demo -- test_demo.py::test_fail --impl demo_impl",
            "tf-course-spec: 6 clauses in demo (impl 'demo_impl'): 1 hold, 1 do not hold, as "
            "declared, 1 not applicable here, 3 differ from their expectations",
        ]
    )


def test_another_implementation_keeps_its_own_record_and_junit(demo):
    demo.makepyfile(test_demo=TESTS)
    junit = Path("reports", "runs", "tf221.xml")
    demo.runpytest(
        *("-p", "spec.harness.plugin", "--impl", "student_pkg", "--env-name", "tf221"),
        *("--junitxml", str(junit), "-k", "test_fail"),
    )
    runs = demo.path / "reports" / "runs"
    assert sorted(p.name for p in runs.iterdir()) == [
        "tf221@student_pkg.json",
        "tf221@student_pkg.xml",
    ]
    assert record(demo, "tf221@student_pkg")["impl"] == "student_pkg"


def test_keras_version_of_a_nightly_or_a_bare_module(monkeypatch):
    """tf-nightly installs keras-nightly; a Keras with no distribution reports its __version__."""
    from spec.harness import environment

    monkeypatch.setattr(environment, "_distribution_version", {"keras-nightly": "3.16.0.dev1"}.get)
    assert environment.keras_version("keras") == "3.16.0.dev1"
    bare = types.ModuleType("bare_keras")
    bare.__version__ = "3.16.0.dev2"
    monkeypatch.setitem(sys.modules, "bare_keras", bare)
    assert environment.keras_version("bare_keras") == "3.16.0.dev2"


STUDENT = {
    "student_pkg/__init__.py": "",
    "student_pkg/quadratic.py": "def roots(a, b, c):\n    while True:\n        pass\n",
    "student_pkg/losses.py": "def mean_squared_error(y, p):\n    return 0.0\n"
    "softmax_cross_entropy = 3\n",
    "student_pkg/perceptron.py": "def output(x):\n    return x + 1\n",
}
STUDENT_TESTS = """
import pytest
from hypothesis import given, strategies as st

@pytest.mark.clause("DEMO.OUTCOME.PASS")
@given(st.integers())
def test_calls_a_missing_function(impl, n):
    impl.losses.binary_cross_entropy(n, n)

@pytest.mark.clause("DEMO.OUTCOME.FAIL")
def test_calls_a_hanging_function(impl):
    impl.quadratic.roots(1, 2, 1)

@pytest.mark.clause("DEMO.OUTCOME.ERROR")
def test_calls_a_good_function(impl):
    assert impl.perceptron.output(1) == 2
"""


def test_student_package_is_checked_up_front_and_hangs_fail_one_test(demo):
    for path, text in STUDENT.items():
        (demo.path / path).parent.mkdir(exist_ok=True)
        (demo.path / path).write_text(text)
    demo.syspathinsert()
    demo.makepyfile(test_demo=STUDENT_TESTS)
    result = demo.runpytest(
        *("-p", "spec.harness.plugin", "--impl", "student_pkg", "--env-name", "student"),
        *("--time-limit", "3"),
    )
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "tf-course-spec: the implementation 'student_pkg' lacks losses.softmax_cross_entropy "
            "(not callable: it is a int)*",
            "tf-course-spec: the implementation 'student_pkg' lacks losses.binary_cross_entropy "
            "(no such function)*",
            "tf-course-spec: the implementation 'student_pkg' lacks models.cnn "
            "(no module student_pkg.models)*",
        ]
    )
    assert "Falsifying example" not in result.stdout.str()
    messages = {
        r["test"].split("::")[1]: r["message"]
        for r in record(demo, "student@student_pkg")["results"]
    }
    assert messages["test_calls_a_missing_function"] == (
        "the implementation under test, 'student_pkg', has no function "
        "losses.binary_cross_entropy: the contract asks for losses.binary_cross_entropy "
        "(spec/CONTRACT.md#losses)"
    )
    assert messages["test_calls_a_hanging_function"].startswith(
        "the test's setup, call or teardown ran past its time limit of 3 s"
    )


DECLARED_TESTS = """
import pytest

@pytest.fixture
def broken():
    raise ValueError("as declared, but from a fixture")

@pytest.mark.clause("DEMO.OUTCOME.XFAIL")
def test_declared():
    raise ValueError("fails as declared")

@pytest.mark.clause("DEMO.OUTCOME.OTHER_FAILURE")
def test_other_failure():
    raise TypeError("as declared, but a TypeError")

@pytest.mark.clause("DEMO.OUTCOME.OTHER_MESSAGE")
def test_other_message():
    raise ValueError("something else")

@pytest.mark.clause("DEMO.OUTCOME.SETUP_ERROR")
def test_setup_error(broken):
    raise ValueError("as declared")
"""


def test_an_expected_failure_holds_only_as_declared(demo):
    demo.makepyfile(test_demo=DECLARED_TESTS)
    result = demo.runpytest("-p", "spec.harness.plugin", "--env-name", "declared")
    result.assert_outcomes(xfailed=1, failed=2, errors=1)
    found = {r["clause"].split(".")[-1]: r for r in record(demo, "declared")["results"]}
    assert found["XFAIL"]["outcome"] == "xfail"
    assert found["OTHER_FAILURE"]["outcome"] == "fail"
    assert found["OTHER_FAILURE"]["message"] == (
        "declared to fail with ValueError matching 'as declared', but got TypeError: as "
        "declared, but a TypeError"
    )
    assert found["OTHER_MESSAGE"]["outcome"] == "fail"
    assert "another message: something else" in found["OTHER_MESSAGE"]["message"]
    assert found["SETUP_ERROR"]["outcome"] == "error", "a fixture's error is never the declared one"

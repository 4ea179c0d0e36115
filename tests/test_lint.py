"""The registry lint passes on the suite, and catches each kind of problem it promises to."""

from pathlib import Path

import pytest

from spec.harness import lint
from spec.harness.registry import Expectation

GOOD_CLAUSE = """
[[clause]]
id = "DEMO.TOPIC.ONE"
slide = 3
level = "must"
quote = "x = 1"
"""
GOOD_TEST = """
import pytest
@pytest.mark.clause("DEMO.TOPIC.ONE")
def test_one():
    assert 1 + 1 == 2
"""


def expect(
    clause: str = "DEMO.TOPIC.ONE",
    reason: str = "r",
    extra: str = "",
    declared: str = 'raises = "ValueError"\nmatch = "bad"\n',
) -> str:
    """An expectation entry declaring `clause` to fail (with ValueError 'bad', unless told)."""
    return (
        f'[[expect]]\nclause = "{clause}"\noutcome = "fail"\ncategory = "bug"\n'
        f'reason = "{reason}"\n{declared}{extra}'
    )


def lint_of(tmp_path: Path, clauses: str, tests: str, expectations: str = "") -> list[str]:
    (tmp_path / "clauses.toml").write_text(clauses)
    (tmp_path / "expectations.toml").write_text(expectations)
    (tmp_path / "test_demo.py").write_text(tests)
    return lint.problems(tmp_path, tmp_path / "clauses.toml", tmp_path / "expectations.toml")


def test_suite_registry_is_clean():
    assert lint.problems() == []


PARAM_TEST = """
import pytest
@pytest.mark.parametrize("n", [
    pytest.param(1, marks=pytest.mark.clause("DEMO.TOPIC.ONE"), id="one"),
    pytest.param(2, marks=[pytest.mark.clause("DEMO.TOPIC.TWO")], id="two"),
])
def test_n(n):
    assert n > 0
"""


def test_lint_accepts_a_good_registry(tmp_path):
    assert lint_of(tmp_path, GOOD_CLAUSE, GOOD_TEST) == []


def test_lint_reads_clauses_on_parameters(tmp_path):
    clauses = GOOD_CLAUSE + GOOD_CLAUSE.replace("ONE", "TWO")
    assert lint_of(tmp_path, clauses, PARAM_TEST) == []


@pytest.mark.parametrize(
    ("clauses", "tests", "expectations", "complaint"),
    [
        (
            GOOD_CLAUSE,
            GOOD_TEST.replace("DEMO.TOPIC.ONE", "DEMO.TOPIC.TWO"),
            "",
            "clause 'DEMO.TOPIC.TWO' is not in clauses.toml",
        ),
        (
            GOOD_CLAUSE,
            GOOD_TEST.replace('@pytest.mark.clause("DEMO.TOPIC.ONE")\n', ""),
            "",
            "exactly one @pytest.mark.clause",
        ),
        (
            GOOD_CLAUSE + GOOD_CLAUSE.replace("ONE", "TWO"),
            GOOD_TEST,
            "",
            "DEMO.TOPIC.TWO: no test checks this clause",
        ),
        (
            GOOD_CLAUSE + GOOD_CLAUSE.replace("ONE", "TWO"),
            PARAM_TEST.replace('marks=[pytest.mark.clause("DEMO.TOPIC.TWO")], ', ""),
            "",
            "on the test or on each of its pytest.params",
        ),
        (
            GOOD_CLAUSE + GOOD_CLAUSE.replace("ONE", "TWO"),
            PARAM_TEST.replace("def test_n", '@pytest.mark.clause("DEMO.TOPIC.ONE")\ndef test_n'),
            "",
            "on the test or on each of its pytest.params",
        ),
        (GOOD_CLAUSE.replace('quote = "x = 1"', 'quote = " "'), GOOD_TEST, "", "'quote' must give"),
        (GOOD_CLAUSE.replace("slide = 3", "slide = 0"), GOOD_TEST, "", "'slide' must be"),
        (GOOD_CLAUSE.replace('"must"', '"should"'), GOOD_TEST, "", "needs 'checks'"),
        (GOOD_CLAUSE.replace('"must"', '"erratum"'), GOOD_TEST, "", "an erratum needs 'fix'"),
        (
            GOOD_CLAUSE.replace("DEMO.TOPIC.ONE", "demo.one"),
            GOOD_TEST.replace("DEMO.TOPIC.ONE", "demo.one"),
            "",
            "CHAPTER.TOPIC.DETAIL",
        ),
        (
            GOOD_CLAUSE,
            GOOD_TEST,
            expect("DEMO.NOPE.X"),
            "expectation for DEMO.NOPE.X: no such clause",
        ),
        (
            GOOD_CLAUSE,
            GOOD_TEST,
            expect(reason=""),
            "needs its reason",
        ),
        (
            GOOD_CLAUSE,
            GOOD_TEST,
            expect(extra='tensorflow = "2.16+"\n'),
            "not a PEP 440 specifier",
        ),
        (GOOD_CLAUSE, GOOD_TEST, expect(declared=""), "declares what fails"),
        (
            GOOD_CLAUSE,
            GOOD_TEST,
            expect(declared='raises = "ValueError"\nmatch = "(unclosed"\n'),
            "is not a regular expression",
        ),
        (
            GOOD_CLAUSE,
            "from hypothesis import given\n"
            + GOOD_TEST.replace("def test_one", "@given()\ndef test_one"),
            expect(),
            "Hypothesis tests are never xfailed",
        ),
    ],
    ids=[
        "unknown-id",
        "unmarked-test",
        "untested-clause",
        "param-without-clause",
        "clause-on-test-and-params",
        "no-quote",
        "no-slide",
        "should-without-checks",
        "erratum-without-fix",
        "bad-id",
        "orphan-expectation",
        "no-reason",
        "bad-specifier",
        "undeclared-failure",
        "bad-match",
        "xfailed-hypothesis-test",
    ],
)
def test_lint_catches(tmp_path, clauses, tests, expectations, complaint):
    found = lint_of(tmp_path, clauses, tests, expectations)
    assert any(complaint in p for p in found), f"no complaint {complaint!r} among {found}"


@pytest.mark.parametrize(
    ("python", "covered"), [("3.11.7", True), ("3.12.1", False), ("3.13.0", False), (None, False)]
)
def test_an_expectation_limited_to_a_python_covers_only_that_python(python, covered):
    expectation = Expectation("X.Y.Z", "fail", "why", "bug", python="<3.12", keras=">=3.13")
    versions = {"python": python, "tensorflow": "2.20.0", "keras": "3.13.2"}
    assert expectation.matches(versions) is covered

"""`--clause ID` through pytester on a demo registry: it keeps the tests of the clauses given (on
tests and on parameters) and records only them; an unknown ID, or one that no collected test
checks, is a usage error that says which."""

import json

import pytest

CLAUSES = "".join(
    f'[[clause]]\nid = "DEMO.PICK.{name}"\nslide = 1\nlevel = "must"\nquote = "q"\n\n'
    for name in ("ONE", "TWO", "THREE", "UNTESTED")
)
TESTS = """
import pytest

@pytest.mark.clause("DEMO.PICK.ONE")
def test_one():
    pass

@pytest.mark.clause("DEMO.PICK.TWO")
def test_two():
    assert 1 == 2

@pytest.mark.parametrize("n", [
    pytest.param(1, marks=pytest.mark.clause("DEMO.PICK.ONE"), id="one"),
    pytest.param(3, marks=pytest.mark.clause("DEMO.PICK.THREE"), id="three"),
])
def test_param(n):
    pass

def test_unmarked():
    pass
"""


@pytest.fixture
def demo(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".toml", clauses=CLAUSES, expectations="")
    pytester.makeini(
        "[pytest]\nclauses_file = clauses.toml\nexpectations_file = expectations.toml\n"
    )
    pytester.makepyfile(test_demo=TESTS)
    return pytester


def run(demo: pytest.Pytester, *clauses: str) -> pytest.RunResult:
    chosen = [arg for cid in clauses for arg in ("--clause", cid)]
    return demo.runpytest("-p", "spec.harness.plugin", "--env-name", "pick", *chosen)


def test_keeps_the_tests_of_the_clauses_given(demo):
    result = run(demo, "DEMO.PICK.ONE", "DEMO.PICK.THREE")
    result.assert_outcomes(passed=3, deselected=2)
    rec = json.loads((demo.path / "reports" / "runs" / "pick.json").read_text())
    assert sorted(r["test"].split("::")[1] for r in rec["results"]) == [
        "test_one",
        "test_param[one]",
        "test_param[three]",
    ]


def test_one_clause_reruns_alone(demo):
    run(demo, "DEMO.PICK.TWO").assert_outcomes(failed=1, deselected=4)


@pytest.mark.parametrize(
    ("clauses", "complaint"),
    [
        (
            ("DEMO.PICK.ONE", "DEMO.PICK.TOW"),
            "--clause DEMO.PICK.TOW: no such clause in the registry; did you mean DEMO.PICK.TWO",
        ),
        (
            ("DEMO.PICK.UNTESTED",),
            "--clause DEMO.PICK.UNTESTED: no collected test checks it",
        ),
    ],
    ids=["unknown", "untested"],
)
def test_a_clause_that_selects_nothing_is_a_usage_error(demo, clauses, complaint):
    result = run(demo, *clauses)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert complaint in result.stderr.str()

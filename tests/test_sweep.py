"""The Keras sweep's data (spec/sweep/keras3.json): what `python -m spec.sweep` makes of the
records, and the check that every Keras boundary in spec/expectations.toml is a change point
it measured."""

import configparser
import json
import re

import pytest
from packaging.version import Version

from spec import sweep
from spec.harness import registry
from spec.harness.registry import Expectation

RELEASES = ["3.0.5", "3.1.0", "3.1.1", "3.2.0", "3.2.1", "3.3.0"]


def record(keras: str, *results: tuple[str, str, str]) -> dict:
    """A sweep record on Keras `keras` with (clause, outcome, message) results."""
    return {
        "env": f"sweep-keras{keras}",
        "suite_commit": f"commit-{keras}",
        "versions": {"tensorflow": "2.16.2", "keras": keras},
        "results": [
            {"clause": c, "test": f"spec/test_x.py::test_{c}", "outcome": o, "message": m}
            for c, o, m in results
        ],
    }


def expectation(keras: str, reason: str, clause: str = "A.B.C") -> Expectation:
    return Expectation(clause, "fail", reason, "bug", keras=keras)


def test_behaviour_ignores_what_was_expected_and_what_varies():
    fails = sweep.behaviour({"outcome": "fail", "message": "ValueError: bad 3 at 0x7f00 /tmp/a"})
    xfails = sweep.behaviour(
        {
            "outcome": "xfail",
            "message": "expected failure ([bug] why (a)): ValueError: bad 4 at 0x1 /b",
        }
    )
    assert fails == xfails == "fail: ValueError: bad # at # #"
    assert sweep.behaviour({"outcome": "xpass", "message": "unexpected pass: x"}) == "pass"


def test_collect_finds_the_first_release_of_each_change_and_whether_it_is_exact():
    records = [
        record("3.2.1", ("A.B.C", "pass", "")),
        record("3.0.5", ("A.B.C", "xfail", "expected failure (r): AssertionError: no")),
        record("3.1.0", ("A.B.C", "xfail", "expected failure (r): AssertionError: no")),
        record("3.1.1", ("A.B.C", "pass", "")),
    ]
    data = sweep.collect(records, RELEASES)
    assert data["swept"] == ["3.0.5", "3.1.0", "3.1.1", "3.2.1"]
    changes = data["clauses"]["A.B.C"]["changes"]
    assert [(c["last_old"], c["first"], c["exact"]) for c in changes] == [("3.1.0", "3.1.1", True)]
    gap = sweep.collect([records[0], records[1]], RELEASES)["clauses"]["A.B.C"]["changes"]
    assert [(c["first"], c["exact"]) for c in gap] == [("3.2.1", False)]


def test_a_partial_rerun_keeps_the_rest_of_the_earlier_data():
    earlier = sweep.collect(
        [
            record("3.0.5", ("A.B.C", "pass", ""), ("D.E.F", "pass", "")),
            record("3.1.0", ("A.B.C", "pass", ""), ("D.E.F", "pass", "")),
        ],
        RELEASES,
    )
    rerun = record("3.1.0", ("A.B.C", "fail", "ValueError: no"))
    rerun["suite_commit"] = "newer"
    data = sweep.collect([rerun, record("3.1.1", ("D.E.F", "skip", ""))], RELEASES, earlier)
    assert data["swept"] == ["3.0.5", "3.1.0", "3.1.1"]
    assert data["measured_with"] == {
        "3.0.5": "commit-3.0.5",
        "3.1.0": "newer",
        "3.1.1": "commit-3.1.1",
    }
    assert data["clauses"]["A.B.C"]["outcomes"] == {
        "3.0.5": "pass",
        "3.1.0": "fail: ValueError: no",
    }
    assert [c["first"] for c in data["clauses"]["A.B.C"]["changes"]] == ["3.1.0"]
    assert data["clauses"]["D.E.F"]["outcomes"] == {
        "3.0.5": "pass",
        "3.1.0": "pass",
        "3.1.1": "skip",
    }


DATA = {
    "clauses": {
        "A.B.C": {
            "changes": [{"last_old": "3.1.0", "first": "3.1.1", "exact": True}],
            "outcomes": {},
        }
    }
}


def test_a_measured_boundary_citing_its_release_passes():
    measured = expectation(">=3,<3.1.1", "fails before Keras 3.1.1")
    assert sweep.boundary_problems((measured,), DATA) == []
    assert sweep.boundary_problems((expectation("<3", "Keras 2"),), DATA) == []


@pytest.mark.parametrize(
    ("keras", "reason", "problem"),
    [
        (">=3,<3.2", "changed in Keras 3.2", "not a change point the sweep measured"),
        ("==3.0.*", "Keras 3.0", "write a Keras 3 boundary as"),
        ("<3.1.1", "changed later", "must cite 'Keras 3.1.1'"),
    ],
)
def test_an_unmeasured_or_uncited_boundary_is_rejected(keras, reason, problem):
    problems = sweep.boundary_problems((expectation(keras, reason),), DATA)
    assert any(problem in p for p in problems), problems


def test_a_boundary_bracketed_by_distant_releases_is_rejected():
    data = {
        "clauses": {"A.B.C": {"changes": [{"last_old": "3.0.5", "first": "3.1.1", "exact": False}]}}
    }
    problems = sweep.boundary_problems((expectation("<3.1.1", "Keras 3.1.1"),), data)
    assert any("not between consecutive releases" in p for p in problems), problems


# The boundaries the sweep has bracketed but not yet pinned to consecutive releases: each needs the
# patches between its two releases swept (README, "The Keras sweep"). Empty since every boundary
# was pinned; a new boundary joins it only until its patches are swept.
NOT_YET_EXACT: set[tuple[str, str]] = set()


# The patches the sweep's label names whose runs are not in spec/sweep/keras3.json yet.
NOT_YET_SWEPT: set[str] = set()


def test_every_keras_boundary_in_the_expectations_was_measured_by_the_sweep():
    problems = sweep.boundary_problems(registry.expectations(), sweep.load())
    unmeasured = {tuple(p.split(": ", 1)[0].split(" keras = ")) for p in problems}
    unmeasured = {(clause, spec.strip("'")) for clause, spec in unmeasured}
    assert unmeasured == NOT_YET_EXACT, "\n".join(problems)


def test_the_data_covers_the_swept_environments_of_tox_ini():
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(sweep.SWEEP_DIR.parent.parent / "tox.ini")
    label = next(line for line in ini["tox"]["labels"].splitlines() if line.startswith("sweep"))
    in_tox = re.search(r"\{(.*)\}", label).group(1).split(",")
    data = sweep.load()
    assert sorted(set(in_tox) - NOT_YET_SWEPT, key=Version) == data["swept"]
    assert set(data["swept"]) <= set(sweep.releases())
    newest = {}
    for version in sweep.releases():
        newest[Version(version).release[:2]] = version
    assert set(newest.values()) <= set(data["swept"]), "a Keras 3 minor's newest patch is missing"
    assert json.loads(json.dumps(data)) == data

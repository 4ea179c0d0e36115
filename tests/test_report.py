"""python -m spec.report: the matrix takes each clause's worst outcome per environment, the Markdown
heads each column with its versions, and an environment without a record is a failed column with
the cause from its tox log."""

import json

import pytest

from spec import registry
from spec.report.__main__ import main

CLAUSE = next(iter(registry.clauses()))


def write_run(runs_dir, env, tf, keras, outcomes):
    runs_dir.mkdir(parents=True, exist_ok=True)
    results = [
        {
            "clause": CLAUSE,
            "test": f"spec/test_x.py::test_{i}",
            "outcome": o,
            "expected": "pass",
            "message": "",
            "duration_s": 0.1,
        }
        for i, o in enumerate(outcomes)
    ]
    record = {
        "env": env,
        "suite_commit": "abc",
        "versions": {
            "python": "3.11.7",
            "tensorflow": tf,
            "keras": keras,
            "numpy": "1.26.4",
            "h5py": "3.11",
        },
        "hypothesis_profile": "ci",
        "impl": "impl",
        "results": results,
    }
    (runs_dir / f"{env}.json").write_text(json.dumps(record))


def report(tmp_path, *args):
    code = main(
        [
            "--runs",
            str(tmp_path / "runs"),
            "--out",
            str(tmp_path / "out"),
            "--tox-dir",
            str(tmp_path / "tox"),
            *args,
        ]
    )
    out = tmp_path / "out"
    conf = json.loads((out / "conformance.json").read_text()) if code == 0 else None
    md = (out / "conformance.md").read_text() if code == 0 else None
    return code, conf, md


def test_matrix_takes_the_worst_outcome_of_a_clause(tmp_path):
    write_run(tmp_path / "runs", "tf216", "2.16.2", "3.0.5", ["pass", "xfail", "pass"])
    write_run(tmp_path / "runs", "tf212", "2.12.1", "2.12.0", ["pass", "fail", "skip"])
    code, conf, md = report(tmp_path)
    assert code == 0
    assert list(conf["envs"]) == ["tf212", "tf216"], "columns ordered by TensorFlow version"
    assert conf["matrix"][CLAUSE] == {"tf212": "fail", "tf216": "xfail"}
    assert set(conf["clauses"][CLAUSE]) >= {"slide", "level", "quote"}
    assert "tf212<br>TF 2.12.1<br>Keras 2.12.0" in md
    assert "tf216<br>TF 2.16.2<br>Keras 3.0.5" in md


def test_environment_without_record_is_a_failed_column_with_its_cause(tmp_path):
    write_run(tmp_path / "runs", "tf212", "2.12.1", "2.12.0", ["pass"])
    log = tmp_path / "tox" / "tf299" / "log" / "2-install_deps.log"
    log.parent.mkdir(parents=True)
    log.write_text(
        "name: tf299\ncmd: uv pip install tensorflow==2.99.0\nexit_code: 1\n\n"
        "standard error:\nerror: No solution found when resolving dependencies\n"
    )
    code, conf, md = report(tmp_path, "--envs", "tf212,tf299,tf300")
    assert code == 0
    assert list(conf["envs"]) == ["tf212", "tf299", "tf300"]
    assert conf["matrix"][CLAUSE] == {"tf212": "pass"}
    cause = "install_deps failed (exit 1): uv pip install tensorflow==2.99.0: error: No solution"
    assert cause in md
    assert "**tf300**, tox: tox never created this environment" in md


def test_unreadable_record_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "tf212.json").write_text("{not json")
    code, _, _ = report(tmp_path)
    assert code == 2
    assert "tf212.json: not a result record" in capsys.readouterr().err


@pytest.mark.parametrize("runs", [None, "empty"])
def test_no_records_is_a_clear_error(tmp_path, capsys, runs):
    if runs:
        (tmp_path / "runs").mkdir()
    code, _, _ = report(tmp_path)
    assert code == 2
    assert "no result records" in capsys.readouterr().err

"""spec.fresh_interpreter: a session asks only for the jobs its tests need, in JOBS order; each job
reports in its own folder, and one that fails reports its error without stopping the others."""

import json
from types import SimpleNamespace

import pytest

from spec import fresh_interpreter as fi


def finished(folder):
    return {"folder": folder.name}


def broken(folder):
    raise ValueError(f"no report from {folder.name}")


@pytest.fixture
def jobs(monkeypatch):
    """Two jobs of this module in place of the spec's: `broken` first, then `finished`."""
    monkeypatch.setattr(
        fi, "JOBS", {"broken": fi.Job(__name__, "broken"), "finished": fi.Job(__name__, "finished")}
    )


def test_a_session_asks_for_the_jobs_of_its_tests_in_jobs_order():
    items = [
        SimpleNamespace(fixturenames=["fresh", "crafted", "seeded"]),
        SimpleNamespace(fixturenames=["seeded"]),
        SimpleNamespace(fixturenames=["distributed", "fresh"]),
    ]
    assert fi.needed(items) == ["distributed", "crafted"]
    assert fi.needed(items[1:2]) == []


def test_the_cpu_is_split_first_and_the_crafted_files_come_last():
    """TensorFlow splits the CPU only before its runtime starts; a crafted file's payload may change
    the interpreter (CVE-2025-9906's turns safe_mode off)."""
    first, *_, last = fi.JOBS
    assert (first, last) == ("distributed", "crafted")


def test_a_failed_job_reports_its_error_and_the_next_job_still_runs(jobs, tmp_path):
    for job in ("broken", "finished"):
        (tmp_path / job).mkdir()
    fi.main(tmp_path, ["broken", "finished"])
    error = json.loads((tmp_path / "broken" / "report.json").read_text())["error"]
    assert "ValueError: no report from broken" in error
    assert json.loads((tmp_path / "finished" / "report.json").read_text()) == {"folder": "finished"}
    assert not list(tmp_path.rglob("*.partial"))

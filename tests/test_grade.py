"""python -m spec.report.grade on three student packages (tests/students/): one that holds, one
with a wrong sign, one without the module. Each is graded by its own run of the spec (here only
the PERCEPTRON chapter's implementation clauses, to keep the suite quick), and the reports name
what each student fails."""

from pathlib import Path

import pytest

from spec.report import grade

STUDENTS = Path(__file__).resolve().parent / "students"


@pytest.mark.time_limit(900)  # three runs of the spec, each importing TensorFlow
def test_grader_writes_a_report_per_student_and_a_class_summary(tmp_path, capsys):
    out = tmp_path / "grade"
    code = grade.main(
        [
            str(STUDENTS),
            "--env-name",
            "tf-test",
            "--out",
            str(out),
            "--",
            "spec/test_perceptron.py",
            "-m",
            "impl",
        ]
    )
    assert code == 0, capsys.readouterr()
    summary = (out / "summary.md").read_text()
    good = (out / "reference_reexport.md").read_text()
    flipped = (out / "sign_flipped.md").read_text()
    missing = (out / "no_perceptron.md").read_text()
    assert good.startswith("# reference_reexport: ")
    assert "Every clause graded holds." in good
    assert "`PERCEPTRON.OUTPUT.SLIDE_EXAMPLE`" in flipped, flipped
    assert "spec/CONTRACT.md#perceptron" in flipped
    assert (
        f"PYTHONPATH={STUDENTS} python3 -m tox -e tf-test -- spec/test_perceptron.py::" in flipped
    )
    assert "has no module no_perceptron.perceptron" in missing
    rows = {
        line.split(" | ")[0].strip("| ") for line in summary.splitlines() if line.startswith("| ")
    }
    assert {"reference_reexport", "sign_flipped", "no_perceptron"} <= rows
    assert "## Clauses the class fails" in summary

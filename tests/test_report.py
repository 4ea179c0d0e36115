"""python -m spec.report: the matrix takes each clause's worst outcome per environment; the
Markdown heads each column with its versions; an environment without a record is a failed column
with the cause from its tox log; the gate fails on any outcome that differs from its expectation,
naming the clause, the environment and a reproduction; a baseline reports exactly what regressed."""

import json

import pytest

from spec.harness import registry
from spec.report import safety
from spec.report.__main__ import main
from spec.report.model import Conformance
from spec.report.runs import load_runs

CLAUSES = list(registry.clauses())
CLAUSE, OTHER = CLAUSES[0], CLAUSES[1]


def write_run(runs_dir, env, tf="2.21.0", keras="3.15.1", impl="impl", **special):
    """A record where every registered clause passed as expected, except `special`:
    {clause: [(outcome, expected), ...]} gives that clause's tests, each optionally with a third
    item, what it observed (a list of `Observed` fields)."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for cid in CLAUSES:
        for i, (outcome, expected, *observed) in enumerate(special.get(cid, [("pass", "pass")])):
            results.append(
                {
                    "clause": cid,
                    "test": f"spec/test_x.py::test_{cid}_{i}",
                    "outcome": outcome,
                    "expected": expected,
                    "message": f"{outcome} message",
                    "duration_s": 0.1,
                    **({"observed": observed[0]} if observed else {}),
                }
            )
    versions = {
        "python": "3.11.7",
        "tensorflow": tf,
        "keras": keras,
        "numpy": "1.26.4",
        "h5py": "3.11",
    }
    record = {
        "env": env,
        "suite_commit": "abc",
        "versions": versions,
        "hypothesis_profile": "ci",
        "impl": impl,
        "results": results,
    }
    name = env if impl == "impl" else f"{env}@{impl}"
    (runs_dir / f"{name}.json").write_text(json.dumps(record))


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
    conf = json.loads((out / "conformance.json").read_text()) if code != 2 else None
    md = (out / "conformance.md").read_text() if code != 2 else None
    return code, conf, md


def test_matrix_takes_the_worst_outcome_of_a_clause(tmp_path):
    write_run(
        tmp_path / "runs",
        "tf216",
        "2.16.2",
        "3.0.5",
        **{CLAUSE: [("pass", "pass"), ("xfail", "fail"), ("pass", "pass")]},
    )
    write_run(
        tmp_path / "runs",
        "tf212",
        "2.12.1",
        "2.12.0",
        **{CLAUSE: [("pass", "pass"), ("fail", "pass"), ("skip", "skip")]},
    )
    code, conf, md = report(tmp_path)
    assert code == 0
    assert list(conf["envs"]) == ["tf212", "tf216"], "columns ordered by TensorFlow version"
    assert conf["matrix"][CLAUSE] == {"tf212": "fail", "tf216": "xfail"}
    assert conf["details"][CLAUSE]["tf212"]["message"] == "fail message"
    assert set(conf["clauses"][CLAUSE]) >= {"slide", "level", "quote"}
    assert "tf212<br>TF 2.12.1<br>Keras 2.12.0" in md
    assert "tf216<br>TF 2.16.2<br>Keras 3.0.5" in md
    assert f"- `{CLAUSE}`: ❌ tf212; ⛔ tf216. fail message" in md, "what changed between versions"


def test_each_chapter_is_one_section_in_registry_order(tmp_path):
    write_run(tmp_path / "runs", "tf221")
    _, _, md = report(tmp_path)
    headings = [line for line in md.splitlines() if line.startswith("## ") and "(slide" in line]
    chapters = list(dict.fromkeys(cid.split(".", 1)[0] for cid in CLAUSES))
    assert [h.split()[1] for h in headings] == chapters, headings
    assert "## QUADRATIC (slide 13)" in headings, "a one-slide chapter names one slide"


def test_environment_without_record_is_a_failed_column_with_its_cause(tmp_path, capsys):
    write_run(tmp_path / "runs", "tf212", "2.12.1", "2.12.0")
    log = tmp_path / "tox" / "tf299" / "log" / "2-install_deps.log"
    log.parent.mkdir(parents=True)
    log.write_text(
        "name: tf299\ncmd: uv pip install tensorflow==2.99.0\nexit_code: 1\n\n"
        "standard error:\nerror: No solution found when resolving dependencies\n"
    )
    code, conf, md = report(tmp_path, "--envs", "tf212,tf299,tf300", "--gate")
    assert code == 1, "a failed environment makes the gate red"
    assert list(conf["envs"]) == ["tf212", "tf299", "tf300"]
    assert conf["matrix"][CLAUSE] == {"tf212": "pass"}
    cause = "install_deps failed (exit 1): uv pip install tensorflow==2.99.0: error: No solution"
    assert cause in md
    assert "**tf300**, tox: tox never created this environment" in md
    out = capsys.readouterr().out
    assert f"ENVIRONMENT FAILED: tox in tf299 (versions unknown)\n    {cause}" in out
    assert out.rstrip().endswith(f"gate: {len(CLAUSES)} passed, 2 failed")


def test_gate_is_green_when_every_outcome_meets_its_expectation(tmp_path, capsys):
    write_run(
        tmp_path / "runs", "tf216", **{CLAUSE: [("xfail", "fail")], OTHER: [("skip", "skip")]}
    )
    code, _, _ = report(tmp_path, "--gate")
    assert code == 0
    assert capsys.readouterr().out.rstrip().endswith(f"gate: {len(CLAUSES)} passed, 0 failed")


@pytest.mark.parametrize(
    ("outcome", "expected", "kind"),
    [
        ("fail", "pass", "UNEXPECTED FAILURE"),
        ("xpass", "fail", "UNEXPECTED PASS"),
        ("error", "pass", "ERROR"),
    ],
)
def test_gate_names_clause_version_and_reproduction(tmp_path, capsys, outcome, expected, kind):
    write_run(tmp_path / "runs", "tf216", "2.16.2", "3.15.1", **{CLAUSE: [(outcome, expected)]})
    code, _, _ = report(tmp_path, "--gate")
    out = capsys.readouterr().out
    assert code == 1
    assert f"{kind}: {CLAUSE} in tf216 (python 3.11.7, tensorflow 2.16.2, keras 3.15.1" in out
    assert f"expected {expected}, got {outcome}: {outcome} message" in out
    assert f"reproduce: python3 -m tox -e tf216 -- spec/test_x.py::test_{CLAUSE}_0" in out
    assert out.rstrip().endswith(f"gate: {len(CLAUSES) - 1} passed, 1 failed")


def test_gate_reports_clauses_that_did_not_run(tmp_path, capsys):
    write_run(tmp_path / "runs", "tf216", **{CLAUSE: []})
    code, _, _ = report(tmp_path, "--gate")
    assert code == 1
    assert f"NOT RUN: {CLAUSE} in tf216" in capsys.readouterr().out


def test_baseline_reports_exactly_the_regression(tmp_path, capsys):
    write_run(tmp_path / "runs", "tf216")
    write_run(tmp_path / "runs", "tf221")
    assert report(tmp_path)[0] == 0
    baseline = tmp_path / "baseline.json"
    (tmp_path / "out" / "conformance.json").rename(baseline)
    write_run(tmp_path / "runs", "tf221", **{CLAUSE: [("fail", "pass")]})
    capsys.readouterr()
    code, _, _ = report(tmp_path, "--baseline", str(baseline))
    out = capsys.readouterr().out
    assert code == 1
    assert f"regressed: {CLAUSE} in tf221: pass -> fail" in out
    assert "baseline: 1 regressed, 0 fixed, 0 changed, 0 clauses added, 0 removed" in out
    assert "note:" not in out, "same suite commit: nothing to warn about"


def test_baseline_from_another_suite_commit_says_so(tmp_path, capsys):
    write_run(tmp_path / "runs", "tf221")
    report(tmp_path)
    baseline = tmp_path / "out" / "conformance.json"
    conf = json.loads(baseline.read_text())
    conf["runs"]["tf221"]["suite_commit"] = "0ld"
    del conf["matrix"][CLAUSE]
    baseline.write_text(json.dumps(conf))
    capsys.readouterr()
    code, _, _ = report(tmp_path, "--baseline", str(baseline))
    out = capsys.readouterr().out
    assert code == 0
    assert "note: the baseline comes from suite commit(s) 0ld and this run from abc" in out
    assert f"clause added: {CLAUSE}" in out


ERRATUM = registry.clauses()["SEQUENTIAL.LAYERS.MAXPOOL_STRIDE"]
PRINTED = "layers.MaxPooling2D(pool_size=(2,2), stride=2, padding='same')"


def raised(name: str, message: str) -> list[dict]:
    """What a test saw when the printed code raised `name` with `message`."""
    return [{"text": f"{PRINTED} raises {name}: {message}", "raised": name, "message": message}]


def errata_sheet(tmp_path, **runs) -> str:
    """errata.md from one run per keyword (env: the erratum's [(outcome, expected, observed)])."""
    for env, tests in runs.items():
        write_run(tmp_path / "runs", env, **{ERRATUM.id: tests})
    assert report(tmp_path)[0] in (0, 1)
    return (tmp_path / "out" / "errata.md").read_text()


def row(sheet: str, envs: str) -> str:
    """The row of the erratum's table for the environments `envs`."""
    start = sheet.index(f"`{ERRATUM.id}`\n")
    return next(line for line in sheet[start:].splitlines() if line.startswith(f"| {envs} |"))


def test_errata_sheet_gives_code_behaviour_and_proven_fix(tmp_path):
    erratum = next(c for c in registry.clauses().values() if c.level == "erratum")
    write_run(tmp_path / "runs", "tf212", "2.12.1", "2.12.0")
    write_run(tmp_path / "runs", "tf215", "2.15.1", "2.15.0", **{erratum.id: [("fail", "pass")]})
    write_run(tmp_path / "runs", "tf221", **{erratum.fixed_by: [("fail", "pass")]})
    assert report(tmp_path)[0] == 0
    sheet = (tmp_path / "out" / "errata.md").read_text()
    assert f"## Slide {erratum.slide}: `{erratum.id}`" in sheet
    assert erratum.quote.strip() in sheet
    assert erratum.fix.strip() in sheet
    assert "| tf212 | TF 2.12.1, Keras 2.12.0 |" in sheet, "the versions of each environment"
    assert (
        "| tf212, tf221 | ❌ does not work as printed | as the erratum says | "
        "✅ as the erratum says |" in sheet
    ), "a pass with nothing observed: the printed code fails as the erratum says; one row"
    assert (
        "| tf215 | ❓ not measured | the test's outcome, fail: fail message | "
        "❌ otherwise, unexpectedly |" in sheet
    ), "a failure with nothing observed does not tell whether the printed code works"
    assert f"Proven by `{erratum.fixed_by}` on: tf212, tf215; not proven on: tf221." in sheet


def test_errata_sheet_says_what_a_student_sees_where_the_printed_code_raises(tmp_path):
    keras3 = "Unrecognized keyword arguments passed to MaxPooling2D: {'stride': 2}"
    sheet = errata_sheet(
        tmp_path,
        tf215=[("pass", "pass", raised("TypeError", "Keyword argument not understood: stride"))],
        tf221=[("xfail", "fail", raised("ValueError", keras3))],
    )
    assert row(sheet, "tf215") == (
        "| tf215 | ❌ does not work as printed | "
        "`TypeError`: Keyword argument not understood: stride | ✅ as the erratum says |"
    )
    assert row(sheet, "tf221") == (
        f"| tf221 | ❌ does not work as printed | `ValueError`: {keras3} | "
        "⛔ otherwise, as declared in spec/expectations.toml |"
    ), "another exception than the erratum's is still a failure of the printed code"
    assert f"| {ERRATUM.slide} | `{ERRATUM.id}` | ❌ | ❌ |" in sheet, "at a glance"


def test_errata_sheet_says_the_printed_code_works_where_it_returned(tmp_path):
    returned = [{"text": f"{PRINTED} returns <MaxPooling2D>", "returned": "<MaxPooling2D>"}]
    sheet = errata_sheet(
        tmp_path,
        tf215=[("pass", "pass", raised("TypeError", "Keyword argument not understood: stride"))],
        tf221=[("fail", "pass", returned)],
    )
    assert row(sheet, "tf221") == (
        "| tf221 | ✅ works as printed | no error; it returns <MaxPooling2D> | "
        "❌ otherwise, unexpectedly |"
    )
    assert f"| {ERRATUM.slide} | `{ERRATUM.id}` | ❌ | ✅ |" in sheet, "at a glance"


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


def test_two_implementations_are_two_columns_and_reproduce_with_their_impl(tmp_path, capsys):
    write_run(tmp_path / "runs", "tf221")
    write_run(tmp_path / "runs", "tf221", impl="student", **{CLAUSE: [("fail", "pass")]})
    code, conf, md = report(tmp_path, "--gate")
    out = capsys.readouterr().out
    assert code == 1
    assert list(conf["envs"]) == ["tf221", "tf221@student"]
    assert conf["matrix"][CLAUSE] == {"tf221": "pass", "tf221@student": "fail"}
    assert "Implementations under test: `impl`, `student`." in md
    assert f"UNEXPECTED FAILURE: {CLAUSE} in tf221@student" in out
    assert (
        f"reproduce: python3 -m tox -e tf221 -- spec/test_x.py::test_{CLAUSE}_0 --impl student"
        in out
    )


def test_nightly_column_shows_what_changes_next(tmp_path):
    write_run(tmp_path / "runs", "tf221")
    write_run(
        tmp_path / "runs",
        "tf-nightly",
        "2.22.0.dev20261201",
        "3.16.0.dev2026120103",
        **{CLAUSE: [("fail", "pass")]},
    )
    _, _, md = report(tmp_path)
    assert "## What changes next: tf-nightly against tf221" in md
    assert f"- `{CLAUSE}`: ✅ → ❌. fail message" in md
    keras_wide = next(e for e in registry.expectations() if e.keras == "==3.*")
    assert f"| `{keras_wide.clause}` | `==3.*` | {keras_wide.outcome} | yes |" in md


def test_move_shows_what_changes_between_two_columns(tmp_path, capsys):
    declared = next(e for e in registry.expectations() if e.outcome == "fail" and not e.tensorflow)
    write_run(tmp_path / "runs", "colab", "2.20.0", "3.13.2")
    write_run(tmp_path / "runs", "tf221", **{declared.clause: [("xfail", "fail")]})
    code, _, md = report(tmp_path, "--move", "colab,tf221")
    assert code == 0
    assert "## What changes if you move from colab to tf221" in md
    section = md.split("## What changes if you move from colab to tf221", 1)[1].split("\n## ")[0]
    assert f"- `{declared.clause}` (slide " in section
    assert "✅ → ⛔" in section
    assert " ".join(declared.reason.split())[:60] in section, "the declared reason says why"
    assert section.count("\n- `") == 1, "only the clauses whose verdict differs"
    assert report(tmp_path, "--move", "colab,tf999")[0] == 2


LOCAL = "local-py313-tf2.20.0-keras3.13.2"


def test_records_from_elsewhere_are_columns_beside_tox_and_the_gate_judges_them(tmp_path, capsys):
    """tox's folder, plus one record downloaded from a Colab run: two columns, one gate."""
    write_run(tmp_path / "runs", "tf221")
    write_run(tmp_path / "colab", LOCAL, "2.20.0", "3.13.2", **{CLAUSE: [("fail", "pass")]})
    downloaded = tmp_path / "colab" / f"{LOCAL}.json"
    code, conf, _ = report(
        tmp_path, "--runs", str(downloaded), "--envs", "tf221", "--envs", LOCAL, "--gate"
    )
    assert code == 1
    assert list(conf["envs"]) == ["tf221", LOCAL], "in the order --envs gives"
    assert conf["matrix"][CLAUSE] == {LOCAL: "fail", "tf221": "pass"}
    out = capsys.readouterr().out
    assert f"UNEXPECTED FAILURE: {CLAUSE} in {LOCAL}" in out
    assert f"reproduce: python3 -m spec.run_here -- spec/test_x.py::test_{CLAUSE}_0" in out


def test_a_folder_given_twice_shows_each_column_once_or_says_which_records_clash(tmp_path, capsys):
    write_run(tmp_path / "runs", "tf221")
    write_run(tmp_path / "ci-artifact", "tf221", **{CLAUSE: [("fail", "pass")]})
    code, _, _ = report(tmp_path, "--runs", str(tmp_path / "ci-artifact"))
    assert code == 2
    err = capsys.readouterr().err
    assert "two records of column tf221: " in err
    assert (
        f"{tmp_path / 'runs' / 'tf221.json'} and {tmp_path / 'ci-artifact' / 'tf221.json'}" in err
    )


SAFETY = "SAFETY.LAMBDA.H5_SAFE_MODE"


def test_safety_view_says_where_loading_a_crafted_file_is_safe(tmp_path):
    sweep = {"clauses": {SAFETY: {"outcomes": {"3.11.2": "fail: ran", "3.11.3": "pass"}}}}
    refused = [{"text": "CVE-2025-9905: refused: ValueError: Lambda"}]
    ran = "expected failure ([bug] CVE-2025-9905): AssertionError: the crafted file's payload ran"
    write_run(tmp_path / "runs", "tf215", "2.15.1", "2.15.0", **{SAFETY: [("xfail", "fail")]})
    write_run(tmp_path / "runs", "tf221", **{SAFETY: [("pass", "pass", refused)]})
    write_run(tmp_path / "runs", "tf216", "2.16.2", "3.0.5", **{SAFETY: [("fail", "pass")]})
    conf = Conformance.of(load_runs(tmp_path / "runs"))
    for result in conf.cell(SAFETY, "tf215").results:
        result.message = ran
    view = safety.render(conf, sweep)
    stated = "CVE-2025-9905 (stated: Keras 3.0.0 to 3.11.2, fixed in 3.11.3)"
    assert f"| `{SAFETY}` | {stated} | 3.11.3 | ❌ | ❓ | ✅ |" in view, view
    assert "| tf221 | ✅ | CVE-2025-9905: refused: ValueError: Lambda |" in view
    assert "| tf215 | ❌ | the crafted file's payload ran |" in view
    assert "| tf216 | ❓ | fail message |" in view, (
        "a failure that is not the payload is no verdict"
    )


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ({"3.0.5": "pass", "3.1.0": "pass"}, "every Keras 3 swept"),
        ({"3.0.5": "fail: ran", "3.1.0": "pass", "3.2.0": "pass"}, "3.1.0"),
        ({"3.9.0": "pass", "3.10.0": "fail: ran", "3.11.0": "pass"}, "3.11.0 (also 3.9.0)"),
        ({"3.9.0": "pass", "3.10.0": "fail: ran"}, "not yet (safe in 3.9.0)"),
        ({"3.9.0": "fail: ran"}, "never"),
        ({}, "not swept"),
    ],
)
def test_safety_view_gives_the_lowest_safe_keras_as_swept(outcomes, expected):
    assert safety.safe_from({"outcomes": outcomes}) == expected

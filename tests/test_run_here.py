"""python -m spec.run_here: tox.ini's [testenv] settings and command without tox, the column named
after the versions it finds, a clear refusal of what it cannot run as tox does, the record where
tox's go, and the column's verdict with the errata that apply."""

import importlib.metadata as md
import sys
from pathlib import Path

import pytest

from spec import run_here
from spec.harness import record, registry
from spec.harness.record import Record, Result

ROOT = Path(__file__).resolve().parent.parent
# What tox.ini's [testenv] sets, as its comments and the README say (the oracle).
TOX_SETTINGS = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "TF_DETERMINISTIC_OPS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "CUDA_VISIBLE_DEVICES": "-1",
    "KERAS_BACKEND": "tensorflow",
    "PYTHONHASHSEED": "0",
}
NAME = "local-py313-tf2.20.0-keras3.13.2"


@pytest.mark.parametrize(
    ("environ", "profile"), [({}, "ci"), ({"HYPOTHESIS_PROFILE": "thorough"}, "thorough")]
)
def test_settings_are_tox_testenv_set_env(tmp_path, environ, profile):
    found = run_here.settings(run_here.tox_testenv(), tmp_path, environ)
    assert {k: found.get(k) for k in TOX_SETTINGS} == TOX_SETTINGS
    assert found["KERAS_HOME"] == str(tmp_path / "keras"), "an empty Keras home of the run's own"
    assert found["HYPOTHESIS_PROFILE"] == profile, "the profile follows $HYPOTHESIS_PROFILE as tox"


def test_a_substitution_it_cannot_fill_is_a_refusal(tmp_path):
    ini = tmp_path / "tox.ini"
    ini.write_text("[testenv]\nset_env =\n    CACHE = {toxinidir}/cache\ncommands = python -m x\n")
    with pytest.raises(run_here.Refusal, match=r"uses \{toxinidir\}, which spec.run_here cannot"):
        run_here.settings(run_here.tox_testenv(ini), tmp_path, {})


def test_command_is_tox_testenv_command_on_this_interpreter(tmp_path):
    got = run_here.command(run_here.tox_testenv(), NAME, tmp_path, ["-k", "range"], "/py")
    assert got == [
        *("/py", "-m", "pytest", "-o", "testpaths=spec", "-p", "no:cacheprovider"),
        *("--env-name", NAME, "--junitxml", str(tmp_path / f"{NAME}.xml")),
        *("--runs-dir", str(tmp_path), "-k", "range"),
    ]


@pytest.mark.parametrize(
    ("versions", "name"),
    [
        ({"python": "3.13.0", "tensorflow": "2.20.0", "keras": "3.13.2"}, NAME),
        (
            {"python": "3.11.7", "tensorflow": "2.22.0-dev20261201", "keras": "3.16.0.dev20261201"},
            "local-py311-tf2.22.0-dev20261201-keras3.16.0.dev20261201",
        ),
        (
            {"python": "3.12.1", "tensorflow": "2.16.1+cpu", "keras": None},
            "local-py312-tf2.16.1-cpu-kerasunknown",
        ),
    ],
)
def test_column_is_named_after_the_versions_found(versions, name):
    assert run_here.env_name(versions) == name


@pytest.mark.parametrize("name", ["tf221@student", "a,b", ""])
def test_a_column_name_that_is_no_file_name_is_a_usage_error(name, capsys):
    with pytest.raises(SystemExit) as exited:
        run_here.main(["--env-name", name])
    assert exited.value.code == 2
    assert f"{name!r}: a column is letters, digits" in capsys.readouterr().err


FINE = {
    "versions": {"python": "3.13.0", "tensorflow": "2.20.0", "keras": "3.13.2"},
    "devices": [],
    "pytest": "9.0.3",
    "hypothesis": "6.155.2",
}


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({}, None),
        ({"versions": {**FINE["versions"], "tensorflow": "2.11.1"}}, "TensorFlow 2.11.1: the spec"),
        ({"devices": ["GPU"]}, "TensorFlow still sees a GPU with CUDA_VISIBLE_DEVICES=-1"),
        ({"hypothesis": None}, "no hypothesis in this interpreter: "),
    ],
)
def test_refuses_a_runtime_unlike_tox_environments(change, refusal):
    found = run_here.refusals({**FINE, **change})
    assert found == [] if refusal is None else refusal in found[0], found


def test_a_missing_runner_names_the_pins_to_install():
    (message,) = run_here.refusals({**FINE, "pytest": None})
    assert message.endswith("-m pip install pytest==9.0.3 hypothesis==6.155.2"), message


def test_refuses_an_interpreter_that_cannot_import_tensorflow(tmp_path, monkeypatch, capsys):
    fake = tmp_path / "tensorflow"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('no TensorFlow on this machine')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    assert run_here.main(["--runs-dir", str(tmp_path / "runs")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"spec.run_here refuses: {sys.executable} cannot import TensorFlow")
    assert "ImportError: no TensorFlow on this machine" in err
    assert not (tmp_path / "runs").exists(), "no run, no record"


def test_local_run_sets_tox_settings_names_its_column_and_prints_its_verdict(
    tmp_path, monkeypatch, capfd
):
    """On this interpreter's TensorFlow, from a shell that sets none of tox's settings but one
    other: the run still gets tox's, as its record's Hypothesis profile shows, and says which."""
    for variable in [*TOX_SETTINGS, "KERAS_HOME", "HYPOTHESIS_PROFILE", "UV_PYTHON_DOWNLOADS"]:
        monkeypatch.delenv(variable, raising=False)  # as tox sets them, when run through tox
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    name = (
        f"local-py{sys.version_info[0]}{sys.version_info[1]}-tf{md.version('tensorflow')}"
        f"-keras{md.version('keras')}"
    )
    test = "spec/test_tensors.py::test_range_matches_slide"
    assert run_here.main(["--runs-dir", str(tmp_path), "--", test]) == 0
    rec = record.load(tmp_path / f"{name}.json")
    assert (rec.env, rec.hypothesis_profile) == (name, "ci")
    assert [(r.clause, r.outcome) for r in rec.results] == [("TENSORS.RANGE.SLIDE_EXAMPLE", "pass")]
    assert (tmp_path / f"{name}.xml").is_file(), "the JUnit XML beside the record"
    out = capfd.readouterr().out
    assert "(instead of this environment's CUDA_VISIBLE_DEVICES=0)" in out
    assert f"## {name}: 1 of 1 clauses hold" in out
    assert "The gate is GREEN" in out, "a clause left out by a narrowed run is no finding"


def test_local_run_reproduces_with_itself():
    assert record.reproduction(NAME, "spec/test_h5.py::t") == (
        "python3 -m spec.run_here -- spec/test_h5.py::t"
    )
    assert record.reproduction(NAME, impl="mine") == "python3 -m spec.run_here --impl mine"
    assert record.reproduction("tf221", "t") == "python3 -m tox -e tf221 -- t"


# The verdict, on the registry's clauses: a declared failure, an erratum and its proof.
VERSIONS = [
    {"python": "3.13.0", "tensorflow": tf, "keras": keras, "numpy": "2.1.3", "h5py": "3.16.0"}
    for tf, keras in (("2.20.0", "3.13.2"), ("2.16.2", "3.0.5"), ("2.12.1", "2.12.0"))
]
ERRATUM = next(c for c in registry.clauses().values() if c.level == "erratum")
DECLARED_VERSIONS, DECLARED = next(
    (v, e)
    for v in VERSIONS
    for e in registry.expectations()
    if e.outcome == "fail" and e.matches(v) and e.clause not in (ERRATUM.id, ERRATUM.fixed_by)
)


def local_record(narrowed_to: dict[str, tuple[str, str]]) -> Record:
    results = [
        Result(clause=cid, test=f"spec/test_x.py::{cid}", outcome=o, expected=e, message=f"{o}!")
        for cid, (o, e) in narrowed_to.items()
    ]
    return Record(env=NAME, suite_commit="abc", versions=DECLARED_VERSIONS, results=results)


def test_verdict_gives_what_does_not_hold_with_its_reason_and_the_errata_with_their_fix():
    rec = local_record(
        {
            DECLARED.clause: ("xfail", "fail"),
            ERRATUM.id: ("pass", "pass"),
            ERRATUM.fixed_by: ("fail", "pass"),
        }
    )
    text, green = run_here.judge(rec, narrowed=True)
    assert not green, "an unexpected failure is a finding"
    slide = registry.clauses()[DECLARED.clause].slide
    assert f"## {NAME}: 1 of 3 clauses hold" in text
    assert f"- ⛔ `{DECLARED.clause}` (slide {slide}): {' '.join(DECLARED.reason.split())}" in text
    assert f"- ❌ `{ERRATUM.fixed_by}` (slide " in text
    assert f"Corrected, not proven here: `{ERRATUM.fixed_by}` fails, unexpectedly:" in text
    assert "\n".join(f"  {line}" for line in ERRATUM.fix.strip().splitlines()) in text
    assert f"UNEXPECTED FAILURE: {ERRATUM.fixed_by} in {NAME}" in text
    assert f"reproduce: python3 -m spec.run_here -- spec/test_x.py::{ERRATUM.fixed_by}" in text


@pytest.mark.parametrize(("narrowed", "green"), [(True, True), (False, False)])
def test_only_a_whole_run_finds_the_clauses_it_did_not_run(narrowed, green):
    text, found_green = run_here.judge(local_record({ERRATUM.id: ("pass", "pass")}), narrowed)
    assert found_green is green
    assert (f"NOT RUN: {ERRATUM.fixed_by} in {NAME}" in text) is not green

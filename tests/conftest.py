"""The suite's own tests: the registry lint, the plugin (through pytester), the reports, and the
spec's power to reject broken implementations."""

import pytest

from spec.harness import environment

pytest_plugins = ("pytester",)

# Import TensorFlow and the Keras behind tf.keras once, before any pytester run: pytester restores
# sys.modules after each inline run, and TensorFlow does not survive being imported twice.
environment.versions()

# Each mutant run: its id -> {clause: (the outcome the clause must have on it, the outcome it had)}.
# A mutant's named clauses must fail; a shared bug's comparison clause must pass.
REJECTIONS: dict[str, dict[str, tuple[str, str]]] = {}
MARKS = {"fail": "✗", "pass": "✓"}


@pytest.fixture(scope="session")
def rejections() -> dict[str, dict[str, tuple[str, str]]]:
    """What each mutant's clauses must do and did, for the matrix at the end of the run."""
    return REJECTIONS


def _cells(clauses: dict[str, tuple[str, str]], wanted: str) -> str:
    return "  ".join(f"{MARKS.get(o, o)} {cid}" for cid, (w, o) in clauses.items() if w == wanted)


def matrix_lines(rejections: dict[str, dict[str, tuple[str, str]]]) -> list[str]:
    """The mutant x clause matrix, one line per mutant, then the kill rate: a mutant is rejected
    when every clause that names it fails (and, for a shared bug, the comparison holds)."""
    width = max(map(len, rejections))
    lines = [
        "mutant x clause matrix: ✗ the clause rejects the mutant, ✓ it holds on it, else its "
        "outcome; 'holds:' the clause comparing a shared bug's functions"
    ]
    for mutant, clauses in rejections.items():
        holds = _cells(clauses, "pass")
        lines.append(
            f"  {mutant:<{width}}  {_cells(clauses, 'fail')}"
            + (f"  holds: {holds}" if holds else "")
        )
    killed = [m for m, clauses in rejections.items() if all(w == o for w, o in clauses.values())]
    survivors = [m for m in rejections if m not in killed]
    rate = f"{len(killed)}/{len(rejections)} mutants rejected by every clause that names them"
    lines.append(
        f"kill rate: {rate} ({len(killed) / len(rejections):.0%})"
        + (f"; survivors: {', '.join(survivors)}" if survivors else "")
    )
    return lines


def pytest_terminal_summary(terminalreporter) -> None:
    if REJECTIONS:
        for line in matrix_lines(REJECTIONS):
            terminalreporter.write_line(line)

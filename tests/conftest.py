"""The suite's own tests: the registry lint, the plugin (through pytester), the reports, and the
spec's power to reject broken implementations."""

import pytest

from spec.harness import environment

pytest_plugins = ("pytester",)

# Import TensorFlow and the Keras behind tf.keras once, before any pytester run: pytester restores
# sys.modules after each inline run, and TensorFlow does not survive being imported twice.
environment.versions()

KILLS: dict[str, bool] = {}


@pytest.fixture(scope="session")
def kills() -> dict[str, bool]:
    """Whether the spec rejected each mutant, for the kill rate at the end of the run."""
    return KILLS


def pytest_terminal_summary(terminalreporter) -> None:
    if KILLS:
        killed = sum(KILLS.values())
        survivors = sorted(name for name, dead in KILLS.items() if not dead)
        rate = f"{killed}/{len(KILLS)} mutants rejected by the spec ({killed / len(KILLS):.0%})"
        terminalreporter.write_line(
            f"kill rate: {rate}" + (f"; survivors: {', '.join(survivors)}" if survivors else "")
        )

"""The HTML report in a real headless Chromium: the filters taken from the address show exactly
the matching rows, and a screenshot of the page shows the verdicts' colours.

Chromium comes from the distribution (`apt-get install chromium`); .ci/run installs it and sets
REQUIRE_CHROMIUM=1, so that in CI its absence fails instead of skipping."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from test_report import CLAUSE, CLAUSES, OTHER, report, write_run

from spec.harness import registry

CHROMIUM = next(
    filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
)
SCREENSHOT = Path(__file__).resolve().parent.parent / "reports" / "screenshots" / "conformance.png"
PASS_GREEN, FAIL_RED, DECLARED_ORANGE = (205, 236, 205), (245, 163, 163), (255, 217, 168)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("REQUIRE_CHROMIUM"),
    reason="no Chromium here (apt-get install chromium); .ci/run installs it",
)


def chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM, "REQUIRE_CHROMIUM is set, but no chromium is installed"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1400,1000",
    ]
    done = subprocess.run(
        [CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


@pytest.fixture
def page(tmp_path) -> str:
    """The report of two environments: one clause fails in tf221, another is declared not to
    hold there."""
    write_run(tmp_path / "runs", "tf212", "2.12.1", "2.12.0")
    write_run(
        tmp_path / "runs", "tf221", **{CLAUSE: [("fail", "pass")], OTHER: [("xfail", "fail")]}
    )
    assert report(tmp_path)[0] == 0
    return (tmp_path / "out" / "conformance.html").as_uri()


def shown(dom: str) -> str:
    return re.search(r'id="shown">([^<]*)<', dom).group(1)


@pytest.mark.parametrize(
    ("fragment", "count"),
    [
        ("", len(CLAUSES)),
        ("#outcome=fail", 1),
        ("#outcome=xfail,fail", 2),
        ("#from=tf212&to=tf221", 2),
        ("#from=tf221&to=tf221", 0),
        (
            f"#chapter={CLAUSE.split('.')[0]}&outcome=pass",
            sum(c.startswith(CLAUSE.split(".")[0] + ".") for c in registry.clauses()),
        ),
    ],
)
def test_filters_from_the_address_show_the_matching_rows(tmp_path, page, fragment, count):
    dom = chromium(tmp_path, "--dump-dom", page + fragment)
    assert shown(dom) == f"{count} of {len(CLAUSES)} clauses shown"
    visible = re.findall(
        r'<tr data-chapter="[^"]*" data-outcomes="[^"]*" data-by="[^"]*"><td>\d+</td><td><code>'
        r"([A-Z0-9_.]+)</code>",
        dom,
    )
    hidden = re.findall(
        r'<tr data-chapter="[^"]*" data-outcomes="[^"]*" data-by="[^"]*" hidden=""><td>\d+</td>'
        r"<td><code>([A-Z0-9_.]+)</code>",
        dom,
    )
    assert len(visible) == count
    assert len(visible) + len(hidden) == len(CLAUSES)
    if fragment == "#outcome=fail":
        assert visible == [CLAUSE]


def test_cells_carry_message_and_reproduction(tmp_path, page):
    dom = chromium(tmp_path, "--dump-dom", page)
    cell = re.search(
        r'<td class="cell o-fail"><details><summary>FAILS</summary><div>(.*?)</div>', dom, re.S
    )
    assert cell, "the failing cell is a FAILS cell with details"
    assert "fail message" in cell.group(1)
    assert f"python3 -m tox -e tf221 -- spec/test_x.py::test_{CLAUSE}_0" in cell.group(1)


def test_screenshot_shows_the_verdict_colours(tmp_path, page):
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    chromium(tmp_path, f"--screenshot={SCREENSHOT}", f"{page}#outcome=fail,xfail")
    colours = {rgb: n for n, rgb in Image.open(SCREENSHOT).convert("RGB").getcolors(1 << 24)}
    counts = {rgb: colours.get(rgb, 0) for rgb in (PASS_GREEN, FAIL_RED, DECLARED_ORANGE)}
    print(f"screenshot: {SCREENSHOT}")
    assert all(n > 500 for n in counts.values()), f"verdict colours in the screenshot: {counts}"

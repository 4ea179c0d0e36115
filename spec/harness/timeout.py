"""A time limit on every test: a hang (an implementation that loops forever, say) fails its own
test with a message and the run goes on. The limit is far above the slowest clause's time.

The alarm raises a BaseException, which Hypothesis does not take for a falsifying example (it
would rerun the hanging example while shrinking)."""

from __future__ import annotations

import signal
import threading
import time

import pytest

DEFAULT_S = 300.0


class TimeLimitExceeded(BaseException):
    pass


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "time_limit(seconds): this test's own limit, for a test that runs the spec itself",
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("tf-course-spec").addoption(
        "--time-limit",
        type=float,
        default=DEFAULT_S,
        metavar="SECONDS",
        help=f"fail a test that runs longer than this, setup included (default: {DEFAULT_S:g}; "
        "0: no limit)",
    )


def _alarm(limit: float, phase: str):
    def ring(signum, frame):
        raise TimeLimitExceeded(
            f"the test's {phase} ran past its time limit of {limit:g} s: the implementation under "
            "test hangs, or is far slower than the reference (--time-limit SECONDS to change it)"
        )

    return ring


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem):
    marker = item.get_closest_marker("time_limit")
    limit = marker.args[0] if marker else item.config.getoption("time_limit")
    if not limit or threading.current_thread() is not threading.main_thread():
        return (yield)
    # A run inside a test (pytester) keeps the outer test's alarm: it is set again on the way out.
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _alarm(limit, "setup, call or teardown"))
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return (yield)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """The hang's one line, instead of the traceback of wherever the alarm struck."""
    report = yield
    if call.excinfo is not None and call.excinfo.errisinstance(TimeLimitExceeded):
        report.longrepr = str(call.excinfo.value)
    return report

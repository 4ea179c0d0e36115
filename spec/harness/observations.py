"""What a test saw TensorFlow do, beyond pass or fail. The plugin attaches it to the test's result,
so that an erratum clause says, per version and whatever its outcome, what the printed code does:
the exception a student sees, or that it ran."""

from spec.harness.record import Observed

_seen: list[Observed] = []


def observe(text: str, *, raised: str = "", message: str = "", returned: str = "") -> None:
    """Record one thing the running test saw: `text` as a reader reads it; for a call, the class
    and message's first line of the exception it raised, or what it returned instead of raising."""
    _seen.append(Observed(text, raised=raised, message=message, returned=returned))


def take() -> list[Observed]:
    """Everything observed since the last call, and forget it."""
    seen = list(_seen)
    _seen.clear()
    return seen

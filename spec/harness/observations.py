"""What a test saw TensorFlow do, beyond pass or fail. The plugin attaches it to the test's result,
so that a passing erratum clause still says, per version, what the printed code does."""

_seen: list[str] = []


def observe(text: str) -> None:
    """Record one thing the running test saw (e.g. which error a call raised)."""
    _seen.append(text)


def take() -> list[str]:
    """Everything observed since the last call, and forget it."""
    seen = list(_seen)
    _seen.clear()
    return seen

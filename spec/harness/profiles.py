"""Hypothesis profiles, chosen with HYPOTHESIS_PROFILE (or --hypothesis-profile).

- `ci`: derandomized, no example database, no deadline, failing examples printed as a blob.
- `dev`: the local default; random, with the example database, so a failure found once replays.
- `thorough`: ten times the examples of `dev`, from a seed that the run prints.
- `mutants`: `ci` without shrinking, for tests/test_mutants.py: rejecting a broken implementation
  takes one failing example, not the simplest one.

A test's example budget is written for `ci` and `dev` and scaled by `examples()`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

BASE_EXAMPLES = 100
PROFILES = ("ci", "dev", "thorough", "mutants")
# TensorFlow's first call of an op or a model is slow, and a test draws few, heavy examples.
_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}

settings.register_profile(
    "ci", max_examples=BASE_EXAMPLES, derandomize=True, database=None, print_blob=True, **_COMMON
)
settings.register_profile(
    "mutants",
    settings.get_profile("ci"),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
settings.register_profile("dev", max_examples=BASE_EXAMPLES, print_blob=True, **_COMMON)
settings.register_profile("thorough", max_examples=10 * BASE_EXAMPLES, print_blob=True, **_COMMON)


def from_environment() -> str:
    """$HYPOTHESIS_PROFILE, else `dev`."""
    return os.environ.get("HYPOTHESIS_PROFILE", "dev")


def load(name: str) -> None:
    """Make `name` the current profile; an unknown name is an error that lists the known ones."""
    if name not in PROFILES:
        raise ValueError(
            f"unknown Hypothesis profile {name!r}; choose one of {', '.join(PROFILES)}"
        )
    settings.load_profile(name)


def examples(n: int) -> settings:
    """Settings for a test that draws `n` examples in `ci` and `dev`, and proportionally more in
    `thorough`."""
    scale = settings.default.max_examples / BASE_EXAMPLES
    return settings(max_examples=max(1, round(n * scale)))

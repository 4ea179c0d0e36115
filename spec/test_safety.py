"""Chapter SAFETY: loading a model file from an untrusted source, slide 25.

Slide 25's `tf.keras.models.load_model('my_model.h5')` is what a student runs on a file they
downloaded. One clause per published advisory about loading a Keras or TensorFlow model file: its
file is crafted at test time after the advisory's description (spec/crafted_files.py), and built and
loaded the way the advisory says in the session's fresh interpreter, with a time limit
(spec/fresh_interpreter.py); its harmless payload only makes a file in its own marker directory.
The verdict: the payload took effect (code ran), the load was refused (with the error a user
sees), or it failed for another reason. Each passes only where the payload took no effect.
"""

import pytest

from spec.harness.observations import observe


@pytest.fixture(scope="module")
def crafted(fresh):
    """Per advisory: built, raised, message, touched, ran_code."""
    return fresh.report("crafted")


def verdict(outcome: dict) -> str:
    """'code ran', 'refused: <error>' or 'failed: <error>' (the builder's own failure included),
    or 'loaded, the payload took no effect'."""
    error = f"{outcome['raised']}: {outcome['message'][:300]}"
    if outcome["ran_code"]:
        return f"code ran (made {outcome['touched']})" + (
            f", then raised {error}" if outcome["raised"] else ""
        )
    if not outcome["built"]:
        return f"failed: the file could not be built here: {error}"
    if outcome["raised"] is None:
        return "loaded, the payload took no effect"
    refusal = any(
        w in outcome["message"].lower()
        for w in ("safe_mode", "not allowed", "disallowed", "unsafe")
    )
    return f"{'refused' if refusal else 'failed'}: {error}"


def check_advisory(crafted: dict, advisory: str) -> None:
    outcome = crafted[advisory]
    seen = verdict(outcome)
    observe(f"{advisory}: {seen}")
    assert outcome["built"], f"{advisory}: {seen}"
    assert not outcome["ran_code"], f"{advisory}: the crafted file's payload ran: {seen}"


@pytest.mark.parametrize(
    "advisory",
    [
        pytest.param("CVE-2024-3660", marks=pytest.mark.clause("SAFETY.LAMBDA.KERAS_DEFAULT")),
        pytest.param("CVE-2025-9905", marks=pytest.mark.clause("SAFETY.LAMBDA.H5_SAFE_MODE")),
        pytest.param("CVE-2025-1550", marks=pytest.mark.clause("SAFETY.CONFIG.ANY_MODULE")),
        pytest.param("CVE-2025-8747", marks=pytest.mark.clause("SAFETY.CONFIG.GET_FILE")),
        pytest.param("CVE-2025-9906", marks=pytest.mark.clause("SAFETY.CONFIG.ENABLE_UNSAFE")),
        pytest.param("CVE-2025-12058", marks=pytest.mark.clause("SAFETY.VOCABULARY.LOCAL_FILE")),
        pytest.param(
            "CVE-2026-1462", marks=pytest.mark.clause("SAFETY.TFSMLAYER.EXTERNAL_SAVEDMODEL")
        ),
        pytest.param("CVE-2025-12060", marks=pytest.mark.clause("SAFETY.ARCHIVE.SYMLINK_MEMBER")),
        pytest.param("GHSA-hqp4-2352-xf5r", marks=pytest.mark.clause("SAFETY.ARCHIVE.WITHIN_CWD")),
    ],
)
def test_crafted_file_runs_no_payload(crafted, advisory):
    check_advisory(crafted, advisory)

"""The spec rejects every broken twin of the reference implementation and passes the reference
itself. Each mutant runs the implementation-facing clauses (`-m impl`) of the spec modules that call
its module, in this process, and stops at the first failure; the session ends with the kill rate."""

import sys
from pathlib import Path

import mutants
import pytest

from spec.harness.implementation import PUBLIC_API
from spec.harness.registry import SPEC_DIR

CATALOGUE = mutants.catalogue()


def spec_files(module: str) -> list[str]:
    """The spec modules that call into `module` of the implementation (all of them if none does)."""
    files = [
        str(p) for p in sorted(SPEC_DIR.glob("test_*.py")) if f"impl.{module}." in p.read_text()
    ]
    return files or [str(SPEC_DIR)]


def run_spec(pytester: pytest.Pytester, impl: str, *extra: str, where=(str(SPEC_DIR),)):
    return pytester.runpytest_inprocess(
        *where,
        "--hypothesis-profile",
        "mutants",
        "--impl",
        impl,
        "-m",
        "impl",
        "-p",
        "no:cacheprovider",
        "-q",
        "--runs-dir",
        str(pytester.path / "runs"),
        *extra,
    )


def test_spec_passes_the_reference_implementation(pytester):
    result = run_spec(pytester, "impl")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-3000:]


def test_spec_passes_an_implementation_written_from_the_contract(pytester):
    """tests/contract_impl was written from spec/CONTRACT.md alone: the contract suffices."""
    pytester.syspathinsert(Path(__file__).parent)
    result = run_spec(pytester, "contract_impl")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-3000:]


@pytest.mark.parametrize(
    ("module", "function", "mutant"),
    [
        pytest.param(module, function, mutant, id=f"{module}.{function}:{mutant.__name__}")
        for (module, function), broken in CATALOGUE.items()
        for mutant in broken
    ],
)
def test_spec_rejects_mutant(pytester, monkeypatch, kills, module, function, mutant):
    for name, installed in mutants.install(module, function, mutant).items():
        monkeypatch.setitem(sys.modules, name, installed)
    result = run_spec(pytester, mutants.PACKAGE, "-x", where=spec_files(module))
    kills[f"{module}.{function}:{mutant.__name__}"] = result.ret == pytest.ExitCode.TESTS_FAILED
    assert result.ret == pytest.ExitCode.TESTS_FAILED, (
        f"no clause rejects {module}.{function} with this bug: {mutant.__doc__}"
    )


@pytest.mark.parametrize(
    ("module", "function"), [(m, f) for m, functions in PUBLIC_API.items() for f in functions]
)
def test_every_api_function_has_three_mutants(module, function):
    found = CATALOGUE.get((module, function), [])
    assert len(found) >= 3, (
        f"{module}.{function} has {len(found)} broken twins in tests/mutants/{module}.py; "
        f"the spec's power to reject it is shown by at least three"
    )

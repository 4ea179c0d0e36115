"""`--clause ID` (repeatable): run only the tests of the clauses given, to rerun one clause or a
few. An ID that is not in the registry, or that no collected test checks, is a usage error."""

from __future__ import annotations

import difflib

import pytest

from spec.harness import registry
from spec.harness.expectations import clause_of, registry_files


def chosen(config: pytest.Config) -> list[str]:
    """The clause IDs given with --clause, in order, each once."""
    return list(dict.fromkeys(config.getoption("clause", None) or []))


def unknown(ids: list[str], known: dict[str, registry.Clause]) -> list[str]:
    """An error line for each of `ids` that is not a registered clause, with the closest IDs."""
    lines = []
    for cid in ids:
        if cid not in known:
            near = difflib.get_close_matches(cid, known, n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            lines.append(f"--clause {cid}: no such clause in the registry{hint}")
    return lines


def pytest_configure(config: pytest.Config) -> None:
    ids = chosen(config)
    if not ids:
        return
    clauses_file, _ = registry_files(config)
    try:
        problems = unknown(ids, registry.clauses(clauses_file))
    except registry.RegistryError as exc:
        raise pytest.UsageError(str(exc)) from None
    if problems:
        raise pytest.UsageError("\n".join([*problems, f"(the registry is {clauses_file})"]))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the tests of the chosen clauses and deselect the others, before -k and -m narrow
    further."""
    ids = chosen(config)
    if not ids:
        return
    keep, drop = [], []
    for item in items:
        (keep if clause_of(item) in ids else drop).append(item)
    missing = [cid for cid in ids if not any(clause_of(item) == cid for item in keep)]
    if missing:
        raise pytest.UsageError(
            f"--clause {', '.join(missing)}: no collected test checks it "
            f"(the paths given hold none of its tests)"
        )
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep

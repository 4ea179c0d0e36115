"""Broken twins of the reference implementation, each with one deliberate bug that the spec must
reject. One module per implementation module, each with `MUTANTS = {function: [broken, ...]}`; a
mutant's docstring says what is wrong with it."""

from __future__ import annotations

import importlib
import importlib.util
import types
from collections.abc import Callable

from spec.harness.implementation import PUBLIC_API

PACKAGE = "mutant_impl"


def catalogue() -> dict[tuple[str, str], list[Callable]]:
    """Every mutant, keyed by (module, function) of the public API."""
    found: dict[tuple[str, str], list[Callable]] = {}
    for module in PUBLIC_API:
        try:
            mutants = importlib.import_module(f"{__name__}.{module}").MUTANTS
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module}":
                raise
            continue
        for function, broken in mutants.items():
            found[(module, function)] = list(broken)
    return found


def install(module: str, function: str, mutant: Callable) -> dict[str, types.ModuleType]:
    """The modules of an implementation package, `mutant_impl`, that is the reference `impl` but for
    `module.function`, which is `mutant`: put them in sys.modules and run the spec with
    --impl mutant_impl. Only the mutated module is loaded now; the others load from impl's files."""
    reference = importlib.import_module("impl")
    package = types.ModuleType(PACKAGE, f"the reference implementation with a broken {function}")
    package.__path__ = list(reference.__path__)
    spec = importlib.util.find_spec(f"impl.{module}")
    mutated = importlib.util.module_from_spec(
        importlib.util.spec_from_file_location(f"{PACKAGE}.{module}", spec.origin)
    )
    mutated.__spec__.loader.exec_module(mutated)
    setattr(mutated, function, mutant)
    return {PACKAGE: package, f"{PACKAGE}.{module}": mutated}

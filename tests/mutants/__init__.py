"""Broken twins of the reference implementation, each with one deliberate bug that the spec must
reject, and the clauses that must reject it.

One module per implementation module, each with `MUTANTS = {function: [broken, ...]}`; a mutant's
docstring says what is wrong with it, and `@rejected_by("CLAUSE.ID", ...)` names the clauses that
must each fail on it (a failure of any other clause does not count). A shared bug breaks several
functions of one module the same way: its key is the tuple of their names, and the mutant is a
function of no arguments that returns their broken twins in that order, so that a clause comparing
the functions with each other holds and only an oracle can reject it:

    @rejected_by("LOSS.SOFTMAX_CE.FORMULA", "LOSS.BCE.FORMULA")
    def both_sum_over_batch():
        "Both cross-entropies sum over the batch instead of taking the mean."
        return sce_sum_over_batch, bce_sum_for_mean

    MUTANTS = {..., ("softmax_cross_entropy", "binary_cross_entropy"): [both_sum_over_batch]}
"""

from __future__ import annotations

import importlib
import importlib.util
import types
from collections.abc import Callable
from dataclasses import dataclass

from spec.harness.implementation import PUBLIC_API

PACKAGE = "mutant_impl"


def rejected_by(*clauses: str) -> Callable[[Callable], Callable]:
    """Name the clauses that must each fail on the decorated mutant."""
    if not clauses:
        raise ValueError("a mutant names at least one clause that must reject it")

    def mark(mutant: Callable) -> Callable:
        mutant.rejected_by = clauses
        return mutant

    return mark


@dataclass(frozen=True)
class Mutant:
    """One entry of a MUTANTS dict: the functions of `module` it replaces, by name."""

    module: str
    name: str
    doc: str
    functions: dict[str, Callable]
    clauses: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.module}.{'+'.join(self.functions)}:{self.name}"

    @property
    def shared(self) -> bool:
        return len(self.functions) > 1


def _entry(module: str, key: str | tuple[str, ...], broken: Callable) -> Mutant:
    names = (key,) if isinstance(key, str) else key
    twins = (broken,) if isinstance(key, str) else broken()
    if len(twins) != len(names):
        raise ValueError(f"{module}:{broken.__name__} returns {len(twins)} twins for {names}")
    unknown = [n for n in names if n not in PUBLIC_API[module]]
    if unknown:
        raise ValueError(f"{module}:{broken.__name__} replaces {unknown}, not in the public API")
    return Mutant(
        module=module,
        name=broken.__name__,
        doc=" ".join((broken.__doc__ or "").split()),
        functions=dict(zip(names, twins, strict=True)),
        clauses=tuple(getattr(broken, "rejected_by", ())),
    )


def catalogue() -> list[Mutant]:
    """Every mutant of every module, in file order."""
    found = []
    for module in PUBLIC_API:
        try:
            mutants = importlib.import_module(f"{__name__}.{module}").MUTANTS
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module}":
                raise
            continue
        found += [_entry(module, key, b) for key, broken in mutants.items() for b in broken]
    return found


def install(mutant: Mutant) -> dict[str, types.ModuleType]:
    """The modules of an implementation package, `mutant_impl`, that is the reference `impl` but
    for the functions `mutant` replaces: put them in sys.modules and run the spec with
    --impl mutant_impl. Only the mutated module is loaded now; the others load from impl's files."""
    reference = importlib.import_module("impl")
    package = types.ModuleType(PACKAGE, f"the reference implementation with {mutant.id}")
    package.__path__ = list(reference.__path__)
    spec = importlib.util.find_spec(f"impl.{mutant.module}")
    mutated = importlib.util.module_from_spec(
        importlib.util.spec_from_file_location(f"{PACKAGE}.{mutant.module}", spec.origin)
    )
    mutated.__spec__.loader.exec_module(mutated)
    for function, twin in mutant.functions.items():
        setattr(mutated, function, twin)
    return {PACKAGE: package, f"{PACKAGE}.{mutant.module}": mutated}

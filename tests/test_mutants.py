"""The spec rejects every broken twin of the reference implementation by the clauses that name its
bug, and passes the reference itself. Each mutant (tests/mutants/) names the clauses that must
reject it; its run selects them (`--clause`), in this process, and its run record must show that
every one of them failed: a failure of another clause does not count. The session ends with the
mutant x clause matrix and the kill rate."""

import sys
from pathlib import Path

import mutants
import pytest

from spec.harness import registry
from spec.harness.implementation import PUBLIC_API
from spec.harness.record import OUTCOMES, Record, Result, file_name, load
from spec.harness.registry import SPEC_DIR

CATALOGUE = mutants.catalogue()
ENV = "mutant"
# The clauses that compare two functions of the implementation with each other, by those functions.
# PERCEPTRON.OUTPUT.KERAS_DENSE compares with Keras, which no implementation supplies; the clauses
# that compare one function with itself (QUADRATIC.ROOTS.SCALE_INVARIANCE,
# LOSS.SOFTMAX_CE.SHIFT_INVARIANCE, PERCEPTRON.OUTPUT.AFFINE_PREACTIVATION and MONOTONE) see every
# twin of that function on both sides already.
COMPARED = {
    "LOSS.SOFTMAX_CE.TWO_CLASSES_ARE_BINARY": ("softmax_cross_entropy", "binary_cross_entropy"),
    "OPTIM.MINIBATCH.SINGLE_IS_SGD": ("stochastic_gradient_descent", "minibatch_gradient_descent"),
}


def spec_files(clauses: tuple[str, ...]) -> list[str]:
    """The spec modules that hold a test of any of `clauses`."""
    return [
        str(p)
        for p in sorted(SPEC_DIR.glob("test_*.py"))
        if any(f'"{cid}"' in p.read_text(encoding="utf-8") for cid in clauses)
    ]


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


def tail(result: pytest.RunResult) -> str:
    """The end of a spec run's output, for a failure message."""
    return (result.stdout.str()[-3000:] + "\n" + result.stderr.str()[-1000:]).strip()


def clause_outcomes(path: Path, clauses: tuple[str, ...]) -> dict[str, str]:
    """Each of `clauses` with its outcome in the run record at `path`: the worst of its tests',
    or 'not run'."""
    worst, rank = dict.fromkeys(clauses, "not run"), ["not run", *OUTCOMES].index
    for result in load(path).results:
        if result.clause in worst:
            worst[result.clause] = max(worst[result.clause], result.outcome, key=rank)
    return worst


def test_spec_passes_the_reference_implementation(pytester):
    result = run_spec(pytester, "impl")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-3000:]


def test_spec_passes_an_implementation_written_from_the_contract(pytester):
    """tests/contract_impl was written from spec/CONTRACT.md alone: the contract suffices."""
    pytester.syspathinsert(Path(__file__).parent)
    result = run_spec(pytester, "contract_impl")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-3000:]


@pytest.mark.parametrize("mutant", CATALOGUE, ids=lambda m: m.id)
def test_spec_rejects_mutant(pytester, monkeypatch, rejections, mutant):
    """Every clause the mutant names fails on it; a shared bug also holds the clause comparing its
    functions, which shows that only an oracle can reject it."""
    for name, installed in mutants.install(mutant).items():
        monkeypatch.setitem(sys.modules, name, installed)
    compared = tuple(cid for cid, pair in COMPARED.items() if set(pair) == set(mutant.functions))
    wanted = {**dict.fromkeys(mutant.clauses, "fail"), **dict.fromkeys(compared, "pass")}
    selected = tuple(wanted)
    rejections[mutant.id] = {cid: (w, "not run") for cid, w in wanted.items()}
    chosen = [arg for cid in selected for arg in ("--clause", cid)]
    result = run_spec(
        pytester, mutants.PACKAGE, "--env-name", ENV, *chosen, where=spec_files(selected)
    )
    record = pytester.path / "runs" / file_name(ENV, mutants.PACKAGE)
    assert record.is_file(), f"{mutant.id}: the spec wrote no record\n{tail(result)}"
    outcomes = clause_outcomes(record, selected)
    rejections[mutant.id] = {cid: (w, outcomes[cid]) for cid, w in wanted.items()}
    held = [f"{cid}: {outcomes[cid]}" for cid in mutant.clauses if outcomes[cid] != "fail"]
    assert not held, (
        f"{mutant.id} ({mutant.doc}) is not rejected by the clauses that name it: "
        f"{'; '.join(held)}\n{tail(result)}"
    )
    caught = [f"{cid}: {outcomes[cid]}" for cid in compared if outcomes[cid] != "pass"]
    assert not caught, (
        f"{mutant.id} ({mutant.doc}) is meant to break {' and '.join(mutant.functions)} the same "
        f"way, but the clause comparing them does not hold: {'; '.join(caught)}\n{tail(result)}"
    )


@pytest.mark.parametrize("mutant", CATALOGUE, ids=lambda m: m.id)
def test_mutant_names_registered_clauses(mutant):
    known = registry.clauses()
    assert mutant.clauses, f"{mutant.id}: no @rejected_by(...) names the clauses that reject it"
    unknown = [cid for cid in mutant.clauses if cid not in known]
    assert not unknown, f"{mutant.id} names {unknown}, not in spec/clauses.toml"
    assert mutant.doc, f"{mutant.id}: its docstring says what is wrong with it"
    own = [cid for cid, pair in COMPARED.items() if set(pair) == set(mutant.functions)]
    assert not set(own) & set(mutant.clauses), (
        f"{mutant.id} breaks {' and '.join(mutant.functions)} the same way: {own} holds on it, "
        f"only an oracle can reject it"
    )


def test_clause_outcomes_are_the_worst_of_each_clause(tmp_path):
    results = [
        Result("A.B.ONE", "t1", "pass"),
        Result("A.B.ONE", "t2", "fail"),
        Result("A.B.TWO", "t3", "skip"),
        Result("A.B.OTHER", "t4", "fail"),
    ]
    path = Record(env=ENV, suite_commit="c", versions={}, results=results).write(tmp_path)
    assert clause_outcomes(path, ("A.B.ONE", "A.B.TWO", "A.B.THREE")) == {
        "A.B.ONE": "fail",
        "A.B.TWO": "skip",
        "A.B.THREE": "not run",
    }


@pytest.mark.parametrize(
    ("module", "function"), [(m, f) for m, functions in PUBLIC_API.items() for f in functions]
)
def test_every_api_function_has_three_mutants(module, function):
    found = [m for m in CATALOGUE if m.module == module and list(m.functions) == [function]]
    assert len(found) >= 3, (
        f"{module}.{function} has {len(found)} broken twins in tests/mutants/{module}.py; "
        f"the spec's power to reject it is shown by at least three"
    )


def test_every_comparison_of_two_functions_has_a_shared_bug():
    """A clause that compares two functions of the implementation holds when both share a bug:
    each such pair has a mutant breaking both, rejected by an oracle."""
    shared = {frozenset(m.functions) for m in CATALOGUE if m.shared}
    for clause, pair in COMPARED.items():
        assert frozenset(pair) in shared, (
            f"{clause} compares {' and '.join(pair)}, but no mutant breaks both the same way"
        )

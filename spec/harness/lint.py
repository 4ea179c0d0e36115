"""The registry lint: every spec test names exactly one registered clause (on the test, or on each
of its `pytest.param`s), every clause has a test,
every registry entry is complete, every expectation matches a clause, and no Hypothesis test is
expected to fail. Static (it reads the test files' syntax), so it needs no TensorFlow."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from spec.harness import registry


@dataclass(frozen=True)
class MarkedTest:
    where: str
    clauses: tuple[str, ...]  # on the test itself
    hypothesis: bool
    params: tuple[tuple[str, ...], ...] = ()  # on each pytest.param of its parametrize

    @property
    def all_clauses(self) -> tuple[str, ...]:
        return self.clauses + tuple(cid for param in self.params for cid in param)

    def problem(self) -> str | None:
        """Why the test does not carry exactly one clause, on itself or on each parameter."""
        if len(self.clauses) == 1 and not any(self.params):
            return None
        if not self.clauses and self.params and all(len(p) == 1 for p in self.params):
            return None
        return (
            f"{self.where}: a spec test carries exactly one @pytest.mark.clause('ID'), on the "
            f"test or on each of its pytest.params (found {len(self.clauses)} on the test, "
            f"{[len(p) for p in self.params]} on its parameters)"
        )


def _is_call_to(node: ast.expr, name: str) -> bool:
    func = node.func if isinstance(node, ast.Call) else node
    return (isinstance(func, ast.Attribute) and func.attr == name) or (
        isinstance(func, ast.Name) and func.id == name
    )


def _clause_ids(decorators: list[ast.expr]) -> tuple[str, ...]:
    return tuple(
        str(d.args[0].value)
        if d.args and isinstance(d.args[0], ast.Constant)
        else "<not a literal>"
        for d in decorators
        if isinstance(d, ast.Call)
        and _is_call_to(d, "clause")
        and isinstance(d.func, ast.Attribute)
        and _is_call_to(d.func.value, "mark")
    )


def _param_clauses(decorators: list[ast.expr]) -> tuple[tuple[str, ...], ...]:
    """The clause IDs on each pytest.param of the test's (literal) parametrize lists."""
    found = []
    for d in decorators:
        if not (isinstance(d, ast.Call) and _is_call_to(d, "parametrize") and len(d.args) > 1):
            continue
        values = d.args[1]
        for element in values.elts if isinstance(values, ast.List | ast.Tuple) else ():
            if isinstance(element, ast.Call) and _is_call_to(element, "param"):
                marks = next((k.value for k in element.keywords if k.arg == "marks"), None)
                listed = marks.elts if isinstance(marks, ast.List | ast.Tuple) else [marks]
                found.append(_clause_ids([m for m in listed if m is not None]))
    return tuple(found)


def marked_tests(spec_dir: Path = registry.SPEC_DIR) -> list[MarkedTest]:
    """Every test function of spec/test_*.py with the clause IDs its markers name."""
    found = []
    for path in sorted(spec_dir.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test"
            ):
                found.append(
                    MarkedTest(
                        where=f"{path.name}::{node.name}",
                        clauses=_clause_ids(node.decorator_list),
                        hypothesis=any(_is_call_to(d, "given") for d in node.decorator_list),
                        params=_param_clauses(node.decorator_list),
                    )
                )
    return found


def problems(
    spec_dir: Path = registry.SPEC_DIR,
    clauses_file: Path = registry.CLAUSES_FILE,
    expectations_file: Path = registry.EXPECTATIONS_FILE,
) -> list[str]:
    found = registry.problems(clauses_file, expectations_file)
    known = registry.clauses(clauses_file)
    tests = marked_tests(spec_dir)
    tested: dict[str, list[MarkedTest]] = {}
    for t in tests:
        if t.problem():
            found.append(t.problem())
        for cid in t.all_clauses:
            if cid not in known:
                found.append(f"{t.where}: clause {cid!r} is not in {clauses_file.name}")
            tested.setdefault(cid, []).append(t)
    found += [f"{cid}: no test checks this clause" for cid in known if cid not in tested]
    for e in registry.expectations(expectations_file):
        hypothesis = [t.where for t in tested.get(e.clause, []) if t.hypothesis]
        if e.outcome == "fail" and hypothesis:
            found.append(
                f"expectation for {e.clause}: Hypothesis tests are never xfailed "
                f"({', '.join(hypothesis)}): gate them with a skip and a reason, or check "
                f"the failing case in a deterministic test"
            )
    return found

"""The conformance model that the gate and every view read: a column per run (its environment,
versions and implementation), the registry's clauses, and a cell per (clause, column) holding its
tests' results, their worst outcome, its message and the command that reproduces it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from spec.harness import registry
from spec.harness.record import OUTCOMES, EnvError, Record, Result, file_name, reproduction
from spec.harness.registry import Clause
from spec.harness.tables import release


@dataclass(frozen=True)
class Column:
    """One run: `name` is its environment, with `@impl` for an implementation other than the
    reference."""

    env: str
    versions: dict
    impl: str
    suite_commit: str = "unknown"
    hypothesis_profile: str = ""
    errors: tuple[EnvError, ...] = ()

    @classmethod
    def of(cls, record: Record) -> Column:
        return cls(
            env=record.env,
            versions=record.versions,
            impl=record.impl,
            suite_commit=record.suite_commit,
            hypothesis_profile=record.hypothesis_profile,
            errors=tuple(record.errors),
        )

    @property
    def name(self) -> str:
        return file_name(self.env, self.impl).removesuffix(".json")

    def reproduction(self, test: str = "") -> str:
        return reproduction(self.env, test, self.impl)


@dataclass
class Cell:
    """A clause's tests in one column."""

    column: Column
    results: list[Result] = field(default_factory=list)

    @property
    def worst(self) -> Result:
        """The result with the worst outcome (the first of equals)."""
        return max(self.results, key=lambda r: OUTCOMES.index(r.outcome))

    @property
    def outcome(self) -> str:
        return self.worst.outcome

    @property
    def message(self) -> str:
        return self.worst.message

    @property
    def test(self) -> str:
        return self.worst.test

    @property
    def met(self) -> bool:
        """Whether every test of the clause here met its expectation."""
        return all(r.met for r in self.results)

    def reproduction(self) -> str:
        return self.column.reproduction(self.test)


@dataclass
class Conformance:
    columns: list[Column]
    clauses: dict[str, Clause]
    cells: dict[str, dict[str, Cell]]  # clause ID -> column name -> cell

    @classmethod
    def of(cls, records: list[Record]) -> Conformance:
        clauses = registry.clauses()
        columns = [Column.of(r) for r in records]
        cells: dict[str, dict[str, Cell]] = {cid: {} for cid in clauses}
        for column, rec in zip(columns, records, strict=True):
            for result in rec.results:
                row = cells.setdefault(result.clause, {})
                row.setdefault(column.name, Cell(column)).results.append(result)
        return cls(columns, clauses, cells)

    def cell(self, cid: str, column: str) -> Cell | None:
        return self.cells.get(cid, {}).get(column)

    def outcome(self, cid: str, column: str) -> str | None:
        cell = self.cell(cid, column)
        return cell.outcome if cell else None

    @property
    def impls(self) -> list[str]:
        return list(dict.fromkeys(c.impl for c in self.columns))

    @property
    def suite_commits(self) -> list[str]:
        return sorted({c.suite_commit for c in self.columns})

    def chapters(self) -> list[tuple[str, list[str]]]:
        """(chapter, its clause IDs in slide order), each chapter once, in the order in which the
        registry first names them."""
        grouped: dict[str, list[str]] = {}
        for cid, clause in self.clauses.items():
            grouped.setdefault(clause.chapter, []).append(cid)
        return [
            (chapter, sorted(ids, key=lambda cid: self.clauses[cid].slide))
            for chapter, ids in grouped.items()
        ]

    def slide_range(self, ids: list[str]) -> str:
        """'slide 13' or 'slides 17–25': the slides that clauses `ids` cite."""
        slides = [self.clauses[cid].slide for cid in ids]
        low, high = min(slides), max(slides)
        return f"slide {low}" if low == high else f"slides {low}–{high}"

    def holds(self, ids: list[str], column: str) -> int:
        return sum(self.outcome(cid, column) == "pass" for cid in ids)

    def differences(self) -> list[tuple[str, list[tuple[str | None, list[str]]], str]]:
        """Each clause whose outcome is not the same in every column: the columns by outcome, and
        the message of the first column where it does not hold."""
        out = []
        names = [c.name for c in self.columns]
        for cid in self.cells:
            by_outcome: dict[str | None, list[str]] = {}
            for name in names:
                by_outcome.setdefault(self.outcome(cid, name), []).append(name)
            if len(by_outcome) < 2:
                continue
            first_other = next(n for n in names if self.outcome(cid, n) != "pass")
            cell = self.cell(cid, first_other)
            out.append((cid, list(by_outcome.items()), cell.message if cell else ""))
        return out

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def changes(self, old: str, new: str) -> list[tuple[str, str | None, str | None, str]]:
        """Each clause whose outcome differs between columns `old` and `new`: (clause, outcome in
        old, outcome in new, the message in new)."""
        out = []
        for cid in self.clauses:
            was, now = self.outcome(cid, old), self.outcome(cid, new)
            if was != now:
                cell = self.cell(cid, new)
                out.append((cid, was, now, cell.message if cell else ""))
        return out

    def prerelease_columns(self) -> list[tuple[Column, Column | None]]:
        """Each column on a pre-release TensorFlow or Keras (a nightly), with the newest column on
        releases of the same implementation to compare it with."""

        def prerelease(c: Column) -> bool:
            return any(release(c.versions.get(k)).is_prerelease for k in ("tensorflow", "keras"))

        released = [c for c in self.columns if not prerelease(c)]
        out = []
        for c in filter(prerelease, self.columns):
            mine = [r for r in released if r.impl == c.impl]
            newest = max(mine, key=lambda r: release(r.versions.get("tensorflow")), default=None)
            out.append((c, newest))
        return out

    def to_json(self) -> dict:
        """conformance.json: envs, clauses and matrix as the design gives them, plus each cell's
        test and message and each run's provenance."""
        return {
            "envs": {c.name: c.versions for c in self.columns},
            "clauses": {
                cid: {k: v for k, v in asdict(c).items() if k != "id"}
                for cid, c in self.clauses.items()
            },
            "matrix": {
                cid: {name: cell.outcome for name, cell in row.items()}
                for cid, row in self.cells.items()
            },
            "details": {
                cid: {
                    name: {"test": cell.test, "message": cell.message} for name, cell in row.items()
                }
                for cid, row in self.cells.items()
                if row
            },
            "runs": {
                c.name: {
                    "env": c.env,
                    "suite_commit": c.suite_commit,
                    "hypothesis_profile": c.hypothesis_profile,
                    "impl": c.impl,
                    "errors": [asdict(e) for e in c.errors],
                }
                for c in self.columns
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> Conformance:
        """The model of an earlier conformance.json (its cells hold one result: the worst)."""
        runs = data.get("runs", {})
        columns = []
        for name, versions in data["envs"].items():
            run = runs.get(name, {})
            columns.append(
                Column(
                    env=run.get("env", name),
                    versions=versions,
                    impl=run.get("impl") or "impl",
                    suite_commit=run.get("suite_commit", "?"),
                    hypothesis_profile=run.get("hypothesis_profile", ""),
                    errors=tuple(EnvError(**e) for e in run.get("errors", [])),
                )
            )
        by_name = {c.name: c for c in columns}
        clauses = {cid: Clause(id=cid, **fields) for cid, fields in data["clauses"].items()}
        details = data.get("details", {})
        cells = {
            cid: {
                name: Cell(
                    by_name[name],
                    [
                        Result(
                            clause=cid,
                            outcome=outcome,
                            **details.get(cid, {}).get(name, {"test": ""}),
                        )
                    ],
                )
                for name, outcome in row.items()
                if name in by_name
            }
            for cid, row in data["matrix"].items()
        }
        return cls(columns, clauses, cells)

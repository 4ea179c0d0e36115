"""The clause registry (`clauses.toml`) and the version expectations (`expectations.toml`).

A clause is one claim of the course (its slide, its words, its level); an expectation says on which
TensorFlow/Keras versions a clause's outcome is not `pass`, and why.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

SPEC_DIR = Path(__file__).resolve().parent.parent
CLAUSES_FILE = SPEC_DIR / "clauses.toml"
EXPECTATIONS_FILE = SPEC_DIR / "expectations.toml"

LEVELS = ("must", "should", "erratum")
QUALIFIERS = ("python", "tensorflow", "keras")  # the versions an expectation may be limited to
OUTCOMES = ("fail", "skip")
CATEGORIES = ("changed-in-version", "erratum", "bug", "platform")
CLAUSE_ID = re.compile(r"^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+){2}$")


class RegistryError(ValueError):
    """A registry or expectations file that does not follow its format."""


@dataclass(frozen=True)
class Clause:
    id: str
    slide: int
    quote: str
    level: str
    checks: str = ""
    fix: str = ""
    fixed_by: str = ""

    @property
    def chapter(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Expectation:
    clause: str
    outcome: str
    reason: str
    category: str
    python: str = ""
    tensorflow: str = ""
    keras: str = ""
    # What an expected failure declares: the exception's class (or a base class), and a regular
    # expression its message matches (re.search, case-sensitive, `.` crossing lines).
    raises: str = ""
    match: str = ""

    def declared(self) -> str:
        return f"{self.raises} matching {self.match!r}"

    def mismatch(self, exc: BaseException) -> str | None:
        """Why `exc` is not the failure this expectation declares (None: it is)."""
        names = [c.__name__ for c in type(exc).__mro__]
        message = str(exc)
        if self.raises not in names:
            return f"got {type(exc).__name__}: {message[:300]}"
        if not re.search(self.match, message, re.DOTALL):
            return f"got {type(exc).__name__} with another message: {message[:300]}"
        return None

    def matches(self, versions: dict[str, str | None]) -> bool:
        """Whether this expectation covers an environment with these `versions`."""
        return all(_version_in(versions.get(name), getattr(self, name)) for name in QUALIFIERS)


def _version_in(version: str | None, spec: str) -> bool:
    if not spec:
        return True
    if version is None:
        return False
    return SpecifierSet(spec).contains(Version(version), prereleases=True)


def _load(path: Path, table: str) -> list[dict]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path.name}: not valid TOML: {exc}") from exc
    unknown = set(data) - {table}
    if unknown:
        raise RegistryError(
            f"{path.name}: unknown top-level keys {sorted(unknown)}; "
            f"expected only [[{table}]] entries"
        )
    return data.get(table, [])


def _build(cls, entry: dict, where: str):
    fields = set(cls.__dataclass_fields__)
    unknown = set(entry) - fields
    if unknown:
        raise RegistryError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(fields)}")
    try:
        return cls(**entry)
    except TypeError as exc:
        raise RegistryError(f"{where}: {exc}") from exc


@cache
def clauses(path: Path = CLAUSES_FILE) -> dict[str, Clause]:
    """Every clause of the registry by ID, in file order."""
    out: dict[str, Clause] = {}
    for n, entry in enumerate(_load(path, "clause"), 1):
        clause = _build(Clause, entry, f"{path.name} clause #{n} ({entry.get('id', '?')})")
        if clause.id in out:
            raise RegistryError(f"{path.name}: clause {clause.id} is registered twice")
        out[clause.id] = clause
    return out


@cache
def expectations(path: Path = EXPECTATIONS_FILE) -> tuple[Expectation, ...]:
    """Every expectation, in file order."""
    out = []
    for n, entry in enumerate(_load(path, "expect"), 1):
        if isinstance(entry.get("keras"), int):
            entry = {**entry, "keras": f"=={entry['keras']}.*"}
        out.append(
            _build(Expectation, entry, f"{path.name} entry #{n} ({entry.get('clause', '?')})")
        )
    return tuple(out)


def expected(
    clause_id: str, versions: dict[str, str | None], entries: tuple[Expectation, ...] | None = None
) -> Expectation | None:
    """The first expectation (of `entries`, else the file's) that covers `clause_id` in an
    environment with `versions`, if any."""
    entries = expectations() if entries is None else entries
    return next((e for e in entries if e.clause == clause_id and e.matches(versions)), None)


def keras_prerelease_coverage(
    keras: str, entries: tuple[Expectation, ...] | None = None
) -> list[tuple[Expectation, bool]]:
    """Each Keras-qualified expectation, and whether Keras `keras` (a pre-release, say) falls
    inside its range. Pre-releases are matched deliberately, as the versions they are."""
    entries = expectations() if entries is None else entries
    return [(e, _version_in(keras, e.keras)) for e in entries if e.keras]


def problems(
    clauses_file: Path = CLAUSES_FILE, expectations_file: Path = EXPECTATIONS_FILE
) -> list[str]:
    """Everything wrong with the two files taken on their own (lint.py adds the tests)."""
    found = []
    registry = clauses(clauses_file)
    for c in registry.values():
        if not CLAUSE_ID.match(c.id):
            found.append(f"{c.id}: an ID is CHAPTER.TOPIC.DETAIL in capitals")
        if not isinstance(c.slide, int) or c.slide < 1:
            found.append(f"{c.id}: 'slide' must be the slide's number")
        if not c.quote.strip():
            found.append(f"{c.id}: 'quote' must give the course's words or code")
        if c.level == "should" and not c.checks.strip():
            found.append(f"{c.id}: a 'should' clause needs 'checks', the behaviour it implies")
        if c.level not in LEVELS:
            found.append(f"{c.id}: level {c.level!r} is not one of {LEVELS}")
        if c.level == "erratum":
            if not c.fix.strip():
                found.append(f"{c.id}: an erratum needs 'fix', the corrected code")
            if c.fixed_by not in registry:
                found.append(f"{c.id}: an erratum needs 'fixed_by', the clause proving its fix")
        elif c.fix or c.fixed_by:
            found.append(f"{c.id}: only an erratum has 'fix' and 'fixed_by'")
    for e in expectations(expectations_file):
        where = f"expectation for {e.clause}"
        if e.clause not in registry:
            found.append(f"{where}: no such clause")
        if e.outcome not in OUTCOMES:
            found.append(f"{where}: outcome {e.outcome!r} is not one of {OUTCOMES}")
        if e.category not in CATEGORIES:
            found.append(f"{where}: category {e.category!r} is not one of {CATEGORIES}")
        if not e.reason.strip():
            found.append(f"{where}: a non-pass outcome needs its reason")
        if e.outcome == "fail" and not (e.raises and e.match):
            found.append(
                f"{where}: an expected failure declares what fails: 'raises' (the exception "
                f"class) and 'match' (a pattern of its message, or of the assertion's)"
            )
        if e.outcome != "fail" and (e.raises or e.match):
            found.append(f"{where}: only an expected failure has 'raises' and 'match'")
        try:
            re.compile(e.match)
        except re.error as exc:
            found.append(f"{where}: match = {e.match!r} is not a regular expression ({exc})")
        for name in QUALIFIERS:
            try:
                SpecifierSet(getattr(e, name))
            except InvalidSpecifier:
                found.append(f"{where}: {name} = {getattr(e, name)!r} is not a PEP 440 specifier")
    return found

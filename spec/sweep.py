"""The Keras sweep's measurements: what each clause did on each swept Keras 3, and where it changed.

`tox -m sweep` runs the Keras-dependent chapters on one TensorFlow with every Keras 3 minor's newest
patch (and the patches around a change inside a minor), writing reports/runs/sweep-keras<V>.json.
`python -m spec.sweep` reads those records and writes spec/sweep/keras3.json: per clause, its
behaviour on each swept version and each change point, the first release that behaves the new way;
`--keep` merges the records of a partial sweep into the data already there.
`boundary_problems` is the check that every Keras boundary in spec/expectations.toml is one of them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from spec.harness import registry

SWEEP_DIR = Path(__file__).resolve().parent / "sweep"
DATA_FILE = SWEEP_DIR / "keras3.json"
# Every Keras 3 release on the package index, oldest first (`pip index versions keras`).
RELEASES_FILE = SWEEP_DIR / "releases.txt"
ENV_PREFIX = "sweep-keras"
# The nightly's version scheme: a dev release of the next minor (keras-nightly, tf-nightly's Keras).
NEXT_DEV = "3.16.0.dev0"

_XFAIL = re.compile(r"^expected failure \(.*?\): (?=[A-Za-z_][\w.]*:)", re.DOTALL)
_VOLATILE = re.compile(r"0x[0-9a-f]+|\d+(\.\d+)?(e-?\d+)?|/[^\s'\"]*")


def releases(path: Path = RELEASES_FILE) -> list[str]:
    """The Keras 3 releases, oldest first."""
    found = [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]
    return sorted(found, key=Version)


def behaviour(result: dict) -> str:
    """What a test did, whatever was expected of it: pass, skip, or fail/error with the first line
    of what it raised (numbers, addresses and paths blanked: only a change of kind counts)."""
    outcome = {"xpass": "pass", "xfail": "fail"}.get(result["outcome"], result["outcome"])
    if outcome in ("pass", "skip"):
        return outcome
    message = _XFAIL.sub("", result.get("message", "")).splitlines()
    first = _VOLATILE.sub("#", message[0] if message else "")
    return f"{outcome}: {first[:160]}"


def _clause_behaviour(results: list[dict]) -> str:
    """One clause's behaviour: its tests' behaviours, in order, joined (a clause with several
    tests behaves the same only if each of them does)."""
    return " | ".join(behaviour(r) for r in sorted(results, key=lambda r: r["test"]))


def collect(records: list[dict], known: list[str], base: dict | None = None) -> dict:
    """The sweep's data from its records: versions swept, and per clause its behaviour on each and
    its change points. A change point's `first` is the first swept release with the new behaviour;
    it is `exact` when the release before it on the index was swept too. With `base` (earlier
    data), a behaviour the records lack is taken from it, so that a partial rerun keeps the rest."""
    records = sorted(records, key=lambda r: (Version(r["versions"]["keras"]), r["env"]))
    base = base or {"swept": [], "tensorflow": [], "clauses": {}, "measured_with": {}}
    versions = sorted({r["versions"]["keras"] for r in records} | set(base["swept"]), key=Version)
    tensorflow = sorted({r["versions"]["tensorflow"] for r in records} | set(base["tensorflow"]))
    measured_with = dict(base.get("measured_with", {}))
    by_clause = {c: dict(entry["outcomes"]) for c, entry in base["clauses"].items()}
    for record in records:  # a later record of a version (e.g. a rerun of one chapter) wins
        measured_with[record["versions"]["keras"]] = record["suite_commit"]
        grouped: dict[str, list[dict]] = {}
        for result in record["results"]:
            grouped.setdefault(result["clause"], []).append(result)
        for clause, results in grouped.items():
            by_clause.setdefault(clause, {})[record["versions"]["keras"]] = _clause_behaviour(
                results
            )
    order = {v: i for i, v in enumerate(sorted(known, key=Version))}
    clauses = {}
    for clause, seen in sorted(by_clause.items()):
        swept = [v for v in versions if v in seen]
        changes = [
            {
                "last_old": before,
                "first": after,
                "exact": order.get(after, -1) - order.get(before, -9) == 1,
                "from": seen[before],
                "to": seen[after],
            }
            for before, after in itertools.pairwise(swept)
            if seen[before] != seen[after]
        ]
        clauses[clause] = {"changes": changes, "outcomes": seen}
    return {
        "tensorflow": tensorflow,
        "swept": versions,
        # The suite's commit each version's newest record was made with (crafted files change).
        "measured_with": {v: measured_with[v] for v in versions if v in measured_with},
        "next_dev": next_dev(clauses),
        "clauses": clauses,
    }


def next_dev(clauses: dict) -> dict:
    """Where a dev build of the next minor (a nightly) falls: PEP 440 puts NEXT_DEV below that
    minor's release, so a boundary written at that minor (`<3.16`, `>=3.16`) would match it on
    neither side; every boundary at an earlier release puts it with the newest swept release."""
    dev = Version(NEXT_DEV)
    firsts = {c["first"] for entry in clauses.values() for c in entry["changes"]}
    return {
        "version": NEXT_DEV,
        "boundaries_it_falls_on": sorted(
            (v for v in firsts if Version(v).release[:2] == dev.release[:2]), key=Version
        ),
        "judged_as": "the newest swept release, for every boundary below "
        f"{dev.major}.{dev.minor}: a change in the nightly shows as an unexpected outcome there",
    }


def _boundaries(spec: str) -> list[tuple[Version, bool]]:
    """The Keras 3 releases a specifier's range starts or stops at, each with whether it is written
    `<V` or `>=V`; the Keras 2/3 divide (`3`, `>=3`, `<3`) is not the sweep's to measure."""
    found = []
    for item in SpecifierSet(spec):
        version = Version(item.version.removesuffix(".*"))
        if version.major == 3 and version.release != (3,):
            found.append((version, item.operator in ("<", ">=") and "*" not in item.version))
    return found


def boundary_problems(expectations: tuple[registry.Expectation, ...], data: dict) -> list[str]:
    """Every Keras boundary in `expectations` that the sweep did not measure: each must be written
    `<V` or `>=V`, V the first release of a change point of its clause that the sweep bracketed by
    two consecutive releases, and its reason must name 'Keras V'."""
    found = []
    for e in expectations:
        for boundary, well_formed in _boundaries(e.keras):
            where = f"{e.clause} keras = {e.keras!r}"
            if not well_formed:
                found.append(f"{where}: write a Keras 3 boundary as `<V` or `>=V`")
            points = [
                c
                for c in data["clauses"].get(e.clause, {}).get("changes", [])
                if Version(c["first"]) == boundary
            ]
            if not points:
                measured = [
                    c["first"] for c in data["clauses"].get(e.clause, {}).get("changes", [])
                ]
                found.append(
                    f"{where}: {boundary} is not a change point the sweep measured for this "
                    f"clause (measured: {measured or 'none'})"
                )
                continue
            point = points[0]
            if not point["exact"]:
                found.append(
                    f"{where}: the sweep saw the change between {point['last_old']} and "
                    f"{point['first']}, not between consecutive releases: sweep the patches between"
                )
            if f"Keras {point['first']}" not in e.reason:
                found.append(f"{where}: the reason must cite 'Keras {point['first']}'")
    return found


def load(path: Path = DATA_FILE) -> dict:
    """The committed sweep data."""
    return json.loads(path.read_text("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=Path, default=Path("reports/runs"))
    parser.add_argument("--out", type=Path, default=DATA_FILE)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep what --out already holds for the versions and clauses the records lack "
        "(after sweeping only some environments)",
    )
    args = parser.parse_args(argv)
    paths = sorted(args.runs.glob(f"{ENV_PREFIX}*.json"))  # sweep-keras3.9.2[-rerun].json
    if not paths:
        print(f"no {ENV_PREFIX}*.json records in {args.runs}: run `tox -m sweep` first")
        return 1
    base = load(args.out) if args.keep and args.out.exists() else None
    if base:  # a clause renamed or removed since is no longer measured
        known = registry.clauses()
        base["clauses"] = {c: e for c, e in base["clauses"].items() if c in known}
    data = collect([json.loads(p.read_text("utf-8")) for p in paths], releases(), base)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    changed = sum(bool(c["changes"]) for c in data["clauses"].values())
    print(f"{args.out}: {len(data['swept'])} Keras versions, {changed} clauses change")
    problems = boundary_problems(registry.expectations(), data)
    for problem in problems:
        print(f"unmeasured boundary: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

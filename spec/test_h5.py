"""Chapter H5: saving and loading models, slide 25.

`model.save('my_model.h5')`, then `tf.keras.models.load_model('my_model.h5')`, "recreates the exact
same model, including weights and optimizer". Piece by piece, for the slide's HDF5 file and for the
native `.keras` file and the SavedModel: the layers, weights and predictions over drawn
architectures; the compile state, the optimizer's state and one more epoch of training on the
course's model; the file itself; that saving only observes; files written by other versions; bad
files; and, in a subprocess, files from an untrusted source.
"""

import json
import re
import shutil
import threading
import zipfile
from functools import cached_property

import h5py
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st

from spec import architectures, fixtures, oracles
from spec import hypothesis_helpers as hh
from spec import model_files as mf
from spec import pytest_helpers as ph
from spec.harness import environment
from spec.harness.runtime import SEED
from spec.keras_helpers import fresh_keras

# Slide 24's model and compile (with Keras's Adam for `tf.train.AdamOptimizer`), trained as slide
# 25 trains it. Adam's hyper-parameters are not its defaults, so that a loader falling back to the
# defaults is seen.
ADAM = {"learning_rate": 0.002, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-5}
SAMPLES, BATCH_SIZE, EPOCHS = 64, 32, 5


def course_model():
    keras = fresh_keras()
    model = keras.Sequential(
        [
            keras.Input((32,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(**ADAM),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def fit(model, data, labels, epochs: int) -> None:
    """`model.fit(data, labels, batch_size=32, epochs=epochs)`, in order, from the suite's seed."""
    tf.keras.utils.set_random_seed(SEED)
    model.fit(data, labels, batch_size=BATCH_SIZE, epochs=epochs, shuffle=False, verbose=0)


class Course:
    """Slide 25 once per module: the trained model; its .keras and .h5 files, saved straight after
    training in that order (an .h5 save changes the model on Keras 3, H5.SAVE.ONLY_OBSERVES; a
    SavedModel on first use); each file loaded once for the tests that only read it; and one more
    epoch, taken by an identical twin so that the model itself stays as trained."""

    def __init__(self, directory):
        self.directory = directory
        rng = np.random.default_rng(SEED)
        self.data = rng.normal(size=(SAMPLES, 32)).astype(np.float32)
        self.labels = np.eye(10, dtype=np.float32)[rng.integers(0, 10, SAMPLES)]
        self.model = course_model()
        fit(self.model, self.data, self.labels, EPOCHS)
        self.state = mf.state(self.model)
        self._files = {fmt: self._save(fmt) for fmt in ("keras", "h5")}
        self._loaded = {}

    def _save(self, fmt: str):
        return mf.save(self.model, mf.path_for(self.directory, fmt, "my_model"), fmt)

    def file(self, fmt: str):
        if fmt not in self._files:
            self._files[fmt] = self._save(fmt)
        return self._files[fmt]

    def loaded(self, fmt: str):
        if fmt not in self._loaded:
            self._loaded[fmt] = mf.load(self.file(fmt))
        return self._loaded[fmt]

    @cached_property
    def one_more_epoch(self) -> mf.ModelState:
        twin = course_model()
        fit(twin, self.data, self.labels, EPOCHS)
        ph.assert_identical_arrays(
            "the twin's weights", twin.get_weights(), self.model.get_weights()
        )
        fit(twin, self.data, self.labels, 1)
        return mf.state(twin)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return Course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    """A scratch directory for the Hypothesis tests, whose files each example overwrites."""
    return tmp_path_factory.mktemp("drawn")


def assert_same_layers(call: str, got: mf.ModelState, want: mf.ModelState) -> None:
    ph.assert_same_config(f"{call}.layers", [c for c, _ in got.layers], [c for c, _ in want.layers])
    for i, ((_, config), (_, expected)) in enumerate(zip(got.layers, want.layers, strict=True)):
        ph.assert_same_config(f"{call}.layers[{i}].get_config()", config, expected)
    for i, (weights, expected) in enumerate(zip(got.weights, want.weights, strict=True)):
        ph.assert_identical_arrays(f"{call}.layers[{i}].get_weights()", weights, expected)


def assert_same_state(call: str, got: mf.ModelState, want: mf.ModelState) -> None:
    """Layers, weights, loss, compile config, optimizer class, hyper-parameters and variables."""
    assert_same_layers(call, got, want)
    assert (got.loss, got.optimizer) == (want.loss, want.optimizer), (
        f"{call} has loss {got.loss!r} and optimizer {got.optimizer}, "
        f"but should have {want.loss!r} and {want.optimizer}"
    )
    ph.assert_same_config(f"{call}.get_compile_config()", got.compile_config, want.compile_config)
    ph.assert_same_config(
        f"{call}.optimizer.get_config()", got.optimizer_config, want.optimizer_config
    )
    ph.assert_identical_arrays(
        f"{call}.optimizer.variables", got.optimizer_variables, want.optimizer_variables
    )


def train_briefly(model, x) -> None:
    """One eager Adam step towards 0.5, so that weights, batch statistics and slots move."""
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x, training=True) - 0.5))
    variables = model.trainable_variables
    if variables:
        model.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))


@pytest.mark.parametrize(
    "fmt",
    [
        pytest.param("h5", marks=pytest.mark.clause("H5.ROUNDTRIP.SAME_MODEL")),
        pytest.param("keras", marks=pytest.mark.clause("H5.KERAS_FORMAT.SAME_MODEL")),
        pytest.param("savedmodel", marks=pytest.mark.clause("H5.SAVEDMODEL.SAME_MODEL")),
    ],
)
@given(arch=architectures.architectures(max_layers=3), data=st.data())
@hh.examples(3)
def test_round_trip_keeps_layers_weights_predictions(directory, fmt, arch, data) -> None:
    """A drawn model, trained briefly, comes back with the same layers, weights and predictions."""
    x = data.draw(architectures.batches(arch), label="x")
    model = architectures.build(arch)
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="categorical_crossentropy")
    train_briefly(model, x)
    path = mf.save(model, mf.path_for(directory, fmt), fmt)
    loaded = mf.load(path)
    call = f"load_model({path.name}) of\n{arch}\n"
    assert_same_layers(call, mf.state(loaded), mf.state(model))
    ph.assert_identical(f"{call}(x)", loaded(x, training=False), model(x, training=False))


# --- slide 25: each format's round trip keeps compile state, optimizer state, training --------


@pytest.mark.parametrize(
    "fmt",
    [
        pytest.param("h5", marks=pytest.mark.clause("H5.ROUNDTRIP.COMPILE_STATE")),
        pytest.param("keras", marks=pytest.mark.clause("H5.KERAS_FORMAT.COMPILE_STATE")),
        pytest.param("savedmodel", marks=pytest.mark.clause("H5.SAVEDMODEL.COMPILE_STATE")),
    ],
)
def test_round_trip_keeps_compile_state(course: Course, fmt: str) -> None:
    """Loss, metric, Adam and its hyper-parameters survive; evaluate() needs no compile()."""
    loaded = course.loaded(fmt)
    call = f"load_model({course.file(fmt).name})"
    assert mf.loss_name(loaded.loss) == "categorical_crossentropy", f"{call}.loss = {loaded.loss}"
    assert type(loaded.optimizer).__name__ == "Adam", f"{call}.optimizer = {loaded.optimizer}"
    config = loaded.optimizer.get_config()
    for name, value in ADAM.items():
        ph.assert_values(f"{call}.optimizer.{name}", np.float32(config[name]), value)
    scores = loaded.evaluate(course.data, course.labels, verbose=0, return_dict=True)
    p = course.model(course.data).numpy()
    expected = {
        "loss": oracles.categorical_crossentropy(course.labels, p).mean(),
        "accuracy": oracles.categorical_accuracy(course.labels, p).mean(),
    }
    assert sorted(scores) == sorted(expected), f"{call}.evaluate(...) gives {sorted(scores)}"
    for name, value in expected.items():
        ph.assert_values(f"{call}.evaluate(...)['{name}']", np.float32(scores[name]), value)


@pytest.mark.parametrize(
    "fmt",
    [
        pytest.param("h5", marks=pytest.mark.clause("H5.ROUNDTRIP.OPTIMIZER_STATE")),
        pytest.param("keras", marks=pytest.mark.clause("H5.KERAS_FORMAT.OPTIMIZER_STATE")),
        pytest.param("savedmodel", marks=pytest.mark.clause("H5.SAVEDMODEL.OPTIMIZER_STATE")),
    ],
)
def test_round_trip_keeps_optimizer_state(course: Course, fmt: str) -> None:
    """Adam's iteration count and its moments come back as they were."""
    optimizer = course.loaded(fmt).optimizer
    call = f"load_model({course.file(fmt).name}).optimizer"
    steps = oracles.optimizer_steps(SAMPLES, BATCH_SIZE, EPOCHS)
    iterations = int(np.asarray(optimizer.iterations))
    assert iterations == steps, f"{call}.iterations = {iterations}, but should be {steps}"
    ph.assert_identical_arrays(
        f"{call}.variables", mf.optimizer_variables(optimizer), course.state.optimizer_variables
    )


@pytest.mark.parametrize(
    "fmt",
    [
        pytest.param("h5", marks=pytest.mark.clause("H5.ROUNDTRIP.RESUME_TRAINING")),
        pytest.param("keras", marks=pytest.mark.clause("H5.KERAS_FORMAT.RESUME_TRAINING")),
        pytest.param("savedmodel", marks=pytest.mark.clause("H5.SAVEDMODEL.RESUME_TRAINING")),
    ],
)
def test_round_trip_resumes_training(course: Course, fmt: str) -> None:
    """One more epoch from the loaded model equals one more epoch from the original."""
    loaded = mf.load(course.file(fmt))
    fit(loaded, course.data, course.labels, 1)
    call = f"load_model({course.file(fmt).name}), then fit(epochs=1): weights"
    expected = course.one_more_epoch.weights
    for i, (weights, want) in enumerate(zip(mf.state(loaded).weights, expected, strict=True)):
        ph.assert_identical_arrays(f"{call} of layer {i}", weights, want)


# --- the .h5 file: model.save('my_model.h5'), load_model('my_model.h5') --------------------------


@pytest.mark.clause("H5.FILE.HDF5_LAYOUT")
def test_h5_file_is_hdf5_with_config_weights_version(course):
    path = course.file("h5")
    with h5py.File(path, "r") as f:
        version = f.attrs["keras_version"]
        version = version.decode() if isinstance(version, bytes) else version
        assert version == environment.versions()["keras"], f"{path.name} keras_version={version}"
        config = json.loads(f.attrs["model_config"])
        layers = [c["class_name"] for c in config["config"]["layers"]]
        assert config["class_name"] == "Sequential", f"{path.name} holds a {config['class_name']}"
        assert [c for c in layers if c != "InputLayer"] == ["Dense"] * 3, f"layers {layers}"
        assert "training_config" in f.attrs, f"{path.name} has no training_config"
        assert "optimizer_weights" in f, f"{path.name} holds only {list(f)}"
        for layer in course.model.layers:
            group = f["model_weights"][layer.name]
            names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]
            stored = [group[name][()] for name in names]
            ph.assert_identical_arrays(
                f"{path.name}:model_weights/{layer.name}", stored, layer.get_weights()
            )


# --- the native .keras file ----------------------------------------------------------------------


@pytest.mark.clause("H5.KERAS_FORMAT.ZIP_ARCHIVE")
def test_keras_file_is_zip_with_config_weights_version(course):
    path = course.file("keras")
    assert zipfile.is_zipfile(path), (
        f"{path.name} is no zip archive: it starts {path.read_bytes()[:8]!r}"
    )
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert {"config.json", "metadata.json", "model.weights.h5"} <= names, (
            f"{path.name}: {names}"
        )
        config = json.loads(archive.read("config.json"))
        metadata = json.loads(archive.read("metadata.json"))
    assert config["class_name"] == "Sequential", f"{path.name} holds a {config['class_name']}"
    version = metadata.get("keras_version")
    assert version == environment.versions()["keras"], f"{path.name} keras_version={version}"


# --- the SavedModel: model.save('my_model', save_format='tf') ----------------------------------


@pytest.mark.clause("H5.SAVEDMODEL.SAVE")
def test_savedmodel_save_writes_a_directory(course):
    path = course.file("savedmodel")
    found = sorted(p.name for p in path.iterdir())
    assert {"saved_model.pb", "variables"} <= set(found), f"{path} holds {found}"


# --- saving only observes ------------------------------------------------------------------------


@pytest.mark.clause("H5.SAVE.ONLY_OBSERVES")
@given(formats=st.lists(st.sampled_from(["h5", "keras"]), min_size=2, max_size=4))
@hh.examples(3)
def test_saving_again_changes_nothing(directory, formats):
    model = course_model()
    train_briefly(model, np.ones((4, 32), np.float32))
    before, first, last = mf.state(model), {}, {}
    for i, fmt in enumerate(formats):
        last[fmt] = mf.save(model, mf.path_for(directory, fmt, f"again{i}"), fmt)
        assert_same_state(
            f"the model after saving it as {formats[: i + 1]}", mf.state(model), before
        )
        first.setdefault(fmt, mf.state(mf.load(last[fmt])))
    for fmt, path in last.items():
        if formats.count(fmt) > 1:
            assert_same_state(f"load_model({path.name})", mf.state(mf.load(path)), first[fmt])


@pytest.mark.clause("H5.SAVE.KERAS_AFTER_H5")
def test_keras_file_saved_after_h5_keeps_optimizer(tmp_path):
    model = course_model()
    train_briefly(model, np.ones((4, 32), np.float32))
    before = mf.state(model)
    mf.save(model, mf.path_for(tmp_path, "h5"), "h5")
    assert_same_state("the model after model.save('model.h5')", mf.state(model), before)
    loaded = mf.load(mf.save(model, mf.path_for(tmp_path, "keras"), "keras"))
    assert type(loaded.optimizer).__name__ == "Adam", f"model.keras loads {loaded.optimizer}"


@pytest.mark.clause("H5.SAVEDMODEL.ONLY_OBSERVES")
def test_saving_a_savedmodel_changes_nothing(course):
    course.file("savedmodel")
    assert_same_state("the model after saving a SavedModel", mf.state(course.model), course.state)
    path = mf.save(course.model, mf.path_for(course.directory, "h5", "after_savedmodel"), "h5")
    assert_same_state(
        f"load_model({path.name})", mf.state(mf.load(path)), mf.state(course.loaded("h5"))
    )


# --- files written by other versions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("writer", "fmt"),
    [
        pytest.param(
            "keras2",
            "h5",
            marks=pytest.mark.clause("H5.OLD_FILE.H5_FROM_KERAS2"),
            id="h5-from-keras2",
        ),
        pytest.param(
            "keras2",
            "keras",
            marks=pytest.mark.clause("H5.OLD_FILE.KERAS_FROM_KERAS2"),
            id="keras-from-keras2",
        ),
        pytest.param(
            "keras3",
            "h5",
            marks=pytest.mark.clause("H5.OLD_FILE.H5_FROM_KERAS3"),
            id="h5-from-keras3",
        ),
        pytest.param(
            "keras3",
            "keras",
            marks=pytest.mark.clause("H5.OLD_FILE.KERAS_FROM_KERAS3"),
            id="keras-from-keras3",
        ),
    ],
)
def test_loads_file_written_by_another_keras(writer: str, fmt: str) -> None:
    """A fixture file loads with the weights it was written with and NumPy's predictions."""
    record, path = fixtures.record(writer), fixtures.file(writer, fmt)
    writer = record["written_by"]["tensorflow"]
    call = f"load_model({path.parent.name}/{path.name}) (written by TF {writer})"
    model = mf.load(path)
    expected = [np.asarray(w, np.float32) for layer in record["weights"] for w in layer]
    ph.assert_identical_arrays(f"{call}.get_weights()", model.get_weights(), expected)
    x = np.asarray(record["inputs"], np.float32)
    layers = [(k, b, a) for (k, b), a in zip(record["weights"], record["activations"], strict=True)]
    ph.assert_values(f"{call}(x)", model(x, training=False), oracles.dense_forward(x, layers))


# --- bad files: a clear error, never a model ----------------------------------------------------


def load_error(path, expected, *patterns, absent=()):
    return ph.assert_error(
        f"load_model({path.name!r})", lambda: mf.load(path), expected, *patterns, absent=absent
    )


@pytest.mark.clause("H5.BAD_FILE.MISSING_PATH")
def test_missing_h5_file_raises_oserror_naming_it(tmp_path):
    path = tmp_path / "my_model.h5"
    load_error(path, OSError, re.escape(str(path)))


@pytest.mark.clause("H5.BAD_FILE.DIRECTORY")
def test_directory_named_h5_raises_oserror_saying_so(tmp_path):
    path = tmp_path / "my_model.h5"
    path.mkdir()
    load_error(path, OSError, re.escape(str(path)), "is a directory")


@pytest.mark.clause("H5.BAD_FILE.ZERO_BYTES")
def test_empty_h5_file_raises_oserror(tmp_path):
    path = tmp_path / "my_model.h5"
    path.write_bytes(b"")
    load_error(path, OSError, "file signature not found")


@pytest.mark.clause("H5.BAD_FILE.RANDOM_BYTES")
def test_random_bytes_h5_file_raises_oserror(tmp_path):
    path = tmp_path / "my_model.h5"
    path.write_bytes(np.random.default_rng(SEED).bytes(4096))
    load_error(path, OSError, "file signature not found")


@pytest.mark.clause("H5.BAD_FILE.TRUNCATED")
def test_truncated_h5_file_raises_oserror_saying_so(course, tmp_path):
    path = tmp_path / "my_model.h5"
    whole = course.file("h5").read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    load_error(path, OSError, "truncated")


@pytest.mark.clause("H5.BAD_FILE.NO_MODEL")
def test_hdf5_without_model_raises_valueerror_naming_it(tmp_path):
    path = tmp_path / "my_model.h5"
    with h5py.File(path, "w") as f:
        f["data"] = np.arange(3)
    load_error(path, ValueError, "no model config", re.escape(str(path)))


@pytest.mark.clause("H5.BAD_FILE.KERAS_TRUNCATED")
def test_truncated_keras_file_is_not_reported_missing(course, tmp_path):
    path = tmp_path / "my_model.keras"
    whole = course.file("keras").read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    load_error(path, (OSError, ValueError), absent=("not found",))


@pytest.mark.clause("H5.BAD_FILE.KERAS_MISSING_PATH")
def test_missing_keras_file_raises_oserror_naming_it(tmp_path):
    path = tmp_path / "my_model.keras"
    load_error(path, OSError, re.escape(str(path)))


# --- saves that fail -----------------------------------------------------------------------------


class HoldsALock(tf.keras.layers.Layer):
    """An identity layer whose config holds a lock, which no file format can store."""

    def __init__(self, lock=None, **kwargs):
        super().__init__(**kwargs)
        self.lock = lock

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {**super().get_config(), "lock": self.lock}


def unserializable_model():
    keras = fresh_keras()
    return keras.Sequential(
        [keras.Input((32,)), HoldsALock(threading.Lock()), keras.layers.Dense(10)]
    )


@pytest.mark.clause("H5.SAVE.UNWRITABLE_PATH")
@pytest.mark.parametrize("fmt", ["h5", "keras"])
def test_save_to_unwritable_path_raises_oserror(course, tmp_path, fmt):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    path = mf.path_for(blocker, fmt)
    ph.assert_error(f"model.save({str(path)!r})", lambda: mf.save(course.model, path, fmt), OSError)
    assert blocker.read_text() == "not a directory", "the file in the way was changed"


def save_over_earlier_file(course: Course, tmp_path, fmt: str):
    """Copy the course's file to a fresh path and save a model holding a lock over it: the path,
    the save's description and the call that saves."""
    path = mf.path_for(tmp_path, fmt)
    shutil.copyfile(course.file(fmt), path)
    return (
        path,
        f"model.save({path.name!r}) of a layer holding a lock",
        (lambda: mf.save(unserializable_model(), path, fmt)),
    )


@pytest.mark.parametrize(
    "fmt",
    [
        pytest.param("h5", marks=pytest.mark.clause("H5.SAVE.FAILED_H5_RAISES")),
        pytest.param("keras", marks=pytest.mark.clause("H5.SAVE.FAILED_KERAS_RAISES")),
    ],
)
def test_save_of_unserializable_layer_raises_typeerror(course: Course, tmp_path, fmt: str) -> None:
    _, call, save = save_over_earlier_file(course, tmp_path, fmt)
    ph.assert_error(call, save, TypeError)


@pytest.mark.parametrize(
    "fmt",
    [
        pytest.param("h5", marks=pytest.mark.clause("H5.SAVE.FAILED_H5_KEEPS_EARLIER_FILE")),
        pytest.param("keras", marks=pytest.mark.clause("H5.SAVE.FAILED_KERAS_KEEPS_EARLIER_FILE")),
    ],
)
def test_failed_save_keeps_earlier_file(course: Course, tmp_path, fmt: str) -> None:
    """A save that fails (with whatever exception: that it is TypeError is the clause above)
    leaves the earlier file loadable."""
    path, call, save = save_over_earlier_file(course, tmp_path, fmt)
    ph.assert_raises(call, save, Exception)
    call = f"load_model({path.name!r}) of the file saved before the failed save"
    loaded = mf.load(path)
    ph.assert_identical(f"{call}(data)", loaded(course.data), course.model(course.data))


# --- untrusted files: a Lambda whose code leaves a mark, loaded in a subprocess -----------------


@pytest.fixture(scope="module")
def untrusted(fresh):
    """The weights of the Lambda model this process saved, and what each way of loading its files
    did in the fresh interpreter."""
    return fresh.prepared["untrusted"], fresh.report("untrusted")


@pytest.mark.parametrize(
    "way",
    [
        pytest.param(
            "h5 default", marks=pytest.mark.clause("H5.UNTRUSTED.H5_DEFAULT"), id="h5-default"
        ),
        pytest.param(
            "h5 safe_mode", marks=pytest.mark.clause("H5.UNTRUSTED.H5_SAFE_MODE"), id="h5-safe_mode"
        ),
        pytest.param(
            "keras default",
            marks=pytest.mark.clause("H5.UNTRUSTED.KERAS_DEFAULT"),
            id="keras-default",
        ),
        pytest.param(
            "keras safe_mode",
            marks=pytest.mark.clause("H5.UNTRUSTED.KERAS_SAFE_MODE"),
            id="keras-safe_mode",
        ),
    ],
)
def test_untrusted_file_is_refused(untrusted, way: str) -> None:
    """Loading the Lambda model refuses with ValueError naming the Lambda and safe_mode."""
    outcome = untrusted[1][way]
    call = f"load_model of a Lambda model ({way})"
    assert not outcome["ran_code"], f"{call} ran the Lambda's code from the file while loading"
    assert outcome["raised"] == "ValueError", (
        f"{call} {'returned a model' if outcome['raised'] is None else 'raised '}"
        f"{outcome['raised'] or ''}, but should refuse with ValueError {outcome['message'][:200]!r}"
    )
    for word in ("lambda", "safe_mode"):
        assert word in outcome["message"].lower(), f"{call}: {outcome['message'][:300]!r}"


@pytest.mark.clause("H5.UNTRUSTED.WEIGHTS_ONLY")
def test_untrusted_h5_weights_load_into_own_model_without_its_code(untrusted):
    weights, report = untrusted
    outcome = report["h5 weights only"]
    call = "own_model.load_weights('lambda.h5')"
    assert outcome["raised"] is None, f"{call} raised {outcome['raised']}: {outcome['message']}"
    assert not outcome["ran_code"], f"{call} ran the Lambda's code from the file"
    got = [np.asarray(w, np.float32) for w in outcome["weights"]]
    ph.assert_identical_arrays(f"{call}.get_weights()", got, weights)


# --- what slide 25's users run into (self-contained: garbage files, no extension, re-compiling,
# the legacy-format warning, TF 2.12's zip format) -------------------------------------------


@pytest.mark.clause("H5.BAD_FILE.KERAS_GARBAGE")
def test_garbage_keras_file_is_not_reported_missing(tmp_path):
    path = tmp_path / "my_model.keras"
    path.write_bytes(np.random.default_rng(SEED).bytes(4096))
    load_error(path, (OSError, ValueError), absent=("file not found",))


@pytest.mark.clause("H5.NO_EXTENSION.ROUND_TRIP")
def test_save_and_load_without_extension_round_trip(course, tmp_path):
    path = tmp_path / "my_model"
    course.model.save(str(path))
    loaded = tf.keras.models.load_model(str(path))
    ph.assert_identical(
        "load_model('my_model')(data)", loaded(course.data), course.model(course.data)
    )


def recompile(model):
    """Slide 24's compile, with a new Adam."""
    model.compile(
        optimizer=tf.keras.optimizers.Adam(**ADAM),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


@pytest.fixture(scope="module")
def recompiled(course):
    """The course's .h5 file loaded, compiled again with a new Adam and trained one more epoch."""
    loaded = recompile(mf.load(course.file("h5")))
    fit(loaded, course.data, course.labels, 1)
    return loaded


@pytest.mark.clause("H5.ROUNDTRIP.RECOMPILE_TRAINS")
def test_recompiled_h5_model_trains_as_one_never_saved(course, recompiled):
    twin = course_model()
    twin.set_weights(course.model.get_weights())
    fit(recompile(twin), course.data, course.labels, 1)
    call = "load_model('my_model.h5'), compile(Adam(...)), fit(epochs=1): weights"
    for i, (weights, want) in enumerate(
        zip(mf.state(recompiled).weights, mf.state(twin).weights, strict=True)
    ):
        ph.assert_identical_arrays(f"{call} of layer {i}", weights, want)


@pytest.mark.clause("H5.ROUNDTRIP.RECOMPILE_CONTINUES_ADAM")
def test_recompiled_h5_model_continues_adams_count(recompiled):
    steps = oracles.optimizer_steps(SAMPLES, BATCH_SIZE, EPOCHS + 1)
    iterations = int(np.asarray(recompiled.optimizer.iterations))
    assert iterations == steps, (
        f"load_model('my_model.h5'), compile(Adam(...)), fit(epochs=1): "
        f"optimizer.iterations = {iterations}, but should continue to {steps}"
    )


@pytest.mark.clause("H5.SAVE.LEGACY_WARNING_SILENCEABLE")
def test_h5_save_warning_is_silenced_by_warning_filters(course, tmp_path):
    import logging
    import warnings

    records = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            course.model.save(str(tmp_path / "quiet.h5"))
    finally:
        root.removeHandler(handler)
    said = [r.getMessage()[:200] for r in records if "legacy" in r.getMessage().lower()]
    assert not said, (
        f"model.save('quiet.h5') under warnings.simplefilter('ignore') still logs: {said}"
    )


@pytest.mark.clause("H5.KERAS_FORMAT.KERAS_V3_ON_TF212")
def test_save_format_keras_v3_writes_a_zip_archive(tmp_path):
    path = tmp_path / "my_model.keras"
    keras = fresh_keras()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.save(str(path), save_format="keras_v3")
    assert zipfile.is_zipfile(path), f"save_format='keras_v3' wrote {path.read_bytes()[:8]!r}"
    ph.assert_identical_arrays(
        "load_model('my_model.keras').get_weights()",
        mf.load(path).get_weights(),
        model.get_weights(),
    )

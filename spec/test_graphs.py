"""Chapter GRAPHS: dataflow graphs, sessions and what graphs are good for, slides 4-7.

What a graph is (stateful ops in a dataflow graph) and which Pythons TensorFlow supports (slide 4);
assembling a graph and running it later, the TF 1 way (a `tf.Graph` and a `Session`) and the TF 2
way (a `tf.function`'s concrete function), a side effect showing when an op runs (slide 6); the four
benefits of slide 7: pruning (which holds for `Session.run` and not for a `tf.function`, whose
automatic control dependencies run every stateful op), autodiff against the closed-form derivative,
distribution over two logical CPU devices (in a fresh interpreter) against NumPy, and models as
directed graphs. Slide 9's node names are TENSORS.GRAPH.AUTO_NAMES.
"""

import importlib.metadata
import itertools
import sys

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis.extra import numpy as hnp
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from spec import distributed_training as dist
from spec import hypothesis_helpers as hh
from spec import oracles
from spec import pytest_helpers as ph
from spec.keras_helpers import fresh_keras
from spec.tolerances import iterated_tolerance

# The Pythons each TensorFlow line supports (its wheels on the package index, and the
# "Programming Language :: Python :: 3.x" classifiers of its metadata): slide 4's erratum table.
PYTHONS = {
    "2.12": (8, 11),
    "2.13": (8, 11),
    "2.14": (9, 11),
    "2.15": (9, 11),
    "2.16": (9, 12),
    "2.17": (9, 12),
    "2.18": (9, 12),
    "2.19": (9, 12),
    "2.20": (9, 13),
    "2.21": (10, 13),
}


class SideEffects:
    """A Python function for `tf.numpy_function` that logs each call: when did the op run?"""

    def __init__(self):
        self.calls = []

    def __call__(self, x):
        self.calls.append(float(x))
        return x


# --- slide 4: stateful dataflow graphs; the Python versions ---------------------------------------


@pytest.mark.clause("GRAPHS.DATAFLOW.STATEFUL")
def test_function_graph_is_a_stateful_dataflow_graph():
    total = tf.Variable(0.0, dtype=tf.float64)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float64)])
    def accumulate(x):
        total.assign_add(tf.reduce_sum(x * x))
        return total.read_value()

    graph = accumulate.get_concrete_function().graph
    ops = graph.get_operations()
    position = {op.name: i for i, op in enumerate(ops)}
    for op in ops:
        for tensor in op.inputs:
            assert tensor.graph is graph, f"{op.name} reads {tensor.name} from another graph"
            assert position[tensor.op.name] < position[op.name], (
                f"{op.name} reads {tensor.name}, which no earlier op makes: not a dataflow graph"
            )
    stateful = sorted(op.type for op in ops if op.op_def.is_stateful)
    assert "AssignAddVariableOp" in stateful, f"the graph's stateful ops are {stateful}"
    x = np.array([0.5, -1.5, 2.0])
    for calls in (1, 2):
        out = accumulate(x)
        ph.assert_values(f"accumulate(x) call {calls}", out.numpy(), calls * np.sum(x * x))


PYTHON_CLASSIFIER = "Programming Language :: Python :: 3."


def python_support() -> tuple[str, SpecifierSet, set[int], list[str]]:
    """The installed TensorFlow's version, Requires-Python, the Python 3 minors its classifiers
    name, and its wheel's tags, read from the metadata of the distribution that provides the
    `tensorflow` package (tensorflow, or tf-nightly), not from its code."""
    name = importlib.metadata.packages_distributions()["tensorflow"][0]
    meta = importlib.metadata.distribution(name)
    minors = set()
    for classifier in meta.metadata.get_all("Classifier") or ():
        minor = classifier.removeprefix(PYTHON_CLASSIFIER)
        if classifier.startswith(PYTHON_CLASSIFIER) and minor.isdigit():
            minors.add(int(minor))
    wheel = (meta.read_text("WHEEL") or "").splitlines()
    tags = [line.split(":", 1)[1].strip() for line in wheel if line.startswith("Tag:")]
    return meta.version, SpecifierSet(meta.metadata["Requires-Python"] or ""), minors, tags


@pytest.mark.clause("GRAPHS.PYTHON.SLIDE_VERSION")
def test_python_37_is_not_supported():
    version, requires, minors, _ = python_support()
    line = ".".join(version.split(".")[:2])
    assert line in PYTHONS, f"TensorFlow {version}: no row in the erratum's table; add its Pythons"
    low, high = PYTHONS[line]
    call = f"TensorFlow {version}'s metadata"
    assert not requires.contains("3.7"), f"{call}: Requires-Python {requires} admits Python 3.7"
    assert 7 not in minors, f"{call} names Python 3.7 among {sorted(minors)}"
    assert minors == set(range(low, high + 1)), (
        f"{call} names Python 3.{sorted(minors)}, but the table says 3.{low}-3.{high}"
    )
    for minor, admitted in ((low, True), (low - 1, False)):
        assert requires.contains(f"3.{minor}") == admitted, (
            f"{call}: Requires-Python {requires}, but the table's oldest Python is 3.{low}"
        )


@pytest.mark.clause("GRAPHS.PYTHON.RUNNING_ADMITTED")
def test_running_python_is_admitted():
    version, requires, minors, tags = python_support()
    running = f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    call = f"TensorFlow {version} on Python {running}"
    assert requires.contains(Version(running)), f"{call}: Requires-Python {requires} refuses it"
    assert sys.version_info.minor in minors, f"{call}: its classifiers name 3.{sorted(minors)}"
    interpreter = f"cp{sys.version_info.major}{sys.version_info.minor}"
    assert any(tag.startswith(f"{interpreter}-") for tag in tags), (
        f"{call}: the installed wheel is built for {tags}, not {interpreter}"
    )


# --- slide 6: assemble, then execute --------------------------------------------------------------


@pytest.mark.clause("GRAPHS.PHASES.TF1_SESSION")
def test_tf1_graph_runs_only_in_a_session():
    log = SideEffects()
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float64, [])
        counter = tf.compat.v1.Variable(0.0, dtype=tf.float64, use_resource=True)
        logged = tf.numpy_function(log, [x * 3.0], tf.float64)
        step = counter.assign_add(logged)
        assert log.calls == [], f"assembling the graph ran its op: calls {log.calls}"
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(counter.initializer)
            ph.assert_values("counter before run", session.run(counter), 0.0)
            out = session.run(step, feed_dict={x: 2.0})
            again = session.run(step, feed_dict={x: 0.5})
    assert log.calls == [6.0, 1.5], f"two Session.run calls ran the op with {log.calls}"
    ph.assert_values("session.run(step) after x=2", out, 6.0)
    ph.assert_values("session.run(step) after x=2, x=0.5", again, 7.5)


@pytest.mark.clause("GRAPHS.PHASES.TF2_FUNCTION")
def test_tf_function_assembles_then_runs():
    log = SideEffects()
    counter = tf.Variable(0.0, dtype=tf.float64)

    @tf.function(input_signature=[tf.TensorSpec([], tf.float64)])
    def step(x):
        counter.assign_add(tf.numpy_function(log, [x * 3.0], tf.float64))
        return counter.read_value()

    concrete = step.get_concrete_function()
    types = {op.type for op in concrete.graph.get_operations()}
    assert {"AssignAddVariableOp", "Mul"} <= types, f"the assembled graph holds only {types}"
    assert log.calls == [], f"assembling the graph ran its op: calls {log.calls}"
    ph.assert_values("counter after assembling", counter.numpy(), 0.0)
    out = concrete(tf.constant(2.0, tf.float64))
    assert log.calls == [6.0], f"one call ran the op with {log.calls}"
    ph.assert_values("concrete(2.0)", out.numpy(), 6.0)


# --- slide 7 (1): only the subgraph that leads to a fetch runs ------------------------------------


@pytest.mark.clause("GRAPHS.PRUNING.SESSION_RUN")
def test_session_run_prunes_unfetched_ops():
    log = SideEffects()
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float64, [])
        counter = tf.compat.v1.Variable(0.0, dtype=tf.float64, use_resource=True)
        unrelated = (counter.assign_add(1.0), tf.numpy_function(log, [x], tf.float64))
        y = x * 2.0
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(counter.initializer)
            out = session.run(y, feed_dict={x: 3.0})
            untouched = session.run(counter)
            assert log.calls == [], f"Session.run(y) ran the unfetched op: calls {log.calls}"
            ph.assert_values("counter after Session.run(y)", untouched, 0.0)
            session.run(unrelated, feed_dict={x: 3.0})
            ph.assert_values("counter after fetching its update", session.run(counter), 1.0)
    ph.assert_values("Session.run(x * 2, x=3)", out, 6.0)
    assert log.calls == [3.0], f"fetching the logged op ran it with {log.calls}"


def unrelated_side_effects(counter: tf.Variable, log: SideEffects):
    """A function returning x * 2 that also increments `counter` and logs x, neither of which the
    result depends on."""

    def fn(x):
        counter.assign_add(1.0)
        tf.numpy_function(log, [x], tf.float64)
        return x * 2.0

    return fn


@pytest.mark.clause("GRAPHS.PRUNING.TF_FUNCTION")
def test_tf_function_runs_every_stateful_op():
    log, counter = SideEffects(), tf.Variable(0.0, dtype=tf.float64)
    fn = tf.function(unrelated_side_effects(counter, log))
    out = fn(tf.constant(3.0, tf.float64))
    ph.assert_values("f(3.0)", out.numpy(), 6.0)
    ph.assert_values("the unfetched counter after f(3.0)", counter.numpy(), 1.0)
    assert log.calls == [3.0], f"the unfetched logged op ran {log.calls}, not once"


@pytest.mark.clause("GRAPHS.PRUNING.WRAP_FUNCTION")
def test_wrap_function_prunes_unfetched_ops():
    log, counter = SideEffects(), tf.Variable(0.0, dtype=tf.float64)
    wrapped = tf.compat.v1.wrap_function(
        unrelated_side_effects(counter, log), [tf.TensorSpec([], tf.float64)]
    )
    x = tf.constant(3.0, tf.float64)
    pruned = wrapped.prune(feeds=wrapped.inputs[0], fetches=wrapped.outputs[0])
    for name, fn in (("wrapped", wrapped), ("wrapped.prune(x, y)", pruned)):
        ph.assert_values(f"{name}(3.0)", fn(x).numpy(), 6.0)
    ph.assert_values("the unfetched counter", counter.numpy(), 0.0)
    assert log.calls == [], f"the unfetched logged op ran: calls {log.calls}"


# --- slide 7 (2): autodiff against the closed-form derivative -------------------------------------
# f(w) = sum(tanh(A w)) + sum(w² sin w); df/dw = Aᵀ (1 - tanh²(A w)) + w² cos w + 2 w sin w.


def f_tf(a, w):
    return tf.reduce_sum(tf.tanh(tf.linalg.matvec(a, w))) + tf.reduce_sum(w * w * tf.sin(w))


def df_numpy(a, w):
    return a.T @ (1 - np.tanh(a @ w) ** 2) + w * w * np.cos(w) + 2 * w * np.sin(w)


PROBLEMS = {
    "a": hnp.arrays(np.float64, (3, 4), elements=hh.reals(tf.float64, 3)),
    "w": hnp.arrays(np.float64, (4,), elements=hh.reals(tf.float64, 3)),
}
GRADIENT_TOLERANCE = iterated_tolerance(tf.float64, 16)


@pytest.mark.clause("GRAPHS.AUTODIFF.TAPE")
@given(**PROBLEMS)
@hh.examples(10)
def test_gradient_tape_matches_the_derivative(a, w):
    w_var = tf.Variable(w)
    with tf.GradientTape() as tape:
        y = f_tf(tf.constant(a), w_var)
    grad = tape.gradient(y, w_var)
    call = f"tape.gradient(sum(tanh(A w)) + sum(w² sin w), w) at A={a.tolist()}, w={w.tolist()}"
    ph.assert_dtype(call, grad.dtype, tf.float64)
    rtol, atol = GRADIENT_TOLERANCE
    ph.assert_values(call, grad.numpy(), df_numpy(a, w), rtol=rtol, atol=atol)


@tf.function(input_signature=[tf.TensorSpec([3, 4], tf.float64), tf.TensorSpec([4], tf.float64)])
def graph_gradient(a, w):
    return tf.gradients(f_tf(a, w), w)[0]


@pytest.fixture(scope="module")
def tf1_gradient():
    """tf.gradients in a TF 1 graph, run by a Session: a function of (A, w)."""
    graph = tf.Graph()
    with graph.as_default():
        a = tf.compat.v1.placeholder(tf.float64, [3, 4])
        w = tf.compat.v1.placeholder(tf.float64, [4])
        grad = tf.gradients(f_tf(a, w), w)[0]
    session = tf.compat.v1.Session(graph=graph)
    yield lambda a_, w_: session.run(grad, feed_dict={a: a_, w: w_})
    session.close()


@pytest.mark.clause("GRAPHS.AUTODIFF.GRAPH_GRADIENTS")
@given(**PROBLEMS)
@hh.examples(10)
def test_graph_gradients_match_the_derivative(tf1_gradient, a, w):
    rtol, atol = GRADIENT_TOLERANCE
    expected = df_numpy(a, w)
    where = f"at A={a.tolist()}, w={w.tolist()}"
    ph.assert_values(
        f"tf.gradients in a tf.function {where}",
        graph_gradient(a, w).numpy(),
        expected,
        rtol=rtol,
        atol=atol,
    )
    ph.assert_values(
        f"tf.gradients in a Session {where}", tf1_gradient(a, w), expected, rtol=rtol, atol=atol
    )


# --- slide 7 (4): models as directed graphs -------------------------------------------------------


@pytest.mark.clause("GRAPHS.VISUAL.SEQUENTIAL_CHAIN")
def test_sequential_model_is_a_chain():
    keras = fresh_keras()
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2), keras.layers.Dense(1)]
    )
    layers = model.layers
    assert layers[0].input is model.inputs[0], "the first layer does not read the model's input"
    for before, after in itertools.pairwise(layers):
        assert after.input is before.output, (
            f"{after.name} reads {after.input!r}, not the output of {before.name}"
        )
    assert layers[-1].output is model.outputs[0], "the last layer's output is not the model's"


@pytest.mark.clause("GRAPHS.VISUAL.FUNCTION_OPS")
def test_function_graph_holds_the_named_ops():
    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)] * 2)
    def layer(x, w):
        return tf.nn.relu(tf.matmul(x, w) + 1.0)

    graph = layer.get_concrete_function().graph
    by_type = {op.type: op for op in graph.get_operations()}
    for name in ("MatMul", "AddV2", "Relu"):
        assert name in by_type, f"the graph of relu(matmul(x, w) + 1) has no {name}: {by_type}"
    assert by_type["AddV2"].inputs[0].op is by_type["MatMul"], "AddV2 does not read MatMul's output"
    assert by_type["Relu"].inputs[0].op is by_type["AddV2"], "Relu does not read AddV2's output"
    placeholders = [op for op in graph.get_operations() if op.type == "Placeholder"]
    assert {t.op for t in by_type["MatMul"].inputs} == set(placeholders), (
        "MatMul does not read the two inputs"
    )


# --- slide 7 (3): MirroredStrategy over two logical CPU devices, in a fresh interpreter -----------


@pytest.fixture(scope="module")
def distributed(fresh):
    return fresh.report("distributed")


@pytest.mark.clause("GRAPHS.DISTRIBUTED.BATCH_SHARES")
def test_each_replica_gets_its_share_of_the_batch(distributed):
    devices, run = distributed["logical_cpus"], distributed["mirrored"]
    assert len(devices) == 2, f"the CPU was split into {devices}, not two logical devices"
    assert run["replicas"] == 2, f"MirroredStrategy has {run['replicas']} replicas, not 2"
    half = dist.BATCH // 2
    for step, (shares, placed) in enumerate(zip(run["shares"], run["devices"], strict=True)):
        batch = list(range(step * dist.BATCH, (step + 1) * dist.BATCH))
        assert [len(s) for s in shares] == [half, half], (
            f"step {step}: the replicas got {[len(s) for s in shares]} rows, not {half} each"
        )
        assert sorted(shares[0] + shares[1]) == batch, (
            f"step {step}: the replicas got rows {shares}, not the batch {batch} split between them"
        )
        assert [d.upper().rsplit("/", 1)[-1] for d in placed] == ["DEVICE:CPU:0", "DEVICE:CPU:1"], (
            f"step {step}: the replicas ran on {placed}"
        )


@pytest.mark.clause("GRAPHS.DISTRIBUTED.SAME_RESULT")
def test_mirrored_training_matches_one_device_and_numpy(distributed):
    data = dist.problem()
    kernel, bias = oracles.sgd_linear_regression(
        data["x"],
        data["y"],
        data["kernel"],
        data["bias"],
        learning_rate=dist.LEARNING_RATE,
        batch_size=dist.BATCH,
        epochs=1,
    )
    one_device = dist.train(tf, tf.distribute.get_strategy(), data)
    rtol, atol = iterated_tolerance(tf.float32, dist.STEPS)
    for run, got in (("mirrored", distributed["mirrored"]), ("one device", one_device)):
        call = f"{dist.STEPS} steps of SGD ({run})"
        ph.assert_values(f"{call} kernel", np.array(got["kernel"]), kernel, rtol=rtol, atol=atol)
        ph.assert_values(f"{call} bias", np.array(got["bias"]), bias, rtol=rtol, atol=atol)
    for name in ("kernel", "bias"):
        ph.assert_values(
            f"the mirrored {name} against one device's",
            np.array(distributed["mirrored"][name]),
            np.array(one_device[name]),
            rtol=rtol,
            atol=atol,
        )

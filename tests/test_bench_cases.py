"""benchmarks.cases and benchmarks.measure: what each benchmark set measures, in an order that
starts each worker once; and how a case's rounds are planned."""

import pytest

from benchmarks import cases, measure

CORES = 2


@pytest.mark.parametrize("half", [False, True])
def test_sets_have_unique_ids(half):
    for name in cases.SETS:
        chosen = cases.selected(name, CORES, half=half)
        assert len({str(c) for c in chosen}) == len(chosen), name


@pytest.mark.parametrize("name", ["tensorflow", "smoke"])
def test_one_worker_at_a_time_starts_each_worker_once(name):
    assert cases.workers_alive(name) == 1
    order = [c.settings for c in cases.selected(name, CORES, half=True)]
    changes = [s for i, s in enumerate(order) if i == 0 or s != order[i - 1]]
    assert len(changes) == len(set(order)), f"{name}: a worker's cases are not together"


def test_peers_alternate_case_by_case_with_every_worker_alive():
    chosen = cases.selected("peers", CORES, half=True)
    assert cases.workers_alive("peers") == len({c.settings for c in chosen})
    groups = [(c.device, c.mode, c.batch) for c in chosen]
    runs = [g for i, g in enumerate(groups) if i == 0 or g != groups[i - 1]]
    assert len(runs) == len(set(runs)), "a mode and batch's frameworks are not together"
    first = [c.framework for c in chosen if (c.device, c.mode, c.batch) == groups[0]]
    assert list(dict.fromkeys(first)) == ["tensorflow", *cases.PEERS]


def test_tensorflow_set_at_the_defaults():
    chosen = cases.selected("tensorflow", CORES, half=False)
    default = cases.default_settings("tensorflow", CORES)
    grid = {(c.mode, c.batch, c.xla) for c in chosen if c.settings == default and c.device == "cpu"}
    compiled = {
        (m, b, x)
        for m in cases.COMPILED_MODES
        for b in cases.BATCHES["cpu"]
        for x in (False, True)
        if b <= cases.SEARCH_BATCH or not x
    }
    keras = {
        (m, b, x)
        for m in cases.KERAS_MODES
        for b in cases.KERAS_BATCHES
        for x in (False, True)
        if b == cases.SEARCH_BATCH or not x
    }
    assert grid == compiled | keras
    assert max(b for _, b, _ in grid) > 512, "batches past 512"


def test_the_search_over_process_settings():
    chosen = cases.selected("tensorflow", CORES)
    default = cases.default_settings("tensorflow", CORES)
    one_each = cases.Settings("tensorflow", 1, 1, True)
    assert {c.settings for c in chosen} - {default} == {
        cases.Settings("tensorflow", 2, 2, False),
        one_each,
        cases.Settings("tensorflow", 2, 1, True),
    }
    searched = {(c.settings, c.mode, c.batch) for c in chosen if c.settings != default}
    assert {(m, b) for s, m, b in searched if s != one_each} == {
        (m, cases.SEARCH_BATCH) for m in cases.COMPILED_MODES
    }
    assert {(m, b) for s, m, b in searched if s == one_each} == {
        ("train_step", cases.SEARCH_BATCH),
        ("forward", cases.SEARCH_BATCH),
        ("fit", cases.KERAS_BATCHES[0]),
    }


def test_on_one_core_there_is_no_thread_search():
    settings = {c.settings for c in cases.selected("tensorflow", 1)}
    assert settings == {
        cases.Settings("tensorflow", 1, 1, True),
        cases.Settings("tensorflow", 1, 1, False),
    }


def test_peers_train_at_the_recipes_batch_and_infer_at_every_batch():
    from spec import mnist_training

    assert mnist_training.RECIPES["cnn"].batch_size == cases.RECIPE_BATCH
    chosen = cases.selected("peers", CORES, half=True)
    for device in ("cpu", "gpu"):
        on = [c for c in chosen if c.device == device]
        assert {c.batch for c in on if c.training} == {cases.RECIPE_BATCH}
        assert {c.batch for c in on if not c.training} == set(cases.PEER_BATCHES[device])
    assert not any(c.xla for c in chosen if c.framework == "tensorflow")


def test_every_peer_case_has_tensorflow_beside_it():
    chosen = cases.selected("peers", CORES, half=True)
    tf = {(c.device, c.mode, c.batch, c.precision) for c in chosen if c.framework == "tensorflow"}
    for c in chosen:
        assert (c.device, c.mode, c.batch, c.precision) in tf, c
    assert {c.framework for c in chosen} == {"tensorflow", *cases.PEERS}


@pytest.mark.parametrize("name", cases.SETS)
def test_bfloat16_only_where_the_cpu_has_it(name):
    without = cases.selected(name, CORES, half=False)
    assert {c.precision for c in without if c.device == "cpu"} == {"float32"}
    assert {c.precision for c in without if c.device == "gpu"} <= {"float32", "mixed_float16"}
    half = {c.precision for c in cases.selected(name, CORES, half=True) if c.device == "cpu"}
    assert half == {"float32", "mixed_bfloat16"}


def test_bfloat16_trains_up_to_the_search_batch_and_infers_past_the_smallest():
    chosen = cases.selected("tensorflow", CORES, half=True)
    half = {(c.mode, c.batch) for c in chosen if c.precision == "mixed_bfloat16"}
    assert {b for m, b in half if m == "train_step"} == {
        b for b in cases.BATCHES["cpu"] if b <= cases.SEARCH_BATCH
    }
    assert {b for m, b in half if m == "forward"} == set(cases.BATCHES["cpu"][1:])
    assert ("fit", 64) in half
    assert ("predict", 64) not in half


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ("fpu avx512f avx512_bf16 amx_bf16 amx_tile", ["avx512_bf16", "amx_bf16"]),
        ("fpu avx512f amx_bf16", ["amx_bf16"]),
        ("fpu avx2 avx512f avx512_vnni", []),
    ],
)
def test_bf16_flags_are_read_from_cpuinfo(tmp_path, flags, expected):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nmodel name\t: Test\nflags\t\t: {flags}\n\n")
    assert cases.bf16_flags(cpuinfo) == expected


def test_no_cpuinfo_no_bf16(tmp_path):
    assert cases.bf16_flags(tmp_path / "absent") == []


def test_smoke_runs_every_mode_and_every_quick_peer():
    chosen = cases.selected("smoke", CORES, half=True)
    assert {c.mode for c in chosen} == set(cases.MODES)
    assert {c.framework for c in chosen} == {"tensorflow", "torch-eager", "keras-jax"}


def test_case_survives_its_trip_to_the_worker():
    for c in cases.selected("peers", CORES, half=True):
        assert cases.Case.from_dict(c.as_dict()) == c


def test_unknown_set_names_the_known_ones():
    with pytest.raises(ValueError, match="tensorflow, peers, smoke"):
        cases.selected("everything", CORES)


@pytest.mark.parametrize(
    ("call_s", "target_s", "expected"),
    [(0.005, 1.0, (10, 20)), (0.03, 1.0, (8, 4)), (0.4, 1.0, (5, 1)), (0.001, 100.0, (100, 100))],
)
def test_rounds_last_round_s_and_fill_the_target_within_bounds(call_s, target_s, expected):
    rounds, calls = measure.plan(call_s, target_s, least=5, most=100, round_s=0.1)
    assert (rounds, calls) == expected
    assert calls * call_s >= 0.1 - 1e-12


def test_spread_is_the_interquartile_range_over_the_median():
    assert measure.spread([1.0, 2.0, 3.0, 4.0, 5.0]) == pytest.approx((4.0 - 2.0) / 3.0)


def test_gpu_script_runs_every_peer_in_both_precisions_without_tensorflow():
    from benchmarks import gpu

    chosen = gpu.gpu_set("gpu", CORES, half=False)
    assert {c.framework for c in chosen} == set(cases.PEERS)
    assert {c.precision for c in chosen} == {"float32", "mixed_float16"}
    assert {c.batch for c in chosen} == set(cases.PEER_BATCHES["gpu"])
    assert {c.batch for c in chosen if c.training} == {cases.RECIPE_BATCH}
    assert {c.device for c in chosen} == {"gpu"}
    assert all(c.xla == (c.framework == "keras-jax") for c in chosen)


def test_gpu_scripts_cpu_path_is_the_quick_peers_on_the_cpu():
    from benchmarks import gpu

    chosen = gpu.gpu_set("cpu", CORES, half=True, smoke=True)
    assert {c.framework for c in chosen} == {"torch-eager", "keras-jax"}
    assert {(c.device, c.batch) for c in chosen} == {("cpu", 64)}
    assert {c.precision for c in chosen} == {"float32", "mixed_bfloat16"}

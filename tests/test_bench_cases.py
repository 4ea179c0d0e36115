"""benchmarks.cases and benchmarks.measure: what each benchmark set measures, in an order that
starts each worker once; and how a case's rounds are planned."""

import pytest

from benchmarks import cases, measure

CORES = 2


def test_sets_have_unique_ids():
    for name in cases.SETS:
        chosen = cases.selected(name, CORES)
        assert len({str(c) for c in chosen}) == len(chosen), name


@pytest.mark.parametrize("name", ["tensorflow", "smoke"])
def test_one_worker_at_a_time_starts_each_worker_once(name):
    assert cases.workers_alive(name) == 1
    order = [c.settings for c in cases.selected(name, CORES)]
    changes = [s for i, s in enumerate(order) if i == 0 or s != order[i - 1]]
    assert len(changes) == len(set(order)), f"{name}: a worker's cases are not together"


def test_peers_alternate_case_by_case_with_every_worker_alive():
    chosen = cases.selected("peers", CORES)
    assert cases.workers_alive("peers") == len({c.settings for c in chosen})
    first = [c.framework for c in chosen[:5]]
    assert first == ["tensorflow", "tensorflow", *cases.PEERS], "one mode and batch, all frameworks"


def test_tensorflow_set_is_every_mode_batch_and_xla_at_the_defaults():
    chosen = cases.selected("tensorflow", CORES)
    default = cases.default_settings("tensorflow", CORES)
    grid = {(c.mode, c.batch, c.xla) for c in chosen if c.settings == default and c.device == "cpu"}
    expected = {(m, b, x) for m in cases.MODES for b in cases.BATCHES["cpu"] for x in (0, 1)}
    assert grid == expected


def test_the_search_changes_one_process_setting_at_a_time():
    default = cases.default_settings("tensorflow", CORES)
    searched = {c.settings for c in cases.selected("tensorflow", CORES)} - {default}
    assert searched == {
        cases.Settings("tensorflow", 2, 2, False),
        cases.Settings("tensorflow", 1, 2, True),
        cases.Settings("tensorflow", 2, 1, True),
    }


def test_on_one_core_there_is_no_thread_search():
    settings = {c.settings for c in cases.selected("tensorflow", 1)}
    assert settings == {
        cases.Settings("tensorflow", 1, 1, True),
        cases.Settings("tensorflow", 1, 1, False),
    }


def test_every_peer_case_has_tensorflow_beside_it():
    chosen = cases.selected("peers", CORES)
    tf = {(c.device, c.mode, c.batch) for c in chosen if c.framework == "tensorflow"}
    for c in chosen:
        assert (c.device, c.mode, c.batch) in tf, c
    assert {c.framework for c in chosen} == {"tensorflow", *cases.PEERS}


def test_gpu_cases_include_mixed_precision_and_cpu_cases_do_not():
    chosen = cases.selected("tensorflow", CORES)
    assert {c.precision for c in chosen if c.device == "gpu"} == {"float32", "mixed_float16"}
    assert {c.precision for c in chosen if c.device == "cpu"} == {"float32"}


def test_smoke_runs_every_mode_and_every_quick_peer():
    chosen = cases.selected("smoke", CORES)
    assert {c.mode for c in chosen} == set(cases.MODES)
    assert {c.framework for c in chosen} == {"tensorflow", "torch-eager", "keras-jax"}


def test_case_survives_its_trip_to_the_worker():
    for c in cases.selected("peers", CORES):
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

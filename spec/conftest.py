"""Every spec test runs on the harness's runtime: quiet, deterministic, from fixed seeds. The
fixtures that the modules of one chapter share are here."""

from types import SimpleNamespace

import pytest

from spec import fresh_interpreter, oracles
from spec.harness import runtime
from spec.harness.runtime import seeded  # noqa: F401 - the autouse fixture of every spec test
from spec.keras_helpers import EventLog
from spec.sequential_helpers import classification_data, slide24_model

runtime.configure()


@pytest.fixture(scope="session", autouse=True)
def fresh(request, tmp_path_factory):
    """The session's fresh interpreter (spec.fresh_interpreter), started as its first test starts,
    for the jobs its selected tests ask for; stopped at the end."""
    jobs = fresh_interpreter.needed(request.session.items)
    if not jobs:
        yield None
        return
    interpreter = fresh_interpreter.Interpreter(tmp_path_factory.mktemp("fresh"), jobs)
    yield interpreter
    interpreter.close()


@pytest.fixture(scope="session")
def slide24():
    """Slide 24's compiled model, 20 rows for it and its output computed in NumPy; evaluate and
    predict leave the model as it is, so the tests of every module share it."""
    model = slide24_model()
    data, labels = classification_data(20)
    return SimpleNamespace(
        model=model, data=data, labels=labels, probabilities=oracles.keras_forward(model, data)
    )


@pytest.fixture(scope="session")
def slide25():
    """Slide 25's `model.fit(data, labels, batch_size=32, epochs=5)` on slide 24's model and 70
    rows, with an EventLog among its callbacks; the tests of every module only read it."""
    model = slide24_model()
    data, labels = classification_data(70)
    before, log = model.get_weights(), EventLog()
    history = model.fit(data, labels, batch_size=32, epochs=5, callbacks=[log])
    return SimpleNamespace(model=model, history=history, log=log, before=before, rows=len(data))

"""The worker process: runs one framework under fixed process settings and answers the benchmark
session's requests, one JSON object per line.

    python -m benchmarks.worker '<settings as JSON>'

Started by benchmarks.pool, so that thread pools and oneDNN (fixed when a framework starts) can
differ between cases, and frameworks never share a process. Requests: {"op": "describe"},
{"op": "matmul", "device": ..., "n": ...}, {"op": "prepare", "case": {...}}, {"op": "call"} (one
call of the prepared case: what the benchmark times), {"op": "accuracy", "case": {...}},
{"op": "recipe"}, {"op": "traces"}, {"op": "ping"}, {"op": "usage"}, {"op": "exit"}. The first
line it writes, unasked, is the framework's start-up report or an error. Anything else written to
stdout goes to stderr, so it cannot break a reply.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import time
import traceback

from benchmarks import measure
from benchmarks.cases import Case, Settings

FRAMEWORKS = {
    "tensorflow": "benchmarks.frameworks.tensorflow_cnn",
    "torch-eager": "benchmarks.frameworks.torch_cnn",
    "torch-compile": "benchmarks.frameworks.torch_cnn",
    "keras-jax": "benchmarks.frameworks.keras_jax_cnn",
}
# After the first call, allocators, kernel caches and Keras's per-call set-up settle: the warm-up
# runs at least this many calls and this many seconds (at most WARMUP_MOST calls), untimed.
WARMUP_CALLS = 2
WARMUP_SECONDS = 0.5
WARMUP_MOST = 50


class Session:
    def __init__(self, settings: Settings):
        self.runner = importlib.import_module(FRAMEWORKS[settings.framework]).Runner(settings)
        self.call = None

    def start(self) -> dict:
        os.environ.update(self.runner.environment())
        return self.runner.start()

    def describe(self) -> dict:
        return self.runner.describe()

    def matmul(self, device: str, n: int) -> dict:
        run = self.runner.matmul(device, n)
        return measure.gemm_rate(run, n)

    def prepare(self, case: dict) -> dict:
        """Build the case, and time its first call (tracing, compiling, and running it once) and
        the warm-up calls after it; the benchmark's calls come after."""
        case = Case.from_dict(case)
        self.call = None
        start = time.perf_counter()
        run, images = self.runner.prepare(case)
        built = time.perf_counter()
        run()
        first = time.perf_counter()
        calls = 0
        while calls < WARMUP_CALLS or (
            calls < WARMUP_MOST and time.perf_counter() - first < WARMUP_SECONDS
        ):
            run()
            calls += 1
        warm = (time.perf_counter() - first) / calls
        self.call = run
        return {
            "build_s": built - start,
            "first_step_s": first - built,
            "warm_call_s": warm,
            "warmup_calls": calls,
            "images_per_call": images,
        }

    def accuracy(self, case: dict, images=None, epochs=None, infer_in=()) -> dict:
        """The test accuracy of the CNN trained by the practicals' recipe at `case`'s batch and
        precision (on `images` training images for `epochs`, where given: the smoke run's short
        training), and of its weights run in each precision of `infer_in`."""
        return self.runner.accuracy(Case.from_dict(case), images, epochs, tuple(infer_in))

    def recipe(self) -> dict:
        """The practicals' recipe for the CNN (its batch is the float32 reference's)."""
        return self.runner.recipe()

    def traces(self) -> dict:
        """How often the prepared case's step has been traced (None: not a TensorFlow worker)."""
        return {"traces": getattr(self.runner, "traces", None)}

    def usage(self) -> dict:
        return {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv: list[str]) -> int:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def reply(obj: dict) -> None:
        replies.write(json.dumps(obj) + "\n")

    try:
        session = Session(Settings(**json.loads(argv[0])))
        reply(session.start())
    except Exception:
        reply({"error": traceback.format_exc()})
        return 1
    for line in sys.stdin:
        request = json.loads(line)
        op = request.pop("op")
        if op == "exit":
            break
        try:
            if op == "call":
                session.call()
                reply({})
            elif op == "ping":
                reply({})
            else:
                reply(getattr(session, op)(**request))
        except Exception:
            reply({"error": traceback.format_exc()})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

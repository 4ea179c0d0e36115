"""The implementation under test: `--impl MODULE` (or $TF_COURSE_IMPL, else the reference `impl`),
resolved into the session-scoped `impl` fixture through which every chapter reaches it, and the
public API that names what the spec calls.

PYTEST_DONT_REWRITE: the plugin imports this module before pytest registers it.
"""

from __future__ import annotations

import importlib
import os

import pytest

from spec.harness.record import DEFAULT_IMPL

# The functions the spec calls, by module: the names of the contract (CONTRACT.md).
PUBLIC_API = {
    "quadratic": ("roots",),
    "perceptron": ("output",),
    "losses": ("mean_squared_error", "softmax_cross_entropy", "binary_cross_entropy"),
    "optimizers": (
        "gradient_descent",
        "stochastic_gradient_descent",
        "minibatch_gradient_descent",
    ),
    "models": ("linear_classifier", "mlp", "cnn"),
    "data": ("load_mnist",),
}
# The section of spec/CONTRACT.md that each chapter grading the implementation checks.
CONTRACT_SECTIONS = {
    "QUADRATIC": "quadratic",
    "PERCEPTRON": "perceptron",
    "LOSS": "losses",
    "OPTIM": "optimizers",
    "PRACTICAL": "models",
}


def name(option: str | None = None) -> str:
    """The implementation's package: the option given, else $TF_COURSE_IMPL, else 'impl'."""
    return option or os.environ.get("TF_COURSE_IMPL") or DEFAULT_IMPL


class MissingFunction(BaseException):
    """The implementation under test lacks a function of the public API, or its module. A
    BaseException, so that Hypothesis reports no falsifying example for it: the test fails with
    this one line."""


def _contract(part: str, function: str = "") -> str:
    anchor = f"{part}.{function}" if function else part
    return f"the contract asks for {anchor} (spec/CONTRACT.md#{part})"


def problems(package: str) -> dict[str, str]:
    """What `package` lacks of the public API: 'module.function' -> why, for each function that
    is missing, not callable, or in a module that cannot be imported."""
    found = {}
    for part, functions in PUBLIC_API.items():
        try:
            module = importlib.import_module(f"{package}.{part}")
        except ModuleNotFoundError as exc:
            if exc.name not in (package, f"{package}.{part}"):
                raise
            found.update({f"{part}.{f}": f"no module {package}.{part}" for f in functions})
            continue
        for function in functions:
            value = getattr(module, function, None)
            if value is None:
                found[f"{part}.{function}"] = "no such function"
            elif not callable(value):
                found[f"{part}.{function}"] = f"not callable: it is a {type(value).__name__}"
    return found


class Module:
    """A module of the implementation, whose missing or uncallable API functions raise
    MissingFunction when a test reaches for them."""

    def __init__(self, package: str, part: str, module):
        self._package, self._part, self._module = package, part, module

    def __getattr__(self, function: str):
        value = getattr(self._module, function, None)
        if function in PUBLIC_API[self._part] and not callable(value):
            why = "has no function" if value is None else "has a non-callable"
            raise MissingFunction(
                f"the implementation under test, {self._package!r}, {why} "
                f"{self._part}.{function}: {_contract(self._part, function)}"
            )
        if value is None:
            return getattr(self._module, function)
        return value


class Implementation:
    """`impl.quadratic.roots` imports `<package>.quadratic` on first use, so that one spec grades
    any package with the same layout. Only the modules of the public API are attributes
    (Hypothesis probes its arguments with hasattr, which must stay False)."""

    def __init__(self, package: str):
        self.name = package

    def __getattr__(self, part: str) -> Module:
        if part not in PUBLIC_API:
            raise AttributeError(f"{self!r} has no module {part!r} in the public API")
        module = f"{self.name}.{part}"
        try:
            return Module(self.name, part, importlib.import_module(module))
        except ModuleNotFoundError as exc:
            if exc.name in (self.name, module):
                raise MissingFunction(
                    f"the implementation under test, {self.name!r}, has no module {module}: "
                    f"{_contract(part)}"
                ) from None
            raise

    def __repr__(self) -> str:
        return f"Implementation({self.name!r})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A test that reached for a missing function fails with that one line, no traceback."""
    report = yield
    if call.excinfo is not None and call.excinfo.errisinstance(MissingFunction):
        report.outcome = "failed"
        report.longrepr = str(call.excinfo.value)
        report.missing_function = True
    return report


@pytest.fixture(scope="session")
def impl(pytestconfig: pytest.Config) -> Implementation:
    """The implementation under test, chosen with --impl or TF_COURSE_IMPL."""
    from spec.harness import recorder

    return Implementation(recorder.of(pytestconfig).impl)

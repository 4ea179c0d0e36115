"""Loads the spec's pytest plugin (spec/harness/plugin.py) for every run from this repository."""

pytest_plugins = ("spec.harness.plugin",)

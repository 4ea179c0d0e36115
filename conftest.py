"""Loads the spec's pytest plugin (spec/plugin.py) for every run from this repository."""

pytest_plugins = ("spec.plugin",)

"""The suite's own tests: the registry lint, the plugin (through pytester), the reports, and the
spec's power to reject broken implementations."""

pytest_plugins = ("pytester",)

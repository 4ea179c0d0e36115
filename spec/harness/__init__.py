"""The harness: what runs the chapters and records their verdicts, apart from the chapters
themselves, one module per concern (as pytest's own `_pytest/`):

- `plugin`: the pytest entry point, its options, and the other modules registered as plugins;
- `implementation`: `--impl` resolved into the implementation under test, and its public API;
- `registry`: the clauses (clauses.toml) and their version expectations (expectations.toml);
- `expectations`: each collected test's clause, and its expectation turned into an xfail or skip;
- `selection`: `--clause ID`, the tests of the clauses chosen;
- `record`: the run record's schema, the version keys, environment names, reproduction commands;
- `recorder`: each test's outcome and observations, written as the run's record;
- `runtime`: seeds and determinism, for every spec test;
- `terminal`: the header, the clause of every test that differs, the closing count;
- `environment`, `profiles`, `observations`: versions, Hypothesis profiles, what a test saw;
- `lint`: the static registry lint;
- `tables`: the version order and the Markdown table that every report shares.
"""

"""The reports built from the result records: `python -m spec.report`."""

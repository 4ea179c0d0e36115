"""One module per framework that runs the course's CNN in a benchmark worker: each has a `Runner`
with `environment()`, `start()`, `describe()`, `matmul()` and `prepare()` (see tensorflow_cnn)."""

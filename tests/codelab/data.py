"""MNIST as the reference loads it: the codelab's own reader streams the files from a bucket."""

from impl.data import load_mnist  # noqa: F401 - the reference's, as the codelab's

"""The course's own models as an implementation: Martin Gorner's codelab (the public repository
GoogleCloudPlatform/tensorflow-without-a-phd, tensorflow-mnist-tutorial/keras_01_mnist.ipynb,
keras_02_mnist_dense.ipynb and keras_05_mnist_batch_norm.ipynb), written in its style with only the
input plumbing adapted: the models take [28, 28, 1] images, not flat vectors of 784 pixels. Its data
come from the reference (the codelab streams MNIST from a bucket); it has no other module."""

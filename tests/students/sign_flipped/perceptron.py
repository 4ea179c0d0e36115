import tensorflow as tf

from impl import perceptron


def output(x, w, w0, activation="sigmoid"):
    """g(w0 - X W): the weights' sign is wrong."""
    return perceptron.output(x, tf.negative(tf.convert_to_tensor(w)), w0, activation)

"""A student who has not written the perceptron yet."""

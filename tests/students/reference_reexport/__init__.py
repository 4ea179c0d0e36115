"""A student whose perceptron is the reference's."""

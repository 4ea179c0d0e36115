"""A student whose perceptron negates its weights."""

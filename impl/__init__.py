"""The reference implementation of the course's worked examples, the one the spec grades by default.

Modules: quadratic, perceptron, losses, optimizers, models, data: the public API that
spec/harness/implementation.py lists.
"""

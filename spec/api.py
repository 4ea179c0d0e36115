"""The public API of an implementation under test: the functions the spec calls, by module.

The names are the contract of ../shared/DESIGN.md; the spec reaches them through the `impl` fixture,
and tests/test_mutants.py holds at least three broken twins of each.
"""

PUBLIC_API = {
    "quadratic": ("roots",),
    "perceptron": ("output",),
    "losses": ("mean_squared_error", "softmax_cross_entropy", "binary_cross_entropy"),
    "optimizers": (
        "gradient_descent",
        "stochastic_gradient_descent",
        "minibatch_gradient_descent",
    ),
    "models": ("linear_classifier", "mlp", "cnn"),
    "data": ("load_mnist",),
}

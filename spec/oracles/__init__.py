"""Independent oracles: NumPy in float64 and closed forms, never the TensorFlow call they check.
One module per concern; `oracles.<name>` reaches each of them."""

from spec.oracles.architectures import (
    layer_output_shape as layer_output_shape,
)
from spec.oracles.architectures import (
    layer_param_count as layer_param_count,
)
from spec.oracles.architectures import (
    sequential_param_count as sequential_param_count,
)
from spec.oracles.architectures import (
    sequential_shapes as sequential_shapes,
)
from spec.oracles.architectures import (
    trainable_and_frozen as trainable_and_frozen,
)
from spec.oracles.architectures import (
    window_output_length as window_output_length,
)
from spec.oracles.keras_models import (
    absolute_error as absolute_error,
)
from spec.oracles.keras_models import (
    categorical_accuracy as categorical_accuracy,
)
from spec.oracles.keras_models import (
    categorical_crossentropy as categorical_crossentropy,
)
from spec.oracles.keras_models import (
    conv2d as conv2d,
)
from spec.oracles.keras_models import (
    dense_forward as dense_forward,
)
from spec.oracles.keras_models import (
    keras_forward as keras_forward,
)
from spec.oracles.keras_models import (
    l2_penalty as l2_penalty,
)
from spec.oracles.keras_models import (
    max_pool2d as max_pool2d,
)
from spec.oracles.keras_models import (
    optimizer_steps as optimizer_steps,
)
from spec.oracles.keras_models import (
    sgd_linear_regression as sgd_linear_regression,
)
from spec.oracles.keras_models import (
    squared_error as squared_error,
)
from spec.oracles.keras_models import (
    sum_over_batch_size as sum_over_batch_size,
)
from spec.oracles.keras_models import (
    validation_rows as validation_rows,
)
from spec.oracles.keras_models import (
    weighted_mean as weighted_mean,
)
from spec.oracles.neurons import (
    ACTIVATIONS as ACTIVATIONS,
)
from spec.oracles.neurons import (
    binary_cross_entropy as binary_cross_entropy,
)
from spec.oracles.neurons import (
    log_softmax as log_softmax,
)
from spec.oracles.neurons import (
    mean_squared_error as mean_squared_error,
)
from spec.oracles.neurons import (
    perceptron_output as perceptron_output,
)
from spec.oracles.neurons import (
    sigmoid as sigmoid,
)
from spec.oracles.neurons import (
    softmax as softmax,
)
from spec.oracles.neurons import (
    softmax_cross_entropy as softmax_cross_entropy,
)
from spec.oracles.optim import (
    adam_weights as adam_weights,
)
from spec.oracles.optim import (
    curvature as curvature,
)
from spec.oracles.optim import (
    example_order as example_order,
)
from spec.oracles.optim import (
    gradient_descent_iterates as gradient_descent_iterates,
)
from spec.oracles.optim import (
    kolmogorov_smirnov_distance as kolmogorov_smirnov_distance,
)
from spec.oracles.optim import (
    least_squares_gradients as least_squares_gradients,
)
from spec.oracles.optim import (
    least_squares_loss as least_squares_loss,
)
from spec.oracles.optim import (
    least_squares_solution as least_squares_solution,
)
from spec.oracles.optim import (
    normal_cdf as normal_cdf,
)
from spec.oracles.optim import (
    rmsprop_weights as rmsprop_weights,
)
from spec.oracles.optim import (
    sgd_weights as sgd_weights,
)
from spec.oracles.practical import (
    softmax_regression_gradients as softmax_regression_gradients,
)
from spec.oracles.quadratic import (
    quadratic_discriminant as quadratic_discriminant,
)
from spec.oracles.quadratic import (
    quadratic_relative_residual as quadratic_relative_residual,
)
from spec.oracles.quadratic import (
    quadratic_roots as quadratic_roots,
)
from spec.oracles.sequences import (
    arithmetic_sequence as arithmetic_sequence,
)
from spec.oracles.sequences import (
    range_length as range_length,
)

"""Broken twins of impl.losses, each with one bug."""

import tensorflow as tf

from impl import inputs
from mutants import rejected_by


def _loss(name, labels, predictions, per_element, *, reduce=tf.reduce_mean, check=True):
    (y, p), dtype = inputs.floats(name, labels=labels, predictions=predictions)
    with inputs.checked(inputs.same_shape(name, labels=y, predictions=p) if check else []):
        return tf.cast(reduce(per_element(y, p)), dtype)


# --- mean_squared_error -----------------------------------------------------------------------


@rejected_by("LOSS.MSE.FORMULA", "LOSS.MSE.KERAS")
def mse_sum_for_mean(y_true, y_pred):
    """Uses the sum instead of the mean."""
    return _loss("mse", y_true, y_pred, lambda y, p: tf.square(y - p), reduce=tf.reduce_sum)


@rejected_by("LOSS.MSE.FORMULA", "LOSS.MSE.KERAS")
def mse_root(y_true, y_pred):
    """Returns the root of the mean squared error."""
    return tf.sqrt(_loss("mse", y_true, y_pred, lambda y, p: tf.square(y - p)))


@rejected_by("LOSS.MSE.FORMULA", "LOSS.MSE.KERAS")
def mse_absolute(y_true, y_pred):
    """Takes the mean absolute error."""
    return _loss("mse", y_true, y_pred, lambda y, p: tf.abs(y - p))


@rejected_by("LOSS.INPUTS.SHAPE_MISMATCH")
def mse_broadcasts(y_true, y_pred):
    """Does not check the shapes: (n,) against (n, 1) broadcasts to (n, n), as the slide's code."""
    return _loss("mse", y_true, y_pred, lambda y, p: tf.square(y - p), check=False)


@rejected_by("LOSS.VALUE.NON_FINITE")
def mse_ignores_nan(y_true, y_pred):
    """Leaves NaN squares out of the mean (a nanmean): a NaN input vanishes
    (LOSS.VALUE.NON_FINITE)."""

    def nanmean(squares):
        kept = tf.logical_not(tf.math.is_nan(squares))
        return tf.reduce_sum(tf.where(kept, squares, 0)) / tf.reduce_sum(
            tf.cast(kept, squares.dtype)
        )

    return _loss("mse", y_true, y_pred, lambda y, p: tf.square(y - p), reduce=nanmean)


@rejected_by("LOSS.VALUE.EMPTY_BATCH")
def mse_empty_is_zero(y_true, y_pred):
    """Divides by the count with tf.math.divide_no_nan, as Keras's reductions do: an empty batch
    gives 0, a loss that looks perfect (LOSS.VALUE.EMPTY_BATCH)."""

    def mean(squares):
        count = tf.cast(tf.size(squares), squares.dtype)
        return tf.math.divide_no_nan(tf.reduce_sum(squares), count)

    return _loss("mse", y_true, y_pred, lambda y, p: tf.square(y - p), reduce=mean)


# --- softmax_cross_entropy --------------------------------------------------------------------


def _softmax_ce(labels, logits, log_softmax, **kwargs):
    return _loss(
        "sce", labels, logits, lambda y, z: -tf.reduce_sum(y * log_softmax(z), -1), **kwargs
    )


@rejected_by("LOSS.VALUE.EXTREME_LOGITS")
def sce_without_log_sum_exp(labels, logits):
    """log(Σ exp(logits)) without the max: exp overflows for large logits (inf, NaN)."""
    return _softmax_ce(
        labels, logits, lambda z: z - tf.math.log(tf.reduce_sum(tf.exp(z), -1, keepdims=True))
    )


@rejected_by("LOSS.SOFTMAX_CE.FORMULA", "LOSS.VALUE.NON_NEGATIVE")
def sce_sign_error(labels, logits):
    """Returns +Σ labels · log softmax: the negative of the loss."""
    return -_softmax_ce(labels, logits, tf.nn.log_softmax)


@rejected_by("LOSS.SOFTMAX_CE.FORMULA", "LOSS.SOFTMAX_CE.KERAS")
def sce_sum_over_batch(labels, logits):
    """Sums over the batch instead of taking the mean."""
    return _softmax_ce(labels, logits, tf.nn.log_softmax, reduce=tf.reduce_sum)


@rejected_by("LOSS.SOFTMAX_CE.FORMULA", "LOSS.SOFTMAX_CE.SHIFT_INVARIANCE")
def sce_softmax_over_batch_axis(labels, logits):
    """Normalises the softmax over the first axis (the batch), not the classes."""
    return _softmax_ce(labels, logits, lambda z: tf.nn.log_softmax(z, axis=0))


# --- binary_cross_entropy ---------------------------------------------------------------------


def _bce(y, z):
    return tf.nn.relu(z) - z * y + tf.math.log1p(tf.exp(-tf.abs(z)))


@rejected_by("LOSS.VALUE.EXTREME_LOGITS")
def bce_naive_logs(labels, logits):
    """-[y log σ(z) + (1 - y) log(1 - σ(z))] literally: log(0) = -inf for large |z|."""
    s = tf.sigmoid

    def naive(y, z):
        return -(y * tf.math.log(s(z)) + (1 - y) * tf.math.log(1 - s(z)))

    return _loss("bce", labels, logits, naive)


@rejected_by("LOSS.BCE.FORMULA", "LOSS.BCE.KERAS")
def bce_sign_error(labels, logits):
    """Uses -z for the logit (a sign error)."""
    return _loss("bce", labels, logits, lambda y, z: _bce(y, -z))


@rejected_by("LOSS.BCE.FORMULA", "LOSS.BCE.KERAS")
def bce_sum_for_mean(labels, logits):
    """Uses the sum instead of the mean."""
    return _loss("bce", labels, logits, _bce, reduce=tf.reduce_sum)


@rejected_by("LOSS.BCE.FORMULA")
def bce_softmax_of_one_logit(labels, logits):
    """The slide's softmax cross-entropy on each single logit: always 0."""
    return _loss(
        "bce", labels, logits, lambda y, z: -y * tf.nn.log_softmax(z[..., tf.newaxis])[..., 0]
    )


# --- shared bugs: LOSS.SOFTMAX_CE.TWO_CLASSES_ARE_BINARY compares the two cross-entropies ---------


@rejected_by("LOSS.SOFTMAX_CE.FORMULA", "LOSS.BCE.FORMULA")
def both_sum_over_batch():
    """Both cross-entropies sum over the batch instead of taking the mean: two classes still give
    the binary loss of z1 - z2."""
    return sce_sum_over_batch, bce_sum_for_mean


def _bce_negated(labels, logits):
    return -_loss("bce", labels, logits, _bce)


@rejected_by("LOSS.SOFTMAX_CE.FORMULA", "LOSS.BCE.FORMULA", "LOSS.VALUE.NON_NEGATIVE")
def both_negated():
    """Both cross-entropies return the negative of the loss: two classes still give the binary
    loss of z1 - z2."""
    return sce_sign_error, _bce_negated


MUTANTS = {
    "mean_squared_error": [
        mse_sum_for_mean,
        mse_root,
        mse_absolute,
        mse_broadcasts,
        mse_ignores_nan,
        mse_empty_is_zero,
    ],
    "softmax_cross_entropy": [
        sce_without_log_sum_exp,
        sce_sign_error,
        sce_sum_over_batch,
        sce_softmax_over_batch_axis,
    ],
    "binary_cross_entropy": [
        bce_naive_logs,
        bce_sign_error,
        bce_sum_for_mean,
        bce_softmax_of_one_logit,
    ],
    ("softmax_cross_entropy", "binary_cross_entropy"): [both_sum_over_batch, both_negated],
}

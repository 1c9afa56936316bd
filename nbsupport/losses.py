"""Loss functions, their gradients, and the information-theory quantities behind them.

Every loss takes ``(y_true, y_pred)`` and returns the *mean* over all elements (or over
samples for the categorical losses; ``sse`` is the one sum). ``NAME_grad(y_true, y_pred)``
is the derivative of exactly that number with respect to ``y_pred`` (or the logits), so
it already carries the ``1 / N``: ``mse_grad = 2 (p - y) / N`` with ``N = y.size``.

Conventions
-----------
* Targets (``y_true``) must be finite; NaN in a prediction propagates to the loss.
* Integer or boolean targets take the dtype of the predictions; float32 predictions give
  float32 results; integer predictions are converted to float64.
* ``0 log 0 = 0`` everywhere; a certain wrong answer (``p = 0`` where ``y > 0``) costs
  ``+inf``, silently.
* Class targets for the categorical losses are either one row per sample of the same
  shape as the predictions (one-hot or any probability distribution), or integer labels
  with the shape of the predictions minus the last axis. Labels may be an integer array
  or floats holding whole numbers (``2.0`` means class 2; ``2.5`` is an error).
  Booleans are not accepted as labels.
* At the kink of ``mae``/``mape`` (``p == y``) the gradient is 0 (a subgradient).

Examples
--------
>>> float(mse([1.0, 2.0], [1.5, 2.0]))
0.125
>>> mse_grad([1.0, 2.0], [1.5, 2.0])
array([0.5, 0. ])
"""
from __future__ import annotations

from functools import partial

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (as_float_array, check_distributions, check_finite, check_in_unit_interval,
                      check_nonempty, check_positive, check_same_shape)
from .activations import _blockwise  # cache-sized blocks for multi-step elementwise formulas
from .softmax import log_softmax, softmax

__all__ = [
    "mse", "mse_grad", "half_mse", "half_mse_grad", "sse", "sse_grad", "mae", "mae_grad",
    "mape", "mape_grad", "msle", "msle_grad", "huber", "huber_grad",
    "binary_cross_entropy", "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
    "categorical_cross_entropy", "categorical_cross_entropy_grad",
    "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_grad",
    "entropy", "cross_entropy", "kl_divergence",
]

Scalar = np.floating


# ---------------------------------------------------------------- argument handling

def _predictions(y_pred: ArrayLike, name: str = "y_pred") -> np.ndarray:
    p = as_float_array(y_pred, name)
    check_nonempty(p, name)
    return p


def _targets_like(y_true: ArrayLike, p: np.ndarray) -> np.ndarray:
    """Finite targets of ``p``'s shape; integer/bool targets take ``p``'s dtype."""
    y = as_float_array(y_true, "y_true")
    check_nonempty(y, "y_true")
    check_same_shape(y, p, "y_true", "y_pred")
    check_finite(y, "y_true")
    if np.asarray(y_true).dtype.kind in "biu":
        return y.astype(p.dtype)
    return y


def _pair(y_true: ArrayLike, y_pred: ArrayLike, pred_name: str = "y_pred") -> tuple[np.ndarray, np.ndarray]:
    """Validated ``(y, p)`` of one shape and one floating dtype."""
    p = _predictions(y_pred, pred_name)
    y = _targets_like(y_true, p)
    dtype = np.result_type(y, p)
    return y.astype(dtype, copy=False), p.astype(dtype, copy=False)


def _mean(terms: np.ndarray) -> Scalar:
    """Mean of all entries; if the sum overflows but the mean does not, still finite."""
    with np.errstate(over="ignore"):
        total = terms.sum()
    if np.isinf(total) and np.isfinite(terms).all():
        return (terms / terms.size).sum()
    return total / terms.size


def _residual(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, float]:
    """``(d, scale)`` with ``p - y == scale * d``; scale = 2 where ``p - y`` would overflow."""
    with np.errstate(over="ignore", invalid="ignore"):
        d = p - y
    if (np.isinf(d) & np.isfinite(p)).any():
        return p * 0.5 - y * 0.5, 2.0
    return d, 1.0


# ---------------------------------------------------------------- regression losses

def sse(y_true: ArrayLike, y_pred: ArrayLike) -> Scalar:
    """Sum of squared errors :math:`\\sum_i (p_i - y_i)^2`.

    Examples
    --------
    >>> float(sse([0.0, 0.0], [1.0, 2.0]))
    5.0
    """
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return (d * d).sum() * (scale * scale)


def sse_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """:math:`\\partial\\,\\mathrm{SSE} / \\partial p_i = 2 (p_i - y_i)`.

    Examples
    --------
    >>> sse_grad([0.0, 0.0], [1.0, 2.0])
    array([2., 4.])
    """
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return d * (2 * scale)


def mse(y_true: ArrayLike, y_pred: ArrayLike) -> Scalar:
    """Mean squared error :math:`\\frac1N \\sum_i (p_i - y_i)^2`.

    Examples
    --------
    >>> float(mse([0.0, 0.0], [1.0, 2.0]))
    2.5
    """
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return _mean(d * d) * (scale * scale)


def mse_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """:math:`\\partial\\,\\mathrm{MSE} / \\partial p_i = 2 (p_i - y_i) / N`.

    Examples
    --------
    >>> mse_grad([0.0, 0.0], [1.0, 2.0])
    array([1., 2.])
    """
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return d / d.size * (2 * scale)


def half_mse(y_true: ArrayLike, y_pred: ArrayLike) -> Scalar:
    """Half the mean squared error, :math:`\\frac{1}{2N} \\sum_i (p_i - y_i)^2`.

    The 1/2 cancels the 2 of the derivative: the gradient is just the residual / N.

    Examples
    --------
    >>> float(half_mse([0.0, 0.0], [1.0, 2.0]))
    1.25
    """
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return _mean(d * d) * (0.5 * scale * scale)


def half_mse_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """:math:`(p_i - y_i) / N`.

    Examples
    --------
    >>> half_mse_grad([0.0, 0.0], [1.0, 2.0])
    array([0.5, 1. ])
    """
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return d / d.size * scale


def mae(y_true: ArrayLike, y_pred: ArrayLike) -> Scalar:
    """Mean absolute error :math:`\\frac1N \\sum_i |p_i - y_i|`.

    Examples
    --------
    >>> float(mae([0.0, 0.0], [1.0, -2.0]))
    1.5
    """
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return _mean(np.abs(d)) * scale


def mae_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """:math:`\\operatorname{sign}(p_i - y_i) / N` (0 where ``p == y``).

    Examples
    --------
    >>> mae_grad([0.0, 0.0], [1.0, -2.0])
    array([ 0.5, -0.5])
    """
    d, _ = _residual(*_pair(y_true, y_pred))
    return np.sign(d) / d.size


def _nonzero_targets(y: np.ndarray) -> None:
    if (y == 0).any():
        raise ValueError("y_true must not contain zeros: MAPE divides by |y_true|")


def mape(y_true: ArrayLike, y_pred: ArrayLike) -> Scalar:
    """Mean absolute percentage error :math:`\\frac{100}{N} \\sum_i |p_i - y_i| / |y_i|`, in percent.

    Examples
    --------
    >>> float(mape([2.0, 4.0], [1.0, 5.0]))
    37.5
    """
    y, p = _pair(y_true, y_pred)
    _nonzero_targets(y)
    d, scale = _residual(y, p)
    with np.errstate(over="ignore"):
        return _mean(np.abs(d) / np.abs(y)) * (100 * scale)


def mape_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """:math:`100 \\operatorname{sign}(p_i - y_i) / (N |y_i|)`.

    Examples
    --------
    >>> mape_grad([2.0, 4.0], [1.0, 5.0])
    array([-25. ,  12.5])
    """
    y, p = _pair(y_true, y_pred)
    _nonzero_targets(y)
    d, _ = _residual(y, p)
    with np.errstate(over="ignore"):
        return 100 * np.sign(d) / (np.abs(y) * d.size)


def _log1p_pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y, p = _pair(y_true, y_pred)
    for arr, name in ((y, "y_true"), (p, "y_pred")):
        if (arr <= -1).any():
            raise ValueError(f"{name} must be > -1 (MSLE takes log(1 + x)), got {arr.min():.6g}")
    return y, p


def _log_ratio(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """ln(1 + p) - ln(1 + y) to a few ulps, also where the two logarithms nearly cancel.

    The difference of the two logarithms loses digits in proportion to their size over
    their difference (57 ulps at y = 12.5, p = 13).  Instead: log1p((p - y) / (1 + y))
    when the difference is below 1/2 (p - y and 1 + y are rounded once, nothing cancels),
    log((1 + p) / (1 + y)) when it is larger, and the plain difference only where that
    quotient overflows or underflows (y or p near -1, the other huge: the two logarithms
    have opposite signs there and do not cancel).
    """
    far = np.log1p(p) - np.log1p(y)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        near = np.log1p((p - y) / (1 + y))
        quotient = (1 + p) / (1 + y)
        moderate = np.log(quotient)
    usable = np.isfinite(quotient) & (quotient >= np.finfo(quotient.dtype).tiny)
    return np.where(np.abs(far) < 0.5, near, np.where(usable, moderate, far))


def msle(y_true: ArrayLike, y_pred: ArrayLike) -> Scalar:
    """Mean squared logarithmic error :math:`\\frac1N \\sum_i (\\ln(1+p_i) - \\ln(1+y_i))^2`.

    Examples
    --------
    >>> round(float(msle([0.0], [np.e - 1])), 12)
    1.0
    """
    y, p = _log1p_pair(y_true, y_pred)
    a = _log_ratio(y, p)
    return _mean(a * a)


def msle_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """:math:`2 (\\ln(1+p_i) - \\ln(1+y_i)) / ((1 + p_i) N)`.

    Examples
    --------
    >>> msle_grad([0.0], [0.0])
    array([0.])
    """
    y, p = _log1p_pair(y_true, y_pred)
    a = _log_ratio(y, p)
    with np.errstate(over="ignore"):
        return 2 * a / ((1 + p) * a.size)


def huber(y_true: ArrayLike, y_pred: ArrayLike, delta: float = 1.0) -> Scalar:
    """Huber loss: quadratic for small residuals, linear for large ones.

    .. math:: \\frac1N \\sum_i \\begin{cases} \\tfrac12 r_i^2 & |r_i| \\le \\delta \\\\
              \\delta(|r_i| - \\tfrac12\\delta) & |r_i| > \\delta \\end{cases}, \\quad r = p - y

    Examples
    --------
    >>> float(huber([0.0, 0.0], [0.5, 3.0]))  # (0.125 + 2.5) / 2
    1.3125
    """
    delta = check_positive(delta, "delta")
    d, scale = _residual(*_pair(y_true, y_pred))
    a = np.abs(d)
    with np.errstate(over="ignore"):
        small = a * scale <= delta
        quadratic = (0.5 * scale * scale) * (d * d)
        linear = scale * (delta * (a - 0.5 * delta / scale))
        return _mean(np.where(small, quadratic, linear))


def huber_grad(y_true: ArrayLike, y_pred: ArrayLike, delta: float = 1.0) -> np.ndarray:
    """:math:`\\operatorname{clip}(p_i - y_i, -\\delta, \\delta) / N`.

    Examples
    --------
    >>> huber_grad([0.0, 0.0], [0.5, 3.0])
    array([0.25, 0.5 ])
    """
    delta = check_positive(delta, "delta")
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return np.clip(d * scale, -delta, delta) / d.size


# ---------------------------------------------------------------- binary cross-entropy

def _probability_pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y, p = _pair(y_true, y_pred)
    check_in_unit_interval(y, "y_true")
    check_in_unit_interval(p, "y_pred")
    return y, p


def binary_cross_entropy(y_true: ArrayLike, y_pred: ArrayLike) -> Scalar:
    """Binary cross-entropy of probabilities, :math:`-\\frac1N \\sum_i y_i \\ln p_i + (1-y_i)\\ln(1-p_i)`.

    ``ln(1 - p)`` is ``log1p(-p)``, and a term whose weight is 0 is skipped (0 ln 0 = 0),
    so ``p == y`` in {0, 1} costs exactly 0 and a certain wrong answer costs ``+inf``.
    With logits at hand prefer :func:`binary_cross_entropy_with_logits`.

    Examples
    --------
    >>> round(float(binary_cross_entropy([1.0, 0.0], [0.9, 0.2])), 6)
    0.164252
    """
    y, p = _probability_pair(y_true, y_pred)
    with np.errstate(divide="ignore", invalid="ignore"):
        hit = np.where(y > 0, y * np.log(p), 0)
        miss = np.where(y < 1, (1 - y) * np.log1p(-p), 0)
    return _mean(0.0 - (hit + miss))  # 0 - x: a perfect answer costs +0, not -0


def binary_cross_entropy_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """:math:`\\frac{p_i - y_i}{N p_i (1 - p_i)}`, with its limits at p = 0 and p = 1.

    Examples
    --------
    >>> binary_cross_entropy_grad([1.0, 0.0], [0.5, 0.5])
    array([-1.,  1.])
    """
    y, p = _probability_pair(y_true, y_pred)
    n = y.size
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        g = (p - y) / (p * (1 - p) * n)
    g = np.where(p == 0, np.where(y == 0, 1 / n, -np.inf), g)
    return np.where(p == 1, np.where(y == 1, -1 / n, np.inf), g).astype(p.dtype)


def _sigmoid_of_minus_abs(z: np.ndarray) -> np.ndarray:
    """sigmoid(-|z|) = e / (1 + e) with e = exp(-|z|) <= 1: never overflows."""
    e = np.exp(-np.abs(z))
    return e / (1 + e)


def binary_cross_entropy_with_logits(y_true: ArrayLike, logits: ArrayLike) -> Scalar:
    """Binary cross-entropy of ``sigmoid(z)``, computed from the logits ``z``.

    .. math:: \\ell_i = \\max(z_i, 0) - z_i y_i + \\ln(1 + e^{-|z_i|})

    written as ``z (1 - y)`` for z >= 0 and ``-z y`` for z < 0 so that no two large
    numbers cancel; about 1 ulp for every finite z, where ``sigmoid`` then ``log``
    would give ``inf`` or ``nan``.

    Examples
    --------
    >>> float(binary_cross_entropy_with_logits([1.0], [-1000.0]))  # = -log(sigmoid(-1000))
    1000.0
    """
    y, z = _pair(y_true, logits, "logits")
    check_in_unit_interval(y, "y_true")
    with np.errstate(invalid="ignore"):
        linear = np.where(z >= 0, np.where(y < 1, z * (1 - y), 0), np.where(y > 0, -z * y, 0))
    return _mean(linear + np.log1p(np.exp(-np.abs(z))))


def binary_cross_entropy_with_logits_grad(y_true: ArrayLike, logits: ArrayLike) -> np.ndarray:
    """:math:`(\\sigma(z_i) - y_i) / N`, written so that no two numbers near 1 cancel.

    Examples
    --------
    >>> binary_cross_entropy_with_logits_grad([1.0, 0.0], [0.0, 0.0])
    array([-0.25,  0.25])
    """
    y, z = _pair(y_true, logits, "logits")
    check_in_unit_interval(y, "y_true")
    return _blockwise(partial(_sigmoid_minus_target, n=y.size), z, y)[()]  # 0-d: a scalar


def _sigmoid_minus_target(z: np.ndarray, y: np.ndarray, n: int) -> np.ndarray:
    """(sigmoid(z) - y) / n as 1 - y - sigmoid(-z) for z >= 0: no two numbers near 1 cancel."""
    t = _sigmoid_of_minus_abs(z)
    return np.where(z >= 0, (1 - y) - t, t - y) / n


# ---------------------------------------------------------------- categorical cross-entropy

def _class_predictions(y_pred: ArrayLike, name: str) -> np.ndarray:
    p = _predictions(y_pred, name)
    if p.ndim == 0:
        raise ValueError(f"{name} must have a class axis (last axis), got a scalar")
    return p


def _labels(y_true: ArrayLike, n_classes: int) -> np.ndarray:
    """Integer class labels in 0..n_classes-1 (whole-number floats accepted)."""
    raw = np.asarray(y_true)
    if raw.dtype.kind == "b":
        raise TypeError("y_true labels must be integers, got booleans")
    if raw.dtype.kind == "f":
        check_finite(raw, "y_true")
        if (raw != np.floor(raw)).any():
            bad = raw[raw != np.floor(raw)].flat[0].item()
            raise ValueError(f"y_true labels must be whole numbers (class indices), got {bad!r}")
    if (raw < 0).any() or (raw >= n_classes).any():
        bad = raw[(raw < 0) | (raw >= n_classes)].flat[0].item()
        raise ValueError(f"y_true labels must lie in 0..{n_classes - 1} "
                         f"(one per class of the last axis), got {bad!r}")
    return raw.astype(np.intp)


def _class_targets(y_true: ArrayLike, p: np.ndarray, pred_name: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """``(labels, None)`` for integer labels, ``(None, y)`` for one-hot/distribution rows."""
    y = as_float_array(y_true, "y_true")
    check_nonempty(y, "y_true")
    if y.shape == p.shape[:-1]:
        return _labels(y_true, p.shape[-1]), None
    if y.ndim == p.ndim and y.shape[:-1] == p.shape[:-1] and y.shape[-1] != p.shape[-1]:
        hint = f"; integer labels take shape {p.shape[:-1]}" if y.shape[-1] == 1 else ""
        raise ValueError(f"y_true has {y.shape[-1]} columns (one-hot width) but {pred_name} "
                         f"has {p.shape[-1]} classes in its last axis{hint}")
    if y.shape != p.shape:
        raise ValueError(f"y_true must be integer labels of shape {p.shape[:-1]} or one-hot rows "
                         f"of shape {p.shape} (like {pred_name}), got shape {y.shape}")
    y = y.astype(p.dtype) if np.asarray(y_true).dtype.kind in "biu" else y
    check_distributions(y, "y_true")
    return None, y


def _n_samples(p: np.ndarray) -> int:
    return p.size // p.shape[-1]


def _label_column(a: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """a[..., labels] sample by sample."""
    return np.take_along_axis(a, labels[..., None], axis=-1)[..., 0]


def _weighted_log_sum(y: np.ndarray, log_p: np.ndarray) -> np.ndarray:
    """:math:`\\sum_j y_j \\log p_j` over the last axis with 0 log 0 = 0."""
    with np.errstate(invalid="ignore"):
        return np.where(y > 0, y * log_p, 0).sum(axis=-1)


def categorical_cross_entropy(y_true: ArrayLike, y_pred: ArrayLike) -> Scalar:
    """Cross-entropy of predicted class probabilities, averaged over samples.

    .. math:: -\\frac{1}{N} \\sum_n \\sum_j y_{nj} \\ln p_{nj} \\quad (= -\\frac1N \\sum_n \\ln p_{n, c_n} \\text{ for labels})

    Each row of ``y_pred`` must be a distribution over the last axis.

    Examples
    --------
    >>> round(float(categorical_cross_entropy([0, 1], [[0.5, 0.5], [0.2, 0.8]])), 6)
    0.458145
    """
    p = _class_predictions(y_pred, "y_pred")
    check_distributions(p, "y_pred")
    labels, y = _class_targets(y_true, p, "y_pred")
    with np.errstate(divide="ignore"):
        log_p = np.log(p)
    per_sample = 0.0 - (_label_column(log_p, labels) if y is None else _weighted_log_sum(y, log_p))
    return _mean(per_sample)


def categorical_cross_entropy_grad(y_true: ArrayLike, y_pred: ArrayLike) -> np.ndarray:
    """:math:`-y_{nj} / (N p_{nj})`, (0 where y = 0), treating each p as a free variable.

    Examples
    --------
    >>> categorical_cross_entropy_grad([1], [[0.5, 0.5]])
    array([[ 0., -2.]])
    """
    p = _class_predictions(y_pred, "y_pred")
    check_distributions(p, "y_pred")
    labels, y = _class_targets(y_true, p, "y_pred")
    if y is None:
        y = np.zeros_like(p)
        np.put_along_axis(y, labels[..., None], 1, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(y > 0, -y / (p * _n_samples(p)), 0).astype(p.dtype)


def softmax_cross_entropy_with_logits(y_true: ArrayLike, logits: ArrayLike) -> Scalar:
    """Cross-entropy of ``softmax(logits)``, computed through :func:`log_softmax`.

    .. math:: \\ell_n = \\operatorname{LSE}(z_n) - \\sum_j y_{nj} z_{nj} \\text{ (rows of y summing to 1)}

    Never forms ``log(0)`` for finite logits: ``z = [0, -1000]`` with label 1 costs 1000.

    Examples
    --------
    >>> float(softmax_cross_entropy_with_logits([1], [[0.0, -1000.0]]))
    1000.0
    """
    z = _class_predictions(logits, "logits")
    labels, y = _class_targets(y_true, z, "logits")
    log_p = log_softmax(z, axis=-1)
    per_sample = 0.0 - (_label_column(log_p, labels) if y is None else _weighted_log_sum(y, log_p))
    return _mean(per_sample)


def softmax_cross_entropy_with_logits_grad(y_true: ArrayLike, logits: ArrayLike) -> np.ndarray:
    """:math:`(\\operatorname{softmax}(z_n) \\textstyle\\sum_j y_{nj} - y_n) / N`, i.e. ``(p - y) / N``.

    For one-hot targets the entry of the true class, ``p_c - 1``, is computed as minus the
    sum of the other probabilities, which keeps its digits when ``p_c`` is close to 1.

    Examples
    --------
    >>> softmax_cross_entropy_with_logits_grad([0], [[0.0, 0.0]])
    array([[-0.5,  0.5]])
    """
    z = _class_predictions(logits, "logits")
    labels, y = _class_targets(y_true, z, "logits")
    p = softmax(z, axis=-1)
    if y is not None and np.all((y == 0) | (y == 1)):
        labels = np.argmax(y, axis=-1)  # exactly one-hot rows
    if labels is None:
        with np.errstate(invalid="ignore"):
            g = p * y.sum(axis=-1, keepdims=True) - y
    else:
        g = p
        np.put_along_axis(g, labels[..., None], 0, axis=-1)
        others = g.sum(axis=-1, keepdims=True)
        np.put_along_axis(g, labels[..., None], -others, axis=-1)
    return g / _n_samples(z)


# ---------------------------------------------------------------- information theory

def _distribution(p: ArrayLike, name: str) -> np.ndarray:
    p = _class_predictions(p, name)
    check_distributions(p, name)
    return p


def _distribution_pair(p: ArrayLike, q: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    p, q = _distribution(p, "p"), _distribution(q, "q")
    check_same_shape(p, q, "p", "q")
    dtype = np.result_type(p, q)
    return p.astype(dtype, copy=False), q.astype(dtype, copy=False)


def _unwrap(a: np.ndarray) -> np.ndarray | Scalar:
    return a[()] if a.ndim == 0 else a


def entropy(p: ArrayLike) -> np.ndarray | Scalar:
    """Shannon entropy :math:`H(p) = -\\sum_j p_j \\ln p_j` (nats) over the last axis, 0 ln 0 = 0.

    Examples
    --------
    >>> round(float(entropy([0.5, 0.5])), 12)  # ln 2
    0.69314718056
    """
    p = _distribution(p, "p")
    with np.errstate(divide="ignore"):
        return _unwrap(0.0 - _weighted_log_sum(p, np.log(p)))


def cross_entropy(p: ArrayLike, q: ArrayLike) -> np.ndarray | Scalar:
    """Cross-entropy :math:`H(p, q) = -\\sum_j p_j \\ln q_j = H(p) + D_{KL}(p \\| q)` over the last axis.

    ``+inf`` where some ``q_j = 0 < p_j``.

    Examples
    --------
    >>> round(float(cross_entropy([1.0, 0.0], [0.5, 0.5])), 12)
    0.69314718056
    """
    p, q = _distribution_pair(p, q)
    with np.errstate(divide="ignore"):
        return _unwrap(0.0 - _weighted_log_sum(p, np.log(q)))


def kl_divergence(p: ArrayLike, q: ArrayLike) -> np.ndarray | Scalar:
    """Kullback-Leibler divergence :math:`D_{KL}(p \\| q) = \\sum_j p_j \\ln(p_j / q_j) \\ge 0`.

    Over the last axis, 0 ln 0 = 0, ``+inf`` where some ``q_j = 0 < p_j``. Not symmetric.

    Examples
    --------
    >>> round(float(kl_divergence([1.0, 0.0], [0.5, 0.5])), 12)
    0.69314718056
    """
    p, q = _distribution_pair(p, q)
    with np.errstate(divide="ignore", over="ignore", under="ignore", invalid="ignore"):  # 0 / 0
        ratio = p / q
        log_ratio = np.log(ratio)
    inexact = (q > 0) & (p > 0) & ((ratio < np.finfo(p.dtype).tiny) | np.isinf(ratio))
    if inexact.any():  # p / q overflowed or lost digits to underflow
        log_ratio[inexact] = np.log(p[inexact]) - np.log(q[inexact])
    return _unwrap(_weighted_log_sum(p, log_ratio))


def naive_cross_entropy(logits: np.ndarray, label: int) -> np.ndarray:
    """-log(softmax(logits)[..., label]) computed the textbook way: inf or NaN when it fails.

    For demonstrations only (warnings silenced); use ``log_softmax`` or
    ``softmax_cross_entropy_with_logits`` for real work.
    """
    from .softmax import naive_softmax  # the textbook softmax, for demonstrations only

    with np.errstate(all="ignore"):
        return -np.log(naive_softmax(logits, axis=-1)[..., label])


__all__ += ["naive_cross_entropy"]

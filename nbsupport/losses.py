"""Loss functions, their gradients, and the information-theory quantities behind them.

Every loss takes ``(y_true, y_pred, reduction="mean")``.  ``reduction`` has PyTorch's
meaning: ``"mean"`` (the default) averages over all elements (over samples for the
categorical losses), ``"sum"`` adds them up, ``"none"`` returns one value per element
(per sample for the categorical losses: the shape of the predictions minus the class
axis).  ``NAME_grad(y_true, y_pred, reduction="mean")`` is the derivative of exactly
that number with respect to ``y_pred`` (or the logits): for ``"mean"`` it carries the
``1 / N`` (``mse_grad = 2 (p - y) / N`` with ``N = y.size``); for ``"sum"`` and
``"none"`` it is the derivative of each element's (sample's) own loss, which is also the
gradient of the sum.  ``sse`` is ``mse`` whose default reduction is ``"sum"``.

Conventions
-----------
* Targets (``y_true``) must be finite.  NaN in a prediction (or logit) propagates to the
  loss and its gradient, and +-inf gives the limit; predictions that must be
  probabilities (``binary_cross_entropy``, ``categorical_cross_entropy``, ``entropy``,
  ``cross_entropy``, ``kl_divergence``) must lie in [0, 1], so NaN there is a ValueError
  naming the argument, like any other value outside [0, 1].
* Empty input is an error for every reduction (a loss of no samples is undefined, and
  a silent 0 or NaN would hide an empty batch); the activations, being elementwise,
  map an empty array to an empty array.
* Integer or boolean targets take the dtype of the predictions; float32 predictions give
  float32 results; integer predictions are converted to float64; float32 mixed with
  float64 gives float64 (NumPy's promotion).  float16 is computed as float32 and
  longdouble as float64 (see :mod:`nbsupport._checks`).
* ``0 log 0 = 0`` everywhere; a certain wrong answer (``p = 0`` where ``y > 0``) costs
  ``+inf``, silently.
* Class targets for the categorical losses are either one row per sample of the same
  shape as the predictions (one-hot or any probability distribution), or integer labels
  with the shape of the predictions minus the last axis. Labels may be an integer array
  or floats holding whole numbers (``2.0`` means class 2; ``2.5`` is an error).
  Booleans are not accepted as labels.  Probability rows must sum to 1 within
  ``nbsupport._checks.PROBABILITY_SUM_ULPS`` ulps of 1 in their own precision, a
  tolerance that does not grow with the number of classes.
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

from ._checks import (as_class_targets, as_float_array, blockwise, check_choice,
                      check_distributions, check_finite, check_in_unit_interval, check_nonempty,
                      check_positive, check_representable, check_same_shape, holds_integers, input_eps)
from .activations import ACTIVATIONS
from .normalizers import log_softmax, row_sums, softmax

__all__ = [
    "mse", "mse_grad", "half_mse", "half_mse_grad", "sse", "sse_grad", "mae", "mae_grad",
    "mape", "mape_grad", "msle", "msle_grad", "huber", "huber_grad",
    "binary_cross_entropy", "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
    "categorical_cross_entropy", "categorical_cross_entropy_grad",
    "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_grad",
    "entropy", "cross_entropy", "kl_divergence", "REDUCTIONS",
]

#: The values of every loss's ``reduction`` argument.
REDUCTIONS = ("mean", "sum", "none")

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
    if holds_integers(y_true):
        return y.astype(p.dtype)
    return y


def _pair(y_true: ArrayLike, y_pred: ArrayLike, pred_name: str = "y_pred") -> tuple[np.ndarray, np.ndarray]:
    """Validated ``(y, p)`` of one shape and one floating dtype."""
    p = _predictions(y_pred, pred_name)
    y = _targets_like(y_true, p)
    dtype = np.result_type(y, p)
    return y.astype(dtype, copy=False), p.astype(dtype, copy=False)


def _delta_pair(y_true: ArrayLike, y_pred: ArrayLike, delta: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_pair` for Huber: ``delta`` must also be representable in the residuals' dtype."""
    y, p = _pair(y_true, y_pred)
    check_representable(delta, p.dtype, "delta", "y_pred")
    return y, p


def _mean(terms: np.ndarray) -> Scalar:
    """Mean of all entries; if the sum overflows but the mean does not, still finite.

    The fallback sums the entries scaled by 2^-16 (exact) and scales the mean back,
    which overflows only where the mean itself is within rounding of the largest float.
    """
    with np.errstate(over="ignore"):
        total = terms.sum()
        if np.isinf(total) and np.isfinite(terms).all():
            return (terms * 2.0 ** -16).sum() / terms.size * 2.0 ** 16
    return total / terms.size


def _reduction(reduction: object) -> str:
    return check_choice(reduction, REDUCTIONS, "reduction")


def _reduce(terms: np.ndarray, reduction: str) -> np.ndarray | Scalar:
    """The mean, the sum (``+inf`` if it overflows) or the terms themselves (0-d: a scalar)."""
    if reduction == "mean":
        return _mean(terms)
    if reduction == "sum":
        with np.errstate(over="ignore"):
            return terms.sum()
    return terms[()] if terms.ndim == 0 else terms


def _count(n: int, reduction: str) -> int:
    """What a gradient is divided by: the number of terms for "mean", else 1."""
    return n if reduction == "mean" else 1


def _quotient(numerator: np.ndarray, a: np.ndarray, n: int) -> np.ndarray:
    """numerator / (a n), also where the product a n overflows but the quotient does not."""
    with np.errstate(over="ignore"):  # a quotient overflows only where its exact value does
        denominator = a * n
        out = numerator / denominator
        overflowed = np.isinf(denominator) & np.isfinite(a)
        if overflowed.any():
            out = np.where(overflowed, numerator / a / n, out)
    return out


def _residual(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, float]:
    """``(d, scale)`` with ``p - y == scale * d``; scale = 2 where ``p - y`` would overflow."""
    with np.errstate(over="ignore", invalid="ignore"):
        d = p - y
    overflowed = np.isinf(d)
    if overflowed.any() and (overflowed & np.isfinite(p)).any():  # one pass in the usual case
        return p * 0.5 - y * 0.5, 2.0
    return d, 1.0


# ---------------------------------------------------------------- regression losses

def sse(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "sum") -> Scalar:
    """Sum of squared errors :math:`\\sum_i (p_i - y_i)^2`.

    Examples
    --------
    >>> float(sse([0.0, 0.0], [1.0, 2.0]))
    5.0
    """
    return mse(y_true, y_pred, reduction=reduction)


def sse_grad(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "sum") -> np.ndarray:
    """:math:`\\partial\\,\\mathrm{SSE} / \\partial p_i = 2 (p_i - y_i)`.

    Examples
    --------
    >>> sse_grad([0.0, 0.0], [1.0, 2.0])
    array([2., 4.])
    """
    return mse_grad(y_true, y_pred, reduction=reduction)


def mse(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> Scalar:
    """Mean squared error :math:`\\frac1N \\sum_i (p_i - y_i)^2`.

    Examples
    --------
    >>> float(mse([0.0, 0.0], [1.0, 2.0]))
    2.5
    """
    reduction = _reduction(reduction)
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return _reduce(d * d, reduction) * (scale * scale)


def mse_grad(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """:math:`\\partial\\,\\mathrm{MSE} / \\partial p_i = 2 (p_i - y_i) / N`.

    Examples
    --------
    >>> mse_grad([0.0, 0.0], [1.0, 2.0])
    array([1., 2.])
    """
    reduction = _reduction(reduction)
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return d / _count(d.size, reduction) * (2 * scale)


def half_mse(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> Scalar:
    """Half the mean squared error, :math:`\\frac{1}{2N} \\sum_i (p_i - y_i)^2`.

    The 1/2 cancels the 2 of the derivative: the gradient is just the residual / N.

    Examples
    --------
    >>> float(half_mse([0.0, 0.0], [1.0, 2.0]))
    1.25
    """
    reduction = _reduction(reduction)
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return _reduce(d * d, reduction) * (0.5 * scale * scale)


def half_mse_grad(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """:math:`(p_i - y_i) / N`.

    Examples
    --------
    >>> half_mse_grad([0.0, 0.0], [1.0, 2.0])
    array([0.5, 1. ])
    """
    reduction = _reduction(reduction)
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return d / _count(d.size, reduction) * scale


def mae(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> Scalar:
    """Mean absolute error :math:`\\frac1N \\sum_i |p_i - y_i|`.

    Examples
    --------
    >>> float(mae([0.0, 0.0], [1.0, -2.0]))
    1.5
    """
    reduction = _reduction(reduction)
    d, scale = _residual(*_pair(y_true, y_pred))
    with np.errstate(over="ignore"):
        return _reduce(np.abs(d), reduction) * scale


def mae_grad(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """:math:`\\operatorname{sign}(p_i - y_i) / N` (0 where ``p == y``).

    Examples
    --------
    >>> mae_grad([0.0, 0.0], [1.0, -2.0])
    array([ 0.5, -0.5])
    """
    reduction = _reduction(reduction)
    d, _ = _residual(*_pair(y_true, y_pred))
    return np.sign(d) / _count(d.size, reduction)


def _nonzero_targets(y: np.ndarray) -> None:
    if (y == 0).any():
        raise ValueError("y_true must not contain zeros: MAPE divides by |y_true|")


def mape(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> Scalar:
    """Mean absolute percentage error :math:`\\frac{100}{N} \\sum_i |p_i - y_i| / |y_i|`, in percent.

    Examples
    --------
    >>> float(mape([2.0, 4.0], [1.0, 5.0]))
    37.5
    """
    reduction = _reduction(reduction)
    y, p = _pair(y_true, y_pred)
    _nonzero_targets(y)
    d, scale = _residual(y, p)
    with np.errstate(over="ignore"):
        return _reduce(np.abs(d) / np.abs(y), reduction) * (100 * scale)


def mape_grad(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """:math:`100 \\operatorname{sign}(p_i - y_i) / (N |y_i|)`.

    Examples
    --------
    >>> mape_grad([2.0, 4.0], [1.0, 5.0])
    array([-25. ,  12.5])
    """
    reduction = _reduction(reduction)
    y, p = _pair(y_true, y_pred)
    _nonzero_targets(y)
    d, _ = _residual(y, p)
    return _unwrap(_quotient(100 * np.sign(d), np.abs(y), _count(d.size, reduction)))


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


def msle(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> Scalar:
    """Mean squared logarithmic error :math:`\\frac1N \\sum_i (\\ln(1+p_i) - \\ln(1+y_i))^2`.

    Examples
    --------
    >>> round(float(msle([0.0], [np.e - 1])), 12)
    1.0
    """
    reduction = _reduction(reduction)
    y, p = _log1p_pair(y_true, y_pred)
    a = _log_ratio(y, p)
    return _reduce(a * a, reduction)


def msle_grad(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """:math:`2 (\\ln(1+p_i) - \\ln(1+y_i)) / ((1 + p_i) N)`.

    Examples
    --------
    >>> msle_grad([0.0], [0.0])
    array([0.])
    """
    reduction = _reduction(reduction)
    y, p = _log1p_pair(y_true, y_pred)
    a = _log_ratio(y, p)
    with np.errstate(over="ignore", invalid="ignore"):  # p = +inf: inf / inf, whose limit is 0
        g = _quotient(2 * a, 1 + p, _count(a.size, reduction))
    return _unwrap(np.where(p == np.inf, 0, g))


def huber(y_true: ArrayLike, y_pred: ArrayLike, delta: float = 1.0, reduction: str = "mean") -> Scalar:
    """Huber loss: quadratic for small residuals, linear for large ones.

    .. math:: \\frac1N \\sum_i \\begin{cases} \\tfrac12 r_i^2 & |r_i| \\le \\delta \\\\
              \\delta(|r_i| - \\tfrac12\\delta) & |r_i| > \\delta \\end{cases}, \\quad r = p - y

    Examples
    --------
    >>> float(huber([0.0, 0.0], [0.5, 3.0]))  # (0.125 + 2.5) / 2
    1.3125
    """
    delta = check_positive(delta, "delta")
    reduction = _reduction(reduction)
    d, scale = _residual(*_delta_pair(y_true, y_pred, delta))
    a = np.abs(d)
    with np.errstate(over="ignore"):
        small = a * scale <= delta
        quadratic = (0.5 * scale * scale) * (d * d)
        linear = scale * (delta * (a - 0.5 * delta / scale))
        return _reduce(np.where(small, quadratic, linear), reduction)


def huber_grad(y_true: ArrayLike, y_pred: ArrayLike, delta: float = 1.0,
               reduction: str = "mean") -> np.ndarray:
    """:math:`\\operatorname{clip}(p_i - y_i, -\\delta, \\delta) / N`.

    Examples
    --------
    >>> huber_grad([0.0, 0.0], [0.5, 3.0])
    array([0.25, 0.5 ])
    """
    delta = check_positive(delta, "delta")
    reduction = _reduction(reduction)
    d, scale = _residual(*_delta_pair(y_true, y_pred, delta))
    with np.errstate(over="ignore"):
        return np.clip(d * scale, -delta, delta) / _count(d.size, reduction)


# ---------------------------------------------------------------- binary cross-entropy

def _probability_pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y, p = _pair(y_true, y_pred)
    check_in_unit_interval(y, "y_true")
    check_in_unit_interval(p, "y_pred")
    return y, p


def binary_cross_entropy(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> Scalar:
    """Binary cross-entropy of probabilities, :math:`-\\frac1N \\sum_i y_i \\ln p_i + (1-y_i)\\ln(1-p_i)`.

    ``ln(1 - p)`` is ``log1p(-p)``, and a term whose weight is 0 is skipped (0 ln 0 = 0),
    so ``p == y`` in {0, 1} costs exactly 0 and a certain wrong answer costs ``+inf``.
    With logits at hand prefer :func:`binary_cross_entropy_with_logits`.

    Examples
    --------
    >>> round(float(binary_cross_entropy([1.0, 0.0], [0.9, 0.2])), 6)
    0.164252
    """
    reduction = _reduction(reduction)
    y, p = _probability_pair(y_true, y_pred)
    with np.errstate(divide="ignore", invalid="ignore"):
        hit = np.where(y > 0, y * np.log(p), 0)
        miss = np.where(y < 1, (1 - y) * np.log1p(-p), 0)
    return _reduce(0.0 - (hit + miss), reduction)  # 0 - x: a perfect answer costs +0, not -0


def binary_cross_entropy_grad(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """:math:`\\frac{p_i - y_i}{N p_i (1 - p_i)}`, with its limits at p = 0 and p = 1.

    Examples
    --------
    >>> binary_cross_entropy_grad([1.0, 0.0], [0.5, 0.5])
    array([-1.,  1.])
    """
    reduction = _reduction(reduction)
    y, p = _probability_pair(y_true, y_pred)
    n = _count(y.size, reduction)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        g = (p - y) / (p * (1 - p) * n)
    g = np.where(p == 0, np.where(y == 0, 1 / n, -np.inf), g)
    return _unwrap(np.where(p == 1, np.where(y == 1, -1 / n, np.inf), g).astype(p.dtype))


def binary_cross_entropy_with_logits(y_true: ArrayLike, logits: ArrayLike,
                                     reduction: str = "mean") -> Scalar:
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
    reduction = _reduction(reduction)
    y, z = _pair(y_true, logits, "logits")
    check_in_unit_interval(y, "y_true")
    return _reduce(logistic_terms(y, z), reduction)


def binary_cross_entropy_with_logits_grad(y_true: ArrayLike, logits: ArrayLike,
                                          reduction: str = "mean") -> np.ndarray:
    """:math:`(\\sigma(z_i) - y_i) / N`, written so that no two numbers near 1 or 1/2 cancel.

    Computed as ``(c - y) + (sigmoid(z) - c)`` with c the one of 0, 1/2, 1 nearest to
    sigmoid(z) (``sigmoid(z) - 1/2 = tanh(z/2)/2``), ``c - y`` exact wherever the two
    terms can cancel: at y = 1/2 and z = 1e-20 the result is z/4, not 0.

    Examples
    --------
    >>> binary_cross_entropy_with_logits_grad([1.0, 0.0], [0.0, 0.0])
    array([-0.25,  0.25])
    """
    reduction = _reduction(reduction)
    y, z = _pair(y_true, logits, "logits")
    check_in_unit_interval(y, "y_true")
    return sigmoid_minus_targets(z, y, _count(y.size, reduction))[()]  # 0-d: a scalar


#: The unchecked sigmoid and softplus formulas of nbsupport.activations (inputs here are checked).
_SIGMOID, _SOFTPLUS = ACTIVATIONS["sigmoid"].kernel, ACTIVATIONS["softplus"].kernel

#: Below this |z| the pivot 1/2 is used: sigma(z) - 1/2 = tanh(z/2)/2 is smaller than
#: both sigma(z) and sigma(-z) exactly when |z| < ln 3.
_LN3 = 1.0986122886681098


def _sigmoid_minus_target(z: np.ndarray, y: np.ndarray, n: int) -> np.ndarray:
    """(sigmoid(z) - y) / n as (c - y) + (sigmoid(z) - c), the pivot c in {0, 1/2, 1}.

    The pivot is the value sigmoid(z) is nearest to: 1 for z >= ln 3, where
    sigmoid(z) - 1 = -sigmoid(-z); 0 for z <= -ln 3; 1/2 in between, where
    sigmoid(z) - 1/2 = tanh(z/2)/2.  ``sigmoid(z) - c`` is then computed to a few ulps
    of itself, and ``c - y`` is exact wherever the two terms can cancel (Sterbenz), so
    the only digits lost are those the conditioning in z dictates near the root
    z = logit(y): at y = 1/2 and z = 1e-20 the result is z/4 to the last digit.
    """
    a = np.abs(z, out=np.empty_like(z))       # an array also for 0-d z
    outer = (a >= _LN3).astype(z.dtype)        # 1 where the pivot is 0 or 1, else 0
    sign = np.sign(z)
    t = _SIGMOID(np.negative(a, out=a))        # sigmoid(-|z|) <= 1/2
    near = np.tanh(z * 0.5)
    near *= 0.5                                # sigmoid(z) - 1/2
    # sigmoid(z) - c = -sign(z) sigmoid(-|z|) outside, near inside: arithmetic on the 0/1
    # mask (one term is always exactly 0, so the blend is exact) is several times
    # faster than np.where on mixed data
    t *= sign
    t *= outer
    near *= 1 - outer
    near -= t
    sign *= outer                              # c = 1/2 + sign(z)/2 outside, 1/2 inside
    sign *= 0.5
    sign += 0.5
    g = sign - y                               # c - y: exact where it can cancel (Sterbenz)
    g += near
    if n != 1:
        g /= n
    return g


# ---------------------------------------------------------------- categorical cross-entropy

def _class_predictions(y_pred: ArrayLike, name: str) -> np.ndarray:
    p = _predictions(y_pred, name)
    if p.ndim == 0:
        raise ValueError(f"{name} must have a class axis (last axis), got a scalar")
    return p


# ---------------------------------------------------------------- kernels
# The formulas on validated arrays, shared by the losses below and the output heads of
# nbsupport.mlp (which validate their targets once per batch): no argument checks here.

def negative_log_likelihood(labels: np.ndarray | None, y: np.ndarray | None,
                            log_p: np.ndarray) -> np.ndarray:
    """Per-sample :math:`-\\sum_j y_j \\log p_j` (0 log 0 = 0), or :math:`-\\log p_c` for labels.

    ``log_p`` holds log-probabilities with classes on the last axis; pass either integer
    ``labels`` (shape ``log_p.shape[:-1]``) or rows ``y`` shaped like ``log_p``.

    >>> negative_log_likelihood(np.array([1]), None, np.log([[0.5, 0.25]])).round(4)
    array([1.3863])
    """
    return 0.0 - (_label_column(log_p, labels) if y is None else _weighted_log_sum(y, log_p))


def softmax_minus_targets(p: np.ndarray, labels: np.ndarray | None, y: np.ndarray | None,
                          out: np.ndarray | None = None) -> np.ndarray:
    """:math:`p \\sum_j y_j - y` per sample: the gradient of softmax cross-entropy in the logits.

    For integer labels (or rows that are exactly one-hot) the true class's entry
    ``p_c - 1`` is computed as minus the sum of the other probabilities, which keeps its
    digits when ``p_c`` is close to 1.  For labels the result is written into ``out``
    (``p`` itself is allowed), a new array by default; soft rows always give a new array.

    >>> softmax_minus_targets(np.array([[0.75, 0.25]]), np.array([0]), None)
    array([[-0.25,  0.25]])
    """
    if y is not None and np.all((y == 0) | (y == 1)):
        labels, y = np.argmax(y, axis=-1), None  # exactly one-hot rows
    if y is not None:  # soft rows: a new array, in the promoted dtype of p and y
        with np.errstate(invalid="ignore"):
            return p * y.sum(axis=-1, keepdims=True) - y
    if out is None:
        g = np.array(p, order="C")
    elif not out.flags.c_contiguous:
        raise ValueError("out must be a C-contiguous array")
    else:
        g = out
        if g is not p:
            np.copyto(g, p)
    rows = g.reshape(-1, g.shape[-1])  # a view of the C-contiguous g
    index = _label_index(labels, g.shape[-1])
    rows[index] = 0
    rows[index] = -row_sums(rows)
    return g


def logistic_terms(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Per-element binary cross-entropy of ``sigmoid(z)``: :math:`\\max(z, 0) - z y + \\log(1 + e^{-|z|})`.

    Written as ``z (1 - y)`` for z >= 0 and ``-z y`` for z < 0, plus ``softplus(-|z|)``,
    so that no two large numbers cancel.

    >>> logistic_terms(np.array([1.0]), np.array([-1000.0]))
    array([1000.])
    """
    if np.isfinite(z).all():  # one of the two products is 0, so the difference is exact
        linear = np.maximum(z, 0) * (1 - y) - np.minimum(z, 0) * y
    else:  # inf * 0 (z = inf with y = 1, z = -inf with y = 0) has the limit 0
        with np.errstate(invalid="ignore"):
            linear = np.where(z >= 0, np.where(y < 1, z * (1 - y), 0), np.where(y > 0, -z * y, 0))
    return linear + _SOFTPLUS(-np.abs(z))  # softplus(-|z|) = log1p(e^-|z|)


def sigmoid_minus_targets(z: np.ndarray, y: np.ndarray, n: int = 1) -> np.ndarray:
    """:math:`(\\sigma(z) - y) / n`, the gradient of binary cross-entropy in the logits.

    Split exactly as ``(c - y) + (sigmoid(z) - c)`` with the pivot c in {0, 1/2, 1}
    nearest to sigmoid(z), so no two numbers near 1 (or near 1/2) cancel.

    >>> sigmoid_minus_targets(np.array([0.0]), np.array([1.0]))
    array([-0.5])
    """
    return blockwise(partial(_sigmoid_minus_target, n=n), z, y)


def _class_targets(y_true: ArrayLike, p: np.ndarray, pred_name: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """``(labels, None)`` for integer labels, ``(None, y)`` for one-hot/distribution rows."""
    labels, y = as_class_targets(y_true, p.shape, "y_true", pred_name)
    if y is not None and holds_integers(y_true):
        y = y.astype(p.dtype)
    return labels, y


def _n_samples(p: np.ndarray) -> int:
    return p.size // p.shape[-1]


def _label_index(labels: np.ndarray, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of each sample's label in ``a.reshape(-1, n_classes)``.

    Plain fancy indexing on the 2-D view: several times faster than take_along_axis and
    put_along_axis on a network's small batches.
    """
    flat = labels.reshape(-1)
    return np.arange(flat.size), flat


def _label_column(a: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """a[..., labels] sample by sample."""
    return a.reshape(-1, a.shape[-1])[_label_index(labels, a.shape[-1])].reshape(labels.shape)


def _weighted_log_sum(y: np.ndarray, log_p: np.ndarray) -> np.ndarray:
    """:math:`\\sum_j y_j \\log p_j` over the last axis with 0 log 0 = 0."""
    with np.errstate(invalid="ignore"):
        return np.where(y > 0, y * log_p, 0).sum(axis=-1)


def categorical_cross_entropy(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> Scalar:
    """Cross-entropy of predicted class probabilities, averaged over samples.

    .. math:: -\\frac{1}{N} \\sum_n \\sum_j y_{nj} \\ln p_{nj} \\quad (= -\\frac1N \\sum_n \\ln p_{n, c_n} \\text{ for labels})

    Each row of ``y_pred`` must be a distribution over the last axis.

    Examples
    --------
    >>> round(float(categorical_cross_entropy([0, 1], [[0.5, 0.5], [0.2, 0.8]])), 6)
    0.458145
    """
    reduction = _reduction(reduction)
    p = _distribution(y_pred, "y_pred")
    labels, y = _class_targets(y_true, p, "y_pred")
    with np.errstate(divide="ignore"):
        log_p = np.log(p)
    per_sample = negative_log_likelihood(labels, y, log_p)
    return _reduce(per_sample, reduction)


def categorical_cross_entropy_grad(y_true: ArrayLike, y_pred: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """:math:`-y_{nj} / (N p_{nj})`, (0 where y = 0), treating each p as a free variable.

    Examples
    --------
    >>> categorical_cross_entropy_grad([1], [[0.5, 0.5]])
    array([[ 0., -2.]])
    """
    reduction = _reduction(reduction)
    p = _distribution(y_pred, "y_pred")
    labels, y = _class_targets(y_true, p, "y_pred")
    if y is None:
        y = np.zeros_like(p)
        np.put_along_axis(y, labels[..., None], 1, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(y > 0, -y / (p * _count(_n_samples(p), reduction)), 0).astype(p.dtype)


def softmax_cross_entropy_with_logits(y_true: ArrayLike, logits: ArrayLike,
                                      reduction: str = "mean") -> Scalar:
    """Cross-entropy of ``softmax(logits)``, computed through :func:`log_softmax`.

    .. math:: \\ell_n = \\operatorname{LSE}(z_n) - \\sum_j y_{nj} z_{nj} \\text{ (rows of y summing to 1)}

    Never forms ``log(0)`` for finite logits: ``z = [0, -1000]`` with label 1 costs 1000.

    Examples
    --------
    >>> float(softmax_cross_entropy_with_logits([1], [[0.0, -1000.0]]))
    1000.0
    """
    reduction = _reduction(reduction)
    z = _class_predictions(logits, "logits")
    labels, y = _class_targets(y_true, z, "logits")
    log_p = log_softmax(z, axis=-1)
    per_sample = negative_log_likelihood(labels, y, log_p)
    return _reduce(per_sample, reduction)


def softmax_cross_entropy_with_logits_grad(y_true: ArrayLike, logits: ArrayLike,
                                           reduction: str = "mean") -> np.ndarray:
    """:math:`(\\operatorname{softmax}(z_n) \\textstyle\\sum_j y_{nj} - y_n) / N`, i.e. ``(p - y) / N``.

    For one-hot targets the entry of the true class, ``p_c - 1``, is computed as minus the
    sum of the other probabilities, which keeps its digits when ``p_c`` is close to 1.

    Examples
    --------
    >>> softmax_cross_entropy_with_logits_grad([0], [[0.0, 0.0]])
    array([[-0.5,  0.5]])
    """
    reduction = _reduction(reduction)
    z = _class_predictions(logits, "logits")
    labels, y = _class_targets(y_true, z, "logits")
    p = softmax(z, axis=-1)
    g = softmax_minus_targets(p, labels, y, out=p if y is None else None)  # p is ours to overwrite
    return g / _count(_n_samples(z), reduction)


# ---------------------------------------------------------------- information theory

def _distribution(p: ArrayLike, name: str) -> np.ndarray:
    arr = _class_predictions(p, name)
    check_distributions(arr, name, input_eps(p, arr))
    return arr


def _distribution_pair(p: ArrayLike, q: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    p, q = _distribution(p, "p"), _distribution(q, "q")
    check_same_shape(p, q, "p", "q")
    dtype = np.result_type(p, q)
    return p.astype(dtype, copy=False), q.astype(dtype, copy=False)


def _unwrap(a: np.ndarray) -> np.ndarray | Scalar:
    """A 0-d array as a NumPy scalar (scalar input gives a scalar), other arrays unchanged."""
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
    from .normalizers import naive_softmax  # the textbook softmax, for demonstrations only

    with np.errstate(all="ignore"):
        return -np.log(naive_softmax(logits, axis=-1)[..., label])


__all__ += ["naive_cross_entropy"]

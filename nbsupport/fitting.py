"""Two small trainers for the cross-entropy notebook (05), written with the chain rule in view.

* :func:`train_logistic` fits the one-input logistic model ``s = sigmoid(w x + b)``
  by full-batch gradient descent under squared error or binary cross-entropy and
  records the loss and the parameters at every step: the "race" between the two
  losses when the model starts confidently wrong.
* :func:`fit_line` fits a straight line ``y ~ a x + b`` under any regression loss
  of :mod:`nbsupport.losses`, one line per row of ``y``: the outlier-drag widget
  fits every position of its slider in one call.

Both use the ``*_grad`` functions of :mod:`nbsupport.losses` for dL/d(prediction)
and multiply by the derivative of the prediction with respect to each parameter;
nothing is re-derived here.  A run that diverges (:func:`nbsupport.optim.diverged`: a
learning rate so large that the parameters leave the float range) stops there without
a warning and says at which step (``diverged_at``).  Pure NumPy: no matplotlib, no widgets.
"""
from __future__ import annotations

import math

from dataclasses import dataclass
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from . import losses
from ._checks import (as_float_array, check_finite, check_nonempty, check_positive,
                      check_nonnegative, check_nonnegative_int, check_positive_int, check_same_shape, check_scalar,
                      power_of_two_scale, scale_safe)
from .activations import sigmoid, sigmoid_grad
from .optim import DIVERGED_ERRSTATE, DescentRun, divergence_bound, diverged, diverged_rows

__all__ = ["LOGISTIC_LOSSES", "REGRESSION_LOSSES", "LogisticHistory", "LineFit",
           "logistic_loss_and_grad", "train_logistic", "least_squares_line", "fit_line",
           "RateSweep", "logistic_minimum", "settling_step", "rate_sweep"]

Loss = Callable[..., float]

#: Losses on the sigmoid's output s: (value, d value / d s).
_PROBABILITY_LOSSES: dict[str, tuple[Loss, Loss]] = {
    "mse": (losses.mse, losses.mse_grad),
    "half_mse": (losses.half_mse, losses.half_mse_grad),
}
#: The names :func:`train_logistic` accepts: squared errors on s, or cross-entropy on z.
LOGISTIC_LOSSES: tuple[str, ...] = (*_PROBABILITY_LOSSES, "bce")

#: Regression losses by name: (value, d value / d prediction), argument order (y_true, y_pred).
REGRESSION_LOSSES: dict[str, tuple[Loss, Loss]] = {
    "mse": (losses.mse, losses.mse_grad),
    "half_mse": (losses.half_mse, losses.half_mse_grad),
    "sse": (losses.sse, losses.sse_grad),
    "mae": (losses.mae, losses.mae_grad),
    "mape": (losses.mape, losses.mape_grad),
    "msle": (losses.msle, losses.msle_grad),
    "huber": (losses.huber, losses.huber_grad),
}


#: Losses that are piecewise linear in (slope, intercept): a best line runs through two data points.
_PIECEWISE_LINEAR = frozenset({"mae", "mape"})

#: Where a loss is defined, as a test on each row of predictions (others: everywhere).
_DOMAINS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "msle": lambda y_hat: (y_hat > -1).all(axis=1),
}


def _check_name(name: object, allowed, what: str) -> str:
    if name not in allowed:
        raise ValueError(f"{what} must be one of {sorted(allowed)}, got {name!r}")
    return name


def _data_pair(x: ArrayLike, y: ArrayLike, name_y: str) -> tuple[np.ndarray, np.ndarray]:
    """1-D finite float64 inputs ``x`` and targets shaped like ``x`` (or rows of that length)."""
    x = as_float_array(x, "x").astype(np.float64)
    y = as_float_array(y, name_y).astype(np.float64)
    check_nonempty(x, "x")
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}")
    check_finite(x, "x")
    check_finite(y, name_y)
    if y.ndim not in (1, 2) or y.shape[-1] != x.size:
        raise ValueError(f"{name_y} must have shape ({x.size},) or (m, {x.size}) to match x, "
                         f"got {y.shape}")
    return x, y


def _spread(x: np.ndarray) -> float:
    """The standard deviation of ``x``, which must not be 0 for a line to be defined.

    Computed without overflow or underflow of the squares (:func:`nbsupport._checks.scale_safe`):
    x = [1e-200, 2e-200] has a spread, and x = [1e200, -1e200] a finite one.
    """
    (spread,) = scale_safe(lambda v: (float(v.std()),), x)
    if spread == 0:
        raise ValueError("x must contain at least two different values to fit a line")
    return spread


def _best_line_through(x: np.ndarray, row: np.ndarray, i: int, value_of: Loss) -> tuple[float, int, float]:
    """(loss, j, slope) of the best line through data point i and another data point j."""
    best = (np.inf, i, 0.0)
    for j in np.flatnonzero(x != x[i]):
        with np.errstate(over="ignore"):
            rise, run = row[j] - row[i], x[j] - x[i]
            if np.isinf(rise) or np.isinf(run):  # points near +-max: the same slope from halves
                rise, run = row[j] * 0.5 - row[i] * 0.5, x[j] * 0.5 - x[i] * 0.5
            slope = rise / run
            line = slope * (x - x[i]) + row[i]   # inf where a line leaves the float range: a poor line
        value = float(value_of(row, line))
        if value < best[0]:
            best = (value, int(j), float(slope))
    return best


def _onto_two_points(x: np.ndarray, rows: np.ndarray, slope: np.ndarray, intercept: np.ndarray,
                     value_of: Loss) -> tuple[np.ndarray, np.ndarray]:
    """Finish a piecewise-linear fit exactly by walking along kinks from data point to data point.

    Start at the point nearest the fitted line; take the best line through it and another
    point j; then the best line through j, and so on while the loss drops by more than
    rounding noise.  When the two kinks through the current pair of points offer nothing
    better, the line is optimal (the simplex method's stopping rule, for a line).  The
    optimum need not be unique; the tolerance keeps the walk from hopping between equally
    good lines on rounding noise, so a slider that leaves the optimum alone leaves the
    line alone.
    """
    slope, intercept = slope.copy(), intercept.copy()
    for k, row in enumerate(rows):
        value = float(value_of(row, slope[k] * x + intercept[k]))
        anchor = int(np.argmin(np.abs(row - (slope[k] * x + intercept[k]))))
        while True:
            candidate, j, through = _best_line_through(x, row, anchor, value_of)
            if not candidate < value - 1e-12 * abs(value):  # rounding noise is no progress:
                break                                        # among equal optima, stay put
            value, slope[k], intercept[k] = candidate, through, row[anchor] - through * x[anchor]
            anchor = j
    return slope, intercept


# --------------------------------------------------------------------------- logistic model
def logistic_loss_and_grad(loss: str, t: ArrayLike, z: ArrayLike,
                           reduction: str = "mean") -> tuple[float | np.ndarray, np.ndarray]:
    """The loss of a sigmoid output at logits ``z`` and its gradient dL/dz.

    For the squared errors the chain rule runs through the sigmoid,

    .. math:: \\frac{\\partial L}{\\partial z} = \\frac{\\partial L}{\\partial s}\\, s'(z),

    so dL/dz is small wherever s'(z) is small, right or wrong.  Binary cross-entropy
    is evaluated from the logits; its gradient is ``(sigmoid(z) - t) / n``.

    Parameters
    ----------
    loss : {"mse", "half_mse", "bce"}
    t : array_like
        Targets in [0, 1].
    z : array_like
        Logits, same shape as ``t``.
    reduction : {"mean", "sum", "none"}
        As for the losses: ``"none"`` gives each element's loss and the derivative of
        each element's loss with respect to its own logit.

    Returns
    -------
    (float or ndarray, ndarray)
        The loss (reduced as asked; float unless ``"none"``) and dL/dz, shaped like ``z``.

    Examples
    --------
    >>> value, grad = logistic_loss_and_grad("half_mse", [1.0], [-4.0])
    >>> round(float(grad[0]), 4)   # (s - t) s'(z) at s = 0.018: almost no signal
    -0.0173
    >>> round(float(logistic_loss_and_grad("bce", [1.0], [-4.0])[1][0]), 4)
    -0.982
    """
    _check_name(loss, LOGISTIC_LOSSES, "loss")
    if loss == "bce":
        value = losses.binary_cross_entropy_with_logits(t, z, reduction=reduction)
        grad = losses.binary_cross_entropy_with_logits_grad(t, z, reduction=reduction)
    else:
        value_of, grad_of = _PROBABILITY_LOSSES[loss]
        s = sigmoid(z)
        value = value_of(t, s, reduction=reduction)
        grad = grad_of(t, s, reduction=reduction) * sigmoid_grad(z)
    value = float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=np.float64)
    return value, np.asarray(grad, dtype=np.float64)


@dataclass(frozen=True)
class LogisticHistory:
    """What :func:`train_logistic` recorded, one entry per step (index 0 = the start).

    Attributes
    ----------
    loss, w, b : ndarray of shape (steps + 1,)
        The loss at the parameters (w[k], b[k]).
    grad_norm : ndarray of shape (steps + 1,)
        The length of the gradient (dL/dw, dL/db) there: how hard the loss pushes.
    diverged_at : int or None
        The first step whose numbers diverged (:func:`nbsupport.optim.diverged`: ``b``
        or ``w`` in units of 1 / x (times a power of two near max |x|) beyond 1.34e154,
        or a loss or gradient beyond the float range), None if none did.  From that
        step on, the entries repeat the last step before it.
    """

    loss: np.ndarray
    w: np.ndarray
    b: np.ndarray
    grad_norm: np.ndarray
    diverged_at: int | None = None


def train_logistic(x: ArrayLike, t: ArrayLike, loss: str = "bce", *, lr: float = 0.5,
                   steps: int = 200, w0: float = 0.0, b0: float = 0.0) -> LogisticHistory:
    """Full-batch gradient descent on ``s = sigmoid(w x + b)`` under ``loss``.

    With z = w x + b, the chain rule gives dL/dw = sum_i dL/dz_i x_i and
    dL/db = sum_i dL/dz_i, where dL/dz comes from :func:`logistic_loss_and_grad`.

    Parameters
    ----------
    x : array_like, 1-D
        Inputs.
    t : array_like
        Binary (or soft) targets in [0, 1], same shape as ``x``.
    loss : {"mse", "half_mse", "bce"}
    lr : float
        Learning rate, > 0.
    steps : int
        Number of updates, > 0.
    w0, b0 : float
        Starting weight and bias (e.g. a confidently wrong start).

    Returns
    -------
    LogisticHistory
        A run that diverges (a learning rate so large that ``lr * x**2`` steps leave the
        float range) stops without a warning: ``diverged_at`` says at which step.

    Raises
    ------
    ValueError
        If the start itself has diverged (``w0 * max|x|`` or ``b0`` beyond 1.34e154, or
        logits ``w0 * x + b0`` beyond the float range).

    Examples
    --------
    >>> h = train_logistic([-1.0, 1.0], [0.0, 1.0], "bce", lr=1.0, steps=50, w0=-4.0)
    >>> bool(h.loss[-1] < h.loss[0]), bool(h.w[-1] > 0), h.diverged_at
    (True, True, None)
    >>> train_logistic([-1e200, 1e200], [0.0, 1.0], "mse", lr=1.0, steps=50).diverged_at
    1
    """
    _check_name(loss, LOGISTIC_LOSSES, "loss")
    x, t = _data_pair(x, t, "t")
    check_same_shape(x, t, "x", "t")
    lr = check_positive(lr, "lr")
    steps = check_positive_int(steps, "steps")
    w, b = check_scalar(w0, "w0"), check_scalar(b0, "b0")

    record = np.empty((4, steps + 1))
    x_unit = power_of_two_scale(x)      # w is measured in units of 1 / x: w * x_unit
    for k in range(steps + 1):
        try:
            with np.errstate(**DIVERGED_ERRSTATE):
                if k:
                    w, b = w - lr * dloss_dw, b - lr * dloss_db
                value, dloss_dz = logistic_loss_and_grad(loss, t, w * x + b)
                dloss_dw = float(np.sum(dloss_dz * x))   # dz/dw = x
                dloss_db = float(np.sum(dloss_dz))       # dz/db = 1
                norm = float(np.hypot(dloss_dw, dloss_db))
        except FloatingPointError:                       # a step or the loss left the float range
            value = norm = math.inf
        with np.errstate(over="ignore"):
            w_in_units = w * x_unit
        if diverged([w_in_units, b], (value, norm)):
            if k == 0:
                raise ValueError(f"w0={w0!r} and b0={b0!r} start a run that has already diverged: "
                                 f"w0 * max|x| or b0 beyond {divergence_bound():.3g}, "
                                 "or w0 * x + b0 beyond the float range")
            record[:, k:] = record[:, k - 1:k]
            return LogisticHistory(*record, diverged_at=k)
        record[:, k] = value, w, b, norm
    return LogisticHistory(*record)


# --------------------------------------------------------------------------- straight lines
@dataclass(frozen=True)
class LineFit:
    """Slope(s) and intercept(s) of fitted lines ``y = slope * x + intercept``.

    Scalars for one line, arrays of shape (m,) when ``fit_line`` got m rows of targets.
    ``diverged_at`` is the step at which :func:`fit_line`'s descent diverged, None if it
    did not; for m lines, None if no line diverged, else a tuple with one entry (a step
    or None) per line.  A line that diverged is the last one the descent reached before.
    """

    slope: np.ndarray | float
    intercept: np.ndarray | float
    diverged_at: int | None | tuple[int | None, ...] = None

    def predict(self, x: ArrayLike) -> np.ndarray:
        """The line(s) at ``x``: shape ``x.shape`` for one line, (m, x.size) for m lines."""
        x = np.asarray(x, dtype=np.float64)
        return np.multiply.outer(self.slope, x) + np.expand_dims(self.intercept, -1)


def least_squares_line(x: ArrayLike, y: ArrayLike) -> LineFit:
    """The closed-form minimiser of MSE (and of half-MSE and SSE, which differ by constants).

    slope = cov(x, y) / var(x), intercept = mean(y) - slope * mean(x), per row of ``y``.

    Examples
    --------
    >>> fit = least_squares_line([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    >>> float(fit.slope), float(fit.intercept)
    (2.0, 1.0)
    """
    x, y = _data_pair(x, y, "y")
    _spread(x)
    # on x / sx and y / sy (powers of two: exact), whose squares and sums stay in range;
    # slope and intercept scale back by sy / sx and sy
    sx, sy = power_of_two_scale(x), power_of_two_scale(y)
    x, y = x / sx, y / sy
    xc = x - x.mean()
    slope = (y - y.mean(axis=-1, keepdims=True)) @ xc / (xc @ xc)
    intercept = y.mean(axis=-1) - slope * x.mean()
    shift = math.frexp(sy)[1] - math.frexp(sx)[1]  # sy / sx = 2^shift, which may pass the range
    with np.errstate(over="ignore"):  # a slope beyond the float range is +-inf, as IEEE rounds it
        return LineFit(np.ldexp(slope, shift)[()], (intercept * sy)[()])


def fit_line(x: ArrayLike, y: ArrayLike, loss: str = "mse", *, steps: int = 600,
             step0: float | None = None, decay: float = 0.975,
             start: LineFit | None = None) -> LineFit:
    """Fit ``y ~ slope * x + intercept`` under a regression loss by normalised gradient descent.

    The line is written on standardised inputs u = (x - mean x) / std x as
    y_hat = alpha u + beta, which makes the two parameters equally scaled.  The chain
    rule gives

    .. math:: \\frac{\\partial L}{\\partial \\alpha} = \\sum_i \\frac{\\partial L}{\\partial \\hat y_i} u_i,
              \\qquad \\frac{\\partial L}{\\partial \\beta} = \\sum_i \\frac{\\partial L}{\\partial \\hat y_i},

    with dL/dy_hat from the loss's ``*_grad`` function.  Each step moves a distance
    ``step0 * decay**k`` against the gradient's *direction*.  Normalising makes the
    step independent of the loss's scale (SSE = n MSE, MAPE in percent) and lets the
    non-smooth losses (MAE, MAPE) settle on their kinks as the steps shrink.  Their
    loss is piecewise linear in the two parameters, so a best line passes through two
    data points; descent can stall a little short of it, zig-zagging across a kink, so
    these fits finish by walking from the nearest data point along the kinks to the
    exact best line.

    Parameters
    ----------
    x : array_like, 1-D
        Inputs (at least two different values).
    y : array_like, shape (n,) or (m, n)
        Targets; each row gets its own line (the rows are fitted together).
    loss : str
        A key of :data:`REGRESSION_LOSSES`.
    steps : int
        Number of steps, > 0.
    step0 : float, optional
        Length of the first step in (alpha, beta), in units of y. Default: the standard
        deviation of each row of targets (or 1 if they are all equal).
    decay : float
        Factor by which the step length shrinks each step, in (0, 1].
    start : LineFit, optional
        Where to start (a warm start). Default: the flat line at the median of each
        row, which lies inside every loss's domain (MSLE needs y_hat > -1).

    Returns
    -------
    LineFit
        Scalars for 1-D ``y``, arrays of shape (m,) for 2-D ``y``.  A descent that
        diverges (:func:`nbsupport.optim.diverged`, with the parameters measured in units
        of the larger of the targets and the start's predictions: a ``step0`` far beyond
        that scale) stops at the last line before it, without a warning; ``diverged_at``
        says at which step.

    Examples
    --------
    >>> x = [0.0, 1.0, 2.0, 3.0, 4.0]
    >>> fit = fit_line(x, [0.0, 1.0, 2.0, 3.0, 40.0], "mae")   # the outlier barely matters
    >>> round(float(fit.slope), 3)
    1.0
    """
    grad_of = REGRESSION_LOSSES[_check_name(loss, REGRESSION_LOSSES, "loss")][1]
    x, y = _data_pair(x, y, "y")
    steps = check_positive_int(steps, "steps")
    decay = check_positive(decay, "decay")
    if decay > 1:
        raise ValueError(f"decay must lie in (0, 1], got {decay!r}")

    rows = np.atleast_2d(y)
    x_mean, x_std = x.mean(), _spread(x)
    u = (x - x_mean) / x_std
    if start is None:
        start = LineFit(np.zeros(len(rows)), np.median(rows, axis=1))
    slope0 = np.broadcast_to(np.asarray(start.slope, dtype=np.float64), rows.shape[:1])
    intercept0 = np.broadcast_to(np.asarray(start.intercept, dtype=np.float64), rows.shape[:1])
    alpha = slope0 * x_std                      # y_hat = alpha * u + beta
    beta = intercept0 + slope0 * x_mean
    inside = _DOMAINS.get(loss, lambda y_hat: np.ones(y_hat.shape[0], dtype=bool))
    if not inside(alpha[:, None] * u + beta[:, None]).all():
        raise ValueError(f"start must predict values inside the domain of {loss}")
    if step0 is None:   # the spread of each row, also where its squares overflow
        step = np.array([scale_safe(lambda row: (float(row.std()),), row)[0] for row in rows])
        step[step == 0] = 1.0
    else:
        step = np.full(len(rows), check_positive(step0, "step0"))
    y_hat = alpha[:, None] * u + beta[:, None]
    # the unit of each row: a power of two near its largest target or starting prediction
    unit = np.ldexp(1.0, np.frexp(np.maximum(np.abs(rows).max(axis=1), np.abs(y_hat).max(axis=1)))[1] - 1)
    diverged_at = np.full(len(rows), -1)

    for k in range(1, steps + 1):
        with np.errstate(over="ignore", invalid="ignore"):   # a step beyond the range: caught below
            dloss_dyhat = grad_of(rows, y_hat)      # rows are independent: only a shared factor couples them
            dloss_dalpha = dloss_dyhat @ u          # d y_hat / d alpha = u
            dloss_dbeta = dloss_dyhat.sum(axis=1)   # d y_hat / d beta = 1
            length = np.hypot(dloss_dalpha, dloss_dbeta)
            scale = step / np.where(length > 0, length, np.inf)   # no move at an exact optimum
            move_alpha, move_beta = scale * dloss_dalpha, scale * dloss_dbeta
            huge = np.isinf(scale)
            if huge.any():   # step / length overflowed: the step times the unit direction
                move_alpha = np.where(huge, step * (dloss_dalpha / length), move_alpha)
                move_beta = np.where(huge, step * (dloss_dbeta / length), move_beta)
            new_alpha, new_beta = alpha - move_alpha, beta - move_beta
            new_hat = new_alpha[:, None] * u + new_beta[:, None]
            in_units = [new_alpha / unit, new_beta / unit]   # a line as large as the data is no divergence
        gone = diverged_rows(in_units, [new_hat]) & (diverged_at < 0)
        diverged_at[gone] = k
        ok = inside(np.where(diverged_at[:, None] < 0, new_hat, y_hat))
        move = ok & (diverged_at < 0)
        alpha, beta = np.where(move, new_alpha, alpha), np.where(move, new_beta, beta)
        y_hat = np.where(move[:, None], new_hat, y_hat)
        step = np.where(ok, step * decay, step / 2)   # a step out of the domain is retried shorter

    slope = alpha / x_std
    intercept = beta - slope * x_mean
    if loss in _PIECEWISE_LINEAR:
        slope, intercept = _onto_two_points(x, rows, slope, intercept, REGRESSION_LOSSES[loss][0])
    steps_at = tuple(int(k) if k >= 0 else None for k in diverged_at)
    if y.ndim == 1:
        return LineFit(float(slope[0]), float(intercept[0]), steps_at[0])
    return LineFit(slope, intercept, steps_at if any(k is not None for k in steps_at) else None)


# --------------------------------------------------------------------------- learning-rate sweep
def logistic_minimum(x: ArrayLike, t: ArrayLike, loss: str = "bce") -> float:
    """The smallest value of ``loss`` over (w, b) for ``s = sigmoid(w x + b)``.

    Found by BFGS from w = b = 0, where no sample is saturated, with the gradient
    dL/dw = sum_i dL/dz_i x_i, dL/db = sum_i dL/dz_i.

    Examples
    --------
    >>> round(logistic_minimum([-1.0, -0.5, 0.5, 1.0], [0.0, 1.0, 0.0, 1.0], "bce"), 4)
    0.642
    """
    from scipy.optimize import minimize

    _check_name(loss, LOGISTIC_LOSSES, "loss")
    x, t = _data_pair(x, t, "t")
    check_same_shape(x, t, "x", "t")

    def value_and_grad(p: np.ndarray) -> tuple[float, np.ndarray]:
        value, dloss_dz = logistic_loss_and_grad(loss, t, p[0] * x + p[1])
        return value, np.array([np.sum(dloss_dz * x), np.sum(dloss_dz)])

    result = minimize(value_and_grad, np.zeros(2), jac=True, method="BFGS", options={"gtol": 1e-12})
    return float(result.fun)


def settling_step(loss: ArrayLike, minimum: float, tol: float = 0.01) -> int | None:
    """First step from which ``loss`` stays within ``tol`` of the way from its start to ``minimum``.

    That is the first k with ``loss[j] - minimum <= tol * (loss[0] - minimum)`` for every
    j >= k; None when the last step is still outside (a run that never settles).

    Examples
    --------
    >>> settling_step([1.0, 0.5, 0.001, 0.2, 0.005, 0.004], 0.0)
    4
    """
    loss = as_float_array(loss, "loss")
    if loss.ndim != 1:
        raise ValueError(f"loss must be a 1-D curve, got shape {loss.shape}")
    check_nonempty(loss, "loss")
    minimum, tol = check_scalar(minimum, "minimum"), check_nonnegative(tol, "tol")
    with np.errstate(over="ignore", invalid="ignore"):  # NaN or inf losses never count as settled
        outside = np.flatnonzero(~(loss - minimum <= tol * (loss[0] - minimum)))
    if outside.size == 0:
        return 0
    k = int(outside[-1]) + 1
    return k if k < loss.size else None


@dataclass(frozen=True)
class RateSweep:
    """One run of :func:`train_logistic` per learning rate, and when each settled."""

    rates: np.ndarray
    runs: list[LogisticHistory]
    settled: list[int | None]
    minimum: float

    @property
    def best(self) -> int:
        """Index of the rate that settles soonest (ties: the smaller rate)."""
        steps = [np.inf if s is None else s for s in self.settled]
        return int(np.argmin(steps))


def rate_sweep(x: ArrayLike, t: ArrayLike, loss: str, rates: ArrayLike, *, steps: int,
               w0: float = 0.0, b0: float = 0.0, tol: float = 0.01) -> RateSweep:
    """Train the logistic model once per learning rate; record when each run settles.

    A run has settled at step k when its loss stays within ``tol`` of the way from the
    start to the loss's own minimum (:func:`logistic_minimum`) from k on; a run that
    diverged never settles.

    Examples
    --------
    >>> sweep = rate_sweep([-1.0, -0.5, 0.5, 1.0], [0.0, 1.0, 0.0, 1.0], "bce", [0.1, 1.0], steps=200)
    >>> sweep.settled, sweep.best
    ([160, 15], 1)
    """
    rates = as_float_array(rates, "rates")
    minimum = logistic_minimum(x, t, loss)
    runs = [train_logistic(x, t, loss, lr=float(lr), steps=steps, w0=w0, b0=b0) for lr in rates]
    settled = [None if h.diverged_at is not None else settling_step(h.loss, minimum, tol) for h in runs]
    return RateSweep(rates, runs, settled, minimum)


def tangent_pieces(f: Callable, fprime: Callable, x: np.ndarray, pieces: int,
                   span: tuple[float, float]) -> np.ndarray:
    """The ``pieces`` tangent lines of ``f`` at the midpoints of ``pieces`` equal cells of ``span``.

    Returns an array (len(x), pieces): column k is f(t_k) + f'(t_k) (x - t_k).  For a
    convex f each tangent lies below f, so their maximum (a Maxout unit) approximates
    f from below; for f = x^2 on [a, b] the largest gap is ((b - a) / (2 k))^2.
    """
    width = (span[1] - span[0]) / pieces
    t = span[0] + width * (np.arange(pieces) + 0.5)
    return f(t) + fprime(t) * (np.asarray(x)[:, None] - t)


def one_sample_descent(inputs: np.ndarray, targets: np.ndarray, start: np.ndarray,
                       steps: int, rate: float = 0.5) -> np.ndarray:
    """The path of :func:`one_sample_run` alone, shape (steps + 1, 2).

    Examples
    --------
    >>> path = one_sample_descent(np.array([[1.0, 0.0]]), np.array([2.0]), np.zeros(2), 1, rate=1.0)
    >>> path[-1]
    array([2., 0.])
    """
    return one_sample_run(inputs, targets, start, steps, rate).path


def one_sample_run(inputs: np.ndarray, targets: np.ndarray, start: np.ndarray,
                   steps: int, rate: float = 0.5) -> DescentRun:
    """Gradient steps of y = w . x on the squared error of one sample at a time.

    Step k uses sample i = k mod n: w <- w - rate * (w . x_i - y_i) x_i / |x_i|^2.
    The gradient of (w . x_i - y_i)^2 / 2 is (w . x_i - y_i) x_i, a multiple of x_i;
    dividing by |x_i|^2 makes the step size independent of the input's scale (also
    where |x_i|^2 itself would overflow or underflow: the step is formed from x_i / |x_i|).
    Every x_i needs a nonzero entry.

    A rate beyond 2 makes every step overshoot by more than it corrects; a run that
    diverges (:func:`nbsupport.optim.diverged`, with w x measured in units of the larger
    of the targets and the start's predictions) stops there without a warning.

    Returns
    -------
    DescentRun
        ``path`` of shape (steps + 1, d): the weights before each step and after the
        last (from ``diverged_at`` on, the last weights before divergence).

    Examples
    --------
    >>> run = one_sample_run(np.array([[1.0, 0.0]]), np.array([2.0]), np.zeros(2), 1000, rate=3.0)
    >>> run.diverged_at, bool(np.isfinite(run.path).all())
    (513, True)
    """
    inputs = as_float_array(inputs, "inputs").astype(np.float64, copy=False)
    targets = as_float_array(targets, "targets").astype(np.float64, copy=False)
    if inputs.ndim != 2 or targets.shape != inputs.shape[:1]:
        raise ValueError(f"inputs must have shape (n, d) and targets shape (n,), got {inputs.shape} "
                         f"and {targets.shape}")
    check_nonempty(inputs, "inputs")
    check_finite(inputs, "inputs")
    check_finite(targets, "targets")
    if not np.all(inputs.any(axis=1)):
        raise ValueError("every row of inputs must have a nonzero entry (the step divides by |x_i|^2)")
    start = as_float_array(start, "start").astype(np.float64, copy=False)
    if start.shape != inputs.shape[1:]:
        raise ValueError(f"start must have shape {inputs.shape[1:]}, got {start.shape}")
    steps, rate = check_nonnegative_int(steps, "steps"), check_scalar(rate, "rate")
    with np.errstate(over="ignore", under="ignore"):
        norms = np.einsum("ij,ij->i", inputs, inputs)[:, None]
    if np.all(np.isfinite(norms) & (norms >= np.finfo(np.float64).tiny)):
        directions, divisors = inputs, norms     # the step: rate * error * direction / divisor
    else:
        # x_i / |x_i|^2 = u_i / |x_i| with u_i = x_i / |x_i|, formed as (x_i / s) / |x_i / s| for s
        # a power of two near max|x_i|: |x_i|^2 overflows above 1.3e154 and underflows below 1e-154
        scales = np.array([power_of_two_scale(row) for row in inputs])[:, None]
        small = inputs / scales
        lengths = np.sqrt(np.einsum("ij,ij->i", small, small))[:, None]
        directions, divisors = small / lengths, lengths * scales
    path = np.empty((steps + 1, inputs.shape[1]))
    path[0] = start
    # w in units of the problem's scale over x's: that of the targets or of the start's predictions
    x_unit = power_of_two_scale(inputs)
    unit = x_unit / max(power_of_two_scale(targets), power_of_two_scale(start) * x_unit)
    for k in range(steps):
        i = k % len(inputs)
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging rate: caught below
            error = path[k] @ inputs[i] - targets[i]
            path[k + 1] = path[k] - rate * error * directions[i] / divisors[i]
            in_units = path[k + 1] * unit
        if diverged(in_units, (error,)):
            path[k + 1:] = path[k]
            return DescentRun(path, k + 1)
    return DescentRun(path, None)


__all__ += ["tangent_pieces", "one_sample_descent", "one_sample_run"]

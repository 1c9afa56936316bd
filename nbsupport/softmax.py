"""Softmax, log-softmax and log-sum-exp, computed without overflow and to the last digit.

For logits :math:`z \\in \\mathbb{R}^n` and :math:`m = \\max_j z_j`,

.. math::

    \\operatorname{softmax}(z)_i = \\frac{e^{z_i - m}}{\\sum_j e^{z_j - m}}, \\qquad
    \\operatorname{LSE}(z) = m + \\log\\Bigl(1 + \\sum_{j \\ne j^*} e^{z_j - m}\\Bigr), \\qquad
    \\log\\operatorname{softmax}(z)_i = z_i - \\operatorname{LSE}(z).

Shifting by the maximum keeps every exponent <= 0, so nothing overflows. Two refinements
make the results correctly rounded or nearly so (about 1 ulp in float64):

* ``z - m`` is rounded, and :math:`e^{d}` turns an absolute error in ``d`` into a relative
  one, so far-apart logits (``d = -700``) would lose hundreds of ulps. The rounding error
  ``lo`` of ``z - m`` is recovered exactly (Knuth's TwoSum) and folded back in as
  :math:`e^{hi + lo} \\approx e^{hi}(1 + lo)`.
* The largest term is exactly 1; summing only the others and taking ``log1p`` keeps the
  digits of tiny sums that ``log(1 + s)`` would round away.

Limits of infinite logits: ``-inf`` contributes probability 0. A row with exactly one
``+inf`` puts all mass there. Where the limit does not exist (a row of only ``-inf``, or
several ``+inf`` entries) the undefined entries are NaN, without a warning; the
log-sum-exp itself is always defined (``-inf`` or ``+inf``). NaN propagates.

The arrays are processed in cache-sized blocks, which keeps these extra steps cheap.

``naive_softmax`` and ``naive_logsumexp`` are the textbook formulas, kept to show in the
notebooks how they overflow. Everything else never warns.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, check_axis, check_nonempty, check_positive

__all__ = ["softmax", "log_softmax", "logsumexp", "softmax_jacobian",
           "naive_softmax", "naive_logsumexp"]

_BLOCK = 1 << 14  # elements per block: a block's temporaries stay in the CPU cache


def _logits(z: ArrayLike, axis: object) -> tuple[np.ndarray, int]:
    """Validated logits as a floating array with at least one dimension, and the axis."""
    z = as_float_array(z, "z")
    if z.ndim == 0:
        raise ValueError("z must have at least one dimension (a vector of logits), got a scalar")
    check_nonempty(z, "z")
    return z, check_axis(axis, z.ndim)


def _as_rows(z: np.ndarray, axis: int) -> np.ndarray:
    """A 2-D (rows, n) view or copy of ``z`` with the softmax axis last."""
    moved = np.moveaxis(z, axis, -1)
    return moved.reshape(-1, moved.shape[-1])


def _from_rows(rows: np.ndarray, z: np.ndarray, axis: int) -> np.ndarray:
    """Undo :func:`_as_rows` for a result of the same size as ``z``."""
    moved_shape = np.moveaxis(z, axis, -1).shape
    return np.moveaxis(rows.reshape(moved_shape), -1, axis)


def _two_diff(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``hi, lo`` with ``hi = fl(a - b)`` and ``hi + lo == a - b`` exactly (Knuth's TwoSum).

    Entries whose difference is not finite get ``lo = 0``.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        hi = a - b
        b_virtual = hi - a
        a_virtual = hi - b_virtual
        lo = (a - a_virtual) - (b + b_virtual)
    if not np.isfinite(lo.sum()):
        lo[~np.isfinite(lo)] = 0
    return hi, lo


def _blocks(n_rows: int, n: int):
    """Yield ``(rows, cols, j)``: slices of cache-sized blocks, j = column-block index."""
    rows_per_block = max(1, _BLOCK // n)
    cols_per_block = min(n, _BLOCK)
    for r0 in range(0, n_rows, rows_per_block):
        for j, c0 in enumerate(range(0, n, cols_per_block)):
            yield slice(r0, r0 + rows_per_block), slice(c0, c0 + cols_per_block), j


class _Rows:
    """Row maxima and the compensated sums behind softmax, log-softmax and LSE.

    ``zr`` has shape (rows, n). After construction:
    ``m`` (rows, 1) is the row maximum (0 in rows whose maximum is infinite),
    ``others`` (rows, 1) is the sum of ``exp(z - m)`` over all entries but the argmax,
    ``L = log1p(others)``, and ``exps`` (if ``keep_exps``) holds ``exp(z - m)`` entry by entry.
    """

    def __init__(self, zr: np.ndarray, temperature: float = 1.0, keep_exps: bool = False):
        self.zr = zr
        n_rows, n = zr.shape
        self.argmax = np.argmax(zr, axis=1)[:, None]
        m_raw = np.take_along_axis(zr, self.argmax, axis=1)
        self.inf_rows = np.isinf(m_raw[:, 0])
        self.m = np.where(np.isinf(m_raw), 0, m_raw).astype(zr.dtype)
        self.m_raw = m_raw
        self.exps = np.empty_like(zr) if keep_exps else None
        n_col_blocks = -(-n // min(n, _BLOCK))
        partial = np.zeros((n_rows, n_col_blocks), dtype=zr.dtype)
        for rows, cols, j in _blocks(n_rows, n):
            e = self._exp_shifted(rows, cols, temperature)
            top = self._argmax_in_block(rows, cols)
            top_values = e[top]  # exactly 1 (NaN in a row holding NaN)
            e[top] = 0
            partial[rows, j] = e.sum(axis=1)
            if keep_exps:
                e[top] = top_values
                self.exps[rows, cols] = e
        self.others = partial.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore"):
            self.L = np.log1p(self.others)

    def shifted(self, rows: slice, cols: slice) -> tuple[np.ndarray, np.ndarray]:
        """``hi + lo == z - m`` on one block."""
        return _two_diff(self.zr[rows, cols], self.m[rows])

    def _exp_shifted(self, rows: slice, cols: slice, temperature: float) -> np.ndarray:
        hi, lo = self.shifted(rows, cols)
        if temperature != 1.0:
            with np.errstate(over="ignore"):
                hi /= temperature
                lo /= temperature
            if not np.isfinite(lo.sum()):
                lo[~np.isfinite(lo)] = 0
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(hi)
            correction = e * lo
            e += correction
        return e

    def _argmax_in_block(self, rows: slice, cols: slice) -> tuple[np.ndarray, np.ndarray]:
        local = self.argmax[rows, 0] - cols.start
        inside = (local >= 0) & (local < cols.stop - cols.start)
        return np.flatnonzero(inside), local[inside]

    def lse(self) -> np.ndarray:
        """Log-sum-exp per row, shape (rows, 1)."""
        out = self.m + self.L
        out[self.inf_rows] = self.m_raw[self.inf_rows]
        return out

    def infinite_row_limits(self, log: bool) -> tuple[np.ndarray, np.ndarray]:
        """Row indices with an infinite maximum and the (log-)softmax limits on them."""
        idx = np.flatnonzero(self.inf_rows)
        z = self.zr[idx]
        n_plus_inf = (z == np.inf).sum(axis=1, keepdims=True)
        top = np.where(n_plus_inf == 1, 1.0, np.nan)  # undefined with several +inf
        rest = np.where(n_plus_inf == 0, np.nan, 0.0)  # undefined in an all -inf row
        limits = np.where(z == np.inf, top, rest)
        if log:
            with np.errstate(divide="ignore"):
                limits = np.log(limits)
        return idx, limits.astype(z.dtype)


def logsumexp(z: ArrayLike, axis: int = -1, keepdims: bool = False) -> np.ndarray | np.floating:
    """Log-sum-exp :math:`\\log \\sum_j e^{z_j}` along ``axis``, without overflow.

    Computed as :math:`m + \\operatorname{log1p}(\\sum_{j \\ne j^*} e^{z_j - m})` with
    :math:`m = \\max_j z_j`, accurate to about 1 ulp. An all ``-inf`` slice gives ``-inf``;
    any ``+inf`` gives ``+inf``.

    Examples
    --------
    >>> float(logsumexp([1000.0, 1000.0]))  # 1000 + log 2, while exp(1000) overflows
    1000.6931471805599
    """
    z, axis = _logits(z, axis)
    rows = _Rows(_as_rows(z, axis))
    out = rows.lse().reshape(z.shape[:axis] + z.shape[axis + 1:])
    if keepdims:
        out = np.expand_dims(out, axis)
    return out[()] if out.ndim == 0 else out


def _check_temperature(temperature: object) -> float:
    temperature = check_positive(temperature, "temperature")
    if not np.isfinite(temperature):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    return temperature


def softmax(z: ArrayLike, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """Softmax :math:`e^{z_i / T} / \\sum_j e^{z_j / T}` along ``axis``.

    Max-shifted and compensated (see the module docstring): every output is within
    about 1 ulp, for any finite logits including +-1e308. Small temperatures ``T``
    sharpen the distribution towards the argmax, large ones flatten it.

    Examples
    --------
    >>> softmax([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax([1000.0, 0.0])  # the naive formula gives nan here
    array([1., 0.])
    """
    temperature = _check_temperature(temperature)
    z, axis = _logits(z, axis)
    rows = _Rows(_as_rows(z, axis), temperature, keep_exps=True)
    out = rows.exps
    with np.errstate(invalid="ignore"):
        out /= 1 + rows.others
    idx, limits = rows.infinite_row_limits(log=False)
    out[idx] = limits
    return _from_rows(out, z, axis)


def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """Log-softmax :math:`z_i - \\operatorname{LSE}(z)` along ``axis``.

    Computed as :math:`(z_i - m) - \\operatorname{log1p}(\\dots)` with the rounding error of
    :math:`z_i - m` added back, so it is finite wherever the exact value is (no
    ``log(0)``), and accurate to about 1 ulp.

    Examples
    --------
    >>> log_softmax([0.0, -800.0])  # log(softmax) would give -inf for the second entry
    array([   0., -800.])
    """
    z, axis = _logits(z, axis)
    zr = _as_rows(z, axis)
    rows = _Rows(zr)
    out = np.empty_like(zr)
    for r, c, _ in _blocks(*zr.shape):
        hi, lo = rows.shifted(r, c)
        with np.errstate(over="ignore", invalid="ignore"):
            out[r, c] = (hi - rows.L[r]) + lo
    idx, limits = rows.infinite_row_limits(log=True)
    out[idx] = limits
    return _from_rows(out, z, axis)


def softmax_jacobian(z: ArrayLike) -> np.ndarray:
    """Jacobian :math:`J_{ij} = \\partial s_i / \\partial z_j = s_i(\\delta_{ij} - s_j)` of softmax.

    That is ``diag(s) - s s^T`` for a 1-D vector of logits ``z``; each row and each column
    sums to 0 because the outputs always sum to 1.

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    z = as_float_array(z, "z")
    if z.ndim != 1:
        raise ValueError(f"z must be a 1-D vector of logits, got shape {z.shape}")
    s = softmax(z)
    return np.diag(s) - np.outer(s, s)


def naive_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """The textbook :math:`e^{z_i} / \\sum_j e^{z_j}`, for demonstrations only.

    ``exp`` overflows for z > 709.78 (float64), giving ``inf / inf = nan`` with
    RuntimeWarnings. Use :func:`softmax` for real work.

    Examples
    --------
    >>> naive_softmax([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    """
    z, axis = _logits(z, axis)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def naive_logsumexp(z: ArrayLike, axis: int = -1) -> np.ndarray | np.floating:
    """The textbook :math:`\\log \\sum_j e^{z_j}`, for demonstrations only.

    Overflows to ``inf`` (with a RuntimeWarning) as soon as one logit exceeds 709.78, and
    underflows to ``-inf`` when all are below -745.

    Examples
    --------
    >>> round(float(naive_logsumexp([1.0, 2.0])), 6)
    2.313262
    """
    z, axis = _logits(z, axis)
    return np.log(np.exp(z).sum(axis=axis))

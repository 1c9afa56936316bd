"""Softmax, log-softmax and log-sum-exp, computed without overflow and to the last digit.

For logits :math:`z \\in \\mathbb{R}^n` and :math:`m = \\max_j z_j`,

.. math::

    \\operatorname{softmax}(z)_i = \\frac{e^{z_i - m}}{\\sum_j e^{z_j - m}}, \\qquad
    \\operatorname{LSE}(z) = m + \\log\\Bigl(1 + \\sum_{j \\ne j^*} e^{z_j - m}\\Bigr), \\qquad
    \\log\\operatorname{softmax}(z)_i = z_i - \\operatorname{LSE}(z).

Shifting by the maximum keeps every exponent <= 0, so nothing overflows. Two refinements
bring the float64 results within a few ulps of the exact values: about 2 on the grid of
``benchmarks/numerics.py`` (against 50-digit mpmath: softmax 2, log-softmax 1.3,
log-sum-exp 2.4 ulps), at most 5 on random rows of 10 to 100,000 logits (softmax 4.8,
log-softmax 1.8 and log-sum-exp 1.5 times their conditioning, against longdouble):

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

Empty input is a ValueError (a softmax of no logits is no distribution).  Temperatures
above 1 divide ``z/2 - m/2`` by ``T/2``, so that logits of opposite sign near the
largest float do not overflow in ``z - m``.  dtypes follow :mod:`nbsupport._checks`.

``naive_softmax`` and ``naive_logsumexp`` are the textbook formulas, kept to show in the
notebooks how they overflow. Everything else never warns.

``shifted_softmax`` is the max-shifted formula without the two refinements and without
argument checks: the kernel of the output layer of :class:`nbsupport.mlp.MLP`, where a
batch of float32 logits is small, of moderate size, and already validated.  Being
unchecked, it is not exported at the top level of ``nbsupport``.
"""
from __future__ import annotations

import math
from typing import Iterator

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, check_axis, check_nonempty, check_positive

__all__ = ["softmax", "log_softmax", "logsumexp", "softmax_jacobian",
           "naive_softmax", "naive_logsumexp"]

_BLOCK = 1 << 17  # elements per block: few Python-level calls, temporaries still in the cache


def _logits(z: ArrayLike, axis: object) -> tuple[np.ndarray, int]:
    """Validated logits as a floating array with at least one dimension, and the axis."""
    z = as_float_array(z, "z")
    if z.ndim == 0:
        raise ValueError("z must have at least one dimension (a vector of logits), got a scalar")
    check_nonempty(z, "z")
    return z, check_axis(axis, z.ndim)


def _as_rows(z: np.ndarray, axis: int) -> np.ndarray:
    """A C-contiguous 2-D (rows, n) view or copy of ``z`` with the softmax axis last."""
    moved = z if axis == z.ndim - 1 else np.moveaxis(z, axis, -1)
    return np.ascontiguousarray(moved.reshape(-1, moved.shape[-1]))


def _from_rows(rows: np.ndarray, z: np.ndarray, axis: int) -> np.ndarray:
    """Undo :func:`_as_rows` for a result of the same size as ``z``."""
    if axis == z.ndim - 1:
        return rows.reshape(z.shape)
    moved_shape = np.moveaxis(z, axis, -1).shape
    return np.moveaxis(rows.reshape(moved_shape), -1, axis)


def _two_diff(a: np.ndarray, b: np.ndarray | float, hi: np.ndarray, lo: np.ndarray,
              tmp: np.ndarray) -> None:
    """Write ``hi = fl(a - b)`` and ``lo`` with ``hi + lo == a - b`` exactly (Knuth's TwoSum).

    ``lo`` is set to 0 where the difference is not finite.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        np.subtract(a, b, out=hi)
        np.subtract(hi, a, out=tmp)  # the part of hi that came from -b
        np.subtract(hi, tmp, out=lo)  # the part that came from a
        np.subtract(a, lo, out=lo)  # rounding error of a's part
        np.add(tmp, b, out=tmp)  # minus the rounding error of b's part
        np.subtract(lo, tmp, out=lo)
    _zero_nonfinite(lo)


def _zero_nonfinite(a: np.ndarray) -> None:
    with np.errstate(over="ignore", invalid="ignore"):
        total = a.sum()  # inf or nan if any entry is (or if finite entries overflow: harmless)
    if not np.isfinite(total):
        a[~np.isfinite(a)] = 0


_SPLITTER = 2.0 ** 27 + 1  # Veltkamp's constant for float64's 53-bit mantissa


def _split(t: float) -> tuple[float, float]:
    """Veltkamp split of a float64 scalar: ``t == high + low``, each with 26 bits or fewer."""
    mantissa, exponent = math.frexp(t)  # scaled to [0.5, 1): the split cannot overflow
    c = _SPLITTER * mantissa
    high = c - (c - mantissa)
    return math.ldexp(high, exponent), math.ldexp(mantissa - high, exponent)


def _divide_compensated(hi: np.ndarray, lo: np.ndarray, t: float, tmp: np.ndarray) -> None:
    """Replace ``hi + lo`` (hi <= 0) by ``(hi + lo) / t``, again as ``hi + lo``.

    ``q = fl(hi / t)`` loses up to half an ulp of q, which exp would turn into a relative
    error of ``|q|`` half-ulps; the exact remainder ``hi - q t`` (Dekker's product) gives it back.
    Below -800 exp underflows anyway, so the remainder is only formed above it.
    """
    dtype = hi.dtype
    if dtype.itemsize < 8:  # float32: divide in float64, whose rounding is negligible here
        with np.errstate(over="ignore", invalid="ignore"):
            exact = (hi.astype(np.float64) + lo) / t
            hi[...] = exact  # may round to -inf: exp gives 0 there
            lo[...] = exact - hi
        _zero_nonfinite(lo)
        return
    t_high, t_low = _split(t)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        q = hi / t
        qc = np.maximum(q, -800)
        np.multiply(qc, _SPLITTER, out=tmp)
        q_high = tmp - (tmp - qc)
        q_low = qc - q_high
        product = qc * t
        error = ((q_high * t_high - product) + q_high * t_low + q_low * t_high) + q_low * t_low
        np.subtract(hi, product, out=tmp)  # exact where q was not clamped
        tmp -= error
        tmp += lo
        np.divide(tmp, t, out=lo)
        hi[...] = q
    _zero_nonfinite(lo)


def _blocks(argmax: np.ndarray, n: int) -> Iterator[tuple[slice, slice, int, np.ndarray]]:
    """Cache-sized blocks of a C-contiguous (rows, n) array: whole rows, or pieces of one row.

    Yields ``(rows, cols, j, top)``: the block's slices, its column-block index ``j`` and
    the flat positions inside the block of the row maxima it holds.
    """
    n_rows = argmax.size
    if n <= _BLOCK:
        per_block = _BLOCK // n
        offsets = np.arange(min(per_block, n_rows)) * n
        for r0 in range(0, n_rows, per_block):
            top = argmax[r0:r0 + per_block]
            yield slice(r0, r0 + per_block), slice(0, n), 0, top + offsets[:top.size]
        return
    for r in range(n_rows):
        for j, c0 in enumerate(range(0, n, _BLOCK)):
            top = [argmax[r] - c0] if c0 <= argmax[r] < c0 + _BLOCK else []
            yield slice(r, r + 1), slice(c0, c0 + _BLOCK), j, np.array(top, dtype=np.intp)


def row_sums(e: np.ndarray) -> np.ndarray:
    """Sum of each row of a 2-D array, shape (rows,).

    A matrix-vector product for rows of up to 128 entries: ``sum(axis=1)`` is slow on a
    short inner axis.  Shared with the gradient kernel of :mod:`nbsupport.losses`.

    >>> row_sums(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([3., 7.])
    """
    if e.shape[1] > 128:
        return e.sum(axis=1)
    return e @ np.ones(e.shape[1], dtype=e.dtype)  # overflow warns as sum() would


class _Rows:
    """One pass over the rows of ``zr`` (shape (rows, n)) computing the compensated sums.

    After construction: ``m`` (rows, 1) is the row maximum (0 where it is infinite),
    ``others`` (rows, 1) the sum of ``exp((z - m) / T)`` over all entries but the argmax,
    ``L = log1p(others)``. If given, ``exps`` receives ``exp((z - m) / T)`` (divided by the
    row sum when ``normalize``) and ``los`` the rounding errors of ``z - m``.
    """

    def __init__(self, zr: np.ndarray, temperature: float = 1.0, exps: np.ndarray | None = None,
                 normalize: bool = False, los: np.ndarray | None = None):
        self.zr = zr
        n_rows, n = zr.shape
        self.argmax = np.argmax(zr, axis=1)
        self.m_raw = zr[np.arange(n_rows), self.argmax][:, None]
        self.inf_rows = np.isinf(self.m_raw[:, 0])
        self.m = np.where(np.isinf(self.m_raw), 0, self.m_raw) if self.inf_rows.any() else self.m_raw
        self._scratch = np.empty((4, min(zr.size, _BLOCK)), dtype=zr.dtype)  # every block fits
        partial = np.zeros((n_rows, -(-n // _BLOCK)), dtype=zr.dtype)
        # Above T = 1, (z - m) / T = (z/2 - m/2) / (T/2): halving is exact (and changes no
        # result), and z/2 - m/2 cannot overflow where z - m would (z = -max, m = max).
        halve = temperature > 1
        for rows, cols, j, top in self.blocks():
            hi, lo, e, tmp = self.scratch(rows, cols)
            lo = lo if los is None else los[rows, cols]
            e = e if exps is None else exps[rows, cols]
            self.shifted(rows, cols, hi, lo, tmp, halve)
            if temperature != 1.0:
                _divide_compensated(hi, lo, temperature / 2 if halve else temperature, tmp)
            with np.errstate(over="ignore", invalid="ignore"):
                np.exp(hi, out=e)
                np.multiply(e, lo, out=tmp)  # exp(hi + lo) = exp(hi) (1 + lo)
                e += tmp
            flat = e.reshape(-1)
            top_values = flat[top]  # exactly 1 (NaN in a row holding NaN)
            flat[top] = 0
            with np.errstate(over="ignore", invalid="ignore"):  # inf or NaN rows: handled later
                partial[rows, j] = row_sums(e)
            flat[top] = top_values
            if normalize and partial.shape[1] == 1:  # whole rows: normalise while in cache
                e /= 1 + partial[rows]
        self.others = partial.sum(axis=1, keepdims=True)
        if normalize and partial.shape[1] > 1:
            exps /= 1 + self.others
        with np.errstate(invalid="ignore"):
            self.L = np.log1p(self.others)

    def blocks(self) -> Iterator[tuple[slice, slice, int, np.ndarray]]:
        return _blocks(self.argmax, self.zr.shape[1])

    def scratch(self, rows: slice, cols: slice) -> list[np.ndarray]:
        """Four scratch arrays shaped like the block."""
        shape = self.zr[rows, cols].shape
        return [buf[:shape[0] * shape[1]].reshape(shape) for buf in self._scratch]

    def shifted(self, rows: slice, cols: slice, hi: np.ndarray, lo: np.ndarray, tmp: np.ndarray,
                halve: bool = False) -> None:
        """``hi + lo == z - m`` on one block (``(z - m) / 2`` if ``halve``)."""
        if halve:
            _two_diff(self.zr[rows, cols] * 0.5, self.m[rows] * 0.5, hi, lo, tmp)
        else:
            _two_diff(self.zr[rows, cols], self.m[rows], hi, lo, tmp)

    def lse(self) -> np.ndarray:
        """Log-sum-exp per row, shape (rows, 1)."""
        out = self.m + self.L
        if self.inf_rows.any():
            out[self.inf_rows] = self.m_raw[self.inf_rows]
        return out

    def fill_infinite_rows(self, out: np.ndarray, log: bool) -> None:
        """Write the (log-)softmax limits into the rows of ``out`` whose maximum is infinite."""
        if not self.inf_rows.any():
            return
        idx = np.flatnonzero(self.inf_rows)
        z = self.zr[idx]
        n_plus_inf = (z == np.inf).sum(axis=1, keepdims=True)
        top = np.where(n_plus_inf == 1, 1.0, np.nan)  # undefined with several +inf
        rest = np.where(n_plus_inf == 0, np.nan, 0.0)  # undefined in an all -inf row
        limits = np.where(z == np.inf, top, rest)
        if log:
            with np.errstate(divide="ignore"):
                limits = np.log(limits)
        out[idx] = limits


def logsumexp(z: ArrayLike, axis: int = -1, keepdims: bool = False) -> np.ndarray | np.floating:
    """Log-sum-exp :math:`\\log \\sum_j e^{z_j}` along ``axis``, without overflow.

    Computed as :math:`m + \\operatorname{log1p}(\\sum_{j \\ne j^*} e^{z_j - m})` with
    :math:`m = \\max_j z_j`, within about 2 ulps (more only where ``m`` and the log1p term
    nearly cancel, as the conditioning dictates). An all ``-inf`` slice gives ``-inf``;
    any ``+inf`` gives ``+inf``.

    Examples
    --------
    >>> float(logsumexp([1000.0, 1000.0]))  # 1000 + log 2, while exp(1000) overflows
    1000.6931471805599
    """
    if not isinstance(keepdims, (bool, np.bool_)):
        raise TypeError(f"keepdims must be True or False, got {type(keepdims).__name__}")
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
    about 2 ulps, for any finite logits including +-1e308, at any temperature. Small temperatures ``T``
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
    zr = _as_rows(z, axis)
    out = np.empty_like(zr)
    rows = _Rows(zr, temperature, exps=out, normalize=True)
    rows.fill_infinite_rows(out, log=False)
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
    out = np.empty_like(zr)
    rows = _Rows(zr, los=out)  # out holds the rounding errors of z - m for now
    for r, c, _, _ in rows.blocks():
        hi = rows.scratch(r, c)[0]
        with np.errstate(over="ignore", invalid="ignore"):
            np.subtract(zr[r, c], rows.m[r], out=hi)
            hi -= rows.L[r]
            block = out[r, c]
            block += hi
    rows.fill_infinite_rows(out, log=True)
    return _from_rows(out, z, axis)


def softmax_jacobian(z: ArrayLike) -> np.ndarray:
    """Jacobian :math:`J_{ij} = \\partial s_i / \\partial z_j = s_i(\\delta_{ij} - s_j)` of softmax.

    That is ``diag(s) - s s^T`` for a 1-D vector of logits ``z``; each row and each column
    sums to 0 because the outputs always sum to 1.  The diagonal
    :math:`s_i(1 - s_i)` is computed as :math:`s_i \\sum_{j \\ne i} s_j`: when one class
    dominates, ``1 - s_i`` would cancel (and ``s_i - s_i^2`` lose every digit), while the
    sum of the other probabilities keeps them, and the rows still sum to 0.

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
    jacobian = -np.outer(s, s)
    off_diagonal = ~np.eye(s.size, dtype=bool)
    others = np.where(off_diagonal, s, 0).sum(axis=1)  # 1 - s_i without cancellation
    np.fill_diagonal(jacobian, s * others)
    return jacobian


def shifted_softmax(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Softmax and log-softmax of the rows of a 2-D float array: the plain max-shifted formula.

    With :math:`s = z - \\max_j z_j` per row, :math:`p = e^{s} / \\sum_j e^{s_j}` and
    :math:`\\log p = s - \\log \\sum_j e^{s_j}`, in ``z``'s dtype.  No argument checks and
    no compensation (see :func:`softmax` for both): the kernel of a network's output
    layer, for validated, finite logits.

    Examples
    --------
    >>> p, log_p = shifted_softmax(np.array([[0.0, 0.0]]))
    >>> p, log_p.round(4)
    (array([[0.5, 0.5]]), array([[-0.6931, -0.6931]]))
    """
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    e /= total
    return e, shifted - np.log(total)


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

"""Weight initializers: random (fan_in, fan_out) matrices with a chosen spread.

A dense layer computes ``out = x @ W`` with ``W`` of shape (fan_in, fan_out).  If the
inputs are independent with mean 0 and the weights are independent with mean 0, then

.. math:: \\operatorname{Var}(\\text{out}_j) = n_\\text{in} \\operatorname{Var}(w) \\operatorname{Var}(x).

Keeping the variance of the signal constant from layer to layer therefore asks for
``Var(w) = 1 / n_in`` (LeCun), a compromise with the backward pass
``Var(w) = 2 / (n_in + n_out)`` (Xavier/Glorot), or ``Var(w) = 2 / n_in`` for ReLU,
which zeroes half of its inputs (He/Kaiming).  Note the square root: He's standard
deviation is ``sqrt(2 / n_in)`` (0.141 for 100 inputs), not ``sqrt(n_in / 2)`` (7.07).

A uniform distribution on [-a, a] has variance a^2 / 3, so the uniform variants use
the limit ``a = sqrt(3) * std``.

Every function returns float64 unless ``dtype`` says otherwise, and takes ``rng`` as an
int seed, a ``numpy.random.Generator`` or None (fresh entropy).

>>> import numpy as np
>>> he_normal(100, 50, rng=0).shape
(100, 50)
>>> round(float(he_normal(1000, 1000, rng=0).std()), 3)  # sqrt(2/1000) = 0.0447
0.045
"""
from __future__ import annotations

import math

import numpy as np
from numpy.typing import DTypeLike

from ._checks import as_rng, check_nonnegative, check_positive_int

_HALF_MAX = float(np.finfo(np.float64).max) / 2

__all__ = ["normal", "uniform", "xavier_normal", "xavier_uniform", "he_normal",
           "he_uniform", "lecun_normal", "INITIALIZERS"]


def _check_fans(fan_in: object, fan_out: object) -> tuple[int, int]:
    return check_positive_int(fan_in, "fan_in"), check_positive_int(fan_out, "fan_out")


def _check_dtype(dtype: DTypeLike) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be a floating dtype such as np.float32, got {dtype!r}") from None
    if dt.kind != "f":
        raise TypeError(f"dtype must be a floating dtype such as np.float32, got {dt}")
    return dt


def _check_std(std: object, name: str = "std") -> float:
    return check_nonnegative(std, name)  # a finite number >= 0


def normal(fan_in: int, fan_out: int, std: float, rng=None,
           dtype: DTypeLike = np.float64) -> np.ndarray:
    """Weights drawn from N(0, std^2), shape (fan_in, fan_out).

    Examples
    --------
    >>> normal(2, 3, std=0.01, rng=0).shape
    (2, 3)
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    std = _check_std(std)
    dt = _check_dtype(dtype)
    generator = as_rng(rng)
    return _cast(generator.standard_normal((fan_in, fan_out)) * std, dt, "std")


def uniform(fan_in: int, fan_out: int, limit: float, rng=None,
            dtype: DTypeLike = np.float64) -> np.ndarray:
    """Weights drawn uniformly from [-limit, limit] (std = limit / sqrt(3)).

    Examples
    --------
    >>> bool(np.all(np.abs(uniform(10, 10, limit=0.5, rng=0)) <= 0.5))
    True
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    limit = _check_std(limit, "limit")
    dt = _check_dtype(dtype)
    generator = as_rng(rng)
    if limit > _HALF_MAX:  # the width 2 limit would overflow: scale a draw from [-1, 1) instead
        return _cast(limit * generator.uniform(-1.0, 1.0, size=(fan_in, fan_out)), dt, "limit")
    return _cast(generator.uniform(-limit, limit, size=(fan_in, fan_out)), dt, "limit")


def _cast(w: np.ndarray, dt: np.dtype, name: str) -> np.ndarray:
    """float64 weights in ``dt``; a weight beyond ``dt``'s range is a ValueError naming ``name``."""
    if dt.itemsize < 8 and np.abs(w).max() > np.finfo(dt).max:
        raise ValueError(f"{name} is too large for {dt.name} weights: a draw exceeds its "
                         f"largest value {np.finfo(dt).max}")
    return w.astype(dt, copy=False)


def xavier_normal(fan_in: int, fan_out: int, rng=None, dtype: DTypeLike = np.float64) -> np.ndarray:
    """Xavier/Glorot normal: std = sqrt(2 / (fan_in + fan_out)).

    Balances the forward (n_in) and backward (n_out) variance conditions; meant for
    sigmoid and tanh.

    >>> xavier_normal(100, 100, rng=0).shape
    (100, 100)
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return normal(fan_in, fan_out, math.sqrt(2.0 / (fan_in + fan_out)), rng, dtype)


def xavier_uniform(fan_in: int, fan_out: int, rng=None, dtype: DTypeLike = np.float64) -> np.ndarray:
    """Xavier/Glorot uniform: U[-a, a] with a = sqrt(6 / (fan_in + fan_out)).

    Same variance as :func:`xavier_normal`: a^2 / 3 = 2 / (fan_in + fan_out).

    >>> float(np.abs(xavier_uniform(3, 3, rng=0)).max()) <= 1.0
    True
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return uniform(fan_in, fan_out, math.sqrt(6.0 / (fan_in + fan_out)), rng, dtype)


def he_normal(fan_in: int, fan_out: int, rng=None, dtype: DTypeLike = np.float64) -> np.ndarray:
    """He/Kaiming normal: std = sqrt(2 / fan_in) (not sqrt(fan_in / 2)); meant for ReLU.

    >>> he_normal(8, 4, rng=0).dtype
    dtype('float64')
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return normal(fan_in, fan_out, math.sqrt(2.0 / fan_in), rng, dtype)


def he_uniform(fan_in: int, fan_out: int, rng=None, dtype: DTypeLike = np.float64) -> np.ndarray:
    """He/Kaiming uniform: U[-a, a] with a = sqrt(6 / fan_in), variance 2 / fan_in.

    >>> float(np.abs(he_uniform(6, 4, rng=0)).max()) <= 1.0
    True
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return uniform(fan_in, fan_out, math.sqrt(6.0 / fan_in), rng, dtype)


def lecun_normal(fan_in: int, fan_out: int, rng=None, dtype: DTypeLike = np.float64) -> np.ndarray:
    """LeCun normal: std = sqrt(1 / fan_in) (some texts call this 'Xavier'); meant for SELU.

    >>> lecun_normal(4, 2, rng=0).shape
    (4, 2)
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return normal(fan_in, fan_out, math.sqrt(1.0 / fan_in), rng, dtype)


#: The named initializers that take ``(fan_in, fan_out, rng=None, dtype=...)``.
INITIALIZERS = {
    "xavier_normal": xavier_normal,
    "xavier_uniform": xavier_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "lecun_normal": lecun_normal,
}


def init_std(scheme: str, fan_in: int, fan_out: int) -> float:
    """The standard deviation the initializer ``scheme`` gives a (fan_in, fan_out) matrix.

    xavier_normal, xavier_uniform: sqrt(2 / (fan_in + fan_out)); he_normal, he_uniform:
    sqrt(2 / fan_in); lecun_normal: sqrt(1 / fan_in) (a uniform U[-a, a] has std a / sqrt(3)).

    >>> round(init_std("he_normal", 100, 100), 4), round(init_std("xavier_uniform", 784, 200), 4)
    (0.1414, 0.0451)
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    variances = {"xavier_normal": 2.0 / (fan_in + fan_out), "xavier_uniform": 2.0 / (fan_in + fan_out),
                 "he_normal": 2.0 / fan_in, "he_uniform": 2.0 / fan_in, "lecun_normal": 1.0 / fan_in}
    if scheme not in variances:
        raise ValueError(f"scheme must be one of {list(variances)}, got {scheme!r}")
    return math.sqrt(variances[scheme])


__all__ += ["init_std"]

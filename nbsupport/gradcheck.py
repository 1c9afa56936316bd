"""Numerical gradients by central differences, to check analytic derivatives.

The derivative of a scalar function f at x along coordinate i is approximated by

.. math:: \\frac{\\partial f}{\\partial x_i} \\approx \\frac{f(x + \\varepsilon e_i) - f(x - \\varepsilon e_i)}{2\\varepsilon},

whose error is O(eps^2) from truncation plus O(u / eps) from rounding (u = 2^-53),
so eps = 1e-6 gives about 1e-10 relative accuracy for well-scaled functions.

NaN propagates: an ``f`` that returns NaN gives NaN in the gradient, and NaN or +-inf
in either argument of :func:`gradient_relative_error` gives NaN (never a small error).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, check_callable, check_positive

__all__ = ["numerical_grad", "gradient_relative_error", "check_gradient"]


def numerical_grad(f: Callable[[np.ndarray], float], x: ArrayLike, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function of an array.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a scalar (or an array holding one
        number); anything else is a TypeError naming ``f``.
    x : array_like
        Where to differentiate. It is copied to a C-ordered float64 array (any memory
        layout or byte order works) and never modified; ``f`` sees that copy, of
        ``x``'s shape, read-only (an ``f`` that writes into its argument is an error).
    eps : float
        Step size, > 0.  At every finite coordinate x + eps and x - eps must lie 2 eps
        apart to 1 %: an eps below the spacing of floats near x (1e-6 at |x| > 7e7) or
        beyond the float range gives a different step, and a wrong quotient, so it is a
        ValueError naming eps (take eps near 1e-6 |x| for large x).

    Returns
    -------
    ndarray of float64, shaped like ``x``.

    Examples
    --------
    >>> numerical_grad(lambda v: float(np.sum(v ** 2)), [1.0, -2.0]).round(6)
    array([ 2., -4.])
    """
    check_callable(f, "f")
    eps = check_positive(eps, "eps")
    x = _private_copy(x)
    _check_step(x, eps)
    seen = x.view()  # f sees the nudged copy read-only: writing into it would corrupt the steps
    seen.flags.writeable = False
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)  # views of the C-ordered copies
    with np.errstate(over="ignore", invalid="ignore"):  # a difference quotient may overflow
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            f_plus = _value(f(seen))
            flat[i] = old - eps
            f_minus = _value(f(seen))
            flat[i] = old
            quotient = (f_plus - f_minus) / (2 * eps)
            if not np.isfinite(quotient) and np.isfinite(f_plus) and np.isfinite(f_minus):
                quotient = (f_plus * 0.5 - f_minus * 0.5) / eps  # f+ - f- or 2 eps overflowed
            gflat[i] = quotient
    return grad


def _check_step(x: np.ndarray, eps: float) -> None:
    """x + eps and x - eps must be 2 eps apart (to 1 %) at every finite coordinate of x."""
    with np.errstate(over="ignore", invalid="ignore"):
        up, down = (x + eps) - x, x - (x - eps)  # each exactly eps when nothing is rounded away
        bad = np.isfinite(x) & ~((np.abs(up - eps) <= 0.01 * eps) & (np.abs(down - eps) <= 0.01 * eps))
    if bad.any():
        i = int(np.flatnonzero(bad.reshape(-1))[0])
        raise ValueError(f"eps={eps!r} does not fit x = {x.reshape(-1)[i]!r} (coordinate {i}): x + eps and "
                         f"x - eps lie {float(up.reshape(-1)[i])!r} and {float(down.reshape(-1)[i])!r} from x, "
                         "not eps (take eps near 1e-6 * |x|, within the float range)")


def _value(result: object) -> np.float64:
    """f's result as one float64: a real number or an array holding exactly one."""
    value = np.asarray(result)
    if value.size != 1 or value.dtype.kind not in "biuf":
        raise TypeError(f"f must return one real number, got {type(result).__name__} "
                        f"of shape {value.shape} and dtype {value.dtype}")
    return np.float64(value.reshape(()))


def gradient_relative_error(analytic: ArrayLike, numerical: ArrayLike) -> float:
    """Largest relative difference max |a - n| / max(|a| + |n|, 1e-12) over all elements.

    Below about 1e-7 the two agree to the accuracy of central differences.

    Examples
    --------
    >>> gradient_relative_error([1.0, 2.0], [1.0, 2.0 + 1e-9]) < 1e-9
    True
    """
    a = as_float_array(analytic, "analytic").astype(np.float64)
    n = as_float_array(numerical, "numerical").astype(np.float64)
    if a.shape != n.shape:
        raise ValueError(f"analytic and numerical must have the same shape, got {a.shape} and {n.shape}")
    if a.size == 0:
        return 0.0
    a, n = a * 0.5, n * 0.5  # exact scaling (the ratio is unchanged): |a - n| cannot overflow
    with np.errstate(invalid="ignore"):  # inf / inf: an infinite gradient is NaN, never small
        return float(np.max(np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 0.5e-12)))


def check_gradient(f: Callable[[np.ndarray], float], grad: Callable[[np.ndarray], ArrayLike],
                   x: ArrayLike, eps: float = 1e-6) -> float:
    """Relative error between ``grad(x)`` and the numerical gradient of ``f`` at ``x``.

    Examples
    --------
    >>> err = check_gradient(lambda v: float(np.sum(np.sin(v))), np.cos, np.linspace(-1, 1, 5))
    >>> err < 1e-8
    True
    """
    check_callable(grad, "grad")
    x = _private_copy(x)
    return gradient_relative_error(grad(x.copy()), numerical_grad(f, x, eps))


def _private_copy(x: ArrayLike) -> np.ndarray:
    """A C-ordered float64 copy: its ``reshape(-1)`` is a view, so nudging it nudges ``x``."""
    return np.array(as_float_array(x, "x"), dtype=np.float64, order="C")

"""Argument checks shared by every numeric module (private).

Each check names the argument it looked at and what was expected, so that a student
who passes the wrong thing reads a sentence, not a NumPy traceback.
"""
from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike


def as_float_array(x: ArrayLike, name: str) -> np.ndarray:
    """Return ``x`` as a floating array: float32/float64 kept, integers and bools -> float64.

    Raises
    ------
    TypeError
        If ``x`` is not numeric (strings, objects, complex numbers, None).
    """
    if x is None:
        raise TypeError(f"{name} must be a number or an array of numbers, got None")
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:  # ragged lists
        raise TypeError(f"{name} must be a rectangular array of numbers ({err})") from None
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind == "f":
        if arr.dtype.itemsize < 4:  # float16 -> float32: the formulas need the range
            return arr.astype(np.float32)
        if arr.dtype.itemsize > 8:  # longdouble -> float64: NumPy's special functions stop there
            return arr.astype(np.float64)
        return arr
    kind = "complex numbers" if arr.dtype.kind == "c" else f"dtype {arr.dtype}"
    raise TypeError(f"{name} must contain real numbers, got {kind}")


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """The floating dtype of a result computed from ``arrays`` (float32 only if all are)."""
    return np.result_type(*arrays, np.float32)


def check_nonempty(arr: np.ndarray, name: str) -> None:
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got an array of shape {arr.shape}")


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, "
                         f"got {a.shape} and {b.shape}")


def check_no_nan(arr: np.ndarray, name: str) -> None:
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain NaN")


def check_finite(arr: np.ndarray, name: str) -> None:
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (no NaN or inf)")


def check_in_unit_interval(arr: np.ndarray, name: str) -> None:
    """Values must lie in [0, 1] (probabilities, binary targets)."""
    check_no_nan(arr, name)
    if (arr < 0).any() or (arr > 1).any():
        raise ValueError(f"{name} must lie in [0, 1], got values from "
                         f"{arr.min():.6g} to {arr.max():.6g}")


def check_distributions(arr: np.ndarray, name: str, rtol: float = 1e-6) -> None:
    """Rows along the last axis must be probability distributions (>= 0, sum to 1)."""
    check_in_unit_interval(arr, name)
    sums = arr.sum(axis=-1)
    tol = rtol * max(1, arr.shape[-1]) if arr.dtype == np.float64 else 1e-4 * max(1, arr.shape[-1])
    if not np.all(np.abs(sums - 1) <= tol):
        worst = sums.flat[np.argmax(np.abs(sums - 1))]
        raise ValueError(f"each row of {name} must sum to 1 along the last axis, "
                         f"found a row summing to {worst:.6g}")


def check_scalar(value: object, name: str) -> float:
    """A real number (not bool, not an array); returns it as float."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if np.isnan(value):
        raise ValueError(f"{name} must not be NaN")
    return value


def check_positive(value: object, name: str) -> float:
    value = check_scalar(value, name)
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return value


def check_nonnegative(value: object, name: str) -> float:
    value = check_scalar(value, name)
    if not value >= 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return value


def check_positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def check_axis(axis: object, ndim: int, name: str = "axis") -> int:
    if isinstance(axis, bool) or not isinstance(axis, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={axis} is out of range for an array with {ndim} dimension(s)")
    return int(axis) % ndim


def as_rng(rng: object, name: str = "rng") -> np.random.Generator:
    """An int seed, a Generator, or None (fresh entropy) -> a Generator."""
    if rng is None or isinstance(rng, (numbers.Integral, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise TypeError(f"{name} must be an int seed, a numpy.random.Generator or None, "
                    f"got {type(rng).__name__}")


def scalar_or_array(arr: np.ndarray, like: object) -> np.ndarray | np.floating:
    """Return a NumPy scalar when the input was a scalar, the array otherwise."""
    if np.ndim(like) == 0 and arr.ndim == 0:
        return arr[()]
    return arr

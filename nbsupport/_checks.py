"""Argument checks shared by every numeric module, and the one validate -> compute -> unwrap step.

Each check names the argument it looked at and what was expected, so that a student
who passes the wrong thing reads a sentence, not a NumPy traceback.

The contract every public numeric function follows (tested in ``tests/test_checks.py``
and ``tests/test_contract.py``):

* dtypes: float32 stays float32, float64 stays float64, integers and bools become
  float64 (also Python ints beyond int64 and Fractions, rounded to the nearest float64,
  +-inf beyond its range); float16 is computed (and returned) as float32 and longdouble
  as float64, the widest precision NumPy's special functions support (longdouble
  values beyond float64's range round to +-inf, without a warning).  Non-native byte order (``'>f8'``)
  is converted to native order first, so it takes exactly the path of ``'<f8'``.  Mixed
  float32/float64 arguments give float64 (NumPy's promotion).
* scalar parameters (``alpha``, ``delta``, ``temperature``, ``eps``, ...) must be finite
  real numbers; NaN or +-inf is a ValueError naming the parameter.  Those that multiply
  the input (``alpha``, ``lower``, ``upper``, ``delta``) must also be representable in
  its dtype: beyond float32's range, or nonzero but rounding to 0 in float32 (below
  1.4e-45), they are a ValueError for float32 input (:func:`check_representable`).
* containers: lists, tuples, scalars, 0-d arrays and buffers (``memoryview``) are read
  as arrays; ndarray subclasses (``np.matrix``) as plain arrays, so that their operators
  (``*`` as a matrix product) never enter a formula; masked arrays are a TypeError (the
  mask would be ignored), generators and other objects too.  Inputs are never modified
  (but the parameters an optimizer's ``step`` updates, by design), and the array results
  of the elementwise functions, normalizers and losses are new arrays, never views of them.
* statistics (means, standard deviations, norms) of finite values are finite: sums and
  squares that leave the float range are redone on values scaled by a power of two
  (:func:`scale_safe`).
* probability rows sum to 1 within :data:`PROBABILITY_SUM_ULPS` ulps of 1 in the
  input's own precision, whatever their length (the sum is accumulated in float64, so
  summation adds no error that grows with the number of classes).
"""
from __future__ import annotations

import math
import numbers
from functools import lru_cache
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

#: Probability rows may miss 1 by this many ulps of 1 in their dtype (float16 rows are
#: judged at float16's ulp, float32 at float32's, ...): 64 ulps covers rounding every
#: entry of a correctly computed row, and no more.
PROBABILITY_SUM_ULPS = 64

#: Elements per block of :func:`blockwise`: 128 KiB of float64, cache-sized.
BLOCK = 1 << 14


def as_float_array(x: ArrayLike, name: str) -> np.ndarray:
    """Return ``x`` as a floating array: float32/float64 kept, integers and bools -> float64.

    Raises
    ------
    TypeError
        If ``x`` is not numeric (strings, objects, complex numbers, None) or is a masked
        array (whose mask NumPy would silently drop).
    """
    if x is None:
        raise TypeError(f"{name} must be a number or an array of numbers, got None")
    if isinstance(x, np.ma.MaskedArray):  # np.asarray would drop the mask: masked values computed
        raise TypeError(f"{name} must not be a masked array (its mask would be ignored); "
                        f"pass {name}.filled(value) or {name}.compressed()")
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:  # ragged lists
        raise TypeError(f"{name} must be a rectangular array of numbers ({err})") from None
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind == "f":
        if not arr.dtype.isnative:  # '>f8' -> '<f8' (on little-endian machines)
            arr = arr.astype(arr.dtype.newbyteorder("="))
        if arr.dtype.itemsize < 4:  # float16 -> float32: the formulas need the range
            return arr.astype(np.float32)
        if arr.dtype.itemsize > 8:  # longdouble -> float64: NumPy's special functions stop there
            with np.errstate(over="ignore"):  # beyond float64's range: +-inf, IEEE's rounding
                return arr.astype(np.float64)
        return arr
    if arr.dtype.kind == "O" and not isinstance(x, np.ndarray):
        return _python_integers(arr, x, name)
    kind = "complex numbers" if arr.dtype.kind == "c" else f"dtype {arr.dtype}"
    raise TypeError(f"{name} must contain real numbers, got {kind}")


_INF_INT = (1 << 1024) - (1 << 970)


def _python_integers(arr: np.ndarray, x: object, name: str) -> np.ndarray:
    """Objects that are real numbers (Python ints beyond int64, Fractions) as float64.

    ``float(int)`` rounds to the nearest float64; beyond its range the value becomes
    +-inf, as a longdouble would.  Anything else held as an object is a TypeError.
    """
    items = arr.ravel().tolist()
    if not items or not all(isinstance(v, (numbers.Real, np.floating)) for v in items):
        what = type(x).__name__ if arr.ndim == 0 else "objects that are not all real numbers"
        raise TypeError(f"{name} must be a number or an array of numbers, got {what}")
    with np.errstate(over="ignore"):  # a longdouble beyond float64: +-inf
        values = [_to_float(v) for v in items]
    return np.array(values, dtype=np.float64).reshape(arr.shape)


def _to_float(v: numbers.Real) -> float:
    """``float(v)``, rounded once; +-inf beyond float64's range (where float() raises)."""
    if isinstance(v, numbers.Integral):  # from 2^1024 - 2^970 on, an int rounds to inf
        v = int(v)
        return float(v) if abs(v) < _INF_INT else math.inf if v > 0 else -math.inf
    try:
        return float(v)
    except OverflowError:  # a Fraction beyond the range
        return math.inf if v > 0 else -math.inf


def holds_integers(x: object) -> bool:
    """True when ``x`` holds integers or bools (also Python ints beyond int64, kept as objects).

    Integer targets of a loss take the dtype of its predictions.
    """
    raw = np.asarray(x)
    if raw.dtype.kind == "O":
        return all(isinstance(v, numbers.Integral) for v in raw.ravel().tolist())
    return raw.dtype.kind in "biu"


def input_eps(x: object, arr: np.ndarray) -> float:
    """Machine epsilon of the coarser of ``x``'s own precision and ``arr``'s (its converted form).

    float16 input converted to float32 keeps float16's epsilon; integers take ``arr``'s.
    """
    dtype = x.dtype if isinstance(x, (np.ndarray, np.generic)) else np.asarray(x).dtype
    eps = np.finfo(arr.dtype).eps
    return float(max(eps, np.finfo(dtype).eps) if dtype.kind == "f" else eps)


def blockwise(kernel: Callable[..., np.ndarray], x: np.ndarray, *more: np.ndarray) -> np.ndarray:
    """``kernel(x, *more)`` for an elementwise kernel, evaluated :data:`BLOCK` elements at a time.

    A formula of k NumPy steps over a large array makes k trips through main memory and
    k fresh temporaries (each one page-faulted in); over cache-sized blocks the
    temporaries stay in the CPU cache.  The results are the same, 2-5x sooner on
    10 million elements.  Arrays in ``more`` have the shape of ``x`` (a loss's targets).
    Any memory layout works (non-contiguous arrays are flattened in C order).
    """
    if x.size <= BLOCK:
        return np.asarray(kernel(x, *more))
    flats = [a.reshape(-1) for a in (x, *more)]
    first = kernel(*(a[:BLOCK] for a in flats))
    out = np.empty(flats[0].shape, dtype=first.dtype)
    out[:BLOCK] = first
    for start in range(BLOCK, flats[0].size, BLOCK):
        out[start:start + BLOCK] = kernel(*(a[start:start + BLOCK] for a in flats))
    return out.reshape(x.shape)


def power_of_two_scale(*arrays: np.ndarray) -> float:
    """The power of two s with max|a| / s in [1, 2) over all ``arrays`` (1.0 if all are 0).

    Dividing by s is exact (but for values that turn subnormal) and brings every value
    into [-2, 2], where squares and sums neither overflow nor underflow.
    """
    top = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
    if top == 0 or not math.isfinite(top):
        return 1.0
    return math.ldexp(1.0, math.frexp(top)[1] - 1)


@lru_cache(maxsize=None)
def sqrt_tiny(dtype: np.dtype) -> float:
    """The square root of ``dtype``'s smallest normal number: below it, squares lose digits."""
    return math.sqrt(float(np.finfo(dtype).tiny))


def scale_safe(stat: Callable[..., tuple[float, ...]], *arrays: np.ndarray) -> tuple[float, ...]:
    """``stat(*arrays)`` for statistics of degree 1: ``stat(a / s) == stat(a) / s``.

    Means, standard deviations and norms of finite values are finite, but their sums and
    squares may overflow on the way (the mean of two values of 1e308), and squares of
    values below the square root of the smallest normal number lose their digits (the
    norm of float32 values of 1e-30 came out 0).  Where a result is not finite, or
    below that square root, while every value is finite, the statistics are computed
    again on the values divided by :func:`power_of_two_scale` and scaled back.
    Non-finite values give what IEEE arithmetic gives (NaN propagates), without a warning.

    >>> scale_safe(lambda a: (float(a.mean()),), np.array([1e308, 1e308]))
    (1e+308,)
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        out = stat(*arrays)
        small = sqrt_tiny(arrays[0].dtype) if len(arrays) == 1 else max(sqrt_tiny(a.dtype) for a in arrays)
        if all(small <= abs(v) < math.inf for v in out):  # False for NaN
            return out
        if not all(np.isfinite(a).all() for a in arrays):
            return out
        scale = power_of_two_scale(*arrays)
        if scale == 1.0:
            return out
        return tuple(v * scale for v in stat(*(a / scale for a in arrays)))


def elementwise(kernel: Callable[..., np.ndarray], x: ArrayLike, name: str = "x",
                blocks: bool = True, **params: object) -> np.ndarray | np.floating:
    """Validate ``x``, apply ``kernel(x, **params)`` (in blocks), unwrap a scalar result.

    The one wrapper of every elementwise public function: ``x`` becomes a float array
    (:func:`as_float_array`, named ``name`` in errors), the kernel runs on it (through
    :func:`blockwise` unless ``blocks=False``, for one-step kernels), and a scalar input
    gives a NumPy scalar back.  ``params`` must already be validated; scalar ones must
    also fit ``x``'s dtype (:func:`check_representable`).

    >>> float(elementwise(lambda v: v * v, 3))
    9.0
    """
    arr = as_float_array(x, name)
    if params:
        for key, value in params.items():
            check_representable(value, arr.dtype, key, name)
        out = blockwise(lambda v: kernel(v, **params), arr) if blocks else kernel(arr, **params)
    else:
        out = blockwise(kernel, arr) if blocks else kernel(arr)
    return scalar_or_array(np.asarray(out), x)


def check_representable(value: object, dtype: np.dtype, name: str, like: str = "x") -> None:
    """A scalar parameter must fit the dtype the formula runs in (float32 for float32 x).

    Beyond its range NumPy would round the parameter to inf inside the formula
    (inf * 0 = NaN); below its smallest subnormal a nonzero parameter would round to 0
    (0 * inf = NaN, and a positive ``delta`` would become the invalid 0).  Both are a
    ValueError naming the parameter.  Arrays (per-unit parameters) are checked by their
    own validators.
    """
    if np.ndim(value) != 0:
        return
    value, kind = float(value), np.dtype(dtype).name
    if abs(value) > float(np.finfo(dtype).max):
        raise ValueError(f"{name}={value!r} is beyond the range of {like}'s dtype {kind}")
    if value != 0 and np.dtype(dtype).type(value) == 0:
        raise ValueError(f"{name}={value!r} rounds to 0 in {like}'s dtype {kind} (its smallest "
                         f"positive number is {float(np.finfo(dtype).smallest_subnormal):.3g})")


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


def check_distributions(arr: np.ndarray, name: str, eps: float | None = None) -> None:
    """Rows along the last axis must be probability distributions (>= 0, sum to 1).

    A row passes if its sum (accumulated in float64) is within
    ``PROBABILITY_SUM_ULPS * eps`` of 1, ``eps`` the machine epsilon of the precision
    the row was given in (default: ``arr``'s).  The tolerance does not grow with the
    number of classes.
    """
    check_in_unit_interval(arr, name)
    if arr.size == 0:
        return
    eps = float(np.finfo(arr.dtype).eps) if eps is None else eps
    sums = arr.sum(axis=-1, dtype=np.float64 if arr.dtype.itemsize <= 8 else arr.dtype)
    error = np.abs(sums - 1)
    if not np.all(error <= PROBABILITY_SUM_ULPS * eps):
        worst = np.asarray(sums).flat[np.argmax(error)]
        raise ValueError(f"each row of {name} must sum to 1 along the last axis (within "
                         f"{PROBABILITY_SUM_ULPS} ulps), found a row summing to {worst:.17g}")


def as_class_targets(y: ArrayLike, shape: tuple[int, ...], name: str = "y_true",
                     like: str = "y_pred") -> tuple[np.ndarray | None, np.ndarray | None]:
    """Class targets for predictions of ``shape`` (classes on the last axis).

    Either integer labels of shape ``shape[:-1]`` (an integer array, or floats holding
    whole numbers; not booleans), returned as ``(labels, None)`` with dtype intp, or
    rows of probabilities of shape ``shape`` (one-hot or soft), returned as
    ``(None, rows)`` after :func:`check_distributions`.  Integer or bool rows are
    returned as float64.  The one place where labels and one-hot rows are checked.
    """
    raw = np.asarray(y) if y is not None else None
    rows = as_float_array(y, name)
    if raw.dtype.kind == "O":  # Python ints beyond int64: judged as the floats they became
        raw = rows
    check_nonempty(rows, name)
    n_classes = shape[-1]
    if rows.shape == tuple(shape[:-1]):
        return _labels(raw, n_classes, name), None
    same_samples = rows.ndim == len(shape) and rows.shape[:-1] == tuple(shape[:-1])
    if same_samples and rows.shape[-1] != n_classes:
        hint = f"; integer labels take shape {tuple(shape[:-1])}" if rows.shape[-1] == 1 else ""
        raise ValueError(f"{name} has {rows.shape[-1]} columns (one-hot width) but {like} "
                         f"has {n_classes} classes in its last axis{hint}")
    if rows.shape != tuple(shape):
        raise ValueError(f"{name} must be integer labels of shape {tuple(shape[:-1])} or one-hot "
                         f"rows of shape {tuple(shape)} (like {like}), got shape {rows.shape}")
    check_distributions(rows, name, input_eps(y, rows))
    return None, rows


def _labels(raw: np.ndarray, n_classes: int, name: str) -> np.ndarray:
    """Integer class labels in 0..n_classes-1 (whole-number floats accepted)."""
    if raw.dtype.kind == "b":
        raise TypeError(f"{name} labels must be integers, got booleans")
    if raw.dtype.kind == "f":
        check_finite(raw, name)
        if (raw != np.floor(raw)).any():
            bad = raw[raw != np.floor(raw)].flat[0].item()
            raise ValueError(f"{name} labels must be whole numbers (class indices), got {bad!r}")
    if (raw < 0).any() or (raw >= n_classes).any():
        bad = raw[(raw < 0) | (raw >= n_classes)].flat[0].item()
        noun = name if name.endswith("labels") else f"{name} labels"
        raise ValueError(f"{noun} must lie in 0..{n_classes - 1} "
                         f"(one per class of the last axis), got {bad!r}")
    return raw.astype(np.intp)


def check_scalar(value: object, name: str) -> float:
    """A finite real number (not bool, not an array; a 0-d array counts); returns it as float."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu":
        value = value[()]
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    try:
        value = float(value)
    except OverflowError:  # an int or Fraction beyond the largest float
        raise ValueError(f"{name} must be finite, got a number beyond the float64 range") from None
    if np.isnan(value):
        raise ValueError(f"{name} must not be NaN")
    if np.isinf(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def check_choice(value: object, choices: tuple[str, ...], name: str) -> str:
    """One of the strings in ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
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


def check_nonnegative_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value}")
    return int(value)


def check_callable(value: object, name: str) -> Callable:
    if not callable(value):
        raise TypeError(f"{name} must be a function, got {type(value).__name__}")
    return value


def check_axis(axis: object, ndim: int, name: str = "axis") -> int:
    if isinstance(axis, bool) or not isinstance(axis, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={axis} is out of range for an array with {ndim} dimension(s)")
    return int(axis) % ndim


def as_rng(rng: object, name: str = "rng") -> np.random.Generator:
    """An int seed >= 0, a Generator, or None (fresh entropy) -> a Generator."""
    if rng is None or isinstance(rng, (numbers.Integral, np.integer)) and not isinstance(rng, bool):
        if rng is not None and rng < 0:
            raise ValueError(f"{name} must be a seed >= 0, a numpy.random.Generator or None, got {rng}")
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

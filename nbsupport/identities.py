"""Identities between activations, and the float64 accuracy of each way to write them.

A stack of L scalar layers h(x) = c x is the one layer c^L x (:func:`stack_scalar_layers`,
with an optional activation after each layer to break the identity).
tanh(x) = 2 s(2x) - 1 = (1 - e^-2x) / (1 + e^-2x) holds exactly in real numbers; in
float64 the forms differ: :func:`tanh_relative_errors` measures each against a
high-precision reference (mpmath).  Pure NumPy (mpmath only inside that function).
The tanh forms work elementwise like the activations: any real array (float32 stays
float32), NaN propagates, +-inf gives +-1.

>>> float(tanh_via_expm1(1e-10)), float(tanh_via_sigmoid(1e-10)) == 1e-10
(1e-10, False)
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ._checks import as_float_array, check_callable, check_nonnegative_int, check_scalar
from .activations import sigmoid

__all__ = ["tanh_via_sigmoid", "tanh_via_expm1", "tanh_relative_errors", "stack_scalar_layers"]

def tanh_via_sigmoid(x: np.ndarray) -> np.ndarray:
    """tanh(x) as 2 s(2x) - 1: exact algebra, but the subtraction cancels near x = 0.

    Any real array (float32 stays float32).  Where 2x overflows, s(2x) is 1 (or 0) to
    the last digit anyway, and so is the result.

    >>> float(tanh_via_sigmoid(1e308))
    1.0
    """
    x = as_float_array(x, "x")
    with np.errstate(over="ignore"):
        doubled = 2.0 * x
    return 2.0 * sigmoid(doubled) - 1.0


def tanh_via_expm1(x: np.ndarray) -> np.ndarray:
    """tanh(x) as (1 - e^-2x) / (1 + e^-2x) with m = expm1(-2|x|): -m / (2 + m), sign restored.

    expm1 returns e^u - 1 without forming e^u first, so no digits cancel near 0, and
    using |x| keeps e^-2|x| <= 1 (no overflow).  The sign is copied from x, so
    -0.0 gives -0.0 like ``np.tanh``; float32 stays float32.

    >>> float(tanh_via_expm1(-1e308)), float(tanh_via_expm1(-0.0))
    (-1.0, -0.0)
    """
    x = as_float_array(x, "x")
    with np.errstate(over="ignore"):  # -2|x| = -inf: expm1 gives -1, the exact limit
        m = np.expm1(-2.0 * np.abs(x))
    return np.copysign(-m / (2.0 + m), x)


def tanh_relative_errors(x: np.ndarray, digits: int = 40) -> dict[str, np.ndarray]:
    """|approx - tanh(x)| / |tanh(x)| for three float64 formulas against mpmath at ``digits``.

    ``x`` must be nonzero (the relative error is undefined at 0).  Returns a dict with
    the keys ``"np.tanh"``, ``"2 s(2x) - 1"`` and ``"expm1 form"``.

    Examples
    --------
    >>> err = tanh_relative_errors(np.array([1e-9]))
    >>> bool(err["np.tanh"][0] < 1e-15), bool(err["2 s(2x) - 1"][0] > 1e-9)
    (True, True)
    """
    import mpmath  # a high-precision reference; imported here so the module loads without it

    x = as_float_array(x, "x").astype(np.float64)
    if np.any(x == 0):
        raise ValueError("x must not contain 0: the relative error of tanh(0) = 0 is undefined")
    formulas = {"np.tanh": np.tanh, "2 s(2x) - 1": tanh_via_sigmoid, "expm1 form": tanh_via_expm1}
    with mpmath.workdps(digits):
        reference = [mpmath.tanh(mpmath.mpf(float(v))) for v in x]
        errors = {}
        for name, formula in formulas.items():
            approx = formula(x)
            errors[name] = np.array([float(abs((mpmath.mpf(float(a)) - r) / r))
                                     for a, r in zip(approx, reference)])
    return errors


def stack_scalar_layers(x: np.ndarray, slope: float, depth: int,
                        activation: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """Apply h(x) = activation(slope * x) ``depth`` times (no activation: h(x) = slope * x).

    ``slope`` is a finite number and ``depth`` an integer >= 0.  Values that leave the
    float range become +-inf, silently, as slope^depth x does.

    Examples
    --------
    >>> stack_scalar_layers(np.array([1.0, -2.0]), 2.0, 3)
    array([  8., -16.])
    """
    out = as_float_array(x, "x").astype(np.float64)
    slope = check_scalar(slope, "slope")
    depth = check_nonnegative_int(depth, "depth")
    if activation is not None:
        check_callable(activation, "activation")
    for _ in range(depth):
        with np.errstate(over="ignore", invalid="ignore"):  # 0 * inf: NaN, as the product gives
            out = slope * out
        if activation is not None:
            out = activation(out)
    return out

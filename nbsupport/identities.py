"""Identities between activations, and the float64 accuracy of each way to write them.

A stack of L scalar layers h(x) = c x is the one layer c^L x (:func:`stack_scalar_layers`,
with an optional activation after each layer to break the identity).
tanh(x) = 2 s(2x) - 1 = (1 - e^-2x) / (1 + e^-2x) holds exactly in real numbers; in
float64 the forms differ: :func:`tanh_relative_errors` measures each against a
high-precision reference (mpmath).  Pure NumPy (mpmath only inside that function).

>>> float(tanh_via_expm1(1e-10)), float(tanh_via_sigmoid(1e-10)) == 1e-10
(1e-10, False)
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .activations import sigmoid

__all__ = ["tanh_via_sigmoid", "tanh_via_expm1", "tanh_relative_errors", "stack_scalar_layers"]

def tanh_via_sigmoid(x: np.ndarray) -> np.ndarray:
    """tanh(x) as 2 s(2x) - 1: exact algebra, but the subtraction cancels near x = 0."""
    return 2.0 * sigmoid(2.0 * np.asarray(x, dtype=float)) - 1.0


def tanh_via_expm1(x: np.ndarray) -> np.ndarray:
    """tanh(x) as (1 - e^-2x) / (1 + e^-2x) with m = expm1(-2|x|): -m / (2 + m), sign restored.

    expm1 returns e^u - 1 without forming e^u first, so no digits cancel near 0, and
    using |x| keeps e^-2|x| <= 1 (no overflow).
    """
    x = np.asarray(x, dtype=float)
    m = np.expm1(-2.0 * np.abs(x))
    return np.sign(x) * (-m / (2.0 + m))


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

    x = np.asarray(x, dtype=float)
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

    Examples
    --------
    >>> stack_scalar_layers(np.array([1.0, -2.0]), 2.0, 3)
    array([  8., -16.])
    """
    out = np.asarray(x, dtype=float)
    for _ in range(depth):
        out = slope * out
        if activation is not None:
            out = activation(out)
    return out

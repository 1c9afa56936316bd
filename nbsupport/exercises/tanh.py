"""Exercises of notebook 02 (the tanh derivation).

Each answer is computed here by nbsupport; the derivative of the sigmoid is checked
against central differences (``numerical_grad``), not against a typed formula.

>>> from nbsupport.exercises import tanh as ex
>>> ex.peak_ratio.evaluate(4.0).correct
True
"""
from __future__ import annotations

import numpy as np

from ..activations import sigmoid, sigmoid_grad, tanh, tanh_grad
from ..gradcheck import numerical_grad
from . import Exercise

__all__ = ["POINT", "numerical_sigmoid_slope", "sigmoid_derivative", "tanh_slope_at",
           "peak_ratio", "tanh_from_sigmoid"]

#: Exercise 2: where tanh' is evaluated.
POINT = 0.5


def numerical_sigmoid_slope(x: np.ndarray) -> np.ndarray:
    """s'(x) from central differences, one point at a time (``numerical_grad`` of s at x_i).

    Differencing each point on its own keeps the rounding error at about 1e-10 (the
    values of s are at most 1), where differencing sum(s(x)) would scale it with the sum.
    """
    x = np.asarray(x, dtype=float)
    return np.array([numerical_grad(sigmoid, xi) for xi in x.ravel()]).reshape(x.shape)


sigmoid_derivative = Exercise(
    prompt="Derive s'(x) and write it using s only: answer = lambda x: ... (use nbs.sigmoid).",
    solution=numerical_sigmoid_slope,
    explanation="s = 1 / (1 + e^-x) gives s' = e^-x / (1 + e^-x)^2 = s * (e^-x / (1 + e^-x)) "
                "= s(1 - s), and it matches central differences everywhere.",
    hint="Differentiate (1 + e^-x)^-1 with the chain rule, then write e^-x / (1 + e^-x) "
         "as 1 - s.",
    inputs=np.linspace(-6.0, 6.0, 25),
    rtol=1e-6, atol=1e-9,
)

tanh_slope_at = Exercise(
    prompt=f"What is tanh'({POINT})? Use tanh' = 1 - tanh^2.",
    solution=lambda: float(tanh_grad(POINT)),
    explanation=f"1 - tanh({POINT})^2 = 1 - {float(tanh(POINT)):.4f}^2 = "
                f"{float(tanh_grad(POINT)):.4f}.",
    hint="Compute t = tanh(x) first, then 1 - t * t.",
    mistakes=[(1 - float(tanh(POINT)), "You used 1 - tanh(x); the derivative squares it: "
                                       "1 - tanh(x)^2."),
              (1 - POINT ** 2, "You squared x; the formula squares tanh(x)."),
              (float(sigmoid_grad(POINT)), "That is the sigmoid's slope s'(x) at the same point.")],
    rtol=1e-4,
)

peak_ratio = Exercise(
    prompt="How many times larger is the peak slope of tanh than the peak slope of the sigmoid?",
    solution=lambda: float(tanh_grad(0.0) / sigmoid_grad(0.0)),
    explanation="tanh'(0) = 1 and s'(0) = 1/4: four times. In fact tanh(x) = 2s(2x) - 1, so "
                "tanh'(x) = 4 s'(2x).",
    hint="Evaluate both derivatives at x = 0, where both peak.",
    mistakes=[(1.0 / 0.3, "1/0.3 uses a misquoted sigmoid peak; s'(0) is exactly 1/4.")],
    rtol=1e-6,
)

tanh_from_sigmoid = Exercise(
    prompt="Write tanh(x) using the sigmoid only: answer = lambda x: ... (use nbs.sigmoid).",
    solution=tanh,
    explanation="tanh(x) = (1 - e^-2x) / (1 + e^-2x) = 2 / (1 + e^-2x) - 1 = 2 s(2x) - 1.",
    hint="Write (1 - e^-2x) / (1 + e^-2x) as 2 / (1 + e^-2x) - 1 and spot a sigmoid.",
    inputs=np.linspace(-4.0, 4.0, 17),
    rtol=1e-9, atol=1e-12,
)

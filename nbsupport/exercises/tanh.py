"""Exercises of notebook 02 (the tanh derivation).

Each answer is computed here by nbsupport; the derivative of the sigmoid is checked
against central differences (``numerical_grad``), not against a typed formula.

>>> from nbsupport.exercises import tanh as ex
>>> ex.slope_from_output.evaluate(0.64).correct
True
"""
from __future__ import annotations

import numpy as np

from ..activations import sigmoid, sigmoid_grad, tanh, tanh_grad
from ..gradcheck import numerical_grad
from . import Exercise

__all__ = ["POINT", "OUTPUT", "numerical_sigmoid_slope", "sigmoid_derivative", "tanh_slope_at",
           "slope_from_output", "tanh_from_sigmoid"]

#: Exercise 2: where tanh' is evaluated.
POINT = 1.5
#: Exercise 3: the output of a tanh unit whose slope is asked for.
OUTPUT = -0.6


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
    kind="derivation",
    forbidden=("nbsupport.activations.sigmoid_grad", "nbsupport.gradcheck.numerical_grad"),
)

tanh_slope_at = Exercise(
    prompt=f"What is tanh'({POINT})? Use tanh' = 1 - tanh^2. Four decimals.",
    solution=lambda: float(tanh_grad(POINT)),
    explanation=f"1 - tanh({POINT})^2 = 1 - {float(tanh(POINT)):.4f}^2 = "
                f"{float(tanh_grad(POINT)):.4f}: at x = {POINT} a tanh unit already passes back "
                "less than a fifth of its peak slope.",
    hint="Compute t = tanh(x) first, then 1 - t * t.",
    mistakes=[(1 - float(tanh(POINT)), "You used 1 - tanh(x); the derivative squares it: "
                                       "1 - tanh(x)^2."),
              (float(sigmoid_grad(POINT)), "That is the sigmoid's slope s'(x) at the same point.")],
    decimals=4,
)


def _slope_at_output(t: float) -> float:
    """tanh'(x) at the x where tanh(x) = t, found through arctanh (no formula in t)."""
    return float(tanh_grad(np.arctanh(t)))


slope_from_output = Exercise(
    prompt=f"A tanh unit outputs t = {OUTPUT}. Without computing x, what slope tanh'(x) does "
           "backprop multiply by?",
    solution=lambda: _slope_at_output(OUTPUT),
    explanation=f"tanh' = 1 - t^2 = 1 - {OUTPUT ** 2:.2f} = {1 - OUTPUT ** 2:.2f}, or "
                f"(1 + t)(1 - t) = {1 + OUTPUT:.1f} * {1 - OUTPUT:.1f}: backprop needs only the stored "
                "output. The sign of t does not matter; tanh' is even.",
    hint="Use tanh' = 1 - tanh^2 with the output you are given.",
    mistakes=[(1 - abs(OUTPUT), "That is 1 - |t|; the derivative squares t: 1 - t^2."),
              (1 + OUTPUT ** 2, "Check the sign: tanh' = 1 - t^2, at most 1."),
              (OUTPUT * (1 - OUTPUT), "t(1 - t) is the sigmoid's form s(1 - s); tanh's is "
                                      "(1 + t)(1 - t).")],
    kind="derivation",
)

tanh_from_sigmoid = Exercise(
    prompt="Write tanh(x) using the sigmoid only: answer = lambda x: ... (use nbs.sigmoid).",
    solution=tanh,
    explanation="tanh(x) = (1 - e^-2x) / (1 + e^-2x) = 2 / (1 + e^-2x) - 1 = 2 s(2x) - 1.",
    hint="Write (1 - e^-2x) / (1 + e^-2x) as 2 / (1 + e^-2x) - 1 and spot a sigmoid.",
    inputs=np.linspace(-4.0, 4.0, 17),
    rtol=1e-9, atol=1e-12,
    forbidden=("numpy.tanh", "nbsupport.activations.tanh"),
)

"""Exercises of notebook 01 (sigmoid saturation).

Each answer is computed here by nbsupport from the question's own numbers; none of
them is printed by the notebook before its question.

>>> from nbsupport.exercises import sigmoid as ex
>>> ex.slope_from_output.evaluate(0.25).correct
False
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from ..activations import sigmoid, sigmoid_grad
from ..diagnostics import sigmoid_grad_crossing
from . import Exercise

__all__ = ["OUTPUT", "LEVEL", "DEPTH", "INPUTS", "UPSTREAM", "slope_from_output", "flat_point",
           "depth_bound", "same_sign_gradient"]

#: Exercise 1: the output of a sigmoid unit whose slope is asked for.
OUTPUT = 0.9
#: Exercise 2: the slope level whose crossing is asked for.
LEVEL = 0.1
#: Exercise 3: the number of sigmoid layers the backward signal passes.
DEPTH = 10
#: Exercise 4: a unit y = w . x + b fed by sigmoid outputs, and dL/dy from above.
INPUTS = sigmoid(np.array([-1.5, 2.0, 0.0]))
UPSTREAM = -1.5


def _slope_at_output(u: float) -> float:
    """s'(x) at the x where s(x) = u, found by inverting s numerically (no formula in u)."""
    x = brentq(lambda t: float(sigmoid(t)) - u, -50.0, 50.0, xtol=1e-14)
    return float(sigmoid_grad(x))


slope_from_output = Exercise(
    prompt=f"A sigmoid unit outputs s = {OUTPUT}. Without computing x, what slope s'(x) does "
           "backprop multiply by?",
    solution=lambda: _slope_at_output(OUTPUT),
    explanation=f"s' = s(1 - s) = {OUTPUT} * {1 - OUTPUT:.1f} = {OUTPUT * (1 - OUTPUT):.2f}: the "
                "slope needs only the stored output, never x or an exp. At 0.9 the unit already "
                "passes back less than half of its peak 1/4.",
    hint="Use s'(x) = s(x)(1 - s(x)) with the output you are given.",
    mistakes=[(OUTPUT, "That is the output s itself; the slope is s(1 - s)."),
              (1 - OUTPUT, "That is 1 - s; multiply by s."),
              (0.25, "1/4 is the peak slope, reached only where s = 1/2."),
              (0.3, "0.3 is a misquoted peak; and the peak is at s = 1/2, not here.")],
    kind="derivation",
)

flat_point = Exercise(
    prompt=f"For which x > 0 does s'(x) fall to {LEVEL}? Two decimals.",
    solution=lambda: sigmoid_grad_crossing(LEVEL),
    explanation=f"Solve u(1 - u) = {LEVEL} for the root u near 1, u = (1 + sqrt(0.6)) / 2 = 0.8873, "
                "and invert the sigmoid: x = log(u / (1 - u)) = 2.063. Already at x = 2 the slope "
                "is less than half its peak.",
    hint=f"Set u = s(x), solve u(1 - u) = {LEVEL} for the root near 1, then x = log(u / (1 - u)).",
    mistakes=[(np.log(1 / LEVEL), f"log(1/{LEVEL}) = 2.30 solves e^-x = {LEVEL}, the tail "
                                  "approximation, which is poor this close to 0: solve "
                                  "u(1 - u) = 0.1 exactly.")],
    decimals=2,
)

depth_bound = Exercise(
    prompt=f"Leaving the weights aside, the backward signal through {DEPTH} sigmoid layers "
           "is multiplied by a product of derivatives. What is the largest that product can be? "
           "Two significant digits.",
    solution=lambda: float(sigmoid_grad(0.0)) ** DEPTH,
    explanation=f"Each factor is at most 1/4, so the product is at most (1/4)^{DEPTH} "
                f"= {0.25 ** DEPTH:.2g}: less than a millionth, at best.",
    hint="Every factor s'(z) is at most its peak; multiply the peaks.",
    mistakes=[(0.3 ** DEPTH, f"0.3^{DEPTH} uses a misquoted peak; s' never exceeds 1/4."),
              (DEPTH * 0.25, "The chain rule multiplies the factors; it does not add them.")],
    significant=2,
)

same_sign_gradient = Exercise(
    prompt=f"A unit y = w . x + b gets x = {np.round(INPUTS, 4).tolist()} (sigmoid outputs) "
           f"and dL/dy = {UPSTREAM}. Give dL/dw (3 numbers, three decimals).",
    solution=lambda: UPSTREAM * INPUTS,
    explanation="dL/dw_i = dL/dy * x_i. All x_i are positive, so all three components share "
                "the sign of dL/dy, and the step w <- w - lr * dL/dw moves all three weights "
                "the same way (here all up).",
    hint="dy/dw_i = x_i; multiply by the gradient that arrives from above.",
    mistakes=[(INPUTS, "That is dy/dw; multiply by dL/dy to get dL/dw."),
              (-UPSTREAM * INPUTS, "Check the sign: dL/dw_i = dL/dy * x_i with dL/dy < 0.")],
    decimals=3,
)

"""Exercises of notebook 01 (sigmoid saturation).

Each answer is computed here by nbsupport from the question's own numbers.

>>> from nbsupport.exercises import sigmoid as ex
>>> ex.peak_slope.evaluate(0.3).correct
False
"""
from __future__ import annotations

import numpy as np

from ..activations import sigmoid, sigmoid_grad
from ..diagnostics import sigmoid_grad_crossing
from . import Exercise

__all__ = ["DEPTH", "INPUTS", "UPSTREAM", "peak_slope", "flat_point", "depth_bound",
           "same_sign_gradient"]

#: Exercise 3: the number of sigmoid layers the backward signal passes.
DEPTH = 10
#: Exercise 4: a unit y = w . x + b fed by sigmoid outputs, and dL/dy from above.
INPUTS = sigmoid(np.array([-1.5, 2.0, 0.0]))
UPSTREAM = -1.5

peak_slope = Exercise(
    prompt="What is the largest value of s'(x) = s(x)(1 - s(x)) over all x?",
    solution=lambda: float(sigmoid_grad(0.0)),
    explanation="s(0) = 1/2, so s'(0) = 1/2 * 1/2 = 1/4, and u(1 - u) is largest at u = 1/2.",
    hint="s(1 - s) is a parabola in s: where is it largest, and which x gives that s?",
    mistakes=[(0.3, "0.3 is a misquoted value found in some notes: compute s(0) * (1 - s(0))."),
              (0.5, "0.5 is s(0), the value of the sigmoid, not its slope."),
              (1.0, "1 is the peak slope of tanh, four times the sigmoid's.")],
)

flat_point = Exercise(
    prompt="For which x > 0 does s'(x) fall to 0.01? Two decimals are enough.",
    solution=lambda: sigmoid_grad_crossing(1e-2),
    explanation="Solve s(1 - s) = 0.01 for s (a quadratic) and invert: x = log(s / (1 - s)) "
                "= 4.585. From there on a unit passes less than 1/25 of the peak slope.",
    hint="Set u = s(x), solve u(1 - u) = 0.01 for the root near 1, then x = log(u / (1 - u)).",
    mistakes=[(np.log(100.0), "log(100) = 4.61 solves e^-x = 0.01, the tail approximation; "
                              "s'(x) = e^-x / (1 + e^-x)^2 is a little smaller, so it "
                              "reaches 0.01 slightly earlier.")],
    rtol=0.0, atol=0.006,
)

depth_bound = Exercise(
    prompt=f"Leaving the weights aside, the backward signal through {DEPTH} sigmoid layers "
           "is multiplied by a product of derivatives. What is the largest that product can be?",
    solution=lambda: float(sigmoid_grad(0.0)) ** DEPTH,
    explanation=f"Each factor is at most 1/4, so the product is at most (1/4)^{DEPTH} "
                f"= {0.25 ** DEPTH:.3g}: a millionth, at best.",
    hint="Every factor s'(z) is at most its peak; multiply the peaks.",
    mistakes=[(0.3 ** DEPTH, f"0.3^{DEPTH} uses a misquoted peak; s' never exceeds 1/4."),
              (DEPTH * 0.25, "The chain rule multiplies the factors; it does not add them.")],
    rtol=1e-3,
)

same_sign_gradient = Exercise(
    prompt=f"A unit y = w . x + b gets x = {np.round(INPUTS, 4).tolist()} (sigmoid outputs) "
           f"and dL/dy = {UPSTREAM}. Give dL/dw (3 numbers).",
    solution=lambda: UPSTREAM * INPUTS,
    explanation="dL/dw_i = dL/dy * x_i. All x_i are positive, so all three components share "
                "the sign of dL/dy, and the step w <- w - lr * dL/dw moves all three weights "
                "the same way (here all up).",
    hint="dy/dw_i = x_i; multiply by the gradient that arrives from above.",
    mistakes=[(INPUTS, "That is dy/dw; multiply by dL/dy to get dL/dw."),
              (-UPSTREAM * INPUTS, "Check the sign: dL/dw_i = dL/dy * x_i with dL/dy < 0.")],
    rtol=1e-3,
)

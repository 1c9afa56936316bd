"""Exercises of notebook 00 (why a network needs a non-linearity).

Each answer is computed here from the question's own numbers, never typed in.

>>> from nbsupport.exercises import nonlinearity as ex
>>> ex.stacked_slope.evaluate(ex.SLOPE ** ex.DEPTH).correct
True
"""
from __future__ import annotations

import numpy as np

from . import Exercise

__all__ = ["SLOPE", "DEPTH", "W1", "B1", "W2", "B2", "stacked_slope", "collapsed_bias",
           "abs_from_relu"]

#: Exercise 1: the layer h(x) = SLOPE * x stacked DEPTH times.
SLOPE, DEPTH = 0.5, 4

#: Exercise 2: two affine layers in row-vector form, h = x @ W1 + B1, y = h @ W2 + B2.
W1 = np.array([[1.0, -2.0, 0.5],
               [3.0, 1.0, -1.0]])
B1 = np.array([1.0, 0.0, 2.0])
W2 = np.array([[2.0, 0.0],
               [-1.0, 1.0],
               [0.5, 4.0]])
B2 = np.array([0.5, -1.0])

stacked_slope = Exercise(
    prompt=f"Four layers h(x) = {SLOPE} x are stacked: y = h(h(h(h(x)))) = a x. What is a?",
    solution=lambda: SLOPE ** DEPTH,
    explanation=f"Each layer multiplies by c = {SLOPE}, so four layers multiply by c^4 = "
                f"{SLOPE ** DEPTH:g}: still one straight line through 0.",
    hint="Apply the layers one after another to x = 1 and see what comes out.",
    mistakes=[(SLOPE * DEPTH, f"{SLOPE * DEPTH:g} = c * L adds the layers; stacking "
                              "multiplies: a = c * c * c * c."),
              (SLOPE, "That is one layer's slope; the four layers act one after another.")],
    kind="derivation",
)

collapsed_bias = Exercise(
    prompt="Two affine layers h = x @ W1 + B1, y = h @ W2 + B2 equal one layer "
           "y = x @ (W1 @ W2) + b. Give b (an array of 2 numbers).",
    solution=lambda: B1 @ W2 + B2,
    explanation="Substitute h: y = (x @ W1 + B1) @ W2 + B2 = x @ (W1 @ W2) + (B1 @ W2 + B2). "
                "Two layers, one affine map.",
    hint="Write y with h substituted and expand the product; collect what does not "
         "multiply x.",
    mistakes=[(B1[:2] + B2, "B1 + B2 forgets that the first bias also passes through W2 "
                            "(and B1 has 3 entries, not 2): b = B1 @ W2 + B2."),
              (B2, "B2 alone drops the first layer's bias, which W2 carries forward: "
                   "b = B1 @ W2 + B2.")],
)

abs_from_relu = Exercise(
    prompt="Write |x| with two ReLUs and no other non-linearity: "
           "answer = lambda x: ... using nbs.relu.",
    solution=np.abs,
    explanation="|x| = relu(x) + relu(-x): one unit for each side of the kink. A hidden "
                "layer of ReLUs builds piecewise-linear curves from such kinks; no stack of "
                "linear layers can make even one.",
    hint="One ReLU passes the positive side; what passes the negative side, with the "
         "right sign?",
    inputs=np.linspace(-3.0, 3.0, 13),
    forbidden=("numpy.abs", "builtins.abs"),
)

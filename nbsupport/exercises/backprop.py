"""Exercises of notebook 09 (backpropagation by hand).

Every answer is computed here from the question's own numbers by :mod:`nbsupport.backprop`.
Numbers are asked to 4 significant digits and accepted within half a unit of the 4th
(``rtol=5e-4``); a value right to about 2 digits gets a hint to give more.

>>> from nbsupport.exercises import backprop as ex
>>> ex.hidden_weight_grad.evaluate(0.0).correct
False
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..activations import sigmoid_grad
from ..backprop import EXAMPLE, multiply_adds, tiny_network
from . import Exercise, Feedback

__all__ = ["W1", "B1", "W2", "B2", "NEW_X", "NEW_Y", "SIZES", "BATCH", "DEPTH", "WEIGHT",
           "DigitsExercise", "hidden_weight_grad", "input_grad", "backward_cost", "chain_bound"]

#: The weights of the notebook's worked example (MLP layout: W of shape (inputs, outputs)).
W1, B1, W2, B2 = (EXAMPLE[k] for k in ("W1", "b1", "W2", "b2"))
#: Exercises 1 and 2: a new sample through the same network.
NEW_X = np.array([-1.0, 2.0])
NEW_Y = 0.0
#: Exercise 3: the network and batch whose backward multiply-adds are counted.
SIZES = [100, 50, 20, 10]
BATCH = 64
#: Exercise 4: a chain of one-unit sigmoid layers, every weight equal to WEIGHT.
DEPTH = 6
WEIGHT = 3.0


@dataclass
class DigitsExercise(Exercise):
    """An :class:`Exercise` that recognises a right answer given with too few digits.

    ``coarse_rtol``: an answer this close (but not within ``rtol``) gets ``digits_hint``.
    """

    coarse_rtol: float = 2e-2
    digits_hint: str = "Close: the method is right, but give 4 significant digits."

    def evaluate(self, answer: Any) -> Feedback:
        verdict = super().evaluate(answer)
        if verdict.correct or verdict.message != self.hint:
            return verdict
        try:
            near = np.allclose(np.asarray(answer, dtype=float), self.expected(), rtol=self.coarse_rtol, atol=0)
        except (TypeError, ValueError):
            return verdict
        return Feedback(False, self.digits_hint) if near else verdict


def _new_graph():
    return tiny_network(NEW_X, NEW_Y, W1, B1, W2, B2)


def _grad(name: str) -> float:
    return next(s.grad for s in _new_graph().backward() if s.node == name)


def _without_hidden_slope() -> float:
    """dL/dw21 with the factor s'(z1) forgotten: delta_out * v1 * x2."""
    return _grad("u") * W2[0, 0] * NEW_X[1]


def _one_path(name: str, j: int) -> float:
    """dL/dx_i through hidden unit j alone (the other path forgotten)."""
    i = int(name[1])
    return _grad(f"z{j}") * W1[i - 1, j - 1]


hidden_weight_grad = DigitsExercise(
    prompt=f"For the input x = {NEW_X.tolist()} with target y = {NEW_Y:g} and the same weights, "
           "compute dL/dw21 by hand (4 significant digits).",
    solution=lambda: _grad("w21"),
    explanation="Forward: z, h, u, p. Backward: dL/du = p - y, dL/dh1 = dL/du * v1, "
                "dL/dz1 = dL/dh1 * s'(z1), dL/dw21 = dL/dz1 * x2.",
    hint="Chain four factors: (p - y), v1, s'(z1) = h1(1 - h1), and the input that w21 multiplies.",
    mistakes=[(_without_hidden_slope(), "You left out s'(z1): the path from w21 to L passes through h1 = s(z1)."),
              (-_grad("w21"), "Check the sign of p - y.")],
    rtol=5e-4,
)

input_grad = DigitsExercise(
    prompt=f"Same input x = {NEW_X.tolist()}, y = {NEW_Y:g}: compute dL/dx1 (4 significant digits).",
    solution=lambda: _grad("x1"),
    explanation="x1 feeds both hidden units, so its gradient is a sum of two products: "
                "dL/dz1 * w11 + dL/dz2 * w12.",
    hint="x1 is used by z1 and by z2: add the contributions of both paths.",
    mistakes=[(_one_path("x1", 1), "That is the path through z1 only; x1 also feeds z2."),
              (_one_path("x1", 2), "That is the path through z2 only; x1 also feeds z1.")],
    rtol=5e-4,
)

backward_cost = Exercise(
    prompt=f"An MLP with sizes {SIZES} runs a batch of {BATCH}. How many multiply-adds do the "
           "matrix products of one backward pass need? (an exact integer)",
    solution=lambda: multiply_adds(SIZES, BATCH)[1],
    explanation="Each layer needs X^T delta (as many multiply-adds as its forward product) and "
                "delta W^T (the same again), except the first layer, whose dL/dX nobody uses.",
    hint="Per layer: B n_in n_out for dL/dW, and B n_in n_out for dL/dX except in layer 1.",
    mistakes=[(2 * multiply_adds(SIZES, BATCH)[0], "Exactly twice the forward count also computes "
                                                   "dL/dX for the first layer, which nobody needs."),
              (multiply_adds(SIZES, BATCH)[0], "That is the forward count; backward needs two products per layer.")],
    rtol=0.0, atol=0.5,
)

chain_bound = DigitsExercise(
    prompt=f"A chain of {DEPTH} one-unit sigmoid layers has every weight w = {WEIGHT:g}. Going "
           f"from dL/dz{DEPTH} down to dL/dz1, the gradient is multiplied by {DEPTH - 1} factors w s'(z). "
           "What is the largest that product can be? (4 significant digits)",
    solution=lambda: (WEIGHT * float(sigmoid_grad(0.0))) ** (DEPTH - 1),
    explanation=f"Each factor is at most w/4 = {WEIGHT / 4:g}, so the product is at most "
                f"({WEIGHT:g}/4)^{DEPTH - 1}: even weights of {WEIGHT:g} cannot keep the signal from shrinking.",
    hint="s'(z) <= 1/4; how many factors lie between layer 1 and the top layer?",
    mistakes=[((WEIGHT / 4) ** DEPTH, f"Between z1 and z{DEPTH} there are {DEPTH - 1} steps, not {DEPTH}."),
              (0.25 ** (DEPTH - 1), "Each factor also contains the weight w."),
              (WEIGHT * 0.25 * (DEPTH - 1), "The chain rule multiplies the factors; it does not add them.")],
    rtol=5e-4,
)

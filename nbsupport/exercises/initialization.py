"""Exercises for notebook 07 (initialization and the signal in a deep network).

::

    from nbsupport.exercises import initialization as ex
    answer = None
    ex.relu_std.check(answer)

The expected answers are computed: variance formulas from the derivation in the
notebook, and for :data:`relu_std` the experiment itself
(:func:`nbsupport.diagnostics.activation_std_ratio`), averaged over
:data:`NETWORKS` random networks.  The known wrong answers are the usual slips: the
seed note's He std sqrt(n/2), a variance given where a std was asked, LeCun's 1/n
where ReLU needs 2/n.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..diagnostics import PROBE_WIDTH as WIDTH, activation_std_ratio
from . import Exercise, Feedback

__all__ = ["GAIN_STD", "FAN_IN", "FAN_OUT", "NETWORKS", "TOLERANCE", "variance_gain", "he_std",
           "glorot_std", "relu_std", "mean_std_ratio", "DepthStdExercise"]

# --- 1. How much does one ReLU layer scale the signal's second moment? -----------------
GAIN_STD = 0.1

variance_gain = Exercise(
    prompt=f"A ReLU layer of n = {WIDTH} inputs has weights with std {GAIN_STD}. By what factor "
           "does E[z^2] of the pre-activations change from one layer to the next?",
    solution=lambda: WIDTH * GAIN_STD ** 2 / 2,
    explanation="n Var(w) E[a^2] with E[a^2] = E[z^2] / 2 for ReLU: 100 * 0.01 / 2 = 0.5. "
                "The signal halves its second moment every layer: LeCun's 1/n is too small for ReLU.",
    hint="Use Var(z_l) = n Var(w) E[a_{l-1}^2], and ReLU keeps half of a symmetric z's second moment.",
    mistakes=[(WIDTH * GAIN_STD ** 2, "n Var(w) = 1 is right for a linear layer, but ReLU zeroes "
                                      "the negative half of z: E[a^2] = E[z^2] / 2."),
              (WIDTH * GAIN_STD / 2, "Var(w) is the square of the std: 0.1^2 = 0.01.")],
    rtol=1e-3)

# --- 2. He's standard deviation for 100 inputs ------------------------------------------
he_std = Exercise(
    prompt=f"What standard deviation does He/Kaiming initialization give weights with "
           f"n_in = {WIDTH} inputs?",
    solution=lambda: math.sqrt(2 / WIDTH),
    explanation="Var(w) = 2 / n_in, so std = sqrt(2 / 100) = 0.1414.",
    hint="Set n Var(w) / 2 = 1 and solve for the std (a square root of a variance).",
    mistakes=[(math.sqrt(WIDTH / 2), "sqrt(n/2) = 7.07 is the seed note's slip: it multiplies the "
                                     "variance by 2500 a layer. The fraction is upside down: sqrt(2/n)."),
              (2 / WIDTH, "0.02 is the variance 2/n; the std is its square root."),
              (1 / math.sqrt(WIDTH), "1/sqrt(n) = 0.1 is LeCun's std, which halves ReLU's signal "
                                     "every layer; He doubles the variance to make up for the zeros.")],
    rtol=2e-3)

# --- 3. Glorot for a non-square layer -----------------------------------------------------
FAN_IN, FAN_OUT = 784, 200

glorot_std = Exercise(
    prompt=f"What std does Xavier/Glorot normal give the first layer of an MNIST network, "
           f"{FAN_IN} inputs and {FAN_OUT} outputs?",
    solution=lambda: math.sqrt(2 / (FAN_IN + FAN_OUT)),
    explanation="sqrt(2 / (784 + 200)) = 0.0451: the average of the forward (1/n_in) and backward "
                "(1/n_out) conditions, in harmonic form.",
    hint="Glorot's variance is 2 / (n_in + n_out); the std is its square root.",
    mistakes=[(1 / math.sqrt(FAN_IN), "1/sqrt(784) = 0.0357 is LeCun's std (forward pass only); "
                                      "it equals Glorot's only when n_in = n_out."),
              (math.sqrt(2 / FAN_IN), "sqrt(2/784) = 0.0505 is He's std, meant for ReLU."),
              (2 / (FAN_IN + FAN_OUT), "That is the variance; take its square root.")],
    rtol=2e-3)

# --- 4. Find the std that keeps a 5-layer ReLU network's activations steady -----------------
NETWORKS = 20
TOLERANCE = 0.10


def mean_std_ratio(std: float, networks: int = NETWORKS, depth: int = 5) -> float:
    """Mean over ``networks`` seeded networks of std(layer ``depth``) / std(layer 1), ReLU."""
    return float(np.mean([activation_std_ratio(std, "relu", depth, seed)
                          for seed in range(networks)]))


@dataclass
class DepthStdExercise:
    """Pick a weight std; the check runs the experiment and reports the std ratio."""

    prompt: str
    depth: int = 5
    tolerance: float = TOLERANCE

    def evaluate(self, answer: object) -> Feedback:
        if answer is None or answer is Ellipsis:
            return Feedback(False, f"No answer yet. {self.prompt}")
        try:
            std = float(answer)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return Feedback(False, f"Give one number (a std), got {type(answer).__name__}.")
        if not 0 < std < 100:
            return Feedback(False, f"A std between 0 and 100, please; got {std:g}.")
        ratio = mean_std_ratio(std, depth=self.depth)
        report = f"With std {std:.4g}, layer {self.depth}'s std is {ratio:.3g} x layer 1's"
        if abs(ratio - 1) <= self.tolerance:
            return Feedback(True, f"{report} (within {self.tolerance:.0%}). He's sqrt(2/n) = "
                                  f"{math.sqrt(2 / WIDTH):.4f} is the theory's answer.")
        if std > 1:
            hint = "sqrt(n/2) = 7.07 (the seed note) is upside down: the signal explodes."
        elif ratio > 1:
            hint = "too large: the signal grows. Each layer multiplies the variance by n std^2 / 2."
        else:
            hint = "too small: the signal shrinks. Each layer multiplies the variance by n std^2 / 2."
        return Feedback(False, f"{report}: {hint}")

    def check(self, answer: object) -> None:
        """Print the verdict on ``answer`` (one line)."""
        print(self.evaluate(answer))


relu_std = DepthStdExercise(
    prompt=f"Which weight std keeps layer 5's activation std within {TOLERANCE:.0%} of layer 1's "
           f"for ReLU (mean over {NETWORKS} networks of {WIDTH} units)?")

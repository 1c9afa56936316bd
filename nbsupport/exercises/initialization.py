"""Exercises for notebook 07 (initialization and the signal in a deep network).

::

    from nbsupport.exercises import initialization as ex
    answer = None
    ex.leaky_std.check(answer)

The expected answers are computed: variance formulas from the derivation in the
notebook, and for :data:`leaky_std` the experiment itself (:func:`std_ratio`: a stack
of Leaky ReLU layers built from :mod:`nbsupport.init` and :mod:`nbsupport.activations`),
averaged over :data:`NETWORKS` random networks.  The known wrong answers are the usual
slips: the misquoted He std sqrt(n/2), a variance given where a std was asked, LeCun's
1/n where ReLU needs 2/n, one layer too many counted, a Leaky ReLU slope left out.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..activations import leaky_relu
from ..init import normal
from . import Exercise, Feedback, real_numbers

__all__ = ["GAIN_FAN_IN", "GAIN_STD", "DEEP_LAYERS", "DEEP_WIDTH", "DEEP_STD", "FAN_IN", "FAN_OUT",
           "WIDTH", "ALPHA", "NETWORKS", "TOLERANCE", "variance_gain", "deep_relu_ratio",
           "glorot_std", "leaky_std", "std_ratio", "mean_std_ratio", "DepthStdExercise"]

# --- 1. How much does one ReLU layer scale the signal's second moment? -----------------
GAIN_FAN_IN, GAIN_STD = 256, 0.05

variance_gain = Exercise(
    prompt=f"A ReLU layer of n = {GAIN_FAN_IN} inputs has weights with std {GAIN_STD}. By what factor "
           "does E[z^2] of the pre-activations change from one layer to the next?",
    solution=lambda: GAIN_FAN_IN * GAIN_STD ** 2 / 2,
    explanation="n Var(w) E[a^2] with E[a^2] = E[z^2] / 2 for ReLU: 256 * 0.0025 / 2 = 0.32. "
                "The signal's second moment shrinks to a third every layer: this std is too small.",
    hint="Use Var(z_l) = n Var(w) E[a_{l-1}^2], and ReLU keeps half of a symmetric z's second moment.",
    mistakes=[(GAIN_FAN_IN * GAIN_STD ** 2, "n Var(w) is right for a linear layer, but ReLU zeroes "
                                            "the negative half of z: E[a^2] = E[z^2] / 2."),
              (GAIN_FAN_IN * GAIN_STD / 2, "Var(w) is the square of the std: 0.05^2 = 0.0025.")],
    rtol=1e-3, kind="derivation")

# --- 2. Predict how far a deep ReLU stack with LeCun's std lets the signal fade ----------
DEEP_LAYERS, DEEP_WIDTH, DEEP_STD = 20, 100, 0.1


def _std_ratio_theory(layers: int, gain: float) -> float:
    """std(a_layers) / std(a_1) when each layer multiplies the second moment by ``gain``."""
    return gain ** ((layers - 1) / 2)


deep_relu_ratio = Exercise(
    prompt=f"Predict: a stack of {DEEP_LAYERS} ReLU layers of {DEEP_WIDTH} units with weights of std "
           f"{DEEP_STD} (LeCun's). What is std(a_{DEEP_LAYERS}) / std(a_1)? (three significant digits)",
    solution=lambda: _std_ratio_theory(DEEP_LAYERS, DEEP_WIDTH * DEEP_STD ** 2 / 2),
    explanation="Each layer multiplies the second moment by n Var(w) / 2 = 1/2; from layer 1 to "
                "layer 20 there are 19 such steps, and the std is the square root: 2^(-19/2), about "
                "0.00138. Set depth 20, ReLU and LeCun in the widget above to see it (one network "
                "wanders around the theory).",
    hint="Per layer the second moment is multiplied by n Var(w) E[a^2]/E[z^2] = 100 * 0.01 / 2. "
         "Count the steps between layer 1 and layer 20, then take a square root for the std.",
    mistakes=[(_std_ratio_theory(DEEP_LAYERS + 1, 0.5), "That counts 20 steps; from layer 1 to layer 20 "
                                                        "there are 19."),
              (0.5 ** (DEEP_LAYERS - 1), "That is the ratio of the second moments (variances); the "
                                         "std is its square root."),
              (1.0, "1 would need n Var(w) / 2 = 1, He's std sqrt(2/n); LeCun's 0.1 halves the "
                    "second moment every layer.")],
    significant=3, kind="prediction")

# --- 3. Glorot for a non-square layer -----------------------------------------------------
FAN_IN, FAN_OUT = 512, 128

glorot_std = Exercise(
    prompt=f"What std does Xavier/Glorot normal give a layer with {FAN_IN} inputs and {FAN_OUT} "
           "outputs? (three significant digits)",
    solution=lambda: math.sqrt(2 / (FAN_IN + FAN_OUT)),
    explanation="sqrt(2 / (512 + 128)) = 0.0559: the average of the forward (1/n_in) and backward "
                "(1/n_out) conditions, in harmonic form.",
    hint="Glorot's variance is 2 / (n_in + n_out); the std is its square root.",
    mistakes=[(1 / math.sqrt(FAN_IN), "1/sqrt(512) = 0.0442 is LeCun's std (forward pass only); "
                                      "it equals Glorot's only when n_in = n_out."),
              (math.sqrt(2 / FAN_IN), "sqrt(2/512) = 0.0625 is He's std, meant for ReLU."),
              (2 / (FAN_IN + FAN_OUT), "That is the variance; take its square root.")],
    significant=3)

def _leaky_he(fan_in: int, alpha: float) -> float:
    """sqrt(2 / ((1 + alpha^2) n)): keeps E[z^2] fixed through Leaky ReLU layers."""
    return math.sqrt(2 / ((1 + alpha ** 2) * fan_in))


# --- 4. Find the std that keeps a 5-layer Leaky ReLU network's activations steady ----------
WIDTH, SAMPLES, ALPHA = 100, 1000, 0.5
NETWORKS = 20
TOLERANCE = 0.10


def std_ratio(std: float, alpha: float = ALPHA, depth: int = 5, seed: int = 0) -> float:
    """std of layer ``depth``'s activations over layer 1's in one random Leaky ReLU stack.

    1,000 inputs x ~ N(0, 1) of width 100 go through ``depth`` layers
    a_l = leaky_relu(a_{l-1} W_l, alpha) with W_l ~ N(0, std^2) (no bias).

    >>> round(std_ratio(math.sqrt(2 / (1.25 * 100)), seed=0), 2)   # one network: near 1
    1.09
    """
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((SAMPLES, WIDTH))
    stds = []
    for layer in range(depth):
        a = leaky_relu(a @ normal(WIDTH, WIDTH, std, rng=seed * 1000 + layer), alpha)
        stds.append(float(a.std()))
    return stds[-1] / stds[0]


def mean_std_ratio(std: float, networks: int = NETWORKS, depth: int = 5, alpha: float = ALPHA) -> float:
    """Mean over ``networks`` seeded networks of :func:`std_ratio`."""
    return float(np.mean([std_ratio(std, alpha, depth, seed) for seed in range(networks)]))


@dataclass
class DepthStdExercise:
    """Pick a weight std; the check runs the experiment and reports the std ratio."""

    prompt: str
    alpha: float = ALPHA
    depth: int = 5
    tolerance: float = TOLERANCE

    def evaluate(self, answer: object) -> Feedback:
        if answer is None or answer is Ellipsis:
            return Feedback(False, f"No answer yet. {self.prompt}")
        values = None if isinstance(answer, bool) else real_numbers(answer)
        if values is None or values.size != 1:  # text, complex, a list, an int beyond floats
            return Feedback(False, f"Give one number (a std), got {type(answer).__name__}.")
        std = float(values.reshape(()))
        if not 0 < std < 100:
            return Feedback(False, f"A std between 0 and 100, please; got {std:g}.")
        ratio = mean_std_ratio(std, depth=self.depth, alpha=self.alpha)
        report = f"With std {std:.4g}, layer {self.depth}'s std is {ratio:.3g} x layer 1's"
        gain = f"Each layer multiplies the variance by n std^2 (1 + alpha^2) / 2 = {WIDTH * std ** 2 * (1 + self.alpha ** 2) / 2:.3g}."
        if abs(ratio - 1) <= self.tolerance:
            return Feedback(True, f"{report} (within {self.tolerance:.0%}). The theory's answer is "
                                  f"sqrt(2 / ((1 + alpha^2) n)) = {_leaky_he(WIDTH, self.alpha):.4f}.")
        if math.isclose(std, math.sqrt(2 / WIDTH), rel_tol=0.01):
            hint = "that is He's std for plain ReLU; Leaky ReLU's negative side adds alpha^2 to the gain."
        elif std > 1:
            hint = "sqrt(n/2) and its cousins are upside down: the signal explodes."
        elif ratio > 1:
            hint = f"too large: the signal grows. {gain}"
        else:
            hint = f"too small: the signal shrinks. {gain}"
        return Feedback(False, f"{report}: {hint}")

    def check(self, answer: object) -> None:
        """Print the verdict on ``answer`` (one line)."""
        print(self.evaluate(answer))


leaky_std = DepthStdExercise(
    prompt=f"Leaky ReLU with alpha = {ALPHA}: which weight std keeps layer 5's activation std within "
           f"{TOLERANCE:.0%} of layer 1's (mean over {NETWORKS} networks of {WIDTH} units)?")

"""Exercises for notebook 08 (the MNIST experiments), checked at once with hints.

::

    from nbsupport.exercises import experiments as ex
    answer = None
    ex.parameter_count.check(answer)

The expected answers are computed: parameter counts from ``nbsupport.mlp.MLP`` itself,
the number of test digits from the binomial standard error sqrt(p (1 - p) / n).
"""
from __future__ import annotations

import functools
import math

import numpy as np

from ..mlp import MLP
from . import Exercise

__all__ = ["DEEP_SIZES", "LINEAR_SIZES", "ACCURACY", "TARGET_ERROR", "PIXELS", "SAMPLE_DIGITS",
           "count_parameters", "mean_square_pixel", "parameter_count", "collapsed_parameters",
           "test_digits_needed", "first_layer_std"]

DEEP_SIZES = [784, 200, 200, 200, 200, 10]
LINEAR_SIZES = [784, 100, 100, 10]


def count_parameters(sizes: list[int], activations: str = "relu") -> int:
    """Number of trainable numbers of ``MLP(sizes)`` (weights and biases)."""
    return sum(p.size for p in MLP(sizes, activations=activations, rng=0).params())


# --- 1. How big is table (b)'s four-layer network? ------------------------------------------
parameter_count = Exercise(
    prompt=f"How many trainable parameters (weights and biases) does the {'-'.join(map(str, DEEP_SIZES))} "
           "network of table (b) have (tanh, so no PReLU slopes)?",
    solution=lambda: count_parameters(DEEP_SIZES, "tanh"),
    explanation="784*200 + 200 + 3*(200*200 + 200) + 200*10 + 10 = 279,610, about 70 per training "
                "digit of our 4,000: plenty of room to memorise them.",
    hint="Each Dense layer n_in -> n_out has n_in*n_out weights and n_out biases.",
    mistakes=[(sum(a * b for a, b in zip(DEEP_SIZES[:-1], DEEP_SIZES[1:])),
               "That counts the weights only; add one bias per unit.")],
    rtol=0, atol=0.5)

# --- 2. The linear network collapses to one layer ----------------------------------------
collapsed_parameters = Exercise(
    prompt=f"A {'-'.join(map(str, LINEAR_SIZES))} network with no activation in its hidden layers "
           "computes the same function as ONE dense layer 784 -> 10. How many parameters does that "
           "one layer have?",
    solution=lambda: count_parameters([LINEAR_SIZES[0], LINEAR_SIZES[-1]]),
    explanation="x W1 W2 W3 + (b1 W2 W3 + b2 W3 + b3) = x W + b with W of 784x10 and b of 10: "
                "7,850 numbers, logistic regression's.",
    hint="Multiply the three matrices out: what shape is W1 W2 W3, and what is left of the biases?",
    mistakes=[(784 * 10, "Do not forget the combined bias b1 W2 W3 + b2 W3 + b3 (10 numbers)."),
              (count_parameters(LINEAR_SIZES, "identity"),
               "That is the deep linear network's own count; the collapsed layer is much smaller.")],
    rtol=0, atol=0.5, kind="derivation")

# --- 3. How many test digits does a precise comparison need? --------------------------------
ACCURACY, TARGET_ERROR = 0.932, 0.001

test_digits_needed = Exercise(
    prompt=f"How many test digits would a comparison need for the standard error of an accuracy "
           f"near {ACCURACY:.1%} to be {100 * TARGET_ERROR:g} percentage points ({TARGET_ERROR:g})? "
           "Solve sqrt(p (1 - p) / n) = 0.001 for n.",
    solution=lambda: float(round(ACCURACY * (1 - ACCURACY) / TARGET_ERROR ** 2)),
    explanation="n = p (1 - p) / 0.001^2 = 0.932 * 0.068 / 1e-6, about 63,376 digits: more than the "
                "whole MNIST test set. The error shrinks like 1 / sqrt(n), so one more digit of "
                "precision costs 100 times more data.",
    hint="Square both sides: p (1 - p) / n = 0.001^2, then solve for n.",
    mistakes=[(math.sqrt(ACCURACY * (1 - ACCURACY)) / TARGET_ERROR,
               "That solves sqrt(p (1 - p)) / n = 0.001; the n is inside the root: square both sides."),
              (ACCURACY * (1 - ACCURACY) / TARGET_ERROR,
               "Square the target error too: n = p (1 - p) / 0.001^2."),
              (ACCURACY * (1 - ACCURACY) / (100 * TARGET_ERROR) ** 2,
               "Use the error as a fraction (0.001), not in percentage points (0.1).")],
    rtol=0, atol=1.5, kind="derivation")

# --- 4. Predict the scale of the first layer's input -----------------------------------------
PIXELS, SAMPLE_DIGITS = 784, 1000


@functools.lru_cache(maxsize=1)
def mean_square_pixel() -> float:
    """E[x^2] over every pixel (in [0, 1]) of the first ``SAMPLE_DIGITS`` digits of the pool."""
    from ..experiments import load_pool

    X, _, _ = load_pool()
    return float(np.mean(X[:SAMPLE_DIGITS].astype(np.float64) ** 2))


def _he_std_of_z(mean_square: float, var_w: float = 2 / PIXELS) -> float:
    return math.sqrt(PIXELS * var_w * mean_square)


first_layer_std = Exercise(
    prompt="Predict the std of a first-layer unit's input z = x W for pixels in [0, 1] and He-normal "
           "weights (std sqrt(2/784)), from Var(z) = n Var(w) E[x^2] and the E[x^2] printed above. "
           "(two decimals)",
    solution=lambda: _he_std_of_z(mean_square_pixel()),
    explanation="Var(z) = 784 * (2/784) * E[x^2] = 2 E[x^2], so std = sqrt(2 * 0.1105), about 0.47: "
                "the formula of notebook 07 holds for pixels too, though they are neither centred nor "
                "independent (the weights are).",
    hint="Var(w) = 2/784 for He normal; multiply by n = 784 and by E[x^2], then take the square root.",
    mistakes=[(_he_std_of_z(mean_square_pixel()) ** 2, "That is the variance 2 E[x^2]; the question "
                                                       "asks for the std, its square root."),
              (_he_std_of_z(mean_square_pixel(), math.sqrt(2 / PIXELS)),
               "Var(w) is the square of the std: use 2/784, not sqrt(2/784)."),
              (math.sqrt(2 / PIXELS * mean_square_pixel()), "Sum over the n = 784 inputs: Var(z) is n "
                                                            "times Var(w) E[x^2].")],
    decimals=2, kind="prediction")

"""Exercises for notebook 08 (the MNIST experiments), checked at once with hints.

::

    from nbsupport.exercises import experiments as ex
    answer = None
    ex.parameter_count.check(answer)

The expected answers are computed: parameter counts from ``nbsupport.mlp.MLP`` itself,
the standard error from the binomial formula.
"""
from __future__ import annotations

import math

from ..mlp import MLP
from . import Exercise

__all__ = ["DEEP_SIZES", "LINEAR_SIZES", "SEED_ACCURACY", "SEED_TEST_DIGITS", "count_parameters",
           "parameter_count", "collapsed_parameters", "standard_error"]

DEEP_SIZES = [784, 200, 200, 200, 200, 10]
LINEAR_SIZES = [784, 100, 100, 10]


def count_parameters(sizes: list[int], activations: str = "relu") -> int:
    """Number of trainable numbers of ``MLP(sizes)`` (weights and biases)."""
    return sum(p.size for p in MLP(sizes, activations=activations, rng=0).params())


# --- 1. How big is the seed note's four-layer network? -------------------------------------
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
    rtol=0, atol=0.5)

# --- 3. How much of a difference between two single runs is noise? -----------------------
SEED_ACCURACY, SEED_TEST_DIGITS = 0.932, 2000

standard_error = Exercise(
    prompt=f"The seed note reports {SEED_ACCURACY:.1%} test accuracy on {SEED_TEST_DIGITS} test digits. "
           "What is the standard error of that accuracy, sqrt(p (1 - p) / n), as a fraction?",
    solution=lambda: math.sqrt(SEED_ACCURACY * (1 - SEED_ACCURACY) / SEED_TEST_DIGITS),
    explanation="sqrt(0.932 * 0.068 / 2000) = 0.0056: about half a percentage point. Two single runs "
                "that differ by 0.5-1 point (93.7% vs 92.9%) are not evidence that one setting is better.",
    hint="Each test digit is a coin flip that comes up 'right' with probability p.",
    mistakes=[(SEED_ACCURACY * (1 - SEED_ACCURACY) / SEED_TEST_DIGITS,
               "That is the variance p(1-p)/n; the standard error is its square root."),
              (math.sqrt(SEED_ACCURACY * (1 - SEED_ACCURACY)),
               "That is the spread of a single digit's 0/1 outcome; divide by n inside the root."),
              (100 * math.sqrt(SEED_ACCURACY * (1 - SEED_ACCURACY) / SEED_TEST_DIGITS),
               "Right number, but in percentage points; give it as a fraction (0.01 = 1 point).")],
    rtol=0.02)

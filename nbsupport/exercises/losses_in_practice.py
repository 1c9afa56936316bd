"""Exercises for notebook 12 (output layers and losses in practice), checked at once with hints.

::

    from nbsupport.exercises import losses_in_practice as ex
    answer = None
    ex.bce_uniform.check(answer)

The expected answers are computed: binary cross-entropy by
:func:`nbsupport.losses.binary_cross_entropy`, the sigmoid's slope by
:func:`nbsupport.activations.sigmoid_grad`.  Each number exercise declares the digits its
question asks for and whether it is a prediction or a derivation on paper; the function
exercise forbids :func:`nbsupport.losses.binary_cross_entropy_with_logits`, whether
passed as the answer or called inside it.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .. import losses
from ..activations import sigmoid_grad
from . import Exercise
from .init_training import PairFunctionExercise

__all__ = ["CLASSES", "END", "bce_uniform", "sigmoid_slowdown", "logit_cases", "bce_with_logits"]

# --- 1. Predict binary cross-entropy on a ten-class problem --------------------------------
CLASSES = 10

bce_uniform = Exercise(
    prompt=f"A {CLASSES}-class network outputs p = 1/{CLASSES} for every class; the target is a "
           "one-hot row. Which value does binary cross-entropy (the mean over all K outputs) give? "
           "Three decimals.",
    solution=lambda: float(losses.binary_cross_entropy(np.eye(CLASSES)[0], np.full(CLASSES, 1 / CLASSES))),
    explanation="(-ln 0.1 - 9 ln 0.9) / 10 = (2.303 + 0.948) / 10 = 0.325: the categorical term "
                "plus nine 'not this class' terms, divided by K.",
    hint="Sum -ln p for the right class and -ln(1 - p) for each of the 9 others, then divide by 10.",
    mistakes=[(math.log(CLASSES), "ln 10 is categorical cross-entropy; binary cross-entropy adds the "
                                  "nine -ln(1 - p) terms and divides by K."),
              ((math.log(CLASSES) - 9 * math.log(0.9)), "That is the sum over the ten outputs; "
                                                        "Keras and PyTorch take the mean.")],
    decimals=3,
    kind="prediction")

# --- 2. How much does the sigmoid slow MSE down near the end of the range? ----------------
END = 0.99

sigmoid_slowdown = Exercise(
    prompt=f"Under MSE a sigmoid output sends back 2 (p - t) p (1 - p). For the same error p - t, "
           f"how much smaller is that gradient at p = {END} than at p = 0.5? Give the factor < 1 "
           "to four decimals.",
    solution=lambda: float(sigmoid_grad(math.log(END / (1 - END))) / sigmoid_grad(0.0)),
    explanation="p (1 - p) = 0.99 * 0.01 = 0.0099 against 0.25: a factor 0.0396. Targets near the ends "
                "of the rescaled range are learned about 25 times more slowly.",
    hint="Compare p (1 - p) at p = 0.99 with its value at p = 0.5.",
    mistakes=[(END * (1 - END), "That is p (1 - p) itself; divide by its value at p = 0.5, 0.25."),
              (0.25 / (END * (1 - END)), "Upside down: the factor is below 1.")],
    decimals=4,
    kind="derivation")


# --- 3. Write binary cross-entropy from logits --------------------------------------------
def logit_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    """(targets t, logits z) pairs: ordinary logits, |z| = 800, and z = 0."""
    rng = np.random.default_rng(3)
    return [(rng.uniform(0, 1, 8), rng.normal(0, 3, 8)),
            (np.array([1.0, 0.0, 1.0, 0.0]), np.array([800.0, -800.0, -800.0, 800.0])),
            (np.array([0.3]), np.array([0.0]))]


def _logits_slip(answer: Callable, t: np.ndarray, z: np.ndarray) -> str:
    """The hint for a wrong value: overflow at large |z|, else the formula."""
    if np.abs(z).max() > 100:
        return ("it breaks for |z| = 800: never form exp(z) or log(sigmoid(z)); use "
                "max(z, 0) - z t + log1p(exp(-|z|)).")
    return "the mean of -t ln sigmoid(z) - (1 - t) ln(1 - sigmoid(z))."


bce_with_logits = PairFunctionExercise(
    prompt="Write bce(t, z): the mean binary cross-entropy of sigmoid(z) against t, from the logits z.",
    solution=losses.binary_cross_entropy_with_logits,
    explanation="max(z, 0) - z t + log1p(exp(-|z|)): what BCEWithLogitsLoss and "
                "BinaryCrossentropy(from_logits=True) compute, finite for every z.",
    hint="Write it with NumPy from -ln sigmoid(z) = ln(1 + exp(-z)), arranged so that no exp "
         "sees a positive argument.",
    inputs=logit_cases(),
    rtol=1e-9, atol=1e-12,
    forbidden=("nbsupport.losses.binary_cross_entropy_with_logits",),
    diagnose=_logits_slip)

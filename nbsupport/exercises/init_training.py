"""Exercises for notebook 11 (from initialization to training), checked at once with hints.

::

    from nbsupport.exercises import init_training as ex
    answer = None
    ex.initial_loss.check(answer)

The expected answers are computed: ln(k) by :func:`nbsupport.training.expected_initial_loss`,
the sigmoid scale from the small-signal gain sqrt(n) std f'(0), tanh's shrinking
variance from the series tanh(x)^2 = x^2 - 2x^4/3 + ..., and the update-to-data ratio
by :func:`nbsupport.training.update_ratio`.  Numbers are accepted to 3 significant
digits; a value right to 2 digits gets a hint to give more.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import training
from ..activations import sigmoid_grad
from . import Exercise, Feedback

__all__ = ["CLASSES", "WIDTH", "TANH_START", "TANH_LAYER", "initial_loss", "sigmoid_std",
           "tanh_depth", "UpdateRatioExercise", "update_ratio", "DigitsExercise",
           "function_answer_problem"]


@dataclass
class DigitsExercise(Exercise):
    """An :class:`Exercise` that tells a value right to about 2 digits to give 3."""

    def evaluate(self, answer: Any) -> Feedback:
        verdict = super().evaluate(answer)
        if verdict.correct or verdict.message != self.hint:
            return verdict
        try:
            close = math.isclose(float(answer), float(self.expected()), rel_tol=0.02)
        except (TypeError, ValueError):
            return verdict
        if close:
            return Feedback(False, "Close, but give at least 3 significant digits.")
        return verdict


# --- 1. Predict the initial loss of a 20-class network --------------------------------------
CLASSES = 20

initial_loss = DigitsExercise(
    prompt=f"A well-initialized network with {CLASSES} classes takes its first step. "
           "Which loss should it print before that step?",
    solution=lambda: training.expected_initial_loss(CLASSES),
    explanation="ln 20 = 2.996: the cross-entropy of giving each of the 20 classes probability 1/20.",
    hint="A good start spreads the probability evenly; the loss is -ln of the right class's probability.",
    mistakes=[(math.log(10), "ln 10 is for ten classes; here there are 20."),
              (math.log10(CLASSES), "Cross-entropy uses the natural logarithm, not log10."),
              (1 / CLASSES, "1/20 is the probability of the right class; the loss is -ln of it.")],
    rtol=1e-3)

# --- 2. Derive the weight std that keeps a sigmoid network's small signals alive -----------
WIDTH = 100

sigmoid_std = DigitsExercise(
    prompt=f"Near z = 0 a sigmoid layer of {WIDTH} inputs multiplies the std of small input "
           "differences by sqrt(n) std(w) f'(0). Which weight std makes that factor 1?",
    solution=lambda: 1 / (math.sqrt(WIDTH) * float(sigmoid_grad(0.0))),
    explanation="f'(0) = 1/4, so sqrt(100) std / 4 = 1 gives std = 0.4: four times LeCun's 0.1. "
                "Xavier's 0.1 shrinks the differences 4-fold a layer.",
    hint="Set sqrt(n) * std * f'(0) = 1 with f'(0) = sigma(0)(1 - sigma(0)).",
    mistakes=[(1 / math.sqrt(WIDTH), "0.1 is LeCun's std, right for a slope of 1; sigmoid's slope is 1/4."),
              (0.25 / math.sqrt(WIDTH), "Divide by f'(0), do not multiply: a flatter function needs "
                                        "larger weights."),
              (0.16, "0.16 is a variance; the std is its square root.")],
    rtol=1e-3)

# --- 3. How fast does tanh's signal fade without the gain? --------------------------------
TANH_START, TANH_LAYER = 0.3943, 100


def _fading_variance(q1: float, layer: int) -> float:
    """1/q grows by 2 a layer under q -> q - 2 q^2 (the small-q map of tanh with gain 1)."""
    return 1 / (1 / q1 + 2 * (layer - 1))


def _exact_variance(q1: float, layer: int) -> float:
    """q -> E[tanh(sqrt(q) z)^2], z ~ N(0, 1), iterated exactly (Gauss-Hermite quadrature)."""
    z, weights = np.polynomial.hermite_e.hermegauss(80)
    weights = weights / weights.sum()
    q = q1
    for _ in range(layer - 1):
        q = float(weights @ np.tanh(math.sqrt(q) * z) ** 2)
    return q


tanh_depth = DigitsExercise(
    prompt=f"With gain 1, wide tanh layers map the pre-activation variance q to about q - 2q^2 "
           f"when q is small. Layer 1 has q = {TANH_START}. Predict q at layer {TANH_LAYER}.",
    solution=lambda: _fading_variance(TANH_START, TANH_LAYER),
    explanation="1/(q - 2q^2) = (1/q)(1 + 2q + ...) = 1/q + 2: 1/q grows by 2 a layer, so "
                "q_100 = 1 / (1/0.3943 + 198) = 0.00499. The signal fades like 1/(2l): slowly, "
                "but without end. Gain 5/3 stops it at a fixed point instead.",
    hint="Look at 1/q instead of q: what does one layer add to it?",
    mistakes=[(_exact_variance(TANH_START, TANH_LAYER),
               "That is the exact map iterated (well done); now predict it from the small-q map alone: "
               "the two agree to 2%."),
              (TANH_START * (1 - 2 * TANH_START) ** (TANH_LAYER - 1),
               "The factor 1 - 2q is not constant: q shrinks, so the factor approaches 1.")],
    rtol=3e-3)


def function_answer_problem(answer: object, prompt: str, library: object, signature: str) -> Feedback | None:
    """The verdict on an answer that is not yet a function of one's own, else None."""
    if answer is None or answer is Ellipsis:
        return Feedback(False, f"No answer yet. {prompt}")
    if answer is library:
        return Feedback(False, "That is nbsupport's own function: write the formula yourself.")
    if not callable(answer):
        return Feedback(False, f"Give a function {signature}, got {type(answer).__name__}.")
    return None


# --- 4. Write the update-to-data ratio ------------------------------------------------------
@dataclass
class UpdateRatioExercise:
    """Write ratio(before, after); it is compared with nbsupport's on a few weight matrices."""

    prompt: str

    def _cases(self) -> list[tuple[np.ndarray, np.ndarray]]:
        rng = np.random.default_rng(7)
        cases = []
        for shape, scale, step in [((20, 10), 0.1, 1e-4), ((64, 100), 1.0, 0.3), ((5, 3), 7.0, 1e-2)]:
            before = rng.normal(size=shape) * scale
            cases.append((before, before + rng.normal(size=shape) * step + 0.5 * step))
        return cases

    def evaluate(self, answer: object) -> Feedback:
        problem = function_answer_problem(answer, self.prompt, training.update_ratio, "ratio(before, after)")
        if problem is not None:
            return problem
        for before, after in self._cases():
            want = training.update_ratio(before, after)
            try:
                got = float(answer(before.copy(), after.copy()))
            except Exception as err:  # the student's code: report, never crash the cell
                return Feedback(False, f"Your function raised {type(err).__name__}: {err}")
            if not math.isclose(got, want, rel_tol=1e-6):
                hint = ("use the std of the difference, not the difference of the stds"
                        if math.isclose(got, abs(after.std() - before.std()) / before.std(), rel_tol=1e-6)
                        else "std(after - before) / std(before)")
                return Feedback(False, f"For a {before.shape} matrix you give {got:.4g}, expected "
                                       f"{want:.4g}: {hint}.")
        return Feedback(True, "std(after - before) / std(before): the size of a step relative to the "
                              "weights. A mean shift counts too: every weight moving by the same amount "
                              "is a step, yet leaves the std of the weights unchanged.")

    def check(self, answer: object) -> None:
        """Print the verdict on ``answer`` (one line)."""
        print(self.evaluate(answer))


update_ratio = UpdateRatioExercise(
    prompt="Write ratio(before, after) for two weight matrices: the update-to-data ratio of one step.")

"""Exercises for notebook 11 (from initialization to training), checked at once with hints.

::

    from nbsupport.exercises import init_training as ex
    answer = None
    ex.initial_loss.check(answer)

The expected answers are computed: ln(k) by :func:`nbsupport.training.expected_initial_loss`,
the sigmoid scale from the small-signal gain sqrt(n) std f'(0), tanh's shrinking
variance from the series tanh(x)^2 = x^2 - 2x^4/3 + ..., and the update-to-data ratio
by :func:`nbsupport.training.update_ratio`.  Each number exercise declares the digits its
question asks for (``decimals`` or ``significant``) and whether it is a prediction or a
derivation on paper; the function exercise forbids ``nbsupport.training.update_ratio``,
whether passed as the answer or called inside it (:class:`PairFunctionExercise`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .. import training
from ..activations import sigmoid_grad
from ..calculus import normal_mean
from . import Exercise, Feedback, ShortcutUsed, real_numbers

__all__ = ["CLASSES", "WIDTH", "TANH_START", "TANH_LAYER", "initial_loss", "sigmoid_std",
           "tanh_depth", "PairFunctionExercise", "update_ratio"]


# --- 1. Predict the initial loss of a 20-class network --------------------------------------
CLASSES = 20

initial_loss = Exercise(
    prompt=f"A well-initialized network with {CLASSES} classes takes its first step. "
           "Which loss should it print before that step? Three decimals.",
    solution=lambda: training.expected_initial_loss(CLASSES),
    explanation="ln 20 = 2.996: the cross-entropy of giving each of the 20 classes probability 1/20.",
    hint="A good start spreads the probability evenly; the loss is -ln of the right class's probability.",
    mistakes=[(math.log(10), "ln 10 is for ten classes; here there are 20."),
              (math.log10(CLASSES), "Cross-entropy uses the natural logarithm, not log10."),
              (1 / CLASSES, "1/20 is the probability of the right class; the loss is -ln of it.")],
    decimals=3,
    kind="prediction")

# --- 2. Derive the weight std that keeps a sigmoid network's small signals alive -----------
WIDTH = 100

sigmoid_std = Exercise(
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
    rtol=1e-3,
    kind="derivation")

# --- 3. How fast does tanh's signal fade without the gain? --------------------------------
TANH_START, TANH_LAYER = 0.3943, 100


def _fading_variance(q1: float, layer: int) -> float:
    """1/q grows by 2 a layer under q -> q - 2 q^2 (the small-q map of tanh with gain 1)."""
    return 1 / (1 / q1 + 2 * (layer - 1))


def _exact_variance(q1: float, layer: int) -> float:
    """q -> E[tanh(sqrt(q) z)^2], z ~ N(0, 1), iterated exactly (by quadrature)."""
    q = q1
    for _ in range(layer - 1):
        q = normal_mean(lambda z, q=q: np.tanh(math.sqrt(q) * z) ** 2)
    return q


tanh_depth = Exercise(
    prompt=f"With gain 1, wide tanh layers map the pre-activation variance q to about q - 2q^2 "
           f"when q is small. Layer 1 has q = {TANH_START}. Predict q at layer {TANH_LAYER} "
           "(three significant digits).",
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
    significant=3,
    kind="derivation")


@dataclass
class PairFunctionExercise(Exercise):
    """A "write this function" exercise whose function takes two arrays, ``f(a, b)``.

    ``inputs`` is a list of ``(a, b)`` pairs and ``solution(a, b)`` the reference; the
    answer must return the same number on every pair, within ``rtol``/``atol``. As in
    :class:`Exercise`, a ``forbidden`` function passed as the answer or called inside it
    is rejected. ``diagnose(answer, a, b)`` returns the hint for a wrong value on one pair.

    >>> ex = PairFunctionExercise(prompt="Write f(a, b) = a + b.", solution=lambda a, b: a + b,
    ...     explanation="Right.", hint="Add them.", inputs=[(1.0, 2.0)], forbidden=("operator.add",))
    >>> ex.evaluate(lambda a, b: a + b).correct, ex.evaluate(lambda a, b: a * b).correct
    (True, False)
    """

    diagnose: Callable[[Callable, Any, Any], str] | None = None

    def _evaluate_function(self, answer: Any) -> Feedback:
        if not callable(answer) or self.shortcut_in(answer):
            return super()._evaluate_function(answer)   # not a function, or the library's own
        for a, b in self.inputs:
            want = float(self.solution(np.copy(a), np.copy(b)))
            try:
                with self._forbidden_raise(answer), np.errstate(all="ignore"):
                    result = answer(np.copy(a), np.copy(b))
            except ShortcutUsed as used:
                return Feedback(False, f"Your function calls {used}, the function this exercise "
                                       f"asks you to write. {self.hint}")
            except Exception as err:  # the student's code: report, never crash the cell
                return Feedback(False, f"Your function raised {type(err).__name__}: {err}")
            values = real_numbers(result)
            if values is None or values.size != 1:  # complex, text, several numbers
                shape = f" of shape {values.shape}" if values is not None else ""
                return Feedback(False, f"Your function returned {type(result).__name__}{shape}, "
                                       "expected one real number.")
            got = float(values.reshape(()))
            if not math.isclose(got, want, rel_tol=self.rtol, abs_tol=self.atol):
                hint = self.diagnose(answer, a, b) if self.diagnose else self.hint
                return Feedback(False, f"On inputs of shape {np.shape(a)} you give {got:.6g}, "
                                       f"expected {want:.6g}: {hint}")
        return Feedback(True, self.explanation)


# --- 4. Write the update-to-data ratio ------------------------------------------------------
def _ratio_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    """Weight matrices before and after a step: small, large and mean-shifted steps."""
    rng = np.random.default_rng(7)
    cases = []
    for shape, scale, step in [((20, 10), 0.1, 1e-4), ((64, 100), 1.0, 0.3), ((5, 3), 7.0, 1e-2)]:
        before = rng.normal(size=shape) * scale
        cases.append((before, before + rng.normal(size=shape) * step + 0.5 * step))
    return cases


def _ratio_slip(answer: Callable, before: np.ndarray, after: np.ndarray) -> str:
    """The hint for a wrong ratio: the usual slip is the difference of the stds."""
    with np.errstate(all="ignore"):
        got = float(answer(before.copy(), after.copy()))
    if math.isclose(got, abs(after.std() - before.std()) / before.std(), rel_tol=1e-6):
        return "use the std of the difference, not the difference of the stds."
    return "std(after - before) / std(before)."


update_ratio = PairFunctionExercise(
    prompt="Write ratio(before, after) for two weight matrices: the update-to-data ratio of one step.",
    solution=training.update_ratio,
    explanation="std(after - before) / std(before): the size of a step relative to the weights. "
                "A mean shift counts too: every weight moving by the same amount is a step, yet "
                "leaves the std of the weights unchanged.",
    hint="Write std(after - before) / std(before) with NumPy.",
    inputs=_ratio_cases(),
    rtol=1e-6,
    forbidden=("nbsupport.training.update_ratio",),
    diagnose=_ratio_slip)

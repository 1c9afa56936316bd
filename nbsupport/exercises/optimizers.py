"""Exercises for notebook 10 (optimizers), with answers computed by :mod:`nbsupport.optim`.

Every question asks for 3 significant digits (``significant=3``: the exact value rounded
or truncated passes, a right value with fewer digits gets a hint to give more); the
usual wrong answers (the smallest
curvature instead of the largest, the step without momentum, a sum of squares that
forgets the first gradient, a square root too many) get a hint aimed at that mistake.

>>> from nbsupport.exercises import optimizers as ex
>>> ex.learning_rate_threshold.evaluate(1 / 3).correct
True
"""
from __future__ import annotations

import numpy as np

from ..optim import SGD, Adagrad, Quadratic, lr_threshold
from . import Exercise

__all__ = ["CURVATURES", "TERMINAL", "ADAGRAD_STEPS", "NOISE", "learning_rate_threshold",
           "terminal_step", "adagrad_by_hand", "noise_at_larger_batch"]

#: f(w) = 3 w1^2 + 0.5 w2^2 = 0.5 (6 w1^2 + 1 w2^2): the curvatures 6 and 1.
CURVATURES = (6.0, 1.0)
#: Momentum, learning rate and a constant gradient for the terminal-velocity question.
TERMINAL = {"momentum": 0.93, "lr": 0.1, "grad": 0.37}
#: Start, learning rate and the two gradients of the Adagrad question.
ADAGRAD_STEPS = {"w0": 1.0, "lr": 0.5, "grads": (2.0, 1.0)}
#: A measured noise E||g_B - g||^2 at one batch size, and the batch size asked about.
NOISE = {"batch": 6, "value": 1.08, "asked": 16}


def _three_digit_exercise(*, kind: str = "compute", **fields) -> Exercise:
    """A numeric exercise that asks for 3 significant digits."""
    return Exercise(**fields, significant=3, kind=kind)


def _threshold() -> float:
    return lr_threshold(Quadratic(np.diag(CURVATURES)).L)


def _terminal_step(steps: int = 2000) -> float:
    """Run SGD with momentum on a constant gradient until its step stops changing."""
    w = np.zeros(1)
    opt = SGD(TERMINAL["lr"], momentum=TERMINAL["momentum"])
    before = 0.0
    for _ in range(steps):
        before = float(w[0])
        opt.step([w], [np.array([TERMINAL["grad"]])])
    return before - float(w[0])


def _adagrad(grads=ADAGRAD_STEPS["grads"]) -> float:
    w = np.array([ADAGRAD_STEPS["w0"]])
    opt = Adagrad(ADAGRAD_STEPS["lr"], eps=0.0)
    for g in grads:
        opt.step([w], [np.array([g])])
    return float(w[0])


def _adagrad_without_root() -> float:
    """The usual slip: dividing by s instead of sqrt(s)."""
    w, s = ADAGRAD_STEPS["w0"], 0.0
    for g in ADAGRAD_STEPS["grads"]:
        s += g * g
        w -= ADAGRAD_STEPS["lr"] * g / s
    return w


def _noise() -> float:
    return NOISE["value"] * NOISE["batch"] / NOISE["asked"]


learning_rate_threshold = _three_digit_exercise(
    kind="derivation",
    prompt="f(w) = 3 w1^2 + 0.5 w2^2. Plain gradient descent converges for every start when "
           "0 < lr < what? (3 significant digits)",
    solution=_threshold,
    explanation="Written as 0.5 (6 w1^2 + 1 w2^2) the curvatures are 6 and 1. Each coordinate "
                "is multiplied by (1 - lr h) per step; the steep one needs |1 - 6 lr| < 1, so lr < 2/6 = 1/3.",
    hint="Write f as 0.5 (h1 w1^2 + h2 w2^2). One step multiplies w_i by (1 - lr h_i); "
         "which coordinate breaks |1 - lr h_i| < 1 first?",
    mistakes=[(2.0 / CURVATURES[1], "That is 2 / h for the FLAT direction (h = 1). The steep one "
                                    "(h = 6) diverges long before: the largest curvature sets the limit."),
              (1.0 / CURVATURES[0], "With lr = 1/6 the steep coordinate lands on 0 in one step; it still "
                                    "converges (with a zig-zag) up to twice that."),
              (2.0 / 3.0, "The curvature of 3 w1^2 is its second derivative, 6, not 3 (f = 0.5 h w^2).")],
)

terminal_step = _three_digit_exercise(
    kind="prediction",
    prompt=f"SGD with momentum {TERMINAL['momentum']} and learning rate {TERMINAL['lr']} sees the same "
           f"gradient g = {TERMINAL['grad']} at every step. How long does its step become after many "
           "steps? (3 significant digits)",
    solution=_terminal_step,
    explanation="The buffer settles where b = mu b + g, that is b = g / (1 - mu), and the step is "
                "lr g / (1 - mu) = 0.1 * 0.37 / 0.07 = 0.529: momentum multiplies a steady slope by "
                "1 / (1 - mu), here about 14.",
    hint="Find the fixed point of b <- mu b + g; the step is lr times b.",
    mistakes=[(TERMINAL["lr"] * TERMINAL["grad"], "That is the step without momentum, lr g. The buffer "
                                                   "keeps adding the same g: where does b = mu b + g settle?"),
              (TERMINAL["lr"] * TERMINAL["grad"] * TERMINAL["momentum"] / (1 - TERMINAL["momentum"]),
               "Almost: that is lr mu g / (1 - mu), the part carried from earlier steps. Add this "
               "step's own g.")],
)

adagrad_by_hand = _three_digit_exercise(
    prompt=f"Adagrad (eps = 0) with lr = {ADAGRAD_STEPS['lr']} starts at w = {ADAGRAD_STEPS['w0']} and "
           f"sees the gradients {ADAGRAD_STEPS['grads'][0]} and then {ADAGRAD_STEPS['grads'][1]}. "
           "What is w after the two steps? (3 significant digits)",
    solution=_adagrad,
    explanation="Step 1: s = 4, w = 1 - 0.5 * 2 / 2 = 0.5. Step 2: s = 4 + 1 = 5, "
                "w = 0.5 - 0.5 * 1 / sqrt(5) = 0.2764. The sum remembers the first gradient.",
    hint="s <- s + g^2, then w <- w - lr g / sqrt(s), twice, starting from s = 0.",
    mistakes=[(ADAGRAD_STEPS["w0"] - ADAGRAD_STEPS["lr"] * sum(ADAGRAD_STEPS["grads"]),
               "Each step divides g by sqrt(s), the root of the running sum of squares, so the "
               "first step has length lr = 0.5, not lr g = 1."),
              (0.0, "That divides the second gradient by sqrt(1) only: Adagrad's s is the SUM of all "
                    "squared gradients so far, 4 + 1."),
              (_adagrad_without_root(), "Divide by sqrt(s), not by s.")],
)

noise_at_larger_batch = _three_digit_exercise(
    kind="prediction",
    prompt=f"At batch size {NOISE['batch']} the mini-batch gradient's mean squared error "
           f"E||g_B - g||^2 is {NOISE['value']}. What is it at batch size {NOISE['asked']}? "
           "(3 significant digits)",
    solution=_noise,
    explanation="The mean of B independent samples has variance sigma^2 / B, with sigma^2 = 6 * 1.08 = 6.48: "
                "6.48 / 16 = 0.405 (the standard deviation falls only by sqrt(6 / 16)).",
    hint="The squared error of a mean of B independent samples is sigma^2 / B.",
    mistakes=[(NOISE["value"] * np.sqrt(NOISE["batch"] / NOISE["asked"]),
               "That scales by sqrt(6 / 16), which is what the standard deviation does. The question "
               "asks for the squared error, which falls as 1 / B."),
              (NOISE["value"] / NOISE["asked"], "That divides by 16 from scratch, but 1.08 is already "
                                                "the value at B = 6: sigma^2 = 6 * 1.08.")],
)

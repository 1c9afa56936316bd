"""Exercises for notebook 03 (the ReLU family), checked at once with hints.

The data each question refers to is defined here, seeded, so the notebook prints the
same arrays the checker uses::

    from nbsupport.exercises import relu as ex
    print(ex.DEAD_Z.round(2))
    answer = None
    ex.dead_share.check(answer)

Every expected answer is computed with ``nbsupport.activations``; the known wrong
answers are the usual slips (one-sided derivatives only, counting entries instead of
units, forgetting the mask of PReLU's alpha gradient, confusing ELU's value with its
slope, taking a bound of RReLU's interval instead of its midpoint).
"""
from __future__ import annotations

import numpy as np

from ..activations import elu, elu_grad, leaky_relu, prelu_grad_alpha, relu, rrelu
from ..calculus import normal_mean
from ..diagnostics import dead_share as _dead_share
from . import Exercise

__all__ = ["SLOPES", "DEAD_Z", "PRELU_P", "PRELU_UPSTREAM", "PRELU_ALPHA", "ELU_X", "ELU_ALPHA",
           "RRELU_LOWER", "RRELU_UPPER", "LEAKY_ALPHA", "FAN_IN", "subgradients", "dead_share",
           "prelu_grad", "elu_slope", "rrelu_eval_slope", "leaky_he_std"]

# --- 1. Which slopes are subgradients of ReLU at 0? ------------------------------------
SLOPES = np.array([-0.5, 0.0, 0.5, 1.0, 1.5])


def _is_subgradient_at_zero(g: float) -> bool:
    """g is a subgradient of ReLU at 0 when ReLU(y) >= ReLU(0) + g y for all y (checked on a grid)."""
    y = np.linspace(-10.0, 10.0, 2001)
    return bool(np.all(relu(y) >= relu(0.0) + g * y))


subgradients = Exercise(
    prompt=f"For each slope g in SLOPES = {SLOPES.tolist()}, is g a subgradient of ReLU at 0? "
           "Answer with a list of True/False.",
    solution=lambda: [_is_subgradient_at_zero(g) for g in SLOPES],
    explanation="Every g in [0, 1] works: the line g*x touches ReLU at 0 and stays below it on "
                "both sides. Libraries pick one of them (0 here, the left derivative).",
    hint="Test each slope: does the line y = g*x stay on or below ReLU(x) for negative AND "
         "positive x?",
    mistakes=[([False, True, False, True, False],
               "0 and 1 are the one-sided derivatives, but any slope between them also keeps "
               "the line under ReLU: try g = 0.5 at x = -1 and x = 1."),
              ([False, True, False, False, False],
               "0 is the convention nbsupport uses (relu_grad(0) == 0), not the only valid "
               "subgradient."),
              ([True, True, True, True, True],
               "A negative slope puts the line above ReLU for x < 0, and a slope above 1 for "
               "x > 0: draw g = -0.5 and g = 1.5.")])

# --- 2. Share of dead units --------------------------------------------------------------
def _dead_z() -> np.ndarray:
    rng = np.random.default_rng(2024)
    z = rng.normal(0.0, 1.0, size=(8, 6)).round(2)
    z[:, [1, 4]] = -np.abs(z[:, [1, 4]])  # two units are off on every sample
    z[0, 1] = 0.0  # exactly 0 also counts as inactive (ReLU'(0) = 0)
    return z


DEAD_Z = _dead_z()
"""Pre-activations of a layer of 6 ReLU units (columns) on a batch of 8 samples (rows)."""

dead_share = Exercise(
    prompt="DEAD_Z holds the pre-activations of 6 ReLU units (columns) on 8 samples (rows). "
           "What share of the units is dead on this batch (a number in [0, 1], two decimals)?",
    solution=lambda: _dead_share(DEAD_Z),
    explanation="A unit is dead on the batch when its pre-activation is <= 0 for every sample: "
                "then its output and its gradient are 0 everywhere, and no weight update reaches it.",
    hint="Look at each column: is there any sample on which the unit is positive?",
    mistakes=[(float(np.mean(DEAD_Z <= 0)),
               "That is the share of inactive entries. A unit is dead only when ALL its entries "
               "(its whole column) are <= 0."),
              (float(np.mean(np.all(DEAD_Z < 0, axis=0))),
               "A pre-activation of exactly 0 also gives output 0 and gradient 0: count <= 0, not < 0."),
              (float(np.mean(np.all(DEAD_Z <= 0, axis=1))),
               "Rows are samples, columns are units: check the columns.")],
    decimals=2)

# --- 3. PReLU: dE/dalpha -----------------------------------------------------------------
def _prelu_data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    return rng.normal(0.0, 1.0, size=(5, 3)).round(2), rng.normal(0.0, 1.0, size=(5, 3)).round(2)


PRELU_P, PRELU_UPSTREAM = _prelu_data()
"""PReLU inputs p (5 samples x 3 units) and the upstream gradient dE/df at each of them."""
PRELU_ALPHA = np.array([0.25, 0.25, 0.25])
"""One learnable slope per unit."""

prelu_grad = Exercise(
    prompt="A PReLU layer with one alpha per unit (PRELU_ALPHA) sees the inputs PRELU_P and "
           "receives the upstream gradient PRELU_UPSTREAM = dE/df. Give dE/dalpha, one number "
           "per unit (an array of 3).",
    solution=lambda: (PRELU_UPSTREAM * prelu_grad_alpha(PRELU_P, PRELU_ALPHA)).sum(axis=0),
    explanation="df/dalpha = min(p, 0), so dE/dalpha_j = sum over samples of dE/df * min(p, 0): "
                "only the negative inputs of unit j contribute.",
    hint="Use the chain rule per element, dE/df * df/dalpha, then add up everything that "
         "shares the same alpha (a column).",
    mistakes=[((PRELU_UPSTREAM * PRELU_P).sum(axis=0),
               "df/dalpha is p only where p < 0 and 0 where p > 0: apply the mask min(p, 0)."),
              ((PRELU_UPSTREAM * np.maximum(PRELU_P, 0)).sum(axis=0),
               "alpha scales the NEGATIVE part: df/dalpha = min(p, 0), not max(p, 0)."),
              ((PRELU_UPSTREAM * np.minimum(PRELU_P, 0)).mean(axis=0),
               "E depends on alpha_j through every sample, so the contributions add up: sum, "
               "do not average."),
              ((PRELU_UPSTREAM * PRELU_ALPHA * np.minimum(PRELU_P, 0)).sum(axis=0),
               "That is alpha times the answer: df/dalpha = min(p, 0) does not contain alpha.")])

# --- 4. ELU's slope on the negative side --------------------------------------------------
ELU_X = -1.0
ELU_ALPHA = 2.0

elu_slope = Exercise(
    prompt=f"What is the derivative of ELU with alpha = {ELU_ALPHA} at x = {ELU_X}? Four decimals.",
    solution=lambda: float(elu_grad(ELU_X, ELU_ALPHA)),
    explanation="For x <= 0, ELU(x) = alpha (e^x - 1), so ELU'(x) = alpha e^x = ELU(x) + alpha: "
                "small but never exactly 0.",
    hint="Differentiate alpha (e^x - 1) with respect to x and evaluate at the point.",
    mistakes=[(0.0, "That is ReLU's slope for negative x. ELU keeps a positive slope there."),
              (1.0, "1 is the slope for x > 0; the point is on the negative side."),
              (float(elu(ELU_X, ELU_ALPHA)), "That is the value ELU(x), not its slope."),
              (float(np.exp(ELU_X)), "Do not drop alpha: the slope is alpha e^x.")],
    decimals=4)

# --- 5. RReLU at evaluation time -----------------------------------------------------------
RRELU_LOWER, RRELU_UPPER = 0.05, 0.3

rrelu_eval_slope = Exercise(
    prompt=f"RReLU draws its negative-side slope from U({RRELU_LOWER}, {RRELU_UPPER}) "
           "during training. Which fixed slope does it use at evaluation time?",
    solution=lambda: float(-rrelu(-1.0, RRELU_LOWER, RRELU_UPPER, training=False)),
    explanation="At evaluation RReLU replaces the random slope by its expectation "
                "(l + u) / 2, so the network's output is deterministic and equal on average "
                "to what training saw.",
    hint="Which single slope matches the random slopes on average?",
    mistakes=[(RRELU_LOWER, "That is the lower end of the interval, not its mean."),
              (RRELU_UPPER, "That is the upper end of the interval, not its mean."),
              ((RRELU_UPPER - RRELU_LOWER) / 2, "That is half the width of the interval; the mean "
                                                "is (l + u) / 2."),
              (0.01, "0.01 is Leaky ReLU's usual slope; RReLU uses the mean of its interval.")],
    rtol=1e-3)


# --- 6. He initialisation for Leaky ReLU (a derivation) -----------------------------------
LEAKY_ALPHA = 0.2
FAN_IN = 256


def _second_moment(f) -> float:
    """E[f(z)^2] for a standard normal z, by quadrature."""
    return normal_mean(lambda t: f(t) ** 2)


def _std_keeping_second_moment(alpha: float, n: int) -> float:
    """The weight std with n std^2 E[f(z)^2] = 1 for f = Leaky ReLU, E[.] by quadrature."""
    return float(1 / np.sqrt(n * _second_moment(lambda t: leaky_relu(t, alpha))))


leaky_he_std = Exercise(
    prompt=f"A layer of Leaky ReLUs (alpha = {LEAKY_ALPHA}) has n = {FAN_IN} inputs. Which weight "
           "std keeps the second moment of the activations the same from layer to layer? "
           "Four decimals.",
    solution=lambda: _std_keeping_second_moment(LEAKY_ALPHA, FAN_IN),
    explanation="For symmetric z, E[f(z)^2] = (1 + alpha^2) Var(z) / 2: the positive half keeps "
                "its share, the negative half keeps alpha^2 of it. Each layer multiplies the "
                "second moment by n std^2 (1 + alpha^2) / 2, so std = sqrt(2 / ((1 + alpha^2) n)). "
                "alpha = 0 gives He's sqrt(2/n); alpha = 1 (a linear unit) gives LeCun's sqrt(1/n).",
    hint="Split E[f(z)^2] into the halves z > 0 (f = z) and z < 0 (f = alpha z); each half of "
         "a symmetric z carries half of E[z^2]. Then ask that n std^2 E[f^2] / E[z^2] = 1.",
    mistakes=[(np.sqrt(2 / FAN_IN), "That is He's std for ReLU (alpha = 0). The leaky side "
                                    "keeps alpha^2 of the negative half: the std is a little smaller."),
              (np.sqrt(1 / FAN_IN), "That is LeCun's 1/sqrt(n), right for alpha = 1 only."),
              (np.sqrt(2 / ((1 + LEAKY_ALPHA) ** 2 * FAN_IN)),
               "The negative half contributes alpha^2 of its second moment, so the factor is "
               "(1 + alpha^2) / 2, not (1 + alpha)^2 / 2."),
              (np.sqrt(2 / ((1 - LEAKY_ALPHA ** 2) * FAN_IN)), "Check the sign: the leaky half adds "
                                                               "alpha^2 / 2, so it is 1 + alpha^2.")],
    decimals=4,
    kind="derivation",
)

"""Exercises for notebook 06 (the LogSumExp trick), with answers computed by nbsupport.

Numeric answers are accepted to about 4 significant digits (``rtol=1e-4``); known
wrong answers, such as the ``inf`` of the naive formula, get a targeted hint.

>>> from nbsupport.exercises import logsumexp as ex
>>> ex.lse_of_a_tie.evaluate(1000.6931).correct
True
"""
from __future__ import annotations

import numpy as np

from ..losses import softmax_cross_entropy_with_logits
from ..normalizers import log_softmax, logsumexp
from . import Exercise

__all__ = ["lse_of_a_tie", "float32_exp_limit", "lse_of_equal_values", "smooth_max_temperature",
           "stable_log_softmax", "cross_entropy_of_huge_logits"]

#: Logits and label of the cross-entropy exercise: confidently wrong by 1000.
HUGE_LOGITS = np.array([1000.0, 0.0, -1000.0])
HUGE_LABEL = 1

lse_of_a_tie = Exercise(
    prompt="What is LSE([1000, 1000]) = log(exp(1000) + exp(1000))?",
    solution=lambda: float(logsumexp([1000.0, 1000.0])),
    explanation="log(2 e^1000) = 1000 + ln 2, about 1000.6931: a tie adds ln 2 to the maximum.",
    hint="Take the maximum out: LSE(z) = max + log(sum(exp(z - max))), and here z - max = [0, 0].",
    mistakes=[(np.inf, "inf is what the naive formula gives: exp(1000) overflows. Shift by the "
                       "maximum before exponentiating."),
              (1000.0, "That is the maximum alone. Two equal terms double the sum, which adds "
                       "ln 2 to its log."),
              (2000.0, "The log of a sum is not the sum of the logs.")],
    rtol=1e-7,
)

float32_exp_limit = Exercise(
    prompt="Above which x does np.exp(np.float32(x)) overflow to inf? (4 significant digits)",
    solution=lambda: float(np.log(np.finfo(np.float32).max)),
    explanation="ln(largest float32) = ln(3.4028e38), about 88.72. In float32 the naive "
                "formulas break for scores above 88.7, not 709.8.",
    hint="exp(x) overflows when it exceeds the largest finite number of the type: "
         "take the log of np.finfo(np.float32).max.",
    mistakes=[(float(np.log(np.finfo(np.float64).max)), "That is the float64 limit (709.78). "
                                                         "float32 has a much smaller range."),
              (float(np.finfo(np.float32).max), "That is the largest float32 itself; the question "
                                                "asks for the x whose exp reaches it.")],
    rtol=1e-4,
)

lse_of_equal_values = Exercise(
    prompt="What is LSE(z) for n = 8 scores that are all equal to 3?",
    solution=lambda: float(logsumexp(np.full(8, 3.0))),
    explanation="log(8 e^3) = 3 + ln 8, about 5.079: equal scores reach the upper bound "
                "max + ln n exactly.",
    hint="The sum is 8 copies of e^3; take its log.",
    mistakes=[(3.0, "That is the maximum, the lower bound. With n equal terms the sum is n times "
                    "bigger, which adds ln n."),
              (3.0 + np.log2(8.0), "That used log base 2; LSE uses the natural log."),
              (24.0, "That is the plain sum of the scores, not the log of the sum of their exps.")],
    rtol=1e-4,
)

smooth_max_temperature = Exercise(
    prompt="For n = 100 scores, what is the largest temperature T that guarantees "
           "T * LSE(z / T) - max(z) <= 0.01 for every z?",
    solution=lambda: 0.01 / float(logsumexp(np.zeros(100))),
    explanation="The gap is at most T ln n, reached when all scores tie, so T = 0.01 / ln 100, "
                "about 0.002171.",
    hint="Use max <= LSE(y) <= max + ln n with y = z / T, then multiply by T.",
    mistakes=[(0.01, "That forgets the ln n: with 100 tied scores the gap is T ln 100, about 4.6 T."),
              (1e-4, "That divides by n instead of ln n: the bound grows only like the log of n.")],
    rtol=1e-3,
)

stable_log_softmax = Exercise(
    prompt="Write a function of a 2-D array z that returns log(softmax(z)) over the last axis "
           "without ever computing softmax (rows may contain scores like 1000 or -1000).",
    solution=log_softmax,
    explanation="log softmax(z) = z - LSE(z) = (z - max) - log(sum(exp(z - max))): no "
                "probability is formed, so nothing underflows to log(0).",
    hint="Subtract the row maximum m = z.max(axis=-1, keepdims=True), then subtract "
         "np.log(np.exp(z - m).sum(axis=-1, keepdims=True)). np.log(softmax) fails where "
         "a probability underflows to 0.",
    inputs=np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1001.0, -1002.0], [1.0, 2.0, 3.0]]),
)

cross_entropy_of_huge_logits = Exercise(
    prompt="With logits [1000, 0, -1000] and true class 2 (index 1), what is the cross-entropy loss?",
    solution=lambda: float(softmax_cross_entropy_with_logits(np.array([HUGE_LABEL]),
                                                             HUGE_LOGITS[None, :])),
    explanation="loss = LSE(z) - z_y = (1000 + log(1 + e^-1000 + e^-2000)) - 0, which is 1000 "
                "to double precision: large, finite and with a useful gradient.",
    hint="Cross-entropy from logits is LSE(z) - z[y]; compute LSE with the max shift.",
    mistakes=[(np.inf, "inf is the naive answer: softmax gives class 2 a probability that "
                       "underflows to 0, and -log(0) = inf. Never form the probabilities."),
              (0.0, "0 would mean class 2 is certain; it is the class with a score 1000 below "
                    "the top.")],
    rtol=1e-9,
)

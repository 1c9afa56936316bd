"""Exercises for notebook 06 (the LogSumExp trick), with answers computed by nbsupport.

Each question says how many digits it wants and the checker accepts exactly those;
known wrong answers, such as the ``inf`` of the naive formula, get a targeted hint.

>>> from nbsupport.exercises import logsumexp as ex
>>> ex.lse_of_a_tie.evaluate(1000.6931).correct
True
"""
from __future__ import annotations

import numpy as np

from ..losses import softmax_cross_entropy_with_logits
from ..normalizers import log_softmax, logsumexp
from . import Exercise

__all__ = ["lse_of_a_tie", "float16_exp_limit", "lse_of_equal_values", "smooth_max_temperature",
           "stable_log_softmax", "cross_entropy_of_huge_logits"]

#: Logits and label of the cross-entropy exercise: two huge scores 1 apart, the true one second.
HUGE_LOGITS = np.array([800.0, 799.0, -800.0])
HUGE_LABEL = 1
#: n equal scores of this value, for the upper bound max + ln n.
TIES, TIE_VALUE = 5, 2.0

lse_of_a_tie = Exercise(
    prompt="By hand: what is LSE([1000, 1000]) = log(exp(1000) + exp(1000))? (four decimals)",
    solution=lambda: float(logsumexp([1000.0, 1000.0])),
    explanation="log(2 e^1000) = 1000 + ln 2, about 1000.6931: a tie adds ln 2 to the maximum.",
    hint="Take the maximum out: LSE(z) = max + log(sum(exp(z - max))), and here z - max = [0, 0].",
    mistakes=[(np.inf, "inf is what the naive formula gives: exp(1000) overflows. Shift by the "
                       "maximum before exponentiating."),
              (1000.0, "That is the maximum alone. Two equal terms double the sum, which adds "
                       "ln 2 to its log."),
              (2000.0, "The log of a sum is not the sum of the logs.")],
    decimals=4, kind="derivation",
)

float16_exp_limit = Exercise(
    prompt="Above which x does np.exp(np.float16(x)) overflow to inf? (two decimals)",
    solution=lambda: float(np.log(np.float64(np.finfo(np.float16).max))),
    explanation="ln(largest float16) = ln(65504), about 11.09. Half precision, used to train large "
                "networks, overflows for scores above 11: the max shift is not optional there.",
    hint="exp(x) overflows when it exceeds the largest finite number of the type: "
         "take the log of np.finfo(np.float16).max.",
    mistakes=[(float(np.log(np.finfo(np.float64).max)), "That is the float64 limit (709.78). "
                                                         "float16 has a much smaller range."),
              (float(np.log(np.float64(np.finfo(np.float32).max))), "That is the float32 limit "
                                                                    "(88.72); float16 is smaller still."),
              (float(np.finfo(np.float16).max), "That is the largest float16 itself; the question "
                                                "asks for the x whose exp reaches it.")],
    decimals=2,
)

lse_of_equal_values = Exercise(
    prompt=f"By hand: what is LSE(z) for n = {TIES} scores that are all equal to {TIE_VALUE:g}? "
           "(three decimals)",
    solution=lambda: float(logsumexp(np.full(TIES, TIE_VALUE))),
    explanation="log(5 e^2) = 2 + ln 5, about 3.609: equal scores reach the upper bound "
                "max + ln n exactly.",
    hint="The sum is 5 copies of e^2; take its log: log(n e^m) = m + ln n.",
    mistakes=[(TIE_VALUE, "That is the maximum, the lower bound. With n equal terms the sum is n times "
                          "bigger, which adds ln n."),
              (TIE_VALUE + np.log2(TIES), "That used log base 2; LSE uses the natural log."),
              (TIES * TIE_VALUE, "That is the plain sum of the scores, not the log of the sum of "
                                 "their exps.")],
    decimals=3, kind="derivation",
)

smooth_max_temperature = Exercise(
    prompt="For n = 100 scores, what is the largest temperature T that guarantees "
           "T * LSE(z / T) - max(z) <= 0.01 for every z? (three significant digits)",
    solution=lambda: 0.01 / float(logsumexp(np.zeros(100))),
    explanation="The gap is at most T ln n, reached when all scores tie, so T = 0.01 / ln 100, "
                "about 0.002171.",
    hint="Use max <= LSE(y) <= max + ln n with y = z / T, then multiply by T.",
    mistakes=[(0.01, "That forgets the ln n: with 100 tied scores the gap is T ln 100, about 4.6 T."),
              (1e-4, "That divides by n instead of ln n: the bound grows only like the log of n.")],
    significant=3, kind="derivation",
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
    forbidden=("nbsupport.normalizers.log_softmax", "nbsupport.normalizers.logsumexp"),
)

cross_entropy_of_huge_logits = Exercise(
    prompt="By hand: with logits [800, 799, -800] and true class 2 (index 1), what is the "
           "cross-entropy loss? (three decimals)",
    solution=lambda: float(softmax_cross_entropy_with_logits(np.array([HUGE_LABEL]),
                                                             HUGE_LOGITS[None, :])),
    explanation="loss = LSE(z) - z_y = 800 + ln(1 + e^-1 + e^-1600) - 799 = 1 + ln(1 + e^-1), "
                "about 1.313: an ordinary number, although exp(800) overflows.",
    hint="Cross-entropy from logits is LSE(z) - z[y]; take the maximum 800 out of the LSE.",
    mistakes=[(np.inf, "inf is a naive answer: exp(800) overflows (and exp(800) / sum is NaN). "
                       "Never form the probabilities."),
              (1.0, "That is the difference of the two top logits alone; LSE adds ln(1 + e^-1) to "
                    "the maximum."),
              (float(np.log1p(np.exp(-1.0))), "Do not forget the 800 - 799 = 1: the loss is "
                                              "LSE(z) - z_y.")],
    decimals=3, kind="derivation",
)

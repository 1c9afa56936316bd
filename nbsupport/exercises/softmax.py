"""Exercises for notebook 04 (softmax), with answers computed by nbsupport.

Numeric answers are asked for to three significant digits, so a student may type a
rounded number or compute it; known wrong answers get a targeted hint. No answer is
printed by the notebook before its question.

>>> from nbsupport.exercises import softmax as ex
>>> ex.two_class_probability.evaluate(0.818).correct
True
"""
from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..losses import entropy
from ..normalizers import log_softmax, softmax
from . import Exercise

__all__ = ["SHIFTED_SCORES", "TWO_SCORES", "JACOBIAN_SCORES", "MULTI_HOT",
           "shifted_top_probability", "hot_entropy", "two_class_probability",
           "jacobian_off_diagonal", "stable_softmax", "multi_label_best_loss"]

#: Exercise 1: large scores, to be shifted before softmax.
SHIFTED_SCORES = np.array([1000.0, 1002.0, 1003.0])
#: Exercise 3: two class scores.
TWO_SCORES = np.array([0.5, -1.0])
#: Exercise 4: the scores of the Jacobian entry.
JACOBIAN_SCORES = np.array([1.0, 0.0, -1.0])
#: Exercise 6: a three-hot target, three labels present at once.
MULTI_HOT = np.array([1.0, 1.0, 0.0, 1.0])


def _jacobian_entry(i: int, j: int) -> float:
    s = softmax(JACOBIAN_SCORES)
    return float(s[i] * ((i == j) - s[j]))


def _best_multi_hot_loss(scale: float = 40.0) -> float:
    """-sum(y log softmax(z)) for the multi-hot target, with logits as confident as allowed."""
    z = scale * (2 * MULTI_HOT - 1)  # +scale on the labels, -scale elsewhere
    return float(-np.sum(MULTI_HOT * log_softmax(z)))


shifted_top_probability = Exercise(
    prompt=f"What is the largest probability in softmax({SHIFTED_SCORES.astype(int).tolist()})? "
           "Three significant digits.",
    solution=lambda: float(softmax(SHIFTED_SCORES).max()),
    explanation="Subtracting 1003 from every score changes nothing: softmax only sees differences, "
                "so the answer is e^0 / (e^-3 + e^-1 + e^0), about 0.705.",
    hint="Subtract the largest score first (shift invariance), then apply softmax. "
         "If you got nan, exp(1003) overflowed: that is exactly why we shift.",
    mistakes=[(1.0, "Large scores do not make the output one-hot: the scores still differ by 1 "
                    "and 3, and only differences matter."),
              (1 / 3, "Not uniform either: the scores differ, so the probabilities differ. "
                      "Subtract 1003 from each score and compute softmax.")],
    significant=3,
)

hot_entropy = Exercise(
    prompt="At a very high temperature, what is the entropy (in nats) of softmax over K = 5 "
           "classes? Three significant digits.",
    solution=lambda: float(entropy(softmax(np.arange(5.0), temperature=1e9))),
    explanation="As T grows, softmax(z / T) tends to the uniform distribution, whose entropy "
                "is ln K = ln 5, about 1.609 nats: the largest possible for 5 classes.",
    hint="At high temperature every score divided by T is nearly 0, so every class gets the "
         "same probability 1/K. Compute -sum(p ln p) for that p.",
    mistakes=[(np.log2(5.0), "That is the entropy in bits (log base 2). The notebook uses the "
                             "natural log: nats."),
              (np.log(4.0), "ln 4 is the limit for the four scores of the notebook; here K = 5."),
              (0.0, "Entropy 0 is the other limit, T -> 0, where softmax becomes one-hot.")],
    significant=3,
)

two_class_probability = Exercise(
    prompt=f"For scores z = {TWO_SCORES.tolist()}, what probability does softmax give class 1? "
           "Three significant digits.",
    solution=lambda: float(softmax(TWO_SCORES)[0]),
    explanation="With two classes softmax([z1, z2])[0] = sigmoid(z1 - z2) = sigmoid(1.5), "
                "about 0.818.",
    hint="Divide numerator and denominator by exp(z1): the result is 1 / (1 + exp(-(z1 - z2))).",
    mistakes=[(float(sigmoid(TWO_SCORES[0])), "That is sigmoid(z1) alone. Softmax compares the two "
                                              "scores: use the difference z1 - z2 = 1.5."),
              (float(sigmoid(TWO_SCORES[0] + TWO_SCORES[1])), "Use the difference z1 - z2, not the "
                                                              "sum.")],
    significant=3,
)

jacobian_off_diagonal = Exercise(
    prompt=f"For z = {JACOBIAN_SCORES.tolist()} and s = softmax(z), what is d s_1 / d z_2 "
           "(1-based indices)? Three significant digits.",
    solution=lambda: _jacobian_entry(0, 1),
    explanation="Off the diagonal the Jacobian is -s_i s_j: raising z_2 takes probability away "
                "from class 1, so the entry is negative (about -0.163).",
    hint="The Jacobian is diag(s) - s s^T. For i != j the diag term is 0.",
    mistakes=[(_jacobian_entry(0, 0), "That is the diagonal entry s_1 (1 - s_1), d s_1 / d z_1. "
                                      "Here i = 1 and j = 2 differ."),
              (-_jacobian_entry(0, 1), "Right size, wrong sign: raising another class's score "
                                       "lowers s_1, so the derivative is negative."),
              (0.0, "The outputs are coupled through the shared denominator, so d s_1 / d z_2 "
                    "is not 0.")],
    significant=3,
)

stable_softmax = Exercise(
    prompt="Write a function of a 2-D array z that returns softmax over its last axis "
           "without overflow (rows may contain scores like 1000), without nbs.softmax.",
    solution=softmax,
    explanation="Subtracting each row's maximum keeps every exponent <= 0, so exp never "
                "overflows, and the result is unchanged by shift invariance.",
    hint="Subtract z.max(axis=-1, keepdims=True) before np.exp, and divide by the sum "
         "over axis=-1 with keepdims=True.",
    inputs=np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0], [1.0, 2.0, 3.0]]),
    forbidden=("nbsupport.normalizers.softmax", "nbsupport.normalizers.log_softmax",
               "scipy.special.softmax", "scipy.special.log_softmax"),
)

multi_label_best_loss = Exercise(
    prompt=f"The target is three-hot, y = {MULTI_HOT.astype(int).tolist()}. What is the smallest "
           "value of -sum(y * log softmax(z)) that any logits z can reach? Three significant digits.",
    solution=_best_multi_hot_loss,
    explanation="Softmax shares one unit of probability: the best it can do is 1/3 on each label, "
                "a loss of 3 ln 3, about 3.30, never 0. Several labels need independent sigmoids.",
    hint="The loss is -ln p_1 - ln p_2 - ln p_4 with p_1 + p_2 + p_4 <= 1. Which split of the "
         "probability makes the product p_1 p_2 p_4 largest?",
    mistakes=[(0.0, "0 would need p = 1 on all three labels, but softmax outputs sum to 1."),
              (2 * np.log(2.0), "2 ln 2 is the best for two labels; here there are three."),
              (float(np.log(3.0)), "That is the loss of one label with p = 1/3. There are three "
                                   "labels, each costing ln 3.")],
    significant=3,
    kind="derivation",
)

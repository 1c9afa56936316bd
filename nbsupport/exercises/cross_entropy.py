"""Exercises for notebook 05 (cross-entropy vs MSE), with answers computed by nbsupport.

Each question says how many digits it wants, and the checker accepts exactly that
(``decimals`` or ``significant``); the usual wrong answers (the squared-error gradient
where the cross-entropy one was asked, KL where CE was asked, bits where nats were asked,
a flipped sign, the mean where the median belongs) get a hint aimed at that mistake.

>>> from nbsupport.exercises import cross_entropy as ex
>>> ex.die_entropy.evaluate(1.792).correct
True
"""
from __future__ import annotations

import numpy as np

from .. import losses
from ..activations import sigmoid
from ..fitting import logistic_loss_and_grad
from ..normalizers import softmax
from . import Exercise

__all__ = ["LOGIT", "TRUE_P", "MODEL_Q", "DIE_SIDES", "SCORES", "TARGETS", "SATURATED_LOGIT",
           "bce_logit_gradient", "cross_entropy_value", "die_entropy", "softmax_ce_gradient",
           "mae_best_constant", "gradient_ratio"]

#: A confidently wrong sigmoid output: logit -3 for a sample whose target is 1.
LOGIT = -3.0
#: The true distribution p and a model's q for the cross-entropy question.
TRUE_P = np.array([0.6, 0.3, 0.1])
MODEL_Q = np.array([0.3, 0.4, 0.3])
#: A fair die: the entropy of the uniform distribution over this many outcomes.
DIE_SIDES = 6
#: Logits of one sample whose correct class is 0.
SCORES = np.array([2.0, 1.0, 0.1])
#: Targets with one outlier, to be summarised by one constant.
TARGETS = np.array([2.4, 3.1, 6.7, 8.2, 95.0])
#: A sample with target 0 whose logit says 1 with confidence.
SATURATED_LOGIT = 5.0


def _logit_grad(loss: str) -> float:
    return float(logistic_loss_and_grad(loss, [1.0], [LOGIT])[1][0])


def _best_constant(loss) -> float:
    """The data value c that minimises loss(TARGETS, c) (an L1 optimum sits on a data point)."""
    return float(min(TARGETS, key=lambda c: float(loss(TARGETS, np.full_like(TARGETS, c)))))


def _mae_at(c: float) -> float:
    """The MAE of predicting ``c`` for every target."""
    return float(losses.mae(TARGETS, np.full_like(TARGETS, c)))


def _ratio(loss: str) -> float:
    """dL/dz under ``loss`` over dL/dz under cross-entropy, target 0 at SATURATED_LOGIT."""
    grad = logistic_loss_and_grad(loss, [0.0], [SATURATED_LOGIT])[1][0]
    return float(grad / logistic_loss_and_grad("bce", [0.0], [SATURATED_LOGIT])[1][0])


bce_logit_gradient = Exercise(
    prompt=f"One sample, target t = 1, logit z = {LOGIT:g}. What is dL/dz under binary "
           "cross-entropy? (three significant digits)",
    solution=lambda: _logit_grad("bce"),
    explanation="dL/dz = s - t = sigmoid(-3) - 1, about -0.953: almost the largest push the loss "
                "can give, exactly when the model is confidently wrong.",
    hint="For a sigmoid output with cross-entropy the s'(z) cancels: dL/dz = s - t with s = sigmoid(z).",
    mistakes=[(_logit_grad("half_mse"), "That is the squared-error gradient (s - t) s'(z). The question "
                                        "asks for cross-entropy, where s'(z) cancels out."),
              (_logit_grad("mse"), "That is the gradient of MSE, 2 (s - t) s'(z). Cross-entropy has no "
                                   "s'(z) factor: dL/dz = s - t."),
              (-_logit_grad("bce"), "Check the sign: dL/dz = s - t, and s < t here, so it is negative "
                                    "(gradient descent then increases z)."),
              (_logit_grad("bce") + 1.0, "That is s = sigmoid(z) itself; subtract the target: s - t.")],
    significant=3, kind="derivation",
)

cross_entropy_value = Exercise(
    prompt=f"True distribution p = {TRUE_P.tolist()}, model q = {MODEL_Q.tolist()}. "
           "What is the cross-entropy H(p, q) in nats? (three decimals)",
    solution=lambda: float(losses.cross_entropy(TRUE_P, MODEL_Q)),
    explanation="H(p, q) = -sum p ln q, about 1.118 nats = H(p) + KL(p || q).",
    hint="Compute -sum_j p_j ln q_j with the natural log: p weights, q inside the log.",
    mistakes=[(float(losses.kl_divergence(TRUE_P, MODEL_Q)),
               "That is KL(p || q), the relative entropy. Cross-entropy is H(p) + KL(p || q): "
               "some course notes equate the two, but they differ by the entropy H(p)."),
              (float(losses.entropy(TRUE_P)), "That is H(p), the entropy of p alone. Cross-entropy "
                                              "uses q inside the log: -sum p ln q."),
              (float(losses.cross_entropy(MODEL_Q, TRUE_P)), "You swapped p and q: the weights are the "
                                                             "TRUE probabilities p, the log is of the model's q."),
              (float(losses.cross_entropy(TRUE_P, MODEL_Q)) / np.log(2),
               "That is the answer in bits (log base 2). Use the natural log: nats.")],
    decimals=3,
)

die_entropy = Exercise(
    prompt=f"What is the entropy of a fair {DIE_SIDES}-sided die, in nats? (three decimals)",
    solution=lambda: float(losses.entropy(np.full(DIE_SIDES, 1.0 / DIE_SIDES))),
    explanation="All six outcomes have p = 1/6: H = -6 * (1/6) ln(1/6) = ln 6, about 1.792 nats "
                "(2.585 bits). n equally likely outcomes always give ln n.",
    hint="H = -sum_j p_j ln p_j with every p_j = 1/6: the six terms are equal.",
    mistakes=[(np.log2(DIE_SIDES), "That is the entropy in bits (log base 2). The losses here use "
                                   "the natural log: nats."),
              (1.0 / DIE_SIDES, "1/6 is the probability of each face, not the entropy."),
              (np.log(2.0), "ln 2 is a fair coin's entropy; a die has six outcomes.")],
    decimals=3, kind="derivation",
)

softmax_ce_gradient = Exercise(
    prompt=f"Logits z = {SCORES.tolist()}, correct class 0, softmax + categorical cross-entropy. "
           "Give the gradient dL/dz as an array of 3 numbers (three decimals each).",
    solution=lambda: losses.softmax_cross_entropy_with_logits_grad([0], SCORES[None, :])[0],
    explanation="dL/dz = softmax(z) - y: every wrong class is pushed down by its probability, the "
                "correct one up by 1 - p_0. The entries sum to 0.",
    hint="Compute p = softmax(z) and subtract the one-hot target y = [1, 0, 0].",
    mistakes=[(np.array([1.0, 0.0, 0.0]) - softmax(SCORES),
               "Check the sign: the gradient is softmax(z) - y (descent subtracts it)."),
              (softmax(SCORES), "That is softmax(z) alone: subtract the one-hot target y."),
              (softmax(SCORES) - 1.0, "Subtract 1 only at the correct class: y is one-hot, [1, 0, 0].")],
    decimals=3,
)

mae_best_constant = Exercise(
    prompt=f"Predict ONE constant c for every target in {TARGETS.tolist()}. What is the smallest "
           "MAE that any c can reach? (two decimals)",
    solution=lambda: _mae_at(_best_constant(losses.mae)),
    explanation="The best c is the median, 6.7 (moving c past the middle value adds to more "
                "distances than it removes), and its MAE is (4.3 + 3.6 + 0 + 1.5 + 88.3) / 5 = 19.54. "
                "The outlier 95 counts as 'one value above', however far away it is.",
    hint="Find the best c first: it is one of the targets. Then average |y - c|.",
    mistakes=[(_mae_at(float(TARGETS.mean())), "That is the MAE at the mean, the constant that "
                                               "minimises MSE. The outlier drags the mean; MAE's best "
                                               "constant is the median."),
              (float(np.median(TARGETS)), "That is the best constant c itself; the question asks for "
                                          "the MAE it reaches.")],
    decimals=2,
)

gradient_ratio = Exercise(
    prompt=f"A sample with target t = 0 sits at logit z = {SATURATED_LOGIT:g}. Its dL/dz under MSE "
           "(no 1/2) is what fraction of its dL/dz under binary cross-entropy? (three significant digits)",
    solution=lambda: _ratio("mse"),
    explanation="2 (s - t) s(1 - s) / (s - t) = 2 s(1 - s) with s = sigmoid(5): about 0.0133. MSE "
                "pushes this confidently wrong sample 75 times more weakly than cross-entropy does.",
    hint="Divide the two gradients: the factor s - t cancels, and s'(z) = s(1 - s).",
    mistakes=[(_ratio("half_mse"), "That is half-MSE's ratio, s(1 - s). The question's MSE has no "
                                   "1/2, so its gradient carries a factor 2."),
              (1.0 / _ratio("mse"), "That is cross-entropy over MSE; the question asks for MSE over "
                                    "cross-entropy."),
              (float(sigmoid(SATURATED_LOGIT)), "That is s itself; the ratio is 2 s(1 - s).")],
    significant=3, kind="derivation",
)

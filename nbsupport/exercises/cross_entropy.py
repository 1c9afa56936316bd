"""Exercises for notebook 05 (cross-entropy vs MSE), with answers computed by nbsupport.

Numbers are accepted to 3 significant digits (``rtol=1e-3``); the usual wrong answers
(the squared-error gradient where the cross-entropy one was asked, KL where CE was
asked, bits where nats were asked, a flipped sign, the mean where the median belongs)
get a hint aimed at that mistake.

>>> from nbsupport.exercises import cross_entropy as ex
>>> ex.coin_entropy_max.evaluate(0.6931).correct
True
"""
from __future__ import annotations

import numpy as np

from .. import losses
from ..fitting import logistic_loss_and_grad
from ..normalizers import softmax
from . import Exercise

__all__ = ["LOGIT", "TRUE_P", "MODEL_Q", "SCORES", "TARGETS", "bce_logit_gradient",
           "cross_entropy_value", "coin_entropy_max", "softmax_ce_gradient", "mae_best_constant"]

#: A confidently wrong sigmoid output: logit -4 for a sample whose target is 1.
LOGIT = -4.0
#: The true distribution p and a model's q for the cross-entropy question.
TRUE_P = np.array([0.7, 0.2, 0.1])
MODEL_Q = np.array([0.5, 0.3, 0.2])
#: Logits of one sample whose correct class is 0.
SCORES = np.array([2.0, 1.0, 0.1])
#: Targets with one outlier, to be summarised by one constant.
TARGETS = np.array([1.0, 2.0, 3.0, 4.0, 100.0])


def _logit_grad(loss: str) -> float:
    return float(logistic_loss_and_grad(loss, [1.0], [LOGIT])[1][0])


def _best_constant(loss) -> float:
    """The data value c that minimises loss(TARGETS, c) (an L1 optimum sits on a data point)."""
    return float(min(TARGETS, key=lambda c: float(loss(TARGETS, np.full_like(TARGETS, c)))))


bce_logit_gradient = Exercise(
    prompt=f"One sample, target t = 1, logit z = {LOGIT:g}. What is dL/dz under binary cross-entropy?",
    solution=lambda: _logit_grad("bce"),
    explanation="dL/dz = s - t = sigmoid(-4) - 1, about -0.982: almost the largest push the loss "
                "can give, exactly when the model is confidently wrong.",
    hint="For a sigmoid output with cross-entropy the s'(z) cancels: dL/dz = s - t with s = sigmoid(z).",
    mistakes=[(_logit_grad("half_mse"), "That is the squared-error gradient (s - t) s'(z). The question "
                                        "asks for cross-entropy, where s'(z) cancels out."),
              (_logit_grad("mse"), "That is the gradient of MSE, 2 (s - t) s'(z). Cross-entropy has no "
                                   "s'(z) factor: dL/dz = s - t."),
              (-_logit_grad("bce"), "Check the sign: dL/dz = s - t, and s < t here, so it is negative "
                                    "(gradient descent then increases z)."),
              (_logit_grad("bce") + 1.0, "That is s = sigmoid(z) itself; subtract the target: s - t.")],
    rtol=1e-3,
)

cross_entropy_value = Exercise(
    prompt=f"True distribution p = {TRUE_P.tolist()}, model q = {MODEL_Q.tolist()}. "
           "What is the cross-entropy H(p, q) in nats?",
    solution=lambda: float(losses.cross_entropy(TRUE_P, MODEL_Q)),
    explanation="H(p, q) = -sum p ln q, about 0.887 nats = H(p) + KL(p || q) = 0.802 + 0.085.",
    hint="Compute -sum_j p_j ln q_j with the natural log: p weights, q inside the log.",
    mistakes=[(float(losses.kl_divergence(TRUE_P, MODEL_Q)),
               "That is KL(p || q), the relative entropy. Cross-entropy is H(p) + KL(p || q): the "
               "seed note equates the two, but they differ by the entropy H(p)."),
              (float(losses.entropy(TRUE_P)), "That is H(p), the entropy of p alone. Cross-entropy "
                                              "uses q inside the log: -sum p ln q."),
              (float(losses.cross_entropy(MODEL_Q, TRUE_P)), "You swapped p and q: the weights are the "
                                                             "TRUE probabilities p, the log is of the model's q."),
              (float(losses.cross_entropy(TRUE_P, MODEL_Q)) / np.log(2),
               "That is the answer in bits (log base 2). Use the natural log: nats.")],
    rtol=1e-3,
)

coin_entropy_max = Exercise(
    prompt="What is the largest entropy a coin (two outcomes) can have, in nats?",
    solution=lambda: float(losses.entropy([0.5, 0.5])),
    explanation="A fair coin: H = -2 * 0.5 ln 0.5 = ln 2, about 0.693 nats, which is exactly 1 bit.",
    hint="The maximum is at p = 1/2; compute -(p ln p + (1 - p) ln(1 - p)) there.",
    mistakes=[(1.0, "1 is the maximum in bits (log base 2), the seed note's number. The losses here use "
                    "the natural log, so the answer in nats is ln 2."),
              (0.5, "0.5 is WHERE the maximum is (p = 1/2), not its value.")],
    rtol=1e-3,
)

softmax_ce_gradient = Exercise(
    prompt=f"Logits z = {SCORES.tolist()}, correct class 0, softmax + categorical cross-entropy. "
           "Give the gradient dL/dz as an array of 3 numbers.",
    solution=lambda: losses.softmax_cross_entropy_with_logits_grad([0], SCORES[None, :])[0],
    explanation="dL/dz = softmax(z) - y: every wrong class is pushed down by its probability, the "
                "correct one up by 1 - p_0. The entries sum to 0.",
    hint="Compute p = softmax(z) and subtract the one-hot target y = [1, 0, 0].",
    mistakes=[(np.array([1.0, 0.0, 0.0]) - softmax(SCORES),
               "Check the sign: the gradient is softmax(z) - y (descent subtracts it)."),
              (softmax(SCORES), "That is softmax(z) alone: subtract the one-hot target y."),
              (softmax(SCORES) - 1.0, "Subtract 1 only at the correct class: y is one-hot, [1, 0, 0].")],
    rtol=1e-3,
)

mae_best_constant = Exercise(
    prompt=f"Predict ONE constant c for every target in {TARGETS.tolist()}. Which c minimises the MAE?",
    solution=lambda: _best_constant(losses.mae),
    explanation="The median, 3: moving c past the middle value adds to more distances than it "
                "removes. The outlier 100 counts as 'one value above', however far away it is.",
    hint="Try a few values of c with nbs.mae(targets, c * np.ones(5)); the answer is one of the targets.",
    mistakes=[(float(TARGETS.mean()), "22 is the mean, the constant that minimises MSE. The outlier "
                                      "drags it; MAE's best constant is the median.")],
    rtol=1e-3,
)

import math

import numpy as np
import pytest

from nbsupport.exercises import cross_entropy as ex


def logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


S = logistic(-3.0)


def test_cross_entropy_gradient_at_a_confidently_wrong_logit():
    assert ex.bce_logit_gradient.evaluate(S - 1.0).correct
    assert ex.bce_logit_gradient.evaluate(-0.953).correct          # the three digits asked
    assert not ex.bce_logit_gradient.evaluate(-0.95).correct
    assert "significant" in ex.bce_logit_gradient.evaluate(-0.95).message
    squared = ex.bce_logit_gradient.evaluate((S - 1.0) * S * (1 - S))
    assert not squared.correct and "squared-error" in squared.message
    assert "sign" in ex.bce_logit_gradient.evaluate(1.0 - S).message
    assert "MSE" in ex.bce_logit_gradient.evaluate(2 * (S - 1.0) * S * (1 - S)).message
    assert "sigmoid(z) itself" in ex.bce_logit_gradient.evaluate(S).message


P, Q = [0.6, 0.3, 0.1], [0.3, 0.4, 0.3]


def test_cross_entropy_value_and_the_kl_confusion():
    h_pq = -sum(p * math.log(q) for p, q in zip(P, Q))
    h_p = -sum(p * math.log(p) for p in P)
    assert ex.cross_entropy_value.evaluate(round(h_pq, 3)).correct
    kl = ex.cross_entropy_value.evaluate(h_pq - h_p)
    assert not kl.correct and "KL" in kl.message
    assert "entropy of p alone" in ex.cross_entropy_value.evaluate(h_p).message
    assert "swapped" in ex.cross_entropy_value.evaluate(-sum(q * math.log(p) for p, q in zip(P, Q))).message
    assert "bits" in ex.cross_entropy_value.evaluate(h_pq / math.log(2)).message


def test_a_fair_die_has_ln6_nats_and_bits_get_a_hint():
    assert ex.die_entropy.evaluate(math.log(6)).correct
    assert ex.die_entropy.evaluate(1.792).correct
    bits = ex.die_entropy.evaluate(math.log2(6))
    assert not bits.correct and "bits" in bits.message
    assert "coin" in ex.die_entropy.evaluate(math.log(2)).message


def test_softmax_cross_entropy_gradient_is_softmax_minus_one_hot():
    z = np.array([2.0, 1.0, 0.1])
    p = np.exp(z) / np.exp(z).sum()
    y = np.array([1.0, 0.0, 0.0])
    assert ex.softmax_ce_gradient.evaluate(p - y).correct
    assert ex.softmax_ce_gradient.evaluate(np.round(p - y, 3)).correct
    assert "sign" in ex.softmax_ce_gradient.evaluate(y - p).message
    assert "alone" in ex.softmax_ce_gradient.evaluate(p).message
    assert "one-hot" in ex.softmax_ce_gradient.evaluate(p - 1).message
    assert not ex.softmax_ce_gradient.evaluate((p - y)[:2]).correct


def test_the_smallest_mae_is_reached_at_the_median_not_the_mean():
    targets = [2.4, 3.1, 6.7, 8.2, 95.0]
    mae = lambda c: sum(abs(y - c) for y in targets) / len(targets)
    assert ex.mae_best_constant.evaluate(mae(6.7)).correct
    assert ex.mae_best_constant.evaluate(19.54).correct
    assert not ex.mae_best_constant.evaluate(19.5).correct
    mean = ex.mae_best_constant.evaluate(mae(sum(targets) / len(targets)))
    assert not mean.correct and "MSE" in mean.message
    assert "constant c itself" in ex.mae_best_constant.evaluate(6.7).message


def test_gradient_ratio_is_twice_the_sigmoid_slope():
    s = logistic(5.0)
    assert ex.gradient_ratio.evaluate(2 * s * (1 - s)).correct
    assert ex.gradient_ratio.evaluate(0.0133).correct
    assert "1/2" in ex.gradient_ratio.evaluate(s * (1 - s)).message
    assert "cross-entropy over MSE" in ex.gradient_ratio.evaluate(1 / (2 * s * (1 - s))).message


@pytest.mark.parametrize("name", [n for n in ex.__all__ if isinstance(getattr(ex, n), ex.Exercise)])
def test_every_exercise_asks_when_no_answer_is_given(name):
    feedback = getattr(ex, name).evaluate(None)
    assert not feedback.correct and feedback.message.startswith("No answer yet.")

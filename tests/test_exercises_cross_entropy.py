import math

import numpy as np
import pytest

from nbsupport.exercises import cross_entropy as ex

S = 1.0 / (1.0 + math.exp(4.0))   # sigmoid(-4)


def test_cross_entropy_gradient_at_a_confidently_wrong_logit():
    assert ex.bce_logit_gradient.evaluate(S - 1.0).correct
    assert ex.bce_logit_gradient.evaluate(-0.982).correct          # three digits are enough
    squared = ex.bce_logit_gradient.evaluate((S - 1.0) * S * (1 - S))
    assert not squared.correct and "squared-error" in squared.message
    assert "sign" in ex.bce_logit_gradient.evaluate(1.0 - S).message
    assert "MSE" in ex.bce_logit_gradient.evaluate(2 * (S - 1.0) * S * (1 - S)).message
    assert "sigmoid(z) itself" in ex.bce_logit_gradient.evaluate(S).message


P, Q = [0.7, 0.2, 0.1], [0.5, 0.3, 0.2]


def test_cross_entropy_value_and_the_seed_notes_kl_confusion():
    h_pq = -sum(p * math.log(q) for p, q in zip(P, Q))
    h_p = -sum(p * math.log(p) for p in P)
    assert ex.cross_entropy_value.evaluate(h_pq).correct
    kl = ex.cross_entropy_value.evaluate(h_pq - h_p)
    assert not kl.correct and "KL" in kl.message and "seed" in kl.message
    assert "entropy of p alone" in ex.cross_entropy_value.evaluate(h_p).message
    assert "swapped" in ex.cross_entropy_value.evaluate(-sum(q * math.log(p) for p, q in zip(P, Q))).message
    assert "bits" in ex.cross_entropy_value.evaluate(h_pq / math.log(2)).message


def test_coin_entropy_is_ln2_nats_and_the_seeds_1_is_bits():
    assert ex.coin_entropy_max.evaluate(math.log(2)).correct
    one = ex.coin_entropy_max.evaluate(1.0)
    assert not one.correct and "bits" in one.message
    assert "WHERE" in ex.coin_entropy_max.evaluate(0.5).message


def test_softmax_cross_entropy_gradient_is_softmax_minus_one_hot():
    z = np.array([2.0, 1.0, 0.1])
    p = np.exp(z) / np.exp(z).sum()
    y = np.array([1.0, 0.0, 0.0])
    assert ex.softmax_ce_gradient.evaluate(p - y).correct
    assert "sign" in ex.softmax_ce_gradient.evaluate(y - p).message
    assert "alone" in ex.softmax_ce_gradient.evaluate(p).message
    assert "one-hot" in ex.softmax_ce_gradient.evaluate(p - 1).message
    assert not ex.softmax_ce_gradient.evaluate((p - y)[:2]).correct


def test_mae_best_constant_is_the_median_not_the_mean():
    targets = [1.0, 2.0, 3.0, 4.0, 100.0]
    assert ex.mae_best_constant.evaluate(3.0).correct
    mean = ex.mae_best_constant.evaluate(sum(targets) / len(targets))
    assert not mean.correct and "MSE" in mean.message


@pytest.mark.parametrize("name", ex.__all__[5:])
def test_every_exercise_asks_when_no_answer_is_given(name):
    feedback = getattr(ex, name).evaluate(None)
    assert not feedback.correct and feedback.message.startswith("No answer yet.")

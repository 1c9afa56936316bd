import numpy as np
import pytest
from scipy.special import log_softmax as scipy_log_softmax, logsumexp as scipy_logsumexp

from nbsupport.exercises import logsumexp as ex

NUMERIC = [ex.lse_of_a_tie, ex.float32_exp_limit, ex.lse_of_equal_values,
           ex.smooth_max_temperature, ex.cross_entropy_of_huge_logits]


@pytest.mark.parametrize("answer, exercise", [
    (scipy_logsumexp([1000.0, 1000.0]), ex.lse_of_a_tie),
    (np.log(np.float64(np.finfo(np.float32).max)), ex.float32_exp_limit),
    (3 + np.log(8), ex.lse_of_equal_values),
    (0.01 / np.log(100), ex.smooth_max_temperature),
    (scipy_logsumexp([1000.0, 0.0, -1000.0]) - 0.0, ex.cross_entropy_of_huge_logits),
])
def test_right_answers_computed_independently_pass(answer, exercise):
    assert exercise.evaluate(float(answer)).correct


def test_four_significant_digits_are_enough_where_promised():
    assert ex.float32_exp_limit.evaluate(88.72).correct
    assert ex.lse_of_equal_values.evaluate(5.079).correct
    assert not ex.float32_exp_limit.evaluate(88.0).correct


@pytest.mark.parametrize("exercise", NUMERIC + [ex.stable_log_softmax])
def test_no_answer_restates_the_question(exercise):
    feedback = exercise.evaluate(None)
    assert not feedback.correct and exercise.prompt in feedback.message


@pytest.mark.parametrize("exercise, wrong, words", [
    (ex.lse_of_a_tie, np.inf, "overflows"),
    (ex.lse_of_a_tie, 1000.0, "ln 2"),
    (ex.float32_exp_limit, 709.78, "float64"),
    (ex.lse_of_equal_values, 3.0, "ln n"),
    (ex.lse_of_equal_values, 6.0, "base 2"),
    (ex.smooth_max_temperature, 0.01, "ln n"),
    (ex.cross_entropy_of_huge_logits, np.inf, "underflows"),
])
def test_usual_mistakes_get_their_hint(exercise, wrong, words):
    feedback = exercise.evaluate(wrong)
    assert not feedback.correct and words in feedback.message


def test_stable_log_softmax_accepts_the_max_shifted_form():
    def shifted(z):
        m = z.max(axis=-1, keepdims=True)
        return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))

    assert ex.stable_log_softmax.evaluate(shifted).correct
    assert ex.stable_log_softmax.evaluate(lambda z: scipy_log_softmax(z, axis=-1)).correct


def test_stable_log_softmax_rejects_the_log_of_a_stable_softmax():
    def log_of_softmax(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        with np.errstate(divide="ignore"):
            return np.log(e / e.sum(axis=-1, keepdims=True))  # -inf where p underflows

    feedback = ex.stable_log_softmax.evaluate(log_of_softmax)
    assert not feedback.correct and "underflow" in feedback.message

import numpy as np
import pytest
from scipy.special import logsumexp as scipy_logsumexp

from nbsupport.exercises import logsumexp as ex

NUMERIC = [ex.lse_of_a_tie, ex.float16_exp_limit, ex.lse_of_equal_values,
           ex.smooth_max_temperature, ex.cross_entropy_of_huge_logits]


@pytest.mark.parametrize("answer, exercise", [
    (scipy_logsumexp([1000.0, 1000.0]), ex.lse_of_a_tie),
    (np.log(np.float64(np.finfo(np.float16).max)), ex.float16_exp_limit),
    (2 + np.log(5), ex.lse_of_equal_values),
    (0.01 / np.log(100), ex.smooth_max_temperature),
    (scipy_logsumexp([800.0, 799.0, -800.0]) - 799.0, ex.cross_entropy_of_huge_logits),
])
def test_right_answers_computed_independently_pass(answer, exercise):
    assert exercise.evaluate(float(answer)).correct


def test_the_digits_asked_are_enough_and_fewer_get_a_hint():
    assert ex.float16_exp_limit.evaluate(11.09).correct
    assert ex.lse_of_equal_values.evaluate(3.609).correct
    assert ex.lse_of_a_tie.evaluate(1000.6931).correct
    assert ex.smooth_max_temperature.evaluate(0.00217).correct
    assert ex.cross_entropy_of_huge_logits.evaluate(1.313).correct
    assert not ex.float16_exp_limit.evaluate(11.0).correct
    assert "decimal" in ex.lse_of_equal_values.evaluate(3.6).message


@pytest.mark.parametrize("exercise", NUMERIC + [ex.stable_log_softmax])
def test_no_answer_restates_the_question(exercise):
    feedback = exercise.evaluate(None)
    assert not feedback.correct and exercise.prompt in feedback.message


@pytest.mark.parametrize("exercise, wrong, words", [
    (ex.lse_of_a_tie, np.inf, "overflows"),
    (ex.lse_of_a_tie, 1000.0, "ln 2"),
    (ex.float16_exp_limit, 709.78, "float64"),
    (ex.float16_exp_limit, 88.72, "float32"),
    (ex.lse_of_equal_values, 2.0, "ln n"),
    (ex.lse_of_equal_values, 2 + np.log2(5), "base 2"),
    (ex.smooth_max_temperature, 0.01, "ln n"),
    (ex.cross_entropy_of_huge_logits, np.inf, "overflows"),
    (ex.cross_entropy_of_huge_logits, 1.0, "ln(1 + e^-1)"),
])
def test_usual_mistakes_get_their_hint(exercise, wrong, words):
    feedback = exercise.evaluate(wrong)
    assert not feedback.correct and words in feedback.message


def test_stable_log_softmax_accepts_the_max_shifted_form():
    def shifted(z):
        m = z.max(axis=-1, keepdims=True)
        return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))

    assert ex.stable_log_softmax.evaluate(shifted).correct


def test_stable_log_softmax_rejects_nbsupports_own_functions():
    import nbsupport as nbs

    assert not ex.stable_log_softmax.evaluate(nbs.log_softmax).correct
    assert not ex.stable_log_softmax.evaluate(lambda z: nbs.log_softmax(z)).correct
    assert not ex.stable_log_softmax.evaluate(lambda z: z - nbs.logsumexp(z, axis=-1, keepdims=True)).correct


def test_stable_log_softmax_rejects_the_log_of_a_stable_softmax():
    def log_of_softmax(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        with np.errstate(divide="ignore"):
            return np.log(e / e.sum(axis=-1, keepdims=True))  # -inf where p underflows

    feedback = ex.stable_log_softmax.evaluate(log_of_softmax)
    assert not feedback.correct and "underflow" in feedback.message

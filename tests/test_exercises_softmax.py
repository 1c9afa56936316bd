import numpy as np
import pytest
from scipy.special import expit, softmax as scipy_softmax

from nbsupport.exercises import softmax as ex

NUMERIC = [ex.shifted_top_probability, ex.hot_entropy, ex.two_class_probability,
           ex.jacobian_off_diagonal, ex.multi_label_best_loss]


@pytest.mark.parametrize("answer, exercise", [
    (scipy_softmax([0.0, 2.0, 3.0]).max(), ex.shifted_top_probability),
    (np.log(5), ex.hot_entropy),
    (expit(1.5), ex.two_class_probability),
    (-scipy_softmax([1.0, 0.0, -1.0])[0] * scipy_softmax([1.0, 0.0, -1.0])[1],
     ex.jacobian_off_diagonal),
    (3 * np.log(3), ex.multi_label_best_loss),
])
def test_right_answers_computed_independently_pass(answer, exercise):
    assert exercise.evaluate(float(answer)).correct


def test_rounded_answers_pass_and_clearly_wrong_ones_fail():
    assert ex.two_class_probability.evaluate(0.818).correct
    assert ex.two_class_probability.evaluate(0.817).correct  # truncated
    assert ex.hot_entropy.evaluate(1.609).correct
    assert not ex.hot_entropy.evaluate(1.5).correct
    assert "asks for 3" in ex.two_class_probability.evaluate(0.8).message


@pytest.mark.parametrize("exercise", NUMERIC)
def test_no_answer_restates_the_question(exercise):
    feedback = exercise.evaluate(None)
    assert not feedback.correct and exercise.prompt in feedback.message


@pytest.mark.parametrize("exercise, wrong, words", [
    (ex.shifted_top_probability, 1.0, "differences"),
    (ex.shifted_top_probability, float("nan"), "overflow"),
    (ex.hot_entropy, np.log2(5), "bits"),
    (ex.two_class_probability, expit(0.5), "difference"),
    (ex.two_class_probability, expit(-0.5), "sum"),
    (ex.jacobian_off_diagonal, 0.2227, "diagonal"),
    (ex.jacobian_off_diagonal, 0.1628, "sign"),
    (ex.multi_label_best_loss, 0.0, "sum to 1"),
    (ex.multi_label_best_loss, np.log(3), "three"),
    (ex.multi_label_best_loss, 2 * np.log(2), "two labels"),
])
def test_usual_mistakes_get_their_hint(exercise, wrong, words):
    feedback = exercise.evaluate(wrong)
    assert not feedback.correct and words in feedback.message


def test_stable_softmax_accepts_a_max_shifted_function():
    def shifted(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    assert ex.stable_softmax.evaluate(shifted).correct


def test_stable_softmax_rejects_the_naive_formula_and_the_wrong_axis():
    def naive(z):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)

    def wrong_axis(z):
        e = np.exp(z - z.max())
        return e / e.sum(axis=0, keepdims=True)

    assert not ex.stable_softmax.evaluate(naive).correct
    feedback = ex.stable_softmax.evaluate(wrong_axis)
    assert not feedback.correct and "axis=-1" in feedback.message


def test_stable_softmax_rejects_the_library_softmax():
    import nbsupport as nbs
    assert "itself" in ex.stable_softmax.evaluate(nbs.softmax).message
    assert "calls" in ex.stable_softmax.evaluate(lambda z: nbs.softmax(z)).message
    assert not ex.stable_softmax.evaluate(lambda z: np.exp(nbs.log_softmax(z))).correct
    assert not ex.stable_softmax.evaluate(lambda z: scipy_softmax(z, axis=-1)).correct

import math

import numpy as np

from nbsupport import losses
from nbsupport.exercises import losses_in_practice as ex


def test_bce_uniform_is_the_mean_of_ten_yes_no_questions():
    assert ex.bce_uniform.evaluate((-math.log(0.1) - 9 * math.log(0.9)) / 10).correct
    assert ex.bce_uniform.evaluate(0.325).correct
    assert "categorical" in ex.bce_uniform.evaluate(math.log(10)).message
    assert "mean" in ex.bce_uniform.evaluate(-math.log(0.1) - 9 * math.log(0.9)).message
    assert "3 significant digits" in ex.bce_uniform.evaluate(0.33).message


def test_sigmoid_slowdown_is_the_ratio_of_slopes():
    assert ex.sigmoid_slowdown.evaluate(0.99 * 0.01 / 0.25).correct
    assert "divide" in ex.sigmoid_slowdown.evaluate(0.0099).message
    assert "Upside down" in ex.sigmoid_slowdown.evaluate(0.25 / 0.0099).message


def test_bce_with_logits_wants_a_stable_formula_of_ones_own():
    stable = lambda t, z: np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z))))  # noqa: E731
    naive = lambda t, z: np.mean(-t * np.log(1 / (1 + np.exp(-z)))  # noqa: E731
                                 - (1 - t) * np.log(1 - 1 / (1 + np.exp(-z))))
    assert ex.bce_with_logits.evaluate(stable).correct
    verdict = ex.bce_with_logits.evaluate(naive)
    assert not verdict.correct and "800" in verdict.message
    assert "own function" in ex.bce_with_logits.evaluate(losses.binary_cross_entropy_with_logits).message
    assert "raised" in ex.bce_with_logits.evaluate(lambda t, z: t.nope).message

import math

import numpy as np

from nbsupport import training
from nbsupport.exercises import init_training as ex


def test_initial_loss_accepts_ln_20_and_explains_the_slips():
    assert ex.initial_loss.evaluate(math.log(20)).correct
    assert ex.initial_loss.evaluate(2.996).correct
    assert "ten classes" in ex.initial_loss.evaluate(math.log(10)).message
    assert "natural" in ex.initial_loss.evaluate(math.log10(20)).message
    assert "3 significant digits" in ex.initial_loss.evaluate(3.0).message
    assert not ex.initial_loss.evaluate(None).correct


def test_sigmoid_std_is_four_over_root_n():
    assert ex.sigmoid_std.evaluate(4 / math.sqrt(100)).correct
    assert "LeCun" in ex.sigmoid_std.evaluate(0.1).message
    assert "Divide" in ex.sigmoid_std.evaluate(0.025).message
    assert not ex.sigmoid_std.evaluate(1.0).correct


def test_tanh_depth_accepts_the_series_prediction():
    q = 0.3943
    predicted = 1 / (1 / q + 2 * 99)
    assert ex.tanh_depth.evaluate(predicted).correct
    assert ex.tanh_depth.evaluate(round(predicted, 5)).correct
    assert "exact map" in ex.tanh_depth.evaluate(ex._exact_variance(q, 100)).message
    assert "not constant" in ex.tanh_depth.evaluate(q * (1 - 2 * q) ** 99).message
    assert abs(ex._exact_variance(q, 100) / predicted - 1) < 0.03  # the series is a good guide


def test_update_ratio_exercise_wants_the_formula_not_the_library():
    assert ex.update_ratio.evaluate(lambda b, a: np.std(a - b) / np.std(b)).correct
    assert "own function" in ex.update_ratio.evaluate(training.update_ratio).message
    assert "difference of the stds" in ex.update_ratio.evaluate(
        lambda b, a: abs(np.std(a) - np.std(b)) / np.std(b)).message
    assert "raised" in ex.update_ratio.evaluate(lambda b, a: 1 / 0).message
    assert not ex.update_ratio.evaluate(lambda b, a: np.abs(a - b).mean()).correct

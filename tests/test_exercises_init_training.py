import math

import numpy as np

from nbsupport import training
from nbsupport.exercises import init_training as ex


def test_initial_loss_accepts_ln_20_and_explains_the_slips():
    assert ex.initial_loss.evaluate(math.log(20)).correct
    assert ex.initial_loss.evaluate(2.996).correct
    assert "ten classes" in ex.initial_loss.evaluate(math.log(10)).message
    assert "natural" in ex.initial_loss.evaluate(math.log10(20)).message
    assert "decimals" in ex.initial_loss.evaluate(3.0).message
    assert not ex.initial_loss.evaluate(2.993).correct
    assert ex.initial_loss.kind == "prediction"
    assert not ex.initial_loss.evaluate(None).correct


def test_sigmoid_std_is_four_over_root_n():
    assert ex.sigmoid_std.evaluate(4 / math.sqrt(100)).correct
    assert "LeCun" in ex.sigmoid_std.evaluate(0.1).message
    assert "Divide" in ex.sigmoid_std.evaluate(0.025).message
    assert not ex.sigmoid_std.evaluate(1.0).correct
    assert ex.sigmoid_std.kind == "derivation"


def test_tanh_depth_accepts_the_series_prediction():
    q = 0.3943
    predicted = 1 / (1 / q + 2 * 99)
    assert ex.tanh_depth.evaluate(predicted).correct
    assert ex.tanh_depth.evaluate(float(f"{predicted:.3g}")).correct
    assert not ex.tanh_depth.evaluate(float(f"{predicted:.3g}") + 2e-5).correct
    assert "significant" in ex.tanh_depth.evaluate(float(f"{predicted:.1g}")).message
    assert ex.tanh_depth.kind == "derivation"
    assert "exact map" in ex.tanh_depth.evaluate(ex._exact_variance(q, 100)).message
    assert "not constant" in ex.tanh_depth.evaluate(q * (1 - 2 * q) ** 99).message
    assert abs(ex._exact_variance(q, 100) / predicted - 1) < 0.03  # the series is a good guide


def test_update_ratio_exercise_wants_the_formula_not_the_library():
    assert ex.update_ratio.evaluate(lambda b, a: np.std(a - b) / np.std(b)).correct
    assert "itself" in ex.update_ratio.evaluate(training.update_ratio).message
    calls_it = ex.update_ratio.evaluate(lambda b, a: training.update_ratio(b, a) + 0.0)
    assert not calls_it.correct and "calls nbsupport.training.update_ratio" in calls_it.message
    assert training.update_ratio is ex.update_ratio.solution  # restored after the check
    assert "difference of the stds" in ex.update_ratio.evaluate(
        lambda b, a: abs(np.std(a) - np.std(b)) / np.std(b)).message
    assert "raised" in ex.update_ratio.evaluate(lambda b, a: 1 / 0).message
    assert not ex.update_ratio.evaluate(lambda b, a: np.abs(a - b).mean()).correct

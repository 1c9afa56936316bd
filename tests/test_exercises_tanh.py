import numpy as np
from scipy.special import expit

from nbsupport.exercises import tanh as ex


def test_sigmoid_derivative_accepts_s_times_one_minus_s_and_rejects_slips():
    assert ex.sigmoid_derivative.evaluate(lambda x: expit(x) * (1 - expit(x))).correct
    assert ex.sigmoid_derivative.evaluate(lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2).correct
    assert not ex.sigmoid_derivative.evaluate(lambda x: expit(x) * (1 + expit(x))).correct
    assert not ex.sigmoid_derivative.evaluate(lambda x: 1 - expit(x) ** 2).correct


def test_numerical_slope_matches_the_closed_form_within_central_difference_error():
    x = np.linspace(-6, 6, 25)
    assert np.allclose(ex.numerical_sigmoid_slope(x), expit(x) * expit(-x), rtol=1e-7, atol=1e-10)


def test_tanh_slope_and_its_usual_slips():
    assert ex.tanh_slope_at.evaluate(1 - np.tanh(ex.POINT) ** 2).correct
    assert "squares it" in ex.tanh_slope_at.evaluate(1 - np.tanh(ex.POINT)).message
    assert "squared x" in ex.tanh_slope_at.evaluate(1 - ex.POINT ** 2).message


def test_peak_ratio_and_tanh_from_sigmoid():
    assert ex.peak_ratio.evaluate(1.0 / 0.25).correct
    assert "misquoted" in ex.peak_ratio.evaluate(1 / 0.3).message
    assert ex.tanh_from_sigmoid.evaluate(lambda x: 2 * expit(2 * x) - 1).correct
    assert not ex.tanh_from_sigmoid.evaluate(lambda x: 2 * expit(x) - 1).correct

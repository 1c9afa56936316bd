import numpy as np
from scipy.special import expit

from nbsupport.exercises import sigmoid as ex


def test_peak_slope_is_a_quarter_and_the_misquote_gets_its_hint():
    grid = np.linspace(-10, 10, 200001)
    assert ex.peak_slope.evaluate(float(np.max(expit(grid) * expit(-grid)))).correct
    assert "misquoted" in ex.peak_slope.evaluate(0.3).message
    assert "tanh" in ex.peak_slope.evaluate(1.0).message


def test_flat_point_accepts_two_decimals_and_explains_log_100():
    x = np.linspace(4, 5, 100001)
    crossing = x[np.argmin(np.abs(expit(x) * expit(-x) - 0.01))]
    assert ex.flat_point.evaluate(round(crossing, 2)).correct
    assert "tail approximation" in ex.flat_point.evaluate(np.log(100)).message
    assert not ex.flat_point.evaluate(4.7).correct


def test_depth_bound_multiplies_peaks():
    assert ex.depth_bound.evaluate(np.prod(np.full(10, 0.25))).correct
    assert "misquoted" in ex.depth_bound.evaluate(0.3 ** 10).message
    assert "multiplies" in ex.depth_bound.evaluate(2.5).message


def test_same_sign_gradient_is_upstream_times_inputs():
    inputs = expit(np.array([-1.5, 2.0, 0.0]))
    assert ex.same_sign_gradient.evaluate(-1.5 * inputs).correct
    assert "dy/dw" in ex.same_sign_gradient.evaluate(inputs).message
    assert "sign" in ex.same_sign_gradient.evaluate(1.5 * inputs).message

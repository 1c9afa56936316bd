import numpy as np
from scipy.special import expit

from nbsupport.exercises import sigmoid as ex


def test_slope_from_output_is_s_times_one_minus_s_and_common_slips_get_hints():
    x = np.log(ex.OUTPUT / (1 - ex.OUTPUT))  # the x with s(x) = OUTPUT
    assert ex.slope_from_output.evaluate(float(expit(x) * expit(-x))).correct
    assert ex.slope_from_output.evaluate(0.09).correct
    assert "output s itself" in ex.slope_from_output.evaluate(0.9).message
    assert "peak" in ex.slope_from_output.evaluate(0.25).message
    assert not ex.slope_from_output.evaluate(0.1).correct


def test_flat_point_accepts_two_decimals_rounded_or_truncated_and_explains_log_10():
    x = np.linspace(1.5, 3, 150001)
    crossing = x[np.argmin(np.abs(expit(x) * expit(-x) - ex.LEVEL))]
    assert ex.flat_point.evaluate(round(crossing, 2)).correct
    assert ex.flat_point.evaluate(np.floor(crossing * 100) / 100).correct
    assert "tail approximation" in ex.flat_point.evaluate(np.log(10)).message
    too_short = ex.flat_point.evaluate(round(crossing, 1))
    assert not too_short.correct and "asks for 2" in too_short.message
    assert not ex.flat_point.evaluate(2.2).correct


def test_depth_bound_multiplies_peaks_at_two_significant_digits():
    assert ex.depth_bound.evaluate(np.prod(np.full(10, 0.25))).correct
    assert ex.depth_bound.evaluate(9.5e-7).correct
    assert "significant" in ex.depth_bound.evaluate(1e-6).message
    assert "misquoted" in ex.depth_bound.evaluate(0.3 ** 10).message
    assert "multiplies" in ex.depth_bound.evaluate(2.5).message


def test_same_sign_gradient_is_upstream_times_inputs():
    inputs = expit(np.array([-1.5, 2.0, 0.0]))
    assert ex.same_sign_gradient.evaluate(-1.5 * inputs).correct
    assert ex.same_sign_gradient.evaluate(np.round(-1.5 * inputs, 3)).correct
    assert "dy/dw" in ex.same_sign_gradient.evaluate(inputs).message
    assert "sign" in ex.same_sign_gradient.evaluate(1.5 * inputs).message

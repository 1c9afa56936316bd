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
    assert ex.tanh_slope_at.evaluate(round(1 - np.tanh(ex.POINT) ** 2, 4)).correct
    short = ex.tanh_slope_at.evaluate(round(1 - np.tanh(ex.POINT) ** 2, 2))
    assert not short.correct and "asks for 4" in short.message


def test_slope_from_output_needs_only_the_output():
    x = np.arctanh(ex.OUTPUT)
    assert ex.slope_from_output.evaluate(float((1 - np.tanh(x)) * (1 + np.tanh(x)))).correct
    assert "squares" in ex.slope_from_output.evaluate(1 - abs(ex.OUTPUT)).message
    assert "sigmoid" in ex.slope_from_output.evaluate(ex.OUTPUT * (1 - ex.OUTPUT)).message


def test_function_exercises_reject_the_library_functions_they_ask_for():
    import nbsupport as nbs
    assert not ex.sigmoid_derivative.evaluate(nbs.sigmoid_grad).correct
    assert "calls" in ex.sigmoid_derivative.evaluate(lambda x: nbs.sigmoid_grad(x)).message
    assert not ex.tanh_from_sigmoid.evaluate(lambda x: np.tanh(x)).correct
    assert ex.sigmoid_derivative.evaluate(lambda x: nbs.sigmoid(x) * (1 - nbs.sigmoid(x))).correct


def test_tanh_from_sigmoid():
    assert ex.tanh_from_sigmoid.evaluate(lambda x: 2 * expit(2 * x) - 1).correct
    assert not ex.tanh_from_sigmoid.evaluate(lambda x: 2 * expit(x) - 1).correct

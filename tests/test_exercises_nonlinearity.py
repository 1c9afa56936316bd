import numpy as np

from nbsupport.activations import relu
from nbsupport.exercises import nonlinearity as ex


def test_stacked_slope_accepts_the_product_and_explains_the_sum():
    y = 1.0
    for _ in range(ex.DEPTH):
        y = ex.SLOPE * y
    assert ex.stacked_slope.evaluate(y).correct
    wrong = ex.stacked_slope.evaluate(ex.SLOPE * ex.DEPTH)
    assert not wrong.correct and "adds the layers" in wrong.message
    assert not ex.stacked_slope.evaluate(ex.SLOPE).correct


def test_collapsed_bias_is_the_two_layer_output_at_zero_input():
    two_layers = lambda x: (x @ ex.W1 + ex.B1) @ ex.W2 + ex.B2  # noqa: E731
    assert ex.collapsed_bias.evaluate(two_layers(np.zeros(2))).correct
    # and the collapsed layer reproduces the two layers everywhere
    x = np.random.default_rng(0).normal(size=(4, 2))
    assert np.allclose(two_layers(x), x @ (ex.W1 @ ex.W2) + two_layers(np.zeros(2)))
    assert "B1 @ W2 + B2" in ex.collapsed_bias.evaluate(ex.B2).message
    assert not ex.collapsed_bias.evaluate(ex.B1 @ ex.W2).correct


def test_abs_from_relu_accepts_two_relus_and_rejects_a_wrong_sign():
    assert ex.abs_from_relu.evaluate(lambda x: relu(x) + relu(-x)).correct
    wrong = ex.abs_from_relu.evaluate(lambda x: relu(x) - relu(-x))
    assert not wrong.correct and "expected" in wrong.message
    assert not ex.abs_from_relu.evaluate(None).correct


def test_abs_from_relu_rejects_the_library_abs_itself_or_called():
    assert "itself" in ex.abs_from_relu.evaluate(np.abs).message
    calls_abs = ex.abs_from_relu.evaluate(lambda x: np.abs(x))
    assert not calls_abs.correct and "calls numpy.abs" in calls_abs.message
    assert not ex.abs_from_relu.evaluate(lambda x: abs(x)).correct
    assert ex.abs_from_relu.evaluate(lambda x: relu(x) + relu(-x)).correct

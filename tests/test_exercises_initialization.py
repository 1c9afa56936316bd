import math

import pytest

from nbsupport.exercises import initialization as ex


def test_right_answers_pass():
    assert ex.variance_gain.evaluate(0.32).correct
    assert ex.deep_relu_ratio.evaluate(2 ** -9.5).correct
    assert ex.deep_relu_ratio.evaluate(0.00138).correct
    assert ex.glorot_std.evaluate(0.0559).correct


def test_too_few_digits_get_a_hint():
    assert "significant" in ex.deep_relu_ratio.evaluate(0.0014).message
    assert "significant" in ex.glorot_std.evaluate(0.06).message


def test_known_slips_get_their_hint():
    assert "19" in ex.deep_relu_ratio.evaluate(2 ** -10).message
    assert "square root" in ex.deep_relu_ratio.evaluate(2 ** -19).message
    assert "He's std" in ex.deep_relu_ratio.evaluate(1.0).message
    assert "LeCun" in ex.glorot_std.evaluate(1 / math.sqrt(512)).message
    assert "ReLU zeroes" in ex.variance_gain.evaluate(0.64).message


def test_std_ratio_follows_the_variance_gain():
    he_leaky = math.sqrt(2 / (1.25 * 100))
    assert ex.mean_std_ratio(he_leaky) == pytest.approx(1.0, abs=0.1)
    # four layers of gain g: the std ratio is g^2 (g = n std^2 (1 + alpha^2) / 2)
    assert ex.mean_std_ratio(0.1) == pytest.approx((100 * 0.01 * 1.25 / 2) ** 2, rel=0.15)


def test_leaky_std_runs_the_experiment_and_says_how_close():
    good = ex.leaky_std.evaluate(math.sqrt(2 / (1.25 * 100)))
    assert good.correct and "x layer 1's" in good.message
    plain_he = ex.leaky_std.evaluate(math.sqrt(2 / 100))
    assert not plain_he.correct and "plain ReLU" in plain_he.message
    small = ex.leaky_std.evaluate(0.1)
    assert not small.correct and "too small" in small.message
    assert "too large" in ex.leaky_std.evaluate(0.135).message
    assert "upside down" in ex.leaky_std.evaluate(math.sqrt(50)).message
    assert not ex.leaky_std.evaluate(None).correct
    assert "one number" in ex.leaky_std.evaluate("he").message
    assert not ex.leaky_std.evaluate(-1).correct

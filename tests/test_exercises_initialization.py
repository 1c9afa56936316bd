import math

from nbsupport.exercises import initialization as ex


def test_right_answers_pass():
    assert ex.variance_gain.evaluate(0.5).correct
    assert ex.he_std.evaluate(0.1414).correct
    assert ex.glorot_std.evaluate(0.0451).correct


def test_known_slips_get_their_hint():
    assert "seed note" in ex.he_std.evaluate(math.sqrt(50)).message
    assert "LeCun" in ex.he_std.evaluate(0.1).message
    assert "variance" in ex.he_std.evaluate(0.02).message
    assert "LeCun" in ex.glorot_std.evaluate(1 / 28).message
    assert "ReLU zeroes" in ex.variance_gain.evaluate(1.0).message


def test_relu_std_runs_the_experiment_and_says_how_close():
    good = ex.relu_std.evaluate(math.sqrt(2 / 100))
    assert good.correct and "x layer 1's" in good.message
    small = ex.relu_std.evaluate(0.1)
    assert not small.correct and "too small" in small.message and "0.2" in small.message
    assert "too large" in ex.relu_std.evaluate(0.16).message
    assert "seed note" in ex.relu_std.evaluate(math.sqrt(50)).message
    assert not ex.relu_std.evaluate(None).correct
    assert "one number" in ex.relu_std.evaluate("he").message
    assert not ex.relu_std.evaluate(-1).correct


def test_the_tolerance_band_is_narrow():
    # a 10% band on the std ratio after 4 layers is about +-2.5% on the weight std
    assert not ex.relu_std.evaluate(0.135).correct
    assert not ex.relu_std.evaluate(0.148).correct

import math

from nbsupport.exercises import experiments as ex


def test_parameter_counts_follow_the_layer_formula():
    sizes = ex.DEEP_SIZES
    by_hand = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    assert ex.parameter_count.evaluate(by_hand).correct
    assert "bias" in ex.parameter_count.evaluate(by_hand - sum(sizes[1:])).message
    assert ex.collapsed_parameters.evaluate(785 * 10).correct
    assert "combined bias" in ex.collapsed_parameters.evaluate(7840).message
    assert "own count" in ex.collapsed_parameters.evaluate(785 * 100 + 101 * 100 + 101 * 10).message


def test_test_digits_needed_and_its_slips():
    p = 0.932
    assert ex.test_digits_needed.evaluate(p * (1 - p) / 0.001 ** 2).correct
    assert ex.test_digits_needed.evaluate(63376).correct
    assert ex.test_digits_needed.evaluate(63377).correct        # rounded up to whole digits
    assert not ex.test_digits_needed.evaluate(63300).correct
    assert "square both sides" in ex.test_digits_needed.evaluate(math.sqrt(p * (1 - p)) / 0.001).message
    assert "Square the target error" in ex.test_digits_needed.evaluate(p * (1 - p) / 0.001).message
    assert "percentage points" in ex.test_digits_needed.evaluate(p * (1 - p) / 0.1 ** 2).message


def test_first_layer_std_is_the_variance_formula_on_the_pixels():
    mean_square = ex.mean_square_pixel()
    assert 0.05 < mean_square < 0.2                     # pixels in [0, 1], mostly background
    predicted = math.sqrt(784 * (2 / 784) * mean_square)
    assert ex.first_layer_std.evaluate(round(predicted, 2)).correct
    assert not ex.first_layer_std.evaluate(round(predicted, 2) + 0.03).correct
    assert "variance" in ex.first_layer_std.evaluate(predicted ** 2).message
    assert "square of the std" in ex.first_layer_std.evaluate(math.sqrt(784 * math.sqrt(2 / 784) * mean_square)).message
    assert "Sum over" in ex.first_layer_std.evaluate(math.sqrt(2 / 784 * mean_square)).message

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


def test_standard_error_and_its_slips():
    p, n = 0.932, 2000
    assert ex.standard_error.evaluate(math.sqrt(p * (1 - p) / n)).correct
    assert "variance" in ex.standard_error.evaluate(p * (1 - p) / n).message
    assert "percentage points" in ex.standard_error.evaluate(100 * math.sqrt(p * (1 - p) / n)).message
    assert not ex.standard_error.evaluate(0.05).correct

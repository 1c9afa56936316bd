import numpy as np
import pytest

from nbsupport.data import load_digits
from nbsupport.revival import revival


@pytest.fixture(scope="module")
def digits():
    return load_digits(test_size=0.2, rng=3)


def test_relu_units_pushed_off_get_no_gradient_and_stay_off(digits):
    r = revival(digits.X_train, digits.y_train, digits.X_test, digits.y_test, alpha=0.0, epochs=2)
    assert r.off_after_step > r.off_at_start
    assert r.revived == 0 and r.off_after_training >= r.off_after_step


def test_a_large_leaky_slope_keeps_off_units_learning(digits):
    args = (digits.X_train, digits.y_train, digits.X_test, digits.y_test)
    relu = revival(*args, alpha=0.0, kill_lr=0.0, bias_shift=-2.0, epochs=3)
    leaky = revival(*args, alpha=0.3, kill_lr=0.0, bias_shift=-2.0, epochs=3)
    assert relu.off_after_step == leaky.off_after_step > 50   # the same weights, the same shift
    assert leaky.test_accuracy > relu.test_accuracy
    assert leaky.revived > 0


@pytest.mark.parametrize("alpha", [-0.1, 1.5])
def test_alpha_outside_0_1_is_refused(digits, alpha):
    with pytest.raises(ValueError, match="alpha"):
        revival(digits.X_train, digits.y_train, digits.X_test, digits.y_test, alpha=alpha)

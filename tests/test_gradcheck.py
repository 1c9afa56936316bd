import numpy as np
import pytest

from nbsupport.gradcheck import check_gradient, gradient_relative_error, numerical_grad


def test_numerical_grad_of_a_quadratic_form_matches_the_analytic_gradient():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4, 4))
    x = rng.normal(size=4)
    grad = numerical_grad(lambda v: float(v @ a @ v), x)
    np.testing.assert_allclose(grad, (a + a.T) @ x, rtol=1e-7, atol=1e-8)


def test_numerical_grad_leaves_x_untouched_and_keeps_its_shape():
    x = np.arange(6.0).reshape(2, 3)
    before = x.copy()
    grad = numerical_grad(lambda v: float(np.sum(np.sin(v))), x)
    assert grad.shape == (2, 3)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(grad, np.cos(x), rtol=1e-8, atol=1e-10)


def test_numerical_grad_accepts_lists_and_float32_but_works_in_float64():
    grad = numerical_grad(lambda v: float(np.sum(v ** 3)), np.array([1.0, 2.0], np.float32))
    assert grad.dtype == np.float64
    np.testing.assert_allclose(grad, [3.0, 12.0], rtol=1e-8)
    np.testing.assert_allclose(numerical_grad(lambda v: float(v[0] * v[1]), [2, 5]), [5, 2])


def test_relative_error_detects_a_wrong_gradient():
    x = np.linspace(-2, 2, 7)
    f = lambda v: float(np.sum(np.exp(v)))  # noqa: E731
    assert check_gradient(f, np.exp, x) < 1e-8
    assert check_gradient(f, lambda v: np.exp(v) * 1.01, x) > 1e-3


def test_relative_error_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        gradient_relative_error([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="eps"):
        numerical_grad(np.sum, [1.0], eps=0)
    assert gradient_relative_error([0.0], [0.0]) == 0.0

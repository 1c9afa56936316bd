import math

import numpy as np
import pytest

from nbsupport import init

NAMED_STD = {  # the textbook formulas, written independently of the module
    "xavier_normal": lambda n_in, n_out: math.sqrt(2 / (n_in + n_out)),
    "xavier_uniform": lambda n_in, n_out: math.sqrt(6 / (n_in + n_out)) / math.sqrt(3),
    "he_normal": lambda n_in, n_out: math.sqrt(2 / n_in),
    "he_uniform": lambda n_in, n_out: math.sqrt(6 / n_in) / math.sqrt(3),
    "lecun_normal": lambda n_in, n_out: math.sqrt(1 / n_in),
}


@pytest.mark.parametrize("name", sorted(NAMED_STD))
def test_named_initializers_have_the_textbook_std_shape_and_zero_mean(name):
    fan_in, fan_out = 400, 1500
    w = init.INITIALIZERS[name](fan_in, fan_out, rng=1)
    assert w.shape == (fan_in, fan_out) and w.dtype == np.float64
    expected = NAMED_STD[name](fan_in, fan_out)
    # 600,000 draws: the sample std is within 0.2% of the truth with overwhelming probability
    assert w.std() == pytest.approx(expected, rel=5e-3)
    assert abs(w.mean()) < 5 * expected / math.sqrt(w.size)


@pytest.mark.parametrize("name", ["xavier_uniform", "he_uniform"])
def test_uniform_initializers_fill_exactly_their_interval(name):
    fan_in, fan_out = 300, 200
    w = init.INITIALIZERS[name](fan_in, fan_out, rng=2)
    limit = NAMED_STD[name](fan_in, fan_out) * math.sqrt(3)
    assert np.abs(w).max() <= limit
    assert np.abs(w).max() > 0.999 * limit


def test_he_std_is_sqrt_2_over_n_not_sqrt_n_over_2():
    w = init.he_normal(100, 2000, rng=0)
    assert w.std() == pytest.approx(0.1414, rel=0.01)
    assert w.std() < 1  # sqrt(100 / 2) would be 7.07


def test_normal_uses_the_given_std_and_zero_std_gives_zeros():
    assert init.normal(500, 500, std=0.01, rng=0).std() == pytest.approx(0.01, rel=0.01)
    np.testing.assert_array_equal(init.normal(3, 4, std=0.0, rng=0), np.zeros((3, 4)))


def test_he_normal_keeps_the_mean_square_of_a_relu_signal_through_depth():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2000, 256))
    he, lecun = x, x
    for layer in range(5):
        he = np.maximum(he @ init.he_normal(256, 256, rng=10 + layer), 0.0)
        lecun = np.maximum(lecun @ init.lecun_normal(256, 256, rng=10 + layer), 0.0)
    # E[z^2] = n Var(w) E[x^2] = 2 E[x^2] and ReLU halves it: He keeps the mean square,
    # 1/n halves it in every layer
    assert np.mean(he * he) == pytest.approx(np.mean(x * x), rel=0.2)
    assert np.mean(lecun * lecun) == pytest.approx(np.mean(x * x) / 2 ** 5, rel=0.2)


def test_seeds_and_generators_reproduce_and_differ():
    np.testing.assert_array_equal(init.he_normal(5, 6, rng=7), init.he_normal(5, 6, rng=7))
    assert not np.array_equal(init.he_normal(5, 6, rng=7), init.he_normal(5, 6, rng=8))
    a = init.xavier_uniform(5, 6, rng=np.random.default_rng(7))
    b = init.xavier_uniform(5, 6, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    gen = np.random.default_rng(0)
    assert not np.array_equal(init.lecun_normal(5, 6, rng=gen), init.lecun_normal(5, 6, rng=gen))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, "float32"])
def test_dtype_keyword(dtype):
    for fn in init.INITIALIZERS.values():
        assert fn(4, 3, rng=0, dtype=dtype).dtype == np.dtype(dtype)
    assert init.normal(4, 3, 1.0, rng=0, dtype=dtype).dtype == np.dtype(dtype)


def test_float32_draws_the_same_numbers_as_float64_rounded():
    np.testing.assert_array_equal(init.he_normal(6, 7, rng=4, dtype=np.float32),
                                  init.he_normal(6, 7, rng=4).astype(np.float32))


@pytest.mark.parametrize("fn", list(init.INITIALIZERS.values()))
@pytest.mark.parametrize("fan_in, fan_out, error, word", [
    (0, 3, ValueError, "fan_in"), (-2, 3, ValueError, "fan_in"), (3, 0, ValueError, "fan_out"),
    (2.5, 3, TypeError, "fan_in"), (3, "4", TypeError, "fan_out"), (True, 3, TypeError, "fan_in"),
    (None, 3, TypeError, "fan_in"),
])
def test_bad_fans_are_named(fn, fan_in, fan_out, error, word):
    with pytest.raises(error, match=word):
        fn(fan_in, fan_out, rng=0)


@pytest.mark.parametrize("std, error", [(-0.1, ValueError), (float("nan"), ValueError),
                                        (float("inf"), ValueError), ("0.1", TypeError)])
def test_bad_std_is_named(std, error):
    with pytest.raises(error, match="std"):
        init.normal(3, 3, std, rng=0)


def test_bad_rng_and_dtype_are_named():
    with pytest.raises(TypeError, match="rng"):
        init.he_normal(3, 3, rng="seed")
    with pytest.raises(TypeError, match="dtype"):
        init.he_normal(3, 3, rng=0, dtype=np.int64)
    with pytest.raises(TypeError, match="dtype"):
        init.normal(3, 3, 1.0, rng=0, dtype="banana")

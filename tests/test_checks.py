import numpy as np
import pytest

from nbsupport import _checks as c


@pytest.mark.parametrize("value, dtype", [
    (1, np.float64), ([1, 2], np.float64), (np.array([1], np.int8), np.float64),
    (np.float32(1.5), np.float32), (np.array([1.0], np.float16), np.float32),
    (np.array([True, False]), np.float64), (2.5, np.float64),
])
def test_as_float_array_dtype_rules(value, dtype):
    assert c.as_float_array(value, "x").dtype == dtype


@pytest.mark.parametrize("bad", [None, "abc", ["a", "b"], [1 + 2j], [[1, 2], [3]], {"a": 1}])
def test_as_float_array_rejects_non_numbers_naming_the_argument(bad):
    with pytest.raises(TypeError, match="y_pred"):
        c.as_float_array(bad, "y_pred")


def test_shape_empty_nan_unit_interval_messages_name_arguments():
    with pytest.raises(ValueError, match="a and b"):
        c.check_same_shape(np.zeros(2), np.zeros(3), "a", "b")
    with pytest.raises(ValueError, match="p must not be empty"):
        c.check_nonempty(np.zeros(0), "p")
    with pytest.raises(ValueError, match="t must not contain NaN"):
        c.check_no_nan(np.array([0.0, np.nan]), "t")
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\]"):
        c.check_in_unit_interval(np.array([0.5, 1.2]), "p")
    with pytest.raises(ValueError, match="finite"):
        c.check_finite(np.array([np.inf]), "z")


def test_check_distributions():
    c.check_distributions(np.array([[0.25, 0.75], [1.0, 0.0]]), "p")
    with pytest.raises(ValueError, match="sum to 1"):
        c.check_distributions(np.array([[0.2, 0.3]]), "p")


@pytest.mark.parametrize("check, value, exc", [
    (c.check_positive, 0.0, ValueError), (c.check_positive, -1, ValueError),
    (c.check_positive, "1", TypeError), (c.check_positive, True, TypeError),
    (c.check_positive, float("nan"), ValueError), (c.check_nonnegative, -0.5, ValueError),
    (c.check_positive_int, 2.0, TypeError), (c.check_positive_int, 0, ValueError),
    (c.check_positive_int, True, TypeError),
])
def test_scalar_checks_reject(check, value, exc):
    with pytest.raises(exc, match="alpha"):
        check(value, "alpha")


def test_scalar_checks_accept_and_convert():
    assert c.check_positive(np.float32(2), "a") == 2.0
    assert c.check_nonnegative(0, "a") == 0.0
    assert c.check_positive_int(np.int64(3), "n") == 3


def test_check_axis():
    assert c.check_axis(-1, 2) == 1
    with pytest.raises(ValueError, match="out of range"):
        c.check_axis(2, 2)
    with pytest.raises(TypeError):
        c.check_axis(1.0, 2)


def test_as_rng_is_reproducible_and_rejects_junk():
    assert c.as_rng(3).random() == c.as_rng(3).random()
    g = np.random.default_rng(0)
    assert c.as_rng(g) is g
    with pytest.raises(TypeError, match="rng"):
        c.as_rng("seed")
    with pytest.raises(TypeError, match="rng"):
        c.as_rng(True)


def test_scalar_or_array():
    assert isinstance(c.scalar_or_array(np.array(2.0), 1.0), np.floating)
    assert isinstance(c.scalar_or_array(np.array([2.0]), [1.0]), np.ndarray)


def test_elementwise_validates_computes_in_blocks_and_unwraps():
    big = np.arange(3 * c.BLOCK + 5, dtype=np.float64)
    calls = []

    def square(v):
        calls.append(v.size)
        return v * v
    np.testing.assert_array_equal(c.elementwise(square, big), big * big)
    assert max(calls) <= c.BLOCK and sum(calls) == big.size
    assert isinstance(c.elementwise(square, 3), np.floating)
    with pytest.raises(TypeError, match="z"):
        c.elementwise(square, "a", name="z")


def test_check_scalar_refuses_infinity_and_accepts_0d_arrays():
    with pytest.raises(ValueError, match="delta must be finite"):
        c.check_scalar(np.inf, "delta")
    assert c.check_scalar(np.array(2.5), "a") == 2.5


def test_check_choice_names_the_argument_and_the_choices():
    assert c.check_choice("sum", ("mean", "sum"), "reduction") == "sum"
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum'"):
        c.check_choice("avg", ("mean", "sum"), "reduction")


def test_as_class_targets_labels_rows_and_errors():
    labels, rows = c.as_class_targets(np.array([1, 0]), (2, 3))
    assert rows is None and labels.dtype == np.intp
    with pytest.raises(TypeError, match="booleans"):
        c.as_class_targets([True, False], (2, 3))
    with pytest.raises(ValueError, match="0..2"):
        c.as_class_targets([3, 0], (2, 3))
    with pytest.raises(ValueError, match="one-hot width"):
        c.as_class_targets([[1.0, 0.0]], (1, 3))
    with pytest.raises(ValueError, match="sum to 1"):
        c.as_class_targets([[0.5, 0.6, 0.0]], (1, 3), "y")


def test_non_native_byte_order_becomes_native():
    arr = c.as_float_array(np.arange(3.0).astype(">f8"), "x")
    assert arr.dtype.isnative and arr.dtype == np.float64

"""Tests for nbsupport.normalizers (softmax, log-softmax, log-sum-exp): values, limits, accuracy against mpmath, identities, errors."""
import math

import mpmath
import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nbsupport.gradcheck import numerical_grad
from nbsupport import normalizers as sm
from nbsupport.normalizers import (log_softmax, logsumexp, naive_logsumexp, naive_softmax, softmax,
                                   softmax_jacobian)

RNG = np.random.default_rng(20240601)
EPS = np.finfo(np.float64).eps


@pytest.fixture(params=[None, 3, 7], ids=["default-blocks", "block3", "block7"])
def block(request, monkeypatch):
    """Run a test with tiny blocks too, so whole-row and split-row paths are both taken."""
    if request.param is not None:
        monkeypatch.setattr(sm, "_BLOCK", request.param)
    return request.param


# ---------------------------------------------------------------- values

def test_softmax_small_example_matches_the_definition():
    z = [1.0, 2.0, 3.0]
    e = [math.exp(v) for v in z]
    expected = [v / sum(e) for v in e]
    np.testing.assert_allclose(softmax(z), expected, rtol=1e-15)


def test_logsumexp_and_log_softmax_small_example():
    z = [0.5, -1.0, 2.0]
    lse = math.log(sum(math.exp(v) for v in z))
    assert logsumexp(z) == pytest.approx(lse, rel=1e-15)
    np.testing.assert_allclose(log_softmax(z), [v - lse for v in z], rtol=1e-14)


@pytest.mark.parametrize("shape, axis", [((7,), 0), ((4, 5), -1), ((4, 5), 0), ((3, 4, 5), 1),
                                         ((2, 3, 4), -3), ((200, 3), 0)])
def test_matches_scipy_along_every_axis(block, shape, axis):
    z = RNG.normal(scale=20, size=shape)
    np.testing.assert_allclose(softmax(z, axis=axis), sp.softmax(z, axis=axis), rtol=1e-13, atol=1e-300)
    # scipy takes log(sum) where the sum is near 1: it is only absolutely accurate there
    np.testing.assert_allclose(log_softmax(z, axis=axis), sp.log_softmax(z, axis=axis), rtol=1e-13, atol=1e-15)
    for keepdims in (False, True):
        np.testing.assert_allclose(logsumexp(z, axis=axis, keepdims=keepdims),
                                   sp.logsumexp(z, axis=axis, keepdims=keepdims), rtol=1e-14)


def test_logsumexp_of_a_vector_is_a_numpy_scalar_and_keepdims_keeps_the_axis():
    assert isinstance(logsumexp([1.0, 2.0]), np.float64)
    assert logsumexp(np.zeros((2, 3)), axis=0, keepdims=True).shape == (1, 3)
    assert logsumexp(np.zeros((2, 3)), axis=1).shape == (2,)


def test_temperature_divides_the_logits(block):
    z = np.array([1.0, 2.0, 4.0])
    for t in (0.1, 0.5, 3.0, 100.0):
        np.testing.assert_allclose(softmax(z, temperature=t), sp.softmax(z / t), rtol=1e-14)
    assert softmax(z, temperature=1e-3)[2] == 1.0  # very cold: the argmax takes everything
    np.testing.assert_allclose(softmax(z, temperature=1e6), 1 / 3, rtol=1e-5)  # very hot: uniform


def test_huge_and_far_apart_logits_give_the_limits_without_warnings(block):
    np.testing.assert_array_equal(softmax([1e308, -1e308]), [1.0, 0.0])
    np.testing.assert_array_equal(softmax([1e308, 1e308]), [0.5, 0.5])
    np.testing.assert_array_equal(log_softmax([0.0, -1e308]), [0.0, -1e308])
    assert log_softmax([1e308, -1e308])[1] == -np.inf  # -2e308 is beyond float64: rounds to -inf
    assert logsumexp([1e308, 1e308]) == 1e308  # 1e308 + log 2 rounds to 1e308
    assert logsumexp([-1e308, -1e308]) == -1e308
    assert logsumexp([-800.0, -800.0]) == pytest.approx(-800 + math.log(2), rel=1e-15)


@pytest.mark.parametrize("z, p, logp, lse", [
    ([np.inf, 0.0, 1.0], [1, 0, 0], [0, -np.inf, -np.inf], np.inf),
    ([-np.inf, 0.0, 0.0], [0, 0.5, 0.5], [-np.inf, -math.log(2), -math.log(2)], math.log(2)),
    ([-np.inf, -np.inf], [np.nan, np.nan], [np.nan, np.nan], -np.inf),  # no limit: 0/0
    ([np.inf, np.inf, 0.0], [np.nan, np.nan, 0], [np.nan, np.nan, -np.inf], np.inf),
    ([np.nan, 0.0], [np.nan, np.nan], [np.nan, np.nan], np.nan),
    ([0.0, np.nan], [np.nan, np.nan], [np.nan, np.nan], np.nan),
])
def test_infinite_and_nan_logits_give_limits_or_quiet_nan(block, z, p, logp, lse):
    np.testing.assert_array_equal(softmax(z), p)
    np.testing.assert_array_equal(log_softmax(z), logp)
    np.testing.assert_array_equal(logsumexp(z), lse)


def test_a_special_row_does_not_disturb_its_neighbours(block):
    z = np.array([[np.inf, 0.0], [1.0, 2.0], [-np.inf, -np.inf], [np.nan, 1.0], [3.0, -1.0]])
    expected = sp.softmax(z[[1, 4]], axis=1)
    np.testing.assert_allclose(softmax(z)[[1, 4]], expected, rtol=1e-15)
    np.testing.assert_allclose(log_softmax(z)[[1, 4]], np.log(expected), rtol=1e-15)
    np.testing.assert_array_equal(logsumexp(z), [np.inf, sp.logsumexp([1.0, 2.0]), -np.inf, np.nan,
                                                 sp.logsumexp([3.0, -1.0])])


def test_float32_stays_float32_and_ints_become_float64():
    z32 = np.array([[1.0, 2.0, 90.0]], dtype=np.float32)
    for f in (softmax, log_softmax, logsumexp):
        assert np.asarray(f(z32)).dtype == np.float32
        assert np.asarray(f([1, 2, 3])).dtype == np.float64
    np.testing.assert_allclose(softmax(z32), sp.softmax(z32.astype(np.float64), axis=-1), rtol=1e-6)
    assert softmax(np.array([100.0, 0.0], dtype=np.float32))[0] == np.float32(1)  # exp(100) overflows float32


@pytest.mark.parametrize("temperature", [1e-300, 1e-3, 0.3, 3.0, 1e30, 1e300])
def test_float32_softmax_at_any_temperature_is_within_three_float32_ulps(temperature):
    z = (RNG.normal(size=(20, 5)) * 10.0 ** RNG.uniform(-2, 3, size=(20, 1))).astype(np.float32)
    with np.errstate(over="ignore", under="ignore"):
        exact = sp.softmax(z.astype(np.float64) / temperature, axis=1)  # float64: ~1e-13, exact enough
    got = softmax(z, temperature=temperature)
    assert got.dtype == np.float32
    spacing = np.spacing(np.maximum(exact.astype(np.float32), np.finfo(np.float32).tiny)).astype(np.float64)
    assert np.max(np.abs(got - exact) / spacing) <= 3


def test_large_array_is_split_into_blocks_and_matches_scipy():
    z = RNG.normal(scale=30, size=(3, sm._BLOCK + 5))  # every row spans two blocks
    np.testing.assert_allclose(softmax(z), sp.softmax(z, axis=1), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(log_softmax(z), sp.log_softmax(z, axis=1), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(logsumexp(z), sp.logsumexp(z, axis=1), rtol=1e-14)


# ---------------------------------------------------------------- accuracy against mpmath

def _reference(z: np.ndarray, temperature: float = 1.0):
    """softmax, log_softmax and LSE of the exact float inputs, to 50 digits."""
    with mpmath.workdps(50):
        zs = [mpmath.mpf(float(v)) / mpmath.mpf(temperature) for v in z]
        top = max(zs)
        i = zs.index(top)
        log1p_rest = mpmath.log1p(mpmath.fsum(mpmath.exp(v - top) for k, v in enumerate(zs) if k != i))
        log_p = [(v - top) - log1p_rest for v in zs]
        return [mpmath.exp(v) for v in log_p], log_p, top + log1p_rest


def _ulp_error(got, exact) -> float:
    """Largest |got - exact| in units of the spacing of float64 at the exact value."""
    worst = 0.0
    for g, e in zip(np.atleast_1d(got), exact):
        spacing = np.spacing(abs(float(e))) if float(e) != 0 else np.spacing(0.0)
        worst = max(worst, float(abs(mpmath.mpf(float(g)) - e) / spacing))
    return worst


ACCURACY_GRID = [
    [0.0, -700.0], [0.1, -700.3], [1000.5, 999.1, -12.3], [-745.1, 0.2, 0.3],
    [1e308, -1e308, 0.0], [1e308, 1e308 * 0.999999], [-1e308, -1e308 * 0.999999],
    [5e-324, 0.0, -5e-324], [1e-300, 2e-300], [6294.857, 5692.449, 6095.955, 6188.968],
    [-3.7, -3.7000000001, 40.25, -600.125], [0.69, -0.7], [1e15, 1e15 + 0.5, 1e15 - 30.0],
] + [list(RNG.normal(size=int(RNG.integers(2, 7))) * 10.0 ** RNG.uniform(-3, 3)
          + RNG.normal() * 10.0 ** RNG.uniform(0, 6)) for _ in range(40)]


@pytest.mark.parametrize("z", ACCURACY_GRID)
def test_softmax_and_log_softmax_are_within_two_ulps_of_mpmath(z):
    z = np.array(z)
    p, log_p, _ = _reference(z)
    assert _ulp_error(softmax(z), p) <= 2.5
    assert _ulp_error(log_softmax(z), log_p) <= 2.0


@pytest.mark.parametrize("z", ACCURACY_GRID)
def test_logsumexp_is_accurate_up_to_its_conditioning(z):
    z = np.array(z)
    _, _, lse = _reference(z)
    # LSE = m + log1p(rest): two roundings, plus the cancellation when m is close to -log1p(rest)
    allowed = 2.5 * np.spacing(abs(float(lse))) + EPS * float(np.max(np.abs(z)))
    assert abs(mpmath.mpf(float(logsumexp(z))) - lse) <= allowed


@pytest.mark.parametrize("z", ACCURACY_GRID[:12])
@pytest.mark.parametrize("temperature", [0.3, 2.5, 7.0])
def test_softmax_with_temperature_is_within_three_ulps_of_mpmath(z, temperature):
    z = np.array(z)
    p, _, _ = _reference(z, temperature)
    assert _ulp_error(softmax(z, temperature=temperature), p) <= 3


def test_compensation_beats_the_plain_max_shift():
    """The test above can fail: the textbook max-shifted softmax is off by hundreds of ulps."""
    z = np.array([0.1, -700.3])
    p, _, _ = _reference(z)
    assert _ulp_error(sp.softmax(z), p) > 50
    assert _ulp_error(softmax(z), p) <= 2


# ---------------------------------------------------------------- identities (hypothesis)

finite_logits = arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e3, 1e3))
any_finite_logits = arrays(np.float64, st.integers(1, 8),
                           elements=st.floats(-1e308, 1e308, allow_nan=False, allow_infinity=False))


@given(finite_logits, st.floats(-1e3, 1e3))
def test_softmax_is_shift_invariant(z, c):
    np.testing.assert_allclose(softmax(z + c), softmax(z), rtol=1e-9, atol=1e-300)


@given(any_finite_logits)
def test_rows_sum_to_one_and_nothing_is_nan(z):
    p = softmax(z)
    assert np.all((p >= 0) & (p <= 1))
    assert abs(p.sum() - 1) <= 4 * EPS * z.size
    assert np.all(~np.isnan(log_softmax(z)))


@given(any_finite_logits)
def test_logsumexp_lies_between_max_and_max_plus_log_n(z):
    lse = logsumexp(z)
    m = z.max()
    assert m <= lse <= m + math.log(z.size) + 4 * EPS * abs(m) + 4 * EPS


@given(any_finite_logits)
def test_log_softmax_is_log_of_softmax_where_that_is_finite(z):
    p = softmax(z)
    normal = p >= np.finfo(np.float64).tiny  # log of subnormals has lost digits
    np.testing.assert_allclose(log_softmax(z)[normal], np.log(p[normal]), rtol=1e-14, atol=4 * EPS)


@settings(max_examples=80)
@given(arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 4)),
              elements=st.floats(-1e308, 1e308, allow_nan=False, allow_infinity=False)),
       st.floats(1e-300, 1e300))
def test_rows_are_distributions_at_any_temperature(z, temperature):
    p = softmax(z, temperature=temperature)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=0, atol=8 * EPS)


@given(finite_logits)
def test_log_softmax_is_z_minus_logsumexp(z):
    np.testing.assert_allclose(log_softmax(z), z - logsumexp(z), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------- Jacobian

@pytest.mark.parametrize("z", [[0.0, 0.0], [1.0, -2.0, 0.5], list(RNG.normal(size=6) * 3)])
def test_softmax_jacobian_matches_numerical_differentiation(z):
    z = np.array(z)
    numerical = np.array([numerical_grad(lambda v, i=i: softmax(v)[i], z) for i in range(z.size)])
    np.testing.assert_allclose(softmax_jacobian(z), numerical, atol=1e-9)


def test_softmax_jacobian_is_symmetric_with_zero_row_sums():
    J = softmax_jacobian([0.3, -1.0, 2.0, 0.0])
    np.testing.assert_allclose(J, J.T, atol=0)
    np.testing.assert_allclose(J.sum(axis=0), 0, atol=1e-16)


# ---------------------------------------------------------------- naive formulas (demonstrations)

def test_naive_formulas_agree_on_small_logits():
    z = RNG.normal(size=(3, 4))
    np.testing.assert_allclose(naive_softmax(z), softmax(z), rtol=1e-14)
    np.testing.assert_allclose(naive_logsumexp(z), logsumexp(z), rtol=1e-14)


def test_naive_formulas_overflow_with_a_warning():
    with pytest.warns(RuntimeWarning):
        assert np.isnan(naive_softmax([1000.0, 0.0])).any()
    with pytest.warns(RuntimeWarning):
        assert naive_logsumexp([1000.0, 0.0]) == np.inf


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("f", [softmax, log_softmax, logsumexp, naive_softmax, naive_logsumexp])
@pytest.mark.parametrize("bad, error, match", [
    ([], ValueError, "z must not be empty"),
    (np.zeros((2, 0)), ValueError, "z must not be empty"),
    (3.0, ValueError, "z must have at least one dimension"),
    (["a", "b"], TypeError, "z must contain real numbers"),
    ([1 + 2j], TypeError, "z must contain real numbers"),
    ([[1.0, 2.0], [3.0]], TypeError, "z must be a rectangular array"),
    (None, TypeError, "z must be a number"),
])
def test_bad_logits_are_rejected_by_name(f, bad, error, match):
    with pytest.raises(error, match=match):
        f(bad)


@pytest.mark.parametrize("f", [softmax, log_softmax, logsumexp])
@pytest.mark.parametrize("axis, error", [(2, ValueError), (-3, ValueError), (0.5, TypeError),
                                         ("0", TypeError), (None, TypeError)])
def test_bad_axis_is_rejected(f, axis, error):
    with pytest.raises(error, match="axis"):
        f(np.zeros((2, 3)), axis=axis)


@pytest.mark.parametrize("temperature, error", [(0, ValueError), (-1.0, ValueError), (np.nan, ValueError),
                                                (np.inf, ValueError), ("1", TypeError), (True, TypeError),
                                                ([1.0], TypeError)])
def test_bad_temperature_is_rejected(temperature, error):
    with pytest.raises(error, match="temperature"):
        softmax([1.0, 2.0], temperature=temperature)


@pytest.mark.parametrize("bad", [[[1.0, 2.0], [3.0, 4.0]], 1.0])
def test_softmax_jacobian_wants_a_vector(bad):
    with pytest.raises(ValueError, match="z must be a 1-D vector"):
        softmax_jacobian(bad)

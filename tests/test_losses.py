"""Tests for nbsupport.losses: values against scipy/sklearn/mpmath, gradients, limits, errors."""
import math

import mpmath
import numpy as np
import pytest
import scipy.special as sp
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import metrics

from nbsupport import losses as L
from nbsupport.gradcheck import gradient_relative_error, numerical_grad
from nbsupport.normalizers import softmax

RNG = np.random.default_rng(7)
EPS = np.finfo(np.float64).eps

Y = RNG.normal(size=(4, 3))
P = RNG.normal(size=(4, 3))
Y_POS, P_POS = np.abs(Y) + 0.1, np.abs(P) + 0.1
Y_BIN = RNG.uniform(size=(4, 3))
P_BIN = RNG.uniform(0.05, 0.95, size=(4, 3))
LABELS = np.array([0, 2, 1, 2])
ONE_HOT = np.eye(3)[LABELS]
SOFT = RNG.dirichlet(np.ones(3), size=4)
PROBS = RNG.dirichlet(np.ones(3), size=4)


def _ulp_error(got, exact) -> float:
    spacing = np.spacing(abs(float(exact))) if float(exact) != 0 else np.spacing(0.0)
    return float(abs(mpmath.mpf(float(got)) - exact) / spacing)


# ---------------------------------------------------------------- values against references

def test_regression_losses_match_sklearn_and_the_definitions():
    assert L.mse(Y, P) == pytest.approx(metrics.mean_squared_error(Y, P), rel=1e-14)
    assert L.half_mse(Y, P) == pytest.approx(metrics.mean_squared_error(Y, P) / 2, rel=1e-14)
    assert L.sse(Y, P) == pytest.approx(metrics.mean_squared_error(Y, P) * Y.size, rel=1e-14)
    assert L.mae(Y, P) == pytest.approx(metrics.mean_absolute_error(Y, P), rel=1e-14)
    assert L.mape(Y, P) == pytest.approx(100 * metrics.mean_absolute_percentage_error(Y, P), rel=1e-14)
    assert L.msle(Y_POS, P_POS) == pytest.approx(metrics.mean_squared_log_error(Y_POS, P_POS), rel=1e-13)


def test_small_hand_computed_examples():
    assert L.mse([1.0, 2.0], [1.5, 2.0]) == 0.125
    assert L.sse([0, 0], [1, 2]) == 5.0
    assert L.mae([0.0, 0.0], [1.0, -2.0]) == 1.5
    assert L.mape([2.0, 4.0], [1.0, 5.0]) == 37.5  # (50% + 25%) / 2
    assert L.msle([0.0], [math.e - 1]) == pytest.approx(1.0, rel=1e-15)
    assert L.huber([0.0, 0.0], [0.5, 3.0]) == 1.3125  # (0.125 + (3 - 0.5)) / 2


@pytest.mark.parametrize("delta", [0.3, 1.0, 2.5])
def test_huber_matches_scipy_special_huber(delta):
    expected = sp.huber(delta, P - Y).mean()
    assert L.huber(Y, P, delta=delta) == pytest.approx(expected, rel=1e-14)


def test_binary_cross_entropy_matches_sklearn_log_loss():
    y = (Y_BIN > 0.5).astype(float).ravel()
    assert L.binary_cross_entropy(y, P_BIN.ravel()) == pytest.approx(metrics.log_loss(y, P_BIN.ravel()), rel=1e-13)


def test_binary_cross_entropy_matches_scipy_xlogy_for_soft_targets():
    expected = -(sp.xlogy(Y_BIN, P_BIN) + sp.xlog1py(1 - Y_BIN, -P_BIN)).mean()
    assert L.binary_cross_entropy(Y_BIN, P_BIN) == pytest.approx(expected, rel=1e-14)


def test_categorical_cross_entropy_matches_sklearn_for_labels_and_one_hot():
    expected = metrics.log_loss(LABELS, PROBS, labels=[0, 1, 2])
    assert L.categorical_cross_entropy(LABELS, PROBS) == pytest.approx(expected, rel=1e-13)
    assert L.categorical_cross_entropy(ONE_HOT, PROBS) == pytest.approx(expected, rel=1e-13)
    soft = -sp.xlogy(SOFT, PROBS).sum(axis=1).mean()
    assert L.categorical_cross_entropy(SOFT, PROBS) == pytest.approx(soft, rel=1e-14)


def test_softmax_cross_entropy_matches_scipy_log_softmax():
    expected = -sp.log_softmax(P, axis=1)[np.arange(4), LABELS].mean()
    for y in (LABELS, ONE_HOT, LABELS.astype(float)):
        assert L.softmax_cross_entropy_with_logits(y, P) == pytest.approx(expected, rel=1e-14)
    soft = -(SOFT * sp.log_softmax(P, axis=1)).sum(axis=1).mean()
    assert L.softmax_cross_entropy_with_logits(SOFT, P) == pytest.approx(soft, rel=1e-14)


def test_a_single_sample_may_be_one_dimensional():
    z = np.array([0.5, -1.0, 2.0])
    assert L.softmax_cross_entropy_with_logits(2, z) == pytest.approx(-sp.log_softmax(z)[2], rel=1e-15)
    assert L.softmax_cross_entropy_with_logits([0, 0, 1], z) == L.softmax_cross_entropy_with_logits(2, z)
    assert L.categorical_cross_entropy(1, [0.25, 0.75]) == pytest.approx(-math.log(0.75), rel=1e-15)
    assert L.softmax_cross_entropy_with_logits_grad(2, z).shape == (3,)


def test_entropy_cross_entropy_and_kl_match_scipy():
    assert np.allclose(L.entropy(PROBS), sp.entr(PROBS).sum(axis=1), rtol=1e-14, atol=0)
    assert np.allclose(L.entropy(PROBS), scipy.stats.entropy(PROBS, axis=1), rtol=1e-14, atol=0)
    assert np.allclose(L.kl_divergence(SOFT, PROBS), sp.rel_entr(SOFT, PROBS).sum(axis=1), rtol=1e-13, atol=0)
    assert np.allclose(L.kl_divergence(SOFT, PROBS), sp.kl_div(SOFT, PROBS).sum(axis=1), rtol=1e-13, atol=1e-16)
    assert np.allclose(L.cross_entropy(SOFT, PROBS), -sp.xlogy(SOFT, PROBS).sum(axis=1), rtol=1e-14, atol=0)


def test_information_quantities_follow_0_log_0_and_infinity_conventions():
    assert L.entropy([1.0, 0.0]) == 0.0 and not np.signbit(L.entropy([1.0, 0.0]))
    assert L.entropy([0.5, 0.5]) == pytest.approx(math.log(2), rel=1e-15)
    assert L.kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(math.log(2), rel=1e-15)
    assert L.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert L.kl_divergence([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == 0.0  # 0 log(0 / 0) = 0, quietly
    assert L.cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert L.kl_divergence([1.0, 0.0], [1e-320, 1.0]) == pytest.approx(-math.log(1e-320), rel=1e-3)
    assert isinstance(L.entropy([0.5, 0.5]), np.float64)
    assert L.entropy(PROBS).shape == (4,)


# ---------------------------------------------------------------- gradients

GRADIENT_CASES = [
    ("mse", L.mse, L.mse_grad, Y, P),
    ("half_mse", L.half_mse, L.half_mse_grad, Y, P),
    ("sse", L.sse, L.sse_grad, Y, P),
    ("mae", L.mae, L.mae_grad, Y, P),
    ("mape", L.mape, L.mape_grad, Y, P),
    ("msle", L.msle, L.msle_grad, Y_POS, P_POS - 0.5),
    ("huber", L.huber, L.huber_grad, Y, P),
    ("huber_delta_0.3", lambda y, p, **kw: L.huber(y, p, delta=0.3, **kw),
     lambda y, p, **kw: L.huber_grad(y, p, delta=0.3, **kw), Y, P),
    ("bce", L.binary_cross_entropy, L.binary_cross_entropy_grad, Y_BIN, P_BIN),
    ("bce_hard_targets", L.binary_cross_entropy, L.binary_cross_entropy_grad, (Y_BIN > 0.5) * 1.0, P_BIN),
    ("bce_logits", L.binary_cross_entropy_with_logits, L.binary_cross_entropy_with_logits_grad, Y_BIN, 3 * P),
    ("cce_labels", L.categorical_cross_entropy, L.categorical_cross_entropy_grad, LABELS, PROBS),
    ("cce_one_hot", L.categorical_cross_entropy, L.categorical_cross_entropy_grad, ONE_HOT, PROBS),
    ("cce_soft", L.categorical_cross_entropy, L.categorical_cross_entropy_grad, SOFT, PROBS),
    ("sce_labels", L.softmax_cross_entropy_with_logits, L.softmax_cross_entropy_with_logits_grad, LABELS, 3 * P),
    ("sce_float_labels", L.softmax_cross_entropy_with_logits, L.softmax_cross_entropy_with_logits_grad,
     LABELS.astype(float), 3 * P),
    ("sce_one_hot", L.softmax_cross_entropy_with_logits, L.softmax_cross_entropy_with_logits_grad, ONE_HOT, 3 * P),
    ("sce_soft", L.softmax_cross_entropy_with_logits, L.softmax_cross_entropy_with_logits_grad, SOFT, 3 * P),
    ("sce_one_sample", L.softmax_cross_entropy_with_logits, L.softmax_cross_entropy_with_logits_grad, 1, P[0]),
]


def _tangent_derivatives(f, p: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of f along e_i - e_0 in each row: p stays a distribution."""
    rows = np.atleast_2d(p)
    out = np.zeros_like(rows)
    for r in range(rows.shape[0]):
        for i in range(1, rows.shape[1]):
            step = np.zeros_like(rows)
            step[r, i], step[r, 0] = h, -h
            out[r, i] = (f((rows + step).reshape(p.shape)) - f((rows - step).reshape(p.shape))) / (2 * h)
    return out


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name, loss, grad, y, p", GRADIENT_CASES, ids=[c[0] for c in GRADIENT_CASES])
def test_gradient_matches_central_differences(name, loss, grad, y, p, reduction):
    """The gradient of every reduction is the derivative of the reduced loss ("none": of its sum)."""
    if name == "sse" and reduction != "mean":
        pytest.skip("sse is the sum by definition and takes no reduction")
    kw = {} if name == "sse" else {"reduction": reduction}
    total = lambda q: float(np.sum(loss(y, q, **kw)))  # noqa: E731
    analytic = grad(y, p, **kw)
    assert analytic.shape == np.shape(p)
    if name.startswith("cce"):  # off the simplex y_pred is refused: compare along its tangents
        tangent = np.atleast_2d(analytic) - np.atleast_2d(analytic)[:, :1]
        assert gradient_relative_error(tangent, _tangent_derivatives(total, p)) < 1e-6
    else:
        assert gradient_relative_error(analytic, numerical_grad(total, p, eps=1e-6)) < 1e-6


def test_mse_gradient_carries_the_mean():
    np.testing.assert_array_equal(L.mse_grad([0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0]), [0.5, 1.0, 1.5, 2.0])
    np.testing.assert_array_equal(L.sse_grad([0.0, 0.0], [1.0, 2.0]), [2.0, 4.0])


def test_kinks_take_a_zero_subgradient():
    np.testing.assert_array_equal(L.mae_grad([1.0, 2.0], [1.0, 3.0]), [0.0, 0.5])
    np.testing.assert_array_equal(L.huber_grad([0.0, 0.0], [1.0, 5.0]), [0.5, 0.5])


def test_confident_gradients_keep_their_digits():
    """p - 1 would round to 0 here; the gradient is -sigmoid(-40) = -4.25e-18."""
    exact = -float(1 / (1 + mpmath.exp(40)))
    assert L.binary_cross_entropy_with_logits_grad([1.0], [40.0])[0] == pytest.approx(exact, rel=1e-14)
    g = L.softmax_cross_entropy_with_logits_grad([0], [[40.0, 0.0]])
    assert g[0, 0] == pytest.approx(exact, rel=1e-14)
    assert g[0, 1] == pytest.approx(-exact, rel=1e-14)


def test_bce_logits_gradient_is_sigmoid_minus_target():
    z = np.linspace(-30, 30, 13)
    y = np.linspace(0, 1, 13)
    # atol: expit(30) - 1 in the reference cancels; the function computes -expit(-30) instead
    np.testing.assert_allclose(L.binary_cross_entropy_with_logits_grad(y, z), (sp.expit(z) - y) / 13,
                               rtol=1e-12, atol=EPS / 13)


def test_softmax_cross_entropy_gradient_is_softmax_minus_one_hot():
    expected = (sp.softmax(P, axis=1) - ONE_HOT) / 4
    np.testing.assert_allclose(L.softmax_cross_entropy_with_logits_grad(LABELS, P), expected, rtol=1e-12, atol=1e-16)


# ---------------------------------------------------------------- exact limits, extremes, no warnings

def test_binary_cross_entropy_exact_limits():
    assert L.binary_cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0
    assert not np.signbit(L.binary_cross_entropy([0.0, 1.0], [0.0, 1.0]))
    assert L.binary_cross_entropy([1.0], [0.0]) == np.inf
    assert L.binary_cross_entropy([0.0], [1.0]) == np.inf
    assert L.binary_cross_entropy([0.5], [0.0]) == np.inf
    np.testing.assert_array_equal(L.binary_cross_entropy_grad([0, 1, 1, 0, 0.5], [0, 1, 0, 1, 1]),
                                  np.array([1, -1, -np.inf, np.inf, np.inf]) / 5)


@pytest.mark.parametrize("y, p", [(12.5, 13.0), (1e6, 1e6 + 1), (0.0, 1e-12), (-0.5, -0.4999999),
                                  (3.0, 2.999), (1e300, 1.7e308), (-0.999, 1.7e308), (5.0, 5.0)])
def test_msle_and_its_gradient_keep_their_digits_when_the_logarithms_nearly_cancel(y, p):
    with mpmath.workdps(60):
        d = mpmath.log1p(mpmath.mpf(p)) - mpmath.log1p(mpmath.mpf(y))
        loss, grad = d * d, 2 * d / (1 + mpmath.mpf(p))
    assert _ulp_error(L.msle([y], [p]), loss) <= 4, (y, p)
    assert _ulp_error(L.msle_grad([y], [p])[0], grad) <= 4, (y, p)


def test_binary_cross_entropy_is_accurate_near_the_edges():
    for y, p in [(1.0, 1e-300), (0.0, 1 - 2 ** -53), (1.0, 1 - 1e-10), (0.0, 1e-10), (0.3, 0.999999),
                 (0.7, 3e-8), (0.5, 0.5)]:
        with mpmath.workdps(50):
            yy, pp = mpmath.mpf(y), mpmath.mpf(p)
            exact = -(yy * mpmath.log(pp) + (1 - yy) * mpmath.log(1 - pp))
        assert _ulp_error(L.binary_cross_entropy([y], [p]), exact) <= 2, (y, p)


@pytest.mark.parametrize("z", [0.0, 1e-20, -1e-20, 0.5, -0.5, 20.0, -20.0, 40.0, -40.0, 700.0, -700.0,
                               800.0, -800.0, 1e308, -1e308, 5e-324])
@pytest.mark.parametrize("y", [0.0, 1.0, 0.25])
def test_bce_with_logits_is_within_two_ulps_of_mpmath(z, y):
    with mpmath.workdps(60):
        zz, yy = mpmath.mpf(z), mpmath.mpf(y)
        softplus = lambda x: mpmath.log1p(mpmath.exp(-abs(x))) + max(x, 0)  # noqa: E731
        exact = yy * softplus(-zz) + (1 - yy) * softplus(zz)
    assert _ulp_error(L.binary_cross_entropy_with_logits([y], [z]), exact) <= 2


@pytest.mark.parametrize("z", [[0.0, -1000.0], [0.1, -700.3, 3.0], [1e308, 1e307, -1e307], [1000.5, 999.1, -12.3],
                               [-3.7, -3.7000000001, 40.25]])
def test_softmax_cross_entropy_is_within_two_ulps_of_mpmath(z):
    with mpmath.workdps(60):
        zs = [mpmath.mpf(v) for v in z]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v - max(zs)) for v in zs)) + max(zs)
    for label in range(len(z)):
        assert _ulp_error(L.softmax_cross_entropy_with_logits(label, z), lse - zs[label]) <= 2


def test_huge_inputs_give_finite_answers_where_the_answer_is_finite():
    assert L.mae([-1e308, 0.0], [1e308, 0.0]) == pytest.approx(1e308, rel=1e-15)  # p - y overflows
    assert L.mse([0.0, 0.0], [1.2e154, 1.2e154]) == pytest.approx(1.44e308, rel=1e-15)  # the sum overflows
    assert L.mse([-1e308], [1e308]) == np.inf  # 4e616 really is beyond float64
    assert L.huber([-1e308, 0.0], [1e308, 0.0], delta=1e-300) == pytest.approx(1e8, rel=1e-14)
    assert L.binary_cross_entropy_with_logits([1.0, 0.0, 0.5], [1e308, -1e308, 1e308]) == pytest.approx(0.5e308 / 3)
    assert L.softmax_cross_entropy_with_logits([1], [[1e308, -1e308]]) == np.inf  # 2e308 overflows


def test_nan_in_predictions_propagates_quietly():
    assert np.isnan(L.mse([1.0], [np.nan]))
    assert np.isnan(L.binary_cross_entropy_with_logits([1.0], [np.nan]))
    assert np.isnan(L.softmax_cross_entropy_with_logits([0], [[np.nan, 1.0]]))


def test_infinite_logits_give_their_limits():
    assert L.binary_cross_entropy_with_logits([1.0, 0.0], [np.inf, -np.inf]) == 0.0
    assert L.binary_cross_entropy_with_logits([0.0], [np.inf]) == np.inf
    assert L.softmax_cross_entropy_with_logits([0], [[0.0, -np.inf]]) == 0.0


# ---------------------------------------------------------------- identities (hypothesis)

def _distribution(size):
    return arrays(np.float64, size, elements=st.floats(1e-3, 1.0)).map(lambda a: a / a.sum())


@given(st.integers(1, 6).flatmap(lambda n: st.tuples(_distribution(n), _distribution(n))))
def test_cross_entropy_is_entropy_plus_kl(pq):
    p, q = pq
    assert L.cross_entropy(p, q) == pytest.approx(L.entropy(p) + L.kl_divergence(p, q), rel=1e-12, abs=1e-14)
    assert L.kl_divergence(p, q) >= -1e-15
    assert L.kl_divergence(p, p) == pytest.approx(0, abs=1e-15)


@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-20, 20)), st.data())
def test_bce_with_logits_equals_bce_of_sigmoid(z, data):
    y = data.draw(arrays(np.float64, z.shape, elements=st.floats(0, 1)))
    p = sp.expit(z)
    assert L.binary_cross_entropy_with_logits(y, z) == pytest.approx(L.binary_cross_entropy(y, p), rel=1e-7)


@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e308, 1e308)), st.data())
def test_bce_with_logits_is_finite_and_non_negative_for_any_finite_logit(z, data):
    y = data.draw(arrays(np.float64, z.shape, elements=st.floats(0, 1)))
    loss = L.binary_cross_entropy_with_logits(y, z)
    assert 0 <= loss < np.inf
    assert np.all(np.isfinite(L.binary_cross_entropy_with_logits_grad(y, z)))


@settings(max_examples=60)
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 5)), elements=st.floats(-30, 30)),
       st.data())
def test_softmax_cross_entropy_equals_categorical_cross_entropy_of_softmax(z, data):
    labels = data.draw(arrays(np.int64, z.shape[0], elements=st.integers(0, z.shape[1] - 1)))
    expected = L.categorical_cross_entropy(labels, softmax(z))
    assert L.softmax_cross_entropy_with_logits(labels, z) == pytest.approx(expected, rel=1e-9)


any_finite = st.floats(-1.7976931348623157e308, 1.7976931348623157e308)


@settings(max_examples=60)
@given(arrays(np.float64, st.integers(1, 4), elements=any_finite), st.data())
def test_regression_losses_never_warn_or_give_nan_for_finite_input(p, data):
    y = data.draw(arrays(np.float64, p.shape, elements=any_finite))
    for loss, grad in [(L.mse, L.mse_grad), (L.half_mse, L.half_mse_grad), (L.sse, L.sse_grad),
                       (L.mae, L.mae_grad), (L.huber, L.huber_grad)]:
        assert not np.isnan(loss(y, p)) and not np.isnan(grad(y, p)).any()
    if np.all(y != 0):
        assert not np.isnan(L.mape(y, p)) and not np.isnan(L.mape_grad(y, p)).any()


@settings(max_examples=60)
@given(arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 4)), elements=any_finite), st.data())
def test_softmax_cross_entropy_is_never_nan_for_finite_logits(z, data):
    labels = data.draw(arrays(np.int64, z.shape[0], elements=st.integers(0, z.shape[1] - 1)))
    assert 0 <= L.softmax_cross_entropy_with_logits(labels, z)  # may be +inf: the loss overflows
    assert np.all(np.isfinite(L.softmax_cross_entropy_with_logits_grad(labels, z)))


# ---------------------------------------------------------------- dtypes and return types

ALL_PAIRS = [
    (L.mse, Y, P), (L.half_mse, Y, P), (L.sse, Y, P), (L.mae, Y, P), (L.mape, Y, P), (L.msle, Y_POS, P_POS),
    (L.huber, Y, P), (L.binary_cross_entropy, Y_BIN, P_BIN), (L.binary_cross_entropy_with_logits, Y_BIN, P),
    (L.categorical_cross_entropy, ONE_HOT, PROBS), (L.softmax_cross_entropy_with_logits, ONE_HOT, P),
]
GRADS = {L.mse: L.mse_grad, L.half_mse: L.half_mse_grad, L.sse: L.sse_grad, L.mae: L.mae_grad,
         L.mape: L.mape_grad, L.msle: L.msle_grad, L.huber: L.huber_grad,
         L.binary_cross_entropy: L.binary_cross_entropy_grad,
         L.binary_cross_entropy_with_logits: L.binary_cross_entropy_with_logits_grad,
         L.categorical_cross_entropy: L.categorical_cross_entropy_grad,
         L.softmax_cross_entropy_with_logits: L.softmax_cross_entropy_with_logits_grad}


@pytest.mark.parametrize("loss, y, p", ALL_PAIRS, ids=[f[0].__name__ for f in ALL_PAIRS])
def test_float32_in_float32_out_and_a_numpy_scalar(loss, y, p):
    value = loss(y.astype(np.float32), p.astype(np.float32))
    assert isinstance(value, np.float32)
    assert GRADS[loss](y.astype(np.float32), p.astype(np.float32)).dtype == np.float32
    assert value == pytest.approx(loss(y, p), rel=1e-5)
    assert isinstance(loss(y, p), np.float64)


def test_integer_inputs_become_float64_and_integer_targets_follow_the_predictions():
    assert isinstance(L.mse([1, 2], [2, 2]), np.float64)
    assert L.mse([1, 2], [2, 2]) == 0.5
    assert isinstance(L.binary_cross_entropy([1, 0], np.float32([0.5, 0.5])), np.float32)
    assert isinstance(L.softmax_cross_entropy_with_logits([1, 0], np.float32([[0, 1], [1, 0]])), np.float32)


# ---------------------------------------------------------------- bad input

REGRESSION = [L.mse, L.mse_grad, L.half_mse, L.half_mse_grad, L.sse, L.sse_grad, L.mae, L.mae_grad,
              L.mape, L.mape_grad, L.msle, L.msle_grad, L.huber, L.huber_grad]
BINARY = [L.binary_cross_entropy, L.binary_cross_entropy_grad]
BINARY_LOGITS = [L.binary_cross_entropy_with_logits, L.binary_cross_entropy_with_logits_grad]
CATEGORICAL = [L.categorical_cross_entropy, L.categorical_cross_entropy_grad]
CATEGORICAL_LOGITS = [L.softmax_cross_entropy_with_logits, L.softmax_cross_entropy_with_logits_grad]
ELEMENTWISE = REGRESSION + BINARY + BINARY_LOGITS
EVERY_LOSS = ELEMENTWISE + CATEGORICAL + CATEGORICAL_LOGITS


def _name(f):
    return f.__name__


@pytest.mark.parametrize("f", ELEMENTWISE, ids=_name)
@pytest.mark.parametrize("y, p, error, match", [
    ([0.5, 0.5, 0.5], [0.5, 0.5], ValueError, r"y_true and y_pred must have the same shape"),
    ([[0.5, 0.5]], [0.5, 0.5], ValueError, r"same shape"),
    ([], [], ValueError, "must not be empty"),
    (["a"], [0.5], TypeError, "y_true"),
    ([0.5], ["a"], TypeError, r"y_pred|logits"),
    ([0.5], [None], TypeError, r"y_pred|logits"),
    ([0.5, np.nan], [0.5, 0.5], ValueError, "y_true must be finite"),
    ([0.5, np.inf], [0.5, 0.5], ValueError, "y_true must be finite"),
    ([1 + 1j], [0.5], TypeError, "y_true must contain real numbers"),
])
def test_elementwise_losses_reject_bad_arrays(f, y, p, error, match):
    with pytest.raises(error, match=match):
        f(y, p)


@pytest.mark.parametrize("f", BINARY, ids=_name)
@pytest.mark.parametrize("y, p, match", [
    ([0.5], [1.5], r"y_pred must lie in \[0, 1\]"), ([0.5], [-0.1], r"y_pred must lie in \[0, 1\]"),
    ([1.5], [0.5], r"y_true must lie in \[0, 1\]"), ([-1.0], [0.5], r"y_true must lie in \[0, 1\]"),
    ([0.5], [np.nan], "y_pred must not contain NaN"),
])
def test_binary_cross_entropy_rejects_values_outside_the_unit_interval(f, y, p, match):
    with pytest.raises(ValueError, match=match):
        f(y, p)


@pytest.mark.parametrize("f", BINARY_LOGITS, ids=_name)
@pytest.mark.parametrize("y", [[2.0], [-0.5]])
def test_bce_with_logits_rejects_targets_outside_the_unit_interval(f, y):
    with pytest.raises(ValueError, match=r"y_true must lie in \[0, 1\]"):
        f(y, [0.3])


@pytest.mark.parametrize("f", [L.mape, L.mape_grad], ids=_name)
def test_mape_rejects_a_zero_target(f):
    with pytest.raises(ValueError, match="y_true must not contain zeros"):
        f([1.0, 0.0], [1.0, 1.0])


@pytest.mark.parametrize("f", [L.msle, L.msle_grad], ids=_name)
@pytest.mark.parametrize("y, p, match", [([-1.0], [0.0], "y_true must be > -1"), ([0.0], [-1.5], "y_pred must be > -1")])
def test_msle_rejects_values_at_or_below_minus_one(f, y, p, match):
    with pytest.raises(ValueError, match=match):
        f(y, p)


@pytest.mark.parametrize("f", [L.huber, L.huber_grad], ids=_name)
@pytest.mark.parametrize("delta, error", [(0.0, ValueError), (-1.0, ValueError), (np.nan, ValueError),
                                          ("1", TypeError), (None, TypeError)])
def test_huber_rejects_a_bad_delta(f, delta, error):
    with pytest.raises(error, match="delta"):
        f([0.0], [1.0], delta=delta)


LOGITS_2x3 = [[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]]  # also valid distributions


@pytest.mark.parametrize("f", CATEGORICAL + CATEGORICAL_LOGITS, ids=_name)
@pytest.mark.parametrize("y, error, match", [
    ([0, 3], ValueError, r"labels must lie in 0\.\.2"),
    ([-1, 0], ValueError, r"labels must lie in 0\.\.2"),
    ([0.0, 2.5], ValueError, "whole numbers"),
    ([0, np.nan], ValueError, "y_true must be finite"),
    ([True, False], TypeError, "labels must be integers"),
    ([0, 1, 2], ValueError, r"integer labels of shape \(2,\)"),
    ([[1, 0], [0, 1]], ValueError, "one-hot width"),
    ([[0], [1]], ValueError, r"integer labels take shape \(2,\)"),
    ([[1, 1, 0], [0, 1, 0]], ValueError, "each row of y_true must sum to 1"),
    ([[2, -1, 0], [0, 1, 0]], ValueError, r"y_true must lie in \[0, 1\]"),
    ([[0.5, 0.5, np.nan], [0, 1, 0]], ValueError, "y_true must not contain NaN"),
    ([], ValueError, "y_true must not be empty"),
    (["a", "b"], TypeError, "y_true"),
])
def test_categorical_losses_reject_bad_targets(f, y, error, match):
    with pytest.raises(error, match=match):
        f(y, LOGITS_2x3)


@pytest.mark.parametrize("f", CATEGORICAL, ids=_name)
@pytest.mark.parametrize("p, match", [
    ([[0.5, 0.6, 0.0], [0.3, 0.3, 0.4]], "each row of y_pred must sum to 1"),
    ([[1.5, -0.5, 0.0], [0.3, 0.3, 0.4]], r"y_pred must lie in \[0, 1\]"),
    ([[np.nan, 0.5, 0.5], [0.3, 0.3, 0.4]], "y_pred must not contain NaN"),
])
def test_categorical_cross_entropy_wants_distributions(f, p, match):
    with pytest.raises(ValueError, match=match):
        f([0, 1], p)


@pytest.mark.parametrize("f", CATEGORICAL + CATEGORICAL_LOGITS, ids=_name)
@pytest.mark.parametrize("p, error, match", [
    (0.5, ValueError, "class axis"), ([], ValueError, "must not be empty"),
    (["a", "b"], TypeError, "y_pred|logits"),
])
def test_categorical_losses_reject_bad_predictions(f, p, error, match):
    with pytest.raises(error, match=match):
        f(0, p)


@pytest.mark.parametrize("f", [L.cross_entropy, L.kl_divergence], ids=_name)
@pytest.mark.parametrize("p, q, match", [
    ([0.5, 0.5], [0.2, 0.3, 0.5], "p and q must have the same shape"),
    ([[0.5, 0.5]], [0.5, 0.5], "p and q must have the same shape"),
    ([0.5, 0.6], [0.5, 0.5], "each row of p must sum to 1"),
    ([0.5, 0.5], [1.5, -0.5], r"q must lie in \[0, 1\]"),
    ([], [], "p must not be empty"),
])
def test_two_distribution_quantities_reject_bad_input(f, p, q, match):
    with pytest.raises(ValueError, match=match):
        f(p, q)


@pytest.mark.parametrize("p, error, match", [([0.5, 0.6], ValueError, "each row of p must sum to 1"),
                                             (1.0, ValueError, "class axis"), (["x"], TypeError, "p must")])
def test_entropy_rejects_bad_input(p, error, match):
    with pytest.raises(error, match=match):
        L.entropy(p)


def test_bce_with_logits_grad_in_blocks_equals_the_same_formula_on_small_pieces():
    rng = np.random.default_rng(5)
    z = rng.normal(0, 30, size=(2, 2 ** 16))         # eight cache-sized blocks
    y = rng.uniform(0, 1, size=z.shape)
    big = L.binary_cross_entropy_with_logits_grad(y, z)
    # pieces of 128: their mean divides by 128 instead of 2**17, a power-of-two rescaling (exact)
    pieces = [L.binary_cross_entropy_with_logits_grad(y[i, j:j + 128], z[i, j:j + 128]) / 1024
              for i in range(2) for j in range(0, z.shape[1], 128)]
    np.testing.assert_array_equal(big.reshape(-1), np.concatenate(pieces))

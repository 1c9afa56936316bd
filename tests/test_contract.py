"""The numeric contract under adversarial input, one section per defect class.

Memory layouts, tolerances that must not grow with the input, cancellation in derived
quantities, intermediate overflow, dtype objects (byte order), and the cases the
contract settles: -0.0, infinite parameters, mixed dtypes, empty input, float16 and
longdouble.  Every public function of activations, normalizers and losses is covered
through the registries below.
"""
import math
import warnings

import mpmath
import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nbsupport as nbs
from nbsupport import _checks
from nbsupport import losses as L
from nbsupport.activations import ACTIVATIONS
from nbsupport.gradcheck import check_gradient, numerical_grad
from nbsupport.mlp import MLP
from nbsupport.normalizers import log_softmax, logsumexp, softmax, softmax_jacobian

RNG = np.random.default_rng(7)
X = RNG.normal(scale=3, size=(6, 5))
PROBS = softmax(RNG.normal(size=(6, 5)))
LABELS = RNG.integers(0, 5, size=6)
BINARY = RNG.random((6, 5))

#: (name, f(array) -> array) for every elementwise and row-wise public function.
ELEMENTWISE = [(name, spec.fn, spec.params) for name, spec in ACTIVATIONS.items()] + \
              [(name + "_grad", spec.grad, spec.params) for name, spec in ACTIVATIONS.items()]

#: (name, loss, grad, y_true, y_pred) with predictions where each loss is defined.
LOSSES = [
    ("mse", L.mse, L.mse_grad, X + 1, X),
    ("half_mse", L.half_mse, L.half_mse_grad, X + 1, X),
    ("sse", L.sse, L.sse_grad, X + 1, X),
    ("mae", L.mae, L.mae_grad, X + 1, X),
    ("mape", L.mape, L.mape_grad, X + 1, X),
    ("msle", L.msle, L.msle_grad, np.abs(X), np.abs(X) + 0.5),
    ("huber", L.huber, L.huber_grad, X + 1, X),
    ("bce", L.binary_cross_entropy, L.binary_cross_entropy_grad, BINARY, PROBS),
    ("bce_logits", L.binary_cross_entropy_with_logits, L.binary_cross_entropy_with_logits_grad, BINARY, X),
    ("cce", L.categorical_cross_entropy, L.categorical_cross_entropy_grad, LABELS, PROBS),
    ("sce", L.softmax_cross_entropy_with_logits, L.softmax_cross_entropy_with_logits_grad, LABELS, X),
]
CATEGORICAL = {"cce", "sce"}


def layouts(a: np.ndarray) -> dict[str, np.ndarray]:
    """The same values in C order, Fortran order, as a transpose's transpose, and reversed twice."""
    return {"C": np.ascontiguousarray(a), "F": np.asfortranarray(a), "T": np.ascontiguousarray(a.T).T,
            "reversed": np.ascontiguousarray(a[::-1, ::-1])[::-1, ::-1]}


# ------------------------------------------------------------------ memory layout

@pytest.mark.parametrize("layout", ["F", "T", "reversed"])
def test_numerical_grad_and_check_gradient_work_on_every_memory_layout(layout):
    a = RNG.normal(size=(3, 4))
    weights = np.arange(12.0).reshape(3, 4)
    f = lambda v: float(np.sum(weights * v ** 2))  # noqa: E731
    x = layouts(a)[layout]
    assert not x.flags.c_contiguous
    np.testing.assert_allclose(numerical_grad(f, x), 2 * weights * a, rtol=1e-8, atol=1e-8)
    assert check_gradient(f, lambda v: 2 * weights * v, x) < 1e-5  # a nudged copy gives O(1)
    assert np.array_equal(x, a)  # untouched


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, (4, 6), elements=st.floats(-50, 50)))
def test_every_function_gives_the_same_values_on_every_layout(a):
    for name, fn, params in ELEMENTWISE:
        expected = fn(a, **params)
        for layout, x in layouts(a).items():
            np.testing.assert_array_equal(fn(x, **params), expected, err_msg=f"{name} {layout}")
    for fn in (softmax, log_softmax, logsumexp):
        for axis in (0, 1):
            expected = fn(a, axis=axis)
            for layout, x in layouts(a).items():
                np.testing.assert_array_equal(fn(x, axis=axis), expected, err_msg=f"{fn.__name__} {layout}")


@pytest.mark.parametrize("name, loss, grad, y, p", LOSSES, ids=[c[0] for c in LOSSES])
def test_losses_give_the_same_values_on_every_layout(name, loss, grad, y, p):
    for layout, q in layouts(p).items():
        t = y if y.ndim == 1 else layouts(y)[layout]
        # elementwise results are identical; a sum may add in another order (last bit)
        assert loss(t, q) == pytest.approx(loss(y, p), rel=4e-16, abs=0), layout
        np.testing.assert_array_equal(loss(t, q, reduction="none"), loss(y, p, reduction="none"))
        np.testing.assert_array_equal(grad(t, q), grad(y, p), err_msg=layout)


# ------------------------------------------------------------------ tolerances that do not grow

@pytest.mark.parametrize("classes", [2, 10, 1000, 100_000])
def test_a_row_summing_to_1_09_is_refused_whatever_the_number_of_classes(classes):
    row = np.full(classes, 1.09 / classes)
    with pytest.raises(ValueError, match="sum to 1"):
        L.categorical_cross_entropy([0], row[None, :])
    with pytest.raises(ValueError, match="sum to 1"):
        L.entropy(row)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_tolerance_is_a_fixed_number_of_ulps_of_1(dtype):
    eps = np.finfo(dtype).eps
    ok, bad = 1 + 32 * eps, 1 + 200 * eps
    for total, accept in ((ok, True), (bad, False)):
        row = np.array([total - 0.5, 0.5], dtype=dtype)
        if accept:
            assert np.isfinite(L.entropy(row))
        else:
            with pytest.raises(ValueError, match="64 ulps"):
                L.entropy(row)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("classes", [3, 1000, 200_000])
def test_softmax_rows_of_any_length_pass_the_check(dtype, classes):
    p = softmax(RNG.normal(scale=5, size=(2, classes)).astype(dtype))
    assert np.all(np.isfinite(L.categorical_cross_entropy([0, 1], p)))
    assert L.cross_entropy(p, p).shape == (2,)


def test_float16_rows_are_judged_at_float16_precision():
    row = np.array([0.1, 0.2, 0.7], dtype=np.float16)  # sums to 1 + 1.2e-4 once converted
    assert L.entropy(row).dtype == np.float32
    with pytest.raises(ValueError, match="sum to 1"):
        L.entropy(row.astype(np.float32))


def test_mlp_targets_and_losses_share_one_check():
    net = MLP([3, 2], activations=[], rng=0)
    net.forward(np.zeros((1, 3)))
    bad = [[0.5, 0.5 + 1e-9]]
    for call in (lambda: net.backward(bad), lambda: L.categorical_cross_entropy(bad, [[0.5, 0.5]])):
        with pytest.raises(ValueError, match="sum to 1"):
            call()
    net.backward([1.0])  # a whole-number float label, as the losses accept it


# ------------------------------------------------------------------ cancellation

@pytest.mark.parametrize("gap", [5.0, 20.0, 40.0, 300.0])
def test_softmax_jacobian_diagonal_keeps_its_digits_when_one_class_dominates(gap):
    z = np.array([gap, 0.0, -1.0])
    J = softmax_jacobian(z)
    with mpmath.workdps(400):  # 1 - s_0 = e^-300 needs more than 300 digits
        e = [mpmath.exp(mpmath.mpf(v)) for v in z]
        s = [v / sum(e) for v in e]
        exact = [float(v * (1 - v)) for v in s]
    np.testing.assert_allclose(np.diag(J), exact, rtol=4e-16 * 8)
    scale = np.abs(J).max(axis=1)
    assert np.all(np.abs(J.sum(axis=1)) <= 4 * np.finfo(float).eps * scale)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(2, 8), elements=st.floats(-700, 700)))
def test_softmax_jacobian_rows_sum_to_zero_within_rounding(z):
    J = softmax_jacobian(z)
    assert np.all(np.abs(J.sum(axis=1)) <= 8 * np.finfo(float).eps * np.abs(J).max(axis=1) + 1e-300)
    assert np.all(np.diag(J) >= 0)


# ------------------------------------------------------------------ intermediate overflow / underflow

@pytest.mark.parametrize("dtype, big", [(np.float64, 1e308), (np.float32, 3e38)])
def test_temperature_softmax_at_extreme_magnitudes(dtype, big):
    z = np.array([-big, big, 0.0], dtype=dtype)
    for t in (big, big / 4, big / 3 * 2):
        expected = sp.softmax(np.array([-big, big, 0.0]) / t)
        np.testing.assert_allclose(softmax(z, temperature=t), expected, rtol=8 * np.finfo(dtype).eps)
    np.testing.assert_array_equal(softmax(z, temperature=1e-300 if dtype == np.float64 else 1e-30),
                                  [0.0, 1.0, 0.0])


def test_gradients_do_not_overflow_in_an_intermediate_product():
    # |y| n overflows, 100 / (|y| n) does not
    g = L.mape_grad([1e308, 1e308, 1e308, 1e308], [0.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(g, -100 / 1e308 / 4, rtol=1e-15)
    # (1 + p) n overflows, 2 a / ((1 + p) n) does not
    g = L.msle_grad([0.0] * 4, [1e308] * 4)
    np.testing.assert_allclose(g, 2 * math.log1p(1e308) / 1e308 / 4, rtol=1e-14)
    for reduction in ("sum", "none"):
        assert np.all(L.mape_grad([1e308], [0.0], reduction=reduction) < 0)


@pytest.mark.parametrize("name, fn, params", ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_no_warning_and_no_nan_at_the_extremes(name, fn, params):
    for dtype in (np.float64, np.float32):
        info = np.finfo(dtype)
        x = np.array([-np.inf, info.min, -800, -info.smallest_subnormal, -0.0, 0.0,
                      info.smallest_subnormal, 800, info.max, np.inf], dtype=dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert not np.isnan(fn(x, **params)).any()


# ------------------------------------------------------------------ dtype objects and byte order

@pytest.mark.parametrize("name, fn, params", ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_non_native_byte_order_takes_the_native_path(name, fn, params):
    for native in (np.dtype("<f8"), np.dtype("<f4")):
        x = X.astype(native)
        swapped = x.astype(native.newbyteorder(">"))
        out = fn(swapped, **params)
        assert out.dtype.isnative and out.dtype.itemsize == native.itemsize
        np.testing.assert_array_equal(out, fn(x, **params))


@pytest.mark.parametrize("name, loss, grad, y, p", LOSSES, ids=[c[0] for c in LOSSES])
def test_losses_and_softmax_ignore_byte_order(name, loss, grad, y, p):
    for dtype in (">f8", ">f4"):
        q = p.astype(dtype)
        native = p.astype(np.dtype(dtype).newbyteorder("="))
        assert loss(y, q) == loss(y, native)
        np.testing.assert_array_equal(grad(y, q), grad(y, native))
    for fn in (softmax, log_softmax, logsumexp):
        np.testing.assert_array_equal(fn(X.astype(">f4"), ), fn(X.astype("<f4")))
        np.testing.assert_array_equal(fn(X.astype(">f8"), ), fn(X.astype("<f8")))
    np.testing.assert_array_equal(softmax(X.astype(">f4"), temperature=3.0),
                                  softmax(X.astype("<f4"), temperature=3.0))


def test_mlp_and_gradcheck_accept_non_native_byte_order():
    net = MLP([5, 3], activations=[], dtype=">f4", rng=0)
    assert net.forward(X.astype(">f8")).dtype == np.float32
    f = lambda v: float(np.sum(v ** 3))  # noqa: E731
    np.testing.assert_allclose(numerical_grad(f, X.astype(">f8")), 3 * X ** 2, rtol=1e-7, atol=1e-6)


# ------------------------------------------------------------------ what the contract settles

def test_the_sign_of_minus_zero():
    """Functions that vanish at 0 as x times a factor keep the sign of x; relu, elu and
    selu, whose x > 0 branch is max(x, 0), give +0.0; derivatives at -0.0 equal those at 0."""
    keep_sign = {"identity", "tanh", "leaky_relu", "prelu", "gelu", "silu", "rrelu"}
    for name, spec in ACTIVATIONS.items():
        at_minus, at_plus = spec.fn(np.array([-0.0]), **spec.params), spec.fn(np.array([0.0]), **spec.params)
        assert at_minus == at_plus, name
        if at_plus[0] == 0:
            assert np.signbit(at_minus[0]) == (name in keep_sign), name
            assert not np.signbit(at_plus[0]), name
        assert spec.grad(np.array([-0.0]), **spec.params) == spec.grad(np.array([0.0]), **spec.params)
    assert not np.signbit(L.mse([1.0], [1.0])) and not np.signbit(L.binary_cross_entropy([1.0], [1.0]))


@pytest.mark.parametrize("call, word", [
    (lambda v: nbs.leaky_relu(1.0, alpha=v), "alpha"),
    (lambda v: nbs.leaky_relu_grad(1.0, alpha=v), "alpha"),
    (lambda v: nbs.prelu([[1.0, 2.0]], alpha=[0.1, v]), "alpha"),
    (lambda v: nbs.elu(1.0, alpha=v), "alpha"),
    (lambda v: nbs.rrelu(1.0, lower=0.1, upper=v), "upper"),
    (lambda v: nbs.huber([0.0], [1.0], delta=v), "delta"),
    (lambda v: nbs.softmax([0.0, 1.0], temperature=v), "temperature"),
    (lambda v: nbs.numerical_grad(np.sum, [1.0], eps=v), "eps"),
    (lambda v: nbs.normal(2, 2, std=v, rng=0), "std"),
])
@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan])
def test_infinite_or_nan_parameters_are_a_value_error_naming_them(call, word, value):
    with pytest.raises(ValueError, match=word):
        call(value)


def test_mixed_float32_float64_give_float64_and_float32_alone_stays_float32():
    p32, p64 = PROBS.astype(np.float32), PROBS
    assert L.mse(p32, p64).dtype == np.float64 and L.mse(p32, p32).dtype == np.float32
    assert L.categorical_cross_entropy(p64, p32).dtype == np.float64
    assert L.categorical_cross_entropy(LABELS, p32).dtype == np.float32  # labels carry no dtype
    assert L.kl_divergence(p32, p64).dtype == np.float64
    assert L.binary_cross_entropy_with_logits_grad(BINARY.astype(np.float32), X).dtype == np.float64


def test_float16_computes_in_float32_and_longdouble_in_float64():
    for name, fn, params in ELEMENTWISE:
        assert fn(np.float16([0.5]), **params).dtype == np.float32, name
        assert fn(np.longdouble([0.5]), **params).dtype == np.float64, name
    assert softmax(np.float16([0.0, 1.0])).dtype == np.float32
    assert L.mse(np.longdouble([1.0]), np.longdouble([2.0])).dtype == np.float64


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name, loss, grad, y, p", LOSSES, ids=[c[0] for c in LOSSES])
def test_empty_input_activations_accept_losses_refuse(name, loss, grad, y, p, reduction):
    for _, fn, params in ELEMENTWISE:
        assert fn(np.zeros((0, 4)), **params).shape == (0, 4)
    empty_p = np.zeros((0,) + p.shape[1:])
    empty_y = np.zeros((0,) + y.shape[1:], dtype=y.dtype)
    with pytest.raises(ValueError, match="empty"):
        loss(empty_y, empty_p, reduction=reduction)


# ------------------------------------------------------------------ reductions

@pytest.mark.parametrize("name, loss, grad, y, p", LOSSES, ids=[c[0] for c in LOSSES])
def test_reductions_agree_with_each_other(name, loss, grad, y, p):
    none = loss(y, p, reduction="none")
    n = p.shape[0] if name in CATEGORICAL else p.size
    assert none.shape == (p.shape[:-1] if name in CATEGORICAL else p.shape)
    mean, total = loss(y, p, reduction="mean"), loss(y, p, reduction="sum")
    assert total == pytest.approx(n * mean, rel=1e-14)
    assert none.mean() == pytest.approx(mean, rel=1e-14)
    assert none.sum() == pytest.approx(total, rel=1e-14)
    g_none, g_sum, g_mean = (grad(y, p, reduction=r) for r in ("none", "sum", "mean"))
    np.testing.assert_array_equal(g_none, g_sum)
    np.testing.assert_allclose(g_sum, n * g_mean, rtol=1e-14)


@pytest.mark.parametrize("name, loss, grad, y, p", LOSSES, ids=[c[0] for c in LOSSES])
def test_a_bad_reduction_is_named(name, loss, grad, y, p):
    for fn in (loss, grad):
        with pytest.raises(ValueError, match="reduction"):
            fn(y, p, reduction="avg")


def test_reduction_none_matches_the_definitions_elementwise():
    """Per-element values against independent formulas (PyTorch's reduction='none' meaning)."""
    np.testing.assert_allclose(L.mse(X + 1, X, reduction="none"), np.ones_like(X))
    np.testing.assert_allclose(L.binary_cross_entropy_with_logits(BINARY, X, reduction="none"),
                               -(BINARY * np.log(sp.expit(X)) + (1 - BINARY) * np.log(sp.expit(-X))),
                               rtol=1e-12)
    np.testing.assert_allclose(L.softmax_cross_entropy_with_logits(LABELS, X, reduction="none"),
                               -sp.log_softmax(X, axis=1)[np.arange(6), LABELS], rtol=1e-13)
    assert L.mse(1.0, 3.0, reduction="none") == 4.0  # a scalar for a scalar


def test_checks_module_has_one_label_validator():
    labels, rows = _checks.as_class_targets([2.0, 0], (2, 3))
    assert rows is None and labels.tolist() == [2, 0]
    labels, rows = _checks.as_class_targets([[0, 1, 0]], (1, 3))
    assert labels is None and rows.dtype == np.float64

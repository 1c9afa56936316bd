"""Defect classes found by the adversarial probe (``benchmarks/adversarial.py``), one section each.

Each section states the class, then tests every function it applies to, so that a
new instance of the class fails here and not only the example that revealed it.
"""
import math

import mpmath
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nbsupport import losses as L

# ------------------------------------------------------------------ cancellation near 1/2


def _sigmoid_minus_y(y: float, z: float) -> mpmath.mpf:
    """sigma(z) - y to 80 digits, written so that mpmath itself does not cancel."""
    with mpmath.workdps(80):
        y, z = mpmath.mpf(y), mpmath.mpf(z)
        if abs(z) < 1:
            return mpmath.tanh(z / 2) / 2 + (mpmath.mpf(1) / 2 - y)
        return (1 - y) / (1 + mpmath.exp(-z)) - y / (1 + mpmath.exp(z))


def _ulps_over_conditioning(got: float, y: float, z: float, dtype) -> float:
    """|got - exact| in ulps of the exact value, divided by max(1, the conditioning in z)."""
    exact = _sigmoid_minus_y(y, z)
    with mpmath.workdps(80):
        if exact == 0:
            return 0.0 if got == 0 else math.inf
        rounded = dtype(float(exact))
        ulp = float(np.spacing(np.abs(rounded))) or float(np.finfo(dtype).smallest_subnormal)
        s = 1 / (1 + mpmath.exp(-mpmath.mpf(z)))
        cond = max(1, abs(mpmath.mpf(z) * s * (1 - s) / exact))
        return float(abs(mpmath.mpf(float(got)) - exact) / ulp / cond)


TARGETS = [0.0, 0.5, 1.0, 0.25, 0.75, 0.1, 0.2, 0.3, 0.9, 0.5 - 2 ** -54, 0.5 + 2 ** -53, 2 ** -60]


def test_bce_logits_grad_at_target_one_half_keeps_every_digit_of_a_tiny_logit():
    # sigma(z) - 1/2 = tanh(z/2)/2 = z/4 (1 - z^2/12 + ...): 0.5 + z/4 rounds to 0.5
    for z in (1e-20, -1e-20, 1e-300, 5e-324 * 8, 1e-8):
        g = L.binary_cross_entropy_with_logits_grad([0.5], [z], reduction="sum")
        assert g[0] == pytest.approx(math.tanh(z / 2) / 2, rel=4e-16, abs=0)


@settings(max_examples=300)
@given(y=st.sampled_from(TARGETS),
       z=st.one_of(st.floats(-40, 40), st.floats(-1e-5, 1e-5), st.floats(-800, 800),
                   st.sampled_from([1.0986122886681098, -1.0986122886681098, 0.0, -0.0])))
def test_bce_logits_grad_is_within_a_few_ulps_times_its_conditioning(y, z):
    for dtype in (np.float64, np.float32):
        zz, yy = np.array([z], dtype=dtype), np.array([y], dtype=dtype)
        g = L.binary_cross_entropy_with_logits_grad(yy, zz, reduction="sum")
        assert g.dtype == dtype
        assert _ulps_over_conditioning(g[0], float(yy[0]), float(zz[0]), dtype) <= 4


def test_mlp_sigmoid_head_shares_the_split():
    z = np.array([[1e-20, -3e-19]])
    np.testing.assert_array_equal(L.sigmoid_minus_targets(z, np.full_like(z, 0.5)), z / 4)


# ------------------------------------------------------------------ numbers beyond the float range

import nbsupport as nbs  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402

from nbsupport import diagnostics, gradcheck, identities, init, optim  # noqa: E402
from nbsupport.mlp import MLP  # noqa: E402

#: (argument name, call with that argument set to ``v``) for every scalar parameter.
SCALAR_PARAMETERS = [
    ("alpha", lambda v: nbs.leaky_relu([1.0], alpha=v)),
    ("alpha", lambda v: nbs.elu_grad([1.0], alpha=v)),
    ("alpha", lambda v: nbs.prelu([1.0], alpha=v)),
    ("lower", lambda v: nbs.rrelu([1.0], lower=v)),
    ("temperature", lambda v: nbs.softmax([1.0, 2.0], temperature=v)),
    ("delta", lambda v: L.huber([1.0], [2.0], delta=v)),
    ("eps", lambda v: gradcheck.numerical_grad(lambda x: float(x.sum()), [1.0], eps=v)),
    ("lr", lambda v: optim.Adam(v)),
    ("momentum", lambda v: optim.SGD(0.1, momentum=v)),
    ("std", lambda v: init.normal(2, 2, v, rng=0)),
    ("limit", lambda v: init.uniform(2, 2, v, rng=0)),
    ("slope", lambda v: identities.stack_scalar_layers(np.ones(2), v, 2)),
    ("share", lambda v: diagnostics.saturated_mask(np.ones((2, 2)), "tanh", share=v)),
    ("level", lambda v: diagnostics.sigmoid_grad_crossing(v)),
]


@pytest.mark.parametrize("name, call", SCALAR_PARAMETERS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(SCALAR_PARAMETERS)])
@pytest.mark.parametrize("value, error", [(10 ** 400, ValueError), (-(10 ** 400), ValueError),
                                          (math.nan, ValueError), (math.inf, ValueError),
                                          ("0.5", TypeError), (True, TypeError), (1 + 0j, TypeError)])
def test_every_scalar_parameter_refuses_non_floats_naming_itself(name, call, value, error):
    # 10**400 used to escape as an OverflowError from float()
    with pytest.raises(error, match=name):
        call(value)


def test_a_negative_seed_is_a_value_error_naming_rng():
    for call in (lambda: init.he_normal(2, 2, rng=-1), lambda: nbs.rrelu([1.0], training=True, rng=-5)):
        with pytest.raises(ValueError, match="rng"):
            call()


# ------------------------------------------------------------------ helpers that bypassed as_float_array

#: (argument name, call on ``v``) for the helpers outside the elementwise registries.
ARRAY_ARGUMENTS = [
    ("x", identities.tanh_via_sigmoid), ("x", identities.tanh_via_expm1),
    ("x", lambda v: identities.stack_scalar_layers(v, 2.0, 2)),
    ("x", identities.tanh_relative_errors),
    ("x", optim.dip_curve), ("x", optim.dip_curve_grad),
    ("values", lambda v: optim.steps_to_tolerance(v, 1.0)),
    ("H", optim.Quadratic),
    ("start", lambda v: optim.descend(optim.Quadratic([[1.0]]).grad, v, optim.SGD(0.1), 2)),
    ("z", lambda v: diagnostics.dead_units(np.broadcast_to(v, (2, 1)))),
    ("z", lambda v: diagnostics.active_fraction(np.broadcast_to(v, (2, 1)))),
]


@pytest.mark.parametrize("name, call", ARRAY_ARGUMENTS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(ARRAY_ARGUMENTS)])
@pytest.mark.parametrize("bad", [np.array([1.0 + 1j]), np.array(["a"]), np.array([None])])
def test_helpers_refuse_non_real_arrays_naming_the_argument(name, call, bad):
    # np.asarray(x, dtype=float) dropped imaginary parts with a ComplexWarning
    with pytest.raises(TypeError, match=name):
        call(bad)


@pytest.mark.parametrize("fn", [identities.tanh_via_sigmoid, identities.tanh_via_expm1,
                                optim.dip_curve, optim.dip_curve_grad])
def test_elementwise_helpers_keep_float32(fn):
    assert fn(np.array([0.5, -2.0], np.float32)).dtype == np.float32
    assert fn(np.array([0.5], np.float16)).dtype == np.float32


def test_tanh_via_expm1_keeps_the_sign_of_minus_zero_like_np_tanh():
    assert np.signbit(identities.tanh_via_expm1(np.array([-0.0]))[0])


def test_non_finite_quadratic_or_start_is_a_value_error():
    with pytest.raises(ValueError, match="H"):
        optim.Quadratic([[np.inf, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="start"):
        optim.descend(optim.Quadratic([[1.0]]).grad, [np.nan], optim.SGD(0.1), 2)


# ------------------------------------------------------------------ overflow in helpers and optimizers

FULL_RANGE = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=200)
@given(arrays(np.float64, 4, elements=FULL_RANGE), arrays(np.float64, 4, elements=FULL_RANGE))
def test_gradient_relative_error_never_overflows_and_stays_in_0_1(a, n):
    # |a| + |n| and a - n overflowed for entries near 1e308 (finite entries here)
    finite = np.isfinite(a) & np.isfinite(n)
    a, n = np.where(finite, a, 1.0), np.where(finite, n, 1.0)
    e = gradcheck.gradient_relative_error(a, n)
    assert 0.0 <= e <= 1.0
    assert gradcheck.gradient_relative_error([1e308], [-1e308]) == 1.0


@settings(max_examples=200)
@given(arrays(np.float64, 6, elements=st.floats(width=64)))
def test_demo_curves_give_limits_not_nan_for_any_float(x):
    # sin(2x + 1) at 2x = inf was NaN with a warning; x^2/4 overflowed with a warning
    for fn in (optim.dip_curve, optim.dip_curve_grad, identities.tanh_via_sigmoid, identities.tanh_via_expm1):
        out = fn(x)
        assert np.array_equal(np.isnan(out), np.isnan(x))
    q = optim.Quadratic.valley(10.0, angle=0.3)
    finite = np.where(np.isfinite(x), x, 0.0).reshape(3, 2)
    assert not np.isnan(q(finite)).any() and not np.isnan(q.grad(finite)).any()


def test_stack_scalar_layers_overflows_to_inf_and_checks_its_arguments():
    out = identities.stack_scalar_layers(np.array([1.0, -1.0]), 10.0, 400)
    assert out.tolist() == [math.inf, -math.inf]
    with pytest.raises(ValueError, match="depth"):
        identities.stack_scalar_layers(np.ones(2), 2.0, -1)
    with pytest.raises(TypeError, match="activation"):
        identities.stack_scalar_layers(np.ones(2), 2.0, 1, activation="tanh")


def test_msle_grad_at_an_infinite_prediction_is_its_limit_0():
    # 2 log(1 + p) / (1 + p) -> 0; inf / inf gave NaN with a warning
    assert L.msle_grad([1.0, 2.0], [np.inf, 1.0])[0] == 0.0


def test_uniform_init_with_a_limit_whose_width_overflows():
    w = init.uniform(50, 4, 1e308, rng=0)
    assert np.isfinite(w).all() and np.abs(w).max() <= 1e308 and w.min() < 0 < w.max()
    np.testing.assert_array_equal(init.uniform(3, 3, 0.5, rng=1), np.random.default_rng(1).uniform(-0.5, 0.5, (3, 3)))


@settings(max_examples=100)
@given(arrays(np.float64, 3, elements=FULL_RANGE), st.sampled_from(sorted(optim.OPTIMIZERS)))
def test_optimizers_take_any_finite_gradient_without_warning_or_nan(g, kind):
    # g * g overflowed with a RuntimeWarning for |g| > 1.3e154
    p = np.zeros(3)
    opt = optim.OPTIMIZERS[kind](0.1)
    opt.step([p], [g])
    opt.step([p], [g])
    assert not np.isnan(p).any()


@pytest.mark.parametrize("kind", sorted(optim.OPTIMIZERS))
def test_float16_parameters_keep_float32_state(kind):
    p = np.ones(3, np.float16)
    opt = optim.OPTIMIZERS[kind](0.01)
    for _ in range(3):
        opt.step([p], [np.array([1e3, -3e4, 1e-6], np.float16)])  # squares beyond float16's 65504
    assert p.dtype == np.float16 and np.isfinite(p).all()
    if kind == "adam":  # each step moves every weight by about lr, also the huge gradients
        np.testing.assert_allclose(p, [0.97, 1.03, 0.97], atol=2e-3)


@pytest.mark.parametrize("kind", sorted(optim.OPTIMIZERS))
def test_read_only_params_are_named(kind):
    p = np.ones(2)
    p.flags.writeable = False
    with pytest.raises(ValueError, match=r"params\[0\]"):
        optim.OPTIMIZERS[kind](0.1).step([p], [np.ones(2)])


def test_adam_takes_betas_as_any_pair():
    assert optim.Adam(0.1, betas=np.array([0.8, 0.99])).betas == (0.8, 0.99)


# ------------------------------------------------------------------ callables

def test_gradcheck_names_f_and_grad_and_accepts_a_one_element_result():
    with pytest.raises(TypeError, match="f"):
        gradcheck.numerical_grad(3.0, [1.0])
    with pytest.raises(TypeError, match="f must return one real number"):
        gradcheck.numerical_grad(lambda v: v, [1.0, 2.0])
    with pytest.raises(TypeError, match="grad"):
        gradcheck.check_gradient(lambda v: float(v.sum()), None, [1.0])
    g = gradcheck.numerical_grad(lambda v: np.sum(v ** 2, keepdims=True), [1.0, 2.0])
    np.testing.assert_allclose(g, [2.0, 4.0], rtol=1e-8)


# ------------------------------------------------------------------ the NaN rule of each kind

REGRESSION = [L.mse, L.mse_grad, L.half_mse, L.half_mse_grad, L.sse, L.sse_grad, L.mae, L.mae_grad,
              L.mape, L.mape_grad, L.msle, L.msle_grad, L.huber, L.huber_grad,
              L.binary_cross_entropy_with_logits, L.binary_cross_entropy_with_logits_grad]
PROBABILITY = [L.binary_cross_entropy, L.binary_cross_entropy_grad]


@pytest.mark.parametrize("fn", REGRESSION, ids=lambda f: f.__name__)
def test_nan_in_an_unbounded_prediction_propagates(fn):
    assert np.isnan(fn([0.5, 0.5], [np.nan, 0.2], reduction="none")).tolist() == [True, False]


@pytest.mark.parametrize("fn", PROBABILITY + [L.categorical_cross_entropy, L.categorical_cross_entropy_grad],
                         ids=lambda f: f.__name__)
def test_nan_in_a_probability_is_a_value_error(fn):
    y, p = ([1.0, 0.0], [np.nan, 0.5]) if fn in PROBABILITY else ([0], [[np.nan, 1.0]])
    with pytest.raises(ValueError, match="y_pred"):
        fn(y, p)
    for info, args in ((nbs.entropy, ([np.nan, 1.0],)), (nbs.kl_divergence, ([0.5, 0.5], [np.nan, 1.0]))):
        with pytest.raises(ValueError, match="must not contain NaN"):
            info(*args)


# ------------------------------------------------------------------ the MLP's input

@pytest.mark.parametrize("bad", [np.inf, np.nan, 1e39])
def test_mlp_refuses_input_that_would_poison_the_weights(bad):
    net = MLP([2, 3, 2], rng=0)
    X = np.array([[0.0, bad], [1.0, 1.0]])
    with pytest.raises(ValueError, match="X"):
        net.forward(X)


# ------------------------------------------------------------------ scalar in, scalar out

ELEMENTWISE_LOSSES = REGRESSION + PROBABILITY


@pytest.mark.parametrize("fn", ELEMENTWISE_LOSSES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_scalar_input_gives_a_numpy_scalar_for_every_loss_and_gradient(fn, reduction):
    # np.where in binary_cross_entropy_grad, msle_grad, mape_grad returned 0-d arrays
    for y, p in ((0.5, 0.25), (np.float32(0.5), np.float32(0.25))):
        out = fn(y, p, reduction=reduction)
        assert isinstance(out, np.floating) and out.dtype == np.asarray(p).dtype


# ------------------------------------------------------------------ arguments that are easy to get wrong

def test_logsumexp_keepdims_must_be_a_bool():
    with pytest.raises(TypeError, match="keepdims"):
        nbs.logsumexp([1.0, 2.0], keepdims="yes")
    assert nbs.logsumexp(np.ones((2, 3)), axis=0, keepdims=True).shape == (1, 3)


def test_numerical_grad_shows_f_a_read_only_argument():
    # an f that wrote into its argument corrupted the nudged copy: a wrong gradient, silently
    def f(v):
        v *= 2.0
        return float(np.sum(v))
    with pytest.raises(ValueError, match="read-only"):
        gradcheck.numerical_grad(f, [1.0, 2.0])


def test_unchecked_kernels_are_not_exported_at_the_top_level():
    assert not hasattr(nbs, "shifted_softmax")
    assert all(hasattr(nbs, name) for name in nbs.normalizers.__all__)


def test_mean_std_of_values_whose_squares_overflow():
    mean, std = diagnostics.mean_std(np.array([1e308, -1e308, 1e308, -1e308]))
    assert mean == 0.0 and std == pytest.approx(1e308, rel=1e-15)


# ------------------------------------------------------------------ values beyond a narrower dtype

from nbsupport.activations import ACTIVATIONS  # noqa: E402

ELEMENTWISE = [(name, spec.fn, spec.params) for name, spec in ACTIVATIONS.items()] + \
              [(name + "_grad", spec.grad, spec.params) for name, spec in ACTIVATIONS.items()]


@pytest.mark.parametrize("name, fn, params", ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_longdouble_beyond_float64_rounds_to_inf_without_a_warning(name, fn, params):
    huge = np.array([np.longdouble("1e4000"), -np.longdouble("1e4000"), np.longdouble("1e-4000")])
    out = fn(huge, **params)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, fn(np.array([np.inf, -np.inf, 0.0]), **params))


def test_loss_targets_beyond_float64_are_not_finite():
    with pytest.raises(ValueError, match="y_true"):
        L.mse(np.array([np.longdouble("1e4000")]), [1.0])


@pytest.mark.parametrize("call, name", [
    (lambda: init.normal(3, 3, 1e5, rng=0, dtype=np.float16), "std"),
    (lambda: init.uniform(3, 3, 1e39, rng=0, dtype=np.float32), "limit"),
    (lambda: MLP([2, 2], init=1e39), "std"),
])
def test_weights_beyond_the_requested_dtype_are_a_value_error(call, name):
    # the cast to float16/float32 overflowed to inf with a RuntimeWarning
    with pytest.raises(ValueError, match=name):
        call()


def test_mlp_weights_are_drawn_as_before():
    net = MLP([3, 4, 2], init=["he_normal", 0.3], rng=5)
    rng = np.random.default_rng(5)
    np.testing.assert_array_equal(net.dense[0].W, init.he_normal(3, 4, rng=rng).astype(np.float32))
    np.testing.assert_array_equal(net.dense[1].W, init.normal(4, 2, 0.3, rng=rng).astype(np.float32))


# ------------------------------------------------------------------ any float, every elementwise function

@settings(max_examples=60)
@given(x=arrays(np.float64, 12, elements=st.floats(width=64)),
       x32=arrays(np.float32, 12, elements=st.floats(width=32)))
def test_every_elementwise_function_on_any_float(x, x32):
    # no warning (pytest makes RuntimeWarning an error), NaN exactly where the input has
    # one, the input's dtype, and the same values on a reversed, read-only view
    for a in (x, x32):
        view = a[::-1]
        view.flags.writeable = False
        for _name, fn, params in ELEMENTWISE:
            out = fn(a, **params)
            assert out.dtype == a.dtype
            assert np.array_equal(np.isnan(out), np.isnan(a))
            np.testing.assert_array_equal(fn(view, **params), out[::-1])


# ------------------------------------------------------------------ means at the top of the range

def test_the_mean_of_terms_near_the_largest_float_does_not_overflow():
    # (terms / n).sum() rounded up past the largest float: inf with a RuntimeWarning
    big = np.finfo(np.float64).max
    z = np.array([[0.0, big, big, 0.0], [0.0, 8.7e15, big, 0.0], [big, big, 8.7e71, 6.7e16]])
    loss = L.softmax_cross_entropy_with_logits([0, 1, 3], z)
    assert np.isfinite(loss) and loss == pytest.approx(big, rel=1e-15)
    assert L.mae([0.0] * 3, [big] * 3) == big


def test_booleans_are_not_numbers_for_array_parameters_either():
    # a bool alpha was a TypeError but a bool array of slopes passed as 0/1 slopes
    for fn in (nbs.prelu, nbs.prelu_grad, nbs.prelu_grad_alpha):
        with pytest.raises(TypeError, match="alpha"):
            fn(np.ones((2, 2)), alpha=np.array([True, False]))


def test_the_mlp_input_check_makes_no_temporary_copy():
    import tracemalloc
    net = MLP([1000, 2], rng=0, dtype=np.float64)
    X = np.ones((2000, 1000))
    tracemalloc.start()
    net.check_input(X)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < X.nbytes / 8  # isfinite(X) or abs(X) would hold 2 MB or 16 MB


@settings(max_examples=150)
@given(arrays(np.float64, 3, elements=FULL_RANGE), st.sampled_from(sorted(optim.OPTIMIZERS)),
       st.floats(1e-300, 1e300), st.sampled_from([np.float16, np.float32, np.float64]))
def test_optimizer_steps_at_any_learning_rate_follow_ieee_without_warning(g, kind, lr, dtype):
    # lr * g overflowed with a warning, then inf / inf gave NaN; a learning rate beyond the
    # parameter's dtype was cast to inf there (inf * 0 = NaN)
    p = np.zeros(3, dtype)
    grad = np.clip(g, -np.finfo(dtype).max, np.finfo(dtype).max).astype(dtype)
    opt = optim.OPTIMIZERS[kind](lr)
    if lr > float(np.finfo(dtype).max):
        with pytest.raises(ValueError, match="lr"):
            opt.step([p], [grad])
        return
    opt.step([p], [grad])
    opt.step([p], [grad])
    assert not np.isnan(p).any()


def test_adam_with_a_learning_rate_near_the_float32_limit_and_zero_gradients_stays_put():
    # lr / (1 - beta1) = 10 lr passes the largest float32: cast to inf, times m = 0, was NaN
    p = np.ones(3, np.float32)
    optim.Adam(lr=float(np.finfo(np.float32).max) / 5).step([p], [np.zeros(3, np.float32)])
    np.testing.assert_array_equal(p, np.ones(3, np.float32))


def test_masked_arrays_are_refused_rather_than_computed_through_their_mask():
    masked = np.ma.masked_array([1.0, -2.0], mask=[True, False])
    for call in (lambda: nbs.sigmoid(masked), lambda: nbs.softmax(masked), lambda: L.mse(masked, [0.0, 0.0])):
        with pytest.raises(TypeError, match="masked"):
            call()


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_a_layer_built_without_settings_takes_the_registry_defaults(name):
    # the unchecked kernels have no defaults: Activation("leaky_relu") lost alpha=0.01
    from nbsupport.mlp import Activation
    layer = Activation(name)
    z = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    spec = ACTIVATIONS[name]
    np.testing.assert_array_equal(layer.forward(z), spec.fn(z, **spec.params))
    np.testing.assert_array_equal(layer.backward(np.ones_like(z)), spec.grad(z, **spec.params))


# ------------------------------------------------------------------ parameters beyond the input's dtype

@settings(max_examples=100)
@given(arrays(np.float32, 6, elements=st.floats(width=32)), st.floats(0, 1e308),
       st.sampled_from(["leaky_relu", "leaky_relu_grad", "elu", "elu_grad", "prelu", "prelu_grad",
                        "prelu_grad_alpha"]))
@example(np.array([np.inf, 0, 0, 0, 0, 0], np.float32), 2.225073858507203e-309, "leaky_relu")
def test_a_parameter_beyond_float32_is_named_not_rounded_to_inf(x, alpha, name):
    # float32 x with alpha = 1e300: NumPy cast alpha to inf (a warning), and inf * 0 = NaN
    # (and alpha = 2.2e-309, which rounds to 0 in float32: 0 * -inf = NaN)
    fn = getattr(nbs, name)
    if alpha > float(np.finfo(np.float32).max) or alpha != 0 and np.float32(alpha) == 0:
        with pytest.raises(ValueError, match="alpha"):
            fn(x, alpha=alpha)
        return
    out = fn(x, alpha=alpha)
    assert out.dtype == np.float32 and np.array_equal(np.isnan(out), np.isnan(x))


def test_rrelu_bounds_whose_sum_overflows_and_bounds_beyond_float32():
    x = np.array([-1e-300, 2.0, -0.0])
    np.testing.assert_array_equal(nbs.rrelu(x, lower=1e308, upper=1.5e308), [-1.25e8, 2.0, -0.0])
    assert nbs.rrelu_grad(-1.0, lower=1e308, upper=1.5e308) == 1.25e308
    with pytest.raises(ValueError, match="upper"):
        nbs.rrelu(np.ones(2, np.float32), lower=0.0, upper=1e39, training=True, rng=0)


# ------------------------------------------------------------------ the whole probe stays green

def test_the_adversarial_probe_finds_no_defect():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "adversarial.py"
    spec = importlib.util.spec_from_file_location("adversarial_probe", path)
    probe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(probe)
    probe.ROWS.clear()
    for run in probe.PROBES:
        run()
    defects = [row for row in probe.ROWS if row[2] != "ok"]
    assert len(probe.ROWS) > 2500 and defects == []

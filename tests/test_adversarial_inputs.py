"""Input classes a second, independent adversarial probe tried, one section per defect class.

Each section states the class and the rule the package now follows, then tests every
public function the class applies to (``benchmarks/adversarial.py`` prints the same
classes as rows of its table).
"""
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nbsupport as nbs
from nbsupport import optim
from nbsupport.activations import ACTIVATIONS

ELEMENTWISE = [(spec.fn, spec.params) for spec in ACTIVATIONS.values()] + \
              [(spec.grad, spec.params) for spec in ACTIVATIONS.values()]

# ------------------------------------------------------------------ Python ints beyond int64
# NumPy keeps an int beyond int64 (2**64 and up) as a Python object; the contract says
# integers become float64, so they do, rounded once (+-inf beyond float64's range).


@pytest.mark.parametrize("fn, params", ELEMENTWISE, ids=lambda v: getattr(v, "__name__", ""))
def test_python_ints_beyond_int64_are_integers_like_any_other(fn, params):
    big = [2 ** 70, -(2 ** 64), 3, 2 ** 1100]
    expected = fn(np.array([float(2 ** 70), -float(2 ** 64), 3.0, np.inf]), **params)
    np.testing.assert_array_equal(fn(big, **params), expected)
    assert isinstance(fn(2 ** 70, **params), np.float64)


@settings(max_examples=200)
@given(st.integers(min_value=-(2 ** 1100), max_value=2 ** 1100))
@example((1 << 1024) - (1 << 970))
@example((1 << 1024) - (1 << 970) - 1)
@example(-(1 << 1024))
@example(2 ** 64 + 1)
@example(-(2 ** 63) - 1)
def test_any_python_int_rounds_once_to_the_nearest_float64(n):
    got = nbs.identity([n, 2 ** 64])[0]
    try:
        expected = float(n)
    except OverflowError:
        expected = math.inf if n > 0 else -math.inf
    assert got == expected


@pytest.mark.parametrize("bad, what", [((i for i in range(3)), "generator"), ({"a": 1}, "dict"),
                                       ([1, None], "not all real numbers"), ([2 ** 70, 1j], "not all real numbers"),
                                       ([__import__("decimal").Decimal(1)], "not all real numbers")])
def test_objects_that_are_not_numbers_name_the_argument_and_the_type(bad, what):
    with pytest.raises(TypeError, match=f"x must be a number or an array of numbers, got .*{what}"):
        nbs.relu(bad)


@pytest.mark.parametrize("loss", [nbs.mse, nbs.mae_grad, nbs.huber])
@pytest.mark.parametrize("targets", [[0, 2 ** 70], [0, 2 ** 64], [True, 2 ** 64]])
def test_integer_targets_beyond_int64_take_the_dtype_of_the_predictions_like_other_integers(loss, targets):
    assert loss(targets, np.array([0.25, 0.75], np.float32)).dtype == np.float32


def test_fractions_are_real_numbers_in_arrays_as_they_are_as_parameters():
    from fractions import Fraction
    np.testing.assert_array_equal(nbs.identity([Fraction(1, 3), Fraction(-(10 ** 400))]), [1 / 3, -np.inf])
    assert nbs.leaky_relu(Fraction(-1, 2), alpha=Fraction(1, 10)) == -0.05


def test_labels_beyond_int64_are_out_of_range_not_a_dtype_error():
    with pytest.raises(ValueError, match="y_true labels must lie in 0..2"):
        nbs.softmax_cross_entropy_with_logits([0, 2 ** 70], np.zeros((2, 3)))


# ------------------------------------------------------------------ optimizers: ndarray subclasses
# np.matrix overloads * as the matrix product: g * g in Adagrad, RMSprop and Adam squared
# the matrix instead of each entry (NaN and wrong steps).  step() works on plain views.

def _two_steps(kind, p, g):
    opt = optim.OPTIMIZERS[kind](0.1)
    for _ in range(2):
        opt.step([p], [g])
    return np.asarray(p)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
@pytest.mark.parametrize("kind", sorted(optim.OPTIMIZERS))
def test_optimizers_update_a_matrix_subclass_elementwise(kind):
    w, g = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, -2.0], [0.5, 3.0]])
    expected = _two_steps(kind, w.copy(), g)
    m = np.matrix(w)
    _two_steps(kind, m, np.matrix(g))
    np.testing.assert_array_equal(np.asarray(m), expected)  # updated in place, entry by entry
    np.testing.assert_array_equal(_two_steps(kind, w.copy(), np.matrix(g)), expected)


# ------------------------------------------------------------------ optimizers: aliased parameters
# The same array twice (or two overlapping views) was updated twice per step.

@pytest.mark.parametrize("kind", sorted(optim.OPTIMIZERS))
@pytest.mark.parametrize("make", [lambda a: (a, a), lambda a: (a[:3], a[1:]), lambda a: (a, a[::2])],
                         ids=["same array", "overlapping views", "strided view"])
def test_parameters_that_share_memory_are_named(kind, make):
    a = np.arange(4.0)
    first, second = make(a)
    with pytest.raises(ValueError, match=r"params\[0\] and params\[1\] share memory"):
        optim.OPTIMIZERS[kind](0.1).step([first, second], [np.ones_like(first), np.ones_like(second)])
    np.testing.assert_array_equal(a, np.arange(4.0))  # nothing was updated


@pytest.mark.parametrize("kind", sorted(optim.OPTIMIZERS))
def test_disjoint_views_of_one_buffer_are_fine(kind):
    a = np.arange(4.0)
    optim.OPTIMIZERS[kind](0.1).step([a[:2], a[2:]], [np.ones(2), np.ones(2)])
    assert np.all(a < np.arange(4.0))


# ------------------------------------------------------------------ optimizers: wider gradients
# float64 gradients of float32 weights: a finite gradient beyond float32 made the state
# inf and Adam's step inf / inf = NaN.  Such a gradient is now a ValueError naming it.

@pytest.mark.parametrize("kind", sorted(optim.OPTIMIZERS))
@pytest.mark.parametrize("pdtype, g", [(np.float32, 1e300), (np.float16, 1e39), (np.float64, np.longdouble("1e400"))])
def test_a_wider_gradient_beyond_the_state_dtype_is_named(kind, pdtype, g):
    p = np.ones(2, pdtype)
    grad = np.array([1.0, g], dtype=np.longdouble if isinstance(g, np.longdouble) else np.float64)
    with pytest.raises(ValueError, match=r"grads\[0\] holds finite values beyond the range of params\[0\]"):
        optim.OPTIMIZERS[kind](0.1).step([p], [grad])


@pytest.mark.parametrize("kind", sorted(optim.OPTIMIZERS))
def test_a_wider_gradient_within_range_and_infinite_gradients_still_step(kind):
    p = np.ones(3, np.float32)
    optim.OPTIMIZERS[kind](0.1).step([p], [np.array([1e30, -1e-50, 0.5])])
    assert p.dtype == np.float32 and np.isfinite(p).all()
    q = np.ones(2, np.float32)
    optim.OPTIMIZERS[kind](0.1).step([q], [np.array([np.inf, 1.0])])  # inf is propagated, not refused
    assert q[1] < 1


# ------------------------------------------------------------------ parameters that round to 0
# float32 input with alpha = 1e-309: NumPy rounds alpha to 0 inside the formula, and
# 0 * -inf = NaN with a warning (leaky_relu, prelu, rrelu, huber's delta, which must be
# > 0 anyway).  A nonzero parameter that rounds to 0 in the input's dtype is refused,
# like one beyond its range.

SCALED_BY_A_PARAMETER = [
    ("alpha", lambda x, v: nbs.leaky_relu(x, alpha=v)), ("alpha", lambda x, v: nbs.leaky_relu_grad(x, alpha=v)),
    ("alpha", lambda x, v: nbs.elu(x, alpha=v)), ("alpha", lambda x, v: nbs.elu_grad(x, alpha=v)),
    ("alpha", lambda x, v: nbs.prelu(x, alpha=v)), ("alpha", lambda x, v: nbs.prelu_grad(x, alpha=v)),
    ("alpha", lambda x, v: nbs.prelu_grad_alpha(x, alpha=v)),
    ("alpha", lambda x, v: nbs.prelu(x.reshape(-1, 1) * np.ones(2, x.dtype), alpha=[v, 0.5])),
    ("lower", lambda x, v: nbs.rrelu(x, lower=v, upper=0.5)), ("upper", lambda x, v: nbs.rrelu(x, lower=0.0, upper=v)),
    ("lower", lambda x, v: nbs.rrelu_grad(x, lower=v, upper=0.5)),
    ("delta", lambda x, v: nbs.huber(np.zeros_like(x), x, delta=v)),
    ("delta", lambda x, v: nbs.huber_grad(np.zeros_like(x), x, delta=v)),
]


@pytest.mark.parametrize("name, call", SCALED_BY_A_PARAMETER)
@pytest.mark.parametrize("value", [1e-46, 2.2250738585072014e-308, 5e-324])
def test_a_nonzero_parameter_that_rounds_to_0_in_float32_is_named(name, call, value):
    x = np.array([-np.inf, -1.0, 0.0, 2.0, np.inf], np.float32)
    with pytest.raises(ValueError, match=f"{name}=.*rounds to 0 in .* float32|{name} has nonzero"):
        call(x, value)


@pytest.mark.parametrize("name, call", SCALED_BY_A_PARAMETER)
def test_the_smallest_float32_subnormal_and_tiny_float64_parameters_are_fine(name, call):
    x = np.array([-np.inf, -1.0, -0.0, 2.0, np.inf], np.float32)
    out = call(x, 1.5e-45)  # rounds to float32's smallest subnormal, not to 0
    assert not np.isnan(out).any()
    out64 = call(x.astype(np.float64), 5e-324)
    assert out64.dtype == np.float64 and not np.isnan(out64).any()


# ------------------------------------------------------------------ statistics: integer arithmetic
# root_sum_squares took np.dot of the array as given: int64 squares wrapped around
# ([2**40, 2**40] gave 0.0), uint8 squares modulo 256, and booleans "summed" with or.
# Integers and booleans are now squared as float64, like every other numeric input.

from hypothesis.extra.numpy import arrays  # noqa: E402

from nbsupport import calculus, diagnostics, training  # noqa: E402

INT64 = np.iinfo(np.int64)


@settings(max_examples=100)
@given(arrays(st.sampled_from([np.int64, np.int32, np.uint8, np.uint64, np.bool_]), st.integers(1, 6)))
def test_integer_statistics_equal_those_of_the_same_values_as_float64(a):
    as_float = a.astype(np.float64)
    assert diagnostics.root_sum_squares(a) == diagnostics.root_sum_squares(as_float)
    assert diagnostics.mean_std(a) == diagnostics.mean_std(as_float)


def test_integer_squares_do_not_wrap_around():
    assert diagnostics.root_sum_squares(np.array([2 ** 40, 2 ** 40])) == pytest.approx(2 ** 40 * math.sqrt(2), rel=1e-15)
    assert diagnostics.root_sum_squares(np.array([INT64.max] * 3)) == pytest.approx(INT64.max * math.sqrt(3), rel=1e-15)
    assert diagnostics.root_sum_squares(np.array([True, True])) == pytest.approx(math.sqrt(2), rel=1e-15)
    assert diagnostics.root_sum_squares(np.array([200, 100], np.uint8)) == pytest.approx(math.sqrt(50000), rel=1e-15)


# ------------------------------------------------------------------ statistics: the public boundary
# mean_std, root_sum_squares, update_ratio, spread_parts and activation_histogram took
# their input unchecked: a list was an AttributeError, complex values a ComplexWarning
# (the imaginary part dropped), an empty array a RuntimeWarning and NaN.

STATISTICS = [
    ("x", lambda v: diagnostics.mean_std(v)), ("x", lambda v: diagnostics.root_sum_squares(v)),
    ("before", lambda v: training.update_ratio(v, np.ones(np.shape(v)))),
    ("after", lambda v: training.update_ratio(np.ones(np.shape(v)), v)),
    ("a", lambda v: training.spread_parts(np.reshape(v, (1, -1)) if np.ndim(v) == 1 else v)),
    ("a", lambda v: training.activation_histogram(v, np.array([0.0, 0.5, 1.0]))),
]


@pytest.mark.parametrize("name, call", STATISTICS)
@pytest.mark.parametrize("bad", [np.array([1 + 1j, 2.0]), np.array(["a", "b"]), np.array([1.0, 2.0], dtype=object)])
def test_statistics_refuse_non_real_input_naming_it(name, call, bad):
    with pytest.raises(TypeError, match=name):
        call(bad)


@pytest.mark.parametrize("name, call", [
    ("x", lambda: diagnostics.mean_std(np.empty(0))), ("before", lambda: training.update_ratio(np.empty(0), np.empty(0))),
    ("a", lambda: training.spread_parts(np.empty((0, 3)))), ("a", lambda: training.spread_parts(np.empty((3, 0)))),
])
def test_statistics_of_no_values_are_an_error_not_a_warning(name, call):
    with pytest.raises(ValueError, match=f"{name} must not be empty"):
        call()


def test_the_norm_of_no_values_is_0():
    assert diagnostics.root_sum_squares(np.empty(0)) == 0.0


def test_statistics_take_lists_like_every_other_function():
    assert diagnostics.mean_std([1.0, 3.0]) == (2.0, 1.0)
    assert training.update_ratio([[1.0, -1.0]], [[1.5, -1.5]]) == 0.5
    assert training.spread_parts([[0.0, 5.0], [0.0, 5.0]]) == (0.0, 2.5)


@pytest.mark.parametrize("edges", [[1.0, 0.5, 0.0], [0.0, 0.0, 1.0], [0.0], [0.0, np.inf], [[0.0, 1.0]]])
def test_histogram_edges_must_increase_and_are_named(edges):
    with pytest.raises(ValueError, match="edges"):
        training.activation_histogram(np.array([0.2]), np.array(edges))


# ------------------------------------------------------------------ statistics: overflow and underflow
# The mean of [1e308, 1e308] overflowed in its sum (a RuntimeWarning), np.std squared
# values beyond 1.3e154, and a float32 norm of values below 1e-23 came out 0 (squares
# underflow).  Finite values now give finite statistics, computed again on the values
# divided by a power of two where a sum or square leaves the float range.

LONGDOUBLE_IS_WIDER = np.finfo(np.longdouble).maxexp > np.finfo(np.float64).maxexp
FULL = st.floats(allow_nan=False, allow_infinity=False)


def _ld_std(a: np.ndarray) -> float:
    x = a.astype(np.longdouble)
    return float(np.sqrt(np.mean((x - x.mean()) ** 2)))


@pytest.mark.skipif(not LONGDOUBLE_IS_WIDER, reason="needs an x87 longdouble as the reference")
@settings(max_examples=200)
@given(arrays(np.float64, st.integers(1, 8), elements=FULL))
def test_mean_std_and_norm_of_any_finite_floats_against_longdouble(a):
    mean, std = diagnostics.mean_std(a)
    assert math.isfinite(mean) and math.isfinite(std)
    top = float(np.abs(a).max())  # a sum is accurate to a few ulps of its largest term
    assert mean == pytest.approx(float(a.astype(np.longdouble).mean()), rel=1e-14, abs=1e-14 * top)
    # a two-pass std is accurate to a few ulps of max|x| (the mean's rounding), not of itself
    assert std == pytest.approx(_ld_std(a), rel=1e-12, abs=1e-14 * top)
    norm = float(np.sqrt(np.sum(a.astype(np.longdouble) ** 2)))
    assert diagnostics.root_sum_squares(a) == pytest.approx(norm, rel=1e-14, abs=1e-320)


@pytest.mark.skipif(not LONGDOUBLE_IS_WIDER, reason="needs an x87 longdouble as the reference")
@settings(max_examples=100)
@given(arrays(np.float64, (3, 2), elements=FULL), arrays(np.float64, (3, 2), elements=FULL))
def test_update_ratio_and_spread_parts_of_any_finite_floats_are_finite(before, after):
    ratio = training.update_ratio(before, after)
    b, a = before.astype(np.longdouble), after.astype(np.longdouble)
    spread = _ld_std(before)
    assert not math.isnan(ratio)
    if spread > 1e-12 * float(np.abs(before).max()):  # else a ratio to rounding noise (or inf)
        change = float(np.sqrt(np.mean(((a - b) - (a - b).mean()) ** 2)))
        scale = float(max(np.abs(before).max(), np.abs(after).max()))
        assert ratio == pytest.approx(change / spread, rel=1e-12, abs=1e-13 * scale / spread)
    within, between = training.spread_parts(before)
    assert math.isfinite(within) and math.isfinite(between)
    means = b.mean(axis=0)
    assert between == pytest.approx(float(np.sqrt(np.mean((means - means.mean()) ** 2))), rel=1e-12,
                                    abs=1e-14 * float(np.abs(before).max()))


@pytest.mark.parametrize("dtype, tiny", [(np.float32, 1e-30), (np.float64, 1e-200), (np.float64, 1e-310)])
def test_norms_of_tiny_values_do_not_underflow_to_0(dtype, tiny):
    a = np.array([tiny, tiny], dtype)
    assert diagnostics.root_sum_squares(a) == pytest.approx(float(a[0]) * math.sqrt(2), rel=1e-6 if tiny < 1e-300 else 1e-7)
    assert diagnostics.mean_std(np.array([0.0, 2 * tiny], dtype))[1] == pytest.approx(float(dtype(tiny)), rel=1e-6)


def test_update_ratio_of_weights_without_spread_is_inf():
    assert training.update_ratio(np.zeros((2, 2)), np.ones((2, 2))) == math.inf


@pytest.mark.parametrize("before, after", [([[0.0, 1.0], [1.0, 1.0]], np.full((2, 2), 2.2494569e161)),
                                           ([[1e-300, -1e-300]], [[1e300, 1e300]]),
                                           ([[1e308, -1e308]], [[-1e308, 1e308]])])
def test_update_ratio_scales_each_spread_on_its_own(before, after):
    b, a = np.array(before, np.longdouble), np.array(after, np.longdouble)
    expected = float(np.std(a - b) / np.std(b))
    assert training.update_ratio(before, after) == pytest.approx(expected, rel=1e-12)


def test_infinite_values_give_nan_spreads_without_a_warning():
    assert diagnostics.mean_std(np.array([np.inf, 1.0]))[0] == math.inf
    assert math.isnan(diagnostics.mean_std(np.array([np.inf, 1.0]))[1])
    assert math.isnan(training.update_ratio([np.nan, 1.0], [1.0, 1.0]))


# ------------------------------------------------------------------ derived parameters that underflow
# saturation_bound("sigmoid", share) solved s'(x) = share * 1/4; for share below 2e-323
# the product rounded to 0 and the error named "level", an argument never passed.  Near
# share = 1 (level = 1/4) the root x -> 0 came from log(s) - log(1 - s), which cancels:
# at level = 1/4 - 2^-55 it had 17 million ulps of error.

import mpmath  # noqa: E402


def _sigmoid_crossing_exact(share: float) -> float:
    with mpmath.workdps(80):  # 80 digits: enough for the cancellation as x -> 0 (share -> 1)
        level = mpmath.mpf(share) / 4
        tail = 2 * level / (1 + mpmath.sqrt(1 - 4 * level))
        return float(mpmath.log(1 - tail) - mpmath.log(tail))


@settings(max_examples=200)
@given(st.one_of(st.floats(5e-324, 1e-300), st.floats(1e-300, 1.0, exclude_max=True),
                 st.sampled_from([5e-324, 1e-323, 2e-323, 4.45e-308, 2.2250738585072014e-308, 0.5,
                                  np.nextafter(0.5, 1), 1 - 2 ** -53, 1 - 2 ** -30])))
def test_sigmoid_saturation_bound_for_any_share_matches_the_exact_root(share):
    got = diagnostics.saturation_bound("sigmoid", share)
    assert got == pytest.approx(_sigmoid_crossing_exact(share), rel=6e-16, abs=0)


def test_sigmoid_saturation_bound_falls_as_the_share_grows_across_the_subnormal_edge():
    edge = 4 * 2.2250738585072014e-308
    shares = [np.nextafter(edge, 0), edge, np.nextafter(edge, 1)]
    bounds = [diagnostics.saturation_bound("sigmoid", s) for s in shares]
    assert bounds[0] >= bounds[1] >= bounds[2]
    assert diagnostics.sigmoid_grad_crossing(0.0125) == diagnostics.saturation_bound("sigmoid", 0.05)


# ------------------------------------------------------------------ module-level caches and threads
# depth_profile rescales a cached, shared network in place and then runs it: two threads
# with different scales ran each other's weights (113 of 120 results wrong).

def test_depth_profile_gives_the_same_numbers_from_several_threads():
    import threading

    scales = [0.5, 1.0, 2.0, 3.0]
    serial = {s: diagnostics.depth_profile("tanh", 12, s, width=48, batch=128).grad_norms for s in scales}
    wrong = []

    def worker(scale):
        for _ in range(15):
            got = diagnostics.depth_profile("tanh", 12, scale, width=48, batch=128).grad_norms
            if not np.array_equal(got, serial[scale]):
                wrong.append(scale)

    threads = [threading.Thread(target=worker, args=(s,)) for s in scales]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not wrong


@pytest.mark.parametrize("kwargs, name, error", [
    ({"weight_scale": math.nan}, "weight_scale", ValueError), ({"weight_scale": math.inf}, "weight_scale", ValueError),
    ({"weight_scale": -1.0}, "weight_scale", ValueError), ({"weight_scale": "2"}, "weight_scale", TypeError),
    ({"depth": 2.0}, "depth", TypeError), ({"depth": 0}, "depth", ValueError), ({"width": True}, "width", TypeError),
    ({"activation": "bogus"}, "activation", ValueError), ({"seed": -1}, "seed", ValueError),
])
def test_depth_profile_names_a_bad_argument(kwargs, name, error):
    args = {"activation": "tanh", "depth": 3, "weight_scale": 1.0, **kwargs}
    seed = {"seed": args.pop("seed")} if "seed" in args else {}
    width = {"width": args.pop("width")} if "width" in args else {}
    with pytest.raises(error, match=name):
        diagnostics.depth_profile(args["activation"], args["depth"], args["weight_scale"], **seed, **width)


def test_depth_profile_at_an_overflowing_scale_follows_ieee_without_a_warning():
    profile = diagnostics.depth_profile("relu", 3, 1e300)
    assert profile.grad_norms.shape == (3,)


@pytest.mark.parametrize("call, name", [
    (lambda: diagnostics.probe_weights(1e39, 2, width=3), "init"),
    (lambda: diagnostics.probe_weights(1e300, 2, width=3), "init"),
    (lambda: diagnostics.activation_std_ratio(1e300), "init|std"),
    (lambda: diagnostics.activation_std_ratio(0.0), "std"),
    (lambda: diagnostics.activation_std_ratio(1e10, "relu", depth=5), "std"),
])
def test_float32_probes_name_a_std_their_weights_or_layers_cannot_hold(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ------------------------------------------------------------------ calculus: unchecked arguments
# bisect accepted tol <= 0 and a g returning NaN (it then returned an arbitrary point),
# and lo + hi overflowed for roots near the largest float; normal_mean's f returning
# text was a ValueError from NumPy that named nothing.

@pytest.mark.parametrize("call, name, error", [
    (lambda: calculus.bisect(lambda x: x - 0.3, 0.0, 1.0, tol=0.0), "tol", ValueError),
    (lambda: calculus.bisect(lambda x: x - 0.3, 0.0, 1.0, tol=-1.0), "tol", ValueError),
    (lambda: calculus.bisect(lambda x: math.nan, 0.0, 1.0), "g returned NaN", ValueError),
    (lambda: calculus.bisect(lambda x: x - 0.3 if abs(x - 0.3) > 0.1 else math.nan, 0.0, 1.0), "g returned NaN",
     ValueError),
    (lambda: calculus.bisect(lambda x: "a", 0.0, 1.0), "g must return", TypeError),
    (lambda: calculus.bisect(3.0, 0.0, 1.0), "g", TypeError),
    (lambda: calculus.bisect(lambda x: x, math.nan, 1.0), "lo", ValueError),
    (lambda: calculus.bisect(lambda x: x, 0.0, math.inf), "hi", ValueError),
    (lambda: calculus.normal_mean(lambda t: np.array(["a"] * t.size)), "f must return real numbers", TypeError),
    (lambda: calculus.normal_mean("f"), "f", TypeError),
])
def test_calculus_names_a_bad_argument(call, name, error):
    with pytest.raises(error, match=name):
        call()


@pytest.mark.parametrize("root, lo, hi", [(1.5e308, 1e308, 1.7976931348623157e308), (-1.5e308, -1.7e308, 0.0),
                                          (1e-320, 0.0, 5e-320)])
def test_bisect_finds_roots_at_the_ends_of_the_float_range(root, lo, hi):
    assert calculus.bisect(lambda x: x - root, lo, hi, tol=5e-324) == pytest.approx(root, rel=1e-12, abs=1e-323)


# ------------------------------------------------------------------ exercise checkers and odd answers
# A checker must judge any answer a student can type and never crash the cell: an int
# beyond the float range (10**400) raised OverflowError out of check(); text such as
# "4.59" was read as the number and marked correct; a function returning complex
# values had its imaginary part dropped (NumPy's ComplexWarning) and was judged on the
# real part alone.  Only real numbers (ints, floats, NumPy scalars, Fractions) count.

from nbsupport.exercises import Exercise, init_training as ex_init_training, initialization as ex_initialization  # noqa: E402

VALUE = Exercise(prompt="p", solution=lambda: 4.5849, explanation="Right.", hint="Hint.", decimals=2)
VECTOR = Exercise(prompt="p", solution=lambda: [0.25, 0.5], explanation="Right.", hint="Hint.", significant=2)
FUNCTION = Exercise(prompt="p", solution=lambda x: 2 * x, explanation="Right.", hint="Hint.", inputs=[1.0, 2.0])
DEPTH_STD = next(v for v in vars(ex_initialization).values() if isinstance(v, ex_initialization.DepthStdExercise))


@pytest.mark.parametrize("exercise, answer", [
    (VALUE, 10 ** 400), (VALUE, -(10 ** 400)), (VALUE, "4.59"), (VALUE, b"4.59"), (VALUE, 4.59 + 1j),
    (VALUE, {"a": 1}), (VALUE, (i for i in range(2))), (VALUE, np.array("4.59")),
    (VECTOR, [10 ** 400, 0.5]), (VECTOR, ["0.25", "0.5"]), (VECTOR, [0.25 + 1j, 0.5]), (VECTOR, [[0.25], [0.5, 1]]),
    (FUNCTION, lambda x: 2 * x + 1j), (FUNCTION, lambda x: (2 * x).astype(complex)), (FUNCTION, lambda x: "a"),
    (FUNCTION, lambda x: [10 ** 400, 4]),
    (ex_init_training.update_ratio, lambda a, b: np.complex128(np.std(b - a) / np.std(a) + 1j)),
    (ex_init_training.update_ratio, lambda a, b: np.complex128(np.std(b - a) / np.std(a))),
    (ex_init_training.update_ratio, lambda a, b: [np.std(b - a) / np.std(a)] * 2),
    (DEPTH_STD, 10 ** 400), (DEPTH_STD, "0.14"), (DEPTH_STD, True), (DEPTH_STD, 0.14 + 0j),
])
def test_checkers_refuse_answers_that_are_not_real_numbers_without_crashing(exercise, answer):
    with np.errstate(all="raise"):
        feedback = exercise.evaluate(answer)
    assert not feedback.correct and feedback.message


@pytest.mark.parametrize("exercise, answer", [
    (VALUE, 4.58), (VALUE, np.float32(4.59)), (VALUE, np.array(4.59)), (VALUE, np.longdouble("4.585")),
    (VECTOR, (0.25, 0.5)), (VECTOR, np.array([0.25, 0.5], np.float16)), (FUNCTION, lambda x: x + x),
    (ex_init_training.update_ratio, lambda a, b: np.std(b - a) / np.std(a)),
])
def test_checkers_still_accept_real_numbers_of_any_type(exercise, answer):
    assert exercise.evaluate(answer).correct


def test_a_text_answer_is_told_to_drop_the_quotes():
    assert "without quotes" in VALUE.evaluate("4.59").message


# ------------------------------------------------------------------ fitting: squares out of range
# least_squares_line squared x (x = [1e200, -1e200, 0] overflowed with a warning; x =
# [1e-200, 2e-200, 3e-200] "had no spread" because its squares underflowed to 0), and
# one_sample_descent divided by |x_i|^2 (1e600 -> inf: the weights never moved).

from nbsupport import fitting, gradcheck, heads  # noqa: E402


@pytest.mark.parametrize("x, y, slope, intercept", [
    ([1e200, -1e200, 0.0], [1.0, 2.0, 3.0], -5e-201, 2.0),
    ([1e-200, 2e-200, 3e-200], [1.0, 2.0, 3.0], 1e200, 0.0),
    ([1.0, 2.0, 3.0], [1e308, -1e308, 1e308], 0.0, 1e308 / 3),
    ([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], 2.0, 1.0),
])
def test_least_squares_line_at_the_ends_of_the_float_range(x, y, slope, intercept):
    fit = fitting.least_squares_line(x, y)
    assert float(fit.slope) == pytest.approx(slope, rel=1e-14, abs=1e-320)
    assert float(fit.intercept) == pytest.approx(intercept, rel=1e-14, abs=1e-14)


@settings(max_examples=100)
@given(st.floats(-300, 300), st.floats(-300, 300))
def test_least_squares_line_is_exact_for_points_on_any_scaled_line(ex, ey):
    x = np.array([1.0, 2.0, 4.0]) * 10.0 ** ex
    y = (np.array([3.0, 5.0, 9.0]) * 10.0 ** ey)  # y = 2 u + 1 with u = x / 10^ex, times 10^ey
    fit = fitting.least_squares_line(x, y)
    assert float(fit.slope) == pytest.approx(2 * 10.0 ** ey / 10.0 ** ex, rel=1e-13)


@pytest.mark.parametrize("scale", [1e300, 1e-300, 1e160, 1e-160])
def test_one_sample_descent_steps_the_same_at_any_input_scale(scale):
    path = fitting.one_sample_descent(np.array([[scale, 0.0]]), np.array([2.0]), np.zeros(2), 1, rate=1.0)
    assert path[-1, 0] == pytest.approx(2.0 / scale, rel=1e-15) and path[-1, 1] == 0


@pytest.mark.parametrize("call, name", [
    (lambda: fitting.one_sample_descent(np.array([[0.0, 0.0]]), np.array([1.0]), np.zeros(2), 1), "inputs"),
    (lambda: fitting.one_sample_descent(np.array([[1.0, 0.0]]), np.array([1.0]), np.zeros(2), 1, rate=math.nan), "rate"),
    (lambda: fitting.one_sample_descent(np.array([[1.0, 0.0]]), np.array([np.inf]), np.zeros(2), 1), "targets"),
    (lambda: fitting.one_sample_descent(np.array([[1.0, 0.0]]), np.array([1.0]), np.zeros(3), 1), "start"),
    (lambda: fitting.one_sample_descent(np.array([[1.0, 0.0]]), np.array([1.0]), np.zeros(2), -1), "steps"),
    (lambda: fitting.settling_step([], 0.0), "loss"),
    (lambda: fitting.settling_step([1.0, 0.5], math.nan), "minimum"),
    (lambda: fitting.settling_step([1.0, 0.5], 0.0, tol=-1.0), "tol"),
])
def test_fitting_helpers_name_a_bad_argument(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_a_nan_loss_never_counts_as_settled():
    assert fitting.settling_step([1.0, 0.0, np.nan], 0.0) is None
    assert fitting.settling_step([1.0, np.nan, 0.0], 0.0) == 2


# ------------------------------------------------------------------ heads: unchecked helpers
# decode_codes turned a NaN output into label 0 (argmin of NaN distances), bce_on_classes
# indexed with out-of-range labels (IndexError), binary_accuracy took a NaN threshold and
# an empty batch (a warning and NaN), and the demo data took NaN noise or low > high.

@pytest.mark.parametrize("call, name", [
    (lambda: heads.decode_codes(np.array([np.nan, 0.5]), [0.0, 1.0]), "outputs"),
    (lambda: heads.decode_codes(np.array([0.5]), []), "codes"),
    (lambda: heads.decode_codes(np.array([0.5]), [0.0, np.inf]), "codes"),
    (lambda: heads.bce_on_classes(np.array([0, 3]), np.full((2, 3), 1 / 3)), "labels"),
    (lambda: heads.bce_on_classes(np.array([0, 1]), np.full(3, 1 / 3)), "p"),
    (lambda: heads.binary_accuracy(np.eye(2), np.eye(2), threshold=math.nan), "threshold"),
    (lambda: heads.binary_accuracy(np.empty((0, 2)), np.empty((0, 2))), "p"),
    (lambda: heads.binary_accuracy(np.eye(2), np.eye(3)), "shape"),
    (lambda: heads.regression_data(5, noise=math.nan), "noise"),
    (lambda: heads.regression_data(5, low=2.0, high=-2.0), "low"),
    (lambda: heads.regression_data(5, high=1e20), "high"),
    (lambda: heads.nominal_data(3, spread=-1.0), "spread"),
])
def test_head_helpers_name_a_bad_argument(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


# ------------------------------------------------------------------ gradcheck: a step lost to rounding
# numerical_grad at x = 1e300 with eps = 1e-6: x + eps == x, so the gradient came out 0
# (at x = 1e10 the step was 1.9e-6 instead of 2e-6: a wrong quotient).  A step that is
# not 2 eps to 1 % is now a ValueError naming eps; (f+ - f-) / (2 eps) is formed from
# halves, so eps = 1e308 works; infinite gradients score NaN, not a warning.

@pytest.mark.parametrize("x, eps", [(1e300, 1e-6), (1e10, 1e-6), (-3e9, 1e-7), (1.0, 1e-17)])
def test_numerical_grad_refuses_an_eps_below_the_spacing_of_x(x, eps):
    with pytest.raises(ValueError, match="eps"):
        gradcheck.numerical_grad(lambda v: float(np.sum(v)), [0.0, x], eps=eps)
    with pytest.raises(ValueError, match="eps"):
        gradcheck.check_gradient(lambda v: float(np.sum(v)), np.ones_like, [x], eps=eps)


@pytest.mark.parametrize("x, eps", [(1e300, 1e294), (1.0, 1e308), (-1e308, 1e300), (5e-324, 1e-320)])
def test_numerical_grad_takes_any_eps_that_fits_x(x, eps):
    np.testing.assert_allclose(gradcheck.numerical_grad(lambda v: float(np.sum(v)), [x], eps=eps), [1.0], rtol=0.02)


def test_infinite_gradients_score_nan_without_a_warning():
    assert math.isnan(gradcheck.gradient_relative_error([np.inf], [np.inf]))
    assert math.isnan(gradcheck.gradient_relative_error([1.0], [-np.inf]))


# ------------------------------------------------------------------ training and data helpers
# set_constant_weights took NaN (every output NaN) and 1e39 for float32 weights (a cast
# to inf with a warning); stratified_split took 2-D or float labels and, given none,
# failed inside np.concatenate.

from nbsupport import data  # noqa: E402
from nbsupport.mlp import MLP  # noqa: E402


@pytest.mark.parametrize("value, error", [(math.nan, ValueError), (math.inf, ValueError), (1e39, ValueError),
                                          (1e-46, ValueError), ("1", TypeError), (None, TypeError)])
def test_constant_weights_must_fit_the_network(value, error):
    net = MLP([3, 2, 2], rng=0)
    before = [dense.W.copy() for dense in net.dense]
    with pytest.raises(error, match="value"):
        training.set_constant_weights(net, value)
    assert all(np.array_equal(d.W, b) for d, b in zip(net.dense, before))


@pytest.mark.parametrize("y", [np.array([], int), np.zeros((2, 2), int), np.array([0.5, 1.5]), np.array(["a", "b"])])
def test_stratified_split_names_labels_that_are_not_1d_integers(y):
    with pytest.raises(ValueError, match="y must be"):
        data.stratified_split(y, 0.5)


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
@pytest.mark.parametrize("x", [[1.7e308, -1.7e308, 0.0], [1e-300, 2e-300, 3e-300]])
def test_fit_line_at_the_ends_of_the_float_range_is_finite_without_warnings(loss, x):
    # fit_line took x.std() and, for MAE, x[j] - x[i] (3.4e308: an overflow warning)
    fit = fitting.fit_line(x, [1.0, 2.0, 3.0], loss, steps=50)
    assert math.isfinite(fit.slope) and math.isfinite(fit.intercept)


# ------------------------------------------------------------------ the MLP near float32's limit
# X = 3e38 is within float32's range (so forward accepted it) but X W overflowed with a
# RuntimeWarning, and outputs and gradients became NaN.  Batches beyond the square root
# of the range now run without warnings; non-finite outputs or gradients are a
# ValueError naming X, while saturating layers give their finite limits.

@pytest.mark.parametrize("output", ["softmax", "sigmoid", "linear"])
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "gelu", "selu", "leaky_relu", "prelu"])
@pytest.mark.parametrize("X", [np.full((2, 4), 3e38, np.float32), np.array([[3e38, -3e38, 1.0, 0.0]] * 2, np.float32),
                               np.full((2, 4), 1e30)])
def test_mlp_inputs_near_the_float32_limit_give_finite_results_or_name_x(output, activation, X):
    net = MLP([4, 8, 8, 3], activations=activation, output=output, rng=0)
    y = np.zeros(2, int) if output == "softmax" else np.full((2, 3), 0.5)
    try:
        outputs = net.forward(X)
        net.backward(y)
    except ValueError as err:
        assert "X" in str(err)
        return
    assert np.isfinite(outputs).all() and all(np.isfinite(g).all() for g in net.grads())


def test_mlp_inputs_below_the_square_root_of_the_range_take_the_usual_path():
    net = MLP([2, 3, 2], rng=0)
    X = np.array([[1e18, -1e18], [1.0, 2.0]])
    np.testing.assert_array_equal(net.forward(X), net._forward(X.astype(np.float32)))


@pytest.mark.parametrize("where", ["X", "X_val"])
def test_training_needs_inputs_within_the_square_root_of_the_range(where):
    from nbsupport.mlp import train
    net = MLP([2, 3, 2], rng=0)
    big, ok = np.full((4, 2), 1e20), np.ones((4, 2))
    X, X_val = (big, ok) if where == "X" else (ok, big)
    with pytest.raises(ValueError, match=f"{where} holds values up to 1e\\+20"):
        train(net, X, [0, 1, 0, 1], 1, 2, optim.SGD(0.1), X_val=X_val, y_val=[0, 1, 0, 1])

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
                                       ([1, None], "not all numbers"), ([2 ** 70, 1j], "not all numbers")])
def test_objects_that_are_not_numbers_name_the_argument_and_the_type(bad, what):
    with pytest.raises(TypeError, match=f"x must be a number or an array of numbers, got .*{what}"):
        nbs.relu(bad)


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

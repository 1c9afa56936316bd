"""Tests for nbsupport.activations: values, derivatives, accuracy, dtypes, bad input, registry.

Accuracy is measured in ulps against mpmath at 50 digits on a fixed grid of about
2,000 points that spans the float64 range (see ``GRID``); the references are computed
once per test session.
"""
from __future__ import annotations

import dataclasses
import inspect
import math

import mpmath as mp
import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given
from hypothesis import strategies as st

from nbsupport import activations as A
from nbsupport.gradcheck import gradient_relative_error, numerical_grad

EPS = np.finfo(np.float64).eps
SELU_L = mp.mpf("1.0507009873554804934193349852946")
SELU_A = mp.mpf("1.6732632423543772848170429916717")

# Every (function, derivative) pair with the keyword arguments it is tested with.
PAIRS = {
    "identity": (A.identity, A.identity_grad, {}),
    "sigmoid": (A.sigmoid, A.sigmoid_grad, {}),
    "tanh": (A.tanh, A.tanh_grad, {}),
    "relu": (A.relu, A.relu_grad, {}),
    "leaky_relu": (A.leaky_relu, A.leaky_relu_grad, {"alpha": 0.1}),
    "leaky_relu_steep": (A.leaky_relu, A.leaky_relu_grad, {"alpha": 3.0}),
    "prelu": (A.prelu, A.prelu_grad, {"alpha": 0.25}),
    "elu": (A.elu, A.elu_grad, {"alpha": 0.7}),
    "selu": (A.selu, A.selu_grad, {}),
    "softplus": (A.softplus, A.softplus_grad, {}),
    "gelu": (A.gelu, A.gelu_grad, {}),
    "silu": (A.silu, A.silu_grad, {}),
    "rrelu": (A.rrelu, A.rrelu_grad, {"lower": 0.1, "upper": 0.3}),
}
FUNCTIONS = [(f"{name}{suffix}", fn, kw) for name, (f, g, kw) in PAIRS.items()
             for suffix, fn in (("", f), ("_grad", g))]


# ----------------------------------------------------------------- mpmath references

def _grid() -> np.ndarray:
    """~2,000 float64 points: the whole exp range, the interesting middle, tiny and huge values."""
    tiny = np.geomspace(1e-300, 1e-2, 120)
    huge = np.geomspace(1e3, 1e308, 120)
    roots = np.linspace(-0.85, -0.65, 41).tolist() + np.linspace(-1.38, -1.18, 41).tolist()
    parts = [np.linspace(-745, 745, 1001), np.linspace(-40, 40, 561), tiny, -tiny, huge, -huge,
             np.array(roots + [0.0, 5e-324, -5e-324, 2.2250738585072014e-308])]
    return np.unique(np.concatenate(parts))


GRID = _grid()


def _sig(t):
    return 1 / (1 + mp.exp(-t))


def _Phi(t):
    if abs(t) > 1e4:  # mpmath's erfc refuses such arguments; Phi is 0 or 1 to far below 1 ulp
        return mp.mpf(0) if t < 0 else mp.mpf(1)
    return mp.erfc(-t / mp.sqrt(2)) / 2


def _phi(t):
    return mp.exp(-t * t / 2) / mp.sqrt(2 * mp.pi)


_RRELU_SLOPE = (mp.mpf(1 / 8) + mp.mpf(1 / 3)) / 2  # the float64 defaults, averaged exactly

# name -> (our function at its default parameters, exact f, exact f' or None).
# f' is used for the conditioning |x f'(x) / f(x)| of functions that have a root away
# from 0, where no formula evaluated in float64 can keep a relative error of a few ulps.
REFERENCES = {
    "identity": (A.identity, lambda t: t, None),
    "relu": (A.relu, lambda t: max(t, 0), None),
    "leaky_relu": (A.leaky_relu, lambda t: t if t > 0 else mp.mpf(0.01) * t, None),
    "prelu": (lambda x: A.prelu(x, 0.25), lambda t: t if t > 0 else t / 4, None),
    "rrelu": (A.rrelu, lambda t: t if t > 0 else _RRELU_SLOPE * t, None),
    "sigmoid": (A.sigmoid, _sig, None),
    "sigmoid_grad": (A.sigmoid_grad, lambda t: _sig(t) * _sig(-t), None),
    "tanh": (A.tanh, mp.tanh, None),
    "tanh_grad": (A.tanh_grad, lambda t: mp.sech(t) ** 2, None),
    "elu": (A.elu, lambda t: t if t > 0 else mp.expm1(t), None),
    "elu_grad": (A.elu_grad, lambda t: mp.mpf(1) if t > 0 else mp.exp(t), None),
    "selu": (A.selu, lambda t: SELU_L * t if t > 0 else SELU_L * SELU_A * mp.expm1(t), None),
    "selu_grad": (A.selu_grad, lambda t: SELU_L if t > 0 else SELU_L * SELU_A * mp.exp(t), None),
    "softplus": (A.softplus, lambda t: mp.log1p(mp.exp(t)), None),
    "gelu": (A.gelu, lambda t: t * _Phi(t), None),
    "gelu_grad": (A.gelu_grad, lambda t: _Phi(t) + t * _phi(t), lambda t: _phi(t) * (2 - t * t)),
    "silu": (A.silu, lambda t: t * _sig(t), None),
    "silu_grad": (A.silu_grad, lambda t: _sig(t) * (1 + t * _sig(-t)),
                  lambda t: _sig(t) * _sig(-t) * (2 + t * (_sig(-t) - _sig(t)))),
}

# Largest error in ulps asserted for each function, and why (all measured on GRID):
# - correctly rounded (0.5): the result is x or one rounded product alpha * x;
# - 1: one rounded product of a correctly rounded expm1/exp and an exact alpha;
# - 3: SELU: the constant, expm1 and the product each round, and an ulp of the result
#   can be up to twice its relative rounding unit;
# - 2: NumPy's tanh (~1 ulp), or exp then one or two roundings (sigmoid, softplus);
# - 4: three or four rounded operations (sigmoid' = e/(1+e)/(1+e), tanh' likewise, SiLU);
# - 7: GELU: SciPy's erfcx alone is up to 5.8 ulps off in [-8, -1] (measured on 2,000
#   points; 6.1 ulps for gelu there), plus the product and exp(-x^2/2);
# - gelu_grad, silu_grad: 4 * max(1, cond) for |x| < 3, cond = |x f''/f'|, else 4: both
#   cross 0 (at x = -0.75 and -1.28), and there the difference of their two terms cancels
#   as the conditioning says (measured: at most ~1.5 cond ulps).
ULP_BOUNDS = {"identity": 0.5, "relu": 0.5, "leaky_relu": 0.5, "prelu": 0.5, "rrelu": 1.0,
              "elu": 1.0, "elu_grad": 1.0, "selu": 3.0, "selu_grad": 3.0,
              "sigmoid": 2.0, "tanh": 2.0, "softplus": 2.0,
              "sigmoid_grad": 4.0, "tanh_grad": 4.0, "silu": 4.0,
              "gelu": 7.0, "gelu_grad": 4.0, "silu_grad": 4.0}


def rounded_with_residual(values: list) -> tuple[np.ndarray, np.ndarray]:
    """Exact (mpmath) values as float64 plus what that rounding dropped (for ulp_error)."""
    rounded = np.array([float(v) for v in values])
    residual = np.array([float(v - mp.mpf(r)) if math.isfinite(r) else 0.0
                         for v, r in zip(values, rounded)])
    return rounded, residual


@pytest.fixture(scope="module")
def references() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """name -> (exact value rounded to float64, its rounding residual, conditioning)."""
    mp.mp.dps = 50
    points = [mp.mpf(float(t)) for t in GRID]
    out = {}
    for name, (_, exact, derivative) in REFERENCES.items():
        values = [exact(t) for t in points]
        rounded, residual = rounded_with_residual(values)
        cond = np.ones_like(rounded)
        if derivative is not None:  # only near the root: in the tails cond ~ |x| would excuse anything
            cond = np.array([float(abs(t * derivative(t) / v)) if abs(t) < 3 else 1.0
                             for t, v in zip(points, values)])
        out[name] = (rounded, residual, np.maximum(cond, 1.0))
    return out


def ulp_error(got: np.ndarray, rounded: np.ndarray, residual: np.ndarray) -> np.ndarray:
    """|got - exact| in units of the last place of the exact value (subnormal ulp at 0)."""
    with np.errstate(over="ignore", invalid="ignore"):
        diff = np.where(got == rounded, 0.0, got - rounded)  # exact when got is near
        err = np.abs(diff - residual)
    return err / np.spacing(np.abs(rounded))


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_float64_accuracy_against_mpmath(name, references):
    fn = REFERENCES[name][0]
    rounded, residual, cond = references[name]
    err = ulp_error(fn(GRID), rounded, residual)
    allowed = ULP_BOUNDS[name] * cond  # cond is 1 except for gelu_grad and silu_grad
    worst = int(np.argmax(err / allowed))
    assert err[worst] <= allowed[worst], (
        f"{name}: {err[worst]:.2f} ulp (allowed {allowed[worst]:.1f}) at x = {GRID[worst]!r}")


def test_ulp_error_can_fail():
    """The measure itself: one ulp off is one ulp; the residual of the exact value counts."""
    one = np.array([1.0])
    assert ulp_error(one + EPS, one, np.zeros(1))[0] == 1.0
    assert ulp_error(one, one, np.array([EPS / 4]))[0] == pytest.approx(0.25)


# ----------------------------------------------------------------- known values

def test_textbook_values():
    assert A.sigmoid(0.0) == 0.5
    assert A.sigmoid_grad(0.0) == 0.25  # the peak: 1/4, not 0.3
    assert A.sigmoid_grad(40.0) == 4.248354255291589e-18  # not 0: no 1 - sigma cancellation
    assert A.tanh_grad(0.0) == 1.0
    assert A.tanh_grad(20.0) == pytest.approx(4 * math.exp(-40), rel=4 * EPS)
    assert A.softplus(0.0) == pytest.approx(math.log(2), rel=EPS)
    assert A.gelu(1.0) == pytest.approx(0.8413447460685429, rel=2 * EPS)
    assert A.selu(1.0) == A.SELU_LAMBDA
    assert A.selu(-np.inf) == pytest.approx(-A.SELU_LAMBDA * A.SELU_ALPHA, rel=2 * EPS)
    assert A.silu(1.0) == pytest.approx(1 / (1 + math.exp(-1)), rel=2 * EPS)
    assert A.elu(-1.0, alpha=2.0) == pytest.approx(2 * math.expm1(-1), rel=EPS)


def test_left_derivative_at_kinks():
    assert A.relu_grad(0.0) == 0.0
    assert A.leaky_relu_grad(0.0, alpha=0.2) == 0.2
    assert A.prelu_grad(0.0, alpha=0.3) == 0.3
    assert A.elu_grad(0.0, alpha=1.5) == 1.5
    assert A.selu_grad(0.0) == pytest.approx(A.SELU_LAMBDA * A.SELU_ALPHA, rel=EPS)
    assert A.rrelu_grad(0.0, lower=0.2, upper=0.4) == pytest.approx(0.3)


def test_piecewise_values():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(A.identity(x), x)
    np.testing.assert_array_equal(A.relu(x), [0, 0, 0, 0.5, 2])
    np.testing.assert_array_equal(A.leaky_relu(x, alpha=0.5), [-1, -0.25, 0, 0.5, 2])
    np.testing.assert_array_equal(A.leaky_relu(x, alpha=2.0), [-4, -1, 0, 0.5, 2])
    np.testing.assert_array_equal(A.leaky_relu(x, alpha=0.0), A.relu(x))
    np.testing.assert_array_equal(A.relu_grad(x), [0, 0, 0, 1, 1])
    np.testing.assert_array_equal(A.rrelu(x, lower=0.5, upper=0.5), [-1, -0.25, 0, 0.5, 2])
    np.testing.assert_array_equal(A.prelu_grad_alpha(x, alpha=0.1), [-2, -0.5, 0, 0, 0])


def test_identity_returns_a_copy():
    x = np.array([1.0, 2.0])
    y = A.identity(x)
    y[0] = 5.0
    assert x[0] == 1.0


def test_prelu_per_unit_alpha():
    x = np.array([[-1.0, -2.0, 3.0], [4.0, -5.0, -6.0]])
    alpha = np.array([0.1, 0.2, 0.3])
    np.testing.assert_allclose(A.prelu(x, alpha), [[-0.1, -0.4, 3.0], [4.0, -1.0, -1.8]])
    np.testing.assert_allclose(A.prelu_grad(x, alpha), [[0.1, 0.2, 1.0], [1.0, 0.2, 0.3]])
    np.testing.assert_array_equal(A.prelu_grad_alpha(x, alpha), [[-1, -2, 0], [0, -5, -6]])
    assert A.prelu_grad_alpha(x, alpha).shape == x.shape


def test_prelu_grad_alpha_matches_numerical_grad():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5, 3))
    alpha = np.array([0.1, 0.5, 0.9])
    numeric = numerical_grad(lambda a: A.prelu(x, a).sum(), alpha)
    np.testing.assert_allclose(A.prelu_grad_alpha(x, alpha).sum(axis=0), numeric, rtol=1e-8)
    numeric_scalar = numerical_grad(lambda a: A.prelu(x, a).sum(), np.array(0.3))
    assert A.prelu_grad_alpha(x, 0.3).sum() == pytest.approx(float(numeric_scalar), rel=1e-8)


def test_rrelu_training_draws_one_slope_per_element():
    x = -np.ones((200, 50))
    out = A.rrelu(x, lower=0.1, upper=0.4, training=True, rng=0)
    slopes = -out
    assert slopes.min() >= 0.1 and slopes.max() <= 0.4
    assert np.unique(slopes).size > 9_000  # per element, not one shared slope
    assert abs(slopes.mean() - 0.25) < 0.01  # uniform on [0.1, 0.4]
    np.testing.assert_array_equal(out, A.rrelu(x, 0.1, 0.4, training=True, rng=0))  # seeded
    gen = np.random.default_rng(0)
    np.testing.assert_array_equal(out, A.rrelu(x, 0.1, 0.4, training=True, rng=gen))
    positive = np.abs(np.random.default_rng(2).normal(size=100)) + 0.1
    np.testing.assert_array_equal(A.rrelu(positive, training=True, rng=3), positive)


def test_rrelu_evaluation_is_leaky_relu_with_the_mean_slope():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_array_equal(A.rrelu(x), A.leaky_relu(x, alpha=(1 / 8 + 1 / 3) / 2))
    np.testing.assert_array_equal(A.rrelu(x, training=False, rng=5), A.rrelu(x))


def test_maxout_values_and_shape():
    x = np.array([[1.0, 5.0, 2.0, -1.0, -3.0, -2.0], [0.0, 0.0, 0.0, 7.0, 8.0, 9.0]])
    np.testing.assert_array_equal(A.maxout(x, 3), [[5.0, -1.0], [0.0, 9.0]])
    np.testing.assert_array_equal(A.maxout(x, 2), [[5.0, 2.0, -2.0], [0.0, 7.0, 9.0]])
    np.testing.assert_array_equal(A.maxout(x, 1), x)
    assert A.maxout(np.zeros((4, 2, 6)), 3).shape == (4, 2, 2)


def test_maxout_grad_routes_to_first_argmax():
    x = np.array([[1.0, 5.0, 5.0, -1.0, -1.0, -1.0]])
    np.testing.assert_array_equal(A.maxout_grad(x, 3), [[0, 1, 0, 1, 0, 0]])
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3, 4, 12))
    mask = A.maxout_grad(x, 4)
    assert mask.shape == x.shape
    np.testing.assert_array_equal(mask.reshape(3, 4, 3, 4).sum(axis=-1), 1)
    np.testing.assert_array_equal((x * mask).reshape(3, 4, 3, 4).sum(axis=-1), A.maxout(x, 4))


def test_maxout_grad_matches_numerical_grad():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(4, 6))
    weights = rng.normal(size=(4, 2))
    numeric = numerical_grad(lambda v: float((A.maxout(v, 3) * weights).sum()), x)
    analytic = A.maxout_grad(x, 3) * np.repeat(weights, 3, axis=-1)
    assert gradient_relative_error(analytic, numeric) < 1e-8


# ----------------------------------------------------------------- derivatives vs numerical_grad

def pointwise_numerical_grad(fn, x: np.ndarray, **kwargs) -> np.ndarray:
    """numerical_grad at each point on its own (a sum over all points would add its rounding)."""
    return np.array([float(numerical_grad(lambda v: float(fn(v, **kwargs)), np.array(t)))
                     for t in x])


# Central differences with eps = 1e-6 carry an absolute error of about |f| 1e-16 / 1e-6
# (rounding) plus |third derivative| eps^2 / 6 (truncation): hence an absolute term next to the relative one.
@pytest.mark.parametrize("name", sorted(PAIRS))
def test_derivative_matches_numerical_grad(name):
    fn, grad, kwargs = PAIRS[name]
    x = np.linspace(-6, 6, 49) + 0.0123  # avoids the kinks at 0
    numeric = pointwise_numerical_grad(fn, x, **kwargs)
    np.testing.assert_allclose(grad(x, **kwargs), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", sorted(A.ACTIVATIONS))
def test_registry_grad_matches_numerical_grad(name):
    spec = A.ACTIVATIONS[name]
    x = np.linspace(-4, 4, 33) + 0.0071
    numeric = pointwise_numerical_grad(spec.fn, x, **spec.params)
    np.testing.assert_allclose(spec.grad(x, **spec.params), numeric, rtol=1e-7, atol=1e-9)


# ----------------------------------------------------------------- scipy cross-checks

X_WIDE = np.linspace(-745, 745, 3001)
X_MID = np.linspace(-8, 8, 1601)


def test_sigmoid_matches_scipy_expit():
    # expit flushes results below ~1e-308 to 0 where sigmoid keeps the subnormal value
    np.testing.assert_allclose(A.sigmoid(X_WIDE), sp.expit(X_WIDE), rtol=4 * EPS, atol=1e-307)


def test_softplus_matches_logaddexp():
    x = np.concatenate([X_WIDE, [-1e308, 1e308]])
    np.testing.assert_allclose(A.softplus(x), np.logaddexp(0.0, x), rtol=4 * EPS, atol=0)


def test_gelu_matches_scipy_erf_and_ndtr():
    erf_form = X_MID / 2 * (1 + sp.erf(X_MID / np.sqrt(2)))
    keep = X_MID > -3  # below, 1 + erf cancels: the reason gelu uses erfc/erfcx
    np.testing.assert_allclose(A.gelu(X_MID[keep]), erf_form[keep], rtol=1e-13, atol=0)
    np.testing.assert_allclose(A.gelu(X_MID), X_MID * sp.ndtr(X_MID), rtol=1e-13, atol=0)
    pdf = np.exp(-X_MID ** 2 / 2) / np.sqrt(2 * np.pi)
    np.testing.assert_allclose(A.gelu_grad(X_MID), sp.ndtr(X_MID) + X_MID * pdf, rtol=1e-12,
                               atol=1e-15)


def test_silu_and_tanh_grad_match_scipy_forms():
    np.testing.assert_allclose(A.silu(X_MID), X_MID * sp.expit(X_MID), rtol=4 * EPS, atol=1e-300)
    s = sp.expit(X_MID)
    np.testing.assert_allclose(A.silu_grad(X_MID), s + X_MID * s * (1 - s), rtol=1e-12, atol=1e-15)
    x = np.linspace(-300, 300, 1201)
    np.testing.assert_allclose(A.tanh_grad(x), 1 / np.cosh(x) ** 2, rtol=8 * EPS, atol=0)


def test_elu_selu_match_expm1_forms():
    x = np.linspace(-50, 5, 1101)
    expected = np.where(x > 0, x, 1.3 * sp.expm1(x))
    np.testing.assert_allclose(A.elu(x, alpha=1.3), expected, rtol=2 * EPS, atol=0)
    expected = A.SELU_LAMBDA * np.where(x > 0, x, A.SELU_ALPHA * sp.expm1(x))
    np.testing.assert_allclose(A.selu(x), expected, rtol=4 * EPS, atol=0)


# ----------------------------------------------------------------- property tests

finite = st.floats(min_value=-1e307, max_value=1e307, allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-30, max_value=30, allow_nan=False)


@given(finite)
def test_tanh_is_a_rescaled_sigmoid(x):
    # 2 sigma(2x) - 1 is only as good as sigma's absolute error (~2 eps) doubled plus the
    # subtraction's rounding: an absolute tolerance, since it cancels near 0.
    assert abs(A.tanh(x) - (2 * A.sigmoid(2 * x) - 1)) <= 6 * EPS


@given(finite)
def test_sigmoid_is_symmetric(x):
    assert abs(A.sigmoid(-x) - (1 - A.sigmoid(x))) <= 2 * EPS


@given(moderate)
def test_softplus_derivative_is_sigmoid(x):
    numeric = numerical_grad(lambda v: float(A.softplus(v)), np.array(x))
    assert float(numeric) == pytest.approx(float(A.sigmoid(x)), rel=1e-7, abs=1e-10)


@given(finite)
def test_softplus_difference_is_x(x):
    # softplus(x) - softplus(-x) = x; each term is within ~1 ulp of itself.
    assert abs(A.softplus(x) - A.softplus(-x) - x) <= 4 * EPS * max(1.0, abs(x))


@given(moderate)
def test_sigmoid_grad_is_product_form(x):
    s = A.sigmoid(x)
    assert A.sigmoid_grad(x) == pytest.approx(s * A.sigmoid(-x), rel=8 * EPS)


@given(st.floats(min_value=-700, max_value=700))
def test_silu_is_x_times_sigmoid(x):
    assert A.silu(x) == pytest.approx(x * A.sigmoid(x), rel=8 * EPS, abs=1e-300)


@given(st.floats(min_value=-0.5, max_value=0.5))
def test_tanh_grad_is_one_minus_tanh_squared_near_zero(x):
    assert A.tanh_grad(x) == pytest.approx(1 - A.tanh(x) ** 2, rel=4 * EPS)


MONOTONE = ["sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "selu", "softplus", "rrelu"]


@pytest.mark.parametrize("name", MONOTONE)
@given(finite, finite)
def test_monotone_activations_preserve_order(name, a, b):
    spec = A.ACTIVATIONS[name]
    lo, hi = min(a, b), max(a, b)
    assert spec.fn(lo, **spec.params) <= spec.fn(hi, **spec.params)


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=8).map(np.array),
       st.floats(0, 1), st.floats(0, 1), st.integers(0, 2**32 - 1))
def test_rrelu_training_slopes_stay_in_bounds(x, a, b, seed):
    lower, upper = min(a, b), max(a, b)
    out = A.rrelu(x, lower, upper, training=True, rng=seed)
    neg = x < 0
    np.testing.assert_array_equal(out[~neg], x[~neg])
    assert np.all(out[neg] <= lower * x[neg] * (1 - 4 * EPS))  # both negative: slope >= lower
    assert np.all(out[neg] >= upper * x[neg] * (1 + 4 * EPS))


# ----------------------------------------------------------------- extremes and NaN

EXTREMES = np.array([-np.inf, -1e308, -1.7976931348623157e308, -800.0, -5e-324, -0.0, 0.0,
                     5e-324, 800.0, 1e308, 1.7976931348623157e308, np.inf])
EXTREMES32 = np.array([-np.inf, -3.4e38, -100.0, -1e-45, 0.0, 1e-45, 100.0, 3.4e38, np.inf],
                      dtype=np.float32)


@pytest.mark.parametrize("name,fn,kwargs", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
@pytest.mark.parametrize("x", [EXTREMES, EXTREMES32], ids=["float64", "float32"])
def test_no_warning_and_no_nan_at_extremes(name, fn, kwargs, x):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = fn(x, **kwargs)
    assert not np.isnan(out).any(), f"{name} gave NaN at {x[np.isnan(out)]}"
    assert out.dtype == x.dtype


L_ = A.SELU_LAMBDA
LIMITS = {  # (value at -inf, value at +inf)
    "identity": (-np.inf, np.inf), "identity_grad": (1, 1),
    "sigmoid": (0, 1), "sigmoid_grad": (0, 0), "tanh": (-1, 1), "tanh_grad": (0, 0),
    "relu": (0, np.inf), "relu_grad": (0, 1),
    "leaky_relu": (-np.inf, np.inf), "leaky_relu_grad": (0.1, 1),
    "leaky_relu_steep": (-np.inf, np.inf), "leaky_relu_steep_grad": (3.0, 1),
    "prelu": (-np.inf, np.inf), "prelu_grad": (0.25, 1),
    "elu": (-0.7, np.inf), "elu_grad": (0, 1),
    "selu": (-L_ * A.SELU_ALPHA, np.inf), "selu_grad": (0, L_),
    "softplus": (0, np.inf), "softplus_grad": (0, 1), "gelu": (0, np.inf), "gelu_grad": (0, 1),
    "silu": (0, np.inf), "silu_grad": (0, 1), "rrelu": (-np.inf, np.inf), "rrelu_grad": (0.2, 1),
}


@pytest.mark.parametrize("name,fn,kwargs", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_limits_at_infinity(name, fn, kwargs):
    got = fn(np.array([-np.inf, np.inf]), **kwargs)
    np.testing.assert_allclose(got, LIMITS[name], rtol=2 * EPS)


@pytest.mark.parametrize("name,fn,kwargs", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_nan_propagates(name, fn, kwargs):
    out = fn(np.array([np.nan, 1.0, -1.0]), **kwargs)
    assert np.isnan(out[0]) and not np.isnan(out[1:]).any()
    assert np.isnan(fn(float("nan"), **kwargs))


def test_nan_in_maxout_group_wins_like_argmax():
    x = np.array([1.0, np.nan, 0.0, 2.0])
    out = A.maxout(x, 2)
    assert np.isnan(out[0]) and out[1] == 2.0
    np.testing.assert_array_equal(A.maxout_grad(x, 2), [0, 1, 0, 1])


def test_maxout_at_extremes():
    x = np.array([-np.inf, -1e308, 1e308, np.inf])
    np.testing.assert_array_equal(A.maxout(x, 2), [-1e308, np.inf])
    np.testing.assert_array_equal(A.maxout_grad(x, 2), [0, 1, 0, 1])


# ----------------------------------------------------------------- dtypes and input kinds

@pytest.mark.parametrize("name,fn,kwargs", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_dtype_rules(name, fn, kwargs):
    assert fn(np.linspace(-3, 3, 7, dtype=np.float32), **kwargs).dtype == np.float32
    assert fn(np.array([1, -2, 0], dtype=np.int64), **kwargs).dtype == np.float64
    assert fn(np.array([True, False]), **kwargs).dtype == np.float64
    assert fn(np.array([1.0], dtype=np.float16), **kwargs).dtype == np.float32
    listed = fn([-1, 0, 2], **kwargs)
    assert isinstance(listed, np.ndarray) and listed.dtype == np.float64
    scalar = fn(-1.5, **kwargs)
    assert isinstance(scalar, np.floating) and not isinstance(scalar, np.ndarray)
    assert isinstance(fn(np.float32(2.0), **kwargs), np.float32)
    assert fn(np.zeros((2, 0, 3)), **kwargs).shape == (2, 0, 3)


@pytest.mark.parametrize("name,fn,kwargs", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_float32_accuracy(name, fn, kwargs):
    """float32 results within a few float32 ulps of the float64 result on the same inputs."""
    x32 = np.concatenate([np.linspace(-88, 88, 1761), np.geomspace(1e-30, 1, 61)]).astype(np.float32)
    x32 = np.concatenate([x32, -x32])
    if name in ("gelu_grad", "silu_grad"):  # their roots' conditioning: see the float64 test
        x32 = x32[(x32 < -1.6) | (x32 > -0.5)]
    got = fn(x32, **kwargs).astype(np.float64)
    want = fn(x32.astype(np.float64), **kwargs)
    spacing = np.spacing(np.abs(want).astype(np.float32)).astype(np.float64)
    err = np.abs(got - want) / spacing
    assert err.max() <= 4, f"{name}: {err.max():.1f} float32 ulp at x = {x32[np.argmax(err)]}"


def test_maxout_dtypes():
    assert A.maxout(np.ones(4, dtype=np.float32), 2).dtype == np.float32
    assert A.maxout([1, 2, 3, 4], 2).dtype == np.float64
    assert A.maxout_grad(np.ones(4, dtype=np.float32), 2).dtype == np.float32


# ----------------------------------------------------------------- bad input

BAD_X = ["abc", None, [1 + 2j], np.array(["a", "b"]), [[1.0, 2.0], [3.0]], {"x": 1}]


@pytest.mark.parametrize("name,fn,kwargs", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
@pytest.mark.parametrize("bad", BAD_X, ids=["str", "None", "complex", "strings", "ragged", "dict"])
def test_non_numeric_x_is_a_type_error(name, fn, kwargs, bad):
    with pytest.raises(TypeError, match=r"\bx\b"):
        fn(bad, **kwargs)


@pytest.mark.parametrize("fn", [A.maxout, A.maxout_grad])
def test_maxout_bad_input(fn):
    with pytest.raises(TypeError, match=r"\bx\b"):
        fn("abc", 2)
    with pytest.raises(ValueError, match="divisible by pieces"):
        fn(np.zeros((2, 5)), 2)
    with pytest.raises(ValueError, match="pieces"):
        fn(np.zeros(4), 0)
    with pytest.raises(TypeError, match="pieces"):
        fn(np.zeros(4), 1.5)
    with pytest.raises(ValueError, match=r"\bx\b"):
        fn(3.0, 1)


@pytest.mark.parametrize("fn", [A.leaky_relu, A.leaky_relu_grad, A.elu, A.elu_grad,
                                A.prelu, A.prelu_grad, A.prelu_grad_alpha])
def test_negative_or_bad_alpha(fn):
    with pytest.raises(ValueError, match="alpha"):
        fn([1.0, -1.0], alpha=-0.1)
    with pytest.raises(ValueError, match="alpha"):
        fn([1.0, -1.0], alpha=float("nan"))
    with pytest.raises(TypeError, match="alpha"):
        fn([1.0, -1.0], alpha="0.1")
    with pytest.raises(TypeError, match="alpha"):
        fn([1.0, -1.0], alpha=None)


@pytest.mark.parametrize("fn", [A.prelu, A.prelu_grad, A.prelu_grad_alpha])
def test_per_unit_alpha_checks(fn):
    x = np.ones((4, 3))
    with pytest.raises(ValueError, match="alpha"):
        fn(x, np.array([0.1, -0.2, 0.3]))
    with pytest.raises(ValueError, match="alpha"):
        fn(x, np.array([0.1, 0.2]))  # wrong number of units
    with pytest.raises(ValueError, match="alpha"):
        fn(x, np.ones((4, 3)))  # one per unit, not one per element
    with pytest.raises(ValueError, match="alpha"):
        fn(x, np.array([0.1, np.nan, 0.3]))
    with pytest.raises(TypeError, match="alpha"):
        fn(x, ["a", "b", "c"])


@pytest.mark.parametrize("fn", [A.rrelu, A.rrelu_grad])
def test_rrelu_bounds_checks(fn):
    with pytest.raises(ValueError, match="lower must be <= upper"):
        fn([1.0], lower=0.5, upper=0.2)
    with pytest.raises(ValueError, match="lower"):
        fn([1.0], lower=-0.1, upper=0.2)
    with pytest.raises(TypeError, match="upper"):
        fn([1.0], lower=0.1, upper="big")


def test_rrelu_training_and_rng_checks():
    with pytest.raises(TypeError, match="training"):
        A.rrelu([1.0], training="yes")
    with pytest.raises(TypeError, match="rng"):
        A.rrelu([1.0], training=True, rng="seed")
    with pytest.raises(TypeError, match="rng"):
        A.rrelu([1.0], training=True, rng=1.5)


# ----------------------------------------------------------------- the registry

EXPECTED_KEYS = {"identity", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "selu",
                 "softplus", "gelu", "silu", "rrelu"}


def test_registry_keys_and_fields():
    assert set(A.ACTIVATIONS) == EXPECTED_KEYS
    names = [f.name for f in dataclasses.fields(A.ActivationSpec)]
    assert names == ["name", "fn", "grad", "latex", "params", "param_ranges", "kernel", "grad_kernel"]
    spec = A.ACTIVATIONS["leaky_relu"]
    assert spec.name == "Leaky ReLU" and spec.params == {"alpha": 0.01}
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.name = "other"


@pytest.mark.parametrize("key", sorted(EXPECTED_KEYS))
def test_registry_kernels_are_the_checked_functions_without_the_checks(key):
    spec = A.ACTIVATIONS[key]
    x = np.random.default_rng(3).normal(scale=4, size=(30, 5)).astype(np.float32)
    for kernel, checked in ((spec.kernel, spec.fn), (spec.grad_kernel, spec.grad)):
        out = kernel(x, **spec.params)
        assert out.dtype == np.float32
        np.testing.assert_array_equal(out, checked(x, **spec.params))
    with pytest.raises(TypeError, match="x"):
        spec.fn([1j], **spec.params)  # the checked function validates, the kernel need not


@pytest.mark.parametrize("key", sorted(EXPECTED_KEYS))
def test_registry_entry_is_consistent(key):
    spec = A.ACTIVATIONS[key]
    assert isinstance(spec.name, str) and spec.name
    assert isinstance(spec.latex, str) and spec.latex
    assert spec.fn is getattr(A, key) and spec.grad is getattr(A, f"{key}_grad")
    assert set(spec.param_ranges) == set(spec.params)
    signature = inspect.signature(spec.fn).parameters
    for param, default in spec.params.items():
        assert isinstance(default, float)
        lo, hi, step = spec.param_ranges[param]
        assert lo <= default <= hi and step > 0 and lo < hi
        if signature[param].default is not inspect.Parameter.empty:
            assert signature[param].default == default
        # every slider position is a valid parameter
        x = np.linspace(-2, 2, 5)
        for value in (lo, hi):
            assert np.all(np.isfinite(spec.fn(x, **{**spec.params, param: value})))


def test_registry_latex_is_drawable_by_matplotlib():
    from matplotlib.mathtext import MathTextParser
    parser = MathTextParser("path")
    for spec in A.ACTIVATIONS.values():
        parser.parse(f"${spec.latex}$")


def test_public_names_are_exported():
    import nbsupport
    for name in A.__all__:
        assert hasattr(A, name)
        assert getattr(nbsupport, name) is getattr(A, name)


@pytest.mark.parametrize("name,fn,kwargs", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_large_arrays_match_small_calls(name, fn, kwargs, dtype):
    """Arrays beyond one block (computed block by block) equal row-by-row results."""
    rng = np.random.default_rng(6)
    x = (rng.normal(scale=20, size=(7001, 7)).astype(dtype)).T  # non-contiguous, 49,007 values
    x[0, :5] = [np.nan, np.inf, -np.inf, 0.0, -0.0]
    got = fn(x, **kwargs)
    assert got.shape == x.shape and got.dtype == dtype
    np.testing.assert_array_equal(got, np.array([fn(row, **kwargs) for row in x]))


def test_every_parameter_has_a_slider_range_around_its_default():
    for name, spec in A.ACTIVATIONS.items():
        assert set(spec.param_ranges) == set(spec.params), name
        for param, (low, high, step) in spec.param_ranges.items():
            assert low <= spec.params[param] <= high and 0 < step < high - low, (name, param)

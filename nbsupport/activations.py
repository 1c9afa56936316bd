"""Activation functions and their derivatives, exact to a few ulps in float64.

Every function takes an array (or a list, or a scalar) and works elementwise, like a
NumPy ufunc: float32 in gives float32 out, integers and bools give float64, a scalar
gives a NumPy scalar, and NaN propagates.  Each activation ``f`` has ``f_grad``, its
derivative with respect to ``x``; at the kink of the ReLU family the *left*
derivative is used (``relu_grad(0) == 0``).

The formulas are written so that no finite input overflows or loses its digits:

- ``sigmoid`` computes ``exp`` only of ``-|x|``;
- ``tanh_grad`` is ``4 e / (1 + e)^2`` with ``e = exp(-2|x|)``, not ``1 - tanh(x)^2``,
  which cancels to 0 for large ``|x|``;
- ``elu``/``selu`` use ``expm1`` (``exp(x) - 1`` loses every digit near 0);
- ``softplus`` is ``max(x, 0) + log1p(exp(-|x|))``;
- ``gelu`` uses ``erfcx(t) exp(-x^2/2)`` in its negative tail, with x^2 carried in
  two doubles, so it keeps full accuracy down to the underflow threshold.

``ACTIVATIONS`` maps a name to an :class:`ActivationSpec` (function, derivative, LaTeX
formula, parameters and their slider ranges) for widgets and the MLP.

Settled cases (tested in ``tests/test_contract.py``):

- ``-0.0``: every function and derivative gives at -0.0 a value equal to its value at
  0.0.  Where that value is 0, functions computed as x times a factor (identity, tanh,
  leaky_relu, prelu, rrelu, gelu, silu) keep the sign of x, like NumPy's ``tanh``;
  relu, elu and selu, whose x > 0 branch is ``max(x, 0)``, give +0.0.
- Empty arrays map to empty arrays (a function of no elements is well defined); the
  losses refuse them instead.
- Parameters (``alpha``, ``lower``, ``upper``) must be finite: ``alpha=inf`` is a
  ValueError naming ``alpha``, not a NaN.
- float16 is computed and returned as float32, longdouble as float64; any memory
  layout and either byte order give the same values as a C-ordered native array.

Example
-------
>>> float(sigmoid(0.0)), float(relu_grad(0.0)), float(sigmoid_grad(40.0))
(0.5, 0.0, 4.248354255291589e-18)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import erfc, erfcx

from ._checks import (as_float_array, as_rng, blockwise, check_nonnegative, check_positive_int,
                      check_representable, elementwise, scalar_or_array)

__all__ = [
    "identity", "identity_grad", "sigmoid", "sigmoid_grad", "tanh", "tanh_grad",
    "relu", "relu_grad", "leaky_relu", "leaky_relu_grad", "prelu", "prelu_grad",
    "prelu_grad_alpha", "elu", "elu_grad", "selu", "selu_grad", "softplus",
    "softplus_grad", "gelu", "gelu_grad", "silu", "silu_grad", "rrelu", "rrelu_grad",
    "maxout", "maxout_grad", "ActivationSpec", "ACTIVATIONS", "SELU_LAMBDA", "SELU_ALPHA",
]

# SELU's constants (Klambauer et al., 2017) and their product, each correctly rounded.
SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_LAMBDA_ALPHA = 1.7580993408473768599402175208123

# 1/sqrt(2) and 1/sqrt(2 pi), correctly rounded.
_RSQRT2 = 0.7071067811865476
_INV_SQRT2PI = 0.3989422804014327
# GELU uses erfcx below this x: erfc is accurate above it, erfcx (loses a few ulps
# near 0) is accurate below it, where erfc is not.
_GELU_TAIL = -1.0
# Beyond |x| = 60 even exp(-x^2/4) underflows (exp(-900) == 0); clipping there keeps
# x*x finite without changing any result.
_GAUSS_CLIP = 60.0
_VELTKAMP = 134217729.0  # 2**27 + 1: splits a double into two 26-bit halves
_MAX64 = float(np.finfo(np.float64).max)
_MIN64 = -_MAX64


# ----------------------------------------------------------------- helpers

def _step(x: np.ndarray, left: float | np.ndarray, right: float) -> np.ndarray:
    """``right`` where x > 0, ``left`` where x <= 0, NaN where x is NaN (dtype of x).

    Arithmetic on the 0/1 mask (exact: one term is always 0) avoids np.where's slower selection.
    """
    positive = (x > 0).astype(x.dtype)
    out = np.asarray(positive * right + (1 - positive) * left)  # 0-d stays an array
    np.copyto(out, x, where=np.isnan(x))
    return out


def _leaky(x: np.ndarray, alpha: float | np.ndarray) -> np.ndarray:
    """x where x > 0, alpha * x elsewhere (NaN kept; 0 * -inf taken as its limit 0)."""
    if np.ndim(alpha) == 0:
        if alpha == 0:
            return np.maximum(x, 0)
        if alpha <= 1:
            return np.maximum(x, alpha * x)
        with np.errstate(over="ignore"):  # alpha * x overflows only where the true value does
            return np.minimum(x, alpha * x)
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = alpha * x
    scaled = np.where(alpha == 0, 0, scaled).astype(x.dtype, copy=False)
    return np.where(x <= 0, scaled, x)


def _square(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a * a = p + err exactly (Dekker's product); needs |a| far below 1e150."""
    p = a * a
    c = _VELTKAMP * a
    a_hi = c - (c - a)
    a_lo = a - a_hi
    err = ((a_hi * a_hi - p) + 2.0 * a_hi * a_lo) + a_lo * a_lo
    return p, err


def _gauss(x: np.ndarray, scale: float = 0.5) -> np.ndarray:
    """exp(-scale x^2) for float64 x, with x^2 carried in two doubles.

    exp amplifies the rounding of x^2 by scale x^2 (700 ulps at x = 37 for scale 1/2);
    the exact square hi + lo gives exp(-scale hi) (1 - scale lo) instead.
    """
    clipped = np.clip(x, -_GAUSS_CLIP, _GAUSS_CLIP)
    sq, sq_err = _square(clipped)
    e = np.exp(-scale * sq)
    return e - e * (scale * sq_err)


def _slope(value: object, name: str) -> float:
    """A finite scalar slope >= 0 as a float (a 0-d array counts as a scalar)."""
    return check_nonnegative(value, name)


def _check_alpha(alpha: object, x: np.ndarray) -> float | np.ndarray:
    """A scalar alpha >= 0 (as float) or one alpha >= 0 per unit of x's last axis."""
    if np.ndim(alpha) == 0:
        alpha = _slope(alpha, "alpha")
        check_representable(alpha, x.dtype, "alpha")
        return alpha
    if np.asarray(alpha).dtype.kind == "b":
        raise TypeError("alpha must hold real numbers, got booleans")
    arr = as_float_array(alpha, "alpha")
    units = x.shape[-1] if x.ndim else None
    if arr.shape != (units,):
        raise ValueError(f"alpha must be a scalar or have one value per unit of x's last axis, "
                         f"shape ({units},), got shape {arr.shape}")
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise ValueError("alpha must be finite and >= 0 for every unit")
    if arr.size and arr.max() > np.finfo(x.dtype).max:
        raise ValueError(f"alpha has slopes beyond the range of x's dtype {x.dtype.name}")
    rounded = arr.astype(x.dtype, copy=False)
    if ((rounded == 0) & (arr != 0)).any():  # as for a scalar alpha (check_representable)
        raise ValueError(f"alpha has nonzero slopes that round to 0 in x's dtype {x.dtype.name}")
    return rounded


def _check_bounds(lower: object, upper: object) -> tuple[float, float]:
    lower = _slope(lower, "lower")
    upper = _slope(upper, "upper")
    if lower > upper:
        raise ValueError(f"lower must be <= upper, got lower={lower!r} > upper={upper!r}")
    return lower, upper


# ----------------------------------------------------------------- kernels
# Elementwise formulas on validated float arrays, applied through blockwise().

def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def _negative_part(x: np.ndarray) -> np.ndarray:
    return np.minimum(x, 0)


def _ones(x: np.ndarray) -> np.ndarray:
    """1 everywhere, NaN where x is NaN."""
    out = np.ones_like(x)
    np.copyto(out, x, where=np.isnan(x))
    return out


def _relu_grad(x: np.ndarray) -> np.ndarray:
    """1 where x > 0, 0 elsewhere, NaN where x is NaN (one pass for the mask)."""
    out = np.asarray((x > 0).astype(x.dtype))  # asarray: 0-d input stays an array
    np.copyto(out, x, where=np.isnan(x))
    return out


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # exp(min(x, 0)) / (1 + exp(-|x|)) with in-place temporaries; two exps beat choosing
    # the numerator per element (np.where on random signs mispredicts its branches)
    den = np.abs(x, out=np.empty_like(x))  # an array also for 0-d x
    np.exp(np.negative(den, out=den), out=den)
    den += 1
    out = np.minimum(x, 0, out=np.empty_like(x))
    np.exp(out, out=out)
    out /= den
    return out


def _sigmoid_grad(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))
    den = 1 + e
    return e / den / den


def _tanh_grad(x: np.ndarray) -> np.ndarray:
    e = np.exp(-2 * np.minimum(np.abs(x), 1000))  # beyond 1000, e == 0 anyway; 2|x| stays finite
    den = 1 + e
    return 4 * e / den / den


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _elu(x: np.ndarray, alpha: float) -> np.ndarray:
    # one side is exactly 0, so the sum is exact: x for x > 0, alpha expm1(x) otherwise
    return np.maximum(x, 0) + alpha * np.expm1(np.minimum(x, 0))


def _elu_grad(x: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(x > 0, 1, alpha * np.exp(np.minimum(x, 0)))


def _selu(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # lambda * x > max only where the exact value is too
        positive = SELU_LAMBDA * np.maximum(x, 0)
    return positive + _SELU_LAMBDA_ALPHA * np.expm1(np.minimum(x, 0))


def _selu_grad(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, SELU_LAMBDA, _SELU_LAMBDA_ALPHA * np.exp(np.minimum(x, 0)))


def _gelu(x: np.ndarray) -> np.ndarray:
    x64 = x.astype(np.float64, copy=False)
    out = np.empty_like(x64)
    tail = x64 < _GELU_TAIL
    t = np.maximum(x64[tail], _MIN64)  # -inf -> -max: the limit 0, not -inf * 0
    out[tail] = (0.5 * t * erfcx(t * -_RSQRT2)) * _gauss(t)
    m = x64[~tail]
    out[~tail] = 0.5 * m * erfc(m * -_RSQRT2)
    return out.astype(x.dtype, copy=False)


def _gelu_grad(x: np.ndarray) -> np.ndarray:
    x64 = x.astype(np.float64, copy=False)
    out = np.empty_like(x64)
    tail = x64 < _GELU_TAIL
    t = np.maximum(x64[tail], _MIN64)
    bracket = 0.5 * erfcx(t * -_RSQRT2) + t * _INV_SQRT2PI
    # Below x = -37.5, exp(-x^2/2) is subnormal and the bracket (~|x|/2.5) would magnify
    # its lost digits: multiply by exp(-x^2/4) twice instead, rounding once at the end.
    root = _gauss(t, 0.25)
    out[tail] = np.where(t < -37.5, (bracket * root) * root, bracket * _gauss(t))
    m = np.minimum(x64[~tail], _MAX64)  # +inf -> max: inf * phi would be inf * 0
    out[~tail] = 0.5 * erfc(m * -_RSQRT2) + (m * _INV_SQRT2PI) * _gauss(m)
    return out.astype(x.dtype, copy=False)


def _leaky_grad(x: np.ndarray, alpha: float) -> np.ndarray:
    return _step(x, alpha, 1.0)


def _rrelu_eval(x: np.ndarray, lower: float, upper: float) -> np.ndarray:
    return _leaky(x, _midpoint(lower, upper))


def _rrelu_eval_grad(x: np.ndarray, lower: float, upper: float) -> np.ndarray:
    return _step(x, _midpoint(lower, upper), 1.0)


def _midpoint(lower: float, upper: float) -> float:
    """(lower + upper) / 2, rounded once, also where lower + upper would overflow."""
    return 0.5 * lower + 0.5 * upper


def _sigmoid_halves(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """g = exp(min(x, 0)/2), gp = exp(-max(x, 0)/2) and den = 1 + exp(-|x|), for SiLU.

    sigmoid(x) = g^2 / den and sigmoid(-x) = gp^2 / den; multiplying by g (or gp) twice
    keeps every intermediate a normal number until the last product, so x sigmoid(x)
    stays accurate where exp(-|x|) itself would be subnormal (x < -708).
    """
    g = np.exp(0.5 * np.minimum(x, 0))    # exp(x/2) for x < 0, else 1
    gp = np.exp(-0.5 * np.maximum(x, 0))  # exp(-x/2) for x > 0, else 1
    h = g * gp                            # exp(-|x|/2), exactly (one factor is 1)
    return g, gp, 1 + h * h


def _silu(x: np.ndarray) -> np.ndarray:
    g, _, den = _sigmoid_halves(x)
    finite = np.maximum(x, np.finfo(x.dtype).min)  # silu(-inf) = 0, not -inf * 0
    return (finite * g) * (g / den)


def _silu_grad(x: np.ndarray) -> np.ndarray:
    # sigmoid(x) (1 + x sigmoid(-x)); for x < 0 the bracket is 1 + x / den, one rounding,
    # which matters near the root x = -1.28 where the bracket cancels.
    g, gp, den = _sigmoid_halves(x)
    info = np.finfo(x.dtype)
    finite = np.clip(x, info.min, info.max)
    return (g * (1 + finite * gp * gp / den)) * (g / den)


# ----------------------------------------------------------------- activations

def identity(x: ArrayLike) -> np.ndarray:
    """f(x) = x (a copy, as a float array).

    >>> identity([1, -2])
    array([ 1., -2.])
    """
    return elementwise(np.copy, x, blocks=False)


def identity_grad(x: ArrayLike) -> np.ndarray:
    """f'(x) = 1.

    >>> identity_grad([3.0, -1.0])
    array([1., 1.])
    """
    return elementwise(_ones, x, blocks=False)


def sigmoid(x: ArrayLike) -> np.ndarray:
    """Logistic sigmoid, sigma(x) = 1 / (1 + exp(-x)).

    Computed as exp(min(x, 0)) / (1 + exp(-|x|)), which is 1/(1+e) for x >= 0 and
    e/(1+e) for x < 0 with e = exp(-|x|): exp never overflows and sigma(-745) keeps
    its digits.

    >>> sigmoid([0.0, -800.0, 800.0])
    array([0.5, 0. , 1. ])
    """
    return elementwise(_sigmoid, x)


def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    """sigma'(x) = sigma(x) (1 - sigma(x)) = e / (1 + e)^2 with e = exp(-|x|).

    >>> float(sigmoid_grad(0.0)), float(sigmoid_grad(40.0))
    (0.25, 4.248354255291589e-18)
    """
    return elementwise(_sigmoid_grad, x)


def tanh(x: ArrayLike) -> np.ndarray:
    """Hyperbolic tangent, tanh(x) = (e^x - e^-x) / (e^x + e^-x) (NumPy's ``tanh``).

    >>> tanh([0.0, 1000.0])
    array([0., 1.])
    """
    return elementwise(np.tanh, x, blocks=False)


def tanh_grad(x: ArrayLike) -> np.ndarray:
    """tanh'(x) = 1 - tanh(x)^2 = sech(x)^2 = 4 e / (1 + e)^2 with e = exp(-2|x|).

    The last form keeps full relative accuracy where 1 - tanh^2 cancels to 0.

    >>> float(tanh_grad(0.0)), float(tanh_grad(20.0))
    (1.0, 1.6993417021166355e-17)
    """
    return elementwise(_tanh_grad, x)


def relu(x: ArrayLike) -> np.ndarray:
    """ReLU, f(x) = max(0, x).

    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    """
    return elementwise(_relu, x, blocks=False)


def relu_grad(x: ArrayLike) -> np.ndarray:
    """f'(x) = 1 for x > 0, 0 for x <= 0 (left derivative at the kink).

    >>> relu_grad([-1.0, 0.0, 2.0])
    array([0., 0., 1.])
    """
    return elementwise(_relu_grad, x, blocks=False)


def leaky_relu(x: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU, f(x) = x for x > 0, alpha x for x <= 0 (alpha >= 0).

    >>> leaky_relu([-100.0, 2.0])
    array([-1.,  2.])
    """
    return elementwise(_leaky, x, alpha=_slope(alpha, "alpha"))


def leaky_relu_grad(x: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """f'(x) = 1 for x > 0, alpha for x <= 0 (left derivative at the kink).

    >>> leaky_relu_grad([-1.0, 0.0, 1.0], alpha=0.1)
    array([0.1, 0.1, 1. ])
    """
    return elementwise(_leaky_grad, x, alpha=_slope(alpha, "alpha"))


def prelu(x: ArrayLike, alpha: float | ArrayLike) -> np.ndarray:
    """Parametric ReLU: x for x > 0, alpha x for x <= 0; alpha (>= 0) is learned.

    ``alpha`` is a scalar or one slope per unit (shape ``(x.shape[-1],)``).

    >>> prelu([[-1.0, -1.0]], alpha=[0.1, 0.5])
    array([[-0.1, -0.5]])
    """
    alpha = _check_alpha(alpha, as_float_array(x, "x"))
    # one slope per unit broadcasts along the last axis, so it is not cut into blocks
    return elementwise(_leaky, x, blocks=not np.ndim(alpha), alpha=alpha)


def prelu_grad(x: ArrayLike, alpha: float | ArrayLike) -> np.ndarray:
    """d f / d x = 1 for x > 0, alpha for x <= 0 (per unit if alpha is per unit).

    >>> prelu_grad([[-1.0, 2.0]], alpha=[0.1, 0.5])
    array([[0.1, 1. ]])
    """
    alpha = _check_alpha(alpha, as_float_array(x, "x"))
    return elementwise(_leaky_grad, x, blocks=not np.ndim(alpha), alpha=alpha)


def prelu_grad_alpha(x: ArrayLike, alpha: float | ArrayLike) -> np.ndarray:
    """d f / d alpha = x for x <= 0, 0 for x > 0, elementwise (shaped like x).

    For a per-unit alpha, summing this over every axis but the last gives the
    gradient of ``sum(prelu(x, alpha))`` with respect to alpha.

    >>> prelu_grad_alpha([-2.0, 3.0], alpha=0.25)
    array([-2.,  0.])
    """
    _check_alpha(alpha, as_float_array(x, "x"))
    return elementwise(_negative_part, x, blocks=False)


def elu(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """ELU: x for x > 0, alpha (e^x - 1) for x <= 0, with ``expm1`` (alpha >= 0).

    >>> elu([-1000.0, 0.0, 2.0])
    array([-1.,  0.,  2.])
    """
    return elementwise(_elu, x, alpha=_slope(alpha, "alpha"))


def elu_grad(x: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """f'(x) = 1 for x > 0, alpha e^x for x <= 0 (left derivative alpha at 0).

    >>> elu_grad([-1000.0, 0.0, 2.0], alpha=2.0)
    array([0., 2., 1.])
    """
    return elementwise(_elu_grad, x, alpha=_slope(alpha, "alpha"))


def selu(x: ArrayLike) -> np.ndarray:
    """SELU: lambda x for x > 0, lambda alpha (e^x - 1) for x <= 0.

    lambda = 1.0507..., alpha = 1.6733... make zero-mean unit-variance inputs keep
    those moments through the layer.

    >>> selu([0.0, 1.0])
    array([0.        , 1.05070099])
    """
    return elementwise(_selu, x)


def selu_grad(x: ArrayLike) -> np.ndarray:
    """f'(x) = lambda for x > 0, lambda alpha e^x for x <= 0.

    >>> selu_grad([1.0])
    array([1.05070099])
    """
    return elementwise(_selu_grad, x)


def softplus(x: ArrayLike) -> np.ndarray:
    """softplus(x) = log(1 + e^x) = max(x, 0) + log1p(exp(-|x|)).

    >>> softplus([-1000.0, 1000.0]), float(softplus(0.0))
    (array([   0., 1000.]), 0.6931471805599453)
    """
    return elementwise(_softplus, x)


def softplus_grad(x: ArrayLike) -> np.ndarray:
    """softplus'(x) = sigmoid(x).

    >>> float(softplus_grad(0.0))
    0.5
    """
    return sigmoid(x)


def gelu(x: ArrayLike) -> np.ndarray:
    """GELU, exact form: x Phi(x) = x/2 (1 + erf(x/sqrt 2)) = x/2 erfc(-x/sqrt 2).

    For x >= -1 this is x/2 erfc(-x/sqrt 2).  Below, where 1 + erf cancels and SciPy's
    erfc loses ~100 ulps and underflows early, it is x/2 erfcx(-x/sqrt 2) exp(-x^2/2)
    (erfcx is accurate there and barely sensitive to the rounding of x/sqrt 2; exp's
    argument is carried in two doubles).  float32 input is computed in float64 and
    rounded once.

    >>> gelu([0.0, 1.0, -10.0])
    array([ 0.00000000e+00,  8.41344746e-01, -7.61985302e-23])
    """
    return elementwise(_gelu, x)


def gelu_grad(x: ArrayLike) -> np.ndarray:
    """GELU'(x) = Phi(x) + x phi(x), phi the standard normal density.

    For x < -1 this is (erfcx(t)/2 + x/sqrt(2 pi)) exp(-x^2/2), t = -x/sqrt 2, whose
    bracket does not cancel; near the root x = -0.75 the sum cancels as the
    function's conditioning says.

    >>> float(gelu_grad(0.0))
    0.5
    """
    return elementwise(_gelu_grad, x)


def silu(x: ArrayLike) -> np.ndarray:
    """SiLU (swish), f(x) = x sigmoid(x).

    Computed as (x g)(g / (1 + e)) with g = exp(min(x, 0)/2) and e = exp(-|x|), so no
    intermediate goes subnormal before the last product.

    >>> silu([0.0, -1000.0, 1000.0])
    array([   0.,   -0., 1000.])
    """
    return elementwise(_silu, x)


def silu_grad(x: ArrayLike) -> np.ndarray:
    """f'(x) = sigmoid(x) (1 + x sigmoid(-x)), both sigmoids computed directly.

    >>> float(silu_grad(0.0))
    0.5
    """
    return elementwise(_silu_grad, x)


def rrelu(x: ArrayLike, lower: float = 1 / 8, upper: float = 1 / 3, training: bool = False,
          rng: int | np.random.Generator | None = None) -> np.ndarray:
    """Randomized leaky ReLU: x for x > 0, a x for x <= 0.

    In training each element draws its own slope a ~ U[lower, upper] (from ``rng``, an
    int seed or a Generator); in evaluation a = (lower + upper) / 2.

    >>> rrelu([-3.0, 1.0], lower=0.0, upper=1.0)
    array([-1.5,  1. ])
    """
    lower, upper = _check_bounds(lower, upper)
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"training must be True or False, got {type(training).__name__}")
    generator = as_rng(rng)
    if not training:
        return elementwise(_rrelu_eval, x, lower=lower, upper=upper)
    x_arr = as_float_array(x, "x")
    for value, name in ((lower, "lower"), (upper, "upper")):
        check_representable(value, x_arr.dtype, name)
    slopes = generator.uniform(lower, upper, size=x_arr.shape).astype(x_arr.dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = slopes * x_arr
    scaled = np.where(slopes == 0, 0, scaled).astype(x_arr.dtype, copy=False)
    return scalar_or_array(np.where(x_arr <= 0, scaled, x_arr), x)


def rrelu_grad(x: ArrayLike, lower: float = 1 / 8, upper: float = 1 / 3) -> np.ndarray:
    """Derivative of evaluation-mode RReLU: 1 for x > 0, (lower + upper) / 2 for x <= 0.

    >>> rrelu_grad([-1.0, 1.0], lower=0.0, upper=1.0)
    array([0.5, 1. ])
    """
    lower, upper = _check_bounds(lower, upper)
    return elementwise(_rrelu_eval_grad, x, lower=lower, upper=upper)


def _groups(x: ArrayLike, pieces: int) -> tuple[np.ndarray, np.ndarray]:
    """x as an array and reshaped to (..., units, pieces), after checking the width."""
    x_arr = as_float_array(x, "x")
    pieces = check_positive_int(pieces, "pieces")
    if x_arr.ndim == 0:
        raise ValueError("x must have at least one axis (units * pieces values on the last)")
    width = x_arr.shape[-1]
    if width % pieces:
        raise ValueError(f"the last axis of x (width {width}) must be divisible by pieces={pieces}")
    return x_arr, x_arr.reshape(*x_arr.shape[:-1], width // pieces, pieces)


def maxout(x: ArrayLike, pieces: int) -> np.ndarray:
    """Maxout: out[..., j] = max(x[..., j*pieces:(j+1)*pieces]).

    >>> maxout([[1.0, 5.0, -2.0, -1.0]], pieces=2)
    array([[ 5., -1.]])
    """
    _, groups = _groups(x, pieces)
    return groups.max(axis=-1)


def maxout_grad(x: ArrayLike, pieces: int) -> np.ndarray:
    """d out / d x as a 0/1 mask shaped like x: 1 at each group's argmax (first on ties).

    A NaN counts as the maximum of its group, as in ``np.argmax``.

    >>> maxout_grad([[1.0, 5.0, -1.0, -1.0]], pieces=2)
    array([[0., 1., 1., 0.]])
    """
    x_arr, groups = _groups(x, pieces)
    mask = np.zeros_like(groups)
    if groups.size:
        np.put_along_axis(mask, groups.argmax(axis=-1)[..., None], 1, axis=-1)
    return mask.reshape(x_arr.shape)


# ----------------------------------------------------------------- registry

@dataclass(frozen=True)
class ActivationSpec:
    """One activation for widgets and the MLP.

    ``fn(x, **params)`` and ``grad(x, **params)`` work with the default ``params``;
    ``param_ranges[name] = (min, max, step)`` is the slider of each parameter (the
    default lies inside it; views read it to build their controls).

    ``kernel`` and ``grad_kernel`` are the unchecked formulas behind ``fn`` and ``grad``
    (which validate, then call them): for a float array ``x`` and parameters already
    checked by one call of ``fn``, ``kernel(x, **params)`` gives the same values without
    the checks.  The MLP's layers call them once per batch.
    """

    name: str
    fn: Callable[..., np.ndarray]
    grad: Callable[..., np.ndarray]
    latex: str
    params: dict[str, float] = field(default_factory=dict)
    param_ranges: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    kernel: Callable[..., np.ndarray] | None = None
    grad_kernel: Callable[..., np.ndarray] | None = None


ACTIVATIONS: dict[str, ActivationSpec] = {
    "identity": ActivationSpec("Identity", identity, identity_grad, r"x", kernel=np.copy, grad_kernel=_ones),
    "sigmoid": ActivationSpec("Sigmoid", sigmoid, sigmoid_grad, r"\frac{1}{1 + e^{-x}}",
                              kernel=_sigmoid, grad_kernel=_sigmoid_grad),
    "tanh": ActivationSpec("Tanh", tanh, tanh_grad, r"\tanh(x)", kernel=np.tanh, grad_kernel=_tanh_grad),
    "relu": ActivationSpec("ReLU", relu, relu_grad, r"\max(0, x)", kernel=_relu, grad_kernel=_relu_grad),
    "leaky_relu": ActivationSpec("Leaky ReLU", leaky_relu, leaky_relu_grad, r"\max(\alpha x, x)",
                                 {"alpha": 0.01}, {"alpha": (0.0, 0.5, 0.01)},
                                 kernel=_leaky, grad_kernel=_leaky_grad),
    "prelu": ActivationSpec("PReLU", prelu, prelu_grad, r"\max(\alpha x, x),\ \alpha\ \mathrm{learned}",
                            {"alpha": 0.25}, {"alpha": (0.0, 1.0, 0.05)},
                            kernel=_leaky, grad_kernel=_leaky_grad),
    "elu": ActivationSpec("ELU", elu, elu_grad, r"x\ (x > 0),\quad \alpha(e^{x} - 1)\ (x \leq 0)",
                          {"alpha": 1.0}, {"alpha": (0.0, 3.0, 0.1)}, kernel=_elu, grad_kernel=_elu_grad),
    "selu": ActivationSpec("SELU", selu, selu_grad,
                           r"\lambda x\ (x > 0),\quad \lambda\alpha(e^{x} - 1)\ (x \leq 0)",
                           kernel=_selu, grad_kernel=_selu_grad),
    "softplus": ActivationSpec("Softplus", softplus, softplus_grad, r"\ln(1 + e^{x})",
                               kernel=_softplus, grad_kernel=_sigmoid),
    "gelu": ActivationSpec("GELU", gelu, gelu_grad,
                           r"x\,\Phi(x) = \frac{x}{2}\left(1 + \mathrm{erf}(x/\sqrt{2})\right)",
                           kernel=_gelu, grad_kernel=_gelu_grad),
    "silu": ActivationSpec("SiLU", silu, silu_grad, r"x\,\sigma(x) = \frac{x}{1 + e^{-x}}",
                           kernel=_silu, grad_kernel=_silu_grad),
    "rrelu": ActivationSpec("RReLU (evaluation)", rrelu, rrelu_grad,
                            r"x\ (x > 0),\quad \frac{l + u}{2}\,x\ (x \leq 0)",
                            {"lower": 1 / 8, "upper": 1 / 3},
                            {"lower": (0.0, 0.3, 0.01), "upper": (0.3, 1.0, 0.01)},
                            kernel=_rrelu_eval, grad_kernel=_rrelu_eval_grad),
}

"""Network diagnostics: dead units, saturated units, per-layer statistics, deep-signal probes.

The one home of these concepts; views draw what this module computes, and exercises
check answers against it.  Pure NumPy (no matplotlib, no widgets).

Definitions (each threshold a named, documented parameter)
----------------------------------------------------------
dead unit
    A unit is *dead on a batch* when its pre-activation z is <= 0 for every sample
    (z of shape (samples, units)).  Behind a ReLU its output and its gradient are then
    0 on the whole batch, so no weight update reaches it (ReLU'(0) = 0, so z = 0 counts).
saturated unit
    A value z is *saturated* when f'(z) < ``share`` * max f', with
    ``share`` = :data:`SATURATION_SHARE` = 0.05 by default: the unit passes on less than
    5 % of the largest slope it can have.  Saturation is defined for the activations
    whose slope vanishes at both ends (:data:`SATURATING`: sigmoid, max s' = 1/4, and
    tanh, max tanh' = 1); there it is the same as |z| > :func:`saturation_bound`.
    The ReLU family never saturates for z > 0: :func:`saturated_share` gives NaN for
    it (its failure mode is a dead unit) and :func:`saturated_mask` raises ValueError.

Per-layer statistics
    :func:`layer_stats` turns the records of an :class:`nbsupport.mlp.MLP` pass
    (``forward(X, record=True)``, ``backward(y, record=True)``) into one
    :class:`LayerStats` row per layer; :func:`signal_stats` does the same for a
    deep-signal probe.
Deep-signal probes
    :func:`propagate` sends a batch through a stack of square dense layers (the layers
    of :mod:`nbsupport.mlp`, no bias) and a given gradient back down: the experiment of
    Glorot & Bengio (2010) on what the initialization does to the signal
    (:func:`propagate_forward` and :func:`propagate_backward` are its two halves).
    :func:`depth_profile` runs one recorded pass through a random :class:`~nbsupport.mlp.MLP`
    and returns the weight-gradient norm and mean slope f'(z) of every hidden layer.

Example
-------
>>> import numpy as np
>>> z = np.array([[1.0, -1.0, 0.0], [-2.0, -0.5, 0.0]])
>>> dead_units(z).tolist(), dead_share(z)
([False, True, True], 0.6666666666666666)
>>> saturated_share(np.array([0.0, 3.0, 6.0]), "sigmoid")   # |z| > 4.357 only
0.3333333333333333
"""
from __future__ import annotations

import math
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from . import init as _init
from ._checks import (as_float_array, check_nonempty, check_nonnegative, check_nonnegative_int, check_positive,
                      check_positive_int, check_scalar, power_of_two_scale, scale_safe, sqrt_tiny)
from .activations import ACTIVATIONS
from .mlp import MLP, Activation, Dense, LayerRecord

__all__ = ["SATURATION_SHARE", "SATURATING", "ZERO_BELOW", "dead_units", "dead_share",
           "active_fraction", "sigmoid_grad_crossing", "saturation_bound", "saturated_mask",
           "saturated_share", "LayerStats", "layer_stats", "signal_stats", "format_layer_stats",
           "Signal", "PROBE_WIDTH", "PROBE_SAMPLES", "probe_inputs", "probe_weights", "propagate",
           "propagate_forward", "propagate_backward", "backward_with_slopes",
           "activation_std_ratio", "DepthProfile", "peak_slope", "depth_profile", "mean_std",
           "root_sum_squares"]

#: Default share of the largest slope below which a value counts as saturated.
SATURATION_SHARE = 0.05
#: Activations whose slope vanishes at both ends; their largest slope is f'(0) (:func:`peak_slope`).
SATURATING = ("sigmoid", "tanh")
#: Activations that output 0 with slope 0 wherever z <= 0: dead units and exact zeros mean
#: a stopped gradient there (for leaky ReLU, ELU, ... z <= 0 still passes a gradient).
ZERO_BELOW = ("relu",)
#: Width and batch size of the deep-signal probe (Glorot & Bengio's experiment).
PROBE_WIDTH, PROBE_SAMPLES = 100, 1000


# ----------------------------------------------------------------------------------------
# Dead units
# ----------------------------------------------------------------------------------------

def _batch(z: ArrayLike, name: str = "z") -> np.ndarray:
    z = np.asarray(z)
    if z.dtype != bool:
        z = as_float_array(z, name)  # real numbers only: complex or text is a TypeError naming z
    if z.ndim != 2:
        raise ValueError(f"{name} must have shape (samples, units), got shape {z.shape}")
    if z.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample")
    return z


def active_fraction(z: ArrayLike) -> np.ndarray:
    """Per unit (column), the fraction of the samples (rows) with z > 0.

    ``z`` may also be boolean (True = active).

    >>> active_fraction(np.array([[1.0, -1.0], [-2.0, 0.0]])).tolist()
    [0.5, 0.0]
    """
    z = _batch(z)
    return np.count_nonzero(z if z.dtype == bool else z > 0, axis=0) / z.shape[0]


def dead_units(z: ArrayLike) -> np.ndarray:
    """Per unit, True when its pre-activation is <= 0 on every sample of the batch.

    ``z`` has shape (samples, units).  Formula: dead_j = all_i (z_ij <= 0).

    >>> dead_units(np.array([[1.0, -1.0], [-2.0, 0.0]])).tolist()
    [False, True]
    """
    z = _batch(z)
    return ~np.any(z > 0, axis=0)


def dead_share(z: ArrayLike) -> float:
    """Share (0-1) of the units of ``z`` (samples, units) that are dead on the batch.

    >>> dead_share(np.array([[1.0, -1.0], [-2.0, 0.0]]))
    0.5
    """
    return float(np.mean(dead_units(z)))


# ----------------------------------------------------------------------------------------
# Saturation
# ----------------------------------------------------------------------------------------

def sigmoid_grad_crossing(level: float) -> float:
    """The x > 0 where s'(x) = s(x)(1 - s(x)) equals ``level`` (0 < level <= 1/4).

    Solving s(1 - s) = level gives (2s - 1)^2 = 1 - 4 level, so x = log(s / (1 - s))
    = 2 atanh(sqrt(1 - 4 level)), evaluated without cancellation (see
    :func:`_sigmoid_share_crossing`).

    >>> round(sigmoid_grad_crossing(0.25), 12)
    0.0
    >>> round(sigmoid_grad_crossing(1e-2), 3)
    4.585
    """
    level = check_scalar(level, "level")
    if not 0 < level <= 0.25:
        raise ValueError(f"level must lie in (0, 1/4], got {level!r}")
    return _sigmoid_share_crossing(4.0 * level)  # exact: a power of two


def _sigmoid_share_crossing(share: float) -> float:
    """The x > 0 where s'(x) = ``share`` * s'(0) = share / 4, for 0 < share <= 1.

    (2s - 1)^2 = 1 - share gives x = 2 atanh(sqrt(1 - share)), used above share = 1/2
    (1 - share is exact there, and log(s) - log(1 - s) would cancel as x -> 0).  Below,
    1 - s = (share / 2) / (1 + sqrt(1 - share)) and x = log1p(-(1 - s)) - log(1 - s);
    where 1 - s is subnormal (share below 4.5e-308) its logarithm is taken from the parts.
    """
    if share > 0.5:
        return 2.0 * math.atanh(math.sqrt(1.0 - share))
    root = 1.0 + math.sqrt(1.0 - share)
    tail = 0.5 * share / root
    log_tail = math.log(tail) if tail >= sys.float_info.min else math.log(share) - math.log(2.0 * root)
    return math.log1p(-tail) - log_tail


def _check_share(share: float) -> float:
    share = check_scalar(share, "share")
    if not 0 < share < 1:
        raise ValueError(f"share must lie in (0, 1), got {share!r}")
    return float(share)


def _check_saturating(activation: str) -> float:
    if activation not in SATURATING:
        raise ValueError(f"activation must be one of {list(SATURATING)} (the others never "
                         f"saturate for z > 0), got {activation!r}")
    return peak_slope(activation)


def saturation_bound(activation: str, share: float = SATURATION_SHARE) -> float:
    """The |z| beyond which f'(z) < ``share`` * max f' (sigmoid or tanh).

    sigmoid: :func:`sigmoid_grad_crossing` at level share / 4.  tanh: 1 - t^2 = share
    gives t = sqrt(1 - share) and z = atanh(t) = log1p(t) - log(share) / 2.

    >>> round(saturation_bound("sigmoid"), 3), round(saturation_bound("tanh"), 3)
    (4.357, 2.178)
    """
    _check_saturating(activation)
    share = _check_share(share)
    if activation == "sigmoid":  # not sigmoid_grad_crossing(share / 4): that underflows below 2e-323
        return _sigmoid_share_crossing(share)
    return math.log1p(math.sqrt(1.0 - share)) - 0.5 * math.log(share)


def saturated_mask(z: ArrayLike, activation: str, share: float = SATURATION_SHARE) -> np.ndarray:
    """True where f'(z) < ``share`` * max f', for ``activation`` in :data:`SATURATING`.

    Computed as |z| > :func:`saturation_bound` (f' falls with |z| for both), which is
    exact and needs no f'.  NaN in ``z`` gives False.  Raises ValueError for an activation
    that never saturates (see the module docstring).

    >>> saturated_mask([0.0, -3.0, 2.5], "tanh").tolist()
    [False, True, True]
    """
    bound = saturation_bound(activation, share)
    return np.abs(as_float_array(z, "z")) > bound


def saturated_share(z: ArrayLike, activation: str, share: float = SATURATION_SHARE) -> float:
    """Share (0-1) of the values of ``z`` that are saturated (see :func:`saturated_mask`).

    NaN for an activation outside :data:`SATURATING` (the ReLU family, identity, ...):
    a share of saturated values is not defined there.

    >>> saturated_share([0.0, 5.0], "sigmoid"), saturated_share([0.0, 5.0], "relu")
    (0.5, nan)
    """
    if activation not in SATURATING:
        _check_share(share)
        return math.nan
    mask = saturated_mask(z, activation, share)
    if mask.size == 0:
        raise ValueError("z must not be empty")
    return float(np.count_nonzero(mask) / mask.size)


# ----------------------------------------------------------------------------------------
# Per-layer statistics
# ----------------------------------------------------------------------------------------

@dataclass
class LayerStats:
    """Statistics of one layer on one batch (percentages from 0 to 100).

    ``mean``/``std``: of the activations (the head's outputs for the last layer of an
    MLP); ``pre_mean``/``pre_std``: of the pre-activations z;
    ``saturated_pct``: values with f'(z) < 5 % of max f' (:func:`saturated_share`; NaN
    outside :data:`SATURATING`); ``dead_pct``: units dead on the batch
    (:func:`dead_share`) and ``zero_pct``: outputs equal to 0, both for the activations
    of :data:`ZERO_BELOW` only (NaN for the others);
    ``grad_std``/``grad_norm``: std and Frobenius norm of dL/dz over the batch;
    ``weight_grad_norm``: ||dL/dW||; ``grad_data``: std(dW) / std(W);
    ``update_data``: lr std(dW) / std(W), the relative size of a plain SGD step
    (about 1e-3 is healthy, says Karpathy); NaN without ``lr``.
    """
    layer: int
    name: str
    units: int
    mean: float
    std: float
    pre_mean: float
    pre_std: float
    saturated_pct: float
    dead_pct: float
    zero_pct: float
    grad_std: float = math.nan
    grad_norm: float = math.nan
    weight_grad_norm: float = math.nan
    grad_data: float = math.nan
    update_data: float = math.nan


def mean_std(x: ArrayLike) -> tuple[float, float]:
    """Mean and (population) standard deviation in two passes, twice as fast as np.std.

    std = sqrt(sum((x - mean)^2) / n): :func:`root_sum_squares` of the centred values, one
    dot product that does not overflow.  Finite values give finite results, also where
    their sum overflows (``[1e308, 1e308]``); an infinite value gives a NaN std, NaN
    gives NaN, without warnings.  Empty ``x`` is a ValueError.

    >>> mean_std(np.array([1.0, 3.0]))
    (2.0, 1.0)
    """
    flat = as_float_array(x, "x").ravel()
    check_nonempty(flat, "x")
    return scale_safe(_mean_std, flat)


def _mean_std(flat: np.ndarray) -> tuple[float, float]:
    mean = flat.mean()
    return float(mean), _root_sum_squares(flat - mean, flat.size)


def root_sum_squares(x: ArrayLike, n: int = 1) -> float:
    """sqrt(sum(x^2) / n) as one dot product, without overflow or underflow (n = 1: the Frobenius norm).

    In float32 the squares of values above 1.8e19 pass the largest float (3.4e38), and
    those below 1e-23 round to 0; a dot product that overflows, or that falls below the
    smallest normal number while x is not all 0, is done again on x / s with s a power of
    two near max|x| (:func:`nbsupport._checks.power_of_two_scale`), and scaled back:
    s sqrt(sum((x / s)^2) / n).  Integers and booleans are squared as float64.

    >>> root_sum_squares(np.array([3.0, 4.0]))
    5.0
    >>> round(root_sum_squares(np.array([3e30, 4e30], dtype=np.float32)) / 1e30, 6)
    5.0
    """
    n = check_positive_int(n, "n")
    return _root_sum_squares(as_float_array(x, "x").ravel(order="K"), n)  # memory order, as np.linalg.norm sums


def _root_sum_squares(flat: np.ndarray, n: int) -> float:
    """:func:`root_sum_squares` of a checked 1-D float array."""
    with np.errstate(over="ignore", under="ignore"):
        total = np.dot(flat, flat)
    if np.isfinite(total) and (total >= sqrt_tiny(flat.dtype) ** 2 or total == 0 and not flat.any()) \
            or not np.all(np.isfinite(flat)):
        return float(np.sqrt(total / n))
    scale = power_of_two_scale(flat)
    scaled = flat / scale
    return scale * float(np.sqrt(np.dot(scaled, scaled) / n))


def _activation_row(layer: int, name: str, pre: np.ndarray, act: np.ndarray,
                    share: float) -> LayerStats:
    saturated = 100 * saturated_share(pre, name, share)
    dead = zero = math.nan
    if name in ZERO_BELOW:
        dead = 100 * dead_share(pre)
        zero = 100 * np.count_nonzero(act == 0) / act.size
    return LayerStats(layer, name, act.shape[1], *mean_std(act), *mean_std(pre),
                      saturated, dead, zero)


def _stats_of(layer: int, record: LayerRecord, lr: float | None, share: float) -> LayerStats:
    stats = _activation_row(layer, record.name, record.pre, record.act, share)
    if record.grad_pre is not None:
        stats.grad_std = mean_std(record.grad_pre)[1]
        stats.grad_norm = root_sum_squares(record.grad_pre)
        stats.weight_grad_norm = root_sum_squares(record.dW)
        w_std = mean_std(record.W)[1]
        stats.grad_data = mean_std(record.dW)[1] / w_std if w_std > 0 else math.inf
        if lr is not None:
            stats.update_data = lr * stats.grad_data
    return stats


def layer_stats(net: MLP, lr: float | None = None,
                share: float = SATURATION_SHARE) -> list[LayerStats]:
    """One :class:`LayerStats` per Dense layer from the last ``record=True`` forward/backward.

    ``share``: the saturation threshold (see :func:`saturated_mask`).

    >>> net = MLP([10, 20, 20, 3], activations="tanh", rng=0)
    >>> X = np.random.default_rng(0).normal(size=(50, 10))
    >>> _ = net.forward(X, record=True); net.backward(np.zeros(50, dtype=int), record=True)
    >>> [row.layer for row in layer_stats(net, lr=0.1)]
    [1, 2, 3]
    """
    if not net.records or net.records[0].act is None:
        raise RuntimeError("call net.forward(X, record=True) (and backward(y, record=True)) first")
    if lr is not None:
        lr = check_positive(lr, "lr")
    _check_share(share)
    return [_stats_of(i + 1, record, lr, share) for i, record in enumerate(net.records)]


# ----------------------------------------------------------------------------------------
# Deep-signal probes
# ----------------------------------------------------------------------------------------

@dataclass
class Signal:
    """Per-layer arrays of one probe pass, each of shape (samples, width)."""

    z: list[np.ndarray]   # pre-activations z_l = a_{l-1} W_l
    a: list[np.ndarray]   # activations a_l = f(z_l)
    dz: list[np.ndarray]  # gradients dL/dz_l


def probe_inputs(seed: int = 0, samples: int = PROBE_SAMPLES,
                 width: int = PROBE_WIDTH) -> tuple[np.ndarray, np.ndarray]:
    """Inputs x ~ N(0, 1) and top gradients g ~ N(0, 1), float32, each (samples, width)."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((samples, width), dtype=np.float32),
            rng.standard_normal((samples, width), dtype=np.float32))


@lru_cache(maxsize=64)
def _standard_normal(width: int, seed: int) -> np.ndarray:
    """The draws behind :func:`nbsupport.init.normal` (width x width, ``rng=seed``), cached."""
    draws = np.random.default_rng(seed).standard_normal((width, width))
    draws.flags.writeable = False
    return draws


def probe_weights(init: str | float, depth: int, width: int = PROBE_WIDTH,
                  seed: int = 0) -> list[np.ndarray]:
    """``depth`` square float32 weight matrices; layer l drawn with seed ``seed + l``.

    ``init``: the name of a normal initializer of :mod:`nbsupport.init`
    (``"xavier_normal"``, ``"he_normal"``, ``"lecun_normal"``) or a float, the std of a
    plain normal.  The matrices are those of ``nbsupport.init.normal(width, width, std,
    rng=seed + l, dtype=np.float32)`` with ``std = init_std(init, width, width)`` (the
    same as the named initializer), computed from cached standard-normal draws: the same
    seed gives the same random directions for every scheme, so two schemes differ only
    in scale (a fair comparison), and a new std costs no new random numbers.

    >>> [w.shape for w in probe_weights("he_normal", 2, width=3)]
    [(3, 3), (3, 3)]
    """
    if isinstance(init, str):
        normals = ("xavier_normal", "he_normal", "lecun_normal")
        if init not in normals:
            raise ValueError(f"init must be a float or one of {list(normals)}, got {init!r}")
        std = _init.init_std(init, width, width)
    else:
        std = check_nonnegative(init, "init")
    depth = check_positive_int(depth, "depth")
    if std > 1e36:  # a draw times std may pass float32's range: named, not rounded to inf
        return [_init._cast(_standard_normal(width, seed + layer) * std, np.dtype(np.float32), "init")
                for layer in range(depth)]
    return [(_standard_normal(width, seed + layer) * std).astype(np.float32)
            for layer in range(depth)]


def _check_activation(activation: str) -> None:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {list(ACTIVATIONS)}, got {activation!r}")


def propagate_forward(x: np.ndarray, weights: list[np.ndarray],
                      activation: str) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The forward half of :func:`propagate`: the lists z_l = a_{l-1} W_l and a_l = f(z_l).

    Layer l depends only on the layers below it, so a deeper stack with the same first
    weights repeats these arrays: a caller that grows the depth can continue from the last
    a_l (pass it as ``x`` with the new weights).

    >>> zs, outs = propagate_forward(np.array([[1.0, -2.0]]), [np.eye(2)], "relu")
    >>> zs[0].tolist(), outs[0].tolist()
    ([[1.0, -2.0]], [[1.0, 0.0]])
    """
    _check_activation(activation)
    zs, outs = [], []
    a = x
    for w in weights:
        zs.append(Dense(w, np.zeros(w.shape[1], dtype=w.dtype)).forward(a))
        a = Activation(activation).forward(zs[-1])
        outs.append(a)
    return zs, outs


def propagate_backward(zs: list[np.ndarray], weights: list[np.ndarray], activation: str,
                       top_grad: np.ndarray) -> list[np.ndarray]:
    """The backward half of :func:`propagate`: dL/dz_l for every layer, from the top down.

    dz_l = da_l f'(z_l) (what :class:`nbsupport.mlp.Activation` computes), da_{l-1} = dz_l W_l^T
    (Dense's dL/dx), da_L = ``top_grad``; dL/dW and the gradient of the input are not needed.
    :func:`backward_with_slopes` is the same pass with the slopes f'(z_l) given.

    >>> propagate_backward([np.array([[1.0, -2.0]])], [np.eye(2)], "relu",
    ...                    np.array([[3.0, 3.0]]))[0].tolist()
    [[3.0, 0.0]]
    """
    _check_activation(activation)
    if len(zs) != len(weights):
        raise ValueError(f"zs and weights must have the same length, got {len(zs)} and {len(weights)}")
    slope = ACTIVATIONS[activation].grad
    return backward_with_slopes([slope(z) for z in zs], weights, top_grad)


def backward_with_slopes(slopes: list[np.ndarray], weights: list[np.ndarray],
                         top_grad: np.ndarray) -> list[np.ndarray]:
    """dL/dz_l of a stack of dense layers whose slopes s_l = f'(z_l) are known.

    dz_l = da_l s_l, da_{l-1} = dz_l W_l^T, da_L = ``top_grad``.  The slopes of a layer do
    not depend on the layers above it, so a caller that sends gradients down stacks of
    several depths computes them once.

    >>> backward_with_slopes([np.array([[1.0, 0.0]])], [np.eye(2)], np.array([[3.0, 3.0]]))[0].tolist()
    [[3.0, 0.0]]
    """
    if len(slopes) != len(weights):
        raise ValueError(f"slopes and weights must have the same length, got {len(slopes)} and {len(weights)}")
    grads = [np.empty(0)] * len(weights)
    da = top_grad
    for i in reversed(range(len(weights))):
        grads[i] = da * slopes[i]
        if i:
            da = grads[i] @ weights[i].T
    return grads


def propagate(x: np.ndarray, weights: list[np.ndarray], activation: str,
              top_grad: np.ndarray) -> Signal:
    """Forward ``x`` through dense layers (no bias) and ``activation``, then ``top_grad`` back.

    Forward z_l = a_{l-1} W_l, a_l = f(z_l), a_0 = x; backward
    dz_l = da_l f'(z_l), da_{l-1} = dz_l W_l^T, da_L = ``top_grad``.  The layers are those
    of :mod:`nbsupport.mlp` (``Dense`` and ``Activation``); the weight gradients, which
    the probe does not need, are not computed.  The two halves are
    :func:`propagate_forward` and :func:`propagate_backward`.

    >>> rng = np.random.default_rng(0)
    >>> s = propagate(rng.standard_normal((5, 3)), [np.eye(3)] * 2, "relu", np.ones((5, 3)))
    >>> len(s.a), bool(np.all(s.a[1] >= 0))
    (2, True)
    """
    zs, outs = propagate_forward(x, weights, activation)
    return Signal(zs, outs, propagate_backward(zs, weights, activation, top_grad))


def signal_stats(signal: Signal, activation: str,
                 share: float = SATURATION_SHARE) -> list[LayerStats]:
    """One :class:`LayerStats` per layer of a probe (no weight statistics: NaN there).

    >>> x, g = probe_inputs(samples=50, width=4)
    >>> rows = signal_stats(propagate(x, probe_weights(1.0, 2, width=4), "tanh", g), "tanh")
    >>> [r.layer for r in rows], 0 <= rows[1].saturated_pct <= 100
    ([1, 2], True)
    """
    _check_share(share)
    rows = []
    for layer, (z, a, dz) in enumerate(zip(signal.z, signal.a, signal.dz), start=1):
        row = _activation_row(layer, activation, z, a, share)
        row.grad_std = mean_std(dz)[1]
        row.grad_norm = root_sum_squares(dz)
        rows.append(row)
    return rows


def format_layer_stats(rows: list[LayerStats]) -> str:
    """A fixed-format table of :class:`LayerStats` rows ("-" where a share is not defined).

    >>> print(format_layer_stats([LayerStats(1, "tanh", 3, 0.0, 0.5, 0.0, 0.6, 1.5,
    ...                                      math.nan, math.nan, grad_std=0.01)]))
    layer     mean      std   sat %  zero %  dead %   std dL/dz
        1    0.000      0.5     1.5       -       -    1.00e-02
    """
    def pct(value: float) -> str:
        return "    -" if math.isnan(value) else f"{value:5.1f}"

    lines = ["layer     mean      std   sat %  zero %  dead %   std dL/dz"]
    for r in rows:
        lines.append(f"{r.layer:5d} {r.mean:8.3f} {r.std:8.3g}   {pct(r.saturated_pct)}   "
                     f"{pct(r.zero_pct)}   {pct(r.dead_pct)}   {r.grad_std:9.2e}")
    return "\n".join(lines)


def activation_std_ratio(std: float, activation: str = "relu", depth: int = 5,
                         seed: int = 0) -> float:
    """std of layer ``depth``'s activations over layer 1's, with weights N(0, std^2).

    ``std`` must be > 0 (at 0 every layer is constant and the ratio 0 / 0).  The layers
    are float32: a ``std`` that makes an activation overflow float32 is a ValueError
    naming ``std``.

    >>> round(activation_std_ratio(math.sqrt(2 / 100)), 1)   # He: no trend with depth
    1.3
    """
    std = check_positive(std, "std")
    x, _ = probe_inputs(seed)
    with np.errstate(over="ignore", invalid="ignore"):
        _, outs = propagate_forward(x, probe_weights(std, depth, seed=seed), activation)
    if not np.isfinite(outs[-1]).all():
        raise ValueError(f"std={std!r} makes the activations of {depth} layers overflow float32")
    with np.errstate(over="ignore"):
        first, last = float(outs[0].std()), float(outs[-1].std())
    if not (math.isfinite(first) and math.isfinite(last)):   # squares beyond float32: the scale-safe std
        first, last = mean_std(outs[0])[1], mean_std(outs[-1])[1]
    if first == 0:
        raise ValueError(f"std={std!r} leaves layer 1's activations without spread (ratio 0 / 0)")
    return last / first


class DepthProfile(NamedTuple):
    """Per hidden layer l = 1..L (input side first): ||dL/dW_l|| and the mean slope f'(z_l)."""

    grad_norms: np.ndarray
    mean_slopes: np.ndarray


def peak_slope(activation: str) -> float:
    """f'(0) of a registry activation: the largest slope of sigmoid (1/4) and tanh (1)."""
    return float(ACTIVATIONS[activation].grad(np.array(0.0)))


@lru_cache(maxsize=64)
def _random_network(activation: str, depth: int, width: int, seed: int) -> tuple[MLP, list, threading.Lock]:
    """A seeded MLP (``depth`` hidden layers of ``width``, linear output), its weights at
    scale 1 (std 1/sqrt(fan_in)), built once per shape so a slider only rescales them,
    and the lock that :func:`depth_profile` holds while it rescales and runs the shared
    network (two threads would otherwise run each other's weights)."""
    sizes = [width] * (depth + 1) + [1]
    net = MLP(sizes, activations=activation, output="linear",
              init=[1 / np.sqrt(n_in) for n_in in sizes[:-1]], rng=seed, dtype=np.float64)
    return net, [dense.W.copy() for dense in net.dense], threading.Lock()


def depth_profile(activation: str, depth: int, weight_scale: float, *, width: int = 32,
                  batch: int = 64, seed: int = 0) -> DepthProfile:
    """One recorded forward and backward pass through a random MLP; the per-layer numbers.

    The network has ``depth`` hidden layers of ``width`` units with ``activation``, a
    linear output and mean squared error; its weights are normal with std
    ``weight_scale / sqrt(fan_in)`` (``weight_scale = 1`` is LeCun's choice).  One batch of
    standard normal inputs and targets (seeded) goes forward and backward once.

    The networks are cached per shape and rescaled per call under a lock, so calls from
    several threads give the same numbers as calls one after another.  A scale so large
    that the products pass float64's range gives inf (and NaN where inf meets 0) in the
    profile, without a warning.

    Examples
    --------
    >>> profile = depth_profile("sigmoid", 5, 1.0)
    >>> profile.grad_norms.shape, bool(profile.grad_norms[0] < profile.grad_norms[-1])
    ((5,), True)
    >>> bool(profile.mean_slopes.max() <= 0.25)
    True
    """
    _check_activation(activation)
    depth, width = check_positive_int(depth, "depth"), check_positive_int(width, "width")
    batch = check_positive_int(batch, "batch")
    weight_scale = check_nonnegative(weight_scale, "weight_scale")
    net, unit_weights, lock = _random_network(activation, depth, width, check_nonnegative_int(seed, "seed"))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, width))
    y = rng.normal(size=(batch, 1))
    slope = ACTIVATIONS[activation].grad
    with lock:  # the cached network is shared: one caller at a time
        for dense, unit in zip(net.dense, unit_weights):
            np.multiply(unit, weight_scale, out=dense.W)
        with np.errstate(over="ignore", invalid="ignore"):  # huge scales: inf and NaN, as IEEE says
            net.forward(x, record=True)
            net.backward(y)
            return DepthProfile(
                grad_norms=np.array([root_sum_squares(dense.dW) for dense in net.dense[:depth]]),
                mean_slopes=np.array([slope(record.pre).mean() for record in net.records[:depth]]))

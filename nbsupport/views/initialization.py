"""What the weight initialization does to the signal inside a deep stack of layers.

The experiment (Glorot & Bengio 2010; Saito, *Deep Learning from Scratch*, ch. 6):
1,000 random inputs x ~ N(0, 1) of width 100 go through ``depth`` dense layers of 100
units (no bias), each followed by the same activation f::

    z_l = a_{l-1} @ W_l,    a_l = f(z_l),    a_0 = x

and a random gradient g ~ N(0, 1) arriving at the top is sent back down::

    dz_l = da_l * f'(z_l),    da_{l-1} = dz_l @ W_l.T

:func:`propagate` does both passes, :func:`layer_stats` summarises one layer and
:class:`InitHistogramView` draws one histogram per layer, of the activations (top row)
and of log10 |dz| (bottom row), plus the standard deviation against depth.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import init
from ..activations import (leaky_relu, leaky_relu_grad, relu, relu_grad, sigmoid, sigmoid_grad,
                           tanh, tanh_grad)
from ..plotting import COLORS, PALETTE, label_axes, new_figure

__all__ = ["ACTIVATIONS", "INITS", "weight_std", "make_weights", "propagate", "Signal",
           "layer_stats", "format_stats", "binned_share", "shown_layers", "activation_std_ratio", "InitHistogramView",
           "layer_ticks"]

#: activation name -> (f, f', x-range of its histogram, peak of f' or None)
ACTIVATIONS: dict[str, tuple[Callable, Callable, tuple[float, float], float | None]] = {
    "sigmoid": (sigmoid, sigmoid_grad, (0.0, 1.0), 0.25),
    "tanh": (tanh, tanh_grad, (-1.0, 1.0), 1.0),
    "relu": (relu, relu_grad, (0.0, 4.0), None),
    "leaky_relu": (leaky_relu, leaky_relu_grad, (-0.2, 4.0), None),
}

#: The initializations of the experiment; "free std" takes its std from the caller.
INITS = ("std 1", "std 0.01", "Xavier/Glorot", "LeCun 1/sqrt(n)", "He/Kaiming", "free std")

#: A unit counts as saturated where f'(z) is below this share of f'(0).
SATURATION_SHARE = 0.05
WIDTH, SAMPLES, MAX_DEPTH = 100, 1000, 20


def weight_std(scheme: str, fan_in: int, fan_out: int, std: float | None = None) -> float:
    """The standard deviation each scheme gives a (fan_in, fan_out) weight matrix.

    std 1 and std 0.01 are fixed; Xavier/Glorot sqrt(2 / (n_in + n_out)); LeCun
    sqrt(1 / n_in); He/Kaiming sqrt(2 / n_in); "free std" returns ``std``.

    >>> round(weight_std("He/Kaiming", 100, 100), 4)
    0.1414
    """
    formulas = {"std 1": 1.0, "std 0.01": 0.01,
                "Xavier/Glorot": math.sqrt(2.0 / (fan_in + fan_out)),
                "LeCun 1/sqrt(n)": math.sqrt(1.0 / fan_in),
                "He/Kaiming": math.sqrt(2.0 / fan_in)}
    if scheme == "free std":
        if std is None:
            raise ValueError("std is needed when scheme is 'free std'")
        return float(std)
    if scheme not in formulas:
        raise ValueError(f"scheme must be one of {INITS}, got {scheme!r}")
    return formulas[scheme]


def make_weights(scheme: str, depth: int, width: int = WIDTH, std: float | None = None,
                 seed: int = 0) -> list[np.ndarray]:
    """``depth`` square float32 weight matrices drawn by ``nbsupport.init`` (layer l: seed + l).

    The same seed gives the same random directions for every scheme, so two schemes
    differ only in scale: a fair comparison.
    """
    named = {"Xavier/Glorot": init.xavier_normal, "LeCun 1/sqrt(n)": init.lecun_normal,
             "He/Kaiming": init.he_normal}
    if scheme in named:
        return [named[scheme](width, width, rng=seed + layer, dtype=np.float32)
                for layer in range(depth)]
    sd = weight_std(scheme, width, width, std)
    return [init.normal(width, width, sd, rng=seed + layer, dtype=np.float32)
            for layer in range(depth)]


@dataclass
class Signal:
    """Per-layer arrays of one forward and backward pass, each of shape (samples, width)."""

    z: list[np.ndarray]   # pre-activations
    a: list[np.ndarray]   # activations
    dz: list[np.ndarray]  # gradients with respect to the pre-activations


def propagate(x: np.ndarray, weights: list[np.ndarray], activation: str,
              top_grad: np.ndarray) -> Signal:
    """Forward ``x`` through the layers, then send ``top_grad`` back (see module docstring).

    >>> rng = np.random.default_rng(0)
    >>> s = propagate(rng.standard_normal((5, 3)), [np.eye(3)] * 2, "relu", np.ones((5, 3)))
    >>> len(s.a), bool(np.all(s.a[1] >= 0))
    (2, True)
    """
    f, df, _, _ = ACTIVATIONS[activation]
    zs, acts = [], []
    a = x
    for w in weights:
        z = a @ w
        a = f(z)
        zs.append(z)
        acts.append(a)
    grads = [np.empty(0)] * len(weights)
    da = top_grad
    for layer in reversed(range(len(weights))):
        grads[layer] = da * df(zs[layer])
        da = grads[layer] @ weights[layer].T
    return Signal(zs, acts, grads)


def layer_stats(z: np.ndarray, a: np.ndarray, activation: str) -> dict[str, float]:
    """Mean and std of the activations, and the shares (0-1) that stop learning.

    - ``saturated``: share of values where f'(z) < 5% of f'(0) (sigmoid, tanh; NaN for
      the ReLU family, which never saturates for z > 0);
    - ``zero``: share of exact zeros (ReLU's inactive side);
    - ``dead``: share of units that are zero for every input in the batch.
    """
    _, df, _, peak = ACTIVATIONS[activation]
    zero = a == 0
    saturated = float(np.mean(df(z) < SATURATION_SHARE * peak)) if peak else float("nan")
    return {"mean": float(a.mean()), "std": float(a.std()), "saturated": saturated,
            "zero": float(zero.mean()), "dead": float(zero.all(axis=0).mean())}


def format_stats(signal: Signal, activation: str) -> str:
    """A fixed-format table: :func:`layer_stats` (percent) and the gradient std, per layer."""
    lines = ["layer     mean      std   sat %  zero %  dead %   std dL/dz"]
    for layer, (z, a, dz) in enumerate(zip(signal.z, signal.a, signal.dz), start=1):
        s = layer_stats(z, a, activation)
        sat = "    -" if math.isnan(s["saturated"]) else f"{100 * s['saturated']:5.1f}"
        lines.append(f"{layer:5d} {s['mean']:8.3f} {s['std']:8.3g}   {sat}   "
                     f"{100 * s['zero']:5.1f}   {100 * s['dead']:5.1f}   {dz.std():9.2e}")
    return "\n".join(lines)


def standard_inputs(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The experiment's 1,000 inputs x ~ N(0, 1) and top gradients g ~ N(0, 1)."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((SAMPLES, WIDTH), dtype=np.float32),
            rng.standard_normal((SAMPLES, WIDTH), dtype=np.float32))


def activation_std_ratio(std: float, activation: str = "relu", depth: int = 5,
                         seed: int = 0) -> float:
    """std of layer ``depth``'s activations over layer 1's, with weights N(0, std^2).

    >>> round(activation_std_ratio(math.sqrt(2 / 100)), 2)   # one network: near 1, not 1
    1.35
    """
    x, g = standard_inputs(seed)
    signal = propagate(x, make_weights("free std", depth, std=std, seed=seed), activation, g)
    return float(signal.a[-1].std() / signal.a[0].std())


def shown_layers(depth: int, panels: int) -> np.ndarray:
    """Which layers (1-based) the panels show: all when they fit, else evenly spread."""
    if depth <= panels:
        return np.arange(1, depth + 1)
    return np.unique(np.round(np.linspace(1, depth, panels)).astype(int))


_GRAD_RANGE = (-12.0, 4.0)   # log10 |dz|
_STD_RANGE = (1e-10, 1e6)


class InitHistogramView:
    """Histograms of activations (top) and log10 |gradient| (bottom) per layer.

    ``update(activation=..., init=..., std=..., depth=...)`` recomputes both passes and
    changes the heights of ``panels`` step histograms per row, the per-panel readouts
    and the std-against-depth lines; no artist is created after ``__init__``.
    """

    def __init__(self, panels: int = 5, bins: int = 40, seed: int = 0) -> None:
        self.panels, self.bins, self.seed = panels, bins, seed
        self.x, self.top_grad = standard_inputs(seed)
        self.fig, axes = new_figure(panels + 1, 2, width=2.3 * panels + 3.4, height=5.8)
        grid = axes.reshape(2, panels + 1)
        self.act_axes, self.grad_axes = grid[0, :panels], grid[1, :panels]
        self.std_act_ax, self.std_grad_ax = grid[0, panels], grid[1, panels]
        self.grad_edges = np.linspace(*_GRAD_RANGE, bins + 1)
        zeros = np.zeros(bins)
        self.act_stairs = [ax.stairs(zeros, np.linspace(0, 1, bins + 1), fill=True,
                                     color=COLORS[0], alpha=0.85) for ax in self.act_axes]
        self.grad_stairs = [ax.stairs(zeros, self.grad_edges, fill=True, color=COLORS[1],
                                      alpha=0.85) for ax in self.grad_axes]
        self.act_text = [self._readout(ax, right=True) for ax in self.act_axes]
        self.grad_text = [self._readout(ax, right=False) for ax in self.grad_axes]  # mass is right
        for ax in [*self.act_axes, *self.grad_axes]:
            ax.set_ylim(0, 0.3)
            ax.set_yticks([0, 0.1, 0.2, 0.3])
            ax.grid(False)
        for ax in self.grad_axes:
            ax.set_xlim(*_GRAD_RANGE)
            ax.set_xticks([-12, -8, -4, 0, 4])
            ax.set_xlabel(r"$\log_{10}|\partial L/\partial z|$")
        for ax in [*self.act_axes[1:], *self.grad_axes[1:]]:
            ax.set_yticklabels([])
        self.act_axes[0].set_ylabel("share of activations")
        self.grad_axes[0].set_ylabel("share of gradients")
        layers = np.arange(1, MAX_DEPTH + 1)
        nan = np.full(MAX_DEPTH, np.nan)
        (self.std_act_line,) = self.std_act_ax.plot(layers, nan, "o-", color=COLORS[0])
        (self.std_grad_line,) = self.std_grad_ax.plot(layers, nan, "o-", color=COLORS[1])
        for ax in (self.std_act_ax, self.std_grad_ax):
            ax.set_yscale("log")
            ax.set_ylim(*_STD_RANGE)
            ax.minorticks_off()
            ticks = [1e-9, 1e-6, 1e-3, 1.0, 1e3, 1e6]  # plain labels: mathtext costs a draw 20 ms
            ax.set_yticks(ticks, ["1e-9", "1e-6", "0.001", "1", "1000", "1e6"])
            ax.axhline(1.0, color=PALETTE["black"], linewidth=0.8, alpha=0.5)
        # the y labels name the curves in their colours: no legend to cover a curve
        label_axes(self.std_act_ax, "layer $l$", "std of $a_l$ (log scale)", legend=False)
        label_axes(self.std_grad_ax, "layer $l$", r"std of $\partial L/\partial z_l$ (log scale)", legend=False)
        self.std_act_ax.yaxis.label.set_color(COLORS[0])
        self.std_grad_ax.yaxis.label.set_color(COLORS[1])
        self.signal: Signal | None = None
        self.params: dict | None = None
        self.update()
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")  # keep that layout: re-running it costs ~40 ms a draw

    @staticmethod
    def _readout(ax, right: bool):
        return ax.text(0.97 if right else 0.03, 0.97, "", transform=ax.transAxes,
                       ha="right" if right else "left", va="top",
                       fontsize="small", family="monospace",
                       bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})

    @staticmethod
    def inactive_controls(*, init: str = "Xavier/Glorot", **_others) -> set[str]:
        """The std slider counts only for the "free std" initialization."""
        return set() if init == "free std" else {"std"}

    def update(self, *, activation: str = "sigmoid", init: str = "Xavier/Glorot",
               std: float = 0.1, depth: int = 5) -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {list(ACTIVATIONS)}, got {activation!r}")
        if not 1 <= depth <= MAX_DEPTH:
            raise ValueError(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
        weights = make_weights(init, depth, std=std, seed=self.seed)
        signal = propagate(self.x, weights, activation, self.top_grad)
        self.signal, self.params = signal, dict(activation=activation, init=init, std=std, depth=depth)
        lo, hi = ACTIVATIONS[activation][2]
        act_edges = np.linspace(lo, hi, self.bins + 1)
        for panel, layer in enumerate(shown_layers(depth, self.panels)):
            self._draw_panel(panel, layer, signal, activation, act_edges)
        for panel in range(len(shown_layers(depth, self.panels)), self.panels):
            self.act_axes[panel].set_visible(False)
            self.grad_axes[panel].set_visible(False)
        self.std_act_line.set_ydata(_padded([a.std() for a in signal.a]))
        self.std_grad_line.set_ydata(_padded([g.std() for g in signal.dz]))
        if self.std_act_ax.get_xlim() != (0.5, depth + 0.5):  # the std panels end at the last layer
            for ax in (self.std_act_ax, self.std_grad_ax):
                ax.set_xlim(0.5, depth + 0.5)
                ax.set_xticks(layer_ticks(depth))
        sd = weight_std(init, WIDTH, WIDTH, std)
        title = f"{activation}, {init}\nstd(w) = {sd:.3g}"
        if self.std_act_ax.get_title() != title:
            self.std_act_ax.set_title(title, fontsize="medium")

    def _draw_panel(self, panel: int, layer: int, signal: Signal, activation: str,
                    act_edges: np.ndarray) -> None:
        a, z, dz = signal.a[layer - 1], signal.z[layer - 1], signal.dz[layer - 1]
        lo, hi = act_edges[0], act_edges[-1]
        ax = self.act_axes[panel]
        ax.set_visible(True)
        self.grad_axes[panel].set_visible(True)
        self.act_stairs[panel].set_data(binned_share(a, lo, hi, self.bins), act_edges)
        if ax.get_xlim() != (lo, hi):  # only when the activation's range changes: new ticks
            ax.set_xlim(lo, hi)       # force a full redraw (~200 ms) instead of a blit
            ax.set_xticks(np.linspace(math.ceil(lo), math.floor(hi), 3))
        if ax.get_title() != f"layer {layer}":  # set_title marks all three titles stale
            ax.set_title(f"layer {layer}")
        self.act_text[panel].set_text(_act_readout(layer_stats(z, a, activation)))
        magnitude = np.abs(dz)
        nonzero = magnitude[magnitude > 0]
        shares = binned_share(np.log10(nonzero), *_GRAD_RANGE, self.bins) * (nonzero.size / dz.size)
        self.grad_stairs[panel].set_data(shares, self.grad_edges)
        self.grad_text[panel].set_text(f"std {dz.std():.2g}\nzero {100 * (1 - nonzero.size / dz.size):.0f}%")


def layer_ticks(depth: int) -> list[int]:
    """Ticks for a layer axis from 1 to ``depth``: every layer up to 10, then 1, 5, 10, ...

    >>> layer_ticks(5), layer_ticks(20)
    ([1, 2, 3, 4, 5], [1, 5, 10, 15, 20])
    """
    if depth <= 10:
        return list(range(1, depth + 1))
    return [1, *range(5, depth + 1, 5)]


def binned_share(values: np.ndarray, lo: float, hi: float, bins: int) -> np.ndarray:
    """Share of ``values`` in each of ``bins`` equal bins on [lo, hi]; values outside
    the range are counted in the first or last bin (so nothing disappears).

    A bincount of computed indices: ten times faster than ``np.histogram`` with an
    array of edges, which sorts.

    >>> binned_share(np.array([-5.0, 0.1, 0.6, 0.7]), 0.0, 1.0, 2).tolist()
    [0.5, 0.5]
    """
    index = ((values.ravel() - lo) * (bins / (hi - lo))).astype(np.int64)
    np.clip(index, 0, bins - 1, out=index)
    return np.bincount(index, minlength=bins) / max(values.size, 1)


def _act_readout(s: dict[str, float]) -> str:
    last = (f"zero {100 * s['zero']:.0f}%" if math.isnan(s["saturated"])
            else f"sat {100 * s['saturated']:.0f}%")
    return f"mean {s['mean']:.2g}\nstd {s['std']:.2g}\n{last}"


def _padded(values: list[float]) -> np.ndarray:
    out = np.full(MAX_DEPTH, np.nan)
    out[:len(values)] = values
    return np.clip(out, *_STD_RANGE)

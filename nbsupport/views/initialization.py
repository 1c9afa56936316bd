"""Histograms of what the weight initialization does to the signal in a deep stack of layers.

The experiment (Glorot & Bengio 2010; Saito, *Deep Learning from Scratch*, ch. 6) is
:func:`nbsupport.diagnostics.propagate`: 1,000 random inputs of width 100 through
``depth`` dense layers (no bias), each followed by the same activation, and a random
gradient sent back down.  :class:`InitHistogramView` draws one histogram per layer, of
the activations (top row) and of log10 |dL/dz| (bottom row), plus the standard deviation
against depth; the shares in its titles come from :mod:`nbsupport.diagnostics`.
"""
from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np

from ..controls import ChoiceControl, FloatControl, IntControl
from ..diagnostics import (PROBE_WIDTH, Signal, mean_std, probe_inputs, probe_weights, propagate,
                           saturated_share)
from ..init import init_std
from ..plotting import COLORS, PALETTE, label_axes, new_figure

__all__ = ["HISTOGRAM_RANGES", "INITS", "MAX_DEPTH", "scheme_std", "binned_share", "shown_layers", "layer_ticks",
           "InitHistogramView"]

#: activation -> the range of its histogram (values outside it land in the end bins:
#: Leaky ReLU's small negative outputs, alpha z with alpha = 0.01, in the first bin).
#: The ranges share their tick positions (both ends and the middle), so switching the
#: activation changes three labels, not the axis.
HISTOGRAM_RANGES: dict[str, tuple[float, float]] = {
    "sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 4.0), "leaky_relu": (0.0, 4.0)}

#: The initializations of the experiment (label -> initializer name, fixed std, or None:
#: the std slider).
INITS: dict[str, str | float | None] = {
    "std 1": 1.0, "std 0.01": 0.01, "Xavier/Glorot": "xavier_normal",
    "LeCun 1/sqrt(n)": "lecun_normal", "He/Kaiming": "he_normal", "free std": None}
MAX_DEPTH = 20


def scheme_std(init: str, std: float, width: int = PROBE_WIDTH) -> str | float:
    """What :func:`nbsupport.diagnostics.probe_weights` takes for the label ``init``.

    >>> scheme_std("He/Kaiming", 0.3), scheme_std("free std", 0.3)
    ('he_normal', 0.3)
    """
    if init not in INITS:
        raise ValueError(f"init must be one of {list(INITS)}, got {init!r}")
    scheme = INITS[init]
    return float(std) if scheme is None else scheme


def _weight_std(scheme: str | float, width: int = PROBE_WIDTH) -> float:
    return init_std(scheme, width, width) if isinstance(scheme, str) else float(scheme)


def shown_layers(depth: int, panels: int) -> np.ndarray:
    """Which layers (1-based) the panels show: all when they fit, else evenly spread."""
    if depth <= panels:
        return np.arange(1, depth + 1)
    return np.unique(np.round(np.linspace(1, depth, panels)).astype(int))


_GRAD_RANGE = (-12.0, 4.0)   # log10 |dz|
_STD_RANGE = (1e-10, 1e6)


class InitHistogramView:
    """Histograms of activations (top) and log10 |gradient| (bottom) per layer.

    ``update(activation=..., init=..., std=..., depth=...)`` runs the probe and changes
    the heights of ``panels`` step histograms per row, the panel titles (layer and the
    share of saturated values or of zeros), the activation axis' tick labels and the
    std-against-depth lines; no artist is created after ``__init__``.  The activation
    axes run from 0 to 1 in every panel (the histogram's range mapped onto them); like
    the y axes, they are labelled under the first panel only, with three texts, so
    switching the activation re-labels them without laying out the axes again.
    """

    controls = (
        ChoiceControl("activation", "relu", tuple(HISTOGRAM_RANGES), "activation"),
        ChoiceControl("init", "He/Kaiming", tuple(INITS), "initialization"),
        FloatControl("std", 0.14, 0.01, 1.5, 0.01, "std (for 'free std')"),
        IntControl("depth", 5, 1, MAX_DEPTH, "depth"),
    )

    def __init__(self, panels: int = 5, bins: int = 40, seed: int = 0) -> None:
        self.panels, self.bins, self.seed = panels, bins, seed
        self.x, self.top_grad = probe_inputs(seed)
        self.fig, axes = new_figure(panels + 1, 2, width=2.3 * panels + 3.4, height=5.8)
        grid = axes.reshape(2, panels + 1)
        self.act_axes, self.grad_axes = grid[0, :panels], grid[1, :panels]
        self.std_act_ax, self.std_grad_ax = grid[0, panels], grid[1, panels]
        self.grad_edges = np.linspace(*_GRAD_RANGE, bins + 1)
        zeros, unit_edges = np.zeros(bins), np.linspace(0.0, 1.0, bins + 1)
        self.act_stairs = [ax.stairs(zeros, unit_edges, fill=True, color=COLORS[0], alpha=0.85)
                           for ax in self.act_axes]
        self.grad_stairs = [ax.stairs(zeros, self.grad_edges, fill=True, color=COLORS[1],
                                      alpha=0.85) for ax in self.grad_axes]
        self.tick_labels = self._tick_labels(self.act_axes[0])
        for ax in [*self.act_axes, *self.grad_axes]:
            ax.set_ylim(0, 0.3)
            ax.set_yticks([0, 0.1, 0.2, 0.3])
            ax.grid(False)
        for ax in self.act_axes:
            ax.set_xlim(0.0, 1.0)
            # transparent labels hold the labels' room in the layout; the first panel's
            # visible labels are the texts in self.tick_labels
            ax.set_xticks([0.0, 0.5, 1.0], ["0", "0", "0"])
            ax.tick_params(axis="x", labelcolor=(0, 0, 0, 0))
            ax.set_xlabel("activation $a_l$")
        for ax in self.grad_axes:
            ax.set_xlim(*_GRAD_RANGE)
            ax.set_xticks([-12, -8, -4, 0, 4])
            ax.set_xlabel(r"$\log_{10}|\partial L/\partial z|$")
        for ax in [*self.act_axes[1:], *self.grad_axes[1:]]:
            ax.set_yticklabels([])
        self.act_axes[0].set_ylabel("share of activations")
        self.grad_axes[0].set_ylabel("share of gradients")
        self._std_panels()
        self.signal: Signal | None = None
        self.params: dict | None = None
        self.update()
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")  # keep that layout: re-running it costs ~40 ms a draw

    def _std_panels(self) -> None:
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
        label_axes(self.std_grad_ax, "layer $l$", r"std of $\partial L/\partial z_l$ (log scale)",
                   legend=False)
        self.std_act_ax.yaxis.label.set_color(COLORS[0])
        self.std_grad_ax.yaxis.label.set_color(COLORS[1])

    @staticmethod
    def _tick_labels(ax) -> list:
        """Three labels under the ticks at 0, 1/2 and 1 (axes coordinates), set per activation."""
        below = mpl.rcParams["xtick.major.size"] + mpl.rcParams["xtick.major.pad"]  # points
        return [ax.annotate("", (x, 0.0), xycoords="axes fraction", xytext=(0, -below),
                            textcoords="offset points", ha="center", va="top",
                            fontsize=mpl.rcParams["xtick.labelsize"], annotation_clip=False)
                for x in (0.0, 0.5, 1.0)]

    @staticmethod
    def inactive_controls(*, init: str = "Xavier/Glorot", **_others) -> set[str]:
        """The std slider counts only for the "free std" initialization."""
        return set() if init == "free std" else {"std"}

    def update(self, *, activation: str = "sigmoid", init: str = "Xavier/Glorot",
               std: float = 0.1, depth: int = 5) -> None:
        if activation not in HISTOGRAM_RANGES:
            raise ValueError(f"activation must be one of {list(HISTOGRAM_RANGES)}, got {activation!r}")
        if not 1 <= depth <= MAX_DEPTH:
            raise ValueError(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
        scheme = scheme_std(init, std)
        signal = propagate(self.x, probe_weights(scheme, depth, seed=self.seed), activation,
                           self.top_grad)
        self.signal, self.params = signal, dict(activation=activation, init=init, std=std, depth=depth)
        lo, hi = HISTOGRAM_RANGES[activation]
        labels = [f"{v:g}" for v in (lo, (lo + hi) / 2, hi)]
        layers = shown_layers(depth, self.panels)
        for panel, layer in enumerate(layers):
            self._draw_panel(panel, layer, signal, activation)
        for text, label in zip(self.tick_labels, labels):
            text.set_text(label)
        for panel in range(len(layers), self.panels):
            self.act_axes[panel].set_visible(False)
            self.grad_axes[panel].set_visible(False)
        self.std_act_line.set_ydata(_padded([mean_std(a)[1] for a in signal.a]))
        self.std_grad_line.set_ydata(_padded([mean_std(g)[1] for g in signal.dz]))
        if self.std_act_ax.get_xlim() != (0.5, depth + 0.5):  # the std panels end at the last layer
            for ax in (self.std_act_ax, self.std_grad_ax):
                ax.set_xlim(0.5, depth + 0.5)
                ax.set_xticks(layer_ticks(depth))
        title = f"{activation}, {init}\nstd(w) = {_weight_std(scheme):.3g}"
        if self.std_act_ax.get_title() != title:
            self.std_act_ax.set_title(title, fontsize="medium")

    def _draw_panel(self, panel: int, layer: int, signal: Signal, activation: str) -> None:
        a, z, dz = signal.a[layer - 1], signal.z[layer - 1], signal.dz[layer - 1]
        self.act_axes[panel].set_visible(True)
        self.grad_axes[panel].set_visible(True)
        self.act_stairs[panel].set_data(binned_share(a, *HISTOGRAM_RANGES[activation], self.bins))
        self.act_axes[panel].title.set_text(f"layer {layer}: {_share_readout(z, a, activation)}")
        magnitude = np.abs(dz)
        nonzero = magnitude[magnitude > 0]
        shares = binned_share(np.log10(nonzero), *_GRAD_RANGE, self.bins) * (nonzero.size / dz.size)
        self.grad_stairs[panel].set_data(shares)


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


def _share_readout(z: np.ndarray, a: np.ndarray, activation: str) -> str:
    """"sat 12%" where saturation is defined (sigmoid, tanh), else the share of zeros."""
    saturated = saturated_share(z, activation)
    if math.isnan(saturated):
        return f"zero {100 * np.count_nonzero(a == 0) / a.size:.0f}%"
    return f"sat {100 * saturated:.0f}%"


def _padded(values: list[float]) -> np.ndarray:
    out = np.full(MAX_DEPTH, np.nan)
    out[:len(values)] = values
    return np.clip(out, *_STD_RANGE)

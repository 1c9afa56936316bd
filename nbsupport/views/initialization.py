"""Histograms of what the weight initialization does to the signal in a deep stack of layers.

The experiment (Glorot & Bengio 2010; Saito, *Deep Learning from Scratch*, ch. 6) is
:func:`nbsupport.diagnostics.propagate`: 1,000 random inputs of width 100 through
``depth`` dense layers (no bias), each followed by the same activation, and a random
gradient sent back down.  :class:`InitHistogramView` draws one histogram per layer, of
the activations (top row) and of log10 |dL/dz| (bottom row), plus the standard deviation
against depth; the shares in its titles come from :mod:`nbsupport.diagnostics`.
"""
from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from typing import NamedTuple

import numpy as np
from matplotlib.patches import Rectangle

from ..activations import ACTIVATIONS
from ..controls import ChoiceControl, FloatControl, IntControl
from ..diagnostics import (PROBE_WIDTH, Signal, backward_with_slopes, mean_std, probe_inputs,
                           probe_weights, propagate, propagate_forward, saturated_share)
from ..init import init_std
from ..plotting import COLORS, PALETTE, label_axes, new_figure
from ._artist_axes import LayerAxis, layer_ticks, tick_texts

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


class _Frame(NamedTuple):
    """What the figure shows for one setting (activation, weight std, depth)."""

    layers: np.ndarray              # the layers in the panels (1-based)
    act_shares: list[np.ndarray]    # per panel, the histogram of a_l
    titles: list[str]               # per panel, "layer l: sat x%" or "layer l: zero x%"
    grad_shares: list[np.ndarray]   # per panel, the histogram of log10 |dL/dz_l|
    std_a: np.ndarray               # std of a_l, l = 1..depth
    std_dz: np.ndarray              # std of dL/dz_l, l = 1..depth


class _ProbeRun:
    """The experiment for one activation and one weight std, grown layer by layer.

    Layer l's forward pass does not depend on the depth (the layers above it do not
    change it), so each layer's histogram, title share, std and slope f'(z_l) (what the
    way back needs) are computed once, when a depth first reaches it; only the slopes are
    kept.  The backward pass starts at the top layer, so it runs once per depth.
    """

    def __init__(self, x: np.ndarray, activation: str, std: float, seed: int, bins: int) -> None:
        self.activation, self.std, self.seed, self.bins = activation, std, seed, bins
        self.top = x   # the activations of the highest layer computed so far (the input at first)
        self.weights: list[np.ndarray] = []
        self.slopes: list[np.ndarray] = []
        self.act_shares: list[np.ndarray] = []
        self.titles: list[str] = []
        self.std_a: list[float] = []

    def grow(self, depth: int) -> None:
        """Run the forward pass up to layer ``depth`` (the layers not yet computed)."""
        if depth <= len(self.slopes):
            return
        new = probe_weights(self.std, depth, seed=self.seed)[len(self.slopes):]
        zs, outs = propagate_forward(self.top, new, self.activation)
        lo, hi = HISTOGRAM_RANGES[self.activation]
        for z, a in zip(zs, outs):
            self.act_shares.append(binned_share(a, lo, hi, self.bins))
            self.titles.append(_share_readout(z, a, self.activation))
            self.std_a.append(mean_std(a)[1])
        self.weights += new
        self.slopes += [ACTIVATIONS[self.activation].grad(z) for z in zs]
        self.top = outs[-1]

    def frame(self, depth: int, panels: int, top_grad: np.ndarray) -> _Frame:
        self.grow(depth)
        layers = shown_layers(depth, panels)
        dz = backward_with_slopes(self.slopes[:depth], self.weights[:depth], top_grad)
        return _Frame(layers, [self.act_shares[l - 1] for l in layers],
                      [f"layer {l}: {self.titles[l - 1]}" for l in layers],
                      [_log_magnitude_share(dz[l - 1], self.bins) for l in layers],
                      np.array(self.std_a[:depth]), np.array([mean_std(g)[1] for g in dz]))


class InitHistogramView:
    """Histograms of activations (top) and log10 |gradient| (bottom) per layer.

    ``update(activation=..., init=..., std=..., depth=...)`` runs the probe and changes
    the heights of ``panels`` step histograms per row, the panel titles (layer and the
    share of saturated values or of zeros), the activation axis' tick labels and the
    std-against-depth lines; no artist is created after ``__init__``.  The activation
    axes run from 0 to 1 in every panel (the histogram's range mapped onto them); like
    the y axes, they are labelled under the first panel only, with three texts, so
    switching the activation re-labels them without laying out the axes again.  In the
    same way the std panels' layer axes keep their limits (0 to 1): the points sit at
    (l - 1/2) / depth, and the ticks, their labels and the grid lines are artists that
    move with the depth, so a new depth redraws a few artists, not the axes.

    Each setting is computed once: the forward pass of a layer is shared by every depth
    (see ``_ProbeRun``), and what a setting draws is kept (a few kB), so moving a slider
    back and forth costs no new pass; after a depth move, the other depths are computed
    while the kernel is idle (:meth:`_prefetch_later`).  ``view.signal`` (every layer's arrays, for the
    tables of :mod:`nbsupport.diagnostics`) is computed when it is asked for.
    """

    controls = (
        ChoiceControl("activation", "relu", tuple(HISTOGRAM_RANGES), "activation"),
        ChoiceControl("init", "He/Kaiming", tuple(INITS), "initialization"),
        FloatControl("std", 0.14, 0.01, 1.5, 0.01, "std (for 'free std')"),
        IntControl("depth", 5, 1, MAX_DEPTH, "depth"),
    )
    #: How many settings' frames are kept (each a few kB).
    CACHED_FRAMES = 256
    #: Seconds without an update, after a change of depth, before the other depths of the
    #: setting are computed (see :meth:`_prefetch_later`); None: never.
    PREFETCH_SECONDS: float | None = 0.03

    def __init__(self, panels: int = 5, bins: int = 40, seed: int = 0) -> None:
        self.panels, self.bins, self.seed = panels, bins, seed
        self.x, self.top_grad = probe_inputs(seed)
        self._run: _ProbeRun | None = None
        self._frames: OrderedDict[tuple, _Frame] = OrderedDict()
        self._signal: Signal | None = None
        self._prefetching = False
        self._last_update = 0.0   # time.monotonic() of the last update
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
        self.tick_labels = tick_texts(self.act_axes[0], 3)
        for text, x in zip(self.tick_labels, (0.0, 0.5, 1.0)):
            text.set_x(x)
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
        self.params: dict | None = None
        self.covers: list[Rectangle] = []
        self.update()
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")  # keep that layout: re-running it costs ~40 ms a draw
        self._cover_columns()
        self.update(**self.params)

    def _cover_columns(self) -> None:
        """One rectangle of the figure's colour over each histogram column but the first,
        shown where the depth has fewer layers than panels.

        Covering a column, rather than hiding its axes, keeps every axes as it is: a
        live figure then redraws a few artists, not the whole figure.  Each rectangle
        runs from the right end of the column before to the left end of the column after
        (their tick labels included), the full height of the figure.
        """
        renderer = self.fig.canvas.get_renderer()
        to_figure = self.fig.transFigure.inverted()
        columns = [(*self.act_axes[i:i + 1], *self.grad_axes[i:i + 1]) for i in range(self.panels)]
        columns.append((self.std_act_ax, self.std_grad_ax))
        extents = []
        for axes in columns:
            boxes = [box for ax in axes for box in (ax.bbox, ax.xaxis.get_tightbbox(renderer),
                                                    ax.yaxis.get_tightbbox(renderer)) if box]
            extents.append((min(b.x0 for b in boxes), max(b.x1 for b in boxes)))
        for panel in range(1, self.panels):
            left = to_figure.transform((extents[panel - 1][1] + 1, 0))[0]
            right = to_figure.transform((extents[panel + 1][0] - 1, 0))[0]
            cover = Rectangle((left, 0.0), right - left, 1.0, transform=self.fig.transFigure,
                              facecolor=self.fig.get_facecolor(), edgecolor="none", zorder=10,
                              visible=False)
            self.covers.append(self.fig.add_artist(cover))

    def _std_panels(self) -> None:
        # the panels share their layer axis: numbers under the lower one only
        self.layer_axes = [LayerAxis(self.std_act_ax, MAX_DEPTH, numbered=False),
                           LayerAxis(self.std_grad_ax, MAX_DEPTH)]
        self.std_act_line, self.std_grad_line = (
            ax.plot([], [], "o-", color=color, transform=layers.transform + ax.get_yaxis_transform())[0]
            for ax, layers, color in zip((self.std_act_ax, self.std_grad_ax), self.layer_axes, COLORS))
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
    def inactive_controls(*, init: str = "Xavier/Glorot", **_others) -> set[str]:
        """The std slider counts only for the "free std" initialization."""
        return set() if init == "free std" else {"std"}

    @property
    def signal(self) -> Signal:
        """Every layer's z, a and dL/dz at the current setting (computed when first asked for)."""
        if self._signal is None:
            p = self.params
            weights = probe_weights(scheme_std(p["init"], p["std"]), p["depth"], seed=self.seed)
            self._signal = propagate(self.x, weights, p["activation"], self.top_grad)
        return self._signal

    def _frame(self, activation: str, std: float, depth: int) -> _Frame:
        key = (activation, std, depth)
        if key in self._frames:
            self._frames.move_to_end(key)
            return self._frames[key]
        run = self._run
        if run is None or (run.activation, run.std) != (activation, std):
            run = self._run = _ProbeRun(self.x, activation, std, self.seed, self.bins)
        frame = self._frames[key] = run.frame(depth, self.panels, self.top_grad)
        if len(self._frames) > self.CACHED_FRAMES:
            self._frames.popitem(last=False)
        return frame

    def _prefetch_later(self) -> None:
        """Compute the other depths of the current setting while the kernel is idle.

        Someone who moves the depth slider will likely move it again: once no update has
        come for :attr:`PREFETCH_SECONDS` (a drag has paused or ended), the depths nearest
        the current one are computed, one per turn of the kernel's event loop (a few ms
        each, so a slider move waits at most that long), and the next moves only draw.
        Outside an event loop (a script, a test) nothing is scheduled.
        """
        if self.PREFETCH_SECONDS is None or self._prefetching:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._prefetching = True
        loop.call_later(self.PREFETCH_SECONDS, self._prefetch_one)

    def _prefetch_one(self) -> None:
        self._prefetching = False
        quiet = time.monotonic() - self._last_update
        if quiet < self.PREFETCH_SECONDS:   # still being moved: wait for a pause
            self._prefetch_later()
            return
        p = self.params
        std = _weight_std(scheme_std(p["init"], p["std"]))
        nearest = sorted(range(1, MAX_DEPTH + 1), key=lambda d: abs(d - p["depth"]))
        missing = [d for d in nearest if (p["activation"], std, d) not in self._frames]
        if missing:
            self._frame(p["activation"], std, missing[0])
            self._prefetch_later()

    def update(self, *, activation: str = "sigmoid", init: str = "Xavier/Glorot",
               std: float = 0.1, depth: int = 5) -> None:
        if activation not in HISTOGRAM_RANGES:
            raise ValueError(f"activation must be one of {list(HISTOGRAM_RANGES)}, got {activation!r}")
        if not 1 <= depth <= MAX_DEPTH:
            raise ValueError(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
        scheme = scheme_std(init, std)
        weight_std = _weight_std(scheme)
        frame = self._frame(activation, weight_std, depth)
        before = self.params or {}
        self._last_update = time.monotonic()
        self.params = dict(activation=activation, init=init, std=std, depth=depth)
        self._signal = None
        # Artists that a change of a control can alter count as changed whenever it
        # changes, even those whose values happen to repeat: a live figure then takes them
        # all out of its background at the first move (one full draw), not one at a time
        # at later moves.  The histograms, panel titles and std lines follow every control.
        _mark_changed([*self.act_stairs, *self.grad_stairs, *(ax.title for ax in self.act_axes),
                       self.std_act_line, self.std_grad_line])
        if before.get("activation") != activation:
            _mark_changed(self.tick_labels)
        if before.get("depth") != depth:
            _mark_changed([*self.covers,
                           *(artist for axis in self.layer_axes for artist in axis.artists())])
        lo, hi = HISTOGRAM_RANGES[activation]
        for text, label in zip(self.tick_labels, [f"{v:g}" for v in (lo, (lo + hi) / 2, hi)]):
            text.set_text(label)
        for panel, cover in enumerate(self.covers, start=1):
            cover.set_visible(panel >= len(frame.layers))
        for panel in range(len(frame.layers)):
            self.act_stairs[panel].set_data(frame.act_shares[panel])
            self.act_axes[panel].title.set_text(frame.titles[panel])
            self.grad_stairs[panel].set_data(frame.grad_shares[panel])
        for axis in self.layer_axes:
            axis.show(depth)
        layers = np.arange(1, depth + 1)
        self.std_act_line.set_data(layers, np.clip(frame.std_a, *_STD_RANGE))
        self.std_grad_line.set_data(layers, np.clip(frame.std_dz, *_STD_RANGE))
        if before.get("depth") != depth:
            if before:
                self._prefetch_later()
        title = f"{activation}, {init}\nstd(w) = {weight_std:.3g}"
        if self.std_act_ax.get_title() != title:
            self.std_act_ax.set_title(title, fontsize="medium")


def _mark_changed(artists) -> None:
    for artist in artists:
        artist.stale = True


def binned_share(values: np.ndarray, lo: float, hi: float, bins: int) -> np.ndarray:
    """Share of ``values`` in each of ``bins`` equal bins on [lo, hi]; values outside
    the range are counted in the first or last bin (so nothing disappears).

    A bincount of computed indices, bin = floor((v - lo) bins / (hi - lo)) clipped to
    [0, bins - 1] while still a float (NaN goes to the first bin), in one scratch array:
    three times faster than ``np.histogram`` with a range, ten times faster than with an
    array of edges, which sorts.

    >>> binned_share(np.array([-5.0, 0.1, 0.6, 0.7]), 0.0, 1.0, 2).tolist()
    [0.5, 0.5]
    """
    position = values.ravel() - float(lo)   # a new float array (float32 stays float32)
    position *= bins / (hi - lo)
    np.fmax(position, 0, out=position)
    np.fmin(position, bins - 0.5, out=position)
    return np.bincount(position.astype(np.intp), minlength=bins) / max(values.size, 1)


def _share_readout(z: np.ndarray, a: np.ndarray, activation: str) -> str:
    """"sat 12%" where saturation is defined (sigmoid, tanh), else the share of zeros."""
    saturated = saturated_share(z, activation)
    if math.isnan(saturated):
        return f"zero {100 * np.count_nonzero(a == 0) / a.size:.0f}%"
    return f"sat {100 * saturated:.0f}%"


def _log_magnitude_share(dz: np.ndarray, bins: int) -> np.ndarray:
    """Histogram (shares of all values) of log10 |dz| on :data:`_GRAD_RANGE`; zeros,
    which have no logarithm, are left out (so the shares add up to the nonzero share).

    The zeros are raised to the smallest normal number, binned with the other values far
    below the range (first bin) and then taken out of it: three times faster than
    picking out the nonzero values, and no log of 0.
    """
    magnitude = np.abs(dz)
    zeros = magnitude.size - np.count_nonzero(magnitude)
    np.maximum(magnitude, np.finfo(magnitude.dtype).tiny, out=magnitude)
    shares = binned_share(np.log10(magnitude, out=magnitude), *_GRAD_RANGE, bins)
    shares[0] -= zeros / max(magnitude.size, 1)
    return shares

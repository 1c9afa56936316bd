"""Figures for the ReLU-family notebook (03): kink, dying units, ELU means, Maxout, PReLU, SELU.

Every live view builds its figure once and changes artist data in ``update``; the
data it needs is computed once in ``__init__`` (grids, pre-activations), so a slider
move costs a few vectorised NumPy operations and one redraw.
"""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from ..activations import elu, maxout, relu
from ..controls import FloatControl, IntControl, control_named
from ..diagnostics import active_fraction, dead_share
from ..fitting import tangent_pieces
from ..plotting import COLORS, PALETTE, label_axes, new_figure

__all__ = ["SubgradientView", "DyingReluView", "EluMeanView", "MaxoutView", "alpha_history_figure",
           "slope_histogram_figure", "layer_statistics_figure"]

_GOOD, _BAD = PALETTE["green"], PALETTE["vermillion"]


class SubgradientView:
    """ReLU near its kink and a line g * x through the origin.

    The line is a subgradient at 0 exactly when it never rises above ReLU, i.e. when
    0 <= g <= 1; the part of the line above the graph is drawn in vermillion.
    """

    controls = (FloatControl("slope", 0.5, -1.0, 2.0, 0.05, "slope g"),)

    def __init__(self, half_width: float = 2.0) -> None:
        self.x = np.linspace(-half_width, half_width, 401)
        self.relu_x = relu(self.x)
        self.fig, (self.ax,) = new_figure(width=6.4, height=4.2)
        self.ax.plot(self.x, self.relu_x, color=COLORS[0], label="ReLU(x)", linewidth=3)
        nan = np.full_like(self.x, np.nan)
        (self.line,) = self.ax.plot(self.x, nan, color=_GOOD, label="g x")
        (self.above,) = self.ax.plot(self.x, nan, color=_BAD, linewidth=5, alpha=0.8,
                                     label="line above ReLU")
        self.ax.set(xlim=(-half_width, half_width), ylim=(-1.0, half_width))
        label_axes(self.ax, "x", "y", title=" ", legend=False)
        # beside the axes: a steep line of either sign crosses both upper corners
        legend = self.ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        self.line_swatch = legend.legend_handles[1]

    def update(self, *, slope: float) -> None:
        line = slope * self.x
        violates = line > self.relu_x + 1e-12
        valid = not violates.any()
        self.line.set_ydata(line)
        self.line.set_color(_GOOD if valid else _BAD)
        self.line_swatch.set_color(self.line.get_color())
        self.above.set_ydata(np.where(violates, line, np.nan))
        verdict = "a subgradient" if valid else "NOT a subgradient"
        self.ax.set_title(f"g = {slope:.2f}: {verdict} of ReLU at 0")


class DyingReluView:
    """Dead ReLU units after one gradient step of size ``lr`` and a bias shift.

    One step changes the pre-activations linearly in the learning rate:
    ``z(lr, shift) = z_before - lr * dz_per_lr + shift``, where ``dz_per_lr`` is
    ``X @ dE/dW + dE/db`` on the fixed batch.  Left: the share of dead units as a
    function of lr (for the current shift), with the current lr marked.  Right: the
    histogram over units of the fraction of the batch on which each unit is active,
    before (grey) and after (colour); the bar at 0 holds the dead units.

    Parameters
    ----------
    z_before : array (n_samples, n_units)
    dz_per_lr : array (n_samples, n_units)
    lr_max : float
        Right end of the learning-rate axis and of the learning-rate control.
    """

    @classmethod
    def example(cls) -> "DyingReluView":
        rng = np.random.default_rng(0)
        return cls(rng.normal(size=(40, 25)), rng.normal(size=(40, 25)), lr_max=4.0)

    def __init__(self, z_before: np.ndarray, dz_per_lr: np.ndarray, lr_max: float) -> None:
        self.controls = (FloatControl("lr", lr_max / 2, 0.0, lr_max, lr_max / 80, "learning rate"),
                         FloatControl("shift", 0.0, -3.0, 1.0, 0.1, "bias shift"))
        self.z_before = np.asarray(z_before, dtype=float)
        self.dz = np.asarray(dz_per_lr, dtype=float)
        self.lr_grid = np.linspace(0.0, lr_max, 121)
        self._curves: dict[float, np.ndarray] = {}  # dead share over lr_grid, per bias shift
        self._prepare_bounds()
        # a bar of its own left of 0 for the dead units (active on exactly 0 samples), then 20 bins
        self.bins = np.concatenate([[-0.05], np.linspace(1e-12, 1.0, 21)])
        self.fig, (self.ax_curve, self.ax_hist) = new_figure(2)
        (self.curve,) = self.ax_curve.plot(self.lr_grid, np.zeros_like(self.lr_grid),
                                           color=COLORS[0], label="dead after the step")
        (self.marker,) = self.ax_curve.plot([0.0], [0.0], "o", color=COLORS[3], markersize=9,
                                            label="current lr")
        self.ax_curve.axhline(dead_share(self.z_before), color=PALETTE["black"], alpha=0.4,
                              linestyle="--", label="dead before")
        self.ax_curve.set(xlim=(0.0, lr_max), ylim=(-0.02, 1.02))
        label_axes(self.ax_curve, "learning rate of the one step", "share of dead units",
                   title=" ")
        before, _ = np.histogram(active_fraction(self.z_before), self.bins)
        self.ax_hist.stairs(before, self.bins, color=PALETTE["black"], alpha=0.5, label="before")
        self.after = self.ax_hist.stairs(before, self.bins, color=COLORS[1], fill=True, alpha=0.6,
                                         label="after")
        n_units = self.z_before.shape[1]
        self.ax_hist.set(xlim=(-0.06, 1.0), ylim=(0, n_units))
        label_axes(self.ax_hist, "fraction of the batch where the unit is active",
                   "number of units", title=" ")
        self.ax_hist.legend(frameon=False, loc="upper center")

    def _prepare_bounds(self) -> None:
        """Keep what :meth:`dead_interval` needs: 1 / d where d != 0, and the sign of d.

        Sample i of unit j allows lr >= (z_ij + s) / d_ij when d_ij > 0 and lr <= (z_ij + s) / d_ij
        when d_ij < 0: a + s b with a = z / d, b = 1 / d, formed per shift (one array of
        the batch's size is kept, not four).  Samples the step does not move (d_ij = 0)
        allow any lr when z_ij + s <= 0 and none otherwise.
        """
        z, d = self.z_before, self.dz
        self._inv = np.zeros_like(d)
        np.divide(1.0, d, out=self._inv, where=d != 0)
        self._rises, self._falls = d > 0, d < 0
        self._unmoved_max = np.where(d == 0, z, -np.inf).max(axis=0)

    def dead_interval(self, shift: float) -> tuple[np.ndarray, np.ndarray]:
        """Per unit, the range [low, high] of learning rates >= 0 that leave it dead.

        Unit j is dead when ``lr * dz[i, j] >= z_before[i, j] + shift`` for every
        sample i; each sample gives a lower or an upper bound on lr (empty when low > high).
        """
        bound = self.z_before * self._inv
        bound += shift * self._inv
        low = np.max(np.where(self._rises, bound, -np.inf), axis=0)
        high = np.min(np.where(self._falls, bound, np.inf), axis=0)
        return np.where(self._unmoved_max + shift > 0, np.inf, np.maximum(low, 0.0)), high

    def dead_curve(self, shift: float) -> np.ndarray:
        """Share of dead units at each learning rate of ``lr_grid`` (cached per shift)."""
        if shift not in self._curves:
            low, high = self.dead_interval(shift)
            grid = self.lr_grid[:, None]
            self._curves[shift] = ((grid >= low) & (grid <= high)).mean(axis=1)
        return self._curves[shift]

    def update(self, *, lr: float, shift: float = 0.0) -> None:
        self.curve.set_ydata(self.dead_curve(shift))
        z_after = self.z_before - lr * self.dz + shift
        fraction = active_fraction(z_after)
        share = dead_share(z_after)
        self.marker.set_data([lr], [share])
        counts, _ = np.histogram(fraction, self.bins)
        self.after.set_data(counts, self.bins)
        self.ax_curve.set_title(f"bias shift {shift:+.1f}: {share:.0%} dead at lr = {lr:.2f}")
        self.ax_hist.set_title(f"{counts[0]} dead units (the bar left of 0)")


class EluMeanView:
    """ELU against ReLU on the same pre-activations: curves and output histograms with means.

    Parameters
    ----------
    z : array
        Pre-activations (for example standard normal samples), fixed.
    """

    controls = (FloatControl("alpha", 1.0, 0.0, 3.0, 0.05, "alpha"),)

    @classmethod
    def example(cls) -> "EluMeanView":
        return cls(np.random.default_rng(0).normal(size=2000))

    def __init__(self, z: np.ndarray) -> None:
        self.z = np.asarray(z, dtype=float).ravel()
        self.x = np.linspace(-4.0, 3.0, 401)
        self.bins = np.linspace(-2.0, 3.0, 51)
        relu_out = relu(self.z)
        self.relu_mean = float(relu_out.mean())
        self.fig, (self.ax_curve, self.ax_hist) = new_figure(2)
        self.ax_curve.plot(self.x, relu(self.x), color=COLORS[0], label="ReLU")
        (self.elu_line,) = self.ax_curve.plot(self.x, self.x, color=COLORS[1], label="ELU")
        self.ax_curve.set(xlim=(self.x[0], self.x[-1]), ylim=(-2.2, 3.0))
        label_axes(self.ax_curve, "x", "f(x)", title=" ")
        counts, _ = np.histogram(relu_out, self.bins)
        self.ax_hist.stairs(counts, self.bins, color=COLORS[0], linewidth=2, label="ReLU outputs")
        self.elu_hist = self.ax_hist.stairs(counts, self.bins, color=COLORS[1], fill=True,
                                            alpha=0.5, label="ELU outputs")
        self.ax_hist.axvline(self.relu_mean, color=COLORS[0], linestyle="--", label="ReLU mean")
        self.elu_mean_line = self.ax_hist.axvline(0.0, color=COLORS[1], linestyle="--",
                                                  label="ELU mean")
        self.ax_hist.set_yscale("log")
        self.ax_hist.set(xlim=(self.bins[0], self.bins[-1]), ylim=(0.8, self.z.size))
        label_axes(self.ax_hist, "output f(x)", "count (log scale)", title=" ", legend=False)
        # below the axes: the bars reach the upper corners on the log scale
        self.ax_hist.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)

    def update(self, *, alpha: float) -> None:
        out = elu(self.z, alpha)
        mean = float(out.mean())
        self.elu_line.set_ydata(elu(self.x, alpha))
        counts, _ = np.histogram(out, self.bins)
        self.elu_hist.set_data(counts, self.bins)
        self.elu_mean_line.set_xdata([mean, mean])
        self.ax_curve.set_title(f"ELU with α = {alpha:.2f}")
        self.ax_hist.set_title(f"mean: ReLU {self.relu_mean:.3f}, ELU {mean:.3f}")


class MaxoutView:
    """A Maxout unit with k linear pieces approximating a convex curve.

    Parameters
    ----------
    f, fprime : callables
        The convex target and its derivative.
    span : (float, float)
        The x range.

    As many line artists as the pieces control's largest k are made once.
    """

    controls = (IntControl("pieces", 4, 1, 12, "pieces k"),)

    @classmethod
    def example(cls) -> "MaxoutView":
        return cls(np.square, lambda t: 2 * t)

    def __init__(self, f: Callable, fprime: Callable, span: tuple[float, float] = (-2.0, 2.0),
                 ylim: tuple[float, float] = (-1.0, 4.5)) -> None:
        max_pieces = control_named(self.controls, "pieces").max
        self.f, self.fprime, self.span = f, fprime, span
        self.x = np.linspace(*span, 801)
        self.target = f(self.x)
        self.fig, (self.ax,) = new_figure(width=6.8, height=4.4)
        self.piece_lines = [self.ax.plot(self.x, np.full_like(self.x, np.nan), color=COLORS[5],
                                         linewidth=1, alpha=0.8,
                                         label="pieces" if k == 0 else None)[0]
                            for k in range(max_pieces)]
        self.ax.plot(self.x, self.target, color=COLORS[0], linewidth=3, label="target f(x)")
        (self.max_line,) = self.ax.plot(self.x, np.full_like(self.x, np.nan), color=COLORS[1],
                                        linewidth=2.5, label="Maxout: max of the pieces")
        self.ax.set(xlim=span, ylim=ylim)
        label_axes(self.ax, "x", "y", title=" ")
        self.ax.legend(frameon=False, loc="upper center")

    def update(self, *, pieces: int) -> None:
        lines = tangent_pieces(self.f, self.fprime, self.x, pieces, self.span)
        out = maxout(lines, pieces)[:, 0]
        for k, artist in enumerate(self.piece_lines):
            artist.set_ydata(lines[:, k] if k < pieces else np.full_like(self.x, np.nan))
        self.max_line.set_ydata(out)
        gap = float(np.max(self.target - out))
        self.ax.set_title(f"k = {pieces} pieces: largest gap {gap:.3f}")


def alpha_history_figure(steps: np.ndarray, alphas: Mapping[str, np.ndarray],
                         xlabel: str = "epoch") -> Figure:
    """PReLU slopes during training: per layer, the mean alpha and the 10-90 % band over units.

    Parameters
    ----------
    steps : array (n_records,)
        When each record was taken, in units of ``xlabel``.
    alphas : mapping label -> array (n_records, n_units)
    """
    fig, (ax,) = new_figure(width=7.0, height=4.2)
    for i, (label, values) in enumerate(alphas.items()):
        values = np.asarray(values)
        low, high = np.percentile(values, [10, 90], axis=1)
        ax.fill_between(steps, low, high, color=COLORS[i], alpha=0.2)
        ax.plot(steps, values.mean(axis=1), color=COLORS[i], label=f"{label}: mean alpha")
    label_axes(ax, xlabel, "PReLU slope alpha", title="alpha is learned (band: 10-90 % of units)",
               legend=False)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))  # the bands fill the axes
    return fig


def slope_histogram_figure(slopes: np.ndarray, lower: float, upper: float) -> Figure:
    """RReLU: histogram of the random negative-side slopes drawn in training, with their mean."""
    slopes = np.asarray(slopes).ravel()
    fig, (ax,) = new_figure(width=6.4, height=4.0)
    ax.hist(slopes, bins=np.linspace(lower - 0.02, upper + 0.02, 41), color=COLORS[0], alpha=0.7,
            label=f"{slopes.size} slopes drawn in training")
    ax.axvline((lower + upper) / 2, color=COLORS[3], linewidth=3,
               label=f"evaluation slope (l+u)/2 = {(lower + upper) / 2:.4f}")
    ax.axvline(slopes.mean(), color=PALETTE["black"], linestyle="--",
               label=f"mean of the draws = {slopes.mean():.4f}")
    label_axes(ax, "negative-side slope a", "count", title="RReLU: U(l, u) in training",
               legend=False)
    fig.legend(loc="outside lower center", frameon=False)  # the bars fill the axes' width
    return fig


def layer_statistics_figure(stats: Mapping[str, np.ndarray], target: Sequence[float] = (0.0, 1.0)
                            ) -> Figure:
    """Mean (left) and variance (right) of the activations, layer by layer, per network.

    Parameters
    ----------
    stats : mapping label -> array (n_layers, 2) of (mean, variance)
    target : the fixed point drawn as dashed lines (SELU's (0, 1))
    """
    fig, (ax_mean, ax_var) = new_figure(2)
    for i, (label, values) in enumerate(stats.items()):
        values = np.asarray(values)
        layers = np.arange(1, len(values) + 1)
        ax_mean.plot(layers, values[:, 0], "o-", color=COLORS[i], label=label, markersize=4)
        ax_var.plot(layers, values[:, 1], "o-", color=COLORS[i], label=label, markersize=4)
    ax_mean.axhline(target[0], color=PALETTE["black"], linestyle="--", alpha=0.5)
    ax_var.axhline(target[1], color=PALETTE["black"], linestyle="--", alpha=0.5)
    ax_var.set_yscale("log")
    label_axes(ax_mean, "layer", "mean of activations", title="mean")
    label_axes(ax_var, "layer", "variance of activations (log)", title="variance", legend=False)
    return fig

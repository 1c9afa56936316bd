"""Figures for notebook 01: where the sigmoid goes flat, and what that does to learning.

- :func:`sigmoid_curves_figure`: s and s' = s(1 - s) with the peak 1/4 marked, and s'
  on a log axis with the points where it falls below given levels.
- :class:`SaturationView`: the pre-activations w x + b of a fixed input sample, the
  outputs s(w x + b), and the share of them that is saturated, for sliders w and b.
- :class:`ZigZagView`: one-sample gradient steps of a linear unit on 2-D inputs; with
  all-positive inputs every step has two components of the same sign and the path
  zig-zags, with zero-centred inputs it heads straight for the optimum.

"Saturated" is :mod:`nbsupport.diagnostics`' definition: s'(z) below
``SATURATION_SHARE`` (5 %) of its peak 1/4, i.e. |z| beyond ``saturation_bound("sigmoid")``.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..activations import sigmoid, sigmoid_grad
from ..controls import FloatControl
from ..diagnostics import SATURATION_SHARE, peak_slope, saturation_bound, sigmoid_grad_crossing
from ..fitting import one_sample_descent
from ..plotting import COLORS, PALETTE, label_axes, new_figure

__all__ = ["sigmoid_curves_figure", "SaturationView", "ZigZagView"]

#: s' at the edge of saturation: 5 % of the peak 1/4.
SATURATION_LEVEL = SATURATION_SHARE * peak_slope("sigmoid")
#: Tops a histogram's share axis may take; each splits into quarters with short labels.
_SHARE_TOPS = (0.04, 0.08, 0.2, 0.4, 0.6, 0.8, 1.2)


def _share_top(peak: float) -> float:
    """The smallest of ``_SHARE_TOPS`` at least 10 % above ``peak``."""
    return next((top for top in _SHARE_TOPS if top >= 1.1 * peak), _SHARE_TOPS[-1])


def sigmoid_curves_figure(levels: tuple[float, ...] = (1e-2, 1e-4)) -> Figure:
    """Left: s and s' with the peak s'(0) = 1/4. Right: s' on a log axis and its crossings."""
    x = np.linspace(-8, 8, 801)
    fig, (ax, ax_log) = new_figure(2)
    ax.plot(x, sigmoid(x), color=COLORS[0], label="$s(x)$")
    ax.plot(x, sigmoid_grad(x), color=COLORS[1], label="$s'(x) = s(1-s)$")
    ax.plot([0], [0.25], "o", color=PALETTE["vermillion"], label="peak $s'(0) = 1/4$")
    ax.axhline(0.3, color=PALETTE["black"], linestyle=":", linewidth=1.5,
               label="0.3 (a misquoted peak)")
    ax.set_ylim(-0.05, 1.05)
    label_axes(ax, "$x$", "value", title="the sigmoid and its slope", legend=False)

    right = np.linspace(0, 12, 601)
    ax_log.semilogy(right, sigmoid_grad(right), color=COLORS[1], label="$s'(x)$")
    for i, level in enumerate(levels):
        at = sigmoid_grad_crossing(level)
        ax_log.axhline(level, color=COLORS[2 + i], linestyle="--", linewidth=1.2)
        ax_log.plot([at], [level], "o", color=COLORS[2 + i],
                    label=f"$s' = 10^{{{int(np.log10(level))}}}$ at $x = {at:.2f}$")
    ax_log.set_ylim(1e-6, 0.5)
    label_axes(ax_log, "$x$", "$s'(x)$ (log scale)", title="how fast the slope vanishes", legend=False)
    # below the axes: the horizontal lines cross both panels from edge to edge
    for panel in (ax, ax_log):
        panel.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize="small",
                     ncols=2)
    return fig


class SaturationView:
    """Histograms of z = w x + b and s(z) for a fixed input sample x, and the saturated share.

    Left: the pre-activations z (values beyond the axis are counted in the end bins)
    with the saturated tails |z| > 4.357 (s' < 5 % of 1/4) shaded.  Middle: the outputs
    s(z).  Right: the saturated share against the weight scale w (over the weight
    control's range) for the current bias, the current w marked.  The histograms' share
    axes fit their tallest bin (changed only when it crosses a step of ``_SHARE_TOPS``);
    the legend sits below the panels.

    Parameters
    ----------
    inputs : array_like
        The input sample x (1-D), fixed for the life of the view.
    """

    Z_EDGES = np.linspace(-12.0, 12.0, 49)
    S_EDGES = np.linspace(0.0, 1.0, 21)
    controls = (FloatControl("weight", 4.0, 0.25, 8.0, 0.25, "weight scale w"),
                FloatControl("bias", 1.0, -6.0, 6.0, 0.25, "bias b"))

    @classmethod
    def example(cls) -> "SaturationView":
        return cls(np.random.default_rng(0).normal(size=2000))

    def __init__(self, inputs: np.ndarray) -> None:
        weight_range = self.controls[0].span
        self.inputs = np.sort(np.asarray(inputs, dtype=float).ravel())
        self.weights = np.linspace(*weight_range, 40)
        self.flat_at = saturation_bound("sigmoid")
        # Bin edges as pre-activations; the outer edges are open so the end bins collect the rest.
        self._z_edges = np.concatenate([[-np.inf], self.Z_EDGES[1:-1], [np.inf]])
        inner = self.S_EDGES[1:-1]
        self._s_edges_as_z = np.concatenate([[-np.inf], np.log(inner) - np.log1p(-inner), [np.inf]])
        self.fig, (self.ax_z, self.ax_s, self.ax_share) = new_figure(3)
        zeros_z = np.zeros(len(self.Z_EDGES) - 1)
        zeros_s = np.zeros(len(self.S_EDGES) - 1)
        for side in (-1, 1):
            self.ax_z.axvspan(side * self.flat_at, side * 12.0, color=PALETTE["vermillion"],
                              alpha=0.12, linewidth=0)
        self.z_stairs = self.ax_z.stairs(zeros_z, self.Z_EDGES, fill=True, color=COLORS[0],
                                         alpha=0.8, label="$z = wx + b$")
        self.ax_z.axvspan(0, 0, color=PALETTE["vermillion"], alpha=0.12,
                          label=f"saturated: $s'(z) < {SATURATION_LEVEL:g}$")
        self.ax_z.set_xlim(self.Z_EDGES[0], self.Z_EDGES[-1])
        label_axes(self.ax_z, "pre-activation $z$", "share of units per bin", legend=False)

        self.s_stairs = self.ax_s.stairs(zeros_s, self.S_EDGES, fill=True, color=COLORS[1],
                                         alpha=0.8, label="$s(z)$")
        self.ax_s.set_xlim(0, 1)
        label_axes(self.ax_s, "output $s(z)$", "share of units per bin", title=" ", legend=False)
        self._tops = {self.ax_z: None, self.ax_s: None}

        (self.share_curve,) = self.ax_share.plot(self.weights, np.full_like(self.weights, np.nan),
                                                 color=COLORS[3], label="saturated share")
        (self.share_marker,) = self.ax_share.plot([np.nan], [np.nan], "o", markersize=11,
                                                  color=PALETTE["vermillion"], label="current $w$")
        self.ax_share.set_xlim(*weight_range)
        self.ax_share.set_ylim(0, 1)
        label_axes(self.ax_share, "weight scale $w$", f"share with $s' < {SATURATION_LEVEL:g}$",
                   legend=False)
        handles = [h for ax in (self.ax_z, self.ax_s, self.ax_share)
                   for h in ax.get_legend_handles_labels()[0]]
        self.fig.legend(handles=handles, loc="outside lower center", frameon=False,
                        fontsize="small", ncols=len(handles))

    def _fit_share_axis(self, ax, counts: np.ndarray) -> None:
        """Set ``ax``'s top to :func:`_share_top` of the tallest bin, when that top changes.

        Always five ticks (0 and the quarters), so a new top makes no new tick artists."""
        top = _share_top(float(counts.max()))
        if top != self._tops[ax]:
            self._tops[ax] = top
            ax.set_ylim(0, top)
            ax.set_yticks(np.linspace(0, top, 5))

    def _shares_below(self, z_edges: np.ndarray, weight, bias: float) -> np.ndarray:
        """Share of inputs x with w x + b < each edge (w > 0, so w x + b grows with x)."""
        return np.searchsorted(self.inputs, (z_edges - bias) / weight) / self.inputs.size

    def update(self, *, weight: float, bias: float) -> None:
        """Redraw for z = weight * x + bias (artists changed in place).

        z = w x + b is increasing in x, so every count is a binary search in the
        sorted inputs: a bin of z (or of s(z), through the logit) is a range of x.
        """
        if weight <= 0:
            raise ValueError(f"weight must be > 0, got {weight!r}")
        z_counts = np.diff(self._shares_below(self._z_edges, weight, bias))
        s_counts = np.diff(self._shares_below(self._s_edges_as_z, weight, bias))
        self.z_stairs.set_data(z_counts)
        self.s_stairs.set_data(s_counts)
        self._fit_share_axis(self.ax_z, z_counts)
        self._fit_share_axis(self.ax_s, s_counts)
        w = np.append(self.weights, weight)[:, None]
        below, above = self._shares_below(np.array([-self.flat_at, self.flat_at]), w, bias).T
        shares = below + 1.0 - above
        self.share_curve.set_ydata(shares[:-1])
        self.share_marker.set_data([weight], [shares[-1]])
        self.ax_s.title.set_text(f"{100 * shares[-1]:.1f}% of units saturated")


class ZigZagView:
    """Gradient paths of a 2-input linear unit: inputs shifted by ``offset`` vs zero-centred.

    Left: the weight plane with both paths, the optimum w* and ellipses of equal
    loss of the shifted problem.  Right: the distance |w - w*| against the step.

    Parameters
    ----------
    noise : ndarray of shape (n, 2)
        Zero-centred inputs; the shifted run uses ``noise + offset``.
    w_star, start : array_like of shape (2,)
        The weights that generate the targets (y = w* . x) and the common start.
    steps : int
        Number of one-sample steps drawn.
    """

    LIMITS = (-2.0, 2.0)
    controls = (FloatControl("offset", 2.0, 0.0, 3.0, 0.25, "input offset"),)

    @classmethod
    def example(cls) -> "ZigZagView":
        return cls(np.random.default_rng(0).normal(0.0, 0.5, size=(20, 2)), steps=20)

    def __init__(self, noise: np.ndarray, w_star=(1.0, -1.0), start=(-1.0, 1.0), steps: int = 60,
                 rate: float = 0.5) -> None:
        self.noise = np.asarray(noise, dtype=float)
        self.w_star = np.asarray(w_star, dtype=float)
        self.start = np.asarray(start, dtype=float)
        self.steps, self.rate = steps, rate
        self.angles = np.linspace(0, 2 * np.pi, 121)
        self.fig, (self.ax_w, self.ax_dist) = new_figure(2)
        self.ellipses = [self.ax_w.plot([], [], color=PALETTE["black"], alpha=0.25, linewidth=1)[0]
                         for _ in range(3)]
        (self.path_shifted,) = self.ax_w.plot([], [], "-o", color=COLORS[3], markersize=3,
                                              linewidth=1.2, label="inputs all > 0")
        (self.path_centred,) = self.ax_w.plot([], [], "-o", color=COLORS[0], markersize=3,
                                              linewidth=1.2, label="zero-centred inputs")
        self.ax_w.plot(*self.start, "s", color=PALETTE["black"], markersize=7, label="start")
        self.ax_w.plot(*self.w_star, "*", color=PALETTE["green"], markersize=16, label="optimum $w^*$")
        self.ax_w.set_xlim(*self.LIMITS)
        self.ax_w.set_ylim(*self.LIMITS)
        self.ax_w.set_aspect("equal")
        label_axes(self.ax_w, "$w_1$", "$w_2$", title=" ", legend=False)

        self.step_index = np.arange(steps + 1)
        (self.dist_shifted,) = self.ax_dist.semilogy(self.step_index, np.ones(steps + 1),
                                                     color=COLORS[3], label="inputs all > 0")
        (self.dist_centred,) = self.ax_dist.semilogy(self.step_index, np.ones(steps + 1),
                                                     color=COLORS[0], label="zero-centred")
        self.ax_dist.set_xlim(0, steps)
        self.ax_dist.set_ylim(1e-4, 5)
        label_axes(self.ax_dist, "step", "distance $|w - w^*|$", legend=False)
        # one legend for both panels, below them: the loss ellipses cross every corner
        self.fig.legend(handles=self.ax_w.get_legend_handles_labels()[0], loc="outside lower center",
                        frameon=False, fontsize="small", ncols=4)

    def paths(self, offset: float) -> tuple[np.ndarray, np.ndarray]:
        """The paths with inputs ``noise + offset`` and with ``noise`` alone."""
        shifted = self.noise + offset
        centred = self.noise
        run = lambda x: one_sample_descent(x, x @ self.w_star, self.start, self.steps, self.rate)  # noqa: E731
        return run(shifted), run(centred)

    def _ellipse_points(self, inputs: np.ndarray, loss: float) -> np.ndarray:
        """Points w with mean((w - w*) . x)^2 / 2 = loss."""
        curvature = inputs.T @ inputs / len(inputs)
        values, vectors = np.linalg.eigh(curvature)
        circle = np.stack([np.cos(self.angles), np.sin(self.angles)])
        return (self.w_star[:, None] + vectors @ (np.sqrt(2 * loss / values)[:, None] * circle)).T

    def update(self, *, offset: float) -> None:
        """Redraw both paths for inputs shifted by ``offset`` (artists changed in place)."""
        shifted, centred = self.paths(offset)
        self.path_shifted.set_data(shifted[:, 0], shifted[:, 1])
        self.path_centred.set_data(centred[:, 0], centred[:, 1])
        inputs = self.noise + offset
        start_loss = np.mean(((self.start - self.w_star) @ inputs.T) ** 2) / 2
        for line, fraction in zip(self.ellipses, (0.5, 0.1, 0.01)):
            line.set_data(*self._ellipse_points(inputs, fraction * start_loss).T)
        self.dist_shifted.set_ydata(np.linalg.norm(shifted - self.w_star, axis=1))
        self.dist_centred.set_ydata(np.linalg.norm(centred - self.w_star, axis=1))
        steps = np.diff(shifted, axis=0)
        same_sign = np.mean(steps[:, 0] * steps[:, 1] > 0)
        positive = np.mean(np.all(inputs > 0, axis=1))
        self.ax_w.title.set_text(f"{100 * positive:.0f}% inputs > 0, "
                                 f"{100 * same_sign:.0f}% same-sign steps")

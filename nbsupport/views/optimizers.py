"""Figures for notebook 10: how gradient descent and its refinements move.

- :func:`batch_size_figure`: training loss against epochs and against updates for
  batch, stochastic and mini-batch gradient descent.
- :func:`gradient_noise_figure`: the mean squared error of a mini-batch gradient against
  the batch size on log-log axes, with the line sigma^2 / B.
- :func:`loss_curves_figure`: loss against step for several runs (log scale).
- :func:`momentum_weights_figure`: the weights mu^k of past gradients in the momentum
  buffer, with the window 1 / (1 - mu) marked.
- :func:`dip_figure`: 1-D paths on a curve with a shallow local minimum.
- :func:`nesterov_picture`: one momentum step and one Nesterov step drawn as arrows.
- :class:`OptimizerPathsView`: the explorable, paths of several optimizers on a 2-D
  valley (contours), with their losses.

The views only draw: the numbers come from :mod:`nbsupport.optim`.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from ..controls import FloatControl, control_named
from ..optim import SGD, Adam, Quadratic, descend, dip_curve, momentum_window
from ..plotting import COLORS, PALETTE, label_axes, new_figure

__all__ = ["batch_size_figure", "gradient_noise_figure", "loss_curves_figure",
           "momentum_weights_figure", "dip_figure", "nesterov_picture", "OptimizerPathsView",
           "ellipse_levels"]


def batch_size_figure(runs: Mapping[str, tuple[int, Sequence[float]]]) -> Figure:
    """Left: training loss per epoch; right: the same points against updates (log x).

    ``runs`` maps a label to (updates per epoch, losses after epochs 0, 1, 2, ...).
    """
    fig, (ax_epoch, ax_update) = new_figure(2)
    for i, (label, (per_epoch, losses)) in enumerate(runs.items()):
        epochs = np.arange(len(losses))
        ax_epoch.plot(epochs, losses, color=COLORS[i], label=label)
        ax_update.plot(epochs[1:] * per_epoch, losses[1:], color=COLORS[i], marker="o",
                       markersize=3, label=label)
    ax_update.axhline(losses[0], color=PALETTE["black"], linestyle=":", linewidth=1.2)
    ax_epoch.set_yscale("log")
    ax_update.set_xscale("log")
    ax_update.set_yscale("log")
    label_axes(ax_epoch, "epoch (= n per-sample gradients)", "training loss", title="per epoch")
    label_axes(ax_update, "updates (log scale; dotted: the start)", "training loss", title="per update",
               legend=False)
    return fig


def gradient_noise_figure(batch_sizes: Sequence[int], noise: Sequence[float], spread: float) -> Figure:
    """Measured E||g_B - g||^2 against B (log-log) and the prediction spread / B."""
    B = np.asarray(batch_sizes, dtype=float)
    fig, (ax,) = new_figure(1, width=6.0)
    ax.loglog(B, noise, "o", color=COLORS[0], markersize=8, label="measured")
    ax.loglog(B, spread / B, color=COLORS[1], label=r"$\sigma^2 / B$")
    label_axes(ax, "batch size $B$", r"$E\,\|g_B - g\|^2$", title="noise of a mini-batch gradient")
    return fig


def loss_curves_figure(curves: Mapping[str, Sequence[float]], ylabel: str = "loss",
                       title: str | None = None, ylim: tuple[float, float] | None = None) -> Figure:
    """Loss against step for several runs, log y (a value of 0 is drawn at the bottom)."""
    fig, (ax,) = new_figure(1, width=7.0)
    bottom = ylim[0] if ylim else 1e-16
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        ax.semilogy(np.arange(len(values)), np.clip(values, bottom, None), color=COLORS[i], label=label)
    if ylim:
        ax.set_ylim(*ylim)
    label_axes(ax, "step $k$", ylabel, title=title, legend=False)
    ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def momentum_weights_figure(momenta: Sequence[float], steps: int = 60) -> Figure:
    """The weight mu^k of the gradient k steps back, one curve per mu, windows 1/(1 - mu) marked."""
    fig, (ax,) = new_figure(1, width=7.0)
    k = np.arange(steps)
    for i, mu in enumerate(momenta):
        window = momentum_window(mu)
        ax.plot(k, mu ** k, color=COLORS[i], marker="o", markersize=3, label=fr"$\mu = {mu:g}$")
        if window <= steps:
            ax.axvline(window, color=COLORS[i], linestyle="--", linewidth=1.2)
    label_axes(ax, "steps back $k$ (dashed: $1/(1-\\mu)$)", r"weight $\mu^k$ of $g_{t-k}$",
               title="what the momentum buffer remembers", legend=False)
    ax.legend(frameon=False, loc="upper right")
    return fig


def dip_figure(paths: Mapping[str, np.ndarray]) -> Figure:
    """Left: the curve and where each run ends; right: x against step for each run."""
    fig, (ax_curve, ax_path) = new_figure(2)
    x = np.linspace(-3.0, 4.5, 400)
    ax_curve.plot(x, dip_curve(x), color=PALETTE["black"], linewidth=1.5, label="$f(x)$")
    for i, (label, path) in enumerate(paths.items()):
        path = np.asarray(path, dtype=float).ravel()
        ax_curve.plot([path[-1]], [dip_curve(path[-1])], "o", markersize=10, color=COLORS[i],
                      label=f"{label}: ends at {path[-1]:.2f}")
        ax_path.plot(np.arange(len(path)), path, color=COLORS[i], label=label)
    ax_curve.plot([path[0]], [dip_curve(path[0])], "s", color=PALETTE["black"], markersize=8, label="start")
    label_axes(ax_curve, "$x$", "$f(x)$", title="a shallow dip on the way down", legend=False)
    ax_curve.legend(frameon=False, loc="upper center", fontsize="small")
    ax_curve.set_ylim(-0.5, 6.0)
    label_axes(ax_path, "step $k$", "$x_k$", title="the paths", legend=False)
    return fig


def ellipse_levels(q: Quadratic, extent: tuple[float, float], count: int = 9) -> np.ndarray:
    """``count`` loss levels, geometric, from the corner (extent) down to 1e-4 of it."""
    top = float(q(np.array(extent)))
    return top * np.geomspace(1.0, 1e-4, count)


def _ellipses(q: Quadratic, levels: np.ndarray, points: int = 121) -> list[np.ndarray]:
    """The contour f = c of 0.5 w^T H w for every level c: w = sqrt(2c) H^(-1/2) (cos t, sin t)."""
    values, vectors = np.linalg.eigh(q.H)
    t = np.linspace(0, 2 * np.pi, points)
    circle = np.stack([np.cos(t), np.sin(t)])
    shape = vectors @ np.diag(1 / np.sqrt(values)) @ circle
    return [np.sqrt(2 * c) * shape for c in levels]


def _contours(ax, q: Quadratic, extent: tuple[float, float], lines=None) -> list:
    levels = ellipse_levels(q, extent)
    curves = _ellipses(q, levels)
    if lines is None:
        return [ax.plot(x, y, color=PALETTE["black"], linewidth=0.8, alpha=0.35)[0] for x, y in curves]
    for line, (x, y) in zip(lines, curves):
        line.set_data(x, y)
    return lines


def nesterov_picture(w: Sequence[float] = (-6.0, 1.5), velocity: Sequence[float] = (1.0, -2.5),
                     lr: float = 0.5, momentum: float = 0.9, condition: float = 8.0) -> Figure:
    """One step from ``w`` with the velocity ``velocity`` on a valley: momentum vs Nesterov.

    Momentum adds mu v and the step -lr grad f(w) taken at w; Nesterov first goes to the
    look-ahead point w + mu v and takes the gradient there.
    """
    q = Quadratic.valley(condition, L=1.0)
    w, v = np.asarray(w, dtype=float), np.asarray(velocity, dtype=float)
    ahead = w + momentum * v
    step_here, step_ahead = -lr * q.grad(w), -lr * q.grad(ahead)
    fig, (ax,) = new_figure(1, width=9.5, height=4.6)
    _contours(ax, q, (10.0, 4.0))
    ax.axhline(0, color=PALETTE["black"], linewidth=1, linestyle=":")

    def arrow(start, delta, color, label, style="-"):
        ax.annotate("", xy=start + delta, xytext=start,
                    arrowprops=dict(arrowstyle="-|>", color=color, lw=2.5, linestyle=style,
                                    mutation_scale=18))
        ax.plot([], [], color=color, linewidth=2.5, linestyle=style, label=label)

    arrow(w, momentum * v, PALETTE["black"], r"$\mu v$ (the velocity carried on)")
    arrow(w + momentum * v, step_here, COLORS[0], r"momentum: $-\eta\nabla f(w)$, gradient at $w$")
    arrow(ahead, step_ahead, COLORS[1], r"Nesterov: $-\eta\nabla f(w+\mu v)$, at the look-ahead", "--")
    ax.plot(*w, "o", color=PALETTE["black"], markersize=8, label="$w$")
    ax.plot(*ahead, "s", color=COLORS[1], markersize=8, label=r"look-ahead $w + \mu v$")
    ax.set_xlim(w[0] - 2.0, w[0] + 3.0)
    ax.set_ylim(-2.0, 2.2)
    ax.set_aspect("equal")
    label_axes(ax, "$w_1$ (dotted: the valley floor)", "$w_2$", title="one step, two places to ask for the gradient",
               legend=False)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    return fig


class OptimizerPathsView:
    """Paths of gradient descent, momentum, Nesterov and Adam on the valley
    f(w) = 0.5 (w_1^2 / kappa + w_2^2) (curvature L = 1 across, 1 / kappa along), and their losses.

    Left: the contours of f (ellipses, redrawn only when ``condition`` changes) and the
    paths; right: f(w_k) / f(w_0) against the step k (log scale).  Every path uses the
    learning rate ``lr`` (for Adam it is about the length of a step); momentum and
    Nesterov use ``momentum``; Adam its default betas (0.9, 0.999).  A path that leaves the
    picture ends at its edge; losses above 1e4 are drawn at the top.

    Parameters
    ----------
    steps : int
        Length of every path.
    extent : (float, float), optional
        Half-width and half-height of the picture; by default the largest start the
        ``start_x`` and ``start_y`` controls offer.
    """

    controls = (FloatControl("lr", 1.0, 0.05, 4.0, 0.05, "learning rate"),
                FloatControl("momentum", 0.9, 0.0, 0.99, 0.01, "momentum mu"),
                FloatControl("condition", 50.0, 1.0, 200.0, 1.0, "condition number kappa", readout_format=".0f"),
                FloatControl("start_x", -9.0, -10.0, 10.0, 0.5, "start w1"),
                FloatControl("start_y", 3.0, -5.0, 5.0, 0.25, "start w2"))
    latency_kind = {"condition": "contours"}       # the other controls only move the paths
    NAMES = ("gradient descent", "momentum", "Nesterov", "Adam")
    YLIM = (1e-10, 1e4)

    def __init__(self, steps: int = 100, extent: tuple[float, float] | None = None) -> None:
        if extent is None:
            extent = (control_named(self.controls, "start_x").max, control_named(self.controls, "start_y").max)
        self.steps, self.extent = steps, extent
        self.condition = None
        self.fig, (self.ax_paths, self.ax_loss) = new_figure(2)
        self.contour_lines = _contours(self.ax_paths, Quadratic.valley(10.0, L=1.0), extent)
        self.paths = [self.ax_paths.plot([], [], color=COLORS[i], linewidth=1.6, label=name)[0]
                      for i, name in enumerate(self.NAMES)]
        (self.start_marker,) = self.ax_paths.plot([], [], "s", color=PALETTE["black"], markersize=8)
        self.ax_paths.plot(0, 0, "+", color=PALETTE["black"], markersize=14, markeredgewidth=2)
        self.ax_paths.set_xlim(-extent[0], extent[0])
        self.ax_paths.set_ylim(-extent[1], extent[1])
        label_axes(self.ax_paths, "$w_1$ (along the valley)", "$w_2$ (across)", legend=False)
        k = np.arange(steps + 1)
        self.losses = [self.ax_loss.semilogy(k, np.ones_like(k, dtype=float), color=COLORS[i], label=name)[0]
                       for i, name in enumerate(self.NAMES)]
        self.ax_loss.set_ylim(*self.YLIM)
        self.ax_loss.set_xlim(0, steps)
        label_axes(self.ax_loss, "step $k$", r"$f(w_k)\,/\,f(w_0)$", legend=False)
        self.ax_loss.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        self.runs: dict[str, np.ndarray] = {}

    def optimizers(self, lr: float, momentum: float) -> dict:
        """The four optimizers of the picture at these settings (momentum 0: plain for all three)."""
        with_momentum = momentum > 0
        return {"gradient descent": SGD(lr),
                "momentum": SGD(lr, momentum=momentum),
                "Nesterov": SGD(lr, momentum=momentum, nesterov=with_momentum),
                "Adam": Adam(lr)}

    def update(self, *, lr: float, momentum: float, condition: float, start_x: float, start_y: float) -> None:
        """Recompute the four paths (and the contours when ``condition`` changed)."""
        q = Quadratic.valley(condition, L=1.0)
        if condition != self.condition:
            _contours(self.ax_paths, q, self.extent, self.contour_lines)
            self.condition = condition
        start = np.array([start_x, start_y], dtype=float)
        f0 = max(float(q(start)), 1e-300)
        bound = np.array(self.extent) * 1.05
        for i, (name, opt) in enumerate(self.optimizers(lr, momentum).items()):
            path = descend(q.grad, start, opt, self.steps)
            self.runs[name] = path
            outside = np.flatnonzero(np.any(np.abs(path) > bound, axis=1))
            shown = np.clip(path[:outside[0] + 1] if outside.size else path, -bound, bound)
            self.paths[i].set_data(shown[:, 0], shown[:, 1])
            with np.errstate(over="ignore"):
                ratio = q(path) / f0
            self.losses[i].set_ydata(np.clip(ratio, self.YLIM[0], self.YLIM[1]))
        self.start_marker.set_data([start_x], [start_y])

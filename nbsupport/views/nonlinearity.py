"""Figures for notebook 00: stacked linear layers collapse, one non-linearity does not.

:class:`StackedSlopeView` stacks the scalar layer h(x) = c x ``depth`` times: the
result is the single line (c^L) x, drawn on top of it, while the same stack with a
tanh after each layer bends.  :func:`warped_grid_figure` shows the same fact in 2-D:
straight grid lines stay straight under any product of matrices and bend as soon
as a non-linearity sits between the layers.  :func:`fit_comparison_figure` puts the
best straight line and a small network next to a curve.

Example (in a notebook)::

    view = StackedSlopeView()
    view.update(depth=3, slope=1.2)
    view.fig
"""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from ..activations import tanh
from ..controls import FloatControl, IntControl, control_named
from ..identities import stack_scalar_layers
from ..plotting import COLORS, PALETTE, label_axes, new_figure

__all__ = ["StackedSlopeView", "warped_grid_figure", "fit_comparison_figure"]

X_LIMITS = (-3.0, 3.0)
SLOPE_LIMITS = (1e-3, 1e2)
#: Curves that may coincide stay visible: solid, then dashed on top of it, ...
_LINESTYLES = ("-", "--", "-", ":")


class StackedSlopeView:
    """L stacked layers h(x) = c x against the one line (c^L) x, and the tanh stack.

    Left: the stack applied layer by layer (solid), the single layer with slope c^L
    (dashed, on top of it) and the stack with tanh after each layer.  Right: the
    effective slope c^L against the depth L on a log axis, the current depth marked.

    The depth control's range fixes the right panel's x range.
    """

    controls = (IntControl("depth", 4, 1, 10, "depth L"),
                FloatControl("slope", 1.3, 0.5, 1.5, 0.05, "slope c"))

    def __init__(self) -> None:
        self.x = np.linspace(*X_LIMITS, 201)
        max_depth = control_named(self.controls, "depth").max
        self.depths = np.arange(1, max_depth + 1)
        self.fig, (self.ax_map, self.ax_slope) = new_figure(2)
        nan = np.full_like(self.x, np.nan)
        (self.stack_line,) = self.ax_map.plot(self.x, nan, color=COLORS[0],
                                              label="L linear layers")
        (self.single_line,) = self.ax_map.plot(self.x, nan, color=COLORS[1], linestyle="--",
                                               label=r"one layer, slope $c^L$")
        (self.tanh_line,) = self.ax_map.plot(self.x, nan, color=COLORS[2],
                                             label="L layers with tanh")
        self.ax_map.set_xlim(*X_LIMITS)
        self.ax_map.set_ylim(*X_LIMITS)
        label_axes(self.ax_map, "input $x$", "output $y$", title=" ")
        self.ax_map.legend(frameon=False, loc="upper left", fontsize="small")

        (self.slope_curve,) = self.ax_slope.plot(self.depths, np.full(self.depths.shape, np.nan),
                                                 color=COLORS[1], marker="o", markersize=4,
                                                 label=r"$c^L$")
        (self.slope_marker,) = self.ax_slope.plot([np.nan], [np.nan], "o", markersize=12,
                                                  color=PALETTE["vermillion"], label="current L")
        self.ax_slope.axhline(1.0, color=PALETTE["black"], alpha=0.4, linewidth=1)
        self.ax_slope.set_yscale("log")
        self.ax_slope.set_xlim(0.5, max_depth + 0.5)
        self.ax_slope.set_ylim(*SLOPE_LIMITS)
        label_axes(self.ax_slope, "depth $L$", "effective slope $c^L$")

    def update(self, *, depth: int, slope: float) -> None:
        """Redraw for ``depth`` layers of slope ``slope`` (artists changed in place)."""
        depth = int(depth)
        self.stack_line.set_ydata(stack_scalar_layers(self.x, slope, depth))
        self.single_line.set_ydata(slope ** depth * self.x)
        self.tanh_line.set_ydata(stack_scalar_layers(self.x, slope, depth, tanh))
        # plain text (c\u1d38 is c to the power L): mathtext would be laid out again every frame
        self.ax_map.title.set_text(f"L = {depth}, c = {slope:.2f}:  c\u1d38 = {slope ** depth:.3g}")
        self.slope_curve.set_ydata(slope ** self.depths)
        self.slope_marker.set_data([depth], [slope ** depth])


def _grid_lines(half_width: float = 1.0, n_lines: int = 9, n_points: int = 60) -> list[np.ndarray]:
    """Horizontal and vertical lines of a square grid, each an (n_points, 2) array."""
    ticks = np.linspace(-half_width, half_width, n_lines)
    along = np.linspace(-half_width, half_width, n_points)
    horizontal = [np.column_stack([along, np.full_like(along, t)]) for t in ticks]
    vertical = [np.column_stack([np.full_like(along, t), along]) for t in ticks]
    return horizontal + vertical


def warped_grid_figure(weights: Sequence[np.ndarray],
                       activation: Callable[[np.ndarray], np.ndarray] = tanh) -> Figure:
    """A square grid pushed through 2x2 layers: linear only, one matrix, with ``activation``.

    Panel 1: the grid.  Panel 2: the grid after ``x @ W1 @ W2 @ ...`` layer by layer
    (solid) and after the single product matrix (dots): the same straight lines.
    Panel 3: the grid after ``activation`` between the layers: the lines bend.
    """
    weights = [np.asarray(w, dtype=float) for w in weights]
    product = np.linalg.multi_dot(weights) if len(weights) > 1 else weights[0]
    fig, axes = new_figure(3)
    titles = ["input grid", "stacked linear = one matrix", "with tanh between layers"]
    for line in _grid_lines():
        stacked = line
        bent = line
        for w in weights:
            stacked = stacked @ w
            bent = activation(bent @ w)
        axes[0].plot(line[:, 0], line[:, 1], color=COLORS[0], linewidth=1)
        axes[1].plot(stacked[:, 0], stacked[:, 1], color=COLORS[0], linewidth=1)
        one = line[::6] @ product
        axes[1].plot(one[:, 0], one[:, 1], "o", color=COLORS[1], markersize=3)
        axes[2].plot(bent[:, 0], bent[:, 1], color=COLORS[2], linewidth=1)
    axes[1].plot([], [], color=COLORS[0], label="layer by layer")
    axes[1].plot([], [], "o", color=COLORS[1], label="one matrix")
    for ax, title in zip(axes, titles):
        ax.set_aspect("equal", adjustable="datalim")
        label_axes(ax, "$h_1$", "$h_2$", title=title, legend=False)
    fig.legend(handles=axes[1].get_legend_handles_labels()[0], loc="outside lower center",
               frameon=False, ncols=2)  # below the panels: the grid fills its axes
    return fig


def fit_comparison_figure(x: np.ndarray, y: np.ndarray, fits: Mapping[str, np.ndarray],
                          title: str | None = None) -> Figure:
    """The data ``(x, y)`` as dots and each named prediction in ``fits`` as a curve.

    The legend stands right of the axes: the curves may pass through any corner."""
    fig, (ax,) = new_figure(width=7.6)
    ax.plot(x, y, "o", color=PALETTE["black"], markersize=3, alpha=0.5, label="data")
    for i, (label, pred) in enumerate(fits.items()):
        ax.plot(x, pred, color=COLORS[i], linestyle=_LINESTYLES[i % len(_LINESTYLES)], label=label)
    label_axes(ax, "$x$", "$y$", title=title, legend=False)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the data
    return fig

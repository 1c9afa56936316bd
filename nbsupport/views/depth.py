"""The gradient through depth, measured on a random nbsupport MLP (notebooks 01 and 02).

Backpropagation through L hidden layers multiplies the signal, once per layer, by the
activation's derivative (at most 1/4 for the sigmoid, 1 for tanh) and by a weight
matrix.  :func:`nbsupport.diagnostics.depth_profile` builds a real random :class:`nbsupport.mlp.MLP`, runs one
recorded forward and backward pass and returns ||dL/dW_l|| and the mean slope f'(z_l)
of every hidden layer; :class:`DepthView` plots the norms on a log axis for one or
more activations, beside the reference (peak slope)^(L - l) that the derivatives alone
allow, and the mean slopes beside the peak.

Example (in a notebook)::

    view = DepthView(("sigmoid", "tanh"))
    view.update(depth=10, weight_scale=1.0)
    view.fig
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..controls import FloatControl, IntControl
from ..diagnostics import depth_profile, peak_slope
from ..plotting import COLORS, label_axes, new_figure
from ._artist_axes import DecadeAxis, LayerAxis

__all__ = ["DepthView"]

#: The log axis never reaches beyond these decades, whatever the lines do.
DECADE_LIMITS = (-14, 8)


def fitting_decades(values: np.ndarray) -> tuple[int, int]:
    """Whole decades around the positive ``values``, one spare on each side, within
    :data:`DECADE_LIMITS`.

    >>> fitting_decades(np.array([0.004, 1.0]))
    (-4, 1)
    """
    logs = np.log10(values[values > 0])
    low, high = DECADE_LIMITS
    return int(max(np.floor(logs.min()) - 1, low)), int(min(np.ceil(logs.max()) + 1, high))


class DepthView:
    """Left: gradient norm per layer (log axis). Right: the mean slope f'(z) per layer.

    Left, solid: the measured ||dL/dW_l|| divided by its value at the last hidden
    layer; dashed, same colour: (peak slope)^(L - l), what the derivative factors alone
    would leave if every unit sat at its steepest point and the weights changed nothing.
    Right: the mean of f'(z_l) over the batch and the units of each layer, with the
    peak slope dashed: the factor each layer really contributes.

    Parameters
    ----------
    activations : sequence of str
        Names from ``nbsupport.activations.ACTIVATIONS``, e.g. ``("sigmoid", "tanh")``.

    The layer axes end at the chosen depth and the log axis spans the decades the lines
    reach (:func:`fitting_decades`). Both are drawn as artists
    (:mod:`nbsupport.views._artist_axes`), so a new depth moves a few ticks and numbers
    instead of drawing both panels again. The lines hold their data in layers and
    values. The legend sits below the panels, clear of the lines.
    """

    controls = (IntControl("depth", 10, 2, 20, "depth L"),
                FloatControl("weight_scale", 1.0, 0.25, 8.0, 0.25, "weight scale"))

    def __init__(self, activations: Sequence[str] = ("sigmoid",)) -> None:
        self.activations = tuple(activations)
        self.fig, (self.ax, self.ax_slope) = new_figure(2)
        max_depth = self.controls[0].max
        self.layer_axes = (LayerAxis(self.ax, max_depth), LayerAxis(self.ax_slope, max_depth))
        self.decade_axis = DecadeAxis(self.ax, widest=DECADE_LIMITS[0])
        norm_space = self.layer_axes[0].transform + self.decade_axis.transform + self.ax.transAxes
        slope_space = self.layer_axes[1].transform + self.ax_slope.get_yaxis_transform()
        self.measured, self.reference, self.slopes = {}, {}, {}
        for i, name in enumerate(self.activations):
            color, peak = COLORS[i], peak_slope(name)
            (self.measured[name],) = self.ax.plot([], [], "-o", color=color, markersize=4,
                                                  label=name, transform=norm_space)
            (self.reference[name],) = self.ax.plot([], [], "--", color=color, linewidth=1.5,
                                                   label=f"$({peak:g})^{{L-l}}$", transform=norm_space)
            (self.slopes[name],) = self.ax_slope.plot([], [], "-o", color=color, markersize=4,
                                                      label=f"{name}: mean $f'(z)$",
                                                      transform=slope_space)
            self.ax_slope.axhline(peak, color=color, linestyle="--", linewidth=1.5,
                                  label=f"peak {peak:g}")
        top = max(peak_slope(name) for name in self.activations)
        self.ax_slope.set_ylim(0, 1.1 * top)
        label_axes(self.ax, "layer $l$ (1 = input side)",
                   r"$\|\partial L/\partial W_l\|$ / value at $L$", title=" ", legend=False)
        label_axes(self.ax_slope, "layer $l$", "slope factor", title="what each layer multiplies by",
                   legend=False)
        handles = [line for name in self.activations
                   for line in (self.measured[name], self.reference[name])]
        handles += self.ax_slope.get_legend_handles_labels()[0]
        self.fig.legend(handles=handles, loc="outside lower center", frameon=False,
                        fontsize="small", ncols=len(handles) // len(self.activations))

    @property
    def decades(self) -> tuple[int, int] | None:
        """The log axis's range as exponents (low, high): it shows 10**low to 10**high."""
        return self.decade_axis.decades

    def update(self, *, depth: int, weight_scale: float) -> None:
        """Rebuild the random network for ``depth`` and ``weight_scale`` and redraw the lines."""
        depth = int(depth)
        layers = np.arange(1, depth + 1)
        drawn = []
        for name in self.activations:
            norms, slopes = depth_profile(name, depth, weight_scale)
            drawn += [norms / norms[-1], peak_slope(name) ** (depth - layers)]
            self.measured[name].set_data(layers, drawn[-2])
            self.reference[name].set_data(layers, drawn[-1])
            self.slopes[name].set_data(layers, slopes)
        for axis in self.layer_axes:
            axis.show(depth)
        self.decade_axis.show(*fitting_decades(np.concatenate(drawn)))
        self.ax.title.set_text(f"L = {depth}, weight scale {weight_scale:.2f}")  # plain: no mathtext per frame

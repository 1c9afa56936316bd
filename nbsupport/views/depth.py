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
from matplotlib.ticker import MaxNLocator

from ..controls import FloatControl, IntControl, control_named
from ..diagnostics import depth_profile, peak_slope
from ..plotting import COLORS, label_axes, new_figure

__all__ = ["DepthView"]

Y_LIMITS = (1e-14, 1e4)


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

    The depth control's largest value fixes the x axes.
    """

    controls = (IntControl("depth", 10, 2, 20, "depth L"),
                FloatControl("weight_scale", 1.0, 0.25, 8.0, 0.25, "weight scale"))

    def __init__(self, activations: Sequence[str] = ("sigmoid",)) -> None:
        max_depth = control_named(self.controls, "depth").max
        self.activations = tuple(activations)
        self.fig, (self.ax, self.ax_slope) = new_figure(2)
        self.measured, self.reference, self.slopes = {}, {}, {}
        for i, name in enumerate(self.activations):
            color, peak = COLORS[i], peak_slope(name)
            (self.measured[name],) = self.ax.semilogy([], [], "-o", color=color, markersize=4,
                                                      label=name)
            (self.reference[name],) = self.ax.semilogy([], [], "--", color=color, linewidth=1.5,
                                                       label=f"$({peak:g})^{{L-l}}$")
            (self.slopes[name],) = self.ax_slope.plot([], [], "-o", color=color, markersize=4,
                                                      label=f"{name}: mean $f'(z)$")
            self.ax_slope.axhline(peak, color=color, linestyle="--", linewidth=1.5,
                                  label=f"peak {peak:g}")
        for ax in (self.ax, self.ax_slope):
            ax.set_xlim(0.5, max_depth + 0.5)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.ax.set_ylim(*Y_LIMITS)
        self.ax_slope.set_ylim(0, 1.45)
        label_axes(self.ax, "layer $l$ (1 = input side)",
                   r"$\|\partial L/\partial W_l\|$ / value at $L$", title=" ")
        label_axes(self.ax_slope, "layer $l$", "slope factor", title="what each layer multiplies by")
        self.ax.legend(frameon=False, loc="lower right", fontsize="small", ncols=len(self.activations))
        self.ax_slope.legend(frameon=False, loc="upper center", fontsize="small", ncols=len(self.activations))

    def update(self, *, depth: int, weight_scale: float) -> None:
        """Rebuild the random network for ``depth`` and ``weight_scale`` and redraw the lines."""
        depth = int(depth)
        layers = np.arange(1, depth + 1)
        for name in self.activations:
            norms, slopes = depth_profile(name, depth, weight_scale)
            self.measured[name].set_data(layers, norms / norms[-1])
            self.reference[name].set_data(layers, peak_slope(name) ** (depth - layers))
            self.slopes[name].set_data(layers, slopes)
        self.ax.title.set_text(f"L = {depth}, weight scale {weight_scale:.2f}")  # plain: no mathtext per frame

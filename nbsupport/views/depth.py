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
from matplotlib.ticker import FixedLocator, NullLocator

from ..controls import FloatControl, IntControl
from ..diagnostics import depth_profile, peak_slope
from ..plotting import COLORS, label_axes, new_figure

__all__ = ["DepthView"]

#: The log axis never reaches beyond these, whatever the lines do.
Y_LIMITS = (1e-14, 1e8)
#: Every axis has this many tick positions, the unused ones parked outside the view:
#: matplotlib keeps one tick artist per position, so a new depth makes no new artists.
_TICKS = 12


def _fixed_ticks(first: int, last: int, parked: float) -> FixedLocator:
    """Integer ticks from ``first`` to ``last`` (every 1, 2, 3, ... so at most ``_TICKS``),
    padded with ticks at ``parked`` + 1, + 2, ... (outside the view, never drawn)."""
    step = -(-(last - first + 1) // (_TICKS - 2))
    ticks = list(range(first, last + 1, step))
    return FixedLocator(ticks + [parked + k for k in range(1, _TICKS - len(ticks) + 1)])


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

    The x axes end at the chosen depth and the log axis spans the decades the lines
    reach; both change only when the depth (or the decades) change.  The legend sits
    below the panels, clear of the lines.
    """

    controls = (IntControl("depth", 10, 2, 20, "depth L"),
                FloatControl("weight_scale", 1.0, 0.25, 8.0, 0.25, "weight scale"))

    def __init__(self, activations: Sequence[str] = ("sigmoid",)) -> None:
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
        self.ax.yaxis.set_minor_locator(NullLocator())
        self._depth = self._decades = None
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

    def _fit_axes(self, depth: int, values: np.ndarray) -> None:
        """x axes from 0.5 to ``depth`` + 0.5; the log axis over whole decades of ``values``."""
        if depth != self._depth:
            self._depth = depth
            for ax in (self.ax, self.ax_slope):
                ax.set_xlim(0.5, depth + 0.5)
                ax.xaxis.set_major_locator(_fixed_ticks(1, depth, 1000))
        logs = np.log10(values[values > 0])
        low, high = np.log10(Y_LIMITS)
        decades = (int(max(np.floor(logs.min()) - 1, low)), int(min(np.ceil(logs.max()) + 1, high)))
        if decades != self._decades:
            self._decades = decades
            self.ax.set_ylim(10.0 ** decades[0], 10.0 ** decades[1])
            exponents = _fixed_ticks(*decades, parked=100).locs
            self.ax.yaxis.set_major_locator(FixedLocator(10.0 ** np.asarray(exponents)))

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
        self._fit_axes(depth, np.concatenate(drawn))
        self.ax.title.set_text(f"L = {depth}, weight scale {weight_scale:.2f}")  # plain: no mathtext per frame

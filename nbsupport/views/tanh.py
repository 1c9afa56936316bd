"""Figures for notebook 02: tanh beside the sigmoid, its accuracy, its tangent lines.

- :func:`tanh_vs_sigmoid_figure`: tanh and s (range, centre) and their slopes (peaks 1
  and 1/4).
- :func:`tanh_accuracy_figure`: the relative errors that
  :func:`nbsupport.identities.tanh_relative_errors` measures for ``np.tanh``,
  ``2 s(2x) - 1`` and the expm1 form of (1 - e^-2x)/(1 + e^-2x).
- :class:`TangentView`: tanh, its tangent line at a point x0 and the slope tanh'(x0).

Example (in a notebook)::

    view = TangentView()
    view.update(x0=0.5)
    view.fig
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..activations import sigmoid, sigmoid_grad, tanh, tanh_grad
from ..controls import FloatControl
from ..plotting import COLORS, PALETTE, label_axes, new_figure

__all__ = ["tanh_vs_sigmoid_figure", "tanh_accuracy_figure", "TangentView"]

#: Relative errors below this are drawn at this floor on the log axis (they are 0).
ERROR_FLOOR = 1e-18


def tanh_vs_sigmoid_figure() -> Figure:
    """Left: tanh and s (ranges (-1, 1) and (0, 1)). Right: tanh' and s' with their peaks."""
    x = np.linspace(-5, 5, 501)
    fig, (ax_f, ax_g) = new_figure(2)
    ax_f.plot(x, tanh(x), color=COLORS[0], label=r"$\tanh(x)$")
    ax_f.plot(x, sigmoid(x), color=COLORS[1], label="$s(x)$")
    ax_f.plot([0, 0], [0, 0.5], "o", color=PALETTE["vermillion"], label="value at 0")
    ax_f.axhline(0, color=PALETTE["black"], linewidth=1, alpha=0.5)
    ax_f.set_ylim(-1.1, 1.1)
    label_axes(ax_f, "$x$", "value", title="tanh is centred on 0")
    ax_f.legend(frameon=False, loc="upper left", fontsize="small")

    ax_g.plot(x, tanh_grad(x), color=COLORS[0], label=r"$\tanh'(x) = 1 - \tanh^2 x$")
    ax_g.plot(x, sigmoid_grad(x), color=COLORS[1], label="$s'(x) = s(1 - s)$")
    ax_g.plot([0, 0], [float(tanh_grad(0.0)), float(sigmoid_grad(0.0))], "o",
              color=PALETTE["vermillion"], label="peaks 1 and 1/4")
    ax_g.set_ylim(0, 1.1)
    label_axes(ax_g, "$x$", "slope", title="tanh's slope peaks 4x higher", legend=False)
    # below the axes: the peak at (0, 1) reaches the top of the panel
    ax_g.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize="small",
                ncols=2)
    return fig


def tanh_accuracy_figure(x: np.ndarray, errors: dict[str, np.ndarray]) -> Figure:
    """Relative errors from :func:`tanh_relative_errors` against x > 0 on log-log axes."""
    fig, (ax,) = new_figure()
    styles = {"np.tanh": dict(color=COLORS[0], marker="o", markersize=3, linestyle="none"),
              "2 s(2x) - 1": dict(color=COLORS[3], linewidth=2),
              "expm1 form": dict(color=COLORS[2], marker="x", markersize=4, linestyle="none")}
    for name, err in errors.items():
        ax.loglog(x, np.maximum(err, ERROR_FLOOR), label=name, **styles[name])
    ax.axhline(2.0 ** -53, color=PALETTE["black"], linestyle="--", linewidth=1.2,
               label=r"$u = 2^{-53}$ (half an ulp)")
    ax.set_ylim(ERROR_FLOOR / 2, 2.0)
    label_axes(ax, "$x$", "relative error")
    ax.legend(frameon=False, loc="upper right", fontsize="small")
    return fig


class TangentView:
    """tanh with its tangent line at x0 (left) and tanh' with the slope at x0 marked (right).

    Both panels span the range of the x0 control.
    """

    controls = (FloatControl("x0", 0.8, -4.0, 4.0, 0.05, "point x0"),)

    def __init__(self) -> None:
        x_range = self.controls[0].span
        self.x = np.linspace(*x_range, 401)
        self.fig, (self.ax_f, self.ax_g) = new_figure(2)
        self.ax_f.plot(self.x, tanh(self.x), color=COLORS[0], label=r"$\tanh(x)$")
        (self.tangent,) = self.ax_f.plot(self.x, np.full_like(self.x, np.nan), color=COLORS[1],
                                         linestyle="--", label="tangent at $x_0$")
        (self.point,) = self.ax_f.plot([np.nan], [np.nan], "o", color=PALETTE["vermillion"],
                                       markersize=10)
        self.ax_f.set_xlim(*x_range)
        self.ax_f.set_ylim(-1.6, 1.6)
        label_axes(self.ax_f, "$x$", r"$\tanh(x)$", title=" ")
        self.ax_f.legend(frameon=False, loc="upper left", fontsize="small")

        self.ax_g.plot(self.x, tanh_grad(self.x), color=COLORS[0], label=r"$\tanh'(x)$")
        (self.slope_bar,) = self.ax_g.plot([np.nan, np.nan], [0, np.nan], color=COLORS[1],
                                           linewidth=4, label=r"$\tanh'(x_0)$")
        (self.slope_point,) = self.ax_g.plot([np.nan], [np.nan], "o", color=PALETTE["vermillion"],
                                             markersize=10)
        self.ax_g.set_xlim(*x_range)
        self.ax_g.set_ylim(0, 1.1)
        label_axes(self.ax_g, "$x$", "slope")

    def update(self, *, x0: float) -> None:
        """Move the point of tangency to ``x0`` (artists changed in place)."""
        value, slope = float(tanh(x0)), float(tanh_grad(x0))
        self.tangent.set_ydata(value + slope * (self.x - x0))
        self.point.set_data([x0], [value])
        self.slope_bar.set_data([x0, x0], [0, slope])
        self.slope_point.set_data([x0], [slope])
        # plain text: a mathtext title is laid out again on every frame (~4 ms)
        self.ax_f.title.set_text(f"x\u2080 = {x0:.2f},  tanh\u2032(x\u2080) = {slope:.4f}")

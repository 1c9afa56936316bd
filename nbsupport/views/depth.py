"""The gradient through depth, measured on a random nbsupport MLP (notebooks 01 and 02).

Backpropagation through L hidden layers multiplies the signal, once per layer, by the
activation's derivative (at most 1/4 for the sigmoid, 1 for tanh) and by a weight
matrix.  :func:`gradient_norms` builds a real random :class:`nbsupport.mlp.MLP`, runs
one recorded forward and backward pass and returns ||dL/dW_l|| for every layer;
:class:`DepthView` plots those norms on a log axis for one or more activations, beside
the reference (peak slope)^(L - l) that the derivatives alone allow.

Example (in a notebook)::

    view = DepthView(("sigmoid", "tanh"))
    view.update(depth=10, weight_scale=1.0)
    view.fig
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..activations import ACTIVATIONS
from ..mlp import MLP
from ..plotting import COLORS, label_axes, new_figure

__all__ = ["gradient_norms", "peak_slope", "DepthView"]

Y_LIMITS = (1e-14, 1e4)


def peak_slope(activation: str) -> float:
    """The largest derivative of a registry activation, taken at 0 (1/4 for sigmoid, 1 for tanh)."""
    return float(ACTIVATIONS[activation].grad(np.array(0.0)))


def gradient_norms(activation: str, depth: int, weight_scale: float, *, width: int = 32,
                   batch: int = 64, seed: int = 0) -> np.ndarray:
    """||dL/dW_l|| for the hidden layers l = 1..depth of a random MLP, input side first.

    The network has ``depth`` hidden layers of ``width`` units with ``activation``, a
    linear output and mean squared error; its weights are normal with std
    ``weight_scale / sqrt(fan_in)`` (``weight_scale = 1`` is LeCun's choice).  One batch of
    standard normal inputs and targets (seeded) goes forward and backward once.

    Examples
    --------
    >>> norms = gradient_norms("sigmoid", 5, 1.0)
    >>> norms.shape, bool(norms[0] < norms[-1])
    ((5,), True)
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, width))
    y = rng.normal(size=(batch, 1))
    sizes = [width] * (depth + 1) + [1]
    stds = [weight_scale / np.sqrt(n_in) for n_in in sizes[:-1]]
    net = MLP(sizes, activations=activation, output="linear", init=stds, rng=seed,
              dtype=np.float64)
    net.forward(x)
    net.backward(y)
    return np.array([np.linalg.norm(dense.dW) for dense in net.dense[:depth]])


class DepthView:
    """Gradient norm per layer (log axis) for each activation, and the derivative-only reference.

    Solid: the measured ||dL/dW_l|| divided by its value at the last hidden layer.
    Dashed, same colour: (peak slope)^(L - l), what the derivative factors alone would
    leave if every unit sat at its steepest point and the weights changed nothing.

    Parameters
    ----------
    activations : sequence of str
        Names from ``nbsupport.activations.ACTIVATIONS``, e.g. ``("sigmoid", "tanh")``.
    max_depth : int
        The largest depth the slider offers (fixes the x axis).
    """

    def __init__(self, activations: Sequence[str] = ("sigmoid",), max_depth: int = 20) -> None:
        self.activations = tuple(activations)
        self.fig, (self.ax,) = new_figure(width=8.0, height=4.8)
        self.measured, self.reference = {}, {}
        for i, name in enumerate(self.activations):
            color = COLORS[i]
            (self.measured[name],) = self.ax.semilogy([], [], "-o", color=color, markersize=5,
                                                      label=f"{name}: measured")
            (self.reference[name],) = self.ax.semilogy(
                [], [], "--", color=color, linewidth=1.5,
                label=f"{name}: $({peak_slope(name):g})^{{L-l}}$, slopes alone")
        self.ax.set_xlim(0.5, max_depth + 0.5)
        self.ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.ax.set_ylim(*Y_LIMITS)
        label_axes(self.ax, "layer $l$ (1 = next to the input)",
                   r"$\|\partial L/\partial W_l\|$ / value at layer $L$", title=" ")
        self.ax.legend(frameon=False, loc="lower right", fontsize="small")

    def update(self, *, depth: int, weight_scale: float) -> None:
        """Rebuild the random network for ``depth`` and ``weight_scale`` and redraw the lines."""
        depth = int(depth)
        layers = np.arange(1, depth + 1)
        first = []
        for name in self.activations:
            norms = gradient_norms(name, depth, weight_scale)
            relative = norms / norms[-1]
            self.measured[name].set_data(layers, relative)
            self.reference[name].set_data(layers, peak_slope(name) ** (depth - layers))
            first.append(f"{name} {relative[0]:.1e}")
        self.ax.title.set_text(f"L = {depth}, weight scale {weight_scale:g}:  layer 1 gets "
                               + ", ".join(first))

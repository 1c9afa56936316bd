"""Figures of notebook 12: regression heads, and colours learned as numbers or one-hot.

:class:`RegressionHeadsView` draws the training points, the true curve beyond the
training range and the fits of each head.  :class:`NominalView` shows, along the input
axis, the colour each input belongs to, what a network trained on one coding predicts,
and the network's output(s); ``update(coding=...)`` switches between stored fits.  Both
take fitted models from :mod:`nbsupport.heads` and compute nothing but their outputs.
"""
from __future__ import annotations

from typing import Mapping

import matplotlib as mpl
import numpy as np
from matplotlib.colors import ListedColormap

from ..controls import ChoiceControl, FloatControl
from ..heads import (COLOURS, NominalFit, RegressionFit, fit_nominal, fit_regression, nominal_data,
                     regression_data)
from ..plotting import PALETTE, color_for, label_axes, new_figure
from ..glyphs import GlyphLines

__all__ = ["RegressionHeadsView", "NominalView", "COLOUR_OF"]

#: The palette colour that draws each colour of the experiment.
COLOUR_OF = {"red": PALETTE["vermillion"], "blue": PALETTE["blue"], "yellow": PALETTE["yellow"]}
#: Where the probe of :class:`NominalView` starts: between the red and the blue inputs.
_PROBE_AT = -1.0


class RegressionHeadsView:
    """Training data, the true curve and each head's fit; the training range shaded.

    A static figure: no controls.
    """

    controls = ()

    @classmethod
    def example(cls) -> "RegressionHeadsView":
        """A small instance: 60 points and one briefly trained linear head."""
        x, y = regression_data(60, rng=0)
        grid = np.linspace(-2.5, 2.5, 21, dtype=np.float32)[:, None]
        return cls(x, y, grid, grid[:, 0] ** 3, {"linear": fit_regression(x, y, "linear", epochs=5)})

    def __init__(self, x: np.ndarray, y: np.ndarray, grid: np.ndarray, truth: np.ndarray,
                 fits: Mapping[str, RegressionFit]) -> None:
        self.fig, (self.ax,) = new_figure(1, width=8.0, height=4.6)
        ax = self.ax
        ax.axvspan(float(x.min()), float(x.max()), color=PALETTE["sky"], alpha=0.12, linewidth=0)
        ax.scatter(x[:, 0], y, s=6, color="grey", alpha=0.5, label="training data")
        ax.plot(grid[:, 0], truth, color=PALETTE["black"], linewidth=1.2, label="true curve")
        ax.axhline(float(y.max()), color="grey", linestyle=":", linewidth=1.0)
        ax.axhline(float(y.min()), color="grey", linestyle=":", linewidth=1.0)
        self.lines = {}
        for i, (name, fit) in enumerate(fits.items()):
            (self.lines[name],) = ax.plot(grid[:, 0], fit.predict(grid), color=color_for(i), label=name)
        label_axes(ax, "x (shaded: range seen in training)", "y", legend=False)
        ax.legend(frameon=False, loc="upper left", fontsize="small")

    def update(self) -> None:
        """Nothing to change: the figure is static."""


class NominalView:
    """Colours along x: the data (dots), the predicted colour (band) and the outputs (curves).

    ``fits`` maps a coding's label to a :class:`~nbsupport.heads.NominalFit`;
    ``update(coding=label, x=...)`` shows that one (its label is the title), with a probe
    line at input ``x`` and the network's output(s) and predicted colour there in a line
    under the title (``said``: monospace, pasted from cached glyphs, since it changes on
    every move).  Moving only the probe leaves the curves and band untouched, so a live
    figure redraws the probe and that line alone.  The controls (``self.controls``): the
    coding, among the keys of ``fits`` (the first shown first), and the probe's input x,
    over the span of ``grid``.
    """

    @classmethod
    def example(cls) -> "NominalView":
        """A small instance: 60 points, a coded and a one-hot fit, briefly trained."""
        x, labels = nominal_data(per_class=20, rng=0)
        fits = {"coded": fit_nominal(x, labels, (1.0, 0.0, 0.5), epochs=10),
                "one-hot": fit_nominal(x, labels, None, epochs=10)}
        return cls(x, labels, fits, np.linspace(-3, 3, 61, dtype=np.float32)[:, None])

    def __init__(self, x: np.ndarray, labels: np.ndarray, fits: Mapping[str, NominalFit],
                 grid: np.ndarray) -> None:
        self.fits, self.grid = dict(fits), grid
        self.controls = (ChoiceControl("coding", next(iter(self.fits)), list(self.fits), "targets"),
                         FloatControl("x", _PROBE_AT, float(grid[0, 0]), float(grid[-1, 0]), 0.05, "input x"))
        names = list(COLOURS)
        self.fig, (self.ax,) = new_figure(1, width=9.0, height=4.8)
        ax = self.ax
        cmap = ListedColormap([COLOUR_OF[name] for name in names])
        lo, hi = float(grid[0, 0]), float(grid[-1, 0])
        self.band = ax.imshow(np.zeros((1, len(grid))), cmap=cmap, vmin=0, vmax=len(names) - 1,
                              extent=(lo, hi, -0.42, -0.22), aspect="auto", interpolation="nearest")
        for k, name in enumerate(names):
            ax.scatter(x[labels == k, 0], np.full(np.count_nonzero(labels == k), -0.1), s=12,
                       color=COLOUR_OF[name], edgecolor=PALETTE["black"], linewidth=0.3, label=name)
        self.curves = [ax.plot([], [], color=PALETTE["black"] if k == 0 else COLOUR_OF[name],
                               linewidth=2.0)[0] for k, name in enumerate(names)]
        self.code_lines = [ax.axhline(np.nan, color=COLOUR_OF[name], linestyle="--", linewidth=1.2)
                           for name in names]
        self.probe = ax.axvline(0.0, color=PALETTE["black"], linewidth=1.0, alpha=0.6)
        ax.set_xlim(lo, hi)
        ax.set_ylim(-0.45, 1.25)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        label_axes(ax, "input x   (band: predicted colour; dots: the data)", "network output", legend=False)
        ax.legend(frameon=False, loc="upper center", ncol=3, fontsize="small")
        size = mpl.rcParams["font.size"]
        # what the network says at the probe, between the axes and the title (the coding)
        self.said = ax.add_artist(GlyphLines(size, ha="center", va="baseline"))
        self.said.set_transform(ax.transAxes)
        self.title_pad = 6.0 + 1.4 * size  # points: room for the line above
        self._shown: str | None = None  # the coding whose curves are drawn
        self.update(coding=next(iter(self.fits)))

    def update(self, *, coding: str, x: float = _PROBE_AT) -> None:
        if coding not in self.fits:
            raise ValueError(f"coding must be one of {list(self.fits)}, got {coding!r}")
        fit = self.fits[coding]
        if coding != self._shown:  # a move of the probe alone leaves the curves and band as they are
            self._show_fit(fit)
            self.ax.set_title(coding, fontsize="medium", pad=self.title_pad)
            self._shown = coding
        self.probe.set_xdata([x, x])
        self.said.set_lines([(self.readout(fit, x), 0.5, 1.02)])

    def _show_fit(self, fit: NominalFit) -> None:
        """The band, curves and code lines of one fit over the grid."""
        xs = self.grid[:, 0]
        self.band.set_data(fit.predict(self.grid)[None, :].astype(float))
        out = fit.outputs(self.grid)
        if fit.codes is None:                     # one probability curve per colour
            for k, line in enumerate(self.curves):
                line.set_data(xs, out[:, k])
                line.set_color(COLOUR_OF[list(COLOURS)[k]])
            for line in self.code_lines:
                line.set_ydata([np.nan, np.nan])
        else:                                     # one output; dashed lines at the codes
            self.curves[0].set_data(xs, out)
            self.curves[0].set_color(PALETTE["black"])
            for line in self.curves[1:]:
                line.set_data([], [])
            for line, code in zip(self.code_lines, fit.codes):
                line.set_ydata([code, code])

    @staticmethod
    def readout(fit: NominalFit, x: float) -> str:
        """What the network says at input ``x``: its output(s) and the colour they decode to."""
        point = np.array([[x]], dtype=np.float32)
        colour = list(COLOURS)[int(fit.predict(point)[0])]
        out = fit.outputs(point)[0]
        said = (f"output {out:.2f}" if fit.codes is not None
                else "p = " + ", ".join(f"{name} {q:.2f}" for name, q in zip(COLOURS, out)))
        return f"at x = {x:.2f}: {said} -> {colour}"

"""Axes whose ticks, grid lines and numbers are ordinary artists (views only draw).

A slider that changes an axis range (the depth of a network, the decades a gradient
spans) would otherwise make matplotlib draw the whole axes again on every move: every
tick, grid line and label is measured and rendered anew, 15-30 ms a panel. Here the
axes' own limits stay fixed at 0 to 1, a small transform maps the data into that square,
and the ticks, grid lines and numbers are a few artists that move with the range. A live
figure (:class:`nbsupport.widgets.LiveFigure`) then redraws only those artists.

:class:`LayerAxis` is the x axis of a per-layer plot (layers 1 to ``depth``);
:class:`DecadeAxis` is a logarithmic y axis over whole decades. Lines drawn in data units
use ``axis.transform``; the axes keep one transparent tick label, as wide as the widest
number, so that the layout leaves room for the numbers.

Example::

    layers = LayerAxis(ax, max_depth=20)
    line, = ax.plot([], [], transform=layers.transform + ax.get_yaxis_transform())
    layers.show(8)
    line.set_data(range(1, 9), values)
"""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.transforms as mtransforms
import numpy as np
from matplotlib.axes import Axes
from matplotlib.scale import LogTransform

__all__ = ["DecadeAxis", "LayerAxis", "decade_label", "decade_ticks", "layer_ticks"]

_SUPERSCRIPTS = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def layer_ticks(depth: int) -> list[int]:
    """Ticks for a layer axis from 1 to ``depth``, at most five: every layer up to 5,
    every other one up to 10, then 1, 5, 10, ...

    >>> layer_ticks(5), layer_ticks(8), layer_ticks(20)
    ([1, 2, 3, 4, 5], [1, 3, 5, 7], [1, 5, 10, 15, 20])
    """
    if depth <= 5:
        return list(range(1, depth + 1))
    if depth <= 10:
        return list(range(1, depth + 1, 2))
    return [1, *range(5, depth + 1, 5)]


def decade_ticks(low: int, high: int, most: int = 6) -> list[int]:
    """Exponents to label on a log axis from 10**low to 10**high: every 1, 2, 3, 4, 5 or
    10 decades, the smallest step that gives at most ``most`` labels, on multiples of it.

    >>> decade_ticks(-3, 1), decade_ticks(-12, 1)
    ([-3, -2, -1, 0, 1], [-12, -9, -6, -3, 0])
    """
    if high < low:
        raise ValueError(f"high must be at least low, got low={low}, high={high}")
    for step in (1, 2, 3, 4, 5, 10, 20, 50):
        first = -(-low // step) * step
        ticks = list(range(first, high + 1, step))
        if len(ticks) <= most:
            return ticks
    return ticks


def decade_label(exponent: int) -> str:
    """``10**exponent`` as plain text with Unicode superscripts (no mathtext: a mathtext
    label costs several times a plain one on every frame).

    >>> decade_label(-12)
    '10⁻¹²'
    """
    return "10" + str(int(exponent)).translate(_SUPERSCRIPTS)


def _tick_style(axis: str) -> dict:
    """The rcParams of a major tick on ``axis`` ("x" or "y") as Line2D keywords."""
    rc = mpl.rcParams
    markers = {"x": {"out": mpl.markers.TICKDOWN, "in": mpl.markers.TICKUP},
               "y": {"out": mpl.markers.TICKLEFT, "in": mpl.markers.TICKRIGHT}}[axis]
    return dict(linestyle="none", marker=markers.get(rc[f"{axis}tick.direction"], "|"),
                color=rc[f"{axis}tick.color"], markersize=rc[f"{axis}tick.major.size"],
                markeredgewidth=rc[f"{axis}tick.major.width"], clip_on=False)


def _grid_style() -> dict:
    rc = mpl.rcParams
    return dict(color=rc["grid.color"], linewidth=rc["grid.linewidth"],
                linestyle=rc["grid.linestyle"], alpha=rc["grid.alpha"])


def tick_texts(ax: Axes, count: int, axis: str = "x") -> list:
    """``count`` empty texts where tick labels go beside ``ax``: under it (``axis="x"``, x in
    axes coordinates, set later) or left of it (``axis="y"``, y set later)."""
    rc = mpl.rcParams
    gap = (rc[f"{axis}tick.major.size"] + rc[f"{axis}tick.major.pad"]) / 72   # inches
    shift = (0.0, -gap) if axis == "x" else (-gap, 0.0)
    place = ax.transAxes + mtransforms.ScaledTranslation(*shift, ax.figure.dpi_scale_trans)
    where = dict(ha="center", va="top") if axis == "x" else dict(ha="right", va="center_baseline")
    return [ax.text(0.5 if axis == "x" else 0.0, 0.0 if axis == "x" else 0.5, "",
                    transform=place, fontsize=rc[f"{axis}tick.labelsize"], clip_on=False, **where)
            for _ in range(count)]


class LayerAxis:
    """The x axis of a per-layer plot, drawn as artists: ticks at :func:`layer_ticks`,
    grid lines and numbers, layer l at (l - 1/2) / depth of the axes' width (half a layer
    of room at each end). The axes' own x limits stay 0 to 1, so a new depth moves these
    artists and leaves the axes alone.

    Parameters
    ----------
    ax : Axes
        The panel; its x limits are set to (0, 1) and its own x ticks hidden.
    max_depth : int
        The deepest network shown (sizes the numbers' room).
    numbered : bool
        False: ticks and grid lines only (a panel stacked above another with numbers).

    Attributes
    ----------
    transform : Affine2D
        Layer number -> axes fraction on x (y unchanged); lines in layer units use
        ``transform + ax.get_yaxis_transform()``.
    """

    def __init__(self, ax: Axes, max_depth: int, numbered: bool = True) -> None:
        ax.set_xlim(0.0, 1.0)
        ax.set_xticks([0.5], [str(max_depth)])  # transparent: holds the numbers' room
        ax.tick_params(axis="x", color=(0, 0, 0, 0), labelcolor=(0, 0, 0, 0))
        ax.grid(False, axis="x")
        self.transform = mtransforms.Affine2D()
        self.depth: int | None = None
        (self.marks,) = ax.plot([], [], transform=ax.transAxes, **_tick_style("x"))
        (self.grid,) = ax.plot([], [], transform=ax.transAxes, zorder=ax.xaxis.get_zorder(),
                               **_grid_style())
        most = max(len(layer_ticks(d)) for d in range(1, max_depth + 1))
        self.labels = tick_texts(ax, most) if numbered else []
        self.show(max_depth)  # never empty: an empty unclipped line measures as the origin

    def artists(self) -> list:
        return [self.marks, self.grid, *self.labels]

    def show(self, depth: int) -> None:
        """Ticks, grid lines and numbers for the layers 1 to ``depth``."""
        if depth == self.depth:
            return
        self.depth = depth
        self.transform.clear().translate(-0.5, 0.0).scale(1.0 / depth, 1.0)
        ticks = layer_ticks(depth)
        where = self.transform.transform(np.column_stack([ticks, np.zeros(len(ticks))]))[:, 0]
        self.marks.set_data(where, np.zeros(len(ticks)))
        self.grid.set_data(np.repeat(where, 3), np.tile([0.0, 1.0, np.nan], len(ticks)))
        for index, text in enumerate(self.labels):
            shown = index < len(ticks)
            text.set_text(str(ticks[index]) if shown else "")
            text.set_x(where[index] if shown else 0.5)


class DecadeAxis:
    """A logarithmic y axis over whole decades, drawn as artists: ticks, grid lines and
    numbers 10ᵏ at :func:`decade_ticks`. The axes' own y limits stay 0 to 1.

    Parameters
    ----------
    ax : Axes
        The panel; its y limits are set to (0, 1) and its own y ticks hidden.
    widest : int
        The exponent with the widest label (sizes the numbers' room), e.g. -14.
    most : int
        At most this many numbers.

    Attributes
    ----------
    transform : Transform
        Value -> axes fraction on y (x unchanged): log10, then
        (log10 v - low) / (high - low). Lines in data units use
        ``layers.transform + decades.transform + ax.transAxes``.
    """

    def __init__(self, ax: Axes, widest: int = -14, most: int = 6) -> None:
        ax.set_ylim(0.0, 1.0)
        ax.set_yscale("linear")
        ax.set_yticks([0.5], [decade_label(widest)])  # transparent: holds the numbers' room
        ax.tick_params(axis="y", which="both", color=(0, 0, 0, 0), labelcolor=(0, 0, 0, 0))
        ax.grid(False, axis="y")
        self.most = most
        self.decades: tuple[int, int] | None = None
        self._fraction = mtransforms.Affine2D()
        log_y = mtransforms.blended_transform_factory(mtransforms.IdentityTransform(),
                                                      LogTransform(10, nonpositive="clip"))
        self.transform = log_y + self._fraction
        (self.marks,) = ax.plot([], [], transform=ax.transAxes, **_tick_style("y"))
        (self.grid,) = ax.plot([], [], transform=ax.transAxes, zorder=ax.yaxis.get_zorder(),
                               **_grid_style())
        self.labels = tick_texts(ax, most, axis="y")
        self.show(min(widest, -1), max(widest, 1))  # never empty: an empty unclipped line measures as the origin

    def artists(self) -> list:
        return [self.marks, self.grid, *self.labels]

    def show(self, low: int, high: int) -> None:
        """The axis from 10**low to 10**high."""
        if high <= low:
            raise ValueError(f"high must exceed low, got low={low}, high={high}")
        if (low, high) == self.decades:
            return
        self.decades = (low, high)
        self._fraction.clear().translate(0.0, -low).scale(1.0, 1.0 / (high - low))
        exponents = decade_ticks(low, high, self.most)
        where = self._fraction.transform(np.column_stack([np.zeros(len(exponents)), exponents]))[:, 1]
        self.marks.set_data(np.zeros(len(where)), where)
        self.grid.set_data(np.tile([0.0, 1.0, np.nan], len(where)), np.repeat(where, 3))
        for index, text in enumerate(self.labels):
            shown = index < len(exponents)
            text.set_text(decade_label(exponents[index]) if shown else "")
            text.set_y(where[index] if shown else 0.5)

"""One style and one colour-blind-safe palette for every figure in the course.

Figures are built with :func:`new_figure` (a plain Agg ``Figure``, not pyplot), so a
notebook shows one only when it asks to, and a widget can redraw the same figure in
place without pyplot's global state.  Two sizes exist: ``notebook`` for a student's
screen and ``lecture`` for a projector (bigger fonts, thicker lines).  Switch with
:func:`lecture_mode`, by setting the environment variable ``NBSUPPORT_LECTURE=1``, or on a
Voila server by adding ``?lecture=1`` to the page's address (Voila hands the query string to
the kernel as ``QUERY_STRING``).
"""
from __future__ import annotations

import os
from typing import Sequence
from urllib.parse import parse_qs

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .glyphs import GlyphCanvas

__all__ = ["PALETTE", "COLORS", "apply_style", "current_mode", "lecture_mode", "notebook_mode",
           "new_figure", "label_axes", "color_for", "corner_text"]

#: Okabe & Ito (2008): distinguishable with every common form of colour blindness.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
#: The order in which curves take colours (yellow last: weak on white).
COLORS: list[str] = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion",
                                           "purple", "sky", "black", "yellow")]

_SIZES = {
    #            font  title  line  figure width (inches) per column, height
    "notebook": (12.0, 13.0, 2.0, 4.6, 3.6),
    "lecture": (17.0, 19.0, 3.2, 6.0, 4.8),
}
_current = {"mode": "notebook"}


def apply_style(mode: str | None = None) -> str:
    """Set matplotlib's rcParams for the course style and return the mode in use.

    Parameters
    ----------
    mode : {"notebook", "lecture"} or None
        None picks "lecture" when ``NBSUPPORT_LECTURE=1`` is set or the Voila page was opened
        with ``?lecture=1``, else "notebook".
    """
    if mode is None:
        mode = "lecture" if lecture_requested() else "notebook"
    if mode not in _SIZES:
        raise ValueError(f"mode must be 'notebook' or 'lecture', got {mode!r}")
    font, title, line, _, _ = _SIZES[mode]
    mpl.rcParams.update({
        "axes.prop_cycle": mpl.cycler(color=COLORS),
        "font.size": font,
        "axes.titlesize": title,
        "axes.labelsize": font,
        "legend.fontsize": font * 0.85,
        "xtick.labelsize": font * 0.9,
        "ytick.labelsize": font * 0.9,
        "lines.linewidth": line,
        "axes.grid": True,
        "grid.alpha": 0.3,
        # the grid (and ticks) under every artist, bars and fills too: a live figure draws
        # its changing artists over a background that holds the grid, so a grid drawn over
        # bars would show in the first frame only
        "axes.axisbelow": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "figure.constrained_layout.use": True,
        "svg.hashsalt": "nbsupport",  # deterministic SVG ids
        # FreeType's hinting costs ~20 % of a live frame full of readouts (07: 53 -> 43 ms a
        # move) and makes no visible difference at these font sizes
        "text.hinting": "no_hinting",
    })
    _current["mode"] = mode
    return mode


def lecture_requested() -> bool:
    """Whether the environment asks for lecture mode: ``NBSUPPORT_LECTURE=1``, or a Voila page
    opened with ``?lecture=1`` (Voila puts the query string in ``QUERY_STRING``).

    Examples
    --------
    >>> os.environ.get("QUERY_STRING") is None and lecture_requested()  # doctest: +SKIP
    False
    """
    query = parse_qs(os.environ.get("QUERY_STRING", ""))
    return os.environ.get("NBSUPPORT_LECTURE") == "1" or query.get("lecture") == ["1"]


def current_mode() -> str:
    """The style in use: "notebook" or "lecture"."""
    return _current["mode"]


def lecture_mode() -> None:
    """Projector style from now on: larger fonts, thicker lines, bigger figures."""
    apply_style("lecture")


def notebook_mode() -> None:
    """Back to the default style for a screen at arm's length."""
    apply_style("notebook")


def new_figure(ncols: int = 1, nrows: int = 1, *, width: float | None = None,
               height: float | None = None, **subplot_kw) -> tuple[Figure, np.ndarray]:
    """A figure of ``nrows x ncols`` axes sized for the current mode.

    Returns the figure and a 1-D array of axes (flattened, even when there is one).
    An explicit ``width`` or ``height`` is in notebook-mode inches: lecture mode scales
    it like the default size (by 6.0 / 4.6 across and 4.8 / 3.6 down).

    Examples
    --------
    >>> fig, axes = new_figure(2)
    >>> len(axes)
    2
    """
    _, _, _, col_width, row_height = _SIZES[_current["mode"]]
    _, _, _, base_width, base_height = _SIZES["notebook"]
    size = ((width or base_width * ncols) * col_width / base_width,
            (height or base_height * nrows) * row_height / base_height)
    fig = Figure(figsize=size, layout="constrained")
    GlyphCanvas(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, subplot_kw=subplot_kw)
    return fig, axes.ravel()


def label_axes(ax: Axes, xlabel: str, ylabel: str, title: str | None = None,
               legend: bool = True) -> Axes:
    """Set axis labels (with symbols or units), an optional title and the legend."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False)
    return ax


def corner_text(ax: Axes, text: str = "", *, x: float = 0.98, y: float = 0.96, ha: str = "right"):
    """A boxed readout near a corner of ``ax`` (axes coordinates; top-right by default)."""
    return ax.text(x, y, text, transform=ax.transAxes, ha=ha, va="top",
                   bbox=dict(boxstyle="round", facecolor="white", edgecolor="0.7"))


def color_for(index: int, palette: Sequence[str] = COLORS) -> str:
    """The palette colour for the ``index``-th curve (cycles)."""
    return palette[index % len(palette)]


apply_style()

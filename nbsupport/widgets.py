"""Bind sliders and dropdowns to a figure that is redrawn in place.

A *view* is any object with a matplotlib figure ``view.fig`` (built once, with
:func:`nbsupport.plotting.new_figure`) and a method ``view.update(**params)`` that
changes its artists' data.  Views live in ``nbsupport.views``; they know nothing of
widgets, so the same view draws the static figure of a notebook (call ``update``
once, show ``view.fig``) and the live one (``interactive_view``).

:class:`LiveFigure` renders the figure to PNG bytes and puts them into an
``ipywidgets.Image``; a slider move costs one Agg draw and one fast PNG encode, with
no new figure, no pyplot and no Output-widget clearing.
"""
from __future__ import annotations

import io
from typing import Any, Protocol

import ipywidgets as w
import numpy as np
from matplotlib.figure import Figure
from PIL import Image as PILImage

__all__ = ["View", "LiveFigure", "slider", "int_slider", "dropdown", "toggle",
           "interactive_view"]

_DESC = {"description_width": "initial"}
_WIDE = w.Layout(width="420px")


class View(Protocol):
    fig: Figure

    def update(self, **params: Any) -> None: ...


class LiveFigure:
    """An ``ipywidgets.Image`` showing ``fig``; :meth:`refresh` redraws it in place."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        width, height = (fig.get_size_inches() * fig.dpi).astype(int)
        self.widget = w.Image(format="png", layout=w.Layout(max_width="100%", width=f"{width}px"))
        self.refresh()

    def render_png(self) -> bytes:
        """Draw the figure with Agg and encode it as PNG (fast compression)."""
        canvas = self.fig.canvas
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())
        buf = io.BytesIO()
        PILImage.fromarray(rgba[..., :3]).save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def refresh(self) -> None:
        self.widget.value = self.render_png()


def slider(value: float, min: float, max: float, step: float, description: str,
           readout_format: str = ".2f") -> w.FloatSlider:
    """A float slider styled for a projector (wide, full description)."""
    return w.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         readout_format=readout_format, continuous_update=True,
                         style=_DESC, layout=_WIDE)


def int_slider(value: int, min: int, max: int, description: str, step: int = 1) -> w.IntSlider:
    """An integer slider styled like :func:`slider`."""
    return w.IntSlider(value=value, min=min, max=max, step=step, description=description,
                       continuous_update=True, style=_DESC, layout=_WIDE)


def dropdown(options: Any, value: Any, description: str) -> w.Dropdown:
    """A dropdown styled like :func:`slider`."""
    return w.Dropdown(options=options, value=value, description=description, style=_DESC)


def toggle(options: Any, value: Any, description: str) -> w.ToggleButtons:
    """Toggle buttons styled like :func:`slider`."""
    return w.ToggleButtons(options=options, value=value, description=description, style=_DESC)


def interactive_view(view: View, **controls: w.ValueWidget) -> w.VBox:
    """Controls above a live figure; each change calls ``view.update(**values)``.

    Examples
    --------
    >>> box = interactive_view(view, w=slider(1.0, 0.1, 5.0, 0.1, "weight w"))  # doctest: +SKIP
    """
    live = LiveFigure(view.fig)

    def on_change(_change: dict | None = None) -> None:
        view.update(**{name: c.value for name, c in controls.items()})
        live.refresh()

    for control in controls.values():
        control.observe(on_change, names="value")
    on_change()
    box = w.VBox([*controls.values(), live.widget])
    box.live = live  # for tests and the latency benchmark
    box.controls = controls
    return box

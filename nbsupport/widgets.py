"""Bind sliders and dropdowns to a figure that is redrawn in place.

A *view* is any object with a matplotlib figure ``view.fig`` (built once, with
:func:`nbsupport.plotting.new_figure`) and a method ``view.update(**params)`` that
changes its artists' data.  Views live in ``nbsupport.views``; they know nothing of
widgets, so the same view draws the static figure of a notebook (call ``update``
once, show ``view.fig``) and the live one (``interactive_view``).

What a view class in ``nbsupport.views`` provides (``tests/test_views_contract.py``
checks every one of them):

- ``controls``: a tuple of declarations (:class:`FloatControl`, :class:`IntControl`,
  :class:`ChoiceControl`, from :mod:`nbsupport.controls`), one per keyword of
  ``update``, as a class attribute (or an instance attribute when a range depends on the
  data given to ``__init__``); the view reads its own ranges from them, so each range
  is typed once.  ``interactive_view(view)`` builds the widgets from it, and
  ``interactive_view(view, name=slider(...))`` overrides or adds a control.
- a constructor that works without arguments, or a classmethod ``example()`` that
  returns a small instance (the contract test builds every view this way);
- ``update(**values)`` that changes artists in place: every control changes pixels,
  and no artist is added after ``__init__``;
- optionally ``inactive_controls(**values)``: the names of controls that do nothing
  at these values (see :func:`inactive_controls`);
- figures made with :func:`nbsupport.plotting.new_figure`, so lecture mode scales them.

:class:`LiveFigure` renders the figure to PNG bytes and puts them into an
``ipywidgets.Image``; a slider move costs one Agg draw and one fast PNG encode, with
no new figure, no pyplot and no Output-widget clearing; after the first move only
the artists that changed are redrawn (see :class:`LiveFigure`).
"""
from __future__ import annotations

import asyncio
import struct
import time
import zlib
from typing import Any, Protocol

import ipywidgets as w
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.spines import Spine

from .controls import ChoiceControl, Control, FloatControl, IntControl
from .plotting import current_mode

__all__ = ["View", "LiveFigure", "encode_png", "slider", "int_slider", "dropdown", "toggle",
           "FloatControl", "IntControl", "ChoiceControl", "widget_for", "interactive_view",
           "inactive_controls"]

_DESC = {"description_width": "initial"}
_WIDE = w.Layout(width="420px")
# Lecture mode: control labels and readouts big enough for the back row (ipywidgets 8
# sliders have no font-size style, so a style sheet rides along with the controls).
# Lecture mode also enlarges the prose and hides the static copy of a figure when the next
# code cell (at most one text cell later) shows it live. JupyterLab's cells are siblings;
# Voila wraps each cell in a div.
_LECTURE_CSS = """<style>
.widget-label, .widget-readout, .widget-dropdown select {font-size: 20px !important;}
.widget-label, .widget-readout {line-height: 32px !important; height: 32px !important;}
.jp-RenderedMarkdown {font-size: 20px !important; line-height: 1.5 !important;}
.jp-CodeCell:has(+ .jp-Cell .widget-image) .jp-RenderedImage,
.jp-CodeCell:has(+ .jp-MarkdownCell + .jp-Cell .widget-image) .jp-RenderedImage,
div:has(> .jp-CodeCell):has(+ div > .jp-Cell .widget-image) .jp-RenderedImage,
div:has(> .jp-CodeCell):has(+ div > .jp-MarkdownCell):has(+ div + div > .jp-Cell .widget-image)
  .jp-RenderedImage {display: none !important;}
</style>"""


class View(Protocol):
    fig: Figure

    def update(self, **params: Any) -> None: ...


def inactive_controls(view: View, values: dict[str, Any]) -> set[str]:
    """Names of the controls that do nothing at these values (``view.inactive_controls``).

    A view whose controls all matter at all times need not define the method.  Views
    with settings that switch others off (an "alpha" slider beside a dropdown set to
    plain ReLU) return their names, and :func:`interactive_view` greys those out.
    """
    method = getattr(view, "inactive_controls", None)
    return set(method(**values)) if method is not None else set()


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def encode_png(rgba: np.ndarray, buffer: np.ndarray | None = None) -> bytes:
    """Encode an (height, width, 4) uint8 RGBA array as PNG, fast.

    No row filters and zlib level 1: a 920x360 figure takes about 3 ms here, against
    18 ms for Pillow's adaptive filters, and plots (mostly flat colour) still compress
    about 30-fold.  ``buffer``: a reusable (height, 4 * width + 1) uint8 array for the
    filtered rows (a live figure keeps one: a fresh 3 MB array costs more than zlib).
    """
    height, width, _ = rgba.shape
    shape = (height, 4 * width + 1)
    rows = buffer if buffer is not None and buffer.shape == shape else np.empty(shape, np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type: 0, "None"
    rows[:, 1:] = rgba.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(memoryview(rows), 1)) + _png_chunk(b"IEND", b""))


class LiveFigure:
    """An ``ipywidgets.Image`` showing ``fig``; :meth:`refresh` redraws it in place.

    A full Agg draw of a two-panel figure costs 60-90 ms on this 2-core machine (text
    and layout dominate); redrawing only what changed costs a few. So the first time a
    view changes some artists, they are marked *animated*: the figure is drawn once
    without them and kept as a background, and from then on a refresh pastes the
    background and draws just those artists on top (blitting). The view needs to do
    nothing for this: matplotlib flags every artist whose data changed as ``stale``.
    When anything else changes (axis limits, ticks, an axes shown or hidden, or an
    artist not seen changing before) the figure is drawn in full again and a new
    background is taken.
    An animated artist that has stopped changing (the panel titles once the depth slider
    is let go, while another slider is dragged) would still cost its draw on every frame:
    ``refresh(restart=True)``, which :func:`interactive_view` calls when the user turns to
    another control, puts every artist that did not change back into the background,
    at the price of one full draw.
    Legends stay in the background (drawn once), so a curve passing over a frameless
    legend is drawn above its text; everything else matches a full draw pixel for pixel.
    The layout (constrained) is computed for the first frame and then kept.
    """

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self._background = None
        self._animated: list[Artist] = []
        self._limits: list = []
        self.full_draws = 0  # how often the blit path could not be used (benchmarks read it)
        self._rows: np.ndarray | None = None  # encode_png's row buffer, reused
        width = int(fig.get_size_inches()[0] * fig.dpi)
        self.widget = w.Image(format="png", layout=w.Layout(max_width="100%", width=f"{width}px"))
        self.refresh()

    def _candidates(self) -> list[Artist]:
        """Artists a view may change: direct children of the axes and the figure."""
        found = [a for ax in self.fig.axes for a in ax.get_children()
                 if not isinstance(a, (Axis, Spine)) and a is not ax.patch]
        found += [a for a in self.fig.get_children() if not isinstance(a, Axes) and a is not self.fig.patch]
        return found

    def _axis_state(self) -> list:
        return [(ax.get_visible(), ax.get_xlim(), ax.get_ylim(), ax.xaxis.stale, ax.yaxis.stale)
                for ax in self.fig.axes]

    def _draw_animated(self) -> None:
        for artist in sorted(self._animated, key=lambda a: a.get_zorder()):
            (artist.axes or self.fig).draw_artist(artist)

    def _full_draw(self) -> None:
        canvas = self.fig.canvas
        canvas.draw()  # draws everything that is not animated
        if self.fig.get_layout_engine() is not None:
            # keep the layout of the first frame: constrained layout, run again on every full
            # draw (a new axis range, new ticks), costs more than the drawing itself
            self.fig.set_layout_engine("none")
        self.full_draws += 1
        self._background = canvas.copy_from_bbox(self.fig.bbox)
        candidates = self._candidates()
        self._animated = [a for a in candidates if a.get_animated()]
        self._draw_animated()
        for artist in candidates:  # the pixels are current: only later changes count
            artist.stale = False
        self._limits = self._axis_state()

    def redraw(self, restart: bool = False) -> None:
        """Bring the figure's pixels up to date: blit when only known artists changed.

        ``restart=True``: animate exactly the artists that changed this time (one full draw).
        """
        stale = [a for a in self._candidates() if a.stale]
        if restart and self._background is not None:
            for artist in self._animated:
                artist.set_animated(False)  # back into the background; the stale ones return below
        elif self._background is not None and self._axis_state() == self._limits:
            if all(a.get_animated() for a in stale):
                self.fig.canvas.restore_region(self._background)
                self._draw_animated()
                return
        if self._background is not None:  # not the first draw: what changed becomes animated
            for artist in stale:
                artist.set_animated(True)
        self._full_draw()

    def render_png(self, restart: bool = False) -> bytes:
        """Redraw (see :meth:`redraw`), then encode the canvas as PNG."""
        self.redraw(restart)
        rgba = np.asarray(self.fig.canvas.buffer_rgba())
        if self._rows is None or self._rows.shape != (rgba.shape[0], 4 * rgba.shape[1] + 1):
            self._rows = np.empty((rgba.shape[0], 4 * rgba.shape[1] + 1), np.uint8)
        return encode_png(rgba, self._rows)

    def refresh(self, restart: bool = False) -> None:
        """Show the figure as it is now in the image widget."""
        self.widget.value = self.render_png(restart)


def slider(value: float, min: float, max: float, step: float, description: str,
           readout_format: str = ".2f", continuous_update: bool = True) -> w.FloatSlider:
    """A float slider styled for a projector (wide, full description).

    ``continuous_update=False`` reports only where the slider is let go: for views whose
    update takes seconds (a training run), not milliseconds.
    """
    return w.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         readout_format=readout_format, continuous_update=continuous_update,
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


def widget_for(control: Control) -> w.ValueWidget:
    """The styled widget for a declaration (see :mod:`nbsupport.controls`)."""
    if isinstance(control, FloatControl):
        return slider(control.value, control.min, control.max, control.step, control.label,
                      readout_format=control.readout_format, continuous_update=control.live)
    if isinstance(control, IntControl):
        made = int_slider(control.value, control.min, control.max, control.label, control.step)
        made.continuous_update = control.live
        return made
    if isinstance(control, ChoiceControl):
        build = toggle if control.toggle else dropdown
        return build(list(control.options), control.value, control.label)
    raise TypeError(f"control must be a FloatControl, IntControl or ChoiceControl, got {control!r}")


def _controls_of(view: View, overrides: dict[str, w.ValueWidget]) -> dict[str, w.ValueWidget]:
    """Widgets for the view's declared controls, in their order; ``overrides`` win or add."""
    made = {c.name: overrides[c.name] if c.name in overrides else widget_for(c)
            for c in getattr(view, "controls", ())}
    made.update({name: c for name, c in overrides.items() if name not in made})
    if not made:
        raise ValueError(f"{type(view).__name__} declares no controls and none were given")
    return made


def _event_loop():
    """The running asyncio loop (inside a kernel), else None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


#: How long a change from the browser waits before it is drawn (seconds).  Slider moves
#: that arrive in the meantime (queued while the last frame was drawn) are drawn once,
#: at their newest value: stale frames are skipped.  None: draw every change at once.
COALESCE_SECONDS: float | None = 0.002


def interactive_view(view: View, **overrides: w.ValueWidget) -> w.VBox:
    """Controls above a live figure; each change calls ``view.update(**values)``.

    The controls are built from ``view.controls`` (see the module docstring); keyword
    arguments override a declared control of that name or add one.  Controls that the
    view reports as inactive at the current values (see :func:`inactive_controls`) are
    disabled until a change makes them matter.

    A change made in code (``control.value = ...``) is drawn at once.  A change from the
    browser is drawn :data:`COALESCE_SECONDS` later, with the values the controls hold
    then: moves that queued up in the kernel while a frame was being drawn give one
    frame, not one each.

    Examples
    --------
    >>> box = interactive_view(view)                                      # doctest: +SKIP
    >>> box = interactive_view(view, w=slider(1.0, 0.1, 5.0, 0.1, "weight w"))  # doctest: +SKIP
    """
    controls = _controls_of(view, overrides)
    live = LiveFigure(view.fig)
    state = {"last_moved": None, "moved": None, "scheduled": False}
    stats = {"changes": 0, "frames": 0}

    def draw() -> None:
        state["scheduled"] = False
        values = {name: c.value for name, c in controls.items()}
        view.update(**values)
        moved = state["moved"]
        live.refresh(restart=moved is not state["last_moved"])  # another control: other artists move
        state["last_moved"] = moved
        stats["frames"] += 1
        stats["last_frame_time"] = time.time()
        unused = inactive_controls(view, values)
        for name, control in controls.items():
            control.disabled = name in unused

    def on_change(change: dict) -> None:
        stats["changes"] += 1
        state["moved"] = change["owner"]
        loop = _event_loop()
        from_browser = bool(getattr(change["owner"], "_property_lock", None))
        if loop is None or not from_browser or COALESCE_SECONDS is None:
            draw()
        elif not state["scheduled"]:
            state["scheduled"] = True
            loop.call_later(COALESCE_SECONDS, draw)

    for control in controls.values():
        control.observe(on_change, names="value")
    draw()
    style = [w.HTML(_LECTURE_CSS)] if current_mode() == "lecture" else []
    box = w.VBox([*style, *controls.values(), live.widget])
    # for tests and benchmarks/latency.py
    box.view, box.live, box.controls, box.stats = view, live, controls, stats
    return box

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
- ``update`` called again with the same values leaves the picture as it is (the live
  figure rehearses it once), unless the view sets ``repeatable = False`` (a training run
  per update, where the last run becomes the previous one);
- figures made with :func:`nbsupport.plotting.new_figure`, so lecture mode scales them.

:class:`LiveFigure` renders the figure to PNG bytes and puts them into an
``ipywidgets.Image``; a slider move costs one Agg draw and one fast PNG encode, with
no new figure, no pyplot and no Output-widget clearing; after the first move only
the artists that changed are redrawn (see :class:`LiveFigure`).
"""
from __future__ import annotations

import asyncio
import collections
import struct
import time
import zlib
from typing import Any, Protocol

import ipywidgets as w
import numpy as np
try:
    from isal import isal_zlib as _deflate
except ImportError:  # the same zlib stream, made more slowly
    _deflate = zlib
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


def encode_png(rgba: np.ndarray) -> bytes:
    """Encode an (height, width, 4) uint8 RGBA array as PNG, fast.

    No row filters and the fastest deflate level: plots are mostly flat colour, so they
    still compress about 20-fold, and a frame costs a fraction of Pillow's adaptive filters.
    The deflate is ISA-L's (``isal``, a dependency), several times faster than zlib's at the
    same level and size; zlib's when ``isal`` is not installed.
    """
    height, width, _ = rgba.shape
    rows = np.empty((height, 4 * width + 1), np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type: 0, "None"
    rows[:, 1:] = rgba.reshape(height, -1)
    packer = _deflate.compressobj(1)
    data = packer.compress(rows) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data)
            + _png_chunk(b"IEND", b""))


class LiveFigure:
    """An ``ipywidgets.Image`` showing ``fig``; :meth:`refresh` redraws it in place.

    A full Agg draw of a two-panel figure costs tens of milliseconds (text and layout dominate);
    redrawing only what changed costs a few. So the first time a view changes some
    artists, they are marked *animated*: the figure is drawn once without them and kept as
    a background, and from then on a refresh pastes the background and draws just those
    artists on top (blitting). The view needs to do nothing for this: matplotlib flags
    every artist whose data changed as ``stale``.

    When an axes changes more than its animated artists (its limits or ticks, or an
    artist not seen changing before), only that axes is drawn again: each visible axes
    owns a *slot*, the rectangle around everything it draws (ticks, labels, title) grown
    halfway to its neighbours, fixed with the layout. The slot is cleared to the figure's
    colour, the axes is drawn into it, and the result becomes the new background; the
    legend below the panels and the other axes are not drawn again. Axes whose slots
    overlap (twins) are drawn together. The figure is drawn in full when an axes is shown,
    hidden or moved, when an artist of the figure itself changes, and on the first draw.

    An animated artist that has stopped changing (the panel titles once the depth slider
    is let go, while another slider is dragged) would still cost its draw on every frame.
    :meth:`new_focus` (the user turned to another control) starts counting what changes,
    and :meth:`relax`, which :func:`interactive_view` calls once the kernel is idle, puts
    every animated artist that has not changed since back into the background, at the
    price of one full draw that no frame waits for. ``refresh(restart=True)`` does both
    at once.
    Legends stay in the background (drawn once), so a curve passing over a frameless
    legend is drawn above its text; everything else matches a full draw pixel for pixel
    (tick labels that grow beyond their slot are cut at its edge).
    The layout (constrained) and the places of axis labels and titles are computed for
    the first frame and then kept.
    """

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self._background: np.ndarray | None = None  # the pixels without the animated artists
        self._animated: list[Artist] = []
        self._limits: list = []
        self._slots: dict[Axes, tuple[int, int, int, int]] = {}  # rows, columns of the buffer
        self._recent: set[Artist] = set()  # artists changed since the focus last moved
        self.full_draws = 0  # how often the figure was drawn in full (benchmarks read it)
        self.axes_draws = 0  # how often single axes were drawn again instead
        width = int(fig.get_size_inches()[0] * fig.dpi)
        self.widget = w.Image(format="png", layout=w.Layout(max_width="100%", width=f"{width}px"))
        self.refresh()

    def _pixels(self) -> np.ndarray:
        """The canvas's (height, width, 4) RGBA buffer at the figure's size, writable in place
        (a ``savefig(bbox_inches="tight")`` leaves a renderer of another size behind)."""
        return np.asarray(self.fig.canvas.get_renderer().buffer_rgba())

    def _candidates(self) -> list[Artist]:
        """Artists a view may change: direct children of the axes and the figure."""
        found = [a for ax in self.fig.axes for a in ax.get_children()
                 if not isinstance(a, (Axis, Spine)) and a is not ax.patch]
        found += [a for a in self.fig.get_children() if not isinstance(a, Axes) and a is not self.fig.patch]
        return found

    def _axis_state(self) -> list:
        return [(ax.get_visible(), ax.get_position().bounds, ax.get_xlim(), ax.get_ylim(),
                 ax.xaxis.stale, ax.yaxis.stale) for ax in self.fig.axes]

    def _draw_animated(self) -> None:
        for artist in sorted(self._animated, key=lambda a: a.get_zorder()):
            (artist.axes or self.fig).draw_artist(artist)

    def _footprints(self) -> tuple[dict[Axes, np.ndarray], list[np.ndarray]]:
        """Pixel boxes [x0, y0, x1, y1] (from the top left) of every visible axes and of
        every other visible artist of the figure (legends, titles), as drawn now."""
        renderer = self.fig.canvas.get_renderer()
        height = self.fig.bbox.height

        def box(bbox) -> np.ndarray:
            return np.array([np.floor(bbox.x0), np.floor(height - bbox.y1),
                             np.ceil(bbox.x1), np.ceil(height - bbox.y0)])

        axes = {ax: box(ax.get_tightbbox(renderer)) for ax in self.fig.axes if ax.get_visible()}
        others = [box(a.get_window_extent(renderer)) for a in self._candidates()
                  if a.axes is None and a.get_visible() and not a.get_animated()
                  and not (hasattr(a, "get_text") and not a.get_text())]
        return axes, others

    def _find_slots(self) -> None:
        """Grow each axes' footprint halfway towards the nearest other footprint (or the
        figure's edge) on each side; axes that overlap an artist of the figure get none."""
        axes, others = self._footprints()
        width, height = self._pixels().shape[1], self._pixels().shape[0]
        self._slots = {}
        for ax, own in axes.items():
            neighbours = [b for a, b in axes.items() if a is not ax] + others
            if any(_overlap(own, b) for b in others):
                continue
            slot = [0.0, 0.0, float(width), float(height)]
            for b in neighbours:
                if _overlap(own, b):
                    continue  # a twin: the two are drawn together (see _group)
                rows_meet = own[1] < b[3] and b[1] < own[3]
                cols_meet = own[0] < b[2] and b[0] < own[2]
                if rows_meet and b[2] <= own[0]:
                    slot[0] = max(slot[0], (b[2] + own[0]) / 2)
                if rows_meet and b[0] >= own[2]:
                    slot[2] = min(slot[2], (b[0] + own[2]) / 2)
                if cols_meet and b[3] <= own[1]:
                    slot[1] = max(slot[1], (b[3] + own[1]) / 2)
                if cols_meet and b[1] >= own[3]:
                    slot[3] = min(slot[3], (b[1] + own[3]) / 2)
            x0, y0 = int(np.ceil(slot[0])), int(np.ceil(slot[1]))
            self._slots[ax] = (y0, int(slot[3]), x0, int(slot[2]))

    def _group(self, changed: set) -> set | None:
        """``changed`` and every axes whose slot overlaps theirs; None if one has no slot."""
        group = set(changed)
        while True:
            if any(ax not in self._slots for ax in group):
                return None
            more = {ax for ax in self._slots if ax not in group
                    and any(_overlap_slots(self._slots[ax], self._slots[g]) for g in group)}
            if not more:
                return group
            group |= more

    def _remember(self, pixels: np.ndarray) -> None:
        """Take ``pixels`` as the background, then draw the animated artists on top."""
        if self._background is not None and self._background.shape == pixels.shape:
            np.copyto(self._background, pixels)  # no second picture-sized array, even briefly
        else:
            self._background = pixels.copy()
        candidates = self._candidates()
        self._animated = [a for a in candidates if a.get_animated()]
        self._draw_animated()
        for artist in candidates:  # the pixels are current: only later changes count
            artist.stale = False
        self._limits = self._axis_state()

    def _full_draw(self) -> None:
        self.fig.canvas.draw()  # draws everything that is not animated
        if self.fig.get_layout_engine() is not None:
            # keep the layout of the first frame: constrained layout, run again on every full
            # draw (a new axis range, new ticks), costs more than the drawing itself
            self.fig.set_layout_engine("none")
        if self._background is None:
            self._freeze_decorations()
        positions = [state[:2] for state in self._axis_state()]
        resized = self._background is not None and self._background.shape != self._pixels().shape
        if not self._slots or resized or positions != [state[:2] for state in self._limits]:
            self._find_slots()
        self.full_draws += 1
        self._remember(self._pixels())

    def _freeze_decorations(self) -> None:
        """Keep the axis labels and titles where the first frame put them.

        Otherwise every draw of an axes measures all its tick labels again to place them
        (and the titles above any top ticks): a third of the cost of drawing an axes.
        """
        for ax in self.fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                label = axis.label
                where = label.get_transform().transform(label.get_position())
                axis.set_label_coords(*ax.transAxes.inverted().transform(where))
                axis.stale = False  # same place, same pixels
            ax._autotitlepos = False  # matplotlib's own switch; set_title(y=...) would reset the font
            ax.stale = False

    def _draw_axes(self, group: set) -> None:
        """Draw the axes of ``group`` again into their slots over the background."""
        pixels = self._pixels()
        pixels[...] = self._background
        colour = np.round(255 * np.asarray(self.fig.patch.get_facecolor())).astype(np.uint8)
        for ax in group:
            top, bottom, left, right = self._slots[ax]
            pixels[top:bottom, left:right] = colour
        in_figure_order = [ax for ax in self.fig.axes if ax in group]  # as Figure.draw: a twin
        for ax in sorted(in_figure_order, key=lambda a: a.get_zorder()):  # above its host
            self.fig.draw_artist(ax)
        inside = [(self._slots[ax], pixels[self._slots[ax][0]:self._slots[ax][1],
                                           self._slots[ax][2]:self._slots[ax][3]].copy())
                  for ax in group]
        pixels[...] = self._background  # nothing drawn outside the slots is kept
        for (top, bottom, left, right), drawn in inside:
            pixels[top:bottom, left:right] = drawn
        self.axes_draws += 1
        self._remember(pixels)

    def _changed_axes(self, stale: list[Artist]) -> set | None:
        """The axes to draw again, or None when the figure must be drawn in full."""
        opaque = self.fig.patch.get_facecolor()[3] == 1 and self.fig.patch.get_alpha() in (None, 1)
        if not opaque or any(a.axes is None and not a.get_animated() for a in stale):
            return None
        now = self._axis_state()
        if [s[:2] for s in now] != [s[:2] for s in self._limits]:
            return None  # shown, hidden or moved
        changed = {ax for ax, old, new in zip(self.fig.axes, self._limits, now) if old != new}
        changed |= {a.axes for a in stale if a.axes is not None and not a.get_animated()}
        return self._group(changed)

    def redraw(self, restart: bool = False) -> None:
        """Bring the figure's pixels up to date: blit when only known artists changed.

        ``restart=True``: animate exactly the artists that changed this time (one full draw).
        """
        stale = [a for a in self._candidates() if a.stale]
        self._recent.update(stale)
        if self._background is None or self._pixels().shape != self._background.shape:
            self._full_draw()  # the first frame, or the canvas was resized (savefig, dpi)
            return
        if restart:
            self._recent = set(stale)
            for artist in self._animated:
                artist.set_animated(False)  # back into the background; the stale ones return below
            for artist in stale:
                artist.set_animated(True)
            self._full_draw()
            return
        group = self._changed_axes(stale)
        for artist in stale:  # what changed becomes animated
            artist.set_animated(True)
        if group is None:
            self._full_draw()
        elif group:
            self._draw_axes(group)
        else:
            self._pixels()[...] = self._background
            self._draw_animated()

    def new_focus(self) -> None:
        """The user turned to another control: count the artists that change from now on."""
        self._recent = set()

    def can_relax(self) -> bool:
        """Whether an animated artist has not changed since :meth:`new_focus`."""
        return any(artist not in self._recent for artist in self._animated)

    def relax(self) -> bool:
        """Put the animated artists that have not changed since :meth:`new_focus` back into
        the background (one full draw; the picture stays the same). False if there are none."""
        if not self.can_relax():
            return False
        for artist in self._animated:
            if artist not in self._recent:
                artist.set_animated(False)
        self._full_draw()
        return True

    def render_png(self, restart: bool = False) -> bytes:
        """Redraw (see :meth:`redraw`), then encode the canvas as PNG."""
        self.redraw(restart)
        return encode_png(self._pixels())

    def refresh(self, restart: bool = False) -> None:
        """Show the figure as it is now in the image widget."""
        self.widget.value = self.render_png(restart)


def _overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """Do two pixel boxes [x0, y0, x1, y1] overlap?"""
    return bool(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def _overlap_slots(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Do two slots (top, bottom, left, right) overlap?"""
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


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


#: How long a change from the browser that arrives right after a frame waits before it is
#: drawn (seconds).  Slider moves that arrive in the meantime (queued while the last frame
#: was drawn) are drawn once, at their newest value: stale frames are skipped.
#: None: draw every change at once.
COALESCE_SECONDS: float | None = 0.002
#: A change from the browser that finds no frame drawn for this long (seconds) cannot
#: have queued behind one: it is drawn without waiting.
IDLE_SECONDS = 0.010
#: Moves from the browser closer together than this (seconds) are a drag.
DRAG_SECONDS = 0.100
#: Once no frame has been drawn for this long (seconds), housekeeping that no frame should
#: wait for is done: :meth:`LiveFigure.relax` after the user turned to another control, and
#: a rehearsal of the first move right after the figure is shown.
RELAX_SECONDS = 0.5
#: A view whose first ``update`` took longer than this (seconds) is not rehearsed.
REHEARSE_SECONDS = 0.05


def interactive_view(view: View, **overrides: w.ValueWidget) -> w.VBox:
    """Controls above a live figure; each change calls ``view.update(**values)``.

    The controls are built from ``view.controls`` (see the module docstring); keyword
    arguments override a declared control of that name or add one.  Controls that the
    view reports as inactive at the current values (see :func:`inactive_controls`) are
    disabled until a change makes them matter.

    A change made in code (``control.value = ...``) is drawn at once, and so is a single
    move from the browser that finds the kernel idle (no frame for :data:`IDLE_SECONDS`).
    No move waits for a full draw of the figure: when the kernel has been idle for
    :data:`RELAX_SECONDS`, the figure is rehearsed once (``update`` with the values shown,
    so that the artists it changes are drawn apart from the background from the first
    move on; not for views with ``repeatable = False`` or slower than
    :data:`REHEARSE_SECONDS`) and, after the user turned to another control, relaxed
    (:meth:`LiveFigure.relax`).
    During a drag (moves less than :data:`DRAG_SECONDS` apart) a move is drawn after its
    message has been handled, because the browser sends the next move only once the kernel
    reports idle: on the next turn of the event loop if the kernel was idle, else
    :data:`COALESCE_SECONDS` later; either way with the values the controls hold then, so
    moves that queued up while a frame was being drawn give one frame, not one each.

    Examples
    --------
    >>> box = interactive_view(view)                                      # doctest: +SKIP
    >>> box = interactive_view(view, w=slider(1.0, 0.1, 5.0, 0.1, "weight w"))  # doctest: +SKIP
    """
    controls = _controls_of(view, overrides)
    live = LiveFigure(view.fig)
    state = {"last_moved": None, "moved": None, "scheduled": False, "first_change": None,
             "last_change": 0.0, "housekeeping": None}
    stats = {"changes": 0, "frames": 0, "relaxed": 0, "rehearsed": 0}
    # per frame, wall-clock seconds: (first change drawn, update starts, PNG ready, sent)
    timeline: collections.deque = collections.deque(maxlen=256)

    def draw() -> None:
        started = time.time()
        state["scheduled"] = False
        values = {name: c.value for name, c in controls.items()}
        view.update(**values)
        state.setdefault("first_update", time.time() - started)
        moved = state["moved"]
        if moved is not state["last_moved"]:
            live.new_focus()  # another control: other artists move
        png = live.render_png()
        encoded = time.time()
        live.widget.value = png
        state["last_moved"] = moved
        stats["frames"] += 1
        stats["last_frame_time"] = time.time()
        timeline.append((state["first_change"] or started, started, encoded, stats["last_frame_time"]))
        state["first_change"] = None
        unused = inactive_controls(view, values)
        for name, control in controls.items():
            control.disabled = name in unused
        housekeeping_later()

    def housekeeping_later() -> None:
        loop = _event_loop()
        due = (stats["changes"] == 0 and not stats["rehearsed"]) or live.can_relax()
        if loop is not None and due and state["housekeeping"] is None:
            state["housekeeping"] = loop.call_later(RELAX_SECONDS, housekeeping)

    def housekeeping() -> None:
        """Rehearse the first move, or relax, once no frame has been drawn for a while."""
        state["housekeeping"] = None
        quiet = time.time() - stats["last_frame_time"]
        if state["scheduled"] or quiet < RELAX_SECONDS:
            wait = max(RELAX_SECONDS - quiet, IDLE_SECONDS)
            state["housekeeping"] = _event_loop().call_later(wait, housekeeping)
        elif stats["changes"] == 0 and not stats["rehearsed"]:
            rehearse()
        elif live.relax():
            stats["relaxed"] += 1

    def rehearse() -> None:
        """``update`` again with the values shown: what it changes is drawn apart from the
        background from now on. The picture is sent again only if it changed."""
        stats["rehearsed"] += 1
        if state["first_update"] > REHEARSE_SECONDS or not getattr(view, "repeatable", True):
            return
        before = live.widget.value
        view.update(**{name: c.value for name, c in controls.items()})
        png = live.render_png()
        if png != before:
            live.widget.value = png

    def on_change(change: dict) -> None:
        stats["changes"] += 1
        state["moved"] = change["owner"]
        state["first_change"] = state["first_change"] or time.time()
        loop = _event_loop()
        from_browser = bool(getattr(change["owner"], "_property_lock", None))
        now = time.time()
        idle = now - stats.get("last_frame_time", 0.0) > IDLE_SECONDS
        dragging = now - state["last_change"] < DRAG_SECONDS
        state["last_change"] = now
        if loop is None or not from_browser or COALESCE_SECONDS is None:
            draw()
        elif not state["scheduled"]:
            if idle and not dragging:
                draw()  # a single move (a key press, a click): at once
            else:
                # after this handler: the kernel reports idle first, and the browser sends
                # the next move of a drag while this frame is drawn (it waits for that report)
                state["scheduled"] = True
                loop.call_soon(draw) if idle else loop.call_later(COALESCE_SECONDS, draw)

    for control in controls.values():
        control.observe(on_change, names="value")
    draw()
    style = [w.HTML(_LECTURE_CSS)] if current_mode() == "lecture" else []
    box = w.VBox([*style, *controls.values(), live.widget])
    # for tests and benchmarks/latency.py
    box.view, box.live, box.controls, box.stats, box.timeline = view, live, controls, stats, timeline
    return box

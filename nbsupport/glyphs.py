"""Text that is redrawn on every slider move, drawn from cached pictures of its glyphs.

Matplotlib renders every glyph of a text again on each draw (tens of microseconds a glyph),
so a figure whose numbers change on every move spends most of its frame on text.

- :class:`GlyphCanvas` (every figure of :func:`nbsupport.plotting.new_figure` has one) draws
  with :class:`GlyphCacheRenderer`, which renders each glyph once per font, size, angle and
  1/64-pixel offset and pastes it from then on: the same pixels as Agg's own text.
- :class:`GlyphLines` goes further for tables of numbers in a monospace font: it pastes
  whole lines as one image.
"""
from __future__ import annotations

import math
import threading
from typing import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist, allow_rasterization
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ft2font import FT2Font
try:
    from matplotlib.ft2font import RenderMode
except ImportError:  # an older matplotlib, which draws text another way
    RenderMode = None
from matplotlib.transforms import Bbox

__all__ = ["GlyphCacheRenderer", "GlyphCanvas", "GlyphLines"]

#: Rendered glyphs kept by :class:`GlyphCacheRenderer` (all figures share them); when full,
#: the cache starts again. A glyph at a projector's font size takes about 0.5 kB with its
#: key, so the caches hold a few MB of a kernel's memory at most.
MAX_CACHED_GLYPHS = 6_000
_glyph_cache: dict[tuple, tuple[np.ndarray, int, int]] = {}
#: Laid-out lines of text (glyphs and their offsets) kept by :class:`GlyphCacheRenderer`.
MAX_CACHED_LAYOUTS = 1_000
_layout_cache: dict[tuple, tuple] = {}
_metrics_cache: dict[tuple, tuple] = {}
# where a font's line metrics are: table, line gap, ascender, descender (as matplotlib.text)
_LINE_METRICS = (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                 ("hhea", "lineGap", "ascent", "descent"))
# the glyph cache follows Agg's own text path, which these private hooks are part of; with a
# matplotlib that lacks them, GlyphCacheRenderer draws text exactly as RendererAgg does
_CACHEABLE = (RenderMode is not None and hasattr(FT2Font, "_layout")
              and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes"))
_FONT_SETTINGS = ("font.serif", "font.sans-serif", "font.cursive", "font.fantasy",
                  "font.monospace", "text.kerning_factor", "font.enable_last_resort")


def _remember(cache: dict, limit: int, key: tuple, value):
    """``cache[key] = value``, first emptying the cache if it holds ``limit`` entries."""
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value


class GlyphCacheRenderer(RendererAgg):
    """Agg's renderer, with each glyph rendered once and pasted from a cache afterwards.

    Agg places glyph g at a position (tx, ty) given in 1/64 of a pixel and renders it with
    FreeType. Moving an outline by whole pixels moves its bitmap by whole pixels, so

        bitmap(g, tx, ty) = bitmap(g, tx mod 64, ty mod 64) shifted by (tx // 64, ty // 64),

    and the bitmap is rendered once per font, size, dpi, angle, hinting and offset within a
    pixel, then pasted exactly where Agg would paste it: the pixels are Agg's own, and a
    readout redrawn on every slider move costs a dict lookup a glyph instead of a rendering.

    A line of text is laid out (shaped) once per font, size and string, too: tick labels
    and titles repeat from frame to frame.

    Examples
    --------
    >>> renderer = GlyphCacheRenderer(200, 100, 100)
    >>> renderer.dpi
    100
    """

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not _CACHEABLE:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, prop, self.dpi, get_hinting_flag(), _frozen(features), _frozen(language),
               threading.get_ident(), tuple(_frozen(mpl.rcParams[k]) for k in _FONT_SETTINGS))
        glyphs = _layout_cache.get(key)
        if glyphs is None:
            items = self._prepare_font(prop)._layout(s, flags=get_hinting_flag(), features=features,
                                                     language=language)
            glyphs = tuple((item.ft_object, item.glyph_index, item.x, item.y) for item in items)
            _remember(_layout_cache, MAX_CACHED_LAYOUTS, (s, prop.copy(), *key[2:]), glyphs)
        size = prop.get_size_in_points()
        self._draw_text_glyphs_and_boxes(
            gc, x, y, angle, ((font, size, index, 0, 1, dx, dy) for font, index, dx, dy in glyphs), ())

    def _get_font_height_metrics(self, prop) -> tuple:
        """(ascent, descent, line gap) in pixels of the font of ``prop``, from its OS/2 or hhea
        table, as :class:`matplotlib.text.Text` computes them for every line of every draw."""
        key = (prop, self.dpi, threading.get_ident(),
               tuple(_frozen(mpl.rcParams[k]) for k in _FONT_SETTINGS))
        metrics = _metrics_cache.get(key)
        if metrics is None:
            metrics = (None, None, None)
            font = get_font(fontManager._find_fonts_by_props(prop))
            for table_name, gap, ascent, descent in _LINE_METRICS:
                table = font.get_sfnt_table(table_name)
                if table is not None:
                    scale = (prop.get_size_in_points() * self.dpi / 72
                             / font.get_sfnt_table("head")["unitsPerEm"])
                    metrics = (table[ascent] * scale, -table[descent] * scale, table[gap] * scale)
                    break
            _remember(_metrics_cache, MAX_CACHED_LAYOUTS, (prop.copy(), *key[1:]), metrics)
        return metrics

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        if not _CACHEABLE:
            return super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)
        # y is downwards from the top; FreeType's y (dy, ty, top) is upwards
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        flags = get_hinting_flag()
        antialiased = bool(gc.get_antialiased())
        height = self.height
        rows = int(height)
        paste = self._renderer.draw_text_image
        for font, size, index, slant, extend, dx, dy in glyphs:
            tx = round(0x40 * (x + dx * cos - dy * sin))
            ty = round(0x40 * (height - y + dx * sin + dy * cos))
            key = (font, size, self.dpi, index, angle, slant, extend, flags, antialiased,
                   tx & 63, ty & 63)
            cached = _glyph_cache.get(key)
            if cached is None:
                cached = _remember(_glyph_cache, MAX_CACHED_GLYPHS, key, _render_glyph(
                    font, size, self.dpi, index, (cos, sin, slant, extend), flags, antialiased,
                    (tx & 63, ty & 63)))
            bitmap, left, top = cached
            if bitmap.size:
                top += ty >> 6
                paste(bitmap, left + (tx >> 6), rows - top + bitmap.shape[0], 0, gc)
        boxes = list(boxes)
        if boxes:
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, (), boxes)


def _frozen(value):
    """``value`` as something a dict key can hold (lists become tuples)."""
    return tuple(value) if isinstance(value, list) else value


def _render_glyph(font, size: float, dpi: float, index: int, pose: tuple, flags,
                  antialiased: bool, offset: tuple[int, int]) -> tuple[np.ndarray, int, int]:
    """Glyph ``index`` rendered as Agg renders it, placed ``offset`` (1/64 pixel) from the
    origin: its coverage (a copy) and its bitmap's left and top in whole pixels."""
    cos, sin, slant, extend = pose
    font.set_size(size, dpi)
    font._set_transform((0x10000 * np.array([[cos, -sin], [sin, cos]])
                         @ [[extend, extend * slant], [0, 1]]).round().astype(int), list(offset))
    bitmap = font._render_glyph(index, flags, RenderMode.NORMAL if antialiased else RenderMode.MONO)
    coverage = np.array(bitmap.buffer)
    if not antialiased:
        coverage *= 0xff
    return coverage, bitmap.left, bitmap.top


class GlyphCanvas(FigureCanvasAgg):
    """An Agg canvas that draws with :class:`GlyphCacheRenderer` (same pixels, faster text).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> GlyphCanvas(Figure()).get_renderer().__class__.__name__
    'GlyphCacheRenderer'
    """

    def get_renderer(self) -> RendererAgg:
        width, height = self.get_width_height(physical=True)
        key = width, height, self.figure.dpi
        if self._lastKey != key:
            self.renderer = GlyphCacheRenderer(width, height, self.figure.dpi)
            self._lastKey = key
        return self.renderer


class GlyphLines(Artist):
    """Lines of monospace text pasted from cached pictures of their characters.

    A table of numbers redrawn on every slider move, as text artists, costs one layout (a
    new string each move) and one paste per glyph per cell, even with
    :class:`GlyphCacheRenderer`. Here each character is rendered by Agg once per dpi and
    quarter-pixel offset, and a draw
    pastes those pictures into one coverage mask, drawn as a single image in the text
    colour.  A monospace font has one advance for every character and no kerning, so the
    characters land where a text artist would put them (to a quarter of a pixel).

    ``set_lines([(text, x, y), ...])``: ``(x, y)`` in the artist's transform (data by
    default); ``ha`` "center" or "left"; ``va`` "center" puts the middle of a digit's height
    at y, "baseline" the baseline.

    Examples
    --------
    >>> lines = ax.add_artist(GlyphLines(fontsize=10))              # doctest: +SKIP
    >>> lines.set_lines([("+0.105", 0.0, 0.0)])                      # doctest: +SKIP
    """

    _PHASES = 4  # offsets across a pixel at which each character is rendered
    zorder = 3  # as text

    def __init__(self, fontsize: float, ha: str = "center", va: str = "center",
                 color: str | None = None) -> None:
        super().__init__()
        if ha not in ("center", "left") or va not in ("center", "baseline"):
            raise ValueError(f"ha must be 'center' or 'left' and va 'center' or 'baseline', got {ha!r}, {va!r}")
        self._prop = FontProperties(family="monospace", size=fontsize)
        self._ha, self._va = ha, va
        self._rgb = to_rgba(color if color is not None else mpl.rcParams["text.color"])
        self._lines: list[tuple[str, float, float]] = []
        self._stamps: dict[tuple[str, int, float], tuple[np.ndarray, int, int]] = {}
        self._metrics: dict[float, tuple[float, int]] = {}
        self._renderer: RendererAgg | None = None

    def set_lines(self, lines: Sequence[tuple[str, float, float]]) -> None:
        self._lines = [(str(text), float(x), float(y)) for text, x, y in lines]
        self.stale = True

    def get_lines(self) -> list[tuple[str, float, float]]:
        return list(self._lines)

    def get_fontsize(self) -> float:
        """The font size in points."""
        return self._prop.get_size_in_points()

    def _scratch(self, dpi: float) -> tuple[RendererAgg, int]:
        """A cleared Agg renderer three characters' size square, and that size in pixels."""
        size = int(np.ceil(self._prop.get_size_in_points() * dpi / 72))
        if self._renderer is None or self._renderer.dpi != dpi:
            self._renderer = RendererAgg(3 * size, 3 * size, dpi)
        self._renderer.clear()
        return self._renderer, size

    def _font_metrics(self, dpi: float) -> tuple[float, int]:
        """(advance of one character in pixels, height of a digit's ink in whole pixels)."""
        if dpi not in self._metrics:
            renderer, _ = self._scratch(dpi)
            width = renderer.get_text_width_height_descent("0" * 40, self._prop, False)[0]
            alpha, _, top = self._stamp("0", (0, 0), dpi)
            self._metrics[dpi] = (width / 40, -top)
        return self._metrics[dpi]

    def _split(self, position: float) -> tuple[int, int]:
        """A pixel coordinate as (whole pixel, nearest phase in 1 / _PHASES of a pixel)."""
        steps = int(round(position * self._PHASES))
        return steps // self._PHASES, steps % self._PHASES

    def _stamp(self, char: str, phase: tuple[int, int], dpi: float) -> tuple[np.ndarray, int, int]:
        """The coverage of ``char`` with its origin ``phase / _PHASES`` of a pixel right of and
        below a pixel's corner, and its offset (left, top) from that pixel."""
        key = (char, phase, dpi)
        if key not in self._stamps:
            renderer, size = self._scratch(dpi)
            gc = renderer.new_gc()
            gc.set_antialiased(mpl.rcParams["text.antialiased"])
            renderer.draw_text(gc, size + phase[0] / self._PHASES, 2 * size + phase[1] / self._PHASES,
                               char, self._prop, 0)
            alpha = np.asarray(renderer.buffer_rgba())[..., 3]
            rows, cols = np.nonzero(alpha.any(axis=1))[0], np.nonzero(alpha.any(axis=0))[0]
            if rows.size == 0:  # a space
                self._stamps[key] = (np.zeros((0, 0), np.uint8), 0, 0)
            else:
                crop = alpha[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].copy()
                self._stamps[key] = (crop, int(cols[0]) - size, int(rows[0]) - 2 * size)
        return self._stamps[key]

    def _placements(self, dpi: float) -> list[list[tuple[np.ndarray, int, int]]]:
        """Per line, each character's coverage and its top-left pixel (from the figure's top left)."""
        advance, digit = self._font_metrics(dpi)
        height = self.figure.bbox.height
        transform = self.get_transform()
        lines = []
        for text, x, y in self._lines:
            px, py = transform.transform((x, y))
            start = px - len(text) * advance / 2 if self._ha == "center" else px
            row, phase_y = self._split(height - py + (digit / 2 if self._va == "center" else 0))
            placed = []
            for i, char in enumerate(text):
                column, phase_x = self._split(start + i * advance)
                alpha, dx, dy = self._stamp(char, (phase_x, phase_y), dpi)
                if alpha.size:
                    placed.append((alpha, column + dx, row + dy))
            lines.append(placed)
        return lines

    @staticmethod
    def _extent(placed) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in pixels around every placed character."""
        return (min(x for _, x, _ in placed), min(y for _, _, y in placed),
                max(x + a.shape[1] for a, x, _ in placed), max(y + a.shape[0] for a, _, y in placed))

    def _bbox(self, placed) -> Bbox:
        if not placed:
            return Bbox.null()
        left, top, right, bottom = self._extent(placed)
        height = self.figure.bbox.height
        return Bbox([[left, height - bottom], [right, height - top]])

    def line_extents(self) -> list[Bbox]:
        """The ink of each line in display coordinates (pixels from the bottom left)."""
        return [self._bbox(placed) for placed in self._placements(self.figure.dpi)]

    def get_window_extent(self, renderer=None) -> Bbox:
        return self._bbox([c for placed in self._placements(self.figure.dpi) for c in placed])

    @allow_rasterization
    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        placed = [c for line in self._placements(renderer.dpi) for c in line]
        if placed:
            left, top, right, bottom = self._extent(placed)
            coverage = np.zeros((bottom - top, right - left), np.uint8)
            for alpha, x, y in placed:
                window = coverage[y - top:y - top + alpha.shape[0], x - left:x - left + alpha.shape[1]]
                np.maximum(window, alpha, out=window)
            image = np.empty(coverage.shape + (4,), np.uint8)
            image[..., :3] = np.round(255 * np.asarray(self._rgb[:3])).astype(np.uint8)
            image[..., 3] = np.round(coverage * self._rgb[3]).astype(np.uint8) if self._rgb[3] < 1 else coverage
            gc = renderer.new_gc()
            renderer.draw_image(gc, left, self.figure.bbox.height - bottom, image[::-1])  # rows from the bottom
            gc.restore()
        self.stale = False

"""Text that is redrawn on every slider move, drawn from cached pictures of its characters.

Matplotlib renders every glyph of a text again on each draw (tens of microseconds a glyph),
so a figure whose numbers change on every move spends most of its frame on text.
:class:`GlyphLines` renders each character once and pastes it.
"""
from __future__ import annotations

from typing import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist, allow_rasterization
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties
from matplotlib.transforms import Bbox

__all__ = ["GlyphLines"]


class GlyphLines(Artist):
    """Lines of monospace text pasted from cached pictures of their characters.

    Matplotlib renders every glyph of a text again on each draw (tens of microseconds a
    glyph); a table of numbers redrawn on every slider move spends most of its frame there.
    Here each character is rendered by Agg once per dpi and quarter-pixel offset, and a draw
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

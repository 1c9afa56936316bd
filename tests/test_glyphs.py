import numpy as np
import pytest

from nbsupport.plotting import new_figure
from nbsupport.glyphs import GlyphLines


def test_glyph_lines_paint_what_a_monospace_text_paints():
    """Characters pasted from their cached pictures match Agg's own text: the ink differs by
    a tenth (quarter-pixel placement); a shift of half a pixel would differ by half."""
    pictures = []
    for pasted in (False, True):
        fig, (ax,) = new_figure(width=3.0, height=1.0)
        ax.set_axis_off()
        if pasted:
            lines = ax.add_artist(GlyphLines(11.0, ha="left", va="baseline"))
            lines.set_transform(ax.transAxes)
            lines.set_lines([("a = +0.105e-3, [1.00]", 0.05, 0.4)])
        else:
            ax.text(0.05, 0.4, "a = +0.105e-3, [1.00]", family="monospace", fontsize=11,
                    transform=ax.transAxes, va="baseline")
        fig.canvas.draw()
        pictures.append(255 - np.asarray(fig.canvas.buffer_rgba())[..., :3].min(axis=2).astype(int))
    text, pasted = pictures
    assert text.sum() > 100 * 255                                  # there is ink to compare
    assert np.abs(text - pasted).sum() <= 0.2 * text.sum()


def test_glyph_lines_place_each_line_by_its_alignment():
    fig, (ax,) = new_figure(width=3.0, height=2.0)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    centred = ax.add_artist(GlyphLines(10.0))
    left = ax.add_artist(GlyphLines(10.0, ha="left"))
    centred.set_lines([("-0.123", 5.0, 5.0), ("+1", 5.0, 2.0)])
    left.set_lines([("0.5", 2.0, 8.0)])
    fig.canvas.draw()
    to_data = ax.transData.inverted()
    first, second = (box.transformed(to_data) for box in centred.line_extents())
    assert (first.x0 + first.x1) / 2 == pytest.approx(5.0, abs=0.1)
    assert (first.y0 + first.y1) / 2 == pytest.approx(5.0, abs=0.1)
    assert first.width > 2 * second.width                          # six characters against two
    (box,) = (b.transformed(to_data) for b in left.line_extents())
    assert box.x0 == pytest.approx(2.0, abs=0.1)
    assert centred.get_window_extent().contains(*ax.transData.transform((5.0, 5.0)))


def test_glyph_lines_refuse_an_unknown_alignment():
    with pytest.raises(ValueError, match="ha"):
        GlyphLines(10.0, ha="right")


def _picture(canvas_class, draw) -> np.ndarray:
    from matplotlib.figure import Figure
    fig = Figure(figsize=(4.0, 2.0), dpi=100)
    canvas_class(fig)
    draw(fig)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def _texts_of_every_kind(fig) -> None:
    """Text at fractional positions, rotated, mathtext, superscripts, without antialiasing."""
    ax = fig.add_subplot()
    ax.set_title("loss = 0.0413, T = 2.35")
    ax.set_xlabel(r"logit $z_1 - \frac{1}{2}$")
    ax.set_ylabel("∂L/∂z (rotated)")
    for k in range(7):
        ax.text(0.013 + 0.137 * k, 0.1 + 0.117 * k, f"10⁻{k} AVWa {k / 7:.3f}", fontsize=7 + k)
    ax.text(0.5, 0.5, "tilted", rotation=33.3, fontsize=14)
    ax.text(0.2, 0.8, "no antialiasing", antialiased=False)
    ax.text(0.6, 0.9, "three\nlines of\ntext", family="serif", va="top", linespacing=1.4)
    ax.text(0.7, 0.3, "two\nlines", family="monospace", fontsize=9)


def test_the_glyph_cache_paints_agg_pixels_exactly():
    """Every kind of text drawn from cached glyphs gives Agg's own picture, pixel for pixel,
    the first time (glyphs rendered) and again (glyphs pasted from the cache)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from nbsupport.glyphs import GlyphCanvas

    agg = _picture(FigureCanvasAgg, _texts_of_every_kind)
    assert np.array_equal(_picture(GlyphCanvas, _texts_of_every_kind), agg)
    assert np.array_equal(_picture(GlyphCanvas, _texts_of_every_kind), agg)


def test_the_glyph_cache_stays_bounded(monkeypatch):
    from nbsupport import glyphs

    monkeypatch.setattr(glyphs, "MAX_CACHED_GLYPHS", 50)
    monkeypatch.setattr(glyphs, "_glyph_cache", {})
    _picture(glyphs.GlyphCanvas, _texts_of_every_kind)
    assert 0 < len(glyphs._glyph_cache) <= 50


def test_figures_of_the_course_draw_with_the_glyph_cache():
    from nbsupport.glyphs import GlyphCacheRenderer

    fig, _ = new_figure()
    assert isinstance(fig.canvas.get_renderer(), GlyphCacheRenderer)

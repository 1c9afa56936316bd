import matplotlib as mpl
import pytest
from matplotlib.colors import to_rgb

from nbsupport import plotting


def _luminance(color: str) -> float:
    r, g, b = to_rgb(color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_palette_is_okabe_ito_and_drives_the_colour_cycle():
    assert len(set(plotting.COLORS)) == 8
    assert plotting.PALETTE["blue"] == "#0072B2" and plotting.PALETTE["vermillion"] == "#D55E00"
    cycle = [c["color"] for c in mpl.rcParams["axes.prop_cycle"]]
    assert cycle == plotting.COLORS
    # the first curves get colours that stand out on white (yellow is last)
    assert all(_luminance(c) < 0.7 for c in plotting.COLORS[:6])


def test_lecture_mode_makes_fonts_lines_and_figures_bigger():
    try:
        plotting.notebook_mode()
        font, line = mpl.rcParams["font.size"], mpl.rcParams["lines.linewidth"]
        small, _ = plotting.new_figure(2)
        plotting.lecture_mode()
        assert mpl.rcParams["font.size"] >= 16 > font
        assert mpl.rcParams["lines.linewidth"] > line
        big, _ = plotting.new_figure(2)
        assert big.get_size_inches()[0] > small.get_size_inches()[0]
        explicit, _ = plotting.new_figure(width=7.0, height=3.0)   # notebook inches, scaled
        assert tuple(explicit.get_size_inches()) == pytest.approx((7.0 * 6.0 / 4.6, 3.0 * 4.8 / 3.6))
    finally:
        plotting.notebook_mode()


def test_style_follows_the_environment_variable(monkeypatch):
    try:
        monkeypatch.setenv("NBSUPPORT_LECTURE", "1")
        assert plotting.apply_style() == "lecture"
        monkeypatch.delenv("NBSUPPORT_LECTURE")
        assert plotting.apply_style() == "notebook"
    finally:
        plotting.notebook_mode()
    with pytest.raises(ValueError, match="mode"):
        plotting.apply_style("poster")


@pytest.mark.parametrize("query,mode", [("lecture=1", "lecture"), ("x=2&lecture=1", "lecture"),
                                        ("lecture=0", "notebook"), ("", "notebook")])
def test_style_follows_voilas_query_string(monkeypatch, query, mode):
    monkeypatch.delenv("NBSUPPORT_LECTURE", raising=False)
    monkeypatch.setenv("QUERY_STRING", query)
    try:
        assert plotting.apply_style() == mode
    finally:
        plotting.notebook_mode()


def test_new_figure_returns_flat_axes_on_an_agg_canvas():
    fig, axes = plotting.new_figure(3, 2)
    assert axes.shape == (6,)
    fig.canvas.draw()  # Agg canvas: draws without pyplot
    assert fig.canvas.get_width_height()[0] > 0


def test_label_axes_sets_labels_and_legend_only_when_there_are_labels():
    fig, (ax,) = plotting.new_figure()
    plotting.label_axes(ax, "x", "f(x)", "title")
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x", "f(x)", "title")
    assert ax.get_legend() is None
    ax.plot([0, 1], [0, 1], label="line")
    plotting.label_axes(ax, "x", "y")
    assert ax.get_legend() is not None
    assert plotting.color_for(9) == plotting.COLORS[1]

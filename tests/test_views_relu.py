"""Views of notebook 03: each update changes artist data in place and shows the right numbers."""
import numpy as np
import pytest

from nbsupport.activations import elu
from nbsupport.diagnostics import dead_share
from nbsupport.fitting import tangent_pieces
from nbsupport.plotting import PALETTE
from nbsupport.views import relu as rv


def n_children(fig):
    return [len(ax.get_children()) for ax in fig.axes]


@pytest.mark.parametrize("slope, valid, side", [(0.0, True, None), (0.5, True, None),
                                                (1.0, True, None), (-0.5, False, "negative"),
                                                (1.5, False, "positive")])
def test_subgradient_view_marks_the_part_of_the_line_above_relu(slope, valid, side):
    view = rv.SubgradientView()
    before = n_children(view.fig)
    view.update(slope=slope)
    above = np.asarray(view.above.get_ydata())
    np.testing.assert_array_equal(view.line.get_ydata(), slope * view.x)
    assert ("NOT" not in view.ax.get_title()) == valid
    assert view.line.get_color() == (PALETTE["green"] if valid else PALETTE["vermillion"])
    if side == "negative":
        assert np.isfinite(above[view.x < 0]).all() and np.isnan(above[view.x >= 0]).all()
    elif side == "positive":
        assert np.isfinite(above[view.x > 0]).all() and np.isnan(above[view.x <= 0]).all()
    else:
        assert np.isnan(above).all()
    assert n_children(view.fig) == before


@pytest.fixture(scope="module")
def dying():
    rng = np.random.default_rng(0)
    z = rng.normal(0.3, 1.0, size=(40, 25))
    dz = rng.normal(0.5, 1.0, size=(40, 25)) + rng.normal(0, 1, size=(1, 25))
    dz[:, 3] = 0.0  # a unit the step does not touch
    return rv.DyingReluView(z, dz, lr_max=4.0)


@pytest.mark.parametrize("shift", [0.0, -0.8, 0.5])
def test_dead_share_curve_equals_brute_force_over_the_learning_rates(dying, shift):
    dying.update(lr=1.0, shift=shift)
    brute = [dead_share(dying.z_before - lr * dying.dz + shift) for lr in dying.lr_grid]
    np.testing.assert_allclose(dying.curve.get_ydata(), brute)


def test_dying_view_marker_and_histogram_follow_the_step(dying):
    before = n_children(dying.fig)
    for lr in (0.0, 2.5):
        dying.update(lr=lr, shift=-0.3)
        z_after = dying.z_before - lr * dying.dz - 0.3
        assert dying.marker.get_ydata()[0] == dead_share(z_after)
        counts = dying.after.get_data().values
        assert counts.sum() == 25 and counts[0] == round(dead_share(z_after) * 25)
        assert dying.ax_hist.get_title().startswith(f"{counts[0]} dead")
    assert n_children(dying.fig) == before


def test_elu_view_reports_the_means_of_both_outputs():
    z = np.random.default_rng(1).normal(size=2000)
    view = rv.EluMeanView(z)
    before = n_children(view.fig)
    view.update(alpha=1.0)
    mean = elu(z, 1.0).mean()
    assert view.elu_mean_line.get_xdata()[0] == pytest.approx(mean)
    assert f"ELU {mean:.3f}" in view.ax_hist.get_title()
    assert f"ReLU {np.maximum(z, 0).mean():.3f}" in view.ax_hist.get_title()
    assert view.elu_hist.get_data().values.sum() == np.sum((elu(z, 1.0) >= -2) & (elu(z, 1.0) <= 3))
    view.update(alpha=0.0)
    assert view.elu_mean_line.get_xdata()[0] == pytest.approx(np.maximum(z, 0).mean())
    assert n_children(view.fig) == before


def square(x):
    return x * x


def double(x):
    return 2 * x


def test_tangent_pieces_touch_the_convex_curve_and_stay_below_it():
    x = np.linspace(-2, 2, 401)
    lines = tangent_pieces(square, double, x, 4, (-2.0, 2.0))
    assert lines.shape == (401, 4)
    assert np.all(lines <= square(x)[:, None] + 1e-12)
    t = np.array([-1.5, -0.5, 0.5, 1.5])  # midpoints of four cells of width 1
    np.testing.assert_allclose(tangent_pieces(square, double, t, 4, (-2.0, 2.0)).max(axis=1),
                               t * t, atol=1e-12)


def test_maxout_view_gap_shrinks_like_one_over_k_squared():
    view = rv.MaxoutView(square, double)
    before = n_children(view.fig)
    gaps = []
    for k in (2, 4, 8):
        view.update(pieces=k)
        visible = sum(np.isfinite(line.get_ydata()).any() for line in view.piece_lines)
        assert visible == k
        gaps.append(np.max(square(view.x) - view.max_line.get_ydata()))
    # neighbouring tangents of x^2 at spacing h meet h/2 from each, h^2/4 below the curve;
    # with h = 4/k the ends are h/2 from the outer tangent points: the same gap (2/k)^2
    np.testing.assert_allclose(gaps, [(2 / k) ** 2 for k in (2, 4, 8)], rtol=1e-3)
    assert n_children(view.fig) == before


def test_static_figures_plot_the_given_numbers():
    steps = np.arange(5)
    alphas = {"layer 1": np.tile(np.linspace(0.25, 0.1, 5)[:, None], (1, 3))}
    fig = rv.alpha_history_figure(steps, alphas)
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), np.linspace(0.25, 0.1, 5))

    slopes = np.random.default_rng(3).uniform(1 / 8, 1 / 3, size=500)
    fig = rv.slope_histogram_figure(slopes, 1 / 8, 1 / 3)
    assert sum(p.get_height() for p in fig.axes[0].patches) == 500

    stats = {"SELU": np.column_stack([np.zeros(20), np.ones(20)])}
    fig = rv.layer_statistics_figure(stats)
    assert len(fig.axes[0].get_lines()[0].get_xdata()) == 20


def test_subgradient_legend_is_beside_the_axes_and_its_swatch_follows_the_line():
    view = rv.SubgradientView()
    for slope in (-1.0, 0.5, 2.0):
        view.update(slope=slope)
        assert view.line_swatch.get_color() == view.line.get_color()
    view.fig.canvas.draw()
    assert view.ax.get_legend().get_window_extent().x0 >= view.ax.get_window_extent().x1


def test_static_relu_figures_keep_their_legends_off_the_axes():
    rng = np.random.default_rng(0)
    hist = rv.slope_histogram_figure(rng.uniform(1 / 8, 1 / 3, 500), 1 / 8, 1 / 3)
    hist.canvas.draw()
    (legend,) = hist.legends
    assert legend.get_window_extent().y1 <= hist.axes[0].get_window_extent().y0
    alphas = rng.uniform(0.2, 0.3, size=(5, 4))
    history = rv.alpha_history_figure(np.arange(5), {"layer 1": alphas})
    history.canvas.draw()
    ax = history.axes[0]
    assert ax.get_legend().get_window_extent().x0 >= ax.get_window_extent().x1
    elu_view = rv.EluMeanView.example()
    elu_view.fig.canvas.draw()
    ax = elu_view.ax_hist
    assert ax.get_legend().get_window_extent().y1 <= ax.get_window_extent().y0

import numpy as np
import pytest
from scipy.special import expit

from nbsupport.diagnostics import saturation_bound
from nbsupport.fitting import one_sample_descent
from nbsupport.views.sigmoid import SaturationView, ZigZagView, sigmoid_curves_figure


def test_curves_figure_marks_the_peak_at_one_quarter():
    fig = sigmoid_curves_figure()
    peak = [ln for ln in fig.axes[0].get_lines() if "peak" in ln.get_label()][0]
    assert tuple(peak.get_xydata()[0]) == (0.0, 0.25)


def test_saturation_update_changes_histograms_in_place():
    x = np.random.default_rng(0).normal(size=2000)
    view = SaturationView(x)
    view.update(weight=0.5, bias=0.0)
    small = view.z_stairs.get_data().values.copy()
    n_artists = [len(ax.get_children()) for ax in view.fig.axes]
    view.update(weight=8.0, bias=1.0)
    big = view.z_stairs.get_data().values
    assert not np.allclose(small, big)
    assert big.sum() == pytest.approx(1.0) and view.s_stairs.get_data().values.sum() == pytest.approx(1.0)
    share = view.share_marker.get_ydata()[0]
    assert share == pytest.approx(np.mean(np.abs(8.0 * x + 1.0) > saturation_bound("sigmoid")))
    assert [len(ax.get_children()) for ax in view.fig.axes] == n_artists


def test_saturation_counts_equal_plain_histograms_and_the_curve_equals_direct_shares():
    x = np.random.default_rng(2).normal(size=3000)
    view = SaturationView(x)
    view.update(weight=3.0, bias=-0.5)
    z = 3.0 * x - 0.5
    edges = SaturationView.Z_EDGES
    z_hist, _ = np.histogram(np.clip(z, edges[0], edges[-1]), edges)
    s_hist, _ = np.histogram(expit(z), SaturationView.S_EDGES)
    assert np.allclose(view.z_stairs.get_data().values, z_hist / x.size)
    assert np.allclose(view.s_stairs.get_data().values, s_hist / x.size)
    t = saturation_bound("sigmoid")
    direct = [np.mean(np.abs(w * x - 0.5) > t) for w in view.weights]
    assert np.allclose(view.share_curve.get_ydata(), direct)
    with pytest.raises(ValueError, match="weight"):
        view.update(weight=0.0, bias=0.0)


def test_one_sample_step_projects_onto_the_sample_and_moves_along_it():
    x = np.array([[2.0, 1.0]])
    path = one_sample_descent(x, np.array([3.0]), np.zeros(2), steps=1, rate=1.0)
    assert path[1] @ x[0] == pytest.approx(3.0)           # rate 1 solves that sample exactly
    assert path[1][0] * x[0, 1] - path[1][1] * x[0, 0] == pytest.approx(0.0)  # a multiple of x


def test_zigzag_positive_inputs_give_same_sign_steps_and_converge_slower():
    noise = np.random.default_rng(1).normal(0, 0.5, size=(20, 2))
    view = ZigZagView(noise, steps=60)
    shifted, centred = view.paths(3.0)
    steps = np.diff(shifted, axis=0)
    assert np.all(steps[:, 0] * steps[:, 1] >= 0)
    assert np.linalg.norm(centred[-1] - view.w_star) < 1e-3 < np.linalg.norm(shifted[-1] - view.w_star)
    same, zero_offset = view.paths(0.0)
    assert np.array_equal(same, zero_offset)


def test_zigzag_update_moves_paths_and_ellipses_without_new_artists():
    noise = np.random.default_rng(1).normal(0, 0.5, size=(20, 2))
    view = ZigZagView(noise)
    view.update(offset=0.0)
    before = view.path_shifted.get_xydata().copy()
    n_artists = [len(ax.get_children()) for ax in view.fig.axes]
    view.update(offset=2.0)
    assert not np.allclose(before, view.path_shifted.get_xydata())
    w = view.ellipses[0].get_xydata()
    inputs = noise + 2.0
    start_loss = np.mean(((view.start - view.w_star) @ inputs.T) ** 2) / 2
    losses = np.mean(((w - view.w_star) @ inputs.T) ** 2, axis=1) / 2
    assert np.allclose(losses, 0.5 * start_loss)
    assert [len(ax.get_children()) for ax in view.fig.axes] == n_artists


@pytest.mark.parametrize("weight, bias", [(4.0, 1.0), (1.0, 0.0), (8.0, 6.0), (0.25, -6.0)])
def test_saturation_share_axes_fit_the_tallest_bin(weight, bias):
    view = SaturationView.example()
    view.update(weight=weight, bias=bias)
    for ax, stairs in ((view.ax_z, view.z_stairs), (view.ax_s, view.s_stairs)):
        peak = stairs.get_data().values.max()
        top = ax.get_ylim()[1]
        assert peak <= top <= 3 * peak, (ax.get_xlabel(), peak, top)


def test_saturation_sets_share_limits_only_when_the_top_changes():
    view = SaturationView.example()
    view.update(weight=4.0, bias=1.0)
    changes = []
    view.ax_z.callbacks.connect("ylim_changed", lambda ax: changes.append(ax))
    view.update(weight=4.25, bias=1.0)
    assert changes == []
    view.update(weight=0.25, bias=1.0)
    assert changes == [view.ax_z]


@pytest.mark.parametrize("make", [SaturationView.example, ZigZagView.example])
def test_live_sigmoid_views_keep_their_legend_below_the_panels(make):
    view = make()
    view.fig.canvas.draw()
    assert all(ax.get_legend() is None for ax in view.fig.axes)
    (legend,) = view.fig.legends
    assert legend.get_window_extent().y1 <= min(ax.get_window_extent().y0 for ax in view.fig.axes)


def test_curves_figure_legends_sit_below_the_edge_to_edge_lines():
    fig = sigmoid_curves_figure()
    fig.canvas.draw()
    for ax in fig.axes:
        assert ax.get_legend().get_window_extent().y1 <= ax.get_window_extent().y0

import numpy as np
import pytest

from nbsupport.diagnostics import depth_profile, peak_slope
from nbsupport.views.depth import DepthView


def _backprop_by_hand(depth, scale, width=32, batch=64, seed=0):
    """The same network, written out: sigmoid hidden layers, linear output, MSE."""
    from nbsupport.mlp import MLP
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(batch, width)), rng.normal(size=(batch, 1))
    sizes = [width] * (depth + 1) + [1]
    net = MLP(sizes, activations="sigmoid", output="linear",
              init=[scale / np.sqrt(n) for n in sizes[:-1]], rng=seed, dtype=np.float64)
    Ws = [d.W for d in net.dense]
    acts, slopes = [x], []
    for W in Ws[:-1]:
        acts.append(1 / (1 + np.exp(-(acts[-1] @ W))))
        slopes.append(np.mean(acts[-1] * (1 - acts[-1])))
    out = acts[-1] @ Ws[-1]
    delta = 2 * (out - y) / out.size
    norms = []
    for i in range(len(Ws) - 1, -1, -1):
        norms.append(np.linalg.norm(acts[i].T @ delta))
        if i:
            delta = (delta @ Ws[i].T) * acts[i] * (1 - acts[i])
    return np.array(norms[::-1][:depth]), np.array(slopes)


def test_gradient_norms_match_a_hand_written_backward_pass():
    norms, slopes = depth_profile("sigmoid", 6, 1.5)
    hand_norms, hand_slopes = _backprop_by_hand(6, 1.5)
    assert np.allclose(norms, hand_norms, rtol=1e-10)
    assert np.allclose(slopes, hand_slopes, rtol=1e-10)
    # the cached network is rescaled, not reused stale: another scale, other numbers
    again, _ = depth_profile("sigmoid", 6, 1.5)
    assert np.array_equal(norms, again)
    assert not np.allclose(depth_profile("sigmoid", 6, 3.0).grad_norms, norms)


def test_sigmoid_gradients_vanish_faster_than_tanh_and_peaks_are_exact():
    assert peak_slope("sigmoid") == 0.25 and peak_slope("tanh") == 1.0
    sig, sig_slopes = depth_profile("sigmoid", 10, 1.0)
    tanh, tanh_slopes = depth_profile("tanh", 10, 1.0)
    assert sig[0] / sig[-1] < 1e-4 < tanh[0] / tanh[-1]
    assert sig_slopes.max() <= 0.25 < tanh_slopes.min() and tanh_slopes.max() <= 1.0


def test_depth_view_update_sets_lines_in_place():
    view = DepthView(("sigmoid", "tanh"))
    view.update(depth=4, weight_scale=1.0)
    n_artists = len(view.ax.get_children())
    view.update(depth=9, weight_scale=2.0)
    layers, rel = view.measured["sigmoid"].get_data()
    assert list(layers) == list(range(1, 10)) and rel[-1] == pytest.approx(1.0)
    _, ref = view.reference["sigmoid"].get_data()
    assert np.allclose(ref, 0.25 ** np.arange(8, -1, -1))
    assert np.allclose(view.slopes["tanh"].get_ydata(), depth_profile("tanh", 9, 2.0).mean_slopes)
    assert len(view.ax.get_children()) == n_artists


def _in_axes(line):
    """Where a line's points land, in axes fractions (0 to 1 is inside the panel)."""
    to_axes = line.get_transform() - line.axes.transAxes
    return to_axes.transform(np.column_stack(line.get_data()))


def test_depth_view_layer_axes_end_at_the_depth_and_the_log_axis_fits_the_lines():
    view = DepthView(("sigmoid", "tanh"))
    for depth, scale in [(4, 1.0), (20, 8.0), (10, 1.0)]:
        view.update(depth=depth, weight_scale=scale)
        for axis, line in zip(view.layer_axes, (view.measured["tanh"], view.slopes["tanh"])):
            # half a layer of room beyond the first and the last layer
            assert np.allclose(_in_axes(line)[[0, -1], 0], [0.5 / depth, 1 - 0.5 / depth])
            numbers = [int(t.get_text()) for t in axis.labels if t.get_text()]
            assert numbers[0] == 1 and depth - 5 < numbers[-1] <= depth
            assert len(numbers) >= min(depth, 4)
        heights = np.concatenate([_in_axes(line)[:, 1] for lines in (view.measured, view.reference)
                                  for line in lines.values()])
        # every point inside the panel, with at most two spare decades beyond the lines
        low, high = view.decades
        assert 0 < heights.min() and heights.max() < 1
        assert heights.min() <= 2 / (high - low) and heights.max() >= 1 - 2 / (high - low)


def test_depth_view_moves_its_axes_only_when_the_depth_or_the_decades_change():
    view = DepthView(("sigmoid",))
    view.update(depth=10, weight_scale=1.0)
    axis_artists = [a for axis in (*view.layer_axes, view.decade_axis) for a in axis.artists()]
    for artist in axis_artists:  # as a live figure does once its pixels are current
        artist.stale = False
    view.update(depth=10, weight_scale=1.0)
    assert not any(a.stale for a in axis_artists)
    view.update(depth=12, weight_scale=1.0)
    assert all(a.stale for a in view.layer_axes[0].artists())
    # the panels' own limits never change: a new depth does not redraw whole axes
    assert view.ax.get_xlim() == view.ax.get_ylim() == (0.0, 1.0)


def test_depth_view_legend_sits_below_the_panels():
    view = DepthView(("sigmoid", "tanh"))
    view.update(depth=10, weight_scale=1.0)
    view.fig.canvas.draw()
    assert view.ax.get_legend() is None and view.ax_slope.get_legend() is None
    (legend,) = view.fig.legends
    assert legend.get_window_extent().y1 <= view.ax.get_window_extent().y0


def test_decade_ticks_and_labels():
    from nbsupport.views._artist_axes import decade_label, decade_ticks
    assert decade_ticks(-3, 2) == [-3, -2, -1, 0, 1, 2]
    assert decade_ticks(-14, 2) == [-12, -9, -6, -3, 0]
    for low in range(-14, 8):
        for high in range(low + 1, 9):
            ticks = decade_ticks(low, high)
            assert 1 <= len(ticks) <= 6 and low <= ticks[0] and ticks[-1] <= high
    assert decade_label(-12) == "10\u207b\u00b9\u00b2" and decade_label(0) == "10\u2070"
    with pytest.raises(ValueError, match="high"):
        decade_ticks(3, 1)

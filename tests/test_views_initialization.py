import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nbsupport import diagnostics as dg
from nbsupport.activations import ACTIVATIONS
from nbsupport.gradcheck import numerical_grad
from nbsupport.init import init_std
from nbsupport.views import initialization as vi


@pytest.mark.parametrize("label, expected", [
    ("Xavier/Glorot", math.sqrt(2 / 200)), ("LeCun 1/sqrt(n)", math.sqrt(1 / 100)),
    ("He/Kaiming", math.sqrt(2 / 100)), ("std 0.01", 0.01), ("std 1", 1.0), ("free std", 0.3)])
def test_each_initialization_label_gives_weights_of_its_std(label, expected):
    scheme = vi.scheme_std(label, 0.3)
    (w,) = dg.probe_weights(scheme, depth=1)
    assert w.shape == (100, 100) and w.dtype == np.float32
    assert abs(w.std() / expected - 1) < 0.02
    assert (init_std(scheme, 100, 100) if isinstance(scheme, str) else scheme) == pytest.approx(expected)


def test_unknown_labels_are_refused():
    with pytest.raises(ValueError, match="init"):
        vi.scheme_std("Xavier", 0.1)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "leaky_relu"])
def test_backward_pass_matches_numerical_gradient(activation):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 3))
    weights = [rng.standard_normal((3, 3)) * 0.8 for _ in range(3)]
    g = rng.standard_normal((4, 3))
    f = ACTIVATIONS[activation].fn

    def loss(inputs):
        a = inputs
        for w in weights:
            a = f(a @ w)
        return float(np.sum(g * a))

    signal = dg.propagate(x, weights, activation, g)
    assert np.allclose(signal.a[-1], f(signal.z[-1]))
    assert np.allclose(signal.dz[0] @ weights[0].T, numerical_grad(loss, x), rtol=1e-6, atol=1e-8)


def test_binned_share_agrees_with_histogram_and_keeps_outliers_at_the_edges():
    values = np.random.default_rng(0).uniform(-0.5, 1.5, 10_000)
    share = vi.binned_share(values, 0.0, 1.0, 10)
    inside = values[(values >= 0) & (values < 1)]
    counts, _ = np.histogram(inside, bins=10, range=(0, 1))
    assert share.sum() == pytest.approx(1.0)
    assert np.allclose(share[1:-1], counts[1:-1] / values.size)
    assert share[0] == pytest.approx((counts[0] + np.sum(values < 0)) / values.size)


def test_shown_layers_spread_over_the_depth():
    assert vi.shown_layers(3, 5).tolist() == [1, 2, 3]
    assert vi.shown_layers(20, 5).tolist() == [1, 6, 10, 15, 20]


def test_known_results_of_the_experiment():
    x, g = dg.probe_inputs(0)
    big = dg.propagate(x, dg.probe_weights(1.0, 5), "sigmoid", g)
    small = dg.propagate(x, dg.probe_weights(0.01, 5), "sigmoid", g)
    assert all(row.saturated_pct > 40 for row in dg.signal_stats(big, "sigmoid"))
    assert abs(small.a[-1].mean() - 0.5) < 0.01 and small.a[-1].std() < 0.02  # all at 0.5
    # std 0.01: each layer shrinks the gradient by about sqrt(n) * 0.01 * 0.25 = 0.025
    assert small.dz[0].std() < 1e-5 * small.dz[-1].std()


def test_relu_variance_is_kept_by_he_and_halved_by_lecun():
    he = np.mean([dg.activation_std_ratio(math.sqrt(2 / 100), seed=s) for s in range(20)])
    lecun = np.mean([dg.activation_std_ratio(0.1, seed=s) for s in range(20)])
    assert abs(he - 1) < 0.1
    assert abs(lecun - 0.5 ** 2) < 0.05  # variance halves in each of 4 layers: std * 1/4


def test_update_changes_data_without_new_artists():
    view = vi.InitHistogramView()
    artists = [len(ax.get_children()) for ax in view.fig.axes]
    before = view.act_stairs[0].get_data().values.copy()
    view.update(activation="relu", init="He/Kaiming", depth=3)
    assert not np.allclose(before, view.act_stairs[0].get_data().values)
    assert [len(ax.get_children()) for ax in view.fig.axes] == artists
    # panels 4 and 5 (covers 3 and 4) are covered, panel 3 is shown
    assert [cover.get_visible() for cover in view.covers] == [False, False, True, True]
    assert len(view.std_act_line.get_ydata()) == 3
    view.update(activation="tanh", init="free std", std=0.2, depth=12)
    assert not any(cover.get_visible() for cover in view.covers)
    assert view.act_axes[4].get_title().startswith("layer 12: sat ")
    assert view.act_stairs[0].get_data().values.sum() == pytest.approx(1.0)


def test_titles_give_the_diagnostics_shares():
    view = vi.InitHistogramView()
    view.update(activation="sigmoid", init="std 1", depth=5)
    rows = dg.signal_stats(view.signal, "sigmoid")
    assert view.act_axes[0].get_title() == f"layer 1: sat {rows[0].saturated_pct:.0f}%"
    view.update(activation="relu", init="He/Kaiming", depth=5)
    zero = 100 * np.mean(view.signal.a[1] == 0)
    assert view.act_axes[1].get_title() == f"layer 2: zero {zero:.0f}%"


def test_switching_the_activation_relabels_the_ticks_but_keeps_the_axes():
    view = vi.InitHistogramView()
    view.update(activation="sigmoid")
    limits = [ax.get_xlim() for ax in view.act_axes]
    assert [t.get_text() for t in view.tick_labels] == ["0", "0.5", "1"]
    view.update(activation="tanh")
    assert [t.get_text() for t in view.tick_labels] == ["-1", "0", "1"]
    assert [ax.get_xlim() for ax in view.act_axes] == limits
    view.update(activation="relu")
    assert [t.get_text() for t in view.tick_labels] == ["0", "2", "4"]


def test_update_refuses_bad_settings():
    view = vi.InitHistogramView()
    with pytest.raises(ValueError, match="activation"):
        view.update(activation="swish")
    with pytest.raises(ValueError, match="depth"):
        view.update(depth=0)


def test_the_std_slider_is_inactive_unless_the_scheme_is_free_std():
    assert vi.InitHistogramView.inactive_controls(init="He/Kaiming", std=0.3, depth=5) == {"std"}
    assert vi.InitHistogramView.inactive_controls(init="free std", std=0.3, depth=5) == set()


@pytest.mark.parametrize("depth", [1, 5, 8, 20])
def test_std_panels_end_at_the_last_layer(depth):
    view = vi.InitHistogramView()
    view.update(activation="relu", init="He/Kaiming", depth=depth)
    ticks = vi.layer_ticks(depth)
    for line, axis in zip((view.std_act_line, view.std_grad_line), view.layer_axes):
        # layer l at (l - 1/2) / depth of the axes' width: half a layer of room at each end
        assert list(line.get_xdata()) == list(range(1, depth + 1))
        shown = axis.transform.transform(np.column_stack([line.get_xdata(), line.get_ydata()]))
        assert np.allclose(shown[:, 0], (np.arange(1, depth + 1) - 0.5) / depth)
        assert np.allclose(axis.marks.get_xdata(), (np.array(ticks) - 0.5) / depth)
    numbers = view.layer_axes[1].labels   # under the lower panel only: the two share the axis
    assert [t.get_text() for t in numbers if t.get_text()] == [str(t) for t in ticks]
    assert np.allclose([t.get_position()[0] for t in numbers[:len(ticks)]], (np.array(ticks) - 0.5) / depth)
    assert not view.layer_axes[0].labels
    assert ticks[-1] == depth or depth - ticks[-1] < 5
    plt.close(view.fig)


def test_covers_hide_whole_columns_and_nothing_else():
    view = vi.InitHistogramView()
    view.update(activation="relu", init="He/Kaiming", depth=2)
    renderer = view.fig.canvas.get_renderer()
    to_pixels = view.fig.transFigure
    for panel, cover in enumerate(view.covers, start=1):
        left, right = to_pixels.transform([(cover.get_x(), 0), (cover.get_x() + cover.get_width(), 0)])[:, 0]
        for ax in (view.act_axes[panel], view.grad_axes[panel]):
            box = ax.get_tightbbox(renderer)
            assert left <= box.x0 and box.x1 <= right          # the column, its labels included
        assert view.grad_axes[panel - 1].get_tightbbox(renderer).x1 < left   # the column before
        after = view.std_grad_ax if panel == 4 else view.grad_axes[panel + 1]
        assert after.get_tightbbox(renderer).x0 > right
    plt.close(view.fig)


def test_the_live_figure_blits_every_move_after_the_first_of_a_control():
    """No move of a control changes an axes (limits, ticks, visibility): after the first
    move of a control, whose changed artists leave the background, none needs a full draw
    of the figure."""
    from nbsupport.widgets import interactive_view
    view = vi.InitHistogramView()
    box = interactive_view(view)
    for name, values in [("depth", [4, 1, 2, 7, 12, 20, 3, 5]),
                         ("activation", ["sigmoid", "relu", "leaky_relu", "tanh", "relu"]),
                         ("init", ["std 1", "LeCun 1/sqrt(n)", "std 0.01", "He/Kaiming"]),
                         ("std", [0.3, 1.2, 0.01, 0.5])]:
        if name == "std":
            box.controls["init"].value = "free std"
        box.controls[name].value = values[0]
        before = box.live.full_draws
        for value in values[1:]:
            box.controls[name].value = value
        assert box.live.full_draws == before, name
    plt.close(view.fig)


def test_cached_and_grown_frames_draw_what_a_fresh_pass_gives():
    view = vi.InitHistogramView()
    view.update(activation="tanh", init="std 1", depth=3)
    view.update(activation="tanh", init="std 1", depth=17)      # grown from 3 layers
    view.update(activation="sigmoid", init="std 1", depth=17)
    view.update(activation="tanh", init="std 1", depth=17)      # from the cache
    x, g = dg.probe_inputs(0)
    fresh = dg.propagate(x, dg.probe_weights(1.0, 17), "tanh", g)
    for panel, layer in enumerate(vi.shown_layers(17, 5)):
        assert np.array_equal(view.act_stairs[panel].get_data().values,
                              vi.binned_share(fresh.a[layer - 1], -1.0, 1.0, 40))
        magnitude = np.abs(fresh.dz[layer - 1])
        grads = vi.binned_share(np.log10(magnitude[magnitude > 0]), -12.0, 4.0, 40) \
            * (np.count_nonzero(magnitude) / magnitude.size)
        assert np.array_equal(view.grad_stairs[panel].get_data().values, grads)
    stds = np.array([dg.mean_std(a)[1] for a in fresh.a])
    assert np.allclose(view.std_act_line.get_ydata(), stds, rtol=1e-12)
    for a, b in zip(view.signal.dz, fresh.dz):
        assert np.array_equal(a, b)
    plt.close(view.fig)


def test_the_module_exports_no_name_of_a_numeric_module():
    from nbsupport import activations, mlp
    clash = set(vi.__all__) & (set(activations.__all__) | set(mlp.__all__) | set(dg.__all__))
    assert not clash


def test_a_depth_change_in_an_event_loop_computes_the_other_depths_while_idle():
    import asyncio

    async def move_and_wait(view):
        view.update(activation="tanh", init="He/Kaiming", depth=7)
        for _ in range(400):
            await asyncio.sleep(0.01)
            if len(view._frames) >= vi.MAX_DEPTH + 1 and not view._prefetching:
                break

    view = vi.InitHistogramView()
    view.update(activation="tanh", init="He/Kaiming", depth=5)   # outside a loop: nothing more
    assert len(view._frames) == 2
    asyncio.run(move_and_wait(view))
    std = math.sqrt(2 / 100)
    assert {d for (act, s, d) in view._frames if act == "tanh" and s == std} == \
        set(range(1, vi.MAX_DEPTH + 1))
    fresh = vi.InitHistogramView()
    for depth in (1, 12, 20):   # what was computed ahead is what a move computes
        fresh.update(activation="tanh", init="He/Kaiming", depth=depth)
        ahead = view._frames[("tanh", std, depth)]
        behind = fresh._frames[("tanh", std, depth)]
        assert ahead.titles == behind.titles and np.array_equal(ahead.std_dz, behind.std_dz)
        assert all(np.array_equal(a, b) for a, b in zip(ahead.grad_shares, behind.grad_shares))
    plt.close(view.fig)
    plt.close(fresh.fig)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh"])
def test_the_largest_std_at_the_largest_depth_draws_without_warnings(activation):
    view = vi.InitHistogramView()   # relu: std(a) grows 10.6-fold a layer, past 1e19 at layer 20
    view.update(activation=activation, init="free std", std=1.5, depth=vi.MAX_DEPTH)
    for line in (view.std_act_line, view.std_grad_line):
        assert np.all(np.isfinite(line.get_ydata()))
    plt.close(view.fig)

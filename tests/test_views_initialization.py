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
    assert not view.act_axes[4].get_visible() and view.act_axes[2].get_visible()
    assert np.isnan(view.std_act_line.get_ydata()[3:]).all()
    view.update(activation="tanh", init="free std", std=0.2, depth=12)
    assert view.act_axes[4].get_visible() and view.act_axes[4].get_title().startswith("layer 12: sat ")
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


@pytest.mark.parametrize("depth", [1, 5, 20])
def test_std_panels_end_at_the_last_layer(depth):
    view = vi.InitHistogramView()
    view.update(activation="relu", init="He/Kaiming", depth=depth)
    for ax in (view.std_act_ax, view.std_grad_ax):
        assert ax.get_xlim() == (0.5, depth + 0.5)
        assert max(ax.get_xticks()) == depth
    plt.close(view.fig)


def test_the_module_exports_no_name_of_a_numeric_module():
    from nbsupport import activations, mlp
    clash = set(vi.__all__) & (set(activations.__all__) | set(mlp.__all__) | set(dg.__all__))
    assert not clash

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nbsupport.gradcheck import numerical_grad
from nbsupport.views import initialization as vi


@pytest.mark.parametrize("scheme, expected", [
    ("Xavier/Glorot", math.sqrt(2 / 800)), ("LeCun 1/sqrt(n)", math.sqrt(1 / 400)),
    ("He/Kaiming", math.sqrt(2 / 400)), ("std 0.01", 0.01), ("std 1", 1.0)])
def test_weights_have_the_std_of_their_scheme(scheme, expected):
    (w,) = vi.make_weights(scheme, depth=1, width=400)
    assert w.shape == (400, 400) and w.dtype == np.float32
    assert abs(w.std() / expected - 1) < 0.01
    assert vi.weight_std(scheme, 400, 400) == pytest.approx(expected)


def test_free_std_needs_a_std_and_unknown_schemes_are_refused():
    assert vi.weight_std("free std", 10, 10, std=0.3) == 0.3
    with pytest.raises(ValueError, match="std"):
        vi.weight_std("free std", 10, 10)
    with pytest.raises(ValueError, match="scheme"):
        vi.weight_std("Xavier", 10, 10)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "leaky_relu"])
def test_backward_pass_matches_numerical_gradient(activation):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 3))
    weights = [rng.standard_normal((3, 3)) * 0.8 for _ in range(3)]
    g = rng.standard_normal((4, 3))
    f = vi.ACTIVATIONS[activation][0]

    def loss(inputs):
        a = inputs
        for w in weights:
            a = f(a @ w)
        return float(np.sum(g * a))

    signal = vi.propagate(x, weights, activation, g)
    assert np.allclose(signal.a[-1], f(signal.z[-1]))
    assert np.allclose(signal.dz[0] @ weights[0].T, numerical_grad(loss, x), rtol=1e-6, atol=1e-8)


def test_layer_stats_count_zeros_dead_units_and_saturation():
    z = np.array([[-1.0, 2.0, -3.0], [-2.0, -1.0, 4.0]])
    s = vi.layer_stats(z, np.maximum(z, 0), "relu")
    assert s["zero"] == pytest.approx(4 / 6) and s["dead"] == pytest.approx(1 / 3)
    assert math.isnan(s["saturated"])
    z = np.array([[0.0, 10.0], [-10.0, 1.0]])  # sigmoid'(10) = 4.5e-5 < 5% of 0.25
    s = vi.layer_stats(z, 1 / (1 + np.exp(-z)), "sigmoid")
    assert s["saturated"] == 0.5 and s["mean"] == pytest.approx(np.mean(1 / (1 + np.exp(-z))))


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
    x, g = vi.standard_inputs(0)
    big = vi.propagate(x, vi.make_weights("std 1", 5), "sigmoid", g)
    small = vi.propagate(x, vi.make_weights("std 0.01", 5), "sigmoid", g)
    for z, a in zip(big.z, big.a):  # std 1: most units sit near 0 or 1
        assert vi.layer_stats(z, a, "sigmoid")["saturated"] > 0.4
    assert abs(small.a[-1].mean() - 0.5) < 0.01 and small.a[-1].std() < 0.02  # all at 0.5
    # std 0.01: each layer shrinks the gradient by about sqrt(n) * 0.01 * 0.25 = 0.025
    assert small.dz[0].std() < 1e-5 * small.dz[-1].std()


def test_relu_variance_is_kept_by_he_and_halved_by_lecun():
    he = np.mean([vi.activation_std_ratio(math.sqrt(2 / 100), seed=s) for s in range(20)])
    lecun = np.mean([vi.activation_std_ratio(0.1, seed=s) for s in range(20)])
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
    assert view.act_axes[4].get_visible() and view.act_axes[4].get_title() == "layer 12"
    assert view.act_stairs[0].get_data().values.sum() == pytest.approx(1.0)


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

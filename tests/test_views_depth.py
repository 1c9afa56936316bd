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

import math
import subprocess
import sys

import numpy as np
import pytest

from nbsupport import diagnostics as dg
from nbsupport import init
from nbsupport.activations import ACTIVATIONS, sigmoid_grad, tanh_grad
from nbsupport.diagnostics import layer_stats
from nbsupport.mlp import MLP


def random_batch(n=1000, d=100, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d))


# ------------------------------------------------------------------ dead units

def test_dead_units_are_columns_without_a_positive_entry():
    z = np.array([[1.0, -1.0, 0.0, -0.0], [-2.0, -3.0, 0.0, 5.0]])
    assert dg.dead_units(z).tolist() == [False, True, True, False]
    assert dg.dead_share(z) == pytest.approx(0.5)
    np.testing.assert_allclose(dg.active_fraction(z), [0.5, 0.0, 0.0, 0.5])


def test_dead_share_agrees_with_brute_force_on_random_batches():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(6, 200)) - 1.5
    brute = np.mean([all(z[i, j] <= 0 for i in range(6)) for j in range(200)])
    assert dg.dead_share(z) == pytest.approx(brute)
    assert 0 < brute < 1


@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((0, 3)), np.zeros((2, 2, 2))])
def test_dead_units_need_a_batch_of_units(bad):
    with pytest.raises(ValueError, match="z"):
        dg.dead_units(bad)


# ------------------------------------------------------------------ saturation

@pytest.mark.parametrize("name, grad", [("sigmoid", sigmoid_grad), ("tanh", tanh_grad)])
@pytest.mark.parametrize("share", [0.01, 0.05, 0.3])
def test_saturated_mask_is_slope_below_share_of_peak(name, grad, share):
    z = np.random.default_rng(0).normal(scale=4.0, size=5000)
    expected = grad(z) < share * dg.peak_slope(name)
    np.testing.assert_array_equal(dg.saturated_mask(z, name, share), expected)
    assert dg.saturated_share(z, name, share) == pytest.approx(expected.mean())
    bound = dg.saturation_bound(name, share)
    assert grad(np.array(bound)) == pytest.approx(share * dg.peak_slope(name), rel=1e-12)


def test_peak_slopes_are_the_largest_slopes():
    grid = np.linspace(-20, 20, 400_001)
    for name, peak in [("sigmoid", 0.25), ("tanh", 1.0)]:
        assert dg.peak_slope(name) == peak == ACTIVATIONS[name].grad(grid).max()


def test_saturation_is_undefined_for_activations_that_never_saturate():
    z = np.array([-5.0, 0.0, 5.0])
    for name in ["relu", "leaky_relu", "identity", "elu"]:
        assert math.isnan(dg.saturated_share(z, name))
        with pytest.raises(ValueError, match="activation"):
            dg.saturated_mask(z, name)


@pytest.mark.parametrize("share", [0.0, 1.0, -0.1, 2.0])
def test_saturation_share_must_lie_strictly_between_0_and_1(share):
    with pytest.raises(ValueError, match="share"):
        dg.saturated_mask([1.0], "tanh", share)
    with pytest.raises(ValueError, match="share"):
        dg.saturated_share([1.0], "relu", share)


@pytest.mark.parametrize("level", [0.2, 1e-2, 1e-4, 1e-8, 1e-15])
def test_crossing_solves_the_slope_equation_like_a_root_finder(level):
    from scipy.optimize import brentq
    from scipy.special import expit
    root = brentq(lambda x: np.log(expit(x) * expit(-x)) - np.log(level), 0.0, 50.0, xtol=1e-14)
    assert dg.sigmoid_grad_crossing(level) == pytest.approx(root, rel=1e-10)


def test_sigmoid_grad_crossing_solves_the_level_far_into_the_tail():
    for level in [0.25, 0.2, 1e-2, 1e-8, 1e-300]:
        x = dg.sigmoid_grad_crossing(level)
        assert sigmoid_grad(np.array(x)) == pytest.approx(level, rel=1e-9)
    with pytest.raises(ValueError, match="level"):
        dg.sigmoid_grad_crossing(0.3)


# ------------------------------------------------------------------ probes

def test_propagate_matches_a_manual_forward_and_backward_pass():
    rng = np.random.default_rng(3)
    x, g = rng.normal(size=(7, 4)), rng.normal(size=(7, 4))
    weights = [rng.normal(size=(4, 4)) for _ in range(3)]
    s = dg.propagate(x, weights, "tanh", g)
    a, zs = x, []
    for w in weights:
        zs.append(a @ w)
        a = np.tanh(zs[-1])
    np.testing.assert_allclose(s.a[-1], a, rtol=1e-12)
    dz = g * (1 - np.tanh(zs[2]) ** 2)
    np.testing.assert_allclose(s.dz[2], dz, rtol=1e-12)
    dz1 = (dz @ weights[2].T) * (1 - np.tanh(zs[1]) ** 2)
    np.testing.assert_allclose(s.dz[1], dz1, rtol=1e-12)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_propagate_is_its_two_halves_and_a_deeper_forward_pass_continues_a_shallower_one(activation):
    x, g = dg.probe_inputs(samples=30, width=8)
    weights = dg.probe_weights(0.5, 6, width=8)
    whole = dg.propagate(x, weights, activation, g)
    low_z, low_a = dg.propagate_forward(x, weights[:2], activation)
    high_z, high_a = dg.propagate_forward(low_a[-1], weights[2:], activation)
    for mine, theirs in zip([*low_z, *high_z, *low_a, *high_a], [*whole.z, *whole.a]):
        np.testing.assert_array_equal(mine, theirs)
    for mine, theirs in zip(dg.propagate_backward(whole.z, weights, activation, g), whole.dz):
        np.testing.assert_array_equal(mine, theirs)
    # a shallower stack: the same forward layers, a backward pass from its own top
    shallow = dg.propagate(x, weights[:3], activation, g)
    np.testing.assert_array_equal(shallow.dz[2], g * ACTIVATIONS[activation].grad(whole.z[2]))


def test_propagate_halves_refuse_bad_input():
    with pytest.raises(ValueError, match="activation"):
        dg.propagate_forward(np.ones((2, 2)), [np.eye(2)], "swish")
    with pytest.raises(ValueError, match="same length"):
        dg.propagate_backward([np.ones((2, 2))], [np.eye(2)] * 2, "tanh", np.ones((2, 2)))
    with pytest.raises(ValueError, match="same length"):
        dg.backward_with_slopes([np.ones((2, 2))] * 3, [np.eye(2)] * 2, np.ones((2, 2)))


def test_probe_weights_differ_only_in_scale_between_schemes():
    he = dg.probe_weights("he_normal", 2)
    lecun = dg.probe_weights("lecun_normal", 2)
    np.testing.assert_allclose(he[1], lecun[1] * math.sqrt(2), rtol=1e-5)
    for name in ["xavier_normal", "he_normal", "lecun_normal"]:   # the draws of nbsupport.init
        np.testing.assert_array_equal(dg.probe_weights(name, 3, seed=4)[2],
                                      getattr(init, name)(100, 100, rng=6, dtype=np.float32))
    np.testing.assert_array_equal(dg.probe_weights(0.3, 1, seed=2)[0],
                                  init.normal(100, 100, 0.3, rng=2, dtype=np.float32))
    plain = dg.probe_weights(0.1, 1)
    assert plain[0].dtype == np.float32 and plain[0].std() == pytest.approx(0.1, rel=0.05)
    with pytest.raises(ValueError, match="init"):
        dg.probe_weights("he_uniform", 1)


def test_he_keeps_the_relu_signal_and_lecun_halves_its_second_moment():
    he = dg.activation_std_ratio(math.sqrt(2 / 100), "relu", depth=5)
    lecun = dg.activation_std_ratio(math.sqrt(1 / 100), "relu", depth=5)
    assert 0.7 < he < 1.5                              # no trend: He keeps the scale
    assert lecun / he == pytest.approx(0.5 ** 2, rel=0.1)  # x sqrt(1/2) a layer, four layers


def test_signal_stats_count_saturation_dead_units_and_zeros():
    x, g = dg.probe_inputs(samples=200, width=10)
    big = dg.signal_stats(dg.propagate(x, dg.probe_weights(1.0, 3, width=10), "sigmoid", g), "sigmoid")
    assert big[0].saturated_pct == pytest.approx(100 * dg.saturated_share(x @ dg.probe_weights(1.0, 1, width=10)[0], "sigmoid"))
    assert math.isnan(big[0].dead_pct) and math.isnan(big[0].zero_pct)
    signal = dg.propagate(x, [np.full((10, 10), -1.0, np.float32)], "relu", g)
    row = dg.signal_stats(signal, "relu")[0]
    assert math.isnan(row.saturated_pct)
    assert row.zero_pct == pytest.approx(100 * np.mean(signal.a[0] == 0))
    assert row.dead_pct == pytest.approx(100 * dg.dead_share(signal.z[0]))
    table = dg.format_layer_stats(big)
    assert table.count("\n") == 3 and "    -" in table


def test_importing_diagnostics_imports_no_matplotlib():
    code = "import sys, nbsupport.diagnostics; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------------ layer statistics of an MLP

def test_sigmoid_with_std_1_saturates_and_std_001_sits_at_one_half():
    X = random_batch()
    big = MLP([100] * 6 + [10], activations="sigmoid", init=1.0, rng=0)
    big.forward(X, record=True)
    small = MLP([100] * 6 + [10], activations="sigmoid", init=0.01, rng=0)
    small.forward(X, record=True)
    big_rows, small_rows = layer_stats(big), layer_stats(small)
    assert all(row.saturated_pct > 45 and row.std > 0.4 for row in big_rows[:5])
    assert all(row.saturated_pct == 0 and abs(row.mean - 0.5) < 0.01 and row.std < 0.03
               for row in small_rows[1:5])
    assert math.isnan(big_rows[0].dead_pct) and math.isnan(big_rows[-1].saturated_pct)


def test_layer_stats_saturation_is_five_percent_of_the_peak_slope():
    net = MLP([1, 1, 2], activations="tanh", init=1.0, rng=0, dtype=np.float64)
    net.dense[0].W[...] = 1.0
    X = np.array([[0.0], [2.1], [2.3], [-3.0]])           # tanh': 1, 0.059, 0.040, 0.010
    net.forward(X, record=True)
    assert layer_stats(net)[0].saturated_pct == pytest.approx(50.0)
    net = MLP([1, 1, 2], activations="sigmoid", init=1.0, rng=0, dtype=np.float64)
    net.dense[0].W[...] = 1.0
    X = np.array([[0.0], [4.2], [4.5], [-4.6]])           # s' / (1/4): 1, 0.059, 0.044, 0.040
    net.forward(X, record=True)
    assert layer_stats(net)[0].saturated_pct == pytest.approx(50.0)


def test_dead_relu_units_and_zero_share():
    net = MLP([4, 3, 2], activations="relu", rng=0, dtype=np.float64)
    net.dense[0].W[...] = np.abs(net.dense[0].W)
    net.dense[0].b[...] = [-100.0, 0.0, 0.0]               # unit 0 never fires
    X = np.abs(random_batch(20, 4))
    X[0] = 0.0                                             # a sample where units 1, 2 output 0
    net.forward(X, record=True)
    row = layer_stats(net)[0]
    assert row.dead_pct == pytest.approx(100 / 3)
    assert row.zero_pct == pytest.approx(100 * (20 + 2) / 60)


def test_recorded_gradients_and_ratios_match_a_manual_computation():
    net = MLP([5, 6, 6, 3], activations="tanh", init="xavier_normal", rng=1, dtype=np.float64)
    X, y = random_batch(8, 5), np.arange(8) % 3
    net.forward(X, record=True)
    net.backward(y, record=True)
    rows = layer_stats(net, lr=0.5)
    # dL/dz of layer 2 = dL/da2 * tanh'(z2), with dL/da2 = dL/dz3 W3^T
    rec1, rec2, rec3 = net.records
    np.testing.assert_allclose(rec2.grad_act, rec3.grad_pre @ net.dense[2].W.T, rtol=1e-13)
    np.testing.assert_allclose(rec2.grad_pre, rec2.grad_act * (1 - np.tanh(rec2.pre) ** 2), rtol=1e-12)
    np.testing.assert_allclose(rec1.dW, X.T @ rec1.grad_pre, rtol=1e-12)
    assert rows[1].grad_data == pytest.approx(rec2.dW.std() / rec2.W.std())
    assert rows[1].update_data == pytest.approx(0.5 * rows[1].grad_data)
    assert rows[0].grad_norm == pytest.approx(np.linalg.norm(rec1.grad_pre))
    assert rows[2].weight_grad_norm == pytest.approx(np.linalg.norm(net.dense[2].dW))
    assert rows[0].units == 6 and rows[2].units == 3 and rows[0].name == "tanh"


def test_gradients_vanish_through_deep_sigmoid_layers():
    net = MLP([50] * 11 + [10], activations="sigmoid", init="xavier_normal", rng=0)
    X = random_batch(200, 50)
    net.forward(X, record=True)
    net.backward(np.arange(200) % 10, record=True)
    norms = [row.grad_norm for row in layer_stats(net)]
    assert norms[0] < 0.1 * norms[-2]


def test_layer_stats_needs_a_recorded_batch():
    net = MLP([3, 4, 2], rng=0)
    with pytest.raises(RuntimeError, match="record=True"):
        layer_stats(net)
    net.forward(random_batch(7, 3), record=True)
    assert math.isnan(layer_stats(net)[0].grad_std)
    with pytest.raises(ValueError, match="lr"):
        layer_stats(net, lr=-1.0)


@pytest.mark.parametrize("scale", [1.0, 1e19, 1e25, 1e36])
def test_std_and_norm_of_large_float32_values_do_not_overflow(scale):
    values = (np.random.default_rng(0).standard_normal(10_000) * scale).astype(np.float32)
    exact = values.astype(np.float64)
    mean, std = dg.mean_std(values)              # pytest turns an overflow warning into an error
    assert std == pytest.approx(exact.std(), rel=1e-4)
    assert mean == pytest.approx(exact.mean(), rel=1e-3, abs=1e-4 * scale)
    assert dg.root_sum_squares(values) == pytest.approx(np.sqrt(np.sum(exact ** 2)), rel=1e-4)


def test_root_sum_squares_passes_inf_and_nan_on():
    assert dg.root_sum_squares(np.array([np.inf, 1.0])) == math.inf
    assert math.isnan(dg.root_sum_squares(np.array([np.nan, 1.0])))
    assert dg.root_sum_squares(np.zeros((2, 3))) == 0.0


def test_deep_relu_probe_with_a_large_std_gives_finite_stats_without_warnings():
    x, g = dg.probe_inputs(0)
    rows = dg.signal_stats(dg.propagate(x, dg.probe_weights(1.5, 20), "relu", g), "relu")
    assert rows[-1].std > 1e19 and all(math.isfinite(r.std) and math.isfinite(r.grad_norm) for r in rows)


def test_std_ratio_of_relu_layers_whose_squares_overflow_float32():
    # ReLU layers without bias are positively homogeneous: scaling every weight by s scales
    # layer l by s^l, so the ratio of layer 5 to layer 1 grows by s^4 (1e12 at s = 1e3)
    ratio = dg.activation_std_ratio(1e3, "relu", 5)
    assert ratio == pytest.approx(dg.activation_std_ratio(1.0, "relu", 5) * 1e12, rel=1e-5)

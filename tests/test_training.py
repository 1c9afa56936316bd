"""nbsupport.training: the initial-loss check, the update-to-data ratio, the monitored run."""
import math

import numpy as np
import pytest

from nbsupport import training as tr
from nbsupport.mlp import MLP
from nbsupport.optim import SGD


def blobs(n=240, d=8, k=4, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(k, d)) * 3
    y = rng.integers(0, k, n)
    return (centers[y] + rng.normal(size=(n, d))).astype(np.float32), y


def test_expected_initial_loss_is_the_uniform_guess():
    assert tr.expected_initial_loss(10) == pytest.approx(-math.log(0.1))
    with pytest.raises(ValueError, match="n_classes"):
        tr.expected_initial_loss(0)


def test_initial_loss_is_ln_k_for_a_small_start_and_far_above_for_a_large_one():
    X, y = blobs()
    small = tr.initial_loss_check(MLP([8, 32, 4], activations="tanh", init=0.001, rng=0), X, y)
    large = tr.initial_loss_check(MLP([8, 32, 4], activations="tanh", init=3.0, rng=0), X, y)
    assert small.ratio == pytest.approx(1.0, abs=1e-3) and "close" in small.verdict()
    assert large.ratio > 3 and "confidently wrong" in large.verdict()
    with pytest.raises(ValueError, match="softmax"):
        tr.initial_loss_check(MLP([8, 4], output="linear", rng=0), X, np.zeros((len(X), 4)))


def test_update_ratio_is_the_relative_step():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(30, 20))
    step = rng.normal(size=(30, 20)) * 0.002
    assert tr.update_ratio(w, w + step) == pytest.approx(step.std() / w.std())
    assert tr.update_ratio(np.zeros((2, 2)), np.ones((2, 2))) == math.inf
    with pytest.raises(ValueError, match="shape"):
        tr.update_ratio(w, w[:5])


def test_scheme_init_gives_the_formulas():
    sizes = [100, 50, 10]
    assert tr.scheme_init("Xavier", sizes) == "xavier_normal"
    assert tr.scheme_init("std 1", sizes) == 1.0
    assert tr.scheme_init("sqrt(n/2) (misquoted He)", sizes) == pytest.approx([math.sqrt(50), 5.0])
    assert tr.scheme_init("LeCun", sizes, gain=5 / 3) == pytest.approx([5 / 3 / 10, 5 / 3 / math.sqrt(50)])
    with pytest.raises(ValueError, match="scheme"):
        tr.scheme_init("Glorot", sizes)


def test_monitored_run_records_every_layer_and_its_plain_sgd_ratio():
    X, y = blobs()
    net = MLP([8, 16, 16, 4], activations="tanh", init="xavier_normal", rng=0, dtype=np.float64)
    twin = MLP([8, 16, 16, 4], activations="tanh", init="xavier_normal", rng=0, dtype=np.float64)
    run = tr.monitored_train(net, X, y, epochs=2, batch_size=40, lr=0.1, rng=0, record_every=4,
                             X_val=X, y_val=y)
    assert run.steps.tolist() == [0, 4, 8] and run.act_std.shape == (3, 2)
    assert run.hist.shape == (3, 2, len(tr.HIST_EDGES["tanh"]) - 1)
    assert np.allclose(run.hist.sum(axis=2), 1)
    assert np.all(np.isnan(run.dead)) and np.all((run.saturated >= 0) & (run.saturated <= 1))
    # step 0 by hand: the first batch of the same seeded shuffle, plain SGD
    idx = np.random.default_rng(0).permutation(len(X))[:40]
    twin.forward(X[idx]); twin.backward(y[idx])
    expected = [0.1 * d.dW.std() / d.W.std() for d in twin.dense[:-1]]
    assert run.update_ratio[0] == pytest.approx(expected, rel=1e-6)
    assert run.epoch_val_acc[-1] > 0.5 and run.diverged_step is None
    assert run.initial_loss == pytest.approx(tr.initial_loss_check(twin.__class__(
        [8, 16, 16, 4], activations="tanh", init="xavier_normal", rng=0, dtype=np.float64), X, y).loss)


def test_relu_dead_share_counts_units_off_for_every_probe_sample():
    X, y = blobs()
    net = MLP([8, 16, 4], activations="relu", init="he_normal", rng=0)
    net.dense[0].b[:4] = -100.0                       # four units can never fire
    run = tr.monitored_train(net, X, y, epochs=1, batch_size=60, lr=0.01, record_every=100)
    assert run.dead[0, 0] == pytest.approx(4 / 16) and np.all(np.isnan(run.saturated))


def test_an_exploding_run_stops_with_nan_epochs_and_no_warning():
    X, y = blobs()
    net = MLP([8, 64, 64, 64, 4], activations="relu", init=30.0, rng=0)
    run = tr.monitored_train(net, X, y, epochs=3, batch_size=40, lr=1.0, X_val=X, y_val=y)
    assert run.diverged_step is not None
    assert math.isnan(run.epoch_val_acc[-1]) and len(run.epoch_train_loss) == 3


def test_mixed_activations_are_refused():
    X, y = blobs()
    with pytest.raises(ValueError, match="one activation"):
        tr.monitored_train(MLP([8, 4, 4, 4], activations=["relu", "tanh"], rng=0), X, y,
                           epochs=1, batch_size=10, lr=0.1)


def test_equal_weights_stay_equal_and_a_random_start_differs():
    X, y = blobs()
    net = MLP([8, 12, 12, 4], activations="tanh", rng=0)
    assert tr.distinct_units(net) == [12, 12] and min(tr.unit_gap(net)) > 0.1
    tr.set_constant_weights(net, 0.1)
    tr.monitored_train(net, X, y, epochs=3, batch_size=20, lr=0.2)
    assert tr.distinct_units(net) == [1, 1]
    assert max(tr.unit_gap(net)) < 1e-5                 # at most rounding apart
    assert not np.allclose(net.dense[0].W, 0.1)      # it learned, all units alike


def test_activation_histogram_keeps_values_outside_the_edges():
    shares = tr.activation_histogram(np.array([-9.0, 0.1, 0.9, 9.0]), np.linspace(0, 1, 5))
    assert shares.tolist() == [0.5, 0.0, 0.0, 0.5]


def test_run_label_and_stored_layer_arrays():
    assert tr.run_label("tanh", "LeCun", 5 / 3) == "tanh, LeCun x 5/3"
    assert tr.run_label("relu", "He") == "relu, He"
    X, y = blobs()
    run = tr.monitored_train(MLP([8, 6, 4], activations="relu", rng=0), X, y, epochs=1, batch_size=60, lr=0.1)
    arrays = tr.layer_arrays(tr.monitor_to_dict(run))
    assert arrays["act_std"].shape == run.act_std.shape and np.isnan(arrays["saturated"]).all()

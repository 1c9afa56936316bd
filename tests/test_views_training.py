import numpy as np
import pytest

from nbsupport.experiments import mean_curves
from nbsupport.views import training as vt


def _curves(offset):
    return {"train_loss": [1.0 - offset, 0.5], "val_loss": [1.2, 0.7 + offset],
            "val_acc": [0.6, 0.8 + offset]}


def test_mean_curves_average_epoch_by_epoch():
    mean = mean_curves([_curves(0.0), _curves(0.1)])
    assert np.allclose(mean["val_acc"], [0.6, 0.85]) and np.allclose(mean["train_loss"], [0.95, 0.5])


def test_curves_view_sets_data_without_new_artists():
    view = vt.CurvesView(["a", "b"], epochs=2)
    children = [len(ax.get_children()) for ax in view.fig.axes]
    view.update(curves={"a": _curves(0.1)})
    train_line, test_line, acc_line = view.lines["a"]
    assert np.allclose(acc_line.get_ydata(), [0.6, 0.9])
    assert np.array_equal(test_line.get_xdata(), [1, 2])
    assert len(view.lines["b"][2].get_ydata()) == 0  # untouched
    assert [len(ax.get_children()) for ax in view.fig.axes] == children


def test_seed_bands_cover_the_runs():
    view = vt.CurvesView(["a"], epochs=2)
    vt.seed_bands(view, {"a": [_curves(0.0), _curves(0.1)]})
    band = view.ax_acc.collections[-1]
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(0.6) and ys.max() == pytest.approx(0.9)


def test_live_training_learns_and_keeps_the_previous_run():
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(10, 20)).astype(np.float32) * 3
    y = np.repeat(np.arange(10), 30)
    X = centers[y] + rng.normal(size=(300, 20)).astype(np.float32)
    live = vt.LiveTrainingView(X[::2], y[::2], X[1::2], y[1::2], hidden=(16, 16), epochs=5)
    live.update(h1="relu", h2="relu", init="he_normal")
    first = live.view.lines["this run"][2].get_ydata().copy()
    assert len(first) == 5 and first[-1] > 0.5  # far above chance (0.1) on separable blobs
    live.update(h1="none", h2="none", init="xavier_normal")
    assert np.allclose(live.view.lines["previous run"][2].get_ydata(), first)
    assert "relu/relu" in live.view.ax_acc.get_title()


def test_live_training_uses_the_learning_rate_it_is_given():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 12)).astype(np.float32)
    y = rng.integers(0, 10, 200)
    live = vt.LiveTrainingView(X[::2], y[::2], X[1::2], y[1::2], hidden=(8, 8), epochs=3, lr=0.1)
    live.update(lr=0.001)
    slow = live.last["train_loss"]
    live.update()                                    # the constructor's lr, 0.1
    assert live.last["train_loss"] != slow
    assert "lr 0.1" in live.view.ax_acc.get_title() and "lr 0.001" in live.view.ax_acc.get_title()
    # a tiny rate barely moves the loss; a hundred times larger one moves it more
    assert abs(slow[-1] - slow[0]) < abs(live.last["train_loss"][-1] - live.last["train_loss"][0])

import json

import numpy as np
import pytest

from nbsupport import training as tr
from nbsupport.mlp import MLP
from nbsupport.views.training_diagnostics import TrainingDiagnosticsView


@pytest.fixture(scope="module")
def runs():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(200, 6)).astype(np.float32), rng.integers(0, 3, 200)
    out = {}
    for act in ("tanh", "relu"):
        net = MLP([6, 8, 8, 3], activations=act, rng=0)
        stored = json.loads(json.dumps(tr.monitor_to_dict(
            tr.monitored_train(net, X, y, epochs=2, batch_size=20, lr=0.1, record_every=4))))
        out[act] = {**tr.layer_arrays(stored), "activation": act}
    return out


def test_step_moves_cursor_and_histograms_without_new_artists(runs):
    view = TrainingDiagnosticsView(runs)
    children = [len(ax.get_children()) for ax in view.fig.axes]
    view.update(run="tanh", step=9)
    assert view.cursors[0].get_xdata()[0] == 8            # the last record at or before step 9
    heights = view.stairs[1].get_data().values
    assert np.allclose(heights, runs["tanh"]["hist"][2, 1])
    assert "sat" in view.readouts[0].get_text()
    assert [len(ax.get_children()) for ax in view.fig.axes] == children


def test_run_switch_relabels_and_redraws_the_curves(runs):
    view = TrainingDiagnosticsView(runs)
    view.update(run="relu", step=0)
    assert view.curve_axes["share"].get_ylabel() == "share dead"
    assert "dead" in view.readouts[0].get_text()
    line = view.curves["grad_std"][1]
    assert np.allclose(line.get_ydata(), runs["relu"]["grad_std"][:, 1])
    with pytest.raises(ValueError, match="run"):
        view.update(run="elu")


def test_controls_offer_the_runs_and_the_recorded_steps(runs):
    view = TrainingDiagnosticsView(runs, run="relu")
    run, step = view.controls
    assert (run.options, run.value) == (["tanh", "relu"], "relu")
    assert view.label == "relu"
    assert (step.min, step.max, step.step) == (0, int(runs["tanh"]["steps"][-1]), 4)
    with pytest.raises(ValueError, match="run"):
        TrainingDiagnosticsView(runs, run="elu")


def test_a_run_with_one_record_leaves_the_step_control_to_the_others(runs):
    short = {**runs["relu"], **{key: runs["relu"][key][:1] for key in
                                ("steps", "hist", "act_std", "grad_std", "update_ratio", "saturated", "dead")}}
    view = TrainingDiagnosticsView({"tanh": runs["tanh"], "overflowed": short})
    step = view.controls[1]
    assert (step.max, step.step) == (int(runs["tanh"]["steps"][-1]), 4)
    view.update(run="overflowed", step=step.max)
    assert view.cursors[0].get_xdata()[0] == 0

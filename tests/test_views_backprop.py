import numpy as np
import pytest

from nbsupport.backprop import EXAMPLE, Graph, Local, tiny_network
from nbsupport.views.backprop import BackwardStepView, graph_layout, step_text


@pytest.fixture(scope="module")
def view():
    return BackwardStepView(tiny_network(**EXAMPLE))


def test_layout_puts_inputs_left_and_the_loss_right():
    pos = graph_layout(tiny_network(**EXAMPLE))
    assert set(pos) == {"x1", "x2", "z1", "z2", "h1", "h2", "u", "p", "L"}
    columns = [pos[n][0] for n in ["x1", "z1", "h1", "u", "p", "L"]]
    assert columns == sorted(columns) and len(set(columns)) == 6      # one column per depth
    assert pos["z1"][0] == pos["z2"][0] and pos["z1"][1] > pos["z2"][1]


def test_step_text_spells_out_the_product_and_sums_over_users():
    graph = tiny_network(**EXAMPLE)
    steps = {s.node: s for s in graph.backward()}
    local, product = step_text(graph, steps["z1"])
    assert "s'(z₁)" in local and f"{steps['z1'].grad:.4f}" in product
    _, product = step_text(graph, steps["x1"])
    assert product.count("×") == 2 and " + " in product


def test_update_changes_artists_in_place_and_follows_the_steps(view):
    n_children = len(view.ax.get_children())
    view.update(step=0)
    assert np.allclose(view.ring.get_offsets()[0], view.pos["L"])
    assert view.cover.get_facecolor()[1:, 3].min() == 1.0           # later gradients covered
    z1 = [s.node for s in view.steps].index("z1")
    view.update(step=z1)
    assert np.allclose(view.ring.get_offsets()[0], view.pos["z1"])
    assert np.allclose(view.users_ring.get_offsets(), [view.pos["h1"]])
    alphas = view.cover.get_facecolor()[:, 3]
    assert (alphas[: z1 + 1] == 0).all() and (alphas[z1 + 1:] == 1).all()
    assert "z₁" in view.readout_text
    assert np.array_equal(view.readout.get_array(), view.readouts[z1])   # the bitmap of this step
    w11 = [s.node for s in view.steps].index("w11")
    view.update(step=w11)                                           # a weight: its edge lights up
    assert np.isnan(view.ring.get_offsets()).all()
    assert np.allclose(np.column_stack(view.edge_ring.get_data()), [view.pos["x1"], view.pos["z1"]])
    assert len(view.ax.get_children()) == n_children


def test_gradient_labels_are_the_backward_results(view):
    grads = {s.node: s.grad for s in view.steps}
    assert {name: text.get_text() for name, text in view.grad_text.items()} == \
        {name: f"{g:.4f}" for name, g in grads.items()}


def test_step_out_of_range_is_rejected(view):
    with pytest.raises(ValueError, match="step"):
        view.update(step=len(view.steps))


def test_view_draws_any_small_graph():
    g = Graph()
    g.add("a", 3.0, "input")
    g.add("L", 9.0, "loss", {"a": Local(6.0, "2a")})
    small = BackwardStepView(g)
    small.update(step=1)
    assert "6.0000" in small.readout_text


def test_step_control_runs_over_this_graphs_backward_pass(view):
    (control,) = view.controls
    assert (control.name, control.min, control.max) == ("step", 0, len(view.steps) - 1)
    g = Graph()
    g.add("a", 3.0, "input")
    g.add("L", 9.0, "loss", {"a": Local(6.0, "2a")})
    assert BackwardStepView(g).controls[0].max == 1

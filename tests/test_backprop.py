import numpy as np
import pytest

import nbsupport as nbs
from nbsupport.backprop import (EXAMPLE, Graph, Local, activation_chain, batch_gradients,
                                multiply_adds, parameter_gradients, tiny_network)
from nbsupport.mlp import MLP

NAMES = ("W1", "b1", "W2", "b2")


def random_network(seed, n_in=2, n_hidden=2, scale=1.5):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(0, scale, (n_in, n_hidden)), "b1": rng.normal(0, scale, n_hidden),
            "W2": rng.normal(0, scale, (n_hidden, 1)), "b2": rng.normal(0, scale, 1)}


def mlp_gradients(weights, X, y):
    n_in, n_hidden = weights["W1"].shape
    net = MLP([n_in, n_hidden, 1], activations="sigmoid", output="sigmoid", dtype=np.float64)
    for dense, (W, b) in zip(net.dense, [(weights["W1"], weights["b1"]), (weights["W2"], weights["b2"])]):
        dense.W[...] = W
        dense.b[...] = b
    net.forward(np.atleast_2d(X))
    net.backward(np.reshape(y, (-1, 1)))
    return dict(zip(NAMES, [net.dense[0].dW, net.dense[0].db, net.dense[1].dW, net.dense[1].db])), net


def loss_of(weights, X, y, name):
    """The sample's loss as a function of one weight array (for numerical_grad)."""
    def f(value):
        trial = {**weights, name: value}
        return tiny_network(X, y, **trial).nodes["L"].value
    return f


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("n_hidden", [2, 3])
def test_hand_gradients_match_mlp_and_central_differences(seed, n_hidden):
    weights = random_network(seed, n_hidden=n_hidden)
    rng = np.random.default_rng(100 + seed)
    x, y = rng.normal(size=2), float(rng.uniform())
    graph = tiny_network(x, y, **weights)
    hand = parameter_gradients(graph)
    mlp, net = mlp_gradients(weights, x, y)
    assert graph.nodes["L"].value == pytest.approx(net.loss(x[None], np.array([[y]])), rel=1e-12)
    for name in NAMES:
        assert hand[name].shape == weights[name].shape
        assert np.allclose(hand[name], mlp[name], rtol=1e-10, atol=1e-14), name
        numeric = nbs.numerical_grad(loss_of(weights, x, y, name), weights[name])
        assert np.allclose(hand[name], numeric, rtol=1e-6, atol=1e-9), name   # central differences: ~1e-10


@pytest.mark.parametrize("seed", range(4))
def test_input_gradient_sums_both_paths_and_matches_central_differences(seed):
    weights = random_network(seed)
    x = np.random.default_rng(seed).normal(size=2)
    steps = {s.node: s for s in tiny_network(x, 1.0, **weights).backward()}
    numeric = nbs.numerical_grad(lambda v: tiny_network(v, 1.0, **weights).nodes["L"].value, x)
    assert np.allclose([steps["x1"].grad, steps["x2"].grad], numeric, rtol=1e-6, atol=1e-10)
    assert len(steps["x1"].terms) == 2                    # used by z1 and by z2


@pytest.mark.parametrize("seed", range(4))
def test_batch_matrix_form_matches_mlp_and_the_mean_of_per_sample_graphs(seed):
    weights = random_network(seed, n_in=3, n_hidden=4)
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(5, 3)), rng.uniform(size=5)
    batch = batch_gradients(X, y, **weights)
    mlp, net = mlp_gradients(weights, X, y)
    per_sample = [parameter_gradients(tiny_network(X[k], y[k], **weights)) for k in range(5)]
    for name in NAMES:
        assert np.allclose(batch[name], mlp[name], rtol=1e-10, atol=1e-14), name
        assert np.allclose(batch[name], np.mean([g[name] for g in per_sample], axis=0), rtol=1e-10, atol=1e-14)
    assert batch["loss"] == pytest.approx(net.loss(X, y[:, None]), rel=1e-12)


def test_example_output_delta_is_p_minus_y():
    graph = tiny_network(**EXAMPLE)
    steps = {s.node: s.grad for s in graph.backward()}
    assert steps["u"] == pytest.approx(graph.nodes["p"].value - EXAMPLE["y"], rel=1e-12)
    assert steps["L"] == 1.0
    with pytest.raises(ValueError):
        EXAMPLE["W1"][0, 0] = 1.0                         # the example cannot be changed by accident


def test_graph_rejects_bad_orders_and_names():
    g = Graph()
    g.add("a", 2.0, "input")
    g.add("b", 4.0, "value", {"a": Local(4.0, "2a")})
    g.add("L", 5.0, "loss", {"b": Local(1.0, "1"), "a": Local(1.0, "1")})
    assert g.backward()[-1].grad == pytest.approx(5.0)    # a reaches L directly and through b
    with pytest.raises(ValueError, match="before"):
        g.backward(["L", "a", "b"])
    with pytest.raises(ValueError, match="every node"):
        g.backward(["L", "b"])
    with pytest.raises(ValueError, match="already"):
        g.add("a", 1.0, "input")
    with pytest.raises(ValueError, match="missing"):
        g.add("c", 1.0, "value", {"zz": Local(1.0, "1")})
    with pytest.raises(ValueError, match="kind"):
        g.add("c", 1.0, "weight")


def test_bad_inputs_name_the_argument():
    w = random_network(0)
    with pytest.raises(ValueError, match="W1"):
        tiny_network([1.0, 2.0, 3.0], 1.0, **w)
    with pytest.raises(ValueError, match="y"):
        tiny_network([1.0, 2.0], 1.5, **w)
    with pytest.raises(ValueError, match="x"):
        tiny_network([np.nan, 2.0], 1.0, **w)
    with pytest.raises(ValueError, match="X"):
        batch_gradients([1.0, 2.0], [1.0], **w)
    with pytest.raises(ValueError, match="batch"):
        multiply_adds([3, 2], 0)


def test_multiply_adds_count_the_products_the_mlp_performs():
    sizes, batch = [7, 5, 4, 3], 6
    shapes = list(zip(sizes[:-1], sizes[1:]))
    forward = sum(batch * a * b for a, b in shapes)          # X (B, a) @ W (a, b)
    grad_w = sum(a * batch * b for a, b in shapes)           # X^T (a, B) @ delta (B, b)
    grad_x = sum(batch * b * a for a, b in shapes[1:])       # delta (B, b) @ W^T (b, a), not layer 1
    assert multiply_adds(sizes, batch) == (forward, grad_w + grad_x)
    for seed in range(5):                                    # never more than two forward passes
        widths = list(np.random.default_rng(seed).integers(1, 50, size=4))
        forward, backward = multiply_adds(widths, 3)
        assert forward <= backward < 2 * forward


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_chain_factors_are_weight_times_slope_and_match_central_differences(activation):
    depth, weight, bias = 5, 1.7, -0.3
    graph = activation_chain(depth, weight, bias, 0.8, 0.1, activation)
    grads = {s.node: s.grad for s in graph.backward()}
    slope = nbs.ACTIVATIONS[activation].grad
    for layer in range(1, depth):
        ratio = grads[f"z{layer}"] / grads[f"z{layer + 1}"]
        assert ratio == pytest.approx(weight * float(slope(graph.nodes[f"z{layer}"].value)), rel=1e-12)

    def loss(w):
        return activation_chain(depth, float(w[0]), bias, 0.8, 0.1, activation).nodes["L"].value

    total = sum(grads[f"w{layer}"] for layer in range(1, depth + 1))   # the shared weight
    assert total == pytest.approx(float(nbs.numerical_grad(loss, [weight])[0]), rel=1e-6)
    with pytest.raises(ValueError, match="activation"):
        activation_chain(3, 1.0, 0.0, 0.0, 1.0, "nope")

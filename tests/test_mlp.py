import math

import numpy as np
import pytest
from scipy.special import expit, log_softmax

from nbsupport.activations import ACTIVATIONS, prelu, prelu_grad, prelu_grad_alpha
from nbsupport.gradcheck import gradient_relative_error, numerical_grad
from nbsupport.mlp import MLP, PReLU, train
from nbsupport.optim import SGD

RNG = np.random.default_rng(42)
X_SMALL = RNG.normal(size=(7, 3))
LABELS = RNG.integers(0, 4, size=7)


def numerical_param_grads(net, X, y):
    """Central differences of net.loss(X, y) with respect to every parameter array."""
    grads = []
    for p in net.params():
        def loss_at(values, p=p):
            saved = p.copy()
            p[...] = values
            value = net.loss(X, y)
            p[...] = saved
            return value
        grads.append(numerical_grad(loss_at, p.copy()))
    return grads


def analytic_param_grads(net, X, y):
    net.forward(X)
    net.backward(y)
    return [g.copy() for g in net.grads()]


def assert_gradients_match(net, X, y):
    """Relative error of each gradient array as a whole below 1e-7, and elementwise below
    1e-4 (central differences have an absolute noise of about 1e-10, which the
    elementwise measure magnifies on entries near 0)."""
    for analytic, numeric in zip(analytic_param_grads(net, X, y), numerical_param_grads(net, X, y)):
        scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
        assert scale > 0
        assert np.linalg.norm(analytic - numeric) / scale < 1e-7
        assert gradient_relative_error(analytic, numeric) < 1e-4


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS) + ["none"])
def test_backward_matches_numerical_gradients_for_every_activation(activation):
    net = MLP([3, 5, 4, 4], activations=activation, init=0.7, rng=1, dtype=np.float64)
    for p in net.params():   # non-zero biases so that no unit sits at a kink by accident
        p += 0.1 * RNG.normal(size=p.shape)
    assert_gradients_match(net, X_SMALL, LABELS)


@pytest.mark.parametrize("output, targets", [
    ("softmax", LABELS),
    ("softmax", np.eye(4)[LABELS]),                          # one-hot rows
    ("softmax", np.full((7, 4), 0.25)),                      # soft labels
    ("sigmoid", (RNG.random((7, 4)) > 0.5).astype(float)),
    ("sigmoid", RNG.random((7, 4))),
    ("linear", RNG.normal(size=(7, 4))),
])
def test_backward_matches_numerical_gradients_for_every_output(output, targets):
    net = MLP([3, 6, 4], activations="tanh", output=output, init="xavier_normal", rng=2,
              dtype=np.float64)
    assert_gradients_match(net, X_SMALL, targets)


def test_one_sigmoid_output_takes_a_flat_vector_of_binary_targets():
    net = MLP([3, 5, 1], activations="relu", output="sigmoid", rng=5, dtype=np.float64)
    t = (LABELS % 2).astype(float)
    assert_gradients_match(net, X_SMALL, t)
    assert net.loss(X_SMALL, t) == pytest.approx(net.loss(X_SMALL, t[:, None]))
    assert net.predict(X_SMALL).shape == (7, 1)


def test_mixed_activations_per_layer_and_prelu_alpha_gradient():
    net = MLP([3, 5, 5, 5, 4], activations=["prelu", "sigmoid", "leaky_relu"], init="he_normal",
              rng=3, dtype=np.float64, activation_params=[{"alpha": 0.2}, None, {"alpha": 0.3}])
    prelu_layer = net.activations[0]
    assert isinstance(prelu_layer, PReLU)
    prelu_layer.alpha[:] = [0.1, 0.2, 0.3, 0.4, 0.5]
    assert any(p is prelu_layer.alpha for p in net.params())
    assert_gradients_match(net, X_SMALL, LABELS)


def test_prelu_layer_agrees_with_the_registry_functions():
    z = RNG.normal(size=(6, 4))
    alpha = np.array([0.05, 0.25, 0.5, 1.0])
    layer = PReLU("prelu", 4, np.float64)
    layer.alpha[:] = alpha
    dout = RNG.normal(size=(6, 4))
    np.testing.assert_allclose(layer.forward(z), prelu(z, alpha), rtol=1e-15)
    np.testing.assert_allclose(layer.backward(dout), dout * prelu_grad(z, alpha), rtol=1e-15)
    np.testing.assert_allclose(layer.dalpha, (dout * prelu_grad_alpha(z, alpha)).sum(axis=0),
                               rtol=1e-12)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_activation_layers_agree_with_the_registry(activation):
    net = MLP([3, 6, 2], activations=activation, rng=0, dtype=np.float64)
    layer = net.activations[0]
    z = np.linspace(-4, 4, 24).reshape(4, 6) + 0.01
    spec = ACTIVATIONS[activation]
    np.testing.assert_allclose(layer.forward(z), spec.fn(z, **spec.params), rtol=1e-12, atol=1e-300)
    dout = RNG.normal(size=z.shape)
    np.testing.assert_allclose(layer.backward(dout), dout * spec.grad(z, **spec.params),
                               rtol=1e-9, atol=1e-15)


def test_losses_agree_with_independent_formulas():
    X = RNG.normal(size=(9, 3))
    y = RNG.integers(0, 3, size=9)
    net = MLP([3, 4, 3], activations="relu", rng=4, dtype=np.float64)
    logits = net.dense[1].forward(net.activations[0].forward(net.dense[0].forward(X)))
    assert net.loss(X, y) == pytest.approx(-log_softmax(logits, axis=1)[np.arange(9), y].mean(), rel=1e-13)
    np.testing.assert_allclose(net.forward(X), np.exp(log_softmax(logits, axis=1)), rtol=1e-13)

    t = RNG.random((9, 3))
    net = MLP([3, 4, 3], activations="relu", output="sigmoid", rng=4, dtype=np.float64)
    bce = np.mean(np.logaddexp(0, logits) - t * logits)
    assert net.loss(X, t) == pytest.approx(bce, rel=1e-13)
    np.testing.assert_allclose(net.forward(X), expit(logits), rtol=1e-13)

    net = MLP([3, 4, 3], activations="relu", output="linear", rng=4, dtype=np.float64)
    assert net.loss(X, t) == pytest.approx(np.mean((logits - t) ** 2), rel=1e-13)


def test_huge_logits_give_finite_losses_and_no_warnings():
    net = MLP([2, 3, 3], activations="identity", init=1e3, rng=0, dtype=np.float64)
    X = np.array([[1e3, -1e3], [-1e3, 1e3]])
    assert math.isfinite(net.loss(X, [0, 1]))
    net = MLP([2, 3, 3], activations="identity", output="sigmoid", init=1e3, rng=0)
    assert math.isfinite(net.loss(X, np.ones((2, 3))))


def test_a_network_without_nonlinearities_is_one_affine_map():
    net = MLP([4, 6, 5, 3], activations="none", output="linear", rng=0, dtype=np.float64)
    for p in net.params():
        p += RNG.normal(size=p.shape)
    (W1, b1), (W2, b2), (W3, b3) = [d.params() for d in net.dense]
    X = RNG.normal(size=(5, 4))
    np.testing.assert_allclose(net.forward(X), X @ (W1 @ W2 @ W3) + (b1 @ W2 @ W3 + b2 @ W3 + b3),
                               rtol=1e-12, atol=1e-12)


def test_float32_networks_stay_float32_through_training():
    X = RNG.normal(size=(40, 3))           # float64 input is converted
    net = MLP([3, 8, 4], activations="prelu", rng=0)
    train(net, X, RNG.integers(0, 4, 40), epochs=2, batch_size=16, optimizer=SGD(0.1, 0.9), rng=0)
    assert net.forward(X).dtype == np.float32
    assert all(p.dtype == np.float32 for p in net.params() + net.grads())


def test_same_seed_same_network_and_history_other_seed_differs():
    def run(seed):
        net = MLP([3, 8, 4], activations="tanh", init="xavier_uniform", rng=seed)
        history = train(net, X_SMALL, LABELS, epochs=3, batch_size=3, optimizer=SGD(0.05), rng=seed)
        return net.params()[0], history.train_loss
    (w_a, loss_a), (w_b, loss_b), (w_c, _) = run(5), run(5), run(6)
    np.testing.assert_array_equal(w_a, w_b)
    assert loss_a == loss_b
    assert not np.array_equal(w_a, w_c)


def test_sgd_updates_follow_the_pytorch_formulation():
    """PyTorch: buf = mu buf + g; p -= lr (g + mu buf) with Nesterov, p -= lr buf without."""
    net = MLP([2, 2], activations=[], output="linear", rng=0, dtype=np.float64)
    grads = [RNG.normal(size=(2, 2)) for _ in range(3)]
    for momentum, nesterov in [(0.0, False), (0.9, False), (0.9, True)]:
        W = net.params()[0]
        W[...] = 1.0
        expected, buf = np.ones((2, 2)), np.zeros((2, 2))
        opt = SGD(0.1, momentum=momentum, nesterov=nesterov)
        for g in grads:
            net.grads()[0][...] = g
            net.grads()[1][...] = 0
            opt.step(net.params(), net.grads())
            buf = momentum * buf + g
            expected -= 0.1 * (g + momentum * buf if nesterov else buf)
        np.testing.assert_allclose(W, expected, rtol=1e-14)


def test_training_learns_the_digits():
    from sklearn.datasets import load_digits
    digits = load_digits()
    X, y = digits.data / 16.0, digits.target
    net = MLP([64, 50, 10], activations="relu", rng=0)
    history = train(net, X[:1400], y[:1400], epochs=8, batch_size=32,
                    optimizer=SGD(0.1, momentum=0.9, nesterov=True), rng=0,
                    X_val=X[1400:], y_val=y[1400:])
    assert history.train_loss[-1] < 0.3 * history.train_loss[0]
    assert history.val_acc[-1] > 0.9
    assert net.accuracy(X[1400:], y[1400:]) == pytest.approx(history.val_acc[-1])
    assert len(history.seconds) == 8 and all(math.isnan(v) for v in
                                             train(net, X[:50], y[:50], 1, 10, SGD(0.1)).val_loss)


def test_train_accuracy_is_the_mean_over_batches_of_the_predictions_made_while_training():
    net = MLP([3, 4], activations=[], rng=0, dtype=np.float64)
    before = net.accuracy(X_SMALL, LABELS)
    history = train(net, X_SMALL, LABELS, epochs=1, batch_size=7, optimizer=SGD(1e-12), rng=0)
    assert history.train_acc[0] == pytest.approx(before)
    assert history.train_loss[0] == pytest.approx(net.loss(X_SMALL, LABELS))


def test_sigmoid_output_accuracy_and_linear_output_nan():
    t = (RNG.random((7, 2)) > 0.5).astype(float)
    net = MLP([3, 2], activations=[], output="sigmoid", rng=0, dtype=np.float64)
    expected = np.mean((net.forward(X_SMALL) > 0.5) == (t > 0.5))
    assert net.accuracy(X_SMALL, t) == pytest.approx(expected)
    net = MLP([3, 1], activations=[], output="linear", rng=0)
    assert math.isnan(net.accuracy(X_SMALL, np.zeros(7)))


# ------------------------------------------------------------------ records

def random_batch(n=1000, d=100, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d))


def test_records_are_snapshots_of_the_weights_and_gradients():
    net = MLP([5, 6, 3], activations="relu", rng=1)
    X, y = random_batch(8, 5), np.arange(8) % 3
    net.forward(X, record=True)
    net.backward(y, record=True)
    dW = net.records[0].dW.copy()
    SGD(0.5).step(net.params(), net.grads())
    net.forward(X)
    net.backward((y + 1) % 3)
    np.testing.assert_array_equal(net.records[0].dW, dW)


def test_recording_changes_nothing_and_needs_a_recorded_forward_pass():
    net = MLP([3, 4, 4, 2], activations=["sigmoid", "prelu"], rng=0, dtype=np.float64)
    plain = net.forward(X_SMALL)
    np.testing.assert_array_equal(net.forward(X_SMALL, record=True), plain)
    net.backward(LABELS % 2, record=True)
    recorded_grads = [g.copy() for g in net.grads()]
    net.forward(X_SMALL)
    with pytest.raises(RuntimeError, match="record=True"):
        net.backward(LABELS % 2, record=True)
    net.backward(LABELS % 2)
    for a, b in zip(recorded_grads, net.grads()):
        np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize("kwargs, error, word", [
    ({"sizes": [3]}, ValueError, "sizes"),
    ({"sizes": "34"}, TypeError, "sizes"),
    ({"sizes": [3, 0, 2]}, ValueError, r"sizes\[1\]"),
    ({"sizes": [3, 2.5, 2]}, TypeError, r"sizes\[1\]"),
    ({"activations": "relux"}, ValueError, "activations"),
    ({"activations": ["relu"]}, ValueError, "activations"),
    ({"activations": 3}, TypeError, "activations"),
    ({"output": "softmaxx"}, ValueError, "output"),
    ({"init": "he"}, ValueError, "init"),
    ({"init": -1.0}, ValueError, "std"),
    ({"init": ["he_normal"]}, ValueError, "init"),
    ({"dtype": np.int32}, TypeError, "dtype"),
    ({"rng": "x"}, TypeError, "rng"),
    ({"activation_params": {"alpha": 0.1}}, ValueError, "activation_params"),
    ({"activations": "prelu", "activation_params": {"alpha": -0.1}}, ValueError, "alpha"),
])
def test_bad_constructor_arguments_are_named(kwargs, error, word):
    args = {"sizes": [3, 4, 4, 2], "activations": "relu"} | kwargs
    with pytest.raises(error, match=word):
        MLP(**args)


def test_bad_data_and_optimizer_arguments_are_named():
    net = MLP([3, 4, 2], rng=0)
    with pytest.raises(RuntimeError, match="forward"):
        net.backward([0, 1])
    with pytest.raises(ValueError, match="X"):
        net.forward(np.zeros((2, 4)))
    with pytest.raises(TypeError, match="X"):
        net.forward([["a", "b", "c"]])
    net.forward(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="labels"):
        net.backward([0, 2])
    with pytest.raises(ValueError, match=r"labels of shape \(2,\)"):
        net.backward([0, 1, 1])
    with pytest.raises(TypeError, match="integer"):
        net.backward([True, False])
    with pytest.raises(ValueError, match="whole numbers"):
        net.backward([0.5, 1.0])
    with pytest.raises(ValueError, match="sum to 1"):
        net.backward([[0.5, 0.6], [1.0, 0.0]])
    sig = MLP([3, 2], activations=[], output="sigmoid", rng=0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        sig.loss(np.zeros((2, 3)), [[0.0, 2.0], [1.0, 0.0]])
    lin = MLP([3, 2], activations=[], output="linear", rng=0)
    with pytest.raises(ValueError, match="shape"):
        lin.loss(np.zeros((2, 3)), np.zeros((2, 3)))
    for kwargs, word in [({"lr": 0}, "lr"), ({"lr": 0.1, "momentum": 1.0}, "momentum"),
                         ({"lr": 0.1, "nesterov": True}, "nesterov")]:
        with pytest.raises(ValueError, match=word):
            SGD(**kwargs)
    with pytest.raises(ValueError, match="batch_size"):
        train(net, X_SMALL, LABELS % 2, epochs=1, batch_size=0, optimizer=SGD(0.1))
    with pytest.raises(TypeError, match="optimizer"):
        train(net, X_SMALL, LABELS % 2, epochs=1, batch_size=2, optimizer="sgd")


@pytest.mark.parametrize("output, targets", [
    ("softmax", LABELS % 3), ("softmax", np.eye(3)[LABELS % 3]),
    ("sigmoid", (RNG.random((7, 3)) < 0.5) * 1.0), ("linear", RNG.normal(size=(7, 3))),
])
def test_heads_compute_what_the_library_losses_compute(output, targets):
    """The heads call the loss kernels: same loss (mean in float64) and same dL/dz."""
    from nbsupport import losses
    loss, grad = {"softmax": (losses.softmax_cross_entropy_with_logits,
                              losses.softmax_cross_entropy_with_logits_grad),
                  "sigmoid": (losses.binary_cross_entropy_with_logits,
                              losses.binary_cross_entropy_with_logits_grad),
                  "linear": (losses.mse, losses.mse_grad)}[output]
    net = MLP([3, 4, 3], activations="tanh", output=output, dtype=np.float64, rng=0)
    net.forward(X_SMALL, record=True)
    net.backward(targets, record=True)
    logits = net.records[-1].pre
    assert net.loss(X_SMALL, targets) == pytest.approx(float(loss(targets, logits)), rel=1e-14)
    np.testing.assert_allclose(net.records[-1].grad_pre, grad(targets, logits), rtol=1e-14, atol=1e-17)

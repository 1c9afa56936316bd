"""nbsupport.optim: every optimizer against steps written out by hand, state, dtypes, errors."""
import math

import numpy as np
import pytest

from nbsupport.optim import (OPTIMIZERS, SGD, Adagrad, Adam, Optimizer, Quadratic, RMSprop, descend,
                             dip_curve, dip_curve_grad, lr_threshold, momentum_weights, momentum_window,
                             steps_to_tolerance)

G1, G2, G3 = np.array([1.0, -2.0]), np.array([0.5, 4.0]), np.array([-3.0, 1.0])


def run(opt, grads, start=(1.0, 1.0)):
    w = np.array(start)
    for g in grads:
        opt.step([w], [g.copy()])
    return w


def test_plain_sgd_two_steps():
    # w1 = 1 - 0.1 * [1, -2] = [0.9, 1.2]; w2 = w1 - 0.1 * [0.5, 4] = [0.85, 0.8]
    np.testing.assert_allclose(run(SGD(0.1), [G1, G2]), [0.85, 0.8], rtol=1e-15)


def test_momentum_three_steps():
    # b1 = G1 = [1, -2]            w1 = [1, 1] - 0.1 b1 = [0.9, 1.2]
    # b2 = 0.9 b1 + G2 = [1.4, 2.2]  w2 = w1 - 0.1 b2 = [0.76, 0.98]
    # b3 = 0.9 b2 + G3 = [-1.74, 2.98]  w3 = w2 - 0.1 b3 = [0.934, 0.682]
    np.testing.assert_allclose(run(SGD(0.1, momentum=0.9), [G1, G2, G3]), [0.934, 0.682], rtol=1e-14)


def test_nesterov_three_steps():
    # same buffers as above; step g + 0.9 b:
    # 1: [1, -2] + 0.9 [1, -2] = [1.9, -3.8]        w1 = [0.81, 1.38]
    # 2: [0.5, 4] + 0.9 [1.4, 2.2] = [1.76, 5.98]    w2 = [0.634, 0.782]
    # 3: [-3, 1] + 0.9 [-1.74, 2.98] = [-4.566, 3.682]  w3 = [1.0906, 0.4138]
    np.testing.assert_allclose(run(SGD(0.1, momentum=0.9, nesterov=True), [G1, G2, G3]),
                               [1.0906, 0.4138], rtol=1e-14)


def test_adagrad_three_steps():
    # s = [1, 4]; w1 = 1 - 0.5 [1, -2] / [1, 2] = [0.5, 1.5]
    # s = [1.25, 20]; w2 = w1 - 0.5 [0.5 / sqrt(1.25), 4 / sqrt(20)]
    # s = [10.25, 21]; w3 = w2 - 0.5 [-3 / sqrt(10.25), 1 / sqrt(21)]
    w2 = np.array([0.5 - 0.25 / math.sqrt(1.25), 1.5 - 2 / math.sqrt(20)])
    w3 = w2 - 0.5 * np.array([-3 / math.sqrt(10.25), 1 / math.sqrt(21)])
    np.testing.assert_allclose(run(Adagrad(0.5, eps=0.0), [G1, G2, G3]), w3, rtol=1e-14)
    # eps sits outside the square root: s = 1 -> step lr * 1 / (1 + 1)
    np.testing.assert_allclose(run(Adagrad(0.5, eps=1.0), [np.array([1.0, 1.0])]), [0.75, 0.75])


def test_rmsprop_two_steps_eps_outside_the_root():
    # alpha 0.5: s1 = 0.5 g1^2 = [0.5, 2]; w1 = 1 - 0.1 g1 / (sqrt(s1) + 0.1)
    # s2 = 0.5 s1 + 0.5 g2^2 = [0.375, 9]; w2 = w1 - 0.1 g2 / (sqrt(s2) + 0.1)
    w1 = 1 - 0.1 * G1 / (np.sqrt([0.5, 2.0]) + 0.1)
    w2 = w1 - 0.1 * G2 / (np.sqrt([0.375, 9.0]) + 0.1)
    np.testing.assert_allclose(run(RMSprop(0.1, alpha=0.5, eps=0.1), [G1, G2]), w2, rtol=1e-14)


def test_adam_two_steps_bias_corrected():
    # betas (0.5, 0.75), eps 0.1
    # m1 = 0.5 g1, v1 = 0.25 g1^2; m_hat = g1, v_hat = g1^2 -> step 0.1 g1 / (|g1| + 0.1)
    w1 = 1 - 0.1 * G1 / (np.abs(G1) + 0.1)
    m2, v2 = 0.5 * 0.5 * G1 + 0.5 * G2, 0.75 * 0.25 * G1**2 + 0.25 * G2**2
    m_hat, v_hat = m2 / (1 - 0.25), v2 / (1 - 0.5625)
    w2 = w1 - 0.1 * m_hat / (np.sqrt(v_hat) + 0.1)
    np.testing.assert_allclose(run(Adam(0.1, betas=(0.5, 0.75), eps=0.1), [G1, G2]), w2, rtol=1e-14)


def test_adam_first_step_has_length_lr_in_every_coordinate():
    w = run(Adam(0.01, eps=0.0), [np.array([1e-3, -50.0])], start=(0.0, 0.0))
    np.testing.assert_allclose(w, [-0.01, 0.01], rtol=1e-12)


@pytest.mark.parametrize("opt", [SGD(0.1), SGD(0.1, 0.9), SGD(0.1, 0.9, True), Adagrad(0.1),
                                 RMSprop(0.01), Adam(0.01)], ids=repr)
def test_float32_stays_float32_in_place_and_state_is_per_array(opt):
    W, b = np.ones((3, 2), dtype=np.float32), np.zeros(2, dtype=np.float32)
    ids = id(W), id(b)
    for k in range(3):
        opt.step([W, b], [np.full((3, 2), 0.5, np.float32), np.full(2, -1.0, np.float32)])
    assert (id(W), id(b)) == ids and W.dtype == b.dtype == np.float32
    assert np.all(W < 1) and np.all(b > 0)
    assert opt.steps == 3


def test_state_is_kept_between_calls():
    one_call = SGD(0.1, momentum=0.9)
    w_a = run(one_call, [G1, G2])
    w_b = run(SGD(0.1, momentum=0.9), [G1])
    fresh = run(SGD(0.1, momentum=0.9), [G2], start=w_b)     # a new optimizer forgets G1
    assert not np.allclose(w_a, fresh)


@pytest.mark.parametrize("make, word", [
    (lambda: SGD(0.0), "lr"), (lambda: SGD(-1.0), "lr"), (lambda: SGD(math.inf), "lr"),
    (lambda: SGD(math.nan), "lr"), (lambda: SGD(0.1, momentum=1.0), "momentum"),
    (lambda: SGD(0.1, momentum=-0.1), "momentum"), (lambda: SGD(0.1, nesterov=True), "nesterov"),
    (lambda: Adagrad(0.1, eps=-1e-3), "eps"), (lambda: RMSprop(0.1, alpha=1.5), "alpha"),
    (lambda: RMSprop(0.1, eps=math.inf), "eps"), (lambda: Adam(0.1, betas=(1.0, 0.9)), r"betas\[0\]"),
    (lambda: Adam(0.1, betas=(0.9, -0.5)), r"betas\[1\]"), (lambda: Adam(0.0), "lr")])
def test_bad_hyperparameters_raise_value_error_naming_them(make, word):
    with pytest.raises(ValueError, match=word):
        make()


def test_wrong_types_of_hyperparameters():
    with pytest.raises(TypeError, match="lr"):
        SGD("0.1")
    with pytest.raises(TypeError, match="betas"):
        Adam(0.1, betas=0.9)
    with pytest.raises(TypeError, match="nesterov"):
        SGD(0.1, 0.9, nesterov="yes")


def test_params_and_grads_that_do_not_match():
    opt = Adam(0.1)
    w = np.zeros(3)
    with pytest.raises(ValueError, match="same length"):
        opt.step([w], [])
    with pytest.raises(ValueError, match=r"grads\[0\] has shape \(2,\)"):
        opt.step([w], [np.zeros(2)])
    with pytest.raises(TypeError, match=r"params\[0\]"):
        opt.step([[0.0, 1.0, 2.0]], [np.zeros(3)])
    with pytest.raises(TypeError, match=r"params\[0\]"):
        opt.step([np.zeros(3, dtype=int)], [np.zeros(3)])
    with pytest.raises(TypeError, match=r"grads\[0\]"):
        opt.step([w], [np.zeros(3, dtype=int)])
    with pytest.raises(TypeError, match="params must be a list"):
        opt.step(w, [w])
    opt.step([w], [np.ones(3)])
    with pytest.raises(ValueError, match="same arrays"):
        opt.step([np.zeros(4)], [np.ones(4)])


def test_registry_and_reprs():
    assert set(OPTIMIZERS) == {"sgd", "adagrad", "rmsprop", "adam"}
    assert all(issubclass(c, Optimizer) for c in OPTIMIZERS.values())
    assert repr(SGD(0.1, 0.9, True)) == "SGD(lr=0.1, momentum=0.9, nesterov=True)"
    assert repr(Adam(0.001)) == "Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08)"


def test_lr_threshold_separates_convergence_from_divergence():
    q = Quadratic.valley(5.0, L=4.0)
    assert lr_threshold(q.L) == 0.5
    below = descend(q.grad, [1.0, 1.0], SGD(0.99 * lr_threshold(q.L)), 400)
    above = descend(q.grad, [1.0, 1.0], SGD(1.01 * lr_threshold(q.L)), 400)
    assert q(below[-1]) < 1e-3 * q(below[0]) and q(above[-1]) > 10 * q(above[0])


def test_momentum_window_is_the_sum_of_the_weights():
    for mu in [0.0, 0.5, 0.9, 0.99]:
        assert momentum_weights(mu, 5000).sum() == pytest.approx(momentum_window(mu), rel=1e-6)
    with pytest.raises(ValueError, match="momentum"):
        momentum_window(1.0)


def test_quadratic_valley_and_gradient():
    q = Quadratic.valley(25.0)
    np.testing.assert_allclose(q.curvatures, [1.0, 25.0])
    assert q.condition == pytest.approx(25.0) and q.L == pytest.approx(25.0)
    turned = Quadratic.valley(25.0, angle=np.pi / 4)
    np.testing.assert_allclose(turned.curvatures, [1.0, 25.0])
    np.testing.assert_allclose(turned.grad([1.0, 1.0]), [1.0, 1.0], rtol=1e-12)   # along the floor
    with pytest.raises(ValueError, match="positive definite"):
        Quadratic([[1.0, 0.0], [0.0, -1.0]])
    w = np.array([0.3, -0.2])
    from nbsupport.gradcheck import numerical_grad
    np.testing.assert_allclose(q.grad(w), numerical_grad(lambda v: float(q(v)), w), rtol=1e-6)
    with pytest.raises(ValueError, match="condition"):
        Quadratic.valley(0.5)


def test_dip_curve_gradient_matches_finite_differences():
    x = np.linspace(-4, 4, 9)
    numeric = (dip_curve(x + 1e-6) - dip_curve(x - 1e-6)) / 2e-6
    np.testing.assert_allclose(dip_curve_grad(x), numeric, atol=1e-8)


def test_descend_stops_a_diverging_path_without_overflow():
    path = descend(Quadratic([[1.0]]).grad, [1.0], SGD(10.0), 400)
    assert np.all(np.isfinite(path)) and abs(path[-1, 0]) >= 1e150


def test_steps_to_tolerance():
    assert steps_to_tolerance(np.array([3.0, 0.1, 0.01]), 0.5) == 1
    assert steps_to_tolerance(np.array([0.1, 0.01]), 0.5) == 0
    assert steps_to_tolerance(np.array([0.1, 3.0]), 0.5) is None


@pytest.mark.parametrize("opt", [SGD(0.1, momentum=0.9, nesterov=True), Adagrad(0.1), RMSprop(0.01), Adam(0.01)],
                         ids=repr)
def test_mlp_training_takes_every_optimizer(opt):
    from nbsupport.mlp import MLP, train
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    net = MLP([4, 8, 2], activations="tanh", rng=0)
    before = net.loss(X, y)
    train(net, X, y, epochs=5, batch_size=16, optimizer=opt, rng=0)
    assert net.loss(X, y) < 0.7 * before
    assert opt.steps == 5 * 8 and all(p.dtype == np.float32 for p in net.params())

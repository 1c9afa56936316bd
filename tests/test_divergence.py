"""Training loops that diverge: every loop stops on the one rule of ``optim.diverged``.

A learning rate far beyond the stable range (or data and starts near the end of the
float range) makes the iterates grow until they overflow.  Every loop of the package
must then stop without a RuntimeWarning (pytest turns them into errors), return only
finite numbers, and report the step at which the run diverged; a run that converges
must give what it gave before.  The expected steps come from reference loops written
here with plain float arithmetic and the rule as documented: a parameter beyond
sqrt(largest float) or a computed number that is not finite.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nbsupport import fitting, heads, losses, mlp, optim, training

BOUND64 = math.sqrt(float(np.finfo(np.float64).max))    # 1.34e154
BOUND32 = math.sqrt(float(np.finfo(np.float32).max))    # 1.84e19


def _power_of_two_near(values) -> float:
    """2^e with max |values| in [2^e, 2^(e+1)) (1 for all zeros): the unit a parameter is measured in."""
    top = float(np.max(np.abs(values)))
    return math.ldexp(1.0, math.frexp(top)[1] - 1) if top else 1.0


def _rule(params, computed=(), bound=BOUND64) -> bool:
    """The documented rule, written out: a parameter beyond the bound, or a computed number not finite."""
    return (any(not np.all(np.abs(np.asarray(p, dtype=np.float64)) <= bound) for p in params)
            or any(not np.all(np.isfinite(c)) for c in computed))


# ----------------------------------------------------------------------------- the rule
@settings(max_examples=100)
@given(arrays(np.float64, st.integers(1, 12),
              elements=st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                                 st.sampled_from([BOUND64, np.nextafter(BOUND64, np.inf), -BOUND64]))),
       arrays(np.float64, 3, elements=st.floats(allow_nan=True, allow_infinity=True)))
def test_diverged_is_the_documented_rule(params, computed):
    assert optim.divergence_bound() == BOUND64 and optim.divergence_bound(np.float32) == BOUND32
    assert optim.diverged(params) == _rule([params])
    assert optim.diverged([np.zeros(2)], (computed,)) == _rule([], [computed])
    rows = np.stack([params, -params])
    assert optim.diverged_rows([rows]).tolist() == [_rule([params])] * 2


def test_float32_parameters_have_float32s_bound():
    assert optim.diverged([np.full(20, 1e19, np.float32)]) is False
    assert optim.diverged([np.full(20, 2e19, np.float32)]) is True
    assert optim.diverged([np.full(20, 2e19, np.float64)]) is False


# ----------------------------------------------------------------------------- descend
def _reference_descent(L: float, lr: float, w0: float, steps: int) -> tuple[list[float], int | None]:
    """SGD on 0.5 L w^2 in Python floats: the path and the first step that breaks the rule."""
    path, w = [w0], w0
    for k in range(1, steps + 1):
        w = w - lr * (w * L)
        if not abs(w) <= BOUND64:
            return path + [path[-1]] * (steps + 1 - k), k
        path.append(w)
    return path, None


@settings(max_examples=60)
@given(st.floats(0.5, 10.0), st.floats(2.0, 1e6), st.floats(0.1, 10.0), st.sampled_from(["sgd", "momentum"]))
def test_descend_run_stops_at_the_step_the_path_passes_the_bound(L, share, w0, kind):
    lr = share * optim.lr_threshold(L)
    opt = optim.SGD(lr) if kind == "sgd" else optim.SGD(lr, momentum=0.5)
    run = optim.descend_run(optim.Quadratic([[L]]).grad, [w0], opt, 400)
    assert np.all(np.isfinite(run.path)) and np.abs(run.path).max() <= BOUND64
    if kind == "sgd":               # |1 - lr L| >= 3: past the bound within 400 steps
        path, k = _reference_descent(L, lr, w0, 400)
        assert k is not None and run.diverged_at == k and run.path[:, 0].tolist() == path
    if run.diverged_at is not None:
        assert np.all(run.path[run.diverged_at:] == run.path[run.diverged_at - 1])


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_descend_never_returns_inf_when_a_step_leaves_the_float_range(name):
    q = optim.Quadratic([[1.0]])
    path = optim.descend(q.grad, [1e150], optim.OPTIMIZERS[name](1e300), 5)   # 1e150 * 1e300 overflows
    assert np.all(np.isfinite(path))
    assert optim.descend_run(q.grad, [1e150], optim.OPTIMIZERS[name](1e300), 5).diverged_at == 1


@settings(max_examples=40)
@given(st.floats(0.5, 10.0), st.floats(0.01, 0.99), st.floats(-10.0, 10.0))
def test_a_converging_descent_is_unchanged(L, share, w0):
    lr = share * optim.lr_threshold(L)
    run = optim.descend_run(optim.Quadratic([[L]]).grad, [w0], optim.SGD(lr), 200)
    path, k = _reference_descent(L, lr, w0, 200)
    assert k is None and run.diverged_at is None and run.path[:, 0].tolist() == path


# ----------------------------------------------------------------------------- train_logistic
X_RACE, T_RACE = np.array([-1.0, -0.5, 0.5, 1.0]), np.array([0.0, 1.0, 0.0, 1.0])


def _reference_logistic(x, t, loss, lr, steps, w0=0.0, b0=0.0):
    """Gradient descent on sigmoid(w x + b) in plain floats; records and the first diverged step."""
    records, w, b, unit = [], w0, b0, _power_of_two_near(x)
    for k in range(steps + 1):
        with np.errstate(all="ignore"):
            if k:
                w, b = w - lr * dw, b - lr * db
            value, dz = fitting.logistic_loss_and_grad(loss, t, w * x + b)
            dw, db = float(np.sum(dz * x)), float(np.sum(dz))
            norm = float(np.hypot(dw, db))
            w_in_units = w * unit                       # w multiplies x: measured in units of 1 / x
        if _rule([w_in_units, b], [value, norm]):
            return records, k
        records.append((value, w, b, norm))
    return records, None


@settings(max_examples=60)
@given(st.sampled_from(fitting.LOGISTIC_LOSSES), st.floats(0.0, 150.0), st.floats(0.0, 300.0))
def test_train_logistic_stops_at_the_first_diverged_step(loss, x_exponent, lr_exponent):
    x, lr = X_RACE * 10.0 ** x_exponent, 10.0 ** lr_exponent      # lr * x^2 up to 1e600
    h = fitting.train_logistic(x, T_RACE, loss, lr=lr, steps=40)
    records, k = _reference_logistic(x, T_RACE, loss, lr, 40)
    assert h.diverged_at == k
    done = len(records)
    assert np.array_equal(np.array([h.loss, h.w, h.b, h.grad_norm]).T[:done], np.array(records))
    for curve in (h.loss, h.w, h.b, h.grad_norm):
        assert curve.shape == (41,) and np.all(np.isfinite(curve))
        assert np.all(curve[done:] == curve[done - 1])


def test_train_logistic_with_lr_x_squared_overflowing_reports_step_1():
    h = fitting.train_logistic(X_RACE * 1e200, T_RACE, "mse", lr=1.0, steps=50)
    assert h.diverged_at == 1 and np.all(np.isfinite(h.w)) and np.all(h.w == 0.0)


@pytest.mark.parametrize("scale", [1e-150, 1e-100, 1e100])
def test_large_weights_for_tiny_inputs_are_no_divergence(scale):
    h = fitting.train_logistic(X_RACE * scale, T_RACE, "bce", lr=1.0 / scale ** 2, steps=30, w0=-4.0 / scale)
    twin = fitting.train_logistic(X_RACE, T_RACE, "bce", lr=1.0, steps=30, w0=-4.0)
    assert h.diverged_at is None and twin.diverged_at is None
    np.testing.assert_allclose(h.w * scale, twin.w, rtol=1e-12)
    for tiny in (scale, 1e-300):
        run = fitting.one_sample_run(np.array([[tiny, 0.0]]), np.array([2.0]), np.zeros(2), 5, rate=1.0)
        assert run.diverged_at is None and run.path[-1, 0] == pytest.approx(2.0 / tiny, rel=1e-15)


@pytest.mark.parametrize("loss", fitting.LOGISTIC_LOSSES)
def test_a_converging_logistic_run_is_unchanged(loss):
    h = fitting.train_logistic(X_RACE, T_RACE, loss, lr=0.5, steps=200, w0=-4.0)
    records, k = _reference_logistic(X_RACE, T_RACE, loss, 0.5, 200, w0=-4.0)
    assert k is None and h.diverged_at is None
    assert np.array_equal(np.array([h.loss, h.w, h.b, h.grad_norm]).T, np.array(records))


def test_a_start_that_has_diverged_is_refused_naming_w0():
    with pytest.raises(ValueError, match="w0"):
        fitting.train_logistic(X_RACE, T_RACE, w0=1e200)


def test_rate_sweep_never_settles_a_diverged_run():
    sweep = fitting.rate_sweep(X_RACE * 1e150, T_RACE, "bce", [1e-300, 1e300], steps=20)
    assert sweep.runs[1].diverged_at == 1 and sweep.settled[1] is None
    assert all(np.all(np.isfinite(run.loss)) for run in sweep.runs)


# ----------------------------------------------------------------------------- fit_line
X_LINE = np.arange(6.0)


def _reference_fit_line(x, y, step0, steps=600, decay=0.975):
    """fit_line's normalised descent under MSE, written out for one row (no domain to respect)."""
    u = (x - x.mean()) / x.std()
    alpha, beta, step = 0.0, float(np.median(y)), step0
    for _ in range(steps):
        g = losses.mse_grad(y, alpha * u + beta)
        ga, gb = float(g @ u), float(g.sum())
        length = math.hypot(ga, gb)
        scale = step / length if length > 0 else 0.0
        alpha, beta, step = alpha - scale * ga, beta - scale * gb, step * decay
    slope = alpha / x.std()
    return slope, beta - slope * x.mean()


@settings(max_examples=40)
@given(st.floats(-3.0, 3.0), st.floats(-3.0, 3.0), st.floats(0.1, 10.0))
def test_a_converging_line_fit_is_unchanged(slope, intercept, step0):
    y = slope * X_LINE + intercept + np.sin(X_LINE)
    fit = fitting.fit_line(X_LINE, y, "mse", step0=step0)
    assert fit.diverged_at is None
    # 600 normalised steps amplify rounding differences of the two ways of summing a little
    np.testing.assert_allclose([fit.slope, fit.intercept], _reference_fit_line(X_LINE, y, step0),
                               rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("loss", sorted(fitting.REGRESSION_LOSSES))
def test_a_first_step_far_beyond_the_data_diverges_at_step_1(loss):
    y = 2.0 * X_LINE + 3.0
    fit = fitting.fit_line(X_LINE, y, loss, step0=1e300)        # (alpha, beta) jump 1e300 in units of 16
    assert fit.diverged_at == 1 and math.isfinite(fit.slope) and math.isfinite(fit.intercept)
    if loss not in ("mae", "mape"):                              # those finish exactly along the kinks
        assert (fit.slope, fit.intercept) == (0.0, float(np.median(y)))


@pytest.mark.parametrize("loss", ["mse", "half_mse", "mae", "huber", "msle"])
def test_targets_near_1e300_fit_without_overflow_or_divergence(loss):
    y = (2.0 * X_LINE + 1.0) * 1e300
    fit = fitting.fit_line(X_LINE, y, loss)
    assert fit.diverged_at is None
    np.testing.assert_allclose([fit.slope, fit.intercept], [2e300, 1e300], rtol=1e-3)


def test_each_row_of_a_batched_fit_reports_its_own_divergence():
    rows = np.vstack([2.0 * X_LINE + 3.0, (2.0 * X_LINE + 3.0) * 1e300])
    fit = fitting.fit_line(X_LINE, rows, "mse", step0=1e300)    # a step of 1e300 suits only row 1
    assert fit.diverged_at == (1, None)
    assert np.all(np.isfinite(fit.slope)) and fit.slope[1] == pytest.approx(2e300, rel=1e-3)


# ----------------------------------------------------------------------------- one_sample_descent
@settings(max_examples=40)
@given(st.floats(2.5, 1e3), st.floats(-5.0, 5.0), st.floats(0.5, 5.0))
def test_one_sample_run_diverges_where_the_closed_form_passes_the_bound(rate, target, w0):
    run = fitting.one_sample_run(np.array([[1.0, 0.0]]), np.array([target]), np.array([w0, 0.0]), 2000, rate)
    # w_k = target + (1 - rate)^k (w0 - target) to rounding, measured in units of the larger of the
    # target and the start's prediction w0 x (a power of two); the first k beyond the bound, within two steps
    unit = max(_power_of_two_near([target]), _power_of_two_near([w0]))
    growth = math.log(rate - 1.0)
    estimate = (math.log(BOUND64 * unit) - math.log(abs(w0 - target) or 1.0)) / growth
    assert np.all(np.isfinite(run.path)) and np.abs(run.path).max() <= BOUND64 * unit
    if w0 != target:
        assert run.diverged_at is not None and abs(run.diverged_at - estimate) <= 2
        assert np.all(run.path[run.diverged_at:] == run.path[run.diverged_at - 1])
    assert np.all(np.isfinite(fitting.one_sample_descent(np.array([[1.0, 0.0]]), np.array([target]),
                                                         np.array([w0, 0.0]), 2000, rate)))


# ----------------------------------------------------------------------------- mlp.train
RNG = np.random.default_rng(0)
X_NET, Y_NET = RNG.normal(size=(60, 4)), RNG.integers(0, 3, 60)


def _net(activation: str = "relu", dtype=np.float32) -> mlp.MLP:
    return mlp.MLP([4, 8, 3], activations=activation, dtype=dtype, rng=0)


def _reference_train(net, lr, epochs, batch_size=20, seed=0):
    """Plain mini-batch SGD through the public API, stopping on the documented rule."""
    generator, opt, step, losses_seen = np.random.default_rng(seed), optim.SGD(lr), 0, []
    bound = math.sqrt(float(np.finfo(net.dtype).max))
    for _ in range(epochs):
        order = generator.permutation(len(X_NET))
        for start in range(0, len(X_NET), batch_size):
            idx = order[start:start + batch_size]
            before = [p.copy() for p in net.params()]
            try:
                with np.errstate(over="raise", invalid="raise", divide="raise"):
                    net.forward(X_NET[idx])
                    loss = net.head.loss(net.head.check_targets(Y_NET[idx], len(idx), 3))
                    net.backward(Y_NET[idx])
                    opt.step(net.params(), net.grads())
                broken = _rule(net.params(), [loss], bound)
            except FloatingPointError:
                broken = True
            if broken:
                for p, b in zip(net.params(), before):
                    p[...] = b
                return step, losses_seen
            losses_seen.append(loss)
            step += 1
    return None, losses_seen


@pytest.mark.parametrize("activation, dtype, lr", [("relu", np.float32, 1e3), ("relu", np.float32, 1e30),
                                                   ("tanh", np.float32, 1e30), ("tanh", np.float64, 1e160)])
def test_train_stops_at_the_diverged_step_and_keeps_the_weights_before_it(activation, dtype, lr):
    net, twin = _net(activation, dtype), _net(activation, dtype)
    history = mlp.train(net, X_NET, Y_NET, epochs=4, batch_size=20, optimizer=optim.SGD(lr))
    k, _ = _reference_train(twin, lr, 4)
    assert k is not None and history.diverged_at == k
    assert len(history.train_loss) == k // 3 and all(map(math.isfinite, history.train_loss))
    for p, q in zip(net.params(), twin.params()):
        assert np.array_equal(p, q) and np.all(np.isfinite(p))


def test_a_converging_training_run_is_unchanged():
    net, twin = _net("tanh"), _net("tanh")
    history = mlp.train(net, X_NET, Y_NET, epochs=4, batch_size=20, optimizer=optim.SGD(0.1))
    k, seen = _reference_train(twin, 0.1, 4)
    assert k is None and history.diverged_at is None
    assert history.train_loss == pytest.approx([np.mean(seen[i:i + 3]) for i in range(0, 12, 3)], rel=1e-12)
    assert all(np.array_equal(p, q) for p, q in zip(net.params(), twin.params()))


def test_validation_that_overflows_counts_as_divergence():
    net = _net("relu")
    history = mlp.train(net, X_NET, Y_NET, epochs=2, batch_size=20, optimizer=optim.SGD(1e30),
                        X_val=X_NET, y_val=Y_NET)
    assert history.diverged_at == 0 and history.val_loss == []


# ----------------------------------------------------------------------------- monitored_train
def test_monitored_train_reports_weights_beyond_the_bound_that_never_overflow():
    net, twin = _net("tanh"), _net("tanh")          # tanh saturates: the weights pass 1.8e19 quietly
    run = training.monitored_train(net, X_NET, Y_NET, epochs=2, batch_size=20, lr=1e30, record_every=2)
    k, _ = _reference_train(twin, 1e30, 2)
    assert run.diverged_step == k
    assert all(np.array_equal(p, q) for p, q in zip(net.params(), twin.params()))


# ----------------------------------------------------------------------------- heads
@pytest.mark.parametrize("head", ["linear", "sigmoid"])
def test_fit_regression_with_a_huge_lr_stops_at_step_0(head):
    x, y = heads.regression_data(64, rng=0)
    fit = heads.fit_regression(x, y, head, epochs=3, lr=1e30)
    assert fit.diverged_at == 0 and np.all(np.isfinite(fit.predict(x)))


@pytest.mark.parametrize("codes", [None, (0.0, 1.0, 2.0)])
def test_fit_nominal_with_a_huge_lr_stops_at_step_0(codes):
    x, labels = heads.nominal_data(20, rng=0)
    fit = heads.fit_nominal(x, labels, codes, epochs=3, lr=1e30)
    assert fit.diverged_at == 0 and np.all(np.isfinite(fit.outputs(x)))


# ---- experiments.train_once: a table row is never made from a run that stopped -----------

def test_an_experiment_whose_run_diverges_is_refused_naming_the_learning_rate():
    from nbsupport import experiments

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6)) * 1e3
    y = rng.integers(0, 10, size=40)
    cfg = {"hidden": [8], "init": "he_normal", "epochs": 2, "batch_size": 20, "lr": 1e30, "momentum": 0.0}
    with pytest.raises(ValueError, match=r"cfg\['lr'\] = 1e\+30 .* diverge at step"):
        experiments.train_once((X, y, X, y), ["relu"], cfg, seed=0)

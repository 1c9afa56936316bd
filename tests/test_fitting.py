import itertools
import math

import numpy as np
import pytest

from nbsupport import losses
from nbsupport.fitting import (LineFit, REGRESSION_LOSSES, fit_line, least_squares_line,
                               logistic_loss_and_grad, logistic_minimum, rate_sweep, settling_step,
                               train_logistic)
from nbsupport.gradcheck import numerical_grad


def logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# ------------------------------------------------------------------ logistic_loss_and_grad
@pytest.mark.parametrize("z, t", [(-4.0, 1.0), (0.3, 0.0), (2.5, 1.0), (-1.0, 0.25)])
def test_logit_gradients_match_the_textbook_formulas(z, t):
    s = logistic(z)
    _, half = logistic_loss_and_grad("half_mse", [t], [z])
    _, full = logistic_loss_and_grad("mse", [t], [z])
    _, bce = logistic_loss_and_grad("bce", [t], [z])
    assert half[0] == pytest.approx((s - t) * s * (1 - s), rel=1e-12)
    assert full[0] == pytest.approx(2 * (s - t) * s * (1 - s), rel=1e-12)
    assert bce[0] == pytest.approx(s - t, rel=1e-12)


@pytest.mark.parametrize("loss", ["mse", "half_mse", "bce"])
def test_logit_gradient_is_the_derivative_of_the_value(loss):
    t = np.array([1.0, 0.0, 1.0, 0.3])
    z = np.array([-3.0, 0.5, 2.0, -0.2])
    _, grad = logistic_loss_and_grad(loss, t, z)
    numeric = numerical_grad(lambda v: logistic_loss_and_grad(loss, t, v)[0], z)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-10)


def test_squared_error_gradient_vanishes_when_confidently_wrong_but_cross_entropy_does_not():
    _, mse_grad = logistic_loss_and_grad("half_mse", [1.0], [-8.0])
    _, bce_grad = logistic_loss_and_grad("bce", [1.0], [-8.0])
    assert abs(mse_grad[0]) < 1e-3
    assert bce_grad[0] == pytest.approx(logistic(-8.0) - 1.0)


def test_unknown_logistic_loss_is_rejected_by_name():
    with pytest.raises(ValueError, match="loss"):
        logistic_loss_and_grad("hinge", [1.0], [0.0])


# ------------------------------------------------------------------ train_logistic
def data():
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.normal(-1.0, 0.5, 20), rng.normal(1.0, 0.5, 20)])
    t = np.repeat([0.0, 1.0], 20)
    return x, t


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_each_step_is_plain_gradient_descent_on_the_recorded_loss(loss):
    x, t = data()
    h = train_logistic(x, t, loss, lr=0.3, steps=3, w0=-2.0, b0=0.5)
    assert h.loss.shape == h.w.shape == h.b.shape == h.grad_norm.shape == (4,)

    def loss_at(params):
        return logistic_loss_and_grad(loss, t, params[0] * x + params[1])[0]

    for k in range(3):
        g = numerical_grad(loss_at, [h.w[k], h.b[k]])
        assert h.loss[k] == pytest.approx(loss_at([h.w[k], h.b[k]]))
        assert h.grad_norm[k] == pytest.approx(np.hypot(*g), rel=1e-6)
        assert h.w[k + 1] == pytest.approx(h.w[k] - 0.3 * g[0], rel=1e-7)
        assert h.b[k + 1] == pytest.approx(h.b[k] - 0.3 * g[1], rel=1e-7, abs=1e-9)


def test_confidently_wrong_start_cross_entropy_recovers_while_squared_error_stalls():
    x, t = data()
    mse = train_logistic(2 * x, t, "mse", lr=1.0, steps=20, w0=-4.0)
    bce = train_logistic(2 * x, t, "bce", lr=1.0, steps=20, w0=-4.0)
    assert mse.grad_norm[0] < 0.05 * bce.grad_norm[0]
    assert mse.loss[-1] > 0.9 * mse.loss[0]     # barely moved
    assert bce.loss[-1] < 0.1 * bce.loss[0]     # recovered
    assert bce.w[-1] > 0 > mse.w[-1]           # CE has flipped the sign of w, MSE has not


def test_train_logistic_rejects_bad_arguments():
    x, t = data()
    with pytest.raises(ValueError, match="t must have shape"):
        train_logistic(x, t[:-1])
    with pytest.raises(ValueError, match="lr"):
        train_logistic(x, t, lr=0.0)
    with pytest.raises(ValueError, match="steps"):
        train_logistic(x, t, steps=0)
    with pytest.raises(ValueError, match="loss"):
        train_logistic(x, t, "l1")
    with pytest.raises(TypeError, match="w0"):
        train_logistic(x, t, w0="big")


# ------------------------------------------------------------------ lines
X = np.array([0.0, 1.0, 2.0, 3.0, 5.0, 6.0, 8.0])
Y = np.array([1.2, 1.9, 3.1, 3.9, 6.2, 6.8, 25.0])   # the last point is an outlier


def loss_of_line(loss, slope, intercept, x=X, y=Y):
    return REGRESSION_LOSSES[loss][0](y, slope * x + intercept)


def test_least_squares_line_matches_polyfit_row_by_row():
    rows = np.stack([Y, 2 * Y - 1, Y[::-1]])
    fit = least_squares_line(X, rows)
    for row, slope, intercept in zip(rows, fit.slope, fit.intercept):
        np.testing.assert_allclose([slope, intercept], np.polyfit(X, row, 1), rtol=1e-12)


@pytest.mark.parametrize("loss", ["mse", "half_mse", "sse"])
def test_squared_losses_all_reach_the_least_squares_line(loss):
    fit = fit_line(X, Y, loss)
    np.testing.assert_allclose([fit.slope, fit.intercept], np.polyfit(X, Y, 1), rtol=1e-5)


def best_line_through_two_points(loss, x=X, y=Y):
    """L1-type losses are piecewise linear: an optimal line passes through two data points."""
    best = np.inf
    for i, j in itertools.combinations(range(len(x)), 2):
        slope = (y[j] - y[i]) / (x[j] - x[i])
        best = min(best, loss_of_line(loss, slope, y[i] - slope * x[i], x, y))
    return best


@pytest.mark.parametrize("loss", ["mae", "mape"])
def test_absolute_losses_reach_the_exact_minimum(loss):
    fit = fit_line(X, Y, loss)
    best = best_line_through_two_points(loss)
    assert loss_of_line(loss, fit.slope, fit.intercept) == pytest.approx(best, rel=1e-12)


def test_mape_is_exact_where_descent_alone_stalls_on_a_kink():
    # one point dragged between 7.5 and 12: unequal 1/|y| weights make a narrow kinked valley
    x = np.arange(10.0)
    y = 1.0 + 0.5 * x + np.random.default_rng(5).normal(0.0, 0.3, 10)
    rows = np.tile(y, (10, 1))
    rows[:, 8] = np.arange(7.5, 12.5, 0.5)
    fits = fit_line(x, rows, "mape")
    for k, row in enumerate(rows):
        best = best_line_through_two_points("mape", x, row)
        assert loss_of_line("mape", fits.slope[k], fits.intercept[k], x, row) == pytest.approx(best, rel=1e-12)


@pytest.mark.parametrize("loss", ["huber", "msle"])
def test_smooth_losses_stop_where_the_gradient_vanishes(loss):
    fit = fit_line(X, Y, loss)
    g = numerical_grad(lambda p: loss_of_line(loss, p[0], p[1]), [fit.slope, fit.intercept])
    assert np.abs(g).max() < 1e-5


def test_robust_losses_ignore_the_outlier_more_than_mse():
    slopes = {loss: fit_line(X, Y, loss).slope for loss in ("mse", "huber", "mae")}
    clean = np.polyfit(X[:-1], Y[:-1], 1)[0]
    assert abs(slopes["mae"] - clean) < abs(slopes["huber"] - clean) < abs(slopes["mse"] - clean)


def test_rows_are_fitted_independently():
    rows = np.stack([Y, Y + 3.0, np.where(X > 4, Y, 0.5)])
    together = fit_line(X, rows, "huber")
    for k, row in enumerate(rows):
        alone = fit_line(X, row, "huber")
        assert together.slope[k] == pytest.approx(alone.slope, abs=1e-5)
        assert together.intercept[k] == pytest.approx(alone.intercept, abs=1e-5)


def test_warm_start_at_the_answer_stays_there():
    exact = least_squares_line(X, Y)
    fit = fit_line(X, Y, "mse", start=exact, steps=50, step0=1e-6)
    assert fit.slope == pytest.approx(exact.slope, abs=1e-6)
    assert fit.intercept == pytest.approx(exact.intercept, abs=1e-6)


def test_msle_never_leaves_its_domain_even_from_a_long_first_step():
    # an unguarded first step of length 50 from the flat median line would leave the domain
    u = (X - X.mean()) / X.std()
    start = np.full_like(X, np.median(Y))
    g = losses.msle_grad(Y, start)
    direction = np.array([g @ u, g.sum()]) / np.hypot(g @ u, g.sum())
    assert np.min(start - 50.0 * (direction[0] * u + direction[1])) <= -1
    fit = fit_line(X, Y, "msle", step0=50.0)
    assert np.all(LineFit(fit.slope, fit.intercept).predict(X) > -1)


def test_predict_gives_one_row_per_line():
    fits = LineFit(np.array([1.0, 2.0]), np.array([0.0, -1.0]))
    np.testing.assert_allclose(fits.predict([0.0, 1.0]), [[0.0, 1.0], [-1.0, 1.0]])
    assert LineFit(2.0, 1.0).predict(np.array([1.0, 3.0])).tolist() == [3.0, 7.0]


def test_fit_line_rejects_bad_arguments():
    with pytest.raises(ValueError, match="loss"):
        fit_line(X, Y, "log_cosh")
    with pytest.raises(ValueError, match="y"):
        fit_line(X, Y[:-1])
    with pytest.raises(ValueError, match="two different"):
        fit_line(np.ones(3), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="decay"):
        fit_line(X, Y, decay=1.5)
    with pytest.raises(ValueError, match="domain"):
        fit_line(X, Y, "msle", start=LineFit(0.0, -5.0))
    with pytest.raises(ValueError, match="x"):
        fit_line([[0.0, 1.0]], [[1.0, 2.0]])
    with pytest.raises(ValueError, match="y"):
        fit_line(X, np.where(X > 4, np.nan, Y))


# --------------------------------------------------------------------------- learning-rate sweep
_X_OVERLAP = np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0])
_T_OVERLAP = np.array([0.0, 0.0, 1.0, 0.0, 1.0, 1.0])


def test_settling_step_is_the_last_exit_plus_one():
    assert settling_step([1.0, 0.5, 0.001, 0.2, 0.005, 0.004], 0.0) == 4
    assert settling_step([1.0, 0.001, 0.0], 0.0, tol=0.01) == 1
    assert settling_step([1.0, 0.9, 0.8], 0.0) is None


@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_logistic_minimum_is_below_a_fine_grid(loss):
    w, b = np.meshgrid(np.linspace(-4, 4, 161), np.linspace(-4, 4, 161))
    grid = min(logistic_loss_and_grad(loss, _T_OVERLAP, wi * _X_OVERLAP + bi)[0]
               for wi, bi in zip(w.ravel(), b.ravel()))
    found = logistic_minimum(_X_OVERLAP, _T_OVERLAP, loss)
    assert found <= grid + 1e-12
    assert found > grid - 1e-2       # the grid's best is close to the true minimum


def test_rate_sweep_finds_the_rate_that_settles_first():
    sweep = rate_sweep(_X_OVERLAP, _T_OVERLAP, "bce", [0.01, 0.3, 3.0], steps=300, w0=-3.0)
    assert sweep.settled[0] is None                # too small to get there in 300 steps
    assert sweep.settled[1] > sweep.settled[2]
    assert sweep.best == 2
    assert all(h.loss.min() >= sweep.minimum - 1e-12 for h in sweep.runs)

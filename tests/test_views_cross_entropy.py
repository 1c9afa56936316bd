import numpy as np
import pytest
from scipy.special import expit

from nbsupport.fitting import train_logistic
from nbsupport.views import cross_entropy as views

RNG = np.random.default_rng(3)
X_CLS = np.concatenate([RNG.normal(-2.0, 1.0, 10), RNG.normal(2.0, 1.0, 10)])
T_CLS = np.repeat([0.0, 1.0], 10)
X_REG = np.arange(8.0)
Y_REG = 1.0 + 0.5 * X_REG + RNG.normal(0.0, 0.3, 8)
OUTLIER_GRID = np.linspace(0.5, 20.0, 6)


def race_runs(steps=30):
    return {name: train_logistic(X_CLS, T_CLS, name, lr=1.0, steps=steps, w0=-4.0) for name in ("mse", "bce")}


def artist_count(fig):
    return sum(len(ax.get_children()) for ax in fig.axes)


def pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


CASES = [
    (lambda: views.LogitGradientView(points=61), dict(z=-4.0, t=1.0), dict(z=2.0, t=0.3)),
    (lambda: views.RaceView(X_CLS, T_CLS, race_runs()), dict(step=0), dict(step=25)),
    (lambda: views.OutlierFitView(X_REG, Y_REG, 6, OUTLIER_GRID), dict(outlier_y=0.5), dict(outlier_y=20.0)),
]


@pytest.mark.parametrize("make, first, second", CASES)
def test_update_changes_the_picture_without_new_artists(make, first, second):
    view = make()
    view.update(**first)
    n_artists = artist_count(view.fig)
    before = pixels(view.fig)
    view.update(**second)
    assert artist_count(view.fig) == n_artists
    assert not np.array_equal(before, pixels(view.fig))


def test_logit_view_curves_are_the_textbook_losses_and_gradients():
    view = views.LogitGradientView(points=81)
    view.update(z=-4.0, t=0.3)
    z, s = view.z, expit(view.z)
    np.testing.assert_allclose(view.lines["bce"].get_ydata(),
                               -(0.3 * np.log(s) + 0.7 * np.log(1 - s)), rtol=1e-10)
    np.testing.assert_allclose(view.lines["half_mse"].get_ydata(), 0.5 * (s - 0.3) ** 2, rtol=1e-10)
    np.testing.assert_allclose(view.lines["bce_grad"].get_ydata(), s - 0.3, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(view.lines["half_mse_grad"].get_ydata(), (s - 0.3) * s * (1 - s),
                               rtol=1e-10, atol=1e-15)
    i = int(np.argmin(np.abs(z + 4.0)))
    assert view.dots["bce_grad"].get_xdata()[0] == z[i]
    assert view.dots["bce_grad"].get_ydata()[0] == pytest.approx(s[i] - 0.3)
    assert f"{s[i] - 0.3:+.4f}" in view.readout.get_text()


def test_logit_view_snaps_the_target_to_its_grid():
    view = views.LogitGradientView(points=21)
    view.update(z=0.0, t=0.96)
    np.testing.assert_allclose(view.lines["bce_grad"].get_ydata(), expit(view.z) - 1.0, atol=1e-15)
    assert "t = 1.0" in view.readout.get_text()


def test_race_view_draws_each_model_at_the_chosen_step():
    runs = race_runs()
    view = views.RaceView(X_CLS, T_CLS, runs)
    view.update(step=12)
    for line, dot, h in zip(view.model_lines, view.loss_dots, runs.values()):
        np.testing.assert_allclose(line.get_ydata(), expit(h.w[12] * view.x_grid + h.b[12]))
        assert dot.get_ydata()[0] == h.loss[12]
    assert view.readouts[1].get_text().startswith(f"step 12: loss {runs['bce'].loss[12]:.3f}")
    view.update(step=10_000)                # beyond the run: the last step
    assert view.loss_dots[0].get_xdata()[0] == 30
    assert view.readouts[0].get_text().startswith("step 30")


def test_race_view_rejects_runs_of_different_lengths():
    runs = {"a": race_runs(5)["mse"], "b": race_runs(6)["bce"]}
    with pytest.raises(ValueError, match="same number of steps"):
        views.RaceView(X_CLS, T_CLS, runs)


def test_outlier_view_lines_are_the_fits_for_the_nearest_grid_value():
    view = views.OutlierFitView(X_REG, Y_REG, 6, OUTLIER_GRID)
    view.update(outlier_y=16.0)             # nearest grid value: 16.1
    k = 4
    assert view.outlier.get_ydata()[0] == OUTLIER_GRID[k]
    y = Y_REG.copy()
    y[6] = OUTLIER_GRID[k]
    slope, intercept = np.polyfit(X_REG, y, 1)
    for name in ("mse", "half_mse", "sse"):
        np.testing.assert_allclose(view.lines[name].get_ydata(), slope * view.x_ends + intercept, rtol=1e-5)
    offsets = view.slope_dots.get_offsets()
    np.testing.assert_allclose(offsets[:, 0], OUTLIER_GRID[k])
    np.testing.assert_allclose(offsets[list(view.names).index("mse"), 1], slope, rtol=1e-5)
    assert f"MSE {slope:.2f}" in view.readout.get_text()


def test_outlier_view_mae_line_ignores_how_far_the_point_goes():
    view = views.OutlierFitView(X_REG, Y_REG, 6, OUTLIER_GRID)
    slopes = view.fits["mae"].slope
    assert np.ptp(slopes[2:]) < 1e-4 < np.ptp(view.fits["mse"].slope[2:])


def line_by_label(ax, label):
    return next(line for line in ax.get_lines() if line.get_label() == label)


def test_binary_ce_curves_and_the_coin_entropy_peak():
    fig = views.binary_ce_and_entropy_figure(points=99)
    ax_ce, ax_h = fig.axes
    one = line_by_label(ax_ce, "t = 1:  −ln p")
    np.testing.assert_allclose(one.get_ydata(), -np.log(one.get_xdata()), rtol=1e-12)
    nats = line_by_label(ax_h, "H(p) in nats (ln)")
    bits = line_by_label(ax_h, "H(p) in bits (log₂)")
    assert nats.get_ydata().max() == pytest.approx(np.log(2))
    assert bits.get_ydata().max() == pytest.approx(1.0)
    assert nats.get_xdata()[np.argmax(nats.get_ydata())] == pytest.approx(0.5)


def test_regression_figure_gradients():
    fig = views.regression_losses_figure(y_true=3.0, points=41)
    grads = fig.axes[3]
    huber = line_by_label(grads, "Huber (δ = 1)")
    r = huber.get_xdata()
    np.testing.assert_allclose(huber.get_ydata(), np.clip(r, -1, 1), atol=1e-12)
    np.testing.assert_allclose(line_by_label(grads, "MSE").get_ydata(), 2 * r, atol=1e-12)
    msle = line_by_label(fig.axes[5], "MSLE")
    np.testing.assert_allclose(msle.get_ydata(), 2 * (np.log1p(3 + r) - np.log(4)) / (4 + r), rtol=1e-9)


def test_pointwise_evaluates_one_sample_at_a_time():
    from nbsupport import losses
    np.testing.assert_allclose(views.pointwise(losses.sse, 1.0, [0.0, 3.0]), [1.0, 4.0])

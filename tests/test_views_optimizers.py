"""Views of notebook 10: figures draw what the numerics give, the explorable updates in place."""
import numpy as np
import pytest

from nbsupport.optim import SGD, Adam, Quadratic, descend, dip_curve, momentum_window
from nbsupport.views.optimizers import (OptimizerPathsView, batch_size_figure, dip_figure,
                                        ellipse_levels, gradient_noise_figure, loss_curves_figure,
                                        momentum_weights_figure, nesterov_picture)

SETTINGS = dict(lr=1.0, momentum=0.9, condition=50.0, start_x=-9.0, start_y=3.0)


def test_paths_view_draws_the_optimizers_paths_and_relative_losses():
    view = OptimizerPathsView(steps=60)
    view.update(**SETTINGS)
    q = Quadratic.valley(50.0, L=1.0)
    expected = descend(q.grad, [-9.0, 3.0], SGD(1.0, momentum=0.9, nesterov=True), 60)
    nesterov = view.paths[view.NAMES.index("Nesterov")]
    np.testing.assert_allclose(nesterov.get_xydata(), expected)
    adam = descend(q.grad, [-9.0, 3.0], Adam(1.0), 60)
    np.testing.assert_allclose(view.losses[3].get_ydata(), np.clip(q(adam) / q(adam[0]), *view.YLIM))
    assert view.losses[0].get_ydata()[0] == pytest.approx(1.0)


def test_contours_are_level_sets_and_change_only_with_the_condition():
    view = OptimizerPathsView(steps=20)
    view.update(**SETTINGS)
    q = Quadratic.valley(50.0, L=1.0)
    levels = ellipse_levels(q, view.extent)
    for line, level in zip(view.contour_lines, levels):
        np.testing.assert_allclose(q(line.get_xydata()), level, rtol=1e-10)
    for line in view.contour_lines + view.paths:
        line.stale = False
    view.update(**{**SETTINGS, "lr": 0.5})
    assert not any(line.stale for line in view.contour_lines)
    assert all(line.stale for line in view.paths)
    view.update(**{**SETTINGS, "condition": 5.0})
    assert all(line.stale for line in view.contour_lines)
    n_artists = [len(ax.get_children()) for ax in view.fig.axes]
    view.update(**{**SETTINGS, "condition": 120.0})
    assert [len(ax.get_children()) for ax in view.fig.axes] == n_artists


def test_a_diverging_learning_rate_is_drawn_without_warnings_or_overflow():
    view = OptimizerPathsView(steps=400)
    view.update(**{**SETTINGS, "lr": 4.0, "momentum": 0.0})       # lr far beyond 2/L = 2
    gd = view.runs["gradient descent"]
    assert np.all(np.isfinite(gd)) and np.abs(gd[-1]).max() >= 1e150
    assert view.losses[0].get_ydata()[-1] == view.YLIM[1]
    shown = view.paths[0].get_xydata()
    assert np.all(np.abs(shown) <= np.array(view.extent) * 1.05 + 1e-12)
    inside = np.all(np.abs(gd) <= np.array(view.extent) * 1.05, axis=1)
    assert len(shown) == np.argmin(inside) + 1 < len(gd)      # the path ends where it leaves


def test_momentum_zero_makes_the_three_sgd_paths_coincide_and_the_start_at_the_minimum_stays():
    view = OptimizerPathsView(steps=30)
    view.update(**{**SETTINGS, "momentum": 0.0})
    gd, mom, nes = (view.runs[n] for n in ("gradient descent", "momentum", "Nesterov"))
    np.testing.assert_array_equal(gd, mom)
    np.testing.assert_array_equal(gd, nes)
    view.update(**{**SETTINGS, "start_x": 0.0, "start_y": 0.0})
    assert all(np.all(path == 0) for path in view.runs.values())


def test_static_figures_have_labelled_axes_and_show_their_data():
    runs = {"batch": (1, [2.0, 1.5, 1.2]), "mini": (10, [2.0, 0.8, 0.5])}
    fig = batch_size_figure(runs)
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes)
    np.testing.assert_array_equal(fig.axes[1].get_lines()[1].get_xdata(), [10, 20])
    fig = gradient_noise_figure([1, 2, 4], [1.0, 0.5, 0.25], 1.0)
    np.testing.assert_allclose(fig.axes[0].get_lines()[1].get_ydata(), [1.0, 0.5, 0.25])
    fig = loss_curves_figure({"a": [1.0, 0.0]}, ylim=(1e-6, 10))
    assert fig.axes[0].get_lines()[0].get_ydata()[1] == 1e-6
    fig = momentum_weights_figure([0.5, 0.9], steps=30)
    windows = [line.get_xdata()[0] for line in fig.axes[0].get_lines() if line.get_linestyle() == "--"]
    assert windows == [momentum_window(0.5), momentum_window(0.9)]
    fig = dip_figure({"run": np.array([4.0, 3.0, 1.45])})
    end = [line for line in fig.axes[0].get_lines() if "ends at 1.45" in line.get_label()][0]
    assert end.get_ydata()[0] == pytest.approx(dip_curve(1.45))


def test_nesterov_picture_points_at_the_look_ahead():
    fig = nesterov_picture(w=(-6.0, 1.5), velocity=(1.0, -2.5), momentum=0.9)
    ahead = [line for line in fig.axes[0].get_lines() if line.get_label().startswith("look-ahead")][0]
    np.testing.assert_allclose(ahead.get_xydata()[0], [-6.0 + 0.9, 1.5 - 0.9 * 2.5])


def test_picture_spans_the_starts_the_controls_offer():
    view = OptimizerPathsView(steps=5)
    spans = {c.name: c.span for c in view.controls}
    assert view.extent == (spans["start_x"][1], spans["start_y"][1])
    assert set(spans) == set(SETTINGS)
    assert OptimizerPathsView(steps=5, extent=(3.0, 2.0)).ax_paths.get_xlim() == (-3.0, 3.0)

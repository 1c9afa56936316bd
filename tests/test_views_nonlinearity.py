import numpy as np
import pytest

from nbsupport.identities import stack_scalar_layers
from nbsupport.views.nonlinearity import (StackedSlopeView, fit_comparison_figure,
                                          warped_grid_figure)


def test_stacked_scalar_layers_are_one_line_and_tanh_layers_are_not():
    x = np.linspace(-2, 2, 9)
    assert np.allclose(stack_scalar_layers(x, 1.5, 4), 5.0625 * x)
    manual = np.tanh(1.5 * np.tanh(1.5 * x))
    assert np.allclose(stack_scalar_layers(x, 1.5, 2, np.tanh), manual)


def test_update_moves_the_artists_in_place_and_the_single_layer_matches_the_stack():
    view = StackedSlopeView()
    view.update(depth=2, slope=0.8)
    before = view.stack_line.get_ydata().copy()
    n_artists = [len(ax.get_children()) for ax in view.fig.axes]
    view.update(depth=5, slope=1.2)
    after = view.stack_line.get_ydata()
    assert not np.allclose(before, after)
    assert np.allclose(after, view.single_line.get_ydata())
    assert not np.allclose(view.tanh_line.get_ydata(), after)
    xs, ys = view.slope_marker.get_data()
    assert (xs[0], ys[0]) == (5, pytest.approx(1.2 ** 5))
    assert [len(ax.get_children()) for ax in view.fig.axes] == n_artists


def _second_differences(line):
    xy = np.column_stack(line.get_data())
    return np.abs(np.diff(xy, n=2, axis=0)).max()


def test_grid_stays_straight_under_matrices_and_bends_with_tanh():
    weights = [np.array([[1.0, 0.4], [-0.3, 0.8]]), np.array([[1.1, -0.6], [0.5, 1.2]])]
    fig = warped_grid_figure(weights)
    _, linear_ax, bent_ax = fig.axes
    solid = [ln for ln in linear_ax.get_lines() if ln.get_linestyle() == "-" and len(ln.get_xdata())]
    bent = [ln for ln in bent_ax.get_lines() if len(ln.get_xdata())]
    assert len(solid) == len(bent) == 18
    assert max(_second_differences(ln) for ln in solid) < 1e-12
    assert max(_second_differences(ln) for ln in bent) > 1e-4


def test_fit_comparison_draws_the_data_and_every_fit():
    x = np.linspace(0, 1, 5)
    fig = fit_comparison_figure(x, x ** 2, {"line": x, "curve": x ** 2})
    lines = fig.axes[0].get_lines()
    assert len(lines) == 3
    assert np.allclose(lines[2].get_ydata(), x ** 2)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["data", "line", "curve"]


def test_notebook_00_legends_stand_outside_the_data():
    grid = warped_grid_figure([np.array([[1.0, 0.4], [-0.3, 0.8]]), np.array([[0.9, -0.5], [0.6, 1.1]])])
    grid.canvas.draw()
    assert all(ax.get_legend() is None for ax in grid.axes)
    (legend,) = grid.legends
    assert legend.get_window_extent().y1 <= min(ax.get_window_extent().y0 for ax in grid.axes)
    x = np.linspace(-3, 3, 50)
    fit = fit_comparison_figure(x, np.sin(x), {"line": 0.3 * x})
    fit.canvas.draw()
    ax = fit.axes[0]
    assert ax.get_legend().get_window_extent().x0 >= ax.get_window_extent().x1

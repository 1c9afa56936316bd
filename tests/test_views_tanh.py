import mpmath
import numpy as np
import pytest

from nbsupport.identities import tanh_relative_errors, tanh_via_expm1, tanh_via_sigmoid
from nbsupport.views.tanh import TangentView, tanh_accuracy_figure, tanh_vs_sigmoid_figure


def test_both_rewritings_equal_tanh_away_from_zero_and_expm1_is_odd():
    x = np.linspace(-20, 20, 401)
    assert np.allclose(tanh_via_sigmoid(x), np.tanh(x), rtol=1e-12, atol=1e-15)
    assert np.allclose(tanh_via_expm1(x), np.tanh(x), rtol=1e-15, atol=0)
    assert np.array_equal(tanh_via_expm1(-x), -tanh_via_expm1(x))
    assert tanh_via_expm1(0.0) == 0.0 and tanh_via_expm1(1000.0) == 1.0


def test_relative_errors_against_mpmath_show_the_cancellation_near_zero():
    x = np.array([1e-10, 1e-5, 0.5, 3.0])
    errors = tanh_relative_errors(x)
    with mpmath.workdps(30):
        exact = float(mpmath.tanh(mpmath.mpf(1e-5)))
    assert errors["2 s(2x) - 1"][1] == pytest.approx(abs(tanh_via_sigmoid(1e-5) - exact) / exact, rel=1e-6)
    assert errors["2 s(2x) - 1"][0] > 1e-8
    assert np.all(errors["np.tanh"] <= 2.0 ** -52) and np.all(errors["expm1 form"] <= 2.0 ** -51)
    with pytest.raises(ValueError, match="0"):
        tanh_relative_errors(np.array([0.0, 1.0]))


def test_static_figures_have_their_curves():
    fig = tanh_vs_sigmoid_figure()
    peaks = [ln for ln in fig.axes[1].get_lines() if "peaks" in ln.get_label()][0]
    assert list(peaks.get_ydata()) == [1.0, 0.25]
    x = np.array([1e-3, 1.0])
    fig = tanh_accuracy_figure(x, tanh_relative_errors(x))
    assert len(fig.axes[0].get_lines()) == 4


def test_tangent_view_draws_the_tangent_in_place():
    view = TangentView()
    view.update(x0=0.0)
    assert np.allclose(view.tangent.get_ydata(), view.x)        # at 0 the tangent is y = x
    n_artists = [len(ax.get_children()) for ax in view.fig.axes]
    view.update(x0=1.0)
    slope = 1 - np.tanh(1.0) ** 2
    assert np.allclose(view.tangent.get_ydata(), np.tanh(1.0) + slope * (view.x - 1.0))
    assert view.slope_point.get_ydata()[0] == pytest.approx(slope)
    assert "0.4200" in view.ax_f.get_title()
    assert [len(ax.get_children()) for ax in view.fig.axes] == n_artists


def test_slope_panel_legend_sits_below_the_peak_of_one():
    fig = tanh_vs_sigmoid_figure()
    fig.canvas.draw()
    ax = fig.axes[1]
    assert ax.get_legend().get_window_extent().y1 <= ax.get_window_extent().y0

import numpy as np
import pytest
from scipy.special import logsumexp as scipy_logsumexp

from nbsupport.losses import naive_cross_entropy
from nbsupport.views import logsumexp as views

Z = np.array([3.0, 2.5, 1.0, -0.5, 0.0])
LOGITS = np.array([2.0, -1.0, 0.5])


def artist_count(fig):
    return sum(len(ax.get_children()) for ax in fig.axes)


def rendered(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("make, first, second", [
    (lambda: views.SmoothMaxView(Z), dict(temperature=1.0), dict(temperature=0.1)),
    (lambda: views.LogitScaleView(LOGITS), dict(scale=10.0), dict(scale=400.0)),
])
def test_update_changes_the_picture_without_new_artists(make, first, second):
    view = make()
    view.update(**first)
    n_artists = artist_count(view.fig)
    before = rendered(view.fig)
    view.update(**second)
    assert artist_count(view.fig) == n_artists
    assert not np.array_equal(before, rendered(view.fig))


def test_smooth_max_curves_are_t_lse_and_stay_between_the_bounds():
    view = views.SmoothMaxView(Z)
    view.update(temperature=0.5)
    expected = 0.5 * scipy_logsumexp(np.stack([view.x, np.zeros_like(view.x)], -1) / 0.5, axis=-1)
    np.testing.assert_allclose(view.smooth.get_ydata(), expected, rtol=1e-12)
    (t,), (value,) = view.marker.get_data()
    assert value == pytest.approx(0.5 * scipy_logsumexp(Z / 0.5), rel=1e-12)
    assert Z.max() <= value <= Z.max() + 0.5 * np.log(Z.size)


def test_logit_scale_view_reads_out_naive_failures_and_finite_stable_losses():
    view = views.LogitScaleView(LOGITS, labels=(0, 1))
    view.update(scale=400.0)  # exp(800) overflows; class 2's probability underflows
    right, wrong = (r.get_text() for r in view.readouts)
    assert "naive = nan" in right and "naive = inf" in wrong
    assert f"stable = {400.0 * 3 + np.log1p(np.exp(-600.0) + np.exp(-1200.0)):.4g}" in wrong
    (_, ), (marker_y, ) = view.markers[1].get_data()
    assert marker_y == pytest.approx(scipy_logsumexp(400.0 * LOGITS) - 400.0 * LOGITS[1])


def test_naive_cross_entropy_fails_exactly_where_exp_overflows_or_p_underflows():
    assert np.isnan(naive_cross_entropy(np.array([800.0, -400.0]), 0))
    assert np.isposinf(naive_cross_entropy(np.array([0.0, -800.0]), 1))
    assert naive_cross_entropy(np.array([0.0, 0.0]), 0) == pytest.approx(np.log(2))


def test_overflow_figure_shows_naive_breaking_only_outside_the_exp_range():
    fig = views.overflow_figure(np.arange(10.0))
    ax64, ax32 = fig.axes[:2]
    shifts64, naive64 = ax64.lines[1].get_data()
    bad64 = ~np.isfinite(naive64)
    assert np.all(shifts64[bad64 & (shifts64 > 0)] > np.log(np.finfo(np.float64).max) - 9)
    assert bad64[shifts64 > 710].all() and not bad64[np.abs(shifts64) < 700].any()
    shifts32, naive32 = ax32.lines[1].get_data()
    assert (~np.isfinite(naive32))[shifts32 > 80].all()
    stable = ax64.lines[0].get_ydata()
    np.testing.assert_allclose(stable, scipy_logsumexp(np.arange(10.0)), rtol=1e-12)


def test_label_out_of_range_is_rejected():
    with pytest.raises(ValueError, match="labels"):
        views.LogitScaleView(LOGITS, labels=(3,))

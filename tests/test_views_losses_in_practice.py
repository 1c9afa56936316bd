import numpy as np
import pytest

from nbsupport import heads
from nbsupport.views.losses_in_practice import NominalView, RegressionHeadsView


@pytest.fixture(scope="module")
def nominal():
    x, labels = heads.nominal_data(per_class=30, rng=0)
    fits = {"coded": heads.fit_nominal(x, labels, (1.0, 0.0, 0.5), epochs=40),
            "one-hot": heads.fit_nominal(x, labels, None, epochs=40)}
    return x, labels, fits


def test_nominal_view_switches_coding_in_place(nominal):
    x, labels, fits = nominal
    line = np.linspace(-3, 3, 61, dtype=np.float32)[:, None]
    view = NominalView(x, labels, fits, line)
    children = len(view.ax.get_children())
    assert np.allclose(view.curves[0].get_ydata(), fits["coded"].outputs(line))
    assert view.code_lines[2].get_ydata()[0] == 0.5
    view.update(coding="one-hot")
    assert np.allclose(view.curves[2].get_ydata(), fits["one-hot"].outputs(line)[:, 2])
    assert np.isnan(view.code_lines[0].get_ydata()[0])
    assert np.array_equal(view.band.get_array()[0], fits["one-hot"].predict(line))
    assert len(view.ax.get_children()) == children and view.ax.get_title() == "one-hot"
    view.update(coding="coded", x=-2.0)
    ((said, _, _),) = view.said.get_lines()
    assert view.probe.get_xdata()[0] == -2.0 and said.startswith("at x = -2.00") and said.endswith("-> red")
    assert view.ax.get_title() == "coded"


def test_moving_the_probe_leaves_the_curves_and_band_alone(nominal):
    """A probe move marks only the probe and its readout for redrawing (what a live frame draws)."""
    x, labels, fits = nominal
    view = NominalView(x, labels, fits, np.linspace(-3, 3, 61, dtype=np.float32)[:, None])
    for artist in view.ax.get_children():      # drawn: as a live figure leaves them
        artist.stale = False
    view.update(coding="coded", x=0.5)
    stale = {a for a in view.ax.get_children() if a.stale}
    assert stale == {view.probe, view.said}
    view.update(coding="one-hot", x=0.5)
    assert view.band.stale and all(line.stale for line in view.curves)
    with pytest.raises(ValueError, match="coding"):
        view.update(coding="ordinal")


def test_regression_view_draws_each_fit():
    x, y = heads.regression_data(60, rng=0)
    grid = np.linspace(-2.5, 2.5, 21, dtype=np.float32)[:, None]
    fits = {"lin": heads.fit_regression(x, y, "linear", epochs=5)}
    view = RegressionHeadsView(x, y, grid, grid[:, 0] ** 3, fits)
    assert np.allclose(view.lines["lin"].get_ydata(), fits["lin"].predict(grid))


def test_nominal_controls_offer_the_codings_and_the_span_of_the_grid(nominal):
    x, labels, fits = nominal
    line = np.linspace(-2.5, 2.0, 46, dtype=np.float32)[:, None]
    coding, probe = NominalView(x, labels, fits, line).controls
    assert (coding.options, coding.value) == (["coded", "one-hot"], "coded")
    assert probe.span == (-2.5, 2.0) and probe.min <= probe.value <= probe.max

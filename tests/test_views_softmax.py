import numpy as np
import pytest
from scipy.special import expit, softmax as scipy_softmax

from nbsupport.views import softmax as views

SCORES = np.array([2.0, 1.0, 0.5, -1.0])
NORMALISERS = {"softmax": scipy_softmax, "divide by sum": lambda z: z / np.sum(z)}


def artist_count(fig):
    return sum(len(ax.get_children()) for ax in fig.axes)


def heights(bars):
    return np.array([bar.get_height() for bar in bars])


CASES = [
    (lambda: views.TemperatureView(SCORES), dict(temperature=1.0), dict(temperature=0.1)),
    (lambda: views.NormalisationView(SCORES, NORMALISERS), dict(shift=0.0), dict(shift=2.0)),
    (lambda: views.TwoClassView(), dict(z2=0.0), dict(z2=3.0)),
    (lambda: views.JacobianView(SCORES), dict(scale=1.0), dict(scale=0.2)),
    (lambda: views.ClassVsLabelView([1.0, 0.5, -0.5]), dict(z1=0.0), dict(z1=3.0)),
]


@pytest.mark.parametrize("make, first, second", CASES)
def test_update_changes_the_picture_without_new_artists(make, first, second):
    view = make()
    view.update(**first)
    n_artists = artist_count(view.fig)
    before = view.fig.canvas.draw() or np.asarray(view.fig.canvas.buffer_rgba()).copy()
    view.update(**second)
    view.fig.canvas.draw()
    after = np.asarray(view.fig.canvas.buffer_rgba())
    assert artist_count(view.fig) == n_artists
    assert not np.array_equal(before, after)


def test_temperature_bars_are_the_softmax_of_scores_over_t_and_entropy_is_read_out():
    view = views.TemperatureView(SCORES)
    view.update(temperature=0.5)
    p = scipy_softmax(SCORES / 0.5)
    np.testing.assert_allclose(heights(view.bars), p, rtol=1e-12)
    h = -np.sum(p * np.log(p))
    assert f"H = {h:.3f}" in view.readout.get_text()
    np.testing.assert_allclose(view.marker.get_ydata(), [h], rtol=1e-12)


def test_temperature_limits_are_uniform_and_one_hot():
    view = views.TemperatureView(SCORES)
    view.update(temperature=1e4)
    np.testing.assert_allclose(heights(view.bars), 0.25, atol=1e-3)
    view.update(temperature=0.01)
    np.testing.assert_allclose(heights(view.bars), [1, 0, 0, 0], atol=1e-12)


def test_normalisation_view_reports_division_by_zero_and_clips():
    view = views.NormalisationView(np.array([1.0, -1.0, 0.5, -0.5]), NORMALISERS)
    view.update(shift=0.0)  # the raw scores sum to 0
    assert "undefined" in view.readouts[1].get_text()
    assert np.all(heights(view.bars[1]) == 0)
    view.update(shift=0.1)  # sum 0.4: z / sum reaches 2.75, beyond the y-range
    assert "clipped" in view.readouts[1].get_text()
    assert heights(view.bars[1]).max() == 1.5
    np.testing.assert_allclose(heights(view.bars[0]), scipy_softmax([1.1, -0.9, 0.6, -0.4]))


def test_two_class_curve_is_the_sigmoid_of_the_difference():
    view = views.TwoClassView()
    view.update(z2=1.5)
    np.testing.assert_allclose(view.soft_line.get_ydata(), expit(view.z1 - 1.5), rtol=1e-12)


def test_jacobian_image_is_diag_s_minus_outer_and_rows_sum_to_zero():
    view = views.JacobianView(SCORES)
    view.update(scale=2.0)
    s = scipy_softmax(2.0 * SCORES)
    image = np.asarray(view.image.get_array())
    np.testing.assert_allclose(image, np.diag(s) - np.outer(s, s), atol=1e-15)
    rows = view.cell_texts()                                   # four entries, then the row sum
    np.testing.assert_allclose([[float(v) for v in row[:4]] for row in rows], image, atol=5e-4)
    assert all(abs(float(row[4])) < 1e-15 for row in rows)


def test_jacobian_numbers_sit_in_their_cells():
    view = views.JacobianView(SCORES)
    view.update(scale=1.0)
    ax = view.image.axes
    k = len(SCORES)
    boxes = [box.transformed(ax.transData.inverted()) for box in view.cells.line_extents()]
    assert len(boxes) == k * k
    for n, box in enumerate(boxes):
        i, j = divmod(n, k)
        assert j - 0.5 < box.x0 < box.x1 < j + 0.5                          # inside column j
        assert i - 0.5 < min(box.y0, box.y1) < max(box.y0, box.y1) < i + 0.5    # inside row i
        assert (box.y0 + box.y1) / 2 == pytest.approx(i, abs=0.05)           # centred on it
        assert (box.x0 + box.x1) / 2 == pytest.approx(j, abs=0.05)
    view.fig.canvas.draw()                                 # drawn above the mesh: dark ink shows
    pixels = np.asarray(view.fig.canvas.buffer_rgba())[..., :3]
    height = view.fig.bbox.height
    for box in view.cells.line_extents():
        ink = pixels[int(height - box.y1):int(height - box.y0), int(box.x0):int(box.x1)]
        assert ink.max(axis=2).min() < 60


def test_jacobian_mesh_is_redrawn_when_the_scale_moves():
    view = views.JacobianView(SCORES)
    view.update(scale=1.0)
    view.image.stale = False
    view.update(scale=2.0)
    assert view.image.stale


def test_class_vs_label_softmax_competes_and_sigmoids_do_not():
    view = views.ClassVsLabelView([1.0, 0.5, -0.5])
    view.update(z1=0.0)
    soft0, sig0 = heights(view.panels[0][0]), heights(view.panels[1][0])
    view.update(z1=4.0)
    soft1, sig1 = heights(view.panels[0][0]), heights(view.panels[1][0])
    assert np.all(soft1[1:] < soft0[1:])
    np.testing.assert_array_equal(sig1[1:], sig0[1:])
    np.testing.assert_allclose(sig1, expit([4.0, 0.5, -0.5]))
    assert soft1.sum() == pytest.approx(1.0)


def test_scores_must_be_a_vector_of_two_or_more():
    with pytest.raises(ValueError, match="scores"):
        views.TemperatureView([1.0])

"""The contract of every view class in nbsupport.views (found, not listed; see nbsupport.widgets).

For each view: it declares its controls; every control changes pixels or is reported
inactive (and then changes none); an update adds no artists; lecture mode scales the figure.
matplotlib's warnings fail these tests: a layout that collapses (an axes that measures as
reaching the figure's edge) warns once and then leaves the panels where they were.
"""
import importlib
import inspect
import pkgutil

import numpy as np
import pytest

import nbsupport.views
from nbsupport import plotting
from nbsupport.controls import ChoiceControl, FloatControl, IntControl
from nbsupport.widgets import inactive_controls, interactive_view


def _view_classes():
    """The public classes with an ``update`` defined in nbsupport.views (private helpers skipped)."""
    found = []
    for info in pkgutil.iter_modules(nbsupport.views.__path__):
        module = importlib.import_module(f"nbsupport.views.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and not cls.__name__.startswith("_") \
                    and callable(getattr(cls, "update", None)):
                found.append(cls)
    return found


pytestmark = pytest.mark.filterwarnings("error::UserWarning")

VIEWS = _view_classes()
IDS = [cls.__name__ for cls in VIEWS]


def build(cls):
    return cls.example() if hasattr(cls, "example") else cls()


def count_artists(fig):
    return sum(1 for _ in fig.findobj())


def other_value(control):
    if isinstance(control, ChoiceControl):
        return next(o for o in control.options if o != control.value)
    return control.max if control.value != control.max else control.min


def test_views_are_found_in_every_module():
    modules = {cls.__module__.rsplit(".", 1)[1] for cls in VIEWS}
    assert {"initialization", "relu", "softmax", "sigmoid"} <= modules
    assert len(VIEWS) >= 20


@pytest.mark.parametrize("cls", VIEWS, ids=IDS)
def test_controls_are_declared_for_keywords_of_update(cls):
    view = build(cls)
    controls = view.controls
    assert isinstance(controls, tuple)
    assert all(isinstance(c, (FloatControl, IntControl, ChoiceControl)) for c in controls)
    names = [c.name for c in controls]
    assert len(set(names)) == len(names)
    params = inspect.signature(view.update).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    assert takes_any or set(names) <= set(params)


def _pixels(box):
    return np.asarray(box.live.fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("cls", VIEWS, ids=IDS)
def test_every_control_changes_pixels_or_is_reported_inactive(cls):
    view = build(cls)
    if not view.controls:
        pytest.skip(f"{cls.__name__} is filled by code (controls = ()), not by controls")
    box = interactive_view(view)
    view, artists = box.view, count_artists(box.view.fig)
    for control in view.controls:
        widget = box.controls[control.name]
        values = {name: w.value for name, w in box.controls.items()}
        inactive = control.name in inactive_controls(view, values)
        assert widget.disabled == inactive
        before = _pixels(box)
        widget.value = other_value(control)
        changed = not np.array_equal(before, _pixels(box))
        assert changed != inactive, f"{control.name}: changed pixels {changed}, reported inactive {inactive}"
        assert count_artists(view.fig) == artists, f"{control.name} added artists"
        widget.value = control.value


@pytest.mark.parametrize("cls", VIEWS, ids=IDS)
def test_lecture_mode_scales_the_figure(cls):
    try:
        plotting.notebook_mode()
        small = build(cls).fig.get_size_inches()
        plotting.lecture_mode()
        big = build(cls).fig.get_size_inches()
    finally:
        plotting.notebook_mode()
    assert big[0] > 1.2 * small[0] and big[1] > 1.2 * small[1]


NUMERIC = ["activations", "normalizers", "losses", "init", "gradcheck", "mlp", "diagnostics",
           "identities", "fitting", "experiments", "backprop", "heads", "optim", "training"]


@pytest.mark.parametrize("info", list(pkgutil.iter_modules(nbsupport.views.__path__)), ids=lambda i: i.name)
def test_view_modules_export_no_name_of_a_numeric_module(info):
    module = importlib.import_module(f"nbsupport.views.{info.name}")
    numeric = set()
    for name in NUMERIC:
        numeric |= set(getattr(importlib.import_module(f"nbsupport.{name}"), "__all__", ()))
    assert not set(module.__all__) & numeric


def _moves(control):
    """Three values that differ from the declared one (dropdowns: the other options, cycled)."""
    if isinstance(control, ChoiceControl):
        others = [o for o in control.options if o != control.value]
        return [others[k % len(others)] for k in range(3)]
    span = control.max - control.min
    return [min(control.max, control.min + span * f) for f in (0.9, 0.4, 0.7)]


#: Share of pixels a live frame may differ from a full draw by: an animated artist is drawn
#: above the spines and the legends, which a full draw draws above it (see LiveFigure).
DIFFERENT_PIXELS = 0.01


@pytest.mark.parametrize("cls", VIEWS, ids=IDS)
def test_the_live_figure_shows_what_a_full_draw_shows(cls):
    """Blits and redrawn axes must not keep stale pixels (an artist changed without being
    marked stale keeps its old picture in a live figure)."""
    view = build(cls)
    if not view.controls:
        pytest.skip(f"{cls.__name__} is filled by code (controls = ()), not by controls")
    box = interactive_view(view)
    for control in view.controls:
        for value in _moves(control):
            box.controls[control.name].value = value
    live = _pixels(box)
    for artist in box.view.fig.findobj():
        artist.set_animated(False)
    box.view.fig.canvas.draw()
    full = _pixels(box)
    different = np.any(live != full, axis=2).mean()
    assert different <= DIFFERENT_PIXELS, f"{different:.1%} of the pixels differ from a full draw"


@pytest.mark.parametrize("cls", VIEWS, ids=IDS)
def test_a_second_update_with_the_same_values_keeps_the_picture(cls):
    """interactive_view rehearses ``update`` once in idle time with the values shown: it must
    leave the picture as it was, unless the view declares ``repeatable = False``."""
    from nbsupport import widgets

    view = build(cls)
    if not view.controls:
        pytest.skip(f"{cls.__name__} is filled by code (controls = ()), not by controls")
    if not getattr(view, "repeatable", True):
        pytest.skip(f"{cls.__name__} declares that each update is new (repeatable = False)")
    values = {c.name: c.value for c in view.controls}
    view.update(**values)
    live = widgets.LiveFigure(view.fig)  # the layout is kept from here on, as in a notebook
    before = np.asarray(view.fig.canvas.buffer_rgba()).copy()
    view.update(**values)
    live.redraw()
    for artist in view.fig.findobj():
        artist.set_animated(False)
    view.fig.canvas.draw()
    assert np.array_equal(before, np.asarray(view.fig.canvas.buffer_rgba()))


@pytest.mark.parametrize("cls", VIEWS, ids=IDS)
def test_the_glyph_cache_draws_what_agg_draws(cls):
    """Every view's text, drawn from cached glyphs and layouts after its controls moved, is
    Agg's own text pixel for pixel (see nbsupport.glyphs.GlyphCacheRenderer)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    view = build(cls)
    if view.controls:
        box = interactive_view(view)
        for control in view.controls:
            for value in _moves(control):
                box.controls[control.name].value = value
    for artist in view.fig.findobj():
        artist.set_animated(False)
    view.fig.canvas.draw()
    cached = np.asarray(view.fig.canvas.buffer_rgba()).copy()
    FigureCanvasAgg(view.fig).draw()
    assert np.array_equal(cached, np.asarray(view.fig.canvas.buffer_rgba()))

import numpy as np
import pytest

from nbsupport import plotting, widgets


class LineView:
    """A minimal view: y = a * x, redrawn in place."""

    def __init__(self):
        self.fig, (self.ax,) = plotting.new_figure()
        self.x = np.linspace(-1, 1, 50)
        (self.line,) = self.ax.plot(self.x, self.x, label="a x")
        self.ax.set_ylim(-5, 5)
        self.calls = []

    def update(self, a, shift=0.0):
        self.calls.append((a, shift))
        self.line.set_ydata(a * self.x + shift)


def test_interactive_view_renders_once_and_redraws_the_same_figure_on_change():
    view = LineView()
    box = widgets.interactive_view(view, a=widgets.slider(1.0, -3, 3, 0.5, "slope a"),
                                   shift=widgets.int_slider(0, -2, 2, "shift"))
    assert view.calls == [(1.0, 0)]
    first = box.live.widget.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    n_artists = len(view.ax.get_children())
    box.controls["a"].value = 2.5
    assert view.calls[-1] == (2.5, 0)
    assert box.live.widget.value != first
    assert len(view.ax.get_children()) == n_artists
    assert box.live.fig is view.fig


def test_control_factories_keep_values_ranges_and_descriptions():
    s = widgets.slider(0.5, 0.0, 1.0, 0.1, "weight w")
    assert (s.value, s.min, s.max, s.step, s.description) == (0.5, 0.0, 1.0, 0.1, "weight w")
    d = widgets.dropdown(["relu", "tanh"], "tanh", "activation")
    assert d.value == "tanh" and d.options == ("relu", "tanh")
    t = widgets.toggle(["a", "b"], "b", "pick")
    assert t.value == "b"


def assert_matches_a_full_draw(fig, live):
    blitted = np.asarray(fig.canvas.buffer_rgba()).copy()
    for artist in live._animated:
        artist.set_animated(False)
    fig.canvas.draw()
    np.testing.assert_array_equal(blitted, np.asarray(fig.canvas.buffer_rgba()))


def test_blitted_frames_match_a_full_redraw_pixel_for_pixel():
    view = LineView()
    label = view.ax.text(0.05, 0.9, "", transform=view.ax.transAxes)
    live = widgets.LiveFigure(view.fig)
    for a in (0.5, 1.5, 2.5, -1.0):
        view.update(a)
        label.set_text(f"a = {a}")
        live.redraw()
    assert {type(x).__name__ for x in live._animated} == {"Line2D", "Text"}  # the blit path is in use
    assert_matches_a_full_draw(view.fig, live)


def test_a_change_of_axis_limits_draws_that_axes_again():
    view = LineView()
    live = widgets.LiveFigure(view.fig)
    view.update(1.0)
    live.redraw()
    draws = live.full_draws, live.axes_draws
    view.ax.set_ylim(-10, 10)
    view.update(4.0)
    live.redraw()
    assert (live.full_draws, live.axes_draws) == (draws[0], draws[1] + 1)
    assert_matches_a_full_draw(view.fig, live)


def test_only_the_axes_whose_limits_changed_is_drawn_and_the_legend_is_kept():
    view = TwoPanelView.__new__(TwoPanelView)  # constrained layout, legend below the panels
    view.fig, (view.left, view.right) = plotting.new_figure(2)
    view.x = np.linspace(0, 1, 20)
    (view.a,) = view.left.plot(view.x, view.x, label="a")
    (view.b,) = view.right.plot(view.x, view.x, label="b")
    view.fig.legend(loc="outside lower center", ncols=2)
    live = widgets.LiveFigure(view.fig)
    drawn = []
    draw_artist = view.fig.draw_artist
    view.fig.draw_artist = lambda artist: (drawn.append(artist), draw_artist(artist))
    for top in (4, 8, 1.5):
        view.a.set_ydata(top * (0.1 + 0.8 * view.x))  # clear of the spines: an animated
        view.left.set_ylim(0, top)                    # line is drawn above them
        live.redraw()
    assert live.axes_draws == 3 and view.right not in drawn and live._slots
    assert_matches_a_full_draw(view.fig, live)


def test_a_savefig_behind_its_back_is_followed_by_a_full_redraw():
    import io

    view = TwoPanelView()
    live = widgets.LiveFigure(view.fig)
    view.fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")  # another canvas size
    view.a.set_ydata(2 * view.x)
    live.redraw()
    assert_matches_a_full_draw(view.fig, live)


def test_twin_axes_are_drawn_together():
    view = TwoPanelView()
    twin = view.left.twinx()
    (c,) = twin.plot(view.x, 1 - view.x, color="C2")
    live = widgets.LiveFigure(view.fig)
    for top in (2, 5):
        twin.set_ylim(0, top)
        c.set_ydata(top * (0.1 + 0.8 * view.x))
        live.redraw()
    assert_matches_a_full_draw(view.fig, live)


def test_a_changed_figure_artist_forces_a_full_redraw():
    view = TwoPanelView()
    title = view.fig.suptitle("first")
    live = widgets.LiveFigure(view.fig)
    draws = live.full_draws
    title.set_text("second")
    view.left.set_ylim(-5, 5)
    live.redraw()
    assert live.full_draws == draws + 1
    assert_matches_a_full_draw(view.fig, live)


@pytest.mark.parametrize("deflate", ["isal", "zlib"])
def test_encode_png_round_trips_exactly(deflate, monkeypatch):
    from PIL import Image  # matplotlib's own dependency
    import io
    import zlib

    if deflate == "zlib":
        monkeypatch.setattr(widgets, "_deflate", zlib)  # without isal installed
    else:
        from isal import isal_zlib
        assert widgets._deflate is isal_zlib
    for seed in (0, 1):
        rgba = np.random.default_rng(seed).integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
        decoded = np.asarray(Image.open(io.BytesIO(widgets.encode_png(rgba))))
        np.testing.assert_array_equal(decoded, rgba)
    view = LineView()                                    # a real figure, and a strided view of it
    view.fig.canvas.draw()
    rgba = np.asarray(view.fig.canvas.buffer_rgba())[::2, ::3]
    decoded = np.asarray(Image.open(io.BytesIO(widgets.encode_png(rgba))))
    np.testing.assert_array_equal(decoded, rgba)


class SwitchView(LineView):
    """LineView whose shift counts only in the "shifted" mode."""

    def update(self, a, shift=0.0, mode="plain"):
        super().update(a, shift if mode == "shifted" else 0.0)

    def inactive_controls(self, mode="plain", **_others):
        return set() if mode == "shifted" else {"shift"}


def test_controls_the_view_reports_inactive_are_disabled_until_they_matter():
    view = SwitchView()
    box = widgets.interactive_view(view, a=widgets.slider(1.0, -3, 3, 0.5, "slope a"),
                                   shift=widgets.int_slider(0, -2, 2, "shift"),
                                   mode=widgets.dropdown(["plain", "shifted"], "plain", "mode"))
    assert box.controls["shift"].disabled and not box.controls["a"].disabled
    box.controls["mode"].value = "shifted"
    assert not box.controls["shift"].disabled
    box.controls["mode"].value = "plain"
    assert box.controls["shift"].disabled


def test_views_without_the_method_keep_every_control_enabled():
    assert widgets.inactive_controls(LineView(), {"a": 1.0, "shift": 0}) == set()


class TwoPanelView:
    """Two axes, a line and a title in each."""

    def __init__(self):
        self.fig, (self.left, self.right) = plotting.new_figure(2)
        self.x = np.linspace(0, 1, 20)
        (self.a,) = self.left.plot(self.x, self.x)
        (self.b,) = self.right.plot(self.x, self.x)
        for ax in (self.left, self.right):
            ax.set_ylim(-3, 3)
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")  # as InitHistogramView: each constrained-layout run
                                            # may move the axes by a fraction of a pixel


def test_hiding_an_axes_forces_a_full_redraw():
    view = TwoPanelView()
    live = widgets.LiveFigure(view.fig)
    view.a.set_ydata(2 * view.x)
    live.redraw()
    view.a.set_ydata(3 * view.x)
    live.redraw()
    draws = live.full_draws                 # a is animated now: its changes are blitted
    view.right.set_visible(False)
    view.a.set_ydata(-view.x)
    live.redraw()
    assert live.full_draws == draws + 1
    assert_matches_a_full_draw(view.fig, live)


def drag_line(live, line, x, sign=1):
    """Three frames of a control that moves ``line`` (a slider being dragged)."""
    for k in range(3):
        line.set_ydata(sign * k * x)
        live.redraw()


def test_restart_keeps_only_what_changed_this_time_animated():
    view = TwoPanelView()
    live = widgets.LiveFigure(view.fig)
    drag_line(live, view.a, view.x)             # dragging the first control moves a
    view.b.set_ydata(-view.x)                   # the user turns to another control
    live.redraw(restart=True)
    assert live._animated == [view.b] and not view.a.get_animated()
    draws = live.full_draws
    drag_line(live, view.b, view.x)
    assert live.full_draws == draws             # blitted: only b is drawn per frame
    assert_matches_a_full_draw(view.fig, live)


def test_relax_puts_back_only_what_stopped_changing_and_keeps_the_picture():
    view = TwoPanelView()
    live = widgets.LiveFigure(view.fig)
    drag_line(live, view.a, view.x)             # dragging the first control moves a
    live.new_focus()                            # the user turns to another control
    drag_line(live, view.b, view.x, sign=-1)
    assert set(live._animated) == {view.a, view.b}   # no full draw on the way
    shown = live._pixels().copy()
    draws = live.full_draws
    assert live.relax()
    assert live._animated == [view.b] and not view.a.get_animated()
    assert live.full_draws == draws + 1
    np.testing.assert_array_equal(live._pixels(), shown)
    assert not live.relax()                     # nothing more to put back
    view.b.set_ydata(view.x)
    live.redraw()
    assert live.full_draws == draws + 1         # blitted: only b is drawn per frame
    assert_matches_a_full_draw(view.fig, live)


class TwoControlView(TwoPanelView):
    controls = (widgets.FloatControl("a", 1.0, -3.0, 3.0, 0.5, "a"),
                widgets.FloatControl("b", 1.0, -3.0, 3.0, 0.5, "b"))

    def update(self, a, b):
        for line, slope in ((self.a, a), (self.b, b)):  # only what changed: set_ydata marks stale
            if not np.array_equal(line.get_ydata(), slope * self.x):
                line.set_ydata(slope * self.x)


def test_no_move_waits_for_a_full_draw(monkeypatch):
    """The first move is rehearsed while the kernel is idle, and turning to another control
    is tidied up after the moves, in idle time: every move is blitted."""
    import asyncio

    monkeypatch.setattr(widgets, "RELAX_SECONDS", 0.05)

    def browser_move(control, value):
        with control._lock_property(value=value):   # what ipywidgets does for a browser change
            control.value = value

    async def session():
        box = widgets.interactive_view(TwoControlView())
        live, a, b = box.live, box.controls["a"], box.controls["b"]
        await asyncio.sleep(0.2)
        counts = [(box.stats["rehearsed"], live.full_draws)]
        for control in (a, a, b, b, a):
            browser_move(control, control.value + 0.5)
            await asyncio.sleep(0.02)
        counts.append((box.stats["relaxed"], live.full_draws))
        await asyncio.sleep(0.2)
        counts.append((box.stats["relaxed"], live.full_draws))
        return box, counts

    box, counts = asyncio.run(session())
    (rehearsed, draws), during, after = counts
    assert rehearsed == 1 and draws == 1           # the first frame only
    assert during == (0, 1)                        # five moves, two switches: all blitted
    assert after == (1, 2)                         # then one full draw, in idle time
    assert box.live._animated == [box.view.a]      # b stopped changing
    assert_matches_a_full_draw(box.view.fig, box.live)


def test_lecture_mode_adds_a_style_sheet_that_enlarges_the_controls():
    try:
        plotting.lecture_mode()
        lecture = widgets.interactive_view(LineView(), a=widgets.slider(1.0, -3, 3, 0.5, "slope a"))
    finally:
        plotting.notebook_mode()
    notebook = widgets.interactive_view(LineView(), a=widgets.slider(1.0, -3, 3, 0.5, "slope a"))
    assert "font-size: 20px" in lecture.children[0].value
    assert lecture.children[1:] == (lecture.controls["a"], lecture.live.widget)
    assert notebook.children == (notebook.controls["a"], notebook.live.widget)


class DeclaredView(LineView):
    controls = (widgets.FloatControl("a", 1.0, -3.0, 3.0, 0.5, "slope a", live=False),
                widgets.IntControl("shift", 0, -2, 2, "shift"),
                widgets.ChoiceControl("unused", "x", ("x", "y"), "unused"))

    def update(self, a, shift=0.0, unused="x"):
        super().update(a, shift)


def test_interactive_view_builds_the_declared_controls_and_takes_overrides():
    box = widgets.interactive_view(DeclaredView())
    a, shift, unused = (box.controls[n] for n in ("a", "shift", "unused"))
    assert (a.value, a.min, a.max, a.step, a.description) == (1.0, -3.0, 3.0, 0.5, "slope a")
    assert a.continuous_update is False and shift.continuous_update is True
    assert isinstance(unused, type(widgets.dropdown(["x"], "x", ""))) and unused.options == ("x", "y")
    box = widgets.interactive_view(DeclaredView(), a=widgets.slider(2.0, 0.0, 9.0, 1.0, "other"))
    assert box.controls["a"].max == 9.0 and box.view.calls[0] == (2.0, 0)
    assert list(box.controls) == ["a", "shift", "unused"]


def test_a_view_without_controls_needs_explicit_ones():
    with pytest.raises(ValueError, match="controls"):
        widgets.interactive_view(LineView())


@pytest.mark.parametrize("bad", [dict(value=5.0), dict(min=3.0), dict(step=0.0)])
def test_declarations_refuse_inconsistent_ranges(bad):
    args = dict(name="a", value=1.0, min=0.0, max=2.0, step=0.1, label="a") | bad
    with pytest.raises(ValueError, match="control 'a'"):
        widgets.FloatControl(**args)


def test_moves_from_the_browser_that_queue_up_are_drawn_once_at_the_newest_value():
    import asyncio

    async def drag():
        box = widgets.interactive_view(DeclaredView())
        a = box.controls["a"]
        for value in (1.5, 2.0, 2.5, 3.0):       # four messages handled back to back
            with a._lock_property(value=value):  # what ipywidgets does for a browser change
                a.value = value
        frames_before = box.stats["frames"]
        await asyncio.sleep(5 * widgets.COALESCE_SECONDS + 0.05)
        return box, frames_before

    box, frames_before = asyncio.run(drag())
    assert frames_before == 1                      # only the first draw, at build time
    assert (box.stats["changes"], box.stats["frames"]) == (4, 2)
    assert box.view.calls[-1] == (3.0, 0)          # the newest value, drawn once


def test_a_single_move_is_drawn_at_once_and_a_drag_after_its_handler():
    import asyncio
    import time

    async def moves():
        box = widgets.interactive_view(DeclaredView())
        a = box.controls["a"]
        time.sleep(widgets.DRAG_SECONDS)          # the kernel has been idle: a single move
        with a._lock_property(value=1.5):         # what ipywidgets does for a browser change
            a.value = 1.5
        single = box.stats["frames"]              # drawn in the handler
        time.sleep(2 * widgets.IDLE_SECONDS)      # the next move of a drag, after a pause
        with a._lock_property(value=2.0):
            a.value = 2.0
        in_handler = box.stats["frames"]
        await asyncio.sleep(0)                    # one turn of the event loop, no waiting
        after_one_turn = box.stats["frames"]
        for value in (2.5, 3.0):                  # right after a frame: these queue up
            with a._lock_property(value=value):
                a.value = value
        await asyncio.sleep(5 * widgets.COALESCE_SECONDS + 0.05)
        return box, (single, in_handler, after_one_turn)

    box, frames = asyncio.run(moves())
    assert frames == (2, 2, 3) and box.view.calls[1:3] == [(1.5, 0), (2.0, 0)]
    assert box.stats["frames"] == 4 and box.view.calls[-1] == (3.0, 0)


def test_changes_made_in_code_are_drawn_at_once():
    box = widgets.interactive_view(DeclaredView())
    box.controls["a"].value = 2.0
    box.controls["a"].value = 2.5
    assert (box.stats["changes"], box.stats["frames"]) == (2, 3)


def test_a_view_that_is_not_repeatable_is_not_rehearsed(monkeypatch):
    import asyncio

    monkeypatch.setattr(widgets, "RELAX_SECONDS", 0.05)

    class NewRunEachTime(DeclaredView):
        repeatable = False

    async def idle_after_showing():
        box = widgets.interactive_view(NewRunEachTime())
        await asyncio.sleep(0.2)
        return box

    box = asyncio.run(idle_after_showing())
    assert box.stats["rehearsed"] == 1 and box.view.calls == [(1.0, 0)]  # shown once, not updated again

import numpy as np

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

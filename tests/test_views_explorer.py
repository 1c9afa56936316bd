"""The activation explorer draws the chosen registry entry with the parameters it has."""
import numpy as np
import pytest

from nbsupport.activations import ACTIVATIONS
from nbsupport.views.explorer import ExplorerView, curves_figure, param_defaults

NAMES = sorted(ACTIVATIONS)


@pytest.fixture(scope="module")
def view():
    return ExplorerView()


def all_controls(alpha=0.3):
    """What interactive_view passes: a value for every parameter any activation has."""
    values = {}
    for spec in ACTIVATIONS.values():
        values.update(param_defaults(spec))
    return {p: alpha for p in values}


@pytest.mark.parametrize("name", NAMES)
def test_update_draws_f_and_its_derivative_with_only_the_parameters_the_activation_has(view, name):
    spec = ACTIVATIONS[name]
    controls = all_controls()
    view.update(name=name, **controls)
    kwargs = {p: controls[p] for p in param_defaults(spec)}
    np.testing.assert_array_equal(view.f_line.get_ydata(), spec.fn(view.x, **kwargs))
    np.testing.assert_array_equal(view.grad_line.get_ydata(), spec.grad(view.x, **kwargs))
    assert view.grad_at_zero.get_ydata()[0] == spec.grad(0.0, **kwargs)
    view.fig.canvas.draw()  # the formula text must be drawable by mathtext


def test_parameters_change_the_curve_and_extra_controls_are_ignored(view):
    view.update(name="leaky_relu", alpha=0.3, unrelated=5.0)
    assert view.f_line.get_ydata()[0] == pytest.approx(0.3 * view.x[0])
    view.update(name="relu", alpha=0.3)
    assert view.f_line.get_ydata()[0] == 0.0
    assert "0.30" not in view.ax_f.get_title()


def test_a_view_built_for_one_activation_needs_only_its_parameters():
    leaky = ExplorerView(name="leaky_relu")
    leaky.update(alpha=0.2)
    assert leaky.f_line.get_ydata()[0] == pytest.approx(0.2 * leaky.x[0])
    assert leaky.grad_at_zero.get_ydata()[0] == pytest.approx(0.2)


def test_update_creates_no_artists(view):
    view.update(name="relu", **all_controls())
    counts = [len(ax.get_children()) for ax in view.fig.axes]
    for name in NAMES:
        view.update(name=name, **all_controls(0.7))
    assert [len(ax.get_children()) for ax in view.fig.axes] == counts


def test_unknown_name_is_a_value_error_naming_the_argument(view):
    with pytest.raises(ValueError, match="name must be one of"):
        view.update(name="swish2")


def test_curves_figure_has_f_and_grad_for_each_name():
    fig = curves_figure(["relu", "softplus", "gelu"])
    ax_f, ax_grad = fig.axes
    assert len(ax_f.get_lines()) == len(ax_grad.get_lines()) == 3
    x = ax_f.get_lines()[1].get_xdata()
    np.testing.assert_allclose(ax_grad.get_lines()[1].get_ydata(), 1 / (1 + np.exp(-x)), rtol=1e-12)


def test_explorer_behind_a_dropdown_and_every_slider_redraws_for_each_activation():
    from nbsupport.widgets import dropdown, interactive_view, slider

    view = ExplorerView()
    box = interactive_view(view, name=dropdown(NAMES, "relu", "activation"),
                           alpha=slider(0.25, 0.0, 3.0, 0.05, "alpha"),
                           lower=slider(0.125, 0.0, 0.3, 0.01, "lower"),
                           upper=slider(0.4, 0.3, 1.0, 0.01, "upper"))
    counts = [len(ax.get_children()) for ax in view.fig.axes]
    for name in NAMES:
        before = box.live.widget.value
        box.controls["name"].value = name
        assert view.ax_f.get_title().startswith(ACTIVATIONS[name].name)
        if name != "relu":
            assert box.live.widget.value != before
    box.controls["name"].value = "rrelu"
    box.controls["lower"].value = 0.2
    assert view.f_line.get_ydata()[0] == pytest.approx((0.2 + 0.4) / 2 * view.x[0])
    assert [len(ax.get_children()) for ax in view.fig.axes] == counts


def test_parameter_controls_the_activation_does_not_take_are_inactive(view):
    controls = {"alpha": 0.3, "lower": 0.1, "upper": 0.4}
    assert view.inactive_controls(name="relu", **controls) == {"alpha", "lower", "upper"}
    assert view.inactive_controls(name="leaky_relu", **controls) == {"lower", "upper"}
    assert view.inactive_controls(name="rrelu", **controls) == {"alpha"}



def _parses_when_drawing(view, name):
    """How many mathtext parses showing ``name`` and drawing its formula trigger."""
    from matplotlib.mathtext import MathTextParser
    before = MathTextParser._parse_cached.cache_info().misses
    view.update(name=name)
    view.formula_box.draw(view.fig.canvas.get_renderer())
    return MathTextParser._parse_cached.cache_info().misses - before


def test_every_formula_is_drawn_before_the_dropdown_shows_it():
    view = ExplorerView()
    assert _parses_when_drawing(view, "gelu") == 0


def test_no_formula_is_parsed_again_after_a_static_display():
    import io
    view = ExplorerView()
    view.update(name="relu")
    view.fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")  # a new renderer, as inline makes
    assert _parses_when_drawing(view, "silu") == 0


def test_the_formula_shown_is_the_chosen_one_and_an_undrawable_one_is_left_out():
    from nbsupport.activations import ActivationSpec
    registry = dict(ACTIVATIONS)
    registry["odd"] = ActivationSpec("Odd", ACTIVATIONS["relu"].fn, ACTIVATIONS["relu"].grad,
                                     r"\notacommand{x}")
    view = ExplorerView(registry)
    view.update(name="odd")
    assert view.formula.get_data().shape == (1, 1, 4) and not view.formula.get_data().any()
    view.update(name="sigmoid")
    sigmoid = view.formula.get_data()
    view.update(name="selu")
    selu = view.formula.get_data()
    assert sigmoid[..., 3].any() and selu[..., 3].any()
    assert selu.shape[1] > 2 * sigmoid.shape[1]   # SELU's two-case formula is the wider one

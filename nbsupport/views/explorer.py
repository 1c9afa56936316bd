"""The activation explorer: any activation of the registry, its derivative, its parameters.

:class:`ExplorerView` draws f on the left and f' on the right for one entry of
``nbsupport.activations.ACTIVATIONS`` at a time, with ReLU dashed behind both as a
reference.  ``update(name=..., alpha=..., ...)`` receives the value of every control
(``interactive_view`` passes them all) and uses only the parameters the chosen
activation has, so one set of sliders serves the whole registry.

:func:`curves_figure` is its static companion: several activations side by side.

Example (in a notebook)::

    view = ExplorerView()
    view.update(name="elu", alpha=1.0)
    view.fig
"""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping, Sequence

import numpy as np
from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.offsetbox import AnnotationBbox, OffsetImage

from ..activations import ACTIVATIONS
from ..controls import ChoiceControl, FloatControl
from ..glyphs import GlyphCanvas
from ..plotting import COLORS, PALETTE, label_axes, new_figure

__all__ = ["ExplorerView", "curves_figure", "param_defaults", "param_controls"]

X_RANGE = (-4.0, 4.0)
F_LIMITS = (-2.0, 4.0)
GRAD_LIMITS = (-0.3, 2.0)
_SYMBOLS = {"alpha": "α", "lower": "l", "upper": "u"}  # parameter names as the formulas write them
_REFERENCE = dict(color=PALETTE["black"], alpha=0.35, linestyle="--", linewidth=1.5)


def param_defaults(spec) -> dict[str, float]:
    """The default value of each parameter of a registry entry (from its ``params``)."""
    params = spec.params
    if isinstance(params, Mapping):
        return {name: float(value) for name, value in params.items()}
    return {name: float(spec.param_ranges[name][-1]) for name in params}


def param_controls(registry: Mapping, names: Sequence[str],
                   start: Mapping[str, float] | None = None) -> tuple[FloatControl, ...]:
    """One slider per parameter of the activations ``names``, from their ``param_ranges``.

    A parameter shared by several activations (``alpha``) spans the union of their
    ranges with the finest step; it starts at ``start[name]`` or at the default of the
    first activation that has it.
    """
    ranges: dict[str, list] = {}
    for key in names:
        spec = registry[key]
        defaults = param_defaults(spec)
        for param, (lo, hi, step) in spec.param_ranges.items():
            if param not in ranges:
                ranges[param] = [lo, hi, step, defaults[param], [spec.name]]
            else:
                known = ranges[param]
                known[:3] = min(known[0], lo), max(known[1], hi), min(known[2], step)
                known[4].append(spec.name)
    start = start or {}
    return tuple(FloatControl(param, float(start.get(param, value)), lo, hi, step,
                              param if len(users) > 1 else f"{users[0]} {param}")
                 for param, (lo, hi, step, value, users) in ranges.items())


@lru_cache(maxsize=64)
def _formula_image(latex: str, fontsize: float, dpi: float, family: tuple[str, ...],
                  fontset: str) -> np.ndarray | None:
    """``$latex$`` drawn by mathtext on a transparent background, cropped to its ink.

    An (height, width, 4) uint8 RGBA array, or None when mathtext cannot draw the
    formula.  Drawn once per formula and style (cached), so showing a formula again
    costs a paste, never a parse: a parse (5-10 ms) lands in the cache of the renderer
    that made it, and a figure's canvas makes a new renderer whenever it is printed at
    another size (as the inline backend's tight bounding box does).

    >>> _formula_image("e^{x}", 12.0, 100.0, ("sans-serif",), "dejavusans").shape[2]
    4
    """
    fig = Figure(dpi=dpi)
    GlyphCanvas(fig)
    fig.patch.set_alpha(0.0)
    text = fig.text(0.0, 0.0, f"${latex.strip('$')}$", fontproperties=FontProperties(
        family=list(family), size=fontsize, math_fontfamily=fontset))
    try:
        box = text.get_window_extent(fig.canvas.get_renderer())
    except ValueError:
        return None
    margin = 4.0  # pixels around the ink, so antialiased edges are not cut
    fig.set_size_inches((box.width + 2 * margin) / dpi, (box.height + 2 * margin) / dpi)
    text.set_position((margin / fig.bbox.width, margin / fig.bbox.height))
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    rows, cols = np.nonzero(rgba[..., 3])
    if rows.size == 0:
        return None
    image = rgba[rows.min():rows.max() + 1, cols.min():cols.max() + 1].copy()
    image.flags.writeable = False
    return image


class ExplorerView:
    """f and f' of one registry activation at a time, on fixed axes.

    Parameters
    ----------
    registry : mapping name -> ActivationSpec, optional
        Defaults to ``nbsupport.activations.ACTIVATIONS``.
    x : array_like, optional
        The grid, by default 801 points on [-4, 4] (computed once).
    name : str, optional
        The activation ``update`` shows when it is given no ``name``.
    choose : bool
        True: the controls offer every activation of the registry (a dropdown) and the
        parameters of all of them; False: only the parameters of ``name`` (Leaky ReLU's
        alpha, say).  The sliders take their ranges from the registry's ``param_ranges``.
    start : mapping, optional
        Where a parameter slider starts (default: the activation's default value).
    """

    def __init__(self, registry: Mapping | None = None, x: np.ndarray | None = None,
                 name: str = "relu", choose: bool = True,
                 start: Mapping[str, float] | None = None) -> None:
        self.registry = ACTIVATIONS if registry is None else registry
        self.name = name
        shown = list(self.registry) if choose else [name]
        choice = (ChoiceControl("name", name, tuple(self.registry), "activation"),) if choose else ()
        self.controls = choice + param_controls(self.registry, shown, start)
        self.x = np.linspace(*X_RANGE, 801) if x is None else np.asarray(x, dtype=float)
        self.fig, (self.ax_f, self.ax_grad) = new_figure(2)
        relu = self.registry.get("relu")
        nan = np.full_like(self.x, np.nan)
        if relu is not None:
            self.ax_f.plot(self.x, relu.fn(self.x), label="ReLU", **_REFERENCE)
            self.ax_grad.plot(self.x, relu.grad(self.x), label="ReLU'", **_REFERENCE)
        (self.f_line,) = self.ax_f.plot(self.x, nan, color=COLORS[0], label="f(x)")
        (self.grad_line,) = self.ax_grad.plot(self.x, nan, color=COLORS[1], label="f'(x)")
        (self.grad_at_zero,) = self.ax_grad.plot([0.0], [np.nan], "o", color=COLORS[3],
                                                 markersize=8, label="f'(0) used")
        self._no_formula = np.zeros((1, 1, 4), np.uint8)
        self.formula = OffsetImage(self._no_formula, dpi_cor=False)  # one image pixel a canvas pixel
        self.formula_box = AnnotationBbox(self.formula, (0.03, 0.95), xycoords="axes fraction",
                                          box_alignment=(0.0, 1.0), frameon=False, pad=0.0)
        self.ax_f.add_artist(self.formula_box)
        self.ax_f.set(xlim=X_RANGE, ylim=F_LIMITS)
        self.ax_grad.set(xlim=X_RANGE, ylim=GRAD_LIMITS)
        label_axes(self.ax_f, "x", "f(x)", title=" ")
        label_axes(self.ax_grad, "x", "f'(x)", title=" ")
        self.ax_f.legend(frameon=False, loc="lower right")
        self.ax_grad.legend(frameon=False, loc="upper left")
        self._formulas = {key: self._formula_of(key) for key in shown}  # drawn now, not on a move

    def _formula_of(self, name: str) -> np.ndarray | None:
        """The image of activation ``name``'s formula in this figure's style (None: not drawable)."""
        font = FontProperties()
        return _formula_image(self.registry[name].latex, font.get_size_in_points(), self.fig.dpi,
                             tuple(font.get_family()), rcParams["mathtext.fontset"])

    def params_of(self, name: str, values: Mapping[str, float]) -> dict[str, float]:
        """The subset of ``values`` that activation ``name`` takes (missing ones at their default)."""
        spec = self.registry[name]
        return {p: float(values.get(p, default)) for p, default in param_defaults(spec).items()}

    def inactive_controls(self, *, name: str | None = None, **params: float) -> set[str]:
        """The parameter controls that activation ``name`` does not take (greyed out)."""
        name = self.name if name is None else name
        return set(params) - set(param_defaults(self.registry[name]))

    def update(self, *, name: str | None = None, **params: float) -> None:
        """Show activation ``name`` (default: the one given at construction).

        Parameters the activation does not have are ignored; missing ones take their default.
        """
        name = self.name if name is None else name
        if name not in self.registry:
            raise ValueError(f"name must be one of {sorted(self.registry)}, got {name!r}")
        spec = self.registry[name]
        kwargs = self.params_of(name, params)
        self.f_line.set_ydata(spec.fn(self.x, **kwargs))
        self.grad_line.set_ydata(spec.grad(self.x, **kwargs))
        self.grad_at_zero.set_ydata([float(spec.grad(0.0, **kwargs))])
        shown = ", ".join(f"{_SYMBOLS.get(p, p)} = {v:.2f}" for p, v in kwargs.items())
        self.ax_f.set_title(spec.name + (f" ({shown})" if shown else ""))
        self.ax_grad.set_title(f"derivative: f'(0) = {float(spec.grad(0.0, **kwargs)):.3g}")
        if name not in self._formulas:  # not among the choices of the controls
            self._formulas[name] = self._formula_of(name)
        image = self._formulas[name]
        image = self._no_formula if image is None else image
        if self.formula.get_data() is not image:
            self.formula.set_data(image)
            self.formula_box.stale = True  # the image's own flag does not reach the axes


def curves_figure(names: Sequence[str], registry: Mapping | None = None,
                  x_range: tuple[float, float] = X_RANGE,
                  params: Mapping[str, Mapping[str, float]] | None = None) -> Figure:
    """A static figure: f (left) and f' (right) of several registry activations.

    Parameters
    ----------
    names : sequence of str
        Registry names, drawn in palette order.
    params : mapping name -> {parameter: value}, optional
        Parameter values for some of them (defaults otherwise).

    Examples
    --------
    >>> fig = curves_figure(["relu", "softplus"])  # doctest: +SKIP
    """
    registry = ACTIVATIONS if registry is None else registry
    params = params or {}
    x = np.linspace(*x_range, 801)
    fig, (ax_f, ax_grad) = new_figure(2)
    for i, name in enumerate(names):
        spec = registry[name]
        kwargs = {**param_defaults(spec), **params.get(name, {})}
        ax_f.plot(x, spec.fn(x, **kwargs), color=COLORS[i % len(COLORS)], label=spec.name)
        ax_grad.plot(x, spec.grad(x, **kwargs), color=COLORS[i % len(COLORS)], label=spec.name)
    ax_f.set_xlim(*x_range)
    ax_grad.set_xlim(*x_range)
    label_axes(ax_f, "x", "f(x)", title="activation")
    label_axes(ax_grad, "x", "f'(x)", title="derivative")
    return fig

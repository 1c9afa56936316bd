"""Figure views for the cross-entropy notebook (05).

* :class:`LogitGradientView` - squared error and cross-entropy of a sigmoid output,
  and their gradients with respect to the logit z, with the current (z, t) marked.
* :class:`RaceView` - the same logistic model trained from a confidently wrong start
  with MSE and with cross-entropy: the two models and the two loss curves at step k.
* :func:`binary_ce_and_entropy_figure` - binary CE against p for t = 0 and 1, and the
  entropy of a coin in nats and in bits.
* :func:`regression_losses_figure` - the regression losses and their gradients.
* :class:`OutlierFitView` - one point dragged away from a line, and the line each
  regression loss fits (fits precomputed on the slider's grid).

Every curve is computed by nbsupport; each view builds its artists once and only
changes their data in ``update``.
"""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .. import losses
from ..activations import sigmoid
from ..fitting import REGRESSION_LOSSES, LogisticHistory, fit_line, logistic_loss_and_grad
from ..controls import FloatControl, IntControl, control_named
from ..plotting import COLORS, PALETTE, label_axes, new_figure

__all__ = ["LogitGradientView", "RaceView", "binary_ce_and_entropy_figure",
           "regression_losses_figure", "OutlierFitView", "pointwise", "LOSS_STYLES"]

_BOX = dict(boxstyle="round", facecolor="white", edgecolor="0.7")
_MARKER = dict(marker="o", markersize=9, linestyle="none")


def pointwise(loss: Callable[..., float], y_true: float, y_pred: ArrayLike, **kwargs) -> np.ndarray:
    """The loss of ONE sample with target ``y_true`` at each prediction in ``y_pred``.

    One call with ``reduction="none"``: the library's loss of each sample on its own.

    Examples
    --------
    >>> pointwise(losses.mae, 1.0, [0.0, 1.0, 3.0]).tolist()
    [1.0, 0.0, 2.0]
    """
    p = np.asarray(y_pred, dtype=float)
    return np.asarray(loss(np.full_like(p, y_true), p, reduction="none", **kwargs), dtype=float)


def _readout(ax, x: float = 0.03, y: float = 0.96, ha: str = "left"):
    return ax.text(x, y, "", transform=ax.transAxes, ha=ha, va="top", bbox=_BOX)


def _grid_index(grid: np.ndarray, value: float) -> int:
    """Index of the grid point nearest to ``value``."""
    return int(np.argmin(np.abs(grid - value)))


# --------------------------------------------------------------------------- logit gradients
class LogitGradientView:
    """Loss and dL/dz of one sigmoid output s = sigmoid(z) with target t.

    Left: binary cross-entropy (left-hand axis) and ½(s - t)² (right-hand axis: it
    never exceeds ½) over z.  Right: both gradients over z on one axis, so the
    vanishing of (s - t) s'(z) next to s - t is plain to see.  The curves for every
    target the t control offers (0 to 1 by 0.1) are computed at construction, over the
    z control's range; ``update`` looks them up.

    Examples
    --------
    >>> view = LogitGradientView()
    >>> view.update(z=-4.0, t=1.0)
    """

    LOSSES = ("bce", "half_mse")
    controls = (FloatControl("z", -4.0, -8.0, 8.0, 0.1, "logit z"),
                FloatControl("t", 1.0, 0.0, 1.0, 0.1, "target t"))

    def __init__(self, points: int = 161) -> None:
        t_control, z_range = control_named(self.controls, "t"), control_named(self.controls, "z").span
        steps = round((t_control.max - t_control.min) / t_control.step)
        self.t_values = np.linspace(t_control.min, t_control.max, steps + 1)
        self.z = np.linspace(*z_range, points)
        self.curves: dict[float, dict[str, np.ndarray]] = {}
        s = sigmoid(self.z)
        for t in self.t_values:
            target = np.full_like(self.z, t)
            self.curves[float(t)] = {
                "bce": pointwise(losses.binary_cross_entropy_with_logits, t, self.z),
                "half_mse": pointwise(losses.half_mse, t, s),
                "bce_grad": logistic_loss_and_grad("bce", target, self.z, reduction="none")[1],
                "half_mse_grad": logistic_loss_and_grad("half_mse", target, self.z, reduction="none")[1],
            }
        self._build(z_range)

    def _build(self, z_range: tuple[float, float]) -> None:
        self.fig, (ax_loss, ax_grad) = new_figure(2)
        ax_mse = ax_loss.twinx()
        colors = {"bce": COLORS[1], "half_mse": COLORS[0]}
        nan = np.full_like(self.z, np.nan)
        self.lines, self.dots = {}, {}
        for loss, ax, label in (("bce", ax_loss, "cross-entropy (left axis)"),
                                ("half_mse", ax_mse, "½(s − t)² (right axis)")):
            (self.lines[loss],) = ax.plot(self.z, nan, color=colors[loss], label=label)
            (self.dots[loss],) = ax.plot([0.0], [np.nan], color=colors[loss], **_MARKER)
        # headroom above both curves for the legend: CE <= max|z| + ln 2, squared error <= 1/2
        ax_loss.set(xlim=z_range, ylim=(0.0, 1.45 * (max(abs(v) for v in z_range) + np.log(2))))
        ax_mse.set_ylim(0.0, 0.725)
        ax_mse.set_ylabel("½(s − t)²")
        ax_mse.grid(False)
        ax_mse.spines["right"].set_visible(True)
        for ax, loss in ((ax_loss, "bce"), (ax_mse, "half_mse")):
            ax.yaxis.label.set_color(colors[loss])
            ax.tick_params(axis="y", colors=colors[loss])
        label_axes(ax_loss, "logit z", "cross-entropy (nats)", "loss of one sample", legend=False)
        ax_loss.yaxis.label.set_color(colors["bce"])
        handles = [self.lines["bce"], self.lines["half_mse"]]
        ax_loss.legend(handles, [h.get_label() for h in handles], frameon=False, loc="upper center")

        for loss, label in (("bce", "cross-entropy: s − t"), ("half_mse", "squared error: (s − t) s′(z)")):
            (self.lines[loss + "_grad"],) = ax_grad.plot(self.z, nan, color=colors[loss], label=label)
            (self.dots[loss + "_grad"],) = ax_grad.plot([0.0], [np.nan], color=colors[loss], **_MARKER)
        ax_grad.axhline(0.0, color=PALETTE["black"], linewidth=1.0)
        ax_grad.set(xlim=z_range, ylim=(-1.85, 1.15))   # room below -1 for the legend
        label_axes(ax_grad, "logit z", "∂L/∂z", "gradient reaching z")
        ax_grad.legend(frameon=False, loc="lower center")
        self.readout = _readout(ax_grad)
        self.axes = (ax_loss, ax_mse, ax_grad)

    def update(self, *, z: float, t: float) -> None:
        """Show the curves for the target nearest ``t`` and mark the grid logit nearest ``z``."""
        t = float(self.t_values[_grid_index(self.t_values, t)])
        curves = self.curves[t]
        i = _grid_index(self.z, z)
        for key, line in self.lines.items():
            line.set_ydata(curves[key])
            self.dots[key].set_data([self.z[i]], [curves[key][i]])
        self.readout.set_text(f"z = {self.z[i]:+.2f}, t = {t:.1f}, s = {float(sigmoid(self.z[i])):.3f}\n"
                              f"cross-entropy: ∂L/∂z = {curves['bce_grad'][i]:+.4f}\n"
                              f"squared error: ∂L/∂z = {curves['half_mse_grad'][i]:+.4f}")


# --------------------------------------------------------------------------- the race
class RaceView:
    """Logistic models trained under different losses, shown at training step k.

    Left: the data (targets 0/1 against x) and each model's curve sigmoid(w_k x + b_k).
    Then one panel per run with its loss against the step, the current step marked.

    Parameters
    ----------
    x, t : array_like
        The training inputs and binary targets.
    runs : mapping label -> LogisticHistory
        E.g. ``{"MSE": train_logistic(..., "mse"), "cross-entropy": train_logistic(..., "bce")}``,
        all of the same length.

    Examples
    --------
    >>> from nbsupport.fitting import train_logistic
    >>> x, t = np.array([-1.0, 1.0]), np.array([0.0, 1.0])
    >>> runs = {name: train_logistic(x, t, name, steps=20, w0=-4.0) for name in ("mse", "bce")}
    >>> view = RaceView(x, t, runs)
    >>> view.update(step=10)
    """

    @classmethod
    def example(cls) -> "RaceView":
        from ..fitting import train_logistic
        x, t = np.array([-2.0, -1.0, 1.0, 2.0]), np.array([0.0, 0.0, 1.0, 1.0])
        return cls(x, t, {name: train_logistic(x, t, name, steps=20, w0=-4.0) for name in ("mse", "bce")})

    def __init__(self, x: ArrayLike, t: ArrayLike, runs: Mapping[str, LogisticHistory]) -> None:
        self.runs = dict(runs)
        lengths = {len(h.loss) for h in self.runs.values()}
        if len(lengths) != 1:
            raise ValueError(f"runs must all have the same number of steps, got lengths {sorted(lengths)}")
        self.n_steps = lengths.pop() - 1
        self.controls = (IntControl("step", min(10, self.n_steps), 0, self.n_steps, "training step k"),)
        x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
        pad = 0.1 * (x.max() - x.min())
        self.x_grid = np.linspace(x.min() - pad, x.max() + pad, 200)
        self.fig, axes = new_figure(1 + len(self.runs))
        ax_data = axes[0]
        ax_data.plot(x, t, "o", color=PALETTE["black"], alpha=0.5, label="data")
        steps = np.arange(self.n_steps + 1)
        self.model_lines, self.loss_dots, self.readouts = [], [], []
        for k, (name, history) in enumerate(self.runs.items()):
            color = COLORS[k]
            (line,) = ax_data.plot(self.x_grid, np.full_like(self.x_grid, np.nan), color=color,
                                   label=f"trained with {name}")
            self.model_lines.append(line)
            ax = axes[1 + k]
            ax.plot(steps, history.loss, color=color, label=f"{name} loss")
            (dot,) = ax.plot([0], [history.loss[0]], color=PALETTE["vermillion"], **_MARKER)
            self.loss_dots.append(dot)
            self.readouts.append(_readout(ax, x=0.97, ha="right"))
            ax.set(xlim=(0, self.n_steps), ylim=(0.0, 1.08 * float(history.loss.max())))
            label_axes(ax, "gradient-descent step", "loss", f"trained with {name}", legend=False)
        ax_data.set(xlim=(self.x_grid[0], self.x_grid[-1]), ylim=(-0.75, 1.1))  # legend below t = 0
        ax_data.set_yticks([0.0, 0.5, 1.0])
        label_axes(ax_data, "input x", "target t / output s", "the models at step k")
        ax_data.legend(frameon=False, loc="lower right")

    def update(self, *, step: int) -> None:
        """Show every model and loss at training step ``step`` (clipped to the run)."""
        k = int(np.clip(step, 0, self.n_steps))
        for line, dot, readout, h in zip(self.model_lines, self.loss_dots, self.readouts, self.runs.values()):
            line.set_ydata(sigmoid(h.w[k] * self.x_grid + h.b[k]))
            dot.set_data([k], [h.loss[k]])
            readout.set_text(f"step {k}: loss {h.loss[k]:.3f}\nw = {h.w[k]:+.2f}, b = {h.b[k]:+.2f}")


# --------------------------------------------------------------------------- static figures
def binary_ce_and_entropy_figure(points: int = 399) -> Figure:
    """Binary CE against p for t = 1 and t = 0 (left); a coin's entropy in nats and bits (right).

    Examples
    --------
    >>> fig = binary_ce_and_entropy_figure()
    """
    p = np.linspace(0.0, 1.0, points + 2)[1:-1]
    fig, (ax_ce, ax_h) = new_figure(2)
    for k, t in enumerate((1.0, 0.0)):
        ax_ce.plot(p, pointwise(losses.binary_cross_entropy, t, p), color=COLORS[k],
                   label=f"t = {t:.0f}:  −ln {'p' if t else '(1 − p)'}")
    ax_ce.set(xlim=(0, 1), ylim=(0, 5))
    label_axes(ax_ce, "predicted probability p = P(t = 1)", "binary CE (nats)", "cost of one prediction")
    ax_ce.legend(frameon=False, loc="upper center")

    nats = losses.entropy(np.stack([p, 1 - p], axis=-1))
    ax_h.plot(p, nats, color=COLORS[2], label="H(p) in nats (ln)")
    ax_h.plot(p, nats / np.log(2), color=COLORS[4], linestyle="--", label="H(p) in bits (log₂)")
    for value, text in ((np.log(2), "ln 2 ≈ 0.693 nats"), (1.0, "1 bit")):
        ax_h.plot([0.5], [value], color=PALETTE["black"], **_MARKER)
        ax_h.annotate(text, (0.5, value), textcoords="offset points", xytext=(10, 6))
    ax_h.set(xlim=(0, 1), ylim=(0, 1.2))
    label_axes(ax_h, "P(heads) = p", "entropy H(p)", "entropy of a coin")
    ax_h.legend(frameon=False, loc="lower center")
    return fig


#: How each regression loss is drawn: (label, colour, line style).
LOSS_STYLES: dict[str, tuple[str, str, str]] = {
    "mse": ("MSE", PALETTE["blue"], "-"),
    "half_mse": ("½ MSE", PALETTE["sky"], "--"),
    "sse": ("SSE", PALETTE["black"], ":"),
    "mae": ("MAE", PALETTE["orange"], "-"),
    "mape": ("MAPE (%)", PALETTE["purple"], "-"),
    "msle": ("MSLE", PALETTE["green"], "-"),
    "huber": ("Huber (δ = 1)", PALETTE["vermillion"], "-"),
}
_PANELS = (("mse", "half_mse", "sse", "mae", "huber"), ("mape",), ("msle",))
_TITLES = ("errors in units of y", "error in percent of y", "error of log(1 + y)")


def regression_losses_figure(y_true: float = 3.0, residual_range: tuple[float, float] = (-3.5, 3.5),
                             points: int = 281) -> Figure:
    """Each regression loss of one sample (top) and its gradient dL/dy_hat (bottom).

    The x axis is the residual r = y_hat - y for a fixed target ``y_true``: MAPE and
    MSLE depend on y itself, the others on r alone.  For one sample SSE = MSE.

    Examples
    --------
    >>> fig = regression_losses_figure()
    """
    r = np.linspace(*residual_range, points)
    y_hat = y_true + r
    fig, axes = new_figure(3, 2)
    for column, names in enumerate(_PANELS):
        ax_value, ax_grad = axes[column], axes[3 + column]
        for name in names:
            label, color, style = LOSS_STYLES[name]
            value, grad = REGRESSION_LOSSES[name]
            ax_value.plot(r, pointwise(value, y_true, y_hat), color=color, linestyle=style, label=label)
            ax_grad.plot(r, pointwise(grad, y_true, y_hat), color=color, linestyle=style, label=label)
        for ax in (ax_value, ax_grad):
            ax.axvline(0.0, color=PALETTE["black"], linewidth=1.0)
            ax.set_xlim(*residual_range)
        label_axes(ax_value, f"residual ŷ − y  (y = {y_true:g})", "loss of one sample", _TITLES[column])
        label_axes(ax_grad, f"residual ŷ − y  (y = {y_true:g})", "∂L/∂ŷ")
    axes[0].set_ylim(0, 6)
    axes[3].set_ylim(-4, 4)
    return fig


# --------------------------------------------------------------------------- outlier drag
class OutlierFitView:
    """Drag one point of a data set; see the line each regression loss fits.

    All fits are computed at construction, for every value on ``outlier_values``, with
    :func:`nbsupport.fitting.fit_line` (all slider positions in one batched call per
    loss); ``update`` looks them up.  Left: the data, the dragged point and the lines.
    Right: the slope of each fit against the dragged point's y, current value marked.

    Parameters
    ----------
    x, y : array_like
        The data (1-D, same length).
    index : int
        Which point is dragged.
    outlier_values : array_like
        The y values the slider offers for that point (its grid).
    names : sequence of str
        Keys of ``REGRESSION_LOSSES`` to fit (all by default).
    start : float, optional
        Where the control starts (default: the middle of the grid).

    Examples
    --------
    >>> x = np.arange(6.0); y = 1 + 0.5 * x
    >>> view = OutlierFitView(x, y, index=4, outlier_values=np.linspace(1.0, 20.0, 5))
    >>> view.update(outlier_y=20.0)
    """

    @classmethod
    def example(cls) -> "OutlierFitView":
        x = np.arange(6.0)
        return cls(x, 1 + 0.5 * x, index=4, outlier_values=np.linspace(1.0, 20.0, 5))

    def __init__(self, x: ArrayLike, y: ArrayLike, index: int, outlier_values: ArrayLike,
                 names: Sequence[str] = tuple(REGRESSION_LOSSES), start: float | None = None) -> None:
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.index = int(index)
        self.grid = np.asarray(outlier_values, dtype=float)
        middle = float(self.grid[self.grid.size // 2]) if start is None else float(start)
        self.controls = (FloatControl("outlier_y", middle, float(self.grid[0]), float(self.grid[-1]),
                                      float(self.grid[1] - self.grid[0]), "y of the dragged point"),)
        self.names = tuple(names)
        rows = np.tile(self.y, (self.grid.size, 1))
        rows[:, self.index] = self.grid
        self.fits = {name: fit_line(self.x, rows, name) for name in self.names}
        self.x_ends = np.array([self.x.min(), self.x.max()])
        self.ends = {name: fit.predict(self.x_ends) for name, fit in self.fits.items()}
        self._build()

    def _build(self) -> None:
        self.fig, (ax_fit, ax_slope) = new_figure(2, width=11.0, height=4.4)
        others = np.arange(self.x.size) != self.index
        ax_fit.plot(self.x[others], self.y[others], "o", color=PALETTE["black"], alpha=0.6, label="data")
        (self.outlier,) = ax_fit.plot([self.x[self.index]], [self.grid[0]], "D", color=PALETTE["vermillion"],
                                      markersize=11, label="dragged point")
        self.lines = {}
        for name in self.names:
            label, color, style = LOSS_STYLES[name]
            (self.lines[name],) = ax_fit.plot(self.x_ends, [np.nan, np.nan], color=color, linestyle=style)
            ax_slope.plot(self.grid, self.fits[name].slope, color=color, linestyle=style, label=label)
        every_y = np.concatenate([self.y, self.grid, *[e.ravel() for e in self.ends.values()]])
        pad = 0.05 * (every_y.max() - every_y.min())
        ax_fit.set(xlim=(self.x_ends[0] - 0.5, self.x_ends[1] + 0.5),
                   ylim=(every_y.min() - pad, every_y.max() + pad))
        label_axes(ax_fit, "x", "y", " ")
        self.readout = ax_fit.title   # the slopes, rewritten on every move
        ax_fit.legend(frameon=False, loc="upper left")
        self.slope_dots = ax_slope.scatter(np.zeros(len(self.names)), np.zeros(len(self.names)), s=50,
                                           c=[LOSS_STYLES[n][1] for n in self.names], zorder=3)
        self.cursor = ax_slope.axvline(self.grid[0], color=PALETTE["black"], linewidth=1.0)
        slopes = np.concatenate([fit.slope for fit in self.fits.values()])
        spread = slopes.max() - slopes.min()
        ax_slope.set(xlim=(self.grid[0], self.grid[-1]),
                     ylim=(slopes.min() - 0.05 * spread, slopes.max() + 0.05 * spread))
        label_axes(ax_slope, "y of the dragged point", "fitted slope", "slope against the dragged point")
        ax_slope.legend(frameon=True, framealpha=0.9, edgecolor="none", loc="upper left", ncols=2)

    def update(self, *, outlier_y: float) -> None:
        """Move the dragged point to the grid value nearest ``outlier_y`` and show the fits there."""
        k = _grid_index(self.grid, outlier_y)
        value = self.grid[k]
        self.outlier.set_ydata([value])
        for name, line in self.lines.items():
            line.set_ydata(self.ends[name][k])
        self.slope_dots.set_offsets(np.column_stack([np.full(len(self.names), value),
                                                     [self.fits[n].slope[k] for n in self.names]]))
        self.cursor.set_xdata([value, value])
        self.readout.set_text("slopes: " + ", ".join(
            f"{LOSS_STYLES[n][0].split(' (')[0]} {self.fits[n].slope[k]:.2f}" for n in ("mse", "mae", "huber")
            if n in self.fits))

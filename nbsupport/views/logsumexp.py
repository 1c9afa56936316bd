"""Figure views for the LogSumExp notebook (06).

Naive formulas appear here only to be drawn failing; they are evaluated under
``np.errstate(all="ignore")`` so that their overflow is shown, not printed.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from ..losses import naive_cross_entropy, softmax_cross_entropy_with_logits
from ..controls import FloatControl
from ..plotting import COLORS, PALETTE, corner_text, label_axes, new_figure
from ..normalizers import log_softmax, logsumexp, naive_logsumexp
from . import as_scores

__all__ = ["overflow_figure", "SmoothMaxView", "LogitScaleView"]

_FAIL_STYLE = {"+inf": dict(color=PALETTE["vermillion"], alpha=0.18),
               "-inf": dict(color=PALETTE["sky"], alpha=0.25),
               "nan": dict(color=PALETTE["purple"], alpha=0.25)}


def _failure_kinds(values: np.ndarray) -> dict[str, np.ndarray]:
    """Boolean masks of where ``values`` are +inf, -inf and NaN."""
    return {"+inf": np.isposinf(values), "-inf": np.isneginf(values), "nan": np.isnan(values)}


def _shade_failures(ax, x: np.ndarray, values: np.ndarray, what: str) -> None:
    """Shade the x-ranges where ``values`` are not finite, one colour per kind."""
    for kind, mask in _failure_kinds(values).items():
        if mask.any():
            ax.fill_between(x, 0, 1, where=mask, transform=ax.get_xaxis_transform(),
                            label=f"{what} = {kind}", lw=0, **_FAIL_STYLE[kind])


def _decade_ticks(low: float, high: float, most: int = 6) -> np.ndarray:
    """Powers of ten between ``low`` and ``high``, at most ``most`` of them, on round exponents."""
    lo, hi = int(np.ceil(np.log10(low))), int(np.floor(np.log10(high)))
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200) if (hi - lo) / s < most)
    return 10.0 ** np.arange(hi - hi % step, lo - 1, -step)


def overflow_figure(z: ArrayLike, shift_limits: dict | None = None) -> Figure:
    """Naive log(sum(exp(z + c))) - c against the stable LSE, in float64 and float32.

    Every curve should be the constant LSE(z); the naive one leaves the axes where
    exp overflows (+inf) or every term underflows to 0 (log 0 = -inf), and drifts
    where the terms become subnormal.  The figure is static (no slider).
    """
    z = as_scores(z)
    shift_limits = shift_limits or {np.float64: 900.0, np.float32: 130.0}
    exact = float(logsumexp(z))
    fig, axes = new_figure(len(shift_limits))
    for ax, (dtype, limit) in zip(axes, shift_limits.items()):
        shifts = np.linspace(-limit, limit, 2001).astype(dtype)
        zz = (z.astype(dtype)[None, :] + shifts[:, None]).astype(dtype)
        with np.errstate(all="ignore"):
            naive = naive_logsumexp(zz, axis=-1).astype(np.float64) - shifts
        stable = logsumexp(zz, axis=-1).astype(np.float64) - shifts
        ax.plot(shifts, stable, color=COLORS[0], label="stable LSE(z + c) - c")
        ax.plot(shifts, naive, "--", color=COLORS[1], label="naive log(sum(exp(z + c))) - c")
        _shade_failures(ax, shifts, naive, "naive")
        ax.set_xlim(-limit, limit)
        ax.set_ylim(exact - 1.5, exact + 2.5)
        label_axes(ax, "shift c added to every score", "LSE(z + c) - c", np.dtype(dtype).name)
        ax.legend(frameon=False, loc="upper left", fontsize="small")
    return fig


class SmoothMaxView:
    """T * LSE(z / T) as a smooth maximum, shrinking onto max as T -> 0.

    Left: T * LSE([x, 0] / T) over x against the hinge max(x, 0), and the upper
    bound max + T ln 2.  Right: T * LSE(z / T) for a fixed vector against T (log
    scale), inside the band max <= . <= max + T ln n, with the current T marked.
    """

    controls = (FloatControl("temperature", 1.0, 0.01, 3.0, 0.01, "temperature T"),)

    @classmethod
    def example(cls) -> "SmoothMaxView":
        return cls([1.0, 0.5, -1.0, 0.9])

    def __init__(self, z: ArrayLike, t_range: tuple[float, float] = (0.01, 10.0)) -> None:
        self.z = as_scores(z)
        self.fig, (ax_x, ax_t) = new_figure(2)
        self.x = np.linspace(-4.0, 4.0, 201)
        self.pair = np.stack([self.x, np.zeros_like(self.x)], axis=-1)
        hinge = np.maximum(self.x, 0.0)
        ax_x.plot(self.x, hinge, color=PALETTE["black"], lw=1.5, label="max(x, 0)")
        (self.smooth,) = ax_x.plot(self.x, hinge, color=COLORS[0], label="T · LSE([x, 0] / T)")
        (self.bound,) = ax_x.plot(self.x, hinge, ":", color=COLORS[3], label="max + T ln 2")
        ax_x.set_xlim(-4, 4)
        ax_x.set_ylim(-0.2, 5.0)
        label_axes(ax_x, "x", "value", "smooth max of two numbers")
        ax_x.legend(frameon=False, loc="upper left")

        n, top = self.z.size, float(self.z.max())
        self.t_grid = np.geomspace(*t_range, 300)
        curve = self.t_grid * logsumexp(self.z[None, :] / self.t_grid[:, None])
        ax_t.fill_between(self.t_grid, top, top + self.t_grid * np.log(n), color=COLORS[5],
                          alpha=0.3, lw=0, label=f"max ≤ · ≤ max + T ln n  (n = {n})")
        ax_t.axhline(top, color=PALETTE["black"], lw=1.5, label=f"max z = {top:g}")
        ax_t.plot(self.t_grid, curve, color=COLORS[0], label="T · LSE(z / T)")
        (self.marker,) = ax_t.plot([1.0], [top], "o", color=COLORS[3], ms=10, label="current T")
        ax_t.set_xscale("log")
        ax_t.set_xlim(*t_range)
        ax_t.set_ylim(top - 1.2, top + 3.0)
        label_axes(ax_t, "temperature T (log scale)", "value", "T · LSE(z / T) for fixed z")
        ax_t.legend(frameon=False, loc="upper left", fontsize="small")
        self.readout = corner_text(ax_t, y=0.26)  # in the empty strip below max z

    def update(self, *, temperature: float) -> None:
        t = temperature
        self.smooth.set_ydata(t * logsumexp(self.pair / t))
        self.bound.set_ydata(np.maximum(self.x, 0.0) + t * np.log(2.0))
        value = t * float(logsumexp(self.z / t))
        top = float(self.z.max())
        self.marker.set_data([t], [value])
        self.readout.set_text(f"T = {t:.2f}\nT·LSE - max = {value - top:.4f}\n"
                              f"T ln n = {t * np.log(self.z.size):.4f}")


class LogitScaleView:
    """Cross-entropy of the logits a * z, naive against stable, over the scale a.

    One panel per label: with the top logit's label the net is confidently right (the
    loss tends to 0), with another label confidently wrong (the loss grows like a).
    The naive loss -log(softmax(a z)[label]) forms the probabilities first: it turns
    into NaN once exp overflows (inf / inf) and into +inf once the true class's
    probability underflows to 0.  The stable loss LSE(a z) - a z[label] never does.
    """

    controls = (FloatControl("scale", 10.0, 0.0, 500.0, 5.0, "logit scale a", readout_format=".0f"),)

    @classmethod
    def example(cls) -> "LogitScaleView":
        return cls([2.0, -1.0, 0.5], labels=(0, 1))

    def __init__(self, logits: ArrayLike, labels: tuple[int, ...] = (0, 1)) -> None:
        scale_max = self.controls[0].max
        self.logits = as_scores(logits)
        for label in labels:
            if not 0 <= label < self.logits.size:
                raise ValueError(f"labels must lie in [0, {self.logits.size - 1}], got {label}")
        self.labels = tuple(labels)
        self.scales = np.linspace(0.0, scale_max, 1001)
        grid = self.scales[:, None] * self.logits[None, :]
        self.fig, axes = new_figure(len(labels), width=4.6 * len(labels), height=4.4)
        self.markers, self.readouts = [], []
        for ax, label in zip(axes, self.labels):
            stable = -log_softmax(grid)[:, label]
            naive = naive_cross_entropy(grid, label)
            _shade_failures(ax, self.scales, naive, "naive")
            ax.plot(self.scales, stable, color=COLORS[0], label="stable: LSE(a z) - a $z_y$")
            ax.plot(self.scales, naive, "--", color=COLORS[1], lw=3, label="naive: -log softmax$(a z)_y$")
            self.markers.append(ax.plot([0.0], [0.0], "o", color=COLORS[3], ms=10, label="current a")[0])
            ax.set_xlim(0, scale_max)
            ax.set_yscale("log")
            positive = stable[stable > 0]
            ax.set_ylim(max(positive.min(), 1e-300) / 10, positive.max() * 30)
            ax.set_yticks(_decade_ticks(*ax.get_ylim()))
            label_axes(ax, "logit scale a", "cross-entropy (nats, log scale)", f"true class y = {label + 1}")
            rising = stable[-1] > stable[0]
            ax.legend(frameon=False, loc="lower right" if rising else "upper right", fontsize="small")
            # falling: right of the naive curve's drop to 0, below the stable line
            self.readouts.append(corner_text(ax, x=0.03 if rising else 0.12, y=0.96 if rising else 0.30, ha="left"))

    def update(self, *, scale: float) -> None:
        z = scale * self.logits
        for label, marker, readout in zip(self.labels, self.markers, self.readouts):
            stable = softmax_cross_entropy_with_logits(np.array([label]), z[None, :]) + 0.0  # no -0
            naive = float(naive_cross_entropy(z, label)) + 0.0
            marker.set_data([scale], [max(stable, 1e-300)])
            readout.set_text(f"a = {scale:.0f}\nstable = {stable:.4g}\nnaive = {naive:.4g}")

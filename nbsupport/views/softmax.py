"""Figure views for the softmax notebook (04).

Each view builds its figure once and changes artist data in ``update``: bar heights
with ``set_height``, curves and markers with ``set_data``/``set_ydata``, images with
``set_data`` and readouts with ``set_text``.  Axis limits are fixed at construction.
"""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

import matplotlib as mpl
import numpy as np
from numpy.typing import ArrayLike

from ..activations import sigmoid
from ..losses import entropy
from ..controls import FloatControl
from ..plotting import COLORS, PALETTE, corner_text, label_axes, new_figure
from ..normalizers import softmax, softmax_jacobian
from . import as_scores
from ..glyphs import GlyphLines

__all__ = ["TemperatureView", "NormalisationView", "TwoClassView", "JacobianView",
           "ClassVsLabelView"]


def _score_labels(scores: np.ndarray) -> list[str]:
    """Tick labels ``z1=2`` ... for a score vector."""
    return [f"$z_{i + 1}$={z:g}" for i, z in enumerate(scores)]


class TemperatureView:
    """softmax(z / T) as bars, and the entropy of the result against T.

    Left: the probabilities of a fixed score vector at temperature ``T``, with the
    uniform level 1/K.  Right: the entropy H(T) in nats on a log-T axis, between 0
    (one-hot) and ln K (uniform), with the current T marked and read out.

    Examples
    --------
    >>> view = TemperatureView([2.0, 1.0, 0.5, -1.0])
    >>> view.update(temperature=1.0)
    """

    controls = (FloatControl("temperature", 1.0, 0.05, 10.0, 0.05, "temperature T"),)

    @classmethod
    def example(cls) -> "TemperatureView":
        return cls([2.0, 1.0, 0.5, -1.0])

    def __init__(self, scores: ArrayLike, t_range: tuple[float, float] = (0.05, 20.0)) -> None:
        self.scores = as_scores(scores)
        k = self.scores.size
        self.fig, (ax_p, ax_h) = new_figure(2)
        self.bars = ax_p.bar(np.arange(k), np.full(k, 1.0 / k), color=COLORS[0], label="softmax(z / T)")
        ax_p.axhline(1.0 / k, color=PALETTE["black"], ls="--", lw=1.2, label="uniform 1/K")
        self.bar_texts = [ax_p.text(i, 0.0, "", ha="center", va="bottom") for i in range(k)]
        ax_p.set_xticks(np.arange(k), _score_labels(self.scores))
        ax_p.set_ylim(0, 1.12)
        label_axes(ax_p, "class (score $z_i$)", "probability $p_i$", "softmax at temperature T")
        ax_p.legend(frameon=False, loc="upper right")

        self.t_grid = np.geomspace(*t_range, 300)
        h_grid = entropy(softmax(self.scores[None, :] / self.t_grid[:, None]))
        ax_h.plot(self.t_grid, h_grid, color=COLORS[1], label="H(softmax(z / T))")
        ax_h.axhline(np.log(k), color=PALETTE["black"], ls="--", lw=1.2, label=f"ln K = {np.log(k):.3f} (uniform)")
        (self.marker,) = ax_h.plot([1.0], [0.0], "o", color=COLORS[3], ms=10, label="current T")
        ax_h.set_xscale("log")
        ax_h.set_xlim(*t_range)
        ax_h.set_ylim(-0.05, np.log(k) * 1.35)
        label_axes(ax_h, "temperature T (log scale)", "entropy H (nats)", "entropy of the result")
        ax_h.legend(frameon=False, loc="lower right")
        self.readout = corner_text(ax_h, x=0.03, ha="left")

    def update(self, *, temperature: float) -> None:
        p = softmax(self.scores, temperature=temperature)
        h = float(entropy(p))
        for bar, text, value in zip(self.bars, self.bar_texts, p):
            bar.set_height(value)
            text.set_y(value + 0.01)
            text.set_text(f"{value:.2f}")
        self.marker.set_data([temperature], [h])
        self.readout.set_text(f"T = {temperature:.2f}\nH = {h:.3f} nats\nmax p = {p.max():.3f}")


class NormalisationView:
    """Three ways to turn scores into "probabilities", side by side, under a shift c.

    Each panel shows ``normaliser(z + c)`` as bars with a readout of its sum and its
    smallest value.  Values outside the fixed y-range are drawn clipped (and the
    readout says so); a normaliser that divides by zero is reported as undefined.

    Parameters
    ----------
    scores : array_like, shape (K,)
    normalisers : mapping of title -> function
        Each maps a 1-D score vector to a vector of the same length.
    ylim : (low, high)
        Fixed y-range shared by the panels.
    """

    controls = (FloatControl("shift", 0.0, -3.0, 3.0, 0.05, "shift c added to every score"),)

    @classmethod
    def example(cls) -> "NormalisationView":
        return cls([2.0, 1.0, -0.5], {"softmax": softmax, "divide by the sum": lambda z: z / z.sum()})

    def __init__(self, scores: ArrayLike, normalisers: Mapping[str, Callable[[np.ndarray], np.ndarray]],
                 ylim: tuple[float, float] = (-1.0, 1.5)) -> None:
        self.scores = as_scores(scores)
        self.normalisers = dict(normalisers)
        self.ylim = ylim
        k = self.scores.size
        n = len(self.normalisers)
        self.fig, axes = new_figure(n, width=4.0 * n, height=4.0)
        self.bars, self.readouts = [], []
        for i, (ax, title) in enumerate(zip(axes, self.normalisers)):
            self.bars.append(ax.bar(np.arange(k), np.zeros(k), color=COLORS[i]))
            ax.axhline(0.0, color=PALETTE["black"], lw=1.0)
            ax.set_xticks(np.arange(k), [f"$z_{j + 1}$" for j in range(k)])
            ax.set_ylim(*ylim)
            label_axes(ax, "class", "output $p_i$" if i == 0 else "", title, legend=False)
            self.readouts.append(corner_text(ax))

    def update(self, *, shift: float) -> None:
        z = self.scores + shift
        low, high = self.ylim
        for bars, readout, normalise in zip(self.bars, self.readouts, self.normalisers.values()):
            with np.errstate(divide="ignore", invalid="ignore"):
                p = np.asarray(normalise(z), dtype=np.float64)
            if not np.all(np.isfinite(p)):
                heights, text = np.zeros_like(p), "undefined:\ndivision by 0"
            else:
                heights = np.clip(p, low, high)
                text = f"sum = {p.sum():.2f}\nmin = {p.min():.2f}"
                if np.any(heights != p):
                    text += "\n(bars clipped)"
            for bar, height in zip(bars, heights):
                bar.set_height(height)
            readout.set_text(text)


class TwoClassView:
    """The first softmax output over two scores [z1, z2] against z1, with sigmoid(z1 - z2).

    Moving z2 slides both curves together: with two classes softmax only sees the
    difference z1 - z2, and its first output is exactly the sigmoid of that difference.
    """

    controls = (FloatControl("z2", 0.0, -4.0, 4.0, 0.1, "score of class 2, z2"),)

    def __init__(self, z1_range: tuple[float, float] = (-8.0, 8.0), n: int = 161) -> None:
        self.z1 = np.linspace(*z1_range, n)
        self.fig, (ax,) = new_figure(width=7.0, height=3.6)
        (self.soft_line,) = ax.plot(self.z1, np.zeros(n), color=COLORS[0],
                                    label="softmax$([z_1, z_2])_1$")
        (self.sig_dots,) = ax.plot(self.z1[::8], np.zeros(self.z1[::8].size), "o", color=COLORS[1],
                                   ms=7, label="sigmoid$(z_1 - z_2)$")
        (self.centre,) = ax.plot([0.0, 0.0], [0.0, 1.0], ":", color=PALETTE["black"], lw=1.5,
                                 label="$z_1 = z_2$: p = 1/2")
        ax.set_xlim(*z1_range)
        ax.set_ylim(-0.03, 1.03)
        label_axes(ax, "score $z_1$", "probability of class 1", "two classes: softmax = sigmoid")
        ax.legend(frameon=False, loc="upper left")
        self.readout = corner_text(ax, y=0.45)

    def update(self, *, z2: float) -> None:
        pairs = np.stack([self.z1, np.full_like(self.z1, z2)], axis=-1)
        p1 = softmax(pairs)[:, 0]
        s = sigmoid(self.z1 - z2)
        self.soft_line.set_ydata(p1)
        self.sig_dots.set_ydata(s[::8])
        self.centre.set_xdata([z2, z2])
        self.readout.set_text(f"z₂ = {z2:.2f}\nmax |difference|\n= {np.max(np.abs(p1 - s)):.1e}")


class JacobianView:
    """The softmax Jacobian diag(s) - s s^T of the scores a * z as an annotated heatmap.

    The scale ``a`` sharpens (a > 1) or flattens (a < 1) the distribution; the
    right-hand column reads out each row's sum, which is always 0.  The numbers, the row
    sums and the readout above are monospace text pasted from cached pictures of their
    characters (:class:`~nbsupport.glyphs.GlyphLines`): rendering the glyphs of
    k (k + 1) numbers anew is what a frame would otherwise cost.
    """

    controls = (FloatControl("scale", 1.0, 0.0, 6.0, 0.1, "scale a of the scores"),)
    _CELL_CHARS = 10  # "+0.105" and four characters of margin

    @classmethod
    def example(cls) -> "JacobianView":
        return cls([2.0, 1.0, 0.1, -1.0])

    def __init__(self, scores: ArrayLike, vmax: float = 0.25) -> None:
        self.scores = as_scores(scores)
        k = self.scores.size
        self.fig, (ax,) = new_figure(width=6.4, height=5.2)
        edges = np.arange(k + 1) - 0.5  # a mesh of k x k cells: 16 quads draw faster than a resampled image
        self.image = ax.pcolormesh(edges, edges, np.zeros((k, k)), cmap="PuOr_r", vmin=-vmax, vmax=vmax)
        ax.set_aspect("equal")
        self.fig.colorbar(self.image, ax=ax, label=r"$\partial s_i / \partial z_j$", shrink=0.85)
        ax.text(k - 0.3, k - 0.4, "row sum", ha="left", va="top")
        ticks = [f"{i + 1}" for i in range(k)]
        ax.set_xticks(np.arange(k), ticks)
        ax.set_yticks(np.arange(k), ticks)
        ax.set_xlim(-0.5, k + 0.9)
        ax.set_ylim(k - 0.5, -0.5)  # row 1 on top, as a matrix is written
        ax.grid(False)
        ax.spines[["left", "bottom"]].set_visible(False)  # the live mesh is drawn over the spines
        label_axes(ax, "score index j", "output index i", legend=False)
        self.readout = ax.add_artist(GlyphLines(mpl.rcParams["font.size"], ha="left", va="baseline"))
        self.readout.set_transform(ax.transAxes)
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")  # the cell size is known from here on
        self.cells = ax.add_artist(GlyphLines(self._cell_font_size(ax)))
        self.sums = ax.add_artist(GlyphLines(self.cells.get_fontsize(), ha="left"))

    def _cell_font_size(self, ax) -> float:
        """The monospace font size at which ``_CELL_CHARS`` characters span one cell."""
        cell = ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]
        probe = ax.text(0, 0, "0" * 40, family="monospace", fontsize=10)
        width = probe.get_window_extent(self.fig.canvas.get_renderer()).width / 40
        probe.remove()
        return 10 * cell / (self._CELL_CHARS * width)

    def update(self, *, scale: float) -> None:
        z = scale * self.scores
        jac = softmax_jacobian(z)
        self.image.set_array(jac)
        self.image.stale = True  # set_array alone does not mark the mesh for redrawing
        k = jac.shape[0]
        self.cells.set_lines([(f"{jac[i, j]:+.3f}", j, i) for i in range(k) for j in range(k)])
        self.sums.set_lines([(f"{total:+.0e}" if total else "0", k - 0.3, i)
                             for i, total in enumerate(jac.sum(axis=1))])
        s = softmax(z)
        self.readout.set_lines([(f"a = {scale:.2f}: s = [" + ", ".join(f"{v:.2f}" for v in s) + "]",
                                 0.0, 1.03)])

    def cell_texts(self) -> list[list[str]]:
        """The numbers shown, row by row: k entries, then the row sum."""
        k = self.scores.size
        numbers = [text for text, _, _ in self.cells.get_lines()]
        sums = [text for text, _, _ in self.sums.get_lines()]
        return [numbers[i * k:(i + 1) * k] + [sums[i]] for i in range(k)]


class ClassVsLabelView:
    """Softmax (one label out of K) next to independent sigmoids (any number of labels).

    The slider sets the first logit; the readouts show each panel's sum.  Raising one
    logit takes probability from the other classes under softmax, and leaves the other
    sigmoid outputs untouched.
    """

    @classmethod
    def example(cls) -> "ClassVsLabelView":
        return cls([1.0, 0.5, -0.5], names=["cat", "dog", "car"])

    def __init__(self, logits: ArrayLike, names: Sequence[str] | None = None) -> None:
        self.logits = as_scores(logits)
        k = self.logits.size
        names = list(names) if names is not None else [f"label {i + 1}" for i in range(k)]
        self.controls = (FloatControl("z1", float(self.logits[0]), -4.0, 6.0, 0.1,
                                      f"score of '{names[0]}', z1"),)
        self.fig, axes = new_figure(2)
        self.panels = []
        titles = ("multi-class: softmax", "multi-label: sigmoid each")
        for i, (ax, title) in enumerate(zip(axes, titles)):
            bars = ax.bar(np.arange(k), np.zeros(k), color=COLORS[i])
            texts = [ax.text(j, 0.0, "", ha="center", va="bottom") for j in range(k)]
            ax.set_xticks(np.arange(k), names)
            ax.set_ylim(0, 1.2)
            label_axes(ax, "output", "probability", title, legend=False)
            self.panels.append((bars, texts, corner_text(ax)))

    def update(self, *, z1: float) -> None:
        z = self.logits.copy()
        z[0] = z1
        for (bars, texts, readout), p in zip(self.panels, (softmax(z), sigmoid(z))):
            for bar, text, value in zip(bars, texts, p):
                bar.set_height(value)
                text.set_y(value + 0.01)
                text.set_text(f"{value:.2f}")
            readout.set_text(f"z₁ = {z1:.1f}\nsum = {p.sum():.2f}")

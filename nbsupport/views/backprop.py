"""Figure for notebook 09: the backward pass through a small graph, one node per step.

:class:`BackwardStepView` draws the value nodes of a :class:`nbsupport.backprop.Graph` in
columns (inputs left, loss right), the weights on their edges and the biases as short
stubs.  ``update(step=k)`` rings the node (or the weight's edge) visited at step k of the
backward pass, marks the nodes whose gradients it multiplies, writes dL/d(node) under
every node reached so far, and spells out the product of step k below the graph.
"""
from __future__ import annotations

import numpy as np
from matplotlib import rcParams as plt_rc
from matplotlib.artist import Artist
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..backprop import EXAMPLE, BackwardStep, Graph, subscript, tiny_network
from ..glyphs import GlyphCanvas
from ..controls import IntControl
from ..plotting import PALETTE, new_figure

__all__ = ["graph_layout", "step_text", "BackwardStepView"]

#: The inputs' column stands further off: the crossing weight edges need the room.
_FIRST_GAP = 1.6
_NODE_AREA, _RING_AREA = 1900.0, 3000.0     # marker areas (points^2) at a 12 pt font
_READOUT_AT = (-0.55, -1.65)                 # top-left corner of the lines under the graph


def _marker_scale() -> float:
    """Marker areas grow with the square of the font size (lecture mode: bigger nodes)."""
    return (plt_rc["font.size"] / 12.0) ** 2


def _label_point(start: np.ndarray, end: np.ndarray, from_input: bool) -> np.ndarray:
    """Where a weight's label sits on its edge: short of the crossing of the input edges
    (a third of the way), halfway along the others."""
    return start + (0.3 if from_input else 0.5) * (end - start)


def _stub(at: np.ndarray) -> np.ndarray:
    """Where the bias stub into a node at ``at`` starts: away from the edges of the layout
    (up-left above the middle row, down-left below it, down-right on it)."""
    direction = np.array([-0.4, 0.45]) if at[1] > 0 else np.array([-0.4, -0.45]) if at[1] < 0 \
        else np.array([0.4, -0.5])
    return at + direction


def _side(tip: np.ndarray, at: np.ndarray) -> str:
    """Text at a stub's tip is aligned away from the node: "right" when the stub points left."""
    return "right" if tip[0] < at[0] else "left"


def _depths(graph: Graph) -> dict[str, int]:
    """Column of every drawn node: 0 for inputs, else one more than its deepest drawn input."""
    depth: dict[str, int] = {}
    for name, node in graph.nodes.items():
        if node.kind == "param":
            continue
        drawn = [depth[i] for i in node.inputs if i in depth]
        depth[name] = 1 + max(drawn) if drawn else 0
    return depth


def graph_layout(graph: Graph) -> dict[str, np.ndarray]:
    """(x, y) of every node that is drawn as a circle, columns by depth, rows centred.

    Weights are not circles (they sit on edges) and biases are stubs; neither is listed.

    >>> from nbsupport.backprop import tiny_network
    >>> g = tiny_network([1.0, 2.0], 1.0, np.zeros((2, 2)), np.zeros(2), np.zeros(2), [0.0])
    >>> graph_layout(g)["L"]
    array([5.6, 0. ])
    """
    columns: dict[int, list[str]] = {}
    for name, d in _depths(graph).items():
        columns.setdefault(d, []).append(name)
    spots = {}
    for d, names in columns.items():
        rows = np.linspace(0.8, -0.8, len(names)) if len(names) > 1 else [0.0]
        x = d + _FIRST_GAP - 1.0 if d > 0 else 0.0
        spots.update({name: np.array([x, float(r)]) for name, r in zip(names, rows)})
    return spots


def _product(step: BackwardStep) -> str:
    """``"-0.4180 × 0.2475"`` (a sum of such products when several nodes use the node)."""
    return " + ".join(f"{up:.4f} × {local.value:.4f}" for _, up, local in step.terms)


def step_text(graph: Graph, step: BackwardStep) -> tuple[str, str]:
    """Two lines for a step: the local derivatives used, and the chain-rule product.

    >>> from nbsupport.backprop import Graph, Local
    >>> g = Graph(); g.add("a", 3.0, "input"); g.add("L", 9.0, "loss", {"a": Local(6.0, "2a")})
    >>> step_text(g, g.backward()[1])
    ('local  ∂L/∂a = 2a = 6.0000', 'product  ∂L/∂a = ∂L/∂L · ∂L/∂a = 1.0000 × 6.0000 = 6.0000')
    """
    name = subscript(step.node)
    if not step.terms:
        return "start at the loss", f"∂L/∂{name} = 1"
    local = ",  ".join(f"∂{subscript(user)}/∂{name} = {lc.formula} = {lc.value:.4f}"
                       for user, _, lc in step.terms)
    chain = " + ".join(f"∂L/∂{subscript(user)} · ∂{subscript(user)}/∂{name}" for user, _, _ in step.terms)
    return f"local  {local}", f"product  ∂L/∂{name} = {chain} = {_product(step)} = {step.grad:.4f}"


class _Bitmap(Artist):
    """An RGBA bitmap pasted, without resampling, with its top-left corner at a data point.

    (``figimage`` resamples on every draw, which costs more than the rest of a frame.)
    """

    def __init__(self, data: np.ndarray, ax, corner: tuple[float, float]) -> None:
        super().__init__()
        self.ax_anchor, self.corner = ax, corner
        self.set_data(data)
        self.set_in_layout(False)

    def set_data(self, data: np.ndarray) -> None:
        self.data = data
        self.stale = True

    def get_array(self) -> np.ndarray:
        return self.data

    def draw(self, renderer) -> None:
        if self.get_visible():
            x, y = self.ax_anchor.transData.transform(self.corner)
            gc = renderer.new_gc()
            renderer.draw_image(gc, round(x), round(y) - self.data.shape[0], self.data[::-1])
            gc.restore()
        self.stale = False


class BackwardStepView:
    """The graph with the backward pass stopped after ``step`` nodes (slider: the step).

    Parameters
    ----------
    graph : Graph
        A small graph (:func:`nbsupport.backprop.tiny_network`); its ``order`` is followed.

    The ``step`` control (``self.controls``) runs over the steps of this graph's backward pass.
    """

    @classmethod
    def example(cls) -> "BackwardStepView":
        """The view of the example network of :data:`nbsupport.backprop.EXAMPLE`."""
        return cls(tiny_network(**EXAMPLE))

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.steps = graph.backward()
        self.controls = (IntControl("step", 0, 0, len(self.steps) - 1, "backward step"),)
        self.pos = graph_layout(graph)
        self.fig, (self.ax,) = new_figure(1)
        width, height = self.fig.get_size_inches()     # one panel of the current mode
        self.fig.set_size_inches(2.2 * width, 1.45 * height)
        ax = self.ax
        ax.set_axis_off()
        ax.set_xlim(-0.6, max(p[0] for p in self.pos.values()) + 0.5)
        ax.set_ylim(-2.5, 1.6)
        self._draw_edges()
        self._draw_nodes()
        self.grad_text = {s.node: self._grad_label(s) for s in self.steps}
        (self.edge_ring,) = ax.plot([np.nan], [np.nan], color=PALETTE["vermillion"], linewidth=6,
                                    solid_capstyle="round", zorder=2)
        self.ring = ax.scatter([np.nan], [np.nan], s=_RING_AREA * _marker_scale(), facecolor="none", zorder=7,
                               edgecolor=PALETTE["vermillion"], linewidth=4)
        self.users_ring = ax.scatter([np.nan], [np.nan], s=_RING_AREA * _marker_scale(), facecolor="none", zorder=7,
                                     edgecolor=PALETTE["sky"], linewidth=4)
        ax.set_title("backward pass: red = this step's node, blue = the nodes it feeds", loc="left")
        self.cover = self._covers()              # draws the figure once: the layout is final
        self.texts = [self._readout_text(k) for k in range(len(self.steps))]
        self.readouts = self._render_readouts(self.texts)
        self.readout = _Bitmap(self.readouts[0], self.ax, _READOUT_AT)
        self.fig.add_artist(self.readout)
        self.readout_text = self.texts[0]

    def _readout_text(self, k: int) -> str:
        """The three lines under the graph at step k: which node, its local derivatives, the product."""
        node = self.graph.nodes[self.steps[k].node]
        local, product = step_text(self.graph, self.steps[k])
        return f"step {k} of {len(self.steps) - 1}: {node.label} ({_role(node)})\n{local}\n{product}"

    def _render_readouts(self, texts: list[str]) -> list[np.ndarray]:
        """Each step's readout as an RGBA bitmap, rendered once.

        Laying out and rasterising the hundred-odd glyphs of a readout costs more than the
        rest of a frame; pasting a ready bitmap costs a fraction of a millisecond.
        """
        width = int(self.fig.bbox.width - self.ax.transData.transform(_READOUT_AT)[0])
        height = int(3.2 * 1.8 * plt_rc["font.size"] * self.fig.dpi / 72)
        sheet = Figure(figsize=(width / self.fig.dpi, height / self.fig.dpi), dpi=self.fig.dpi, facecolor="white")
        GlyphCanvas(sheet)
        line = sheet.text(0.0, 1.0, "", va="top", linespacing=1.8)
        bitmaps = []
        for text in texts:
            line.set_text(text)
            sheet.canvas.draw()
            bitmaps.append(np.asarray(sheet.canvas.buffer_rgba()).copy())
        return bitmaps

    def _covers(self) -> PolyCollection:
        """White boxes over the gradients not reached yet, one per step (their text stays put).

        The gradient labels are drawn once with the figure; hiding the unreached ones with one
        collection keeps a move to a single cheap artist instead of many changing texts.
        """
        self.fig.canvas.draw()                    # lay the texts out to measure them
        to_data = self.ax.transData.inverted()
        boxes = []
        for s in self.steps:
            (x0, y0), (x1, y1) = to_data.transform(self.grad_text[s.node].get_window_extent().padded(3).get_points())
            boxes.append([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        cover = PolyCollection(boxes, facecolors="white", edgecolors="none", zorder=6)
        self.ax.add_collection(cover, autolim=False)
        return cover

    # -- static drawing ---------------------------------------------------------------
    def _draw_edges(self) -> None:
        for name, node in self.graph.nodes.items():
            if node.kind == "param" and node.edge is not None:
                start, end = (self.pos[n] for n in node.edge)
                self.ax.plot(*np.c_[start, end], color=PALETTE["black"], linewidth=1.5, alpha=0.5, zorder=1)
                at = _label_point(start, end, self.graph.nodes[node.edge[0]].kind == "input")
                self.ax.text(*at, node.label, ha="center", va="center", fontsize="small", zorder=3,
                             bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"))
            elif node.kind == "param":                       # a bias: a stub into its user
                (user,) = self.graph.users(name)
                tip = _stub(self.pos[user])
                self.ax.plot(*np.c_[tip, self.pos[user]], color=PALETTE["black"], linewidth=1.5,
                             alpha=0.5, zorder=1)
                self.ax.text(*(tip + [0.0, 0.02]), node.label, ha=_side(tip, self.pos[user]),
                             va="bottom", fontsize="small")
            else:
                for source in node.inputs:
                    if source in self.pos and self.graph.nodes[source].kind != "param" \
                            and not self._weighted(source, name):
                        xs, ys = np.c_[self.pos[source], self.pos[name]]
                        self.ax.plot(xs, ys, color=PALETTE["black"], linewidth=1.5, alpha=0.5, zorder=1)

    def _weighted(self, source: str, target: str) -> bool:
        return any(n.edge == (source, target) for n in self.graph.nodes.values())

    def _draw_nodes(self) -> None:
        colors = {"input": PALETTE["green"], "value": PALETTE["blue"], "loss": PALETTE["orange"]}
        names = list(self.pos)
        xy = np.array([self.pos[n] for n in names])
        self.ax.scatter(xy[:, 0], xy[:, 1], s=_NODE_AREA * _marker_scale(), zorder=3, edgecolor="white",
                        color=[colors[self.graph.nodes[n].kind] for n in names])
        for n in names:
            x, y = self.pos[n]
            self.ax.text(x, y, self.graph.nodes[n].label, ha="center", va="center", color="white",
                         fontsize="large", fontweight="bold", zorder=4)
            self.ax.annotate(f"{self.graph.nodes[n].value:.4f}", (x, y), xytext=(0, _ring_radius()),
                             textcoords="offset points", ha="center", va="bottom", fontsize="small", zorder=4)

    def _grad_label(self, step: BackwardStep) -> Text:
        """dL/d(node) in red, drawn once: under a node, under a weight's label, beside a bias."""
        name, node = step.node, self.graph.nodes[step.node]
        if name in self.pos:
            at, below, ha = self.pos[name], _ring_radius(), "center"
        elif node.edge is not None:
            start, end = (self.pos[n] for n in node.edge)
            at = _label_point(start, end, self.graph.nodes[node.edge[0]].kind == "input")
            below, ha = 0.6 * plt_rc["font.size"], "center"
        else:
            (user,) = self.graph.users(name)
            at = _stub(self.pos[user])
            below, ha = 2.0, _side(at, self.pos[user])
        return self.ax.annotate(f"{step.grad:.4f}", at, xytext=(0, -below), textcoords="offset points",
                                ha=ha, va="top", fontsize="small", color=PALETTE["vermillion"], zorder=5,
                                bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"))

    # -- live -------------------------------------------------------------------------------
    def _place_rings(self, step: BackwardStep) -> None:
        """Red: the node of this step (a ring, or the edge or stub of a weight or bias);
        blue: the nodes that use it."""
        node = self.graph.nodes[step.node]
        nan = np.array([[np.nan, np.nan]])
        if step.node in self.pos:
            self.ring.set_offsets(self.pos[step.node][None])
            self.edge_ring.set_data([np.nan], [np.nan])
        else:
            if node.edge is not None:
                start, end = (self.pos[n] for n in node.edge)
            else:
                end = self.pos[self.graph.users(step.node)[0]]
                start = _stub(end)
            self.ring.set_offsets(nan)
            self.edge_ring.set_data([start[0], end[0]], [start[1], end[1]])
        users = [self.pos[u] for u, _, _ in step.terms]
        self.users_ring.set_offsets(np.array(users) if users else nan)

    def update(self, *, step: int) -> None:
        """Show the backward pass after ``step`` + 1 nodes (0 = the loss); artists change in place."""
        if not 0 <= step < len(self.steps):
            raise ValueError(f"step must lie in 0..{len(self.steps) - 1}, got {step!r}")
        current = self.steps[step]
        hidden = np.arange(len(self.steps)) > step
        self.cover.set_facecolor(np.where(hidden[:, None], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 0.0]))
        self._place_rings(current)
        self.readout.set_data(self.readouts[step])
        self.readout_text = self.texts[step]


def _role(node) -> str:
    """What a node is, in words: input, weight, bias, value or loss."""
    if node.kind == "param":
        return "weight" if node.edge is not None else "bias"
    return node.kind


def _ring_radius() -> float:
    """Radius of the highlight ring in points (labels above and below a node clear it)."""
    return float(np.sqrt(_RING_AREA * _marker_scale()) / 2 + 3)

"""A stored training run, layer by layer: histograms at one step, diagnostics over all steps.

:class:`TrainingDiagnosticsView` draws, for the run chosen by ``update(run=...)``,

- top row: the histogram of each hidden layer's activations on the probe batch at the
  SGD step chosen by ``update(step=...)``, with its std and share saturated or dead;
- bottom row: four curves per layer against the step (share saturated or dead, std of
  the activations, std of the gradients dL/dz, update-to-data ratio with the 1e-3 mark),
  and a cursor at the chosen step.

The numbers come from :func:`nbsupport.training.layer_arrays` of the stored results;
the view computes nothing.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from ..controls import ChoiceControl, IntControl
from ..diagnostics import SATURATING
from ..plotting import PALETTE, color_for, label_axes, new_figure

__all__ = ["TrainingDiagnosticsView", "HEALTHY_UPDATE_RATIO"]

#: The update-to-data ratio usually seen with a well-chosen learning rate.
HEALTHY_UPDATE_RATIO = 1e-3
_RANGES = {"act_std": (1e-3, 1e6), "grad_std": (1e-9, 1e2), "update_ratio": (1e-7, 10.0)}
_HIST_TOP = 0.5


class TrainingDiagnosticsView:
    """Histograms per layer at one step (top) and per-layer curves over the steps (bottom).

    ``runs`` maps a label ("tanh, Xavier") to the arrays of
    :func:`nbsupport.training.layer_arrays` plus ``"activation"``; all runs share the
    number of layers.  ``update(run=label, step=n)`` shows run ``label`` at the last
    record taken at or before SGD step ``n``.  The controls (``self.controls``): the run
    (``run``, else the first, shown first) and the step, from 0 to the last record of
    any run, by the smallest spacing of the records.
    """

    @classmethod
    def example(cls) -> "TrainingDiagnosticsView":
        """A small instance: two made-up runs (tanh, relu) of two layers and ten records."""
        rng = np.random.default_rng(0)
        steps = np.arange(0, 40, 4)
        edges = np.linspace(-1.0, 1.0, 11)
        runs = {}
        for k, act in enumerate(("tanh", "relu")):
            shape = (len(steps), 2)
            runs[act] = {"steps": steps, "hist_edges": edges, "activation": act,
                         "hist": rng.dirichlet(np.ones(10), size=shape) * 0.4,
                         "act_std": rng.uniform(0.1, 1.0, shape) * (k + 1),
                         "grad_std": rng.uniform(1e-4, 1e-2, shape), "update_ratio": rng.uniform(1e-4, 1e-2, shape),
                         "saturated": rng.uniform(0, 1, shape), "dead": rng.uniform(0, 1, shape)}
        return cls(runs)

    def __init__(self, runs: Mapping[str, Mapping], run: str | None = None) -> None:
        self.runs = dict(runs)
        shown = next(iter(self.runs)) if run is None else run
        if shown not in self.runs:
            raise ValueError(f"run must be one of {list(self.runs)}, got {run!r}")
        gaps = [int(np.diff(data["steps"]).min()) for data in self.runs.values() if len(data["steps"]) > 1]
        every = min(gaps, default=1)              # a run that overflowed at once has one record
        last = int(max(data["steps"][-1] for data in self.runs.values()))
        self.controls = (ChoiceControl("run", shown, list(self.runs), "run"),
                         IntControl("step", 0, 0, last, "SGD step", step=every))
        first = self.runs[shown]
        self.layers = first["act_std"].shape[1]
        self.fig, axes = new_figure(max(self.layers, 4), 2, width=15.0, height=7.2)
        grid = axes.reshape(2, -1)
        self.hist_axes = grid[0, :self.layers]
        for ax in grid[0, self.layers:]:
            ax.set_visible(False)
        self.curve_axes = dict(zip(["share", "act_std", "grad_std", "update_ratio"], grid[1, :4]))
        for ax in grid[1, 4:]:
            ax.set_visible(False)
        self._build_histograms(first["hist_edges"])
        self._build_curves()
        self.label: str | None = None
        self.update(run=shown, step=0)
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")  # keep that layout: re-running it costs a second a draw

    def _build_histograms(self, edges: np.ndarray) -> None:
        zeros = np.zeros(len(edges) - 1)
        self.stairs, self.readouts = [], []
        for layer, ax in enumerate(self.hist_axes):
            self.stairs.append(ax.stairs(zeros, edges, fill=True, color=color_for(layer), alpha=0.85))
            self.readouts.append(ax.text(0.97, 0.97, "", transform=ax.transAxes, ha="right", va="top",
                                         fontsize="small", family="monospace",
                                         bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"}))
            ax.set_ylim(0, _HIST_TOP)
            ax.set_title(f"layer {layer + 1}", color=color_for(layer))
            ax.set_xlabel("activation")
            if layer:
                ax.set_yticklabels([])
        self.hist_axes[0].set_ylabel("share of activations")

    def _build_curves(self) -> None:
        self.curves: dict[str, list] = {}
        self.cursors = []
        for key, ax in self.curve_axes.items():
            self.curves[key] = [ax.plot([], [], color=color_for(layer), label=f"layer {layer + 1}")[0]
                                for layer in range(self.layers)]
            self.cursors.append(ax.axvline(0, color=PALETTE["black"], linewidth=1.0, alpha=0.6))
            if key in _RANGES:
                ax.set_yscale("log")
                ax.set_ylim(*_RANGES[key])
                ax.minorticks_off()
        self.curve_axes["share"].set_ylim(-0.02, 1.02)
        ratio_ax = self.curve_axes["update_ratio"]
        ratio_ax.axhline(HEALTHY_UPDATE_RATIO, color=PALETTE["black"], linestyle="--", linewidth=1.0)
        ratio_ax.text(0.02, HEALTHY_UPDATE_RATIO * 1.6, "1e-3", transform=ratio_ax.get_yaxis_transform(),
                      fontsize="small")
        label_axes(self.curve_axes["act_std"], "SGD step", "std of activations", legend=False)
        label_axes(self.curve_axes["grad_std"], "SGD step", "std of dL/dz", legend=False)
        label_axes(ratio_ax, "SGD step", "update / data", legend=False)
        self.curve_axes["share"].set_xlabel("SGD step")
        self.fig.legend(handles=self.curves["act_std"], loc="outside right center", frameon=False)

    def steps(self, run: str) -> np.ndarray:
        """The SGD steps at which run ``run`` was recorded."""
        return self.runs[run]["steps"]

    def update(self, *, run: str, step: int = 0) -> None:
        if run not in self.runs:
            raise ValueError(f"run must be one of {list(self.runs)}, got {run!r}")
        if run != self.label:
            self._show_run(run)
        data = self.runs[run]
        steps = data["steps"]
        index = int(np.searchsorted(steps, step, side="right")) - 1
        index = min(max(index, 0), len(steps) - 1)
        for cursor in self.cursors:
            cursor.set_xdata([steps[index]] * 2)
        edges = data["hist_edges"]
        for layer in range(self.layers):
            heights = np.nan_to_num(data["hist"][index, layer])
            self.stairs[layer].set_data(heights, edges)
            self.readouts[layer].set_text(self._readout(data, index, layer))

    def _show_run(self, run: str) -> None:
        data = self.runs[run]
        steps = data["steps"]
        saturating = data["activation"] in SATURATING
        share = data["saturated"] if saturating else data["dead"]
        for key, values in (("share", share), ("act_std", data["act_std"]),
                            ("grad_std", data["grad_std"]), ("update_ratio", data["update_ratio"])):
            lo, hi = _RANGES.get(key, (-np.inf, np.inf))
            for layer, line in enumerate(self.curves[key]):
                column = values[:, layer]
                line.set_data(steps[:len(column)], np.clip(column, lo, hi))
        right = max(int(steps[-1]), 1)
        for ax in self.curve_axes.values():
            if ax.get_xlim() != (0, right):   # only on a change: new limits force a full redraw
                ax.set_xlim(0, right)
        ylabel = "share saturated" if saturating else "share dead"
        if self.curve_axes["share"].get_ylabel() != ylabel:
            self.curve_axes["share"].set_ylabel(ylabel)
        edges = data["hist_edges"]
        for ax in self.hist_axes:
            if ax.get_xlim() != (edges[0], edges[-1]):
                ax.set_xlim(edges[0], edges[-1])
        self.curve_axes["act_std"].set_title(run, fontsize="medium")
        self.label = run

    @staticmethod
    def _readout(data: Mapping, index: int, layer: int) -> str:
        std = data["act_std"][index, layer]
        if data["activation"] in SATURATING:
            last = f"sat {100 * data['saturated'][index, layer]:.0f}%"
        else:
            last = f"dead {100 * data['dead'][index, layer]:.0f}%"
        return f"std {std:.2g}\n{last}"

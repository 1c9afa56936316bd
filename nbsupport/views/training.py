"""Loss and accuracy curves of training runs, stored or live.

:class:`CurvesView` draws one colour per run: training loss (dashed) and test loss
(solid) on the left, test accuracy on the right, with fixed axes so that runs can be
compared by eye.  :func:`seed_bands` adds the spread over seeds to a static figure.
:class:`LiveTrainingView` trains a small network on every ``update`` and redraws its
curves in place, keeping the previous run in grey for comparison.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ..controls import ChoiceControl, FloatControl
from ..mlp import MLP, train
from ..optim import SGD
from ..plotting import PALETTE, color_for, label_axes, new_figure

__all__ = ["CurvesView", "seed_bands", "LiveTrainingView"]

Curves = Mapping[str, Sequence[float]]   # keys: train_loss, val_loss, val_acc


class CurvesView:
    """Loss (left, log scale) and test accuracy (right) against the epoch, one colour per label.

    A figure filled by code (``update(curves=...)``), not by controls: ``controls`` is empty.
    """

    controls = ()

    @classmethod
    def example(cls) -> "CurvesView":
        return cls(["a", "b"], epochs=3)

    def __init__(self, labels: Sequence[str], epochs: int, loss_range: tuple[float, float] = (0.005, 3.0),
                 acc_range: tuple[float, float] = (0.5, 1.0), title: str = "") -> None:
        self.labels = list(labels)
        self.fig, (self.ax_loss, self.ax_acc) = new_figure(2, width=11.0, height=4.2)
        self.lines: dict[str, tuple] = {}
        for i, label in enumerate(self.labels):
            color = PALETTE["black"] if label == "previous run" else color_for(i)
            alpha = 0.35 if label == "previous run" else 1.0
            (train_line,) = self.ax_loss.plot([], [], "--", color=color, alpha=alpha, linewidth=1.5)
            (test_line,) = self.ax_loss.plot([], [], "-", color=color, alpha=alpha, label=label)
            (acc_line,) = self.ax_acc.plot([], [], "-", color=color, alpha=alpha, label=label)
            self.lines[label] = (train_line, test_line, acc_line)
        self.ax_loss.plot([], [], "--", color="grey", label="(dashed: training)")
        self.ax_loss.set_yscale("log")
        self.ax_loss.set(xlim=(0, epochs + 0.5), ylim=loss_range)
        self.ax_acc.set(xlim=(0, epochs + 0.5), ylim=acc_range)
        label_axes(self.ax_loss, "epoch", "cross-entropy loss (log scale)", legend=False)
        label_axes(self.ax_acc, "epoch", "test accuracy", title=title or None, legend=False)
        self.ax_loss.legend(frameon=False, fontsize="small", loc="lower left")
        if title:
            self.ax_acc.set_title(title, fontsize="medium")

    def update(self, *, curves: Mapping[str, Curves]) -> None:
        """Set the curves of the given labels (others keep their data)."""
        for label, run in curves.items():
            train_line, test_line, acc_line = self.lines[label]
            epochs = np.arange(1, len(run["val_acc"]) + 1)
            train_line.set_data(epochs, run["train_loss"])
            test_line.set_data(epochs, run["val_loss"])
            acc_line.set_data(epochs, run["val_acc"])


def seed_bands(view: CurvesView, runs_by_label: Mapping[str, Sequence[Curves]]) -> None:
    """Shade min-max over seeds of the test loss and accuracy (static figures only)."""
    for i, label in enumerate(view.labels):
        runs = runs_by_label[label]
        epochs = np.arange(1, len(runs[0]["val_acc"]) + 1)
        for ax, key in ((view.ax_loss, "val_loss"), (view.ax_acc, "val_acc")):
            values = np.array([run[key] for run in runs])
            ax.fill_between(epochs, values.min(axis=0), values.max(axis=0),
                            color=color_for(i), alpha=0.2, linewidth=0)


class LiveTrainingView:
    """Train ``784-hidden-...-10`` on every ``update`` and show this run beside the previous one.

    ``update(h1=..., h2=..., init=..., lr=...)``: hidden activations (names of
    ``nbsupport.mlp.MLP``, "none" for identity), the initializer and the SGD learning
    rate (default: the one given here); the run uses a fixed seed, so the same settings
    give the same curves.
    """

    latency_kind = "training"  # for benchmarks/latency.py: a run of seconds, not a redraw
    repeatable = False  # an update is a new run: this run becomes the previous one
    ACTIVATION_CHOICES = ("none", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")
    INIT_CHOICES = ("xavier_uniform", "xavier_normal", "he_normal", "lecun_normal")

    @classmethod
    def example(cls) -> "LiveTrainingView":
        rng = np.random.default_rng(0)
        X, y = rng.normal(size=(60, 784)).astype(np.float32), np.arange(60) % 10
        return cls(X, y, X[:20], y[:20], hidden=(8, 8), epochs=2)

    def __init__(self, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray,
                 y_test: np.ndarray, hidden: Sequence[int] = (100, 100), epochs: int = 8,
                 lr: float = 0.1, batch_size: int = 50, seed: int = 0) -> None:
        self.data = (X_train, y_train, X_test, y_test)
        self.hidden, self.epochs, self.lr = list(hidden), epochs, lr
        self.batch_size, self.seed = batch_size, seed
        self.controls = (
            ChoiceControl("h1", "relu", self.ACTIVATION_CHOICES, "hidden layer 1"),
            ChoiceControl("h2", "relu", self.ACTIVATION_CHOICES, "hidden layer 2"),
            ChoiceControl("init", "he_normal", self.INIT_CHOICES, "initialization"),
            FloatControl("lr", lr, 0.01, 0.5, 0.01, "learning rate", live=False))
        self.view = CurvesView(["this run", "previous run"], epochs, acc_range=(0.7, 1.0))
        self.fig = self.view.fig
        self.last: dict | None = None
        self.last_label = ""

    def run(self, activations: Sequence[str], init: str, lr: float) -> dict[str, list[float]]:
        """Train one network with these settings (SGD at learning rate ``lr``); return its curves."""
        X_train, y_train, X_test, y_test = self.data
        net = MLP([X_train.shape[1], *self.hidden, 10], activations=list(activations), init=init,
                  rng=self.seed)
        history = train(net, X_train, y_train, self.epochs, self.batch_size, SGD(lr),
                        rng=self.seed, X_val=X_test, y_val=y_test)
        return {"train_loss": history.train_loss, "val_loss": history.val_loss,
                "val_acc": history.val_acc}

    def update(self, *, h1: str = "relu", h2: str = "relu", init: str = "he_normal",
               lr: float | None = None) -> None:
        lr = self.lr if lr is None else lr
        curves = self.run([h1, h2], init, lr)
        label = f"{h1}/{h2}, {init}, lr {lr:g}"
        shown = {"this run": curves}
        if self.last is not None:
            shown["previous run"] = self.last
        self.view.update(curves=shown)
        self.view.ax_acc.set_title(f"this run: {label}, test acc {curves['val_acc'][-1]:.3f}\n"
                                   f"grey: {self.last_label or '(none yet)'}", fontsize="small")
        self.last, self.last_label = curves, f"{label}, {curves['val_acc'][-1]:.3f}"

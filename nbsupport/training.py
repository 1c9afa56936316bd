"""Watching a network while it trains: per-layer diagnostics as curves over steps.

Notebook 07 looks at the signal before training; this module follows it through
training.  Every ``record_every`` steps of mini-batch SGD, a fixed *probe* batch goes
forward and backward once (without changing the weights), and for every hidden layer
l we keep

- ``saturated``: share of the probe's pre-activations where f'(z) is below 5% of its
  peak (sigmoid, tanh), and ``dead``: share of units whose pre-activation is <= 0 for
  every probe sample (ReLU family) - both as defined in :mod:`nbsupport.diagnostics`;
- ``act_std``: std of the activations a_l, ``grad_std``: std of dL/dz_l;
- ``update_ratio``: std(W_l after the step - W_l before) / std(W_l before), the size
  of the step relative to the weights, measured on the training step itself, so it is
  right for any optimizer (for plain SGD it is lr std(dW) / std(W)).  About 1e-3 is
  the usual sign of a healthy learning rate (Karpathy, makemore part 3).

:func:`initial_loss_check` compares the loss before any step with ln(classes), the
loss of a network that spreads its probability evenly over the classes.  The named
initialization schemes of notebook 11 are in :data:`SCHEMES`.

Example
-------
>>> import numpy as np
>>> from nbsupport.mlp import MLP
>>> rng = np.random.default_rng(0)
>>> X, y = rng.normal(size=(120, 6)), rng.integers(0, 3, 120)
>>> net = MLP([6, 16, 16, 3], activations="tanh", init="xavier_normal", rng=0)
>>> run = monitored_train(net, X, y, epochs=2, batch_size=20, lr=0.1, record_every=3)
>>> run.steps.tolist(), run.update_ratio.shape
([0, 3, 6, 9], (4, 2))
"""
from __future__ import annotations

import math
import platform
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from . import __version__, data, diagnostics
from ._checks import (as_float_array, as_rng, check_nonempty, check_positive, check_positive_int,
                      check_representable, check_scalar, power_of_two_scale, scale_safe)
from .mlp import MLP, train_step
from .optim import DIVERGED_ERRSTATE, SGD, Optimizer

__all__ = ["SCHEMES", "HIST_EDGES", "scheme_init", "expected_initial_loss",
           "initial_loss_check", "InitialLossCheck", "update_ratio", "Monitor", "Diverged",
           "monitored_train", "set_constant_weights", "unit_gap", "distinct_units", "spread_parts",
           "activation_histogram",
           "RUNS", "CONFIGS", "run_label", "monitor_to_dict", "layer_arrays", "seed_curves", "stored_layers",
           "summary_table", "train_run", "run"]

#: Initialization schemes by name: a weight std, an ``nbsupport.init`` name, or a rule
#: n_in -> std.  "sqrt(n/2) (misquoted He)" turns He's fraction upside down.
SCHEMES = {
    "std 0.01": 0.01,
    "std 1": 1.0,
    "LeCun": "lecun_normal",
    "Xavier": "xavier_normal",
    "He": "he_normal",
    "sqrt(n/2) (misquoted He)": lambda n_in: math.sqrt(n_in / 2),
}


def scheme_init(scheme: str, sizes: list[int], gain: float = 1.0):
    """The ``init`` argument of :class:`nbsupport.mlp.MLP` for a named scheme.

    ``gain`` multiplies every std (tanh's 5/3); with a gain other than 1 the result is a
    list of stds, one per weight matrix, from each scheme's formula.

    >>> scheme_init("He", [100, 50, 10])
    'he_normal'
    >>> [round(s, 3) for s in scheme_init("sqrt(n/2) (misquoted He)", [100, 50, 10])]
    [7.071, 5.0]
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {list(SCHEMES)}, got {scheme!r}")
    gain = check_positive(gain, "gain")
    rule = SCHEMES[scheme]
    if isinstance(rule, str) and gain == 1.0:
        return rule
    fans = list(zip(sizes[:-1], sizes[1:]))
    stds = {"lecun_normal": lambda i, o: math.sqrt(1 / i),
            "xavier_normal": lambda i, o: math.sqrt(2 / (i + o)),
            "he_normal": lambda i, o: math.sqrt(2 / i)}
    if isinstance(rule, str):
        return [gain * stds[rule](i, o) for i, o in fans]
    if callable(rule):
        return [gain * rule(i) for i, _ in fans]
    return rule * gain if gain != 1.0 else rule


def expected_initial_loss(n_classes: int) -> float:
    """ln(n_classes): the cross-entropy of a uniform guess, -ln(1/k).

    >>> round(expected_initial_loss(10), 4)
    2.3026
    """
    return math.log(check_positive_int(n_classes, "n_classes"))


@dataclass
class InitialLossCheck:
    """The loss before training beside ln(classes); ``ratio`` = loss / ln(classes)."""
    loss: float
    expected: float

    @property
    def ratio(self) -> float:
        return self.loss / self.expected

    def verdict(self, tolerance: float = 0.25) -> str:
        """One line: close to ln(k), or what a too-high loss says (confident and wrong)."""
        if abs(self.ratio - 1) <= tolerance:
            return "close to ln(k): the network starts by spreading its bets evenly"
        if self.ratio > 1:
            return "too high: the logits start large, so the network is confidently wrong"
        return "too low: the start already favours the right classes (check for a leak)"


def initial_loss_check(net: MLP, X, y) -> InitialLossCheck:
    """Cross-entropy of ``net`` on (X, y) before any step, against ln(number of outputs).

    >>> net = MLP([4, 8, 10], init=0.01, rng=0)
    >>> check = initial_loss_check(net, np.ones((5, 4)), np.arange(5))
    >>> round(check.ratio, 3)
    1.0
    """
    if net.output != "softmax":
        raise ValueError(f"the initial-loss check needs a softmax output, got {net.output!r}")
    return InitialLossCheck(net.loss(X, y), expected_initial_loss(net.sizes[-1]))


def update_ratio(before: ArrayLike, after: ArrayLike) -> float:
    """std(after - before) / std(before): the relative size of one update of a weight matrix.

    ``inf`` when ``before`` has no spread (all weights equal), NaN when it holds NaN or
    inf.  Finite weights give a finite ratio also where their differences or squares
    overflow (the ratio is computed again on the weights divided by a power of two).

    >>> w = np.array([[1.0, -1.0], [2.0, -2.0]])
    >>> round(update_ratio(w, w * 1.001), 6)
    0.001
    """
    before = as_float_array(before, "before").astype(np.float64, copy=False)
    after = as_float_array(after, "after").astype(np.float64, copy=False)
    if before.shape != after.shape:
        raise ValueError(f"before and after must have one shape, got {before.shape} and {after.shape}")
    check_nonempty(before, "before")
    (spread,) = scale_safe(lambda b: (float(b.std()),), before)
    (change,) = scale_safe(lambda b, a: (float((a - b).std()),), before, after)
    if spread == 0:
        return math.inf
    if math.isinf(change) and math.isfinite(spread):  # beyond the float range; the ratio need not be
        scale = power_of_two_scale(before, after)
        with np.errstate(over="ignore"):
            return float((after / scale - before / scale).std()) / spread * scale
    return change / spread


class Monitor:
    """Per-layer curves of one run; each property is an array of shape (records, hidden layers).

    ``steps[r]`` is the number of SGD steps taken before record r; ``update_ratio[r]``
    belongs to the step taken right after it.  ``hist[r, l]`` is the histogram of layer
    l's activations on the probe batch over ``hist_edges``.  ``epoch_*`` hold the mean
    training loss per epoch and the validation loss and accuracy after it;
    ``diverged_step`` is None unless the run diverged (:func:`nbsupport.optim.diverged`).
    """

    KEYS = ("saturated", "dead", "act_std", "grad_std", "hist")

    def __init__(self, activation: str, hist_edges: np.ndarray, initial_loss: float) -> None:
        self.activation, self.hist_edges, self.initial_loss = activation, hist_edges, initial_loss
        self.step = 0
        self.diverged_step: int | None = None
        self.records: dict[str, list] = {key: [] for key in ("steps", *self.KEYS)}
        self.ratios: list[list[float]] = []
        self.epoch_train_loss: list[float] = []
        self.epoch_val_loss: list[float] = []
        self.epoch_val_acc: list[float] = []

    def add_probe(self, step: int, *values) -> None:
        self.records["steps"].append(step)
        for key, value in zip(self.KEYS, values):
            self.records[key].append(value)

    def _array(self, key: str) -> np.ndarray:
        return np.array(self.records[key], dtype=np.float64)

    steps = property(lambda self: np.array(self.records["steps"], dtype=np.int64))
    saturated = property(lambda self: self._array("saturated"))
    dead = property(lambda self: self._array("dead"))
    act_std = property(lambda self: self._array("act_std"))
    grad_std = property(lambda self: self._array("grad_std"))
    hist = property(lambda self: self._array("hist"))

    @property
    def update_ratio(self) -> np.ndarray:
        """One row per record whose step was taken (a diverged run may lack the last)."""
        return np.array(self.ratios, dtype=np.float64)


def activation_histogram(a: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Share of the values of ``a`` in each bin; values beyond the edges go to the end bins.

    ``edges`` must be finite and increasing (at least two).  NaN falls in no bin, so the
    shares of an ``a`` holding NaN add up to less than 1.

    >>> activation_histogram(np.array([-3.0, 0.2, 0.7, 5.0]), np.array([0.0, 0.5, 1.0])).tolist()
    [0.5, 0.5]
    """
    edges = as_float_array(edges, "edges")
    if edges.ndim != 1 or edges.size < 2 or not np.isfinite(edges).all() or (np.diff(edges) <= 0).any():
        raise ValueError(f"edges must be a 1-D increasing array of at least two finite bin edges, got {edges!r}")
    clipped = np.clip(as_float_array(a, "a").ravel(), edges[0], edges[-1])
    counts, _ = np.histogram(clipped, bins=edges)
    return counts / max(clipped.size, 1)


#: Histogram bins of each activation that :func:`monitored_train` follows.
HIST_EDGES = {"sigmoid": np.linspace(0, 1, 31), "tanh": np.linspace(-1, 1, 31),
              "relu": np.linspace(0, 4, 31)}


def _probe(net: MLP, X: np.ndarray, y: np.ndarray, activation: str) -> tuple[list, ...]:
    """Forward and backward the probe batch; the per-layer numbers of :class:`Monitor`."""
    net.forward(X, record=True)
    net.backward(y, record=True)
    hidden = net.records[:-1]
    saturating, rectifying = activation in diagnostics.SATURATING, activation in diagnostics.ZERO_BELOW
    sat = [diagnostics.saturated_share(r.pre, activation) if saturating else math.nan for r in hidden]
    dead = [diagnostics.dead_share(r.pre) if rectifying else math.nan for r in hidden]
    act_std = [float(r.act.std()) for r in hidden]
    grad_std = [float(r.grad_pre.std()) for r in hidden]
    hist = [activation_histogram(r.act, HIST_EDGES[activation]) for r in hidden]
    return sat, dead, act_std, grad_std, hist


class Diverged(ArithmeticError):
    """A training step diverged (:func:`nbsupport.optim.diverged`)."""


def monitored_train(net: MLP, X, y, *, epochs: int, batch_size: int, lr: float, rng=0,
                    record_every: int = 10, probe: int = 500, X_val=None, y_val=None,
                    optimizer: Optimizer | None = None) -> Monitor:
    """Train ``net`` in place by mini-batch SGD and record the per-layer diagnostics.

    Records are taken before step 0 and every ``record_every`` steps after it, on the
    first ``probe`` training samples (a fixed batch, so the curves compare like with
    like).  All hidden layers must share one activation.  A run that diverges
    (:func:`nbsupport.optim.diverged`: a weight beyond the bound, or an overflow or
    invalid value in a step or a probe) stops there without a warning: ``diverged_step``
    says where, the network keeps its weights from before that step, and the epochs it
    did not finish are NaN (the missing values of the stored runs).
    """
    X = np.asarray(X, dtype=net.dtype)
    y = np.asarray(y)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    record_every = check_positive_int(record_every, "record_every")
    activation = _single_activation(net)
    optimizer = optimizer or SGD(lr)
    generator = as_rng(rng)
    probe_batch = (X[:probe], y[:probe])
    monitor = Monitor(activation, HIST_EDGES[activation], _initial_loss(net, X, y))
    for _ in range(epochs):
        order = generator.permutation(len(X))
        try:
            with np.errstate(**DIVERGED_ERRSTATE):
                loss = _epoch(net, X, y, order, batch_size, optimizer, monitor, record_every, probe_batch)
                validation = (net.loss(X_val, y_val), net.accuracy(X_val, y_val)) if X_val is not None else ()
        except (FloatingPointError, Diverged):
            monitor.diverged_step = monitor.step
            break
        monitor.epoch_train_loss.append(loss)
        if X_val is not None:
            monitor.epoch_val_loss.append(validation[0])
            monitor.epoch_val_acc.append(validation[1])
    missing = epochs - len(monitor.epoch_train_loss)
    for curve in (monitor.epoch_train_loss, *((monitor.epoch_val_loss, monitor.epoch_val_acc)
                                              if X_val is not None else ())):
        curve.extend([math.nan] * missing)
    return monitor


def _single_activation(net: MLP) -> str:
    names = set(net.activation_names)
    if len(names) != 1:
        raise ValueError(f"all hidden layers must share one activation, got {net.activation_names}")
    activation = names.pop()
    if activation not in HIST_EDGES:
        raise ValueError(f"activation must be one of {list(HIST_EDGES)}, got {activation!r}")
    return activation


def _initial_loss(net: MLP, X: np.ndarray, y: np.ndarray) -> float:
    with np.errstate(over="ignore"):      # a huge start may overflow float32 logits
        return initial_loss_check(net, X, y).loss


def _epoch(net, X, y, order, batch_size, optimizer, monitor, record_every, probe_batch) -> float:
    """One pass over the shuffled data; returns the mean training loss of its batches."""
    total = 0.0
    before_step = [np.empty_like(p) for p in net.params()]
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        recording = monitor.step % record_every == 0
        if recording:
            monitor.add_probe(monitor.step, *_probe(net, *probe_batch, monitor.activation))
            before = [d.W.copy() for d in net.dense[:-1]]
        done = train_step(net, optimizer, X[idx], net.head.check_targets(y[idx], len(idx), net.sizes[-1]),
                          before_step)
        if done is None:
            raise Diverged(f"step {monitor.step} diverged")
        total += done[0] * len(idx)
        if recording:
            monitor.ratios.append([update_ratio(b, d.W) for b, d in zip(before, net.dense[:-1])])
        monitor.step += 1
    return total / len(X)


def set_constant_weights(net: MLP, value: float) -> None:
    """Give every weight of every layer the same ``value`` (biases stay 0).

    ``value`` is a finite number that the network's dtype can hold (a ValueError naming
    it otherwise: NaN weights, or a float32 cast to inf, would poison every output).
    """
    value = check_scalar(value, "value")
    check_representable(value, net.dtype, "value", "the network")
    for dense in net.dense:
        dense.W[...] = value


def unit_gap(net: MLP) -> list[float]:
    """Per hidden layer, the largest difference between two units' incoming weights.

    max over i, j of |W[i, j] - W[i, 0]|, relative to max |W| (0 for an all-zero W):
    0 means every unit of the layer computes the same function of its inputs.

    >>> net = MLP([3, 4, 2], rng=0)
    >>> set_constant_weights(net, 0.5); unit_gap(net)
    [0.0]
    """
    gaps = []
    for dense in net.dense[:-1]:
        W = dense.W.astype(np.float64)
        scale = np.abs(W).max()
        gaps.append(float(np.abs(W - W[:, :1]).max() / scale) if scale > 0 else 0.0)
    return gaps


def distinct_units(net: MLP, rtol: float = 1e-4) -> list[int]:
    """Per hidden layer, how many units have different incoming weights (columns of W).

    Weights that differ by less than ``rtol`` times the largest weight count as equal,
    so that rounding differences (a last bit from the order of a sum) do not count.

    >>> net = MLP([3, 4, 2], rng=0)
    >>> distinct_units(net)
    [4]
    >>> set_constant_weights(net, 0.5); distinct_units(net)
    [1]
    """
    rtol = check_positive(rtol, "rtol")
    counts = []
    for dense in net.dense[:-1]:
        W = dense.W.astype(np.float64)
        scale = np.abs(W).max() or 1.0
        counts.append(len(np.unique(np.round(W / (rtol * scale)), axis=1).T))
    return counts


def spread_parts(a: ArrayLike) -> tuple[float, float]:
    """Split a layer's spread (samples in rows, units in columns) into two parts.

    ``within``: mean over units of each unit's std over the samples - how much the unit
    tells inputs apart; ``between``: std over units of each unit's mean - fixed offsets
    that are the same for every input and carry no information about it.  Finite
    values give finite parts (no overflow in the squares, see
    :func:`nbsupport._checks.scale_safe`).

    >>> within, between = spread_parts(np.array([[0.0, 5.0], [0.0, 5.0]]))
    >>> within, between
    (0.0, 2.5)
    """
    a = as_float_array(a, "a").astype(np.float64, copy=False)
    if a.ndim != 2:
        raise ValueError(f"a must be 2-D (samples, units), got shape {a.shape}")
    check_nonempty(a, "a")
    return scale_safe(lambda v: (float(v.std(axis=0).mean()), float(v.mean(axis=0).std())), a)


# ----------------------------------------------------------------------------------------
# Stored runs: the experiment behind notebook 11 (experiments/init_training.py writes it)
# ----------------------------------------------------------------------------------------

#: (activation, scheme, gain) of every stored run: all schemes with tanh and ReLU, tanh's
#: gain 5/3 on LeCun, and sigmoid with the two starts notebook 07 compares.
RUNS = ([("tanh", scheme, 1.0) for scheme in SCHEMES] + [("tanh", "LeCun", 5 / 3)]
        + [("relu", scheme, 1.0) for scheme in SCHEMES]
        + [("sigmoid", "Xavier", 1.0), ("sigmoid", "std 1", 1.0)])

CONFIGS = {
    "full": {"hidden": [100] * 5, "epochs": 20, "batch_size": 32, "lr": 0.1, "test_size": 0.25,
             "record_every": 21, "probe": 500, "seeds": [0, 1, 2], "runs": RUNS},
    "quick": {"hidden": [16] * 3, "epochs": 2, "batch_size": 64, "lr": 0.1, "test_size": 0.25,
              "record_every": 5, "probe": 100, "seeds": [0, 1],
              "runs": [("tanh", "Xavier", 1.0), ("tanh", "LeCun", 5 / 3), ("relu", "std 1", 1.0)]},
}


def run_label(activation: str, scheme: str, gain: float = 1.0) -> str:
    """'tanh, Xavier' or 'tanh, LeCun x 5/3': the key of a run in the stored results."""
    return f"{activation}, {scheme}" + ("" if gain == 1.0 else " x 5/3" if math.isclose(gain, 5 / 3)
                                        else f" x {gain:g}")


def _rounded(values, digits: int = 4):
    """Nested lists of floats with ``digits`` significant digits; NaN and inf become None."""
    array = np.asarray(values, dtype=np.float64)
    flat = [float(f"{v:.{digits}g}") if math.isfinite(v) else None for v in array.ravel()]
    return np.array(flat, dtype=object).reshape(array.shape).tolist()


def monitor_to_dict(monitor: Monitor, with_layers: bool = True) -> dict:
    """JSON-ready numbers of a run (per-layer curves only when ``with_layers``)."""
    out = {"initial_loss": _rounded(monitor.initial_loss, 6), "diverged_step": monitor.diverged_step,
           "train_loss": _rounded(monitor.epoch_train_loss), "val_loss": _rounded(monitor.epoch_val_loss),
           "val_acc": _rounded(monitor.epoch_val_acc)}
    if with_layers:
        out["layers"] = {"steps": monitor.steps.tolist(), "update_ratio": _rounded(monitor.update_ratio, 3),
                         **{key: _rounded(getattr(monitor, key), 3) for key in Monitor.KEYS},
                         "hist_edges": _rounded(monitor.hist_edges, 6)}
    return out


def layer_arrays(stored: dict) -> dict[str, np.ndarray]:
    """The per-layer curves of a stored run as float arrays (None -> NaN)."""
    layers = stored["layers"]
    return {key: np.array(value, dtype=np.float64) if key != "steps" else np.array(value)
            for key, value in layers.items()}


def _floats(values) -> np.ndarray:
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


def seed_curves(results: dict, label: str) -> list[dict[str, np.ndarray]]:
    """Loss and accuracy curves of every seed of a stored run (missing epochs are NaN)."""
    return [{key: _floats(run[key]) for key in ("train_loss", "val_loss", "val_acc")}
            for run in results["runs"][label]["seeds"]]


def stored_layers(results: dict) -> dict[str, dict]:
    """Per stored run, the per-layer arrays of its first seed and its activation."""
    return {label: {**layer_arrays(row["seeds"][0]), "activation": row["activation"]}
            for label, row in results["runs"].items()}


def summary_table(results: dict, activation: str) -> str:
    """One line per stored run of ``activation``: initial loss and final test accuracy over seeds."""
    lines = [f"{'scheme':28s} {'initial loss':>12s}   test accuracy: mean ± std  [min, max]"]
    for label, row in results["runs"].items():
        if row["activation"] != activation:
            continue
        seeds = row["seeds"]
        start = np.mean([run["initial_loss"] for run in seeds])
        scheme = label.split(", ", 1)[1]
        diverged = [run["diverged_step"] for run in seeds if run["diverged_step"] is not None]
        if diverged:
            lines.append(f"{scheme:28s} {start:12.4g}   overflowed at step {min(diverged)}-{max(diverged)}"
                         f" in {len(diverged)} of {len(seeds)} seeds")
            continue
        acc = np.array([run["val_acc"][-1] for run in seeds])
        lines.append(f"{scheme:28s} {start:12.4g}   {acc.mean():.3f} ± {acc.std(ddof=1):.3f}  "
                     f"[{acc.min():.3f}, {acc.max():.3f}]")
    return "\n".join(lines)


def train_run(activation: str, scheme: str, gain: float, cfg: dict, seed: int) -> Monitor:
    """One seeded run of the experiment: split, initial weights and shuffle from ``seed``."""
    split = data.load_digits(test_size=cfg["test_size"], rng=seed, scale="standard")
    sizes = [split.X_train.shape[1], *cfg["hidden"], 10]
    net = MLP(sizes, activations=activation, init=scheme_init(scheme, sizes, gain), rng=seed)
    return monitored_train(net, split.X_train, split.y_train, epochs=cfg["epochs"],
                           batch_size=cfg["batch_size"], lr=cfg["lr"], rng=seed,
                           record_every=cfg["record_every"], probe=cfg["probe"],
                           X_val=split.X_test, y_val=split.y_test)


def run(config: str = "full", log=print) -> dict:
    """Every run of ``CONFIGS[config]`` once per seed; JSON-ready results.

    Per-layer curves are kept for the first seed; loss and accuracy for every seed.
    """
    if config not in CONFIGS:
        raise ValueError(f"config must be one of {list(CONFIGS)}, got {config!r}")
    cfg = CONFIGS[config]
    start = time.perf_counter()
    runs = {}
    for activation, scheme, gain in cfg["runs"]:
        label = run_label(activation, scheme, gain)
        per_seed = []
        for seed in cfg["seeds"]:
            monitor = train_run(activation, scheme, gain, cfg, seed)
            per_seed.append({"seed": seed, **monitor_to_dict(monitor, with_layers=seed == cfg["seeds"][0])})
            log(f"  {label:36s} seed {seed}: initial loss {monitor.initial_loss:9.4g}, "
                f"test acc {monitor.epoch_val_acc[-1]:.3f}")
        runs[label] = {"activation": activation, "scheme": scheme, "gain": gain, "seeds": per_seed}
    return {"config": config, "settings": {**cfg, "runs": [list(r) for r in cfg["runs"]]},
            "data": "sklearn digits (8x8, 1,797 images), standardized per pixel",
            "runs": runs,
            "machine": {"python": platform.python_version(), "numpy": np.__version__,
                        "nbsupport": __version__, "minutes": round((time.perf_counter() - start) / 60, 2)}}

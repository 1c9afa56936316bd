"""Output layers and targets in practice: what goes on top of a network, and how it is named.

Three experiments of notebook 12 and one table:

- **Regression heads.** :func:`fit_regression` trains the same ReLU network with a linear
  output and MSE, or with the targets rescaled into [0, 1] by the training set's min and
  max and a sigmoid output under MSE.  The sigmoid head can never leave the training
  range, and near the ends its slope p (1 - p) shrinks the gradient.
- **Nominal targets.** :func:`fit_nominal` learns three colours either as one number
  per colour (e.g. red 1, yellow 0.5, blue 0, linear output and MSE, decoded to the
  nearest code) or one-hot with softmax and cross-entropy.
- **Binary cross-entropy on K classes.** :func:`bce_on_classes` splits what it computes
  into the categorical term and the K - 1 "not this class" terms.
- **Framework names.** :data:`FRAMEWORK_LOSSES` maps our losses to Keras and PyTorch,
  and :func:`framework_checks` computes each row both ways on the same numbers.

Everything is NumPy and :mod:`nbsupport`; no framework is imported.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from . import losses
from ._checks import (as_class_targets, as_float_array, as_rng, check_nonempty, check_nonnegative, check_no_nan,
                      check_positive_int, check_same_shape, check_scalar)
from .activations import sigmoid
from .mlp import MLP, train_step
from .optim import SGD
from .normalizers import log_softmax, softmax

__all__ = ["regression_data", "RegressionFit", "fit_regression", "sigmoid_mse_target",
           "COLOURS", "nominal_data", "NominalFit", "fit_nominal", "decode_codes",
           "bce_on_classes", "binary_accuracy", "FrameworkLoss", "FRAMEWORK_LOSSES",
           "framework_checks", "largest_gap"]


# ----------------------------------------------------------------------------------------
# Regression: a linear output against a sigmoid on rescaled targets
# ----------------------------------------------------------------------------------------

#: Largest |x| of :func:`regression_data`: x^3 - 2x then stays within float32's range.
_CUBE_LIMIT = 1e12


def regression_data(n: int = 400, rng=0, low: float = -2.0, high: float = 2.0,
                    noise: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """x ~ U(low, high) (column vector) and y = x^3 - 2x + noise, both float32.

    >>> x, y = regression_data(5, rng=0)
    >>> x.shape, y.shape
    ((5, 1), (5,))
    """
    low, high, noise = check_scalar(low, "low"), check_scalar(high, "high"), check_nonnegative(noise, "noise")
    if not -_CUBE_LIMIT <= low < high <= _CUBE_LIMIT:
        raise ValueError(f"low and high must satisfy -1e12 <= low < high <= 1e12 (x^3 in float32), "
                         f"got low={low!r}, high={high!r}")
    if noise > 1e30:
        raise ValueError(f"noise must be at most 1e30 (float32 targets), got {noise!r}")
    generator = as_rng(rng)
    x = generator.uniform(low, high, size=(check_positive_int(n, "n"), 1))
    y = x[:, 0] ** 3 - 2 * x[:, 0] + noise * generator.standard_normal(len(x))
    return x.astype(np.float32), y.astype(np.float32)


def sigmoid_mse_target(z: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The target that makes a linear-MSE head pass back the sigmoid-MSE gradient.

    A linear head with MSE sends back dL/dz = 2 (z - y) / N.  For p = sigmoid(z) under
    MSE against t the gradient is 2 (p - t) p (1 - p) / N, so y = z - (p - t) p (1 - p)
    gives exactly that.

    >>> z, t = np.array([0.0]), np.array([1.0])
    >>> sigmoid_mse_target(z, t).tolist()   # p = 0.5: y = 0 - (0.5 - 1) * 0.25
    [0.125]
    """
    p = sigmoid(z)
    return z - (p - t) * p * (1 - p)


@dataclass
class RegressionFit:
    """A trained regression network and how to read its outputs back in target units."""
    net: MLP
    head: str              # "linear" or "sigmoid"
    low: float             # the rescaling of a sigmoid head: y = low + (high - low) p
    high: float
    diverged_at: int | None = None   # the step at which training diverged and stopped

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predictions in the units of the targets, shape (n,)."""
        z = self.net.forward(np.asarray(x, dtype=np.float32))[:, 0].astype(np.float64)
        if self.head == "linear":
            return z
        return self.low + (self.high - self.low) * sigmoid(z)


def fit_regression(x: np.ndarray, y: np.ndarray, head: str, hidden: Sequence[int] = (32, 32),
                   epochs: int = 300, batch_size: int = 32, lr: float = 0.05, seed: int = 0) -> RegressionFit:
    """Train a ReLU network on (x, y) with a ``"linear"`` or ``"sigmoid"`` output under MSE.

    The sigmoid head learns t = (y - min y) / (max y - min y) of the training targets.
    A learning rate so large that training diverges (:func:`nbsupport.optim.diverged`)
    stops at that step: ``diverged_at`` says which, the network keeps the weights before it.
    """
    if head not in ("linear", "sigmoid"):
        raise ValueError(f"head must be 'linear' or 'sigmoid', got {head!r}")
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    low, high = float(y.min()), float(y.max())
    targets = y if head == "linear" else (y - low) / (high - low)
    net = MLP([x.shape[1], *hidden, 1], activations="relu", output="linear", init="he_normal", rng=seed)
    optimizer, generator = SGD(lr), as_rng(seed)
    x = net.check_input(x)
    if head == "linear":
        targets = net.head.check_targets(targets, len(x), 1)
    before, step = [np.empty_like(p) for p in net.params()], 0
    for _ in range(check_positive_int(epochs, "epochs")):
        order = generator.permutation(len(x))
        for start in range(0, len(x), batch_size):
            idx = order[start:start + batch_size]
            batch = (targets[idx] if head == "linear"
                     else lambda out, t=targets[idx]: sigmoid_mse_target(out[:, 0], t))   # targets from z
            if train_step(net, optimizer, x[idx], batch, before) is None:   # a too-large lr: stop there
                return RegressionFit(net, head, low, high, step)
            step += 1
    return RegressionFit(net, head, low, high)


# ----------------------------------------------------------------------------------------
# Nominal targets: one number per colour against one-hot
# ----------------------------------------------------------------------------------------

#: The three colours of the experiment and the centre of each one's inputs on the x axis.
COLOURS = {"red": -2.0, "blue": 0.0, "yellow": 2.0}


def nominal_data(per_class: int = 100, spread: float = 0.35, rng=0) -> tuple[np.ndarray, np.ndarray]:
    """1-D inputs around each colour's centre and labels 0, 1, 2 in the order of :data:`COLOURS`.

    >>> x, labels = nominal_data(2, rng=0)
    >>> x.shape, labels.tolist()
    ((6, 1), [0, 0, 1, 1, 2, 2])
    """
    spread = check_nonnegative(spread, "spread")
    if spread > 1e30:
        raise ValueError(f"spread must be at most 1e30 (float32 inputs), got {spread!r}")
    generator = as_rng(rng)
    centres = np.repeat(list(COLOURS.values()), check_positive_int(per_class, "per_class"))
    x = centres + spread * generator.standard_normal(len(centres))
    return x[:, None].astype(np.float32), np.repeat(np.arange(len(COLOURS)), per_class)


def decode_codes(outputs: np.ndarray, codes: Sequence[float]) -> np.ndarray:
    """The label whose code is nearest to each output (ties go to the lower label).

    ``outputs`` is 1-D without NaN (a NaN output is near no code), ``codes`` 1-D,
    finite and not empty.

    >>> decode_codes(np.array([0.9, 0.6, 0.1]), [1.0, 0.0, 0.5]).tolist()
    [0, 2, 1]
    """
    codes = as_float_array(codes, "codes").astype(np.float64, copy=False)
    outputs = as_float_array(outputs, "outputs").astype(np.float64, copy=False)
    if codes.ndim != 1 or codes.size == 0 or not np.isfinite(codes).all():
        raise ValueError(f"codes must be a non-empty 1-D list of finite numbers, got {codes!r}")
    if outputs.ndim != 1:
        raise ValueError(f"outputs must be 1-D (one number per sample), got shape {outputs.shape}")
    check_no_nan(outputs, "outputs")
    with np.errstate(over="ignore"):  # |output - code| may pass the range: inf, still the farthest
        return np.argmin(np.abs(outputs[:, None] - codes[None, :]), axis=1)


@dataclass
class NominalFit:
    """A trained colour network: ``codes`` for one number per colour, None for one-hot."""
    net: MLP
    codes: tuple[float, ...] | None
    diverged_at: int | None = None   # the step at which training diverged and stopped

    def outputs(self, x: np.ndarray) -> np.ndarray:
        """The coded output (n,) or the softmax probabilities (n, 3)."""
        out = self.net.forward(np.asarray(x, dtype=np.float32)).astype(np.float64)
        return out[:, 0] if self.codes is not None else out

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predicted labels: the nearest code, or the most probable class."""
        out = self.outputs(x)
        return decode_codes(out, self.codes) if self.codes is not None else out.argmax(axis=1)


def fit_nominal(x: np.ndarray, labels: np.ndarray, codes: Sequence[float] | None,
                hidden: Sequence[int] = (16, 16), epochs: int = 200, batch_size: int = 30,
                lr: float = 0.1, seed: int = 0) -> NominalFit:
    """Train on colour labels coded as one number each (MSE, linear output) or one-hot (softmax).

    A run that diverges stops at that step, as in :func:`fit_regression` (``diverged_at``).
    """
    labels = np.asarray(labels)
    if codes is None:
        net = MLP([1, *hidden, len(COLOURS)], activations="tanh", output="softmax", init="xavier_normal",
                  rng=seed)
        targets = labels
    else:
        codes = tuple(float(c) for c in codes)
        if len(codes) != len(COLOURS):
            raise ValueError(f"codes needs one number per colour ({len(COLOURS)}), got {len(codes)}")
        net = MLP([1, *hidden, 1], activations="tanh", output="linear", init="xavier_normal", rng=seed)
        targets = np.asarray(codes, dtype=np.float32)[labels]
    optimizer, generator = SGD(lr), as_rng(seed)
    x = net.check_input(x)
    targets = net.head.check_targets(targets, len(x), net.sizes[-1])
    before, step = [np.empty_like(p) for p in net.params()], 0
    for _ in range(check_positive_int(epochs, "epochs")):
        order = generator.permutation(len(x))
        for start in range(0, len(x), batch_size):
            idx = order[start:start + batch_size]
            if train_step(net, optimizer, x[idx], targets[idx], before) is None:   # a too-large lr: stop
                return NominalFit(net, codes, step)
            step += 1
    return NominalFit(net, codes)


# ----------------------------------------------------------------------------------------
# Binary cross-entropy on a K-class problem
# ----------------------------------------------------------------------------------------

def bce_on_classes(labels: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Binary cross-entropy of K-class probabilities against one-hot rows, taken apart.

    BCE averages over all N K entries: (1 / NK) sum_i [-ln p_i,y_i - sum_{k != y_i} ln(1 - p_ik)].
    Returns ``bce`` (nbsupport's :func:`~nbsupport.losses.binary_cross_entropy` on the
    one-hot rows), ``categorical`` (-mean ln p_i,y_i), ``others`` (mean over samples of
    the K - 1 "not this class" terms) and ``classes`` (K), so that
    bce = (categorical + others) / K.

    >>> parts = bce_on_classes(np.array([0]), np.array([[0.5, 0.25, 0.25]]))
    >>> abs(parts["bce"] * 3 - (parts["categorical"] + parts["others"])) < 1e-12
    True
    """
    p = as_float_array(p, "p").astype(np.float64, copy=False)
    if p.ndim != 2:
        raise ValueError(f"p must have shape (samples, classes), got shape {p.shape}")
    labels, _ = as_class_targets(labels, p.shape, "labels", "p")
    if labels is None:
        raise ValueError(f"labels must be integer class labels of shape {p.shape[:1]}, not one-hot rows")
    n, k = p.shape
    onehot = np.eye(k)[labels]
    rows = np.arange(n)
    others = -np.log1p(-p)
    others[rows, labels] = 0.0
    return {"bce": float(losses.binary_cross_entropy(onehot, p)),
            "categorical": float(losses.categorical_cross_entropy(labels, p)),
            "others": float(others.sum(axis=1).mean()), "classes": k}


def binary_accuracy(onehot: np.ndarray, p: np.ndarray, threshold: float = 0.5) -> float:
    """Share of the N K entries on the right side of ``threshold`` (Keras's binary_accuracy).

    NaN in ``p`` counts as below the threshold (a "no"), as in Keras.

    >>> binary_accuracy(np.eye(4)[[0, 1]], np.zeros((2, 4)))   # says "no" to every class
    0.75
    """
    threshold = check_scalar(threshold, "threshold")
    p, onehot = as_float_array(p, "p"), as_float_array(onehot, "onehot")
    check_same_shape(onehot, p, "onehot", "p")
    check_nonempty(p, "p")
    return float(np.mean((p > threshold) == (onehot > 0.5)))


# ----------------------------------------------------------------------------------------
# The names of these losses in Keras and PyTorch
# ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FrameworkLoss:
    """One row of the table: our function, the framework names, and what they expect."""
    ours: str
    keras: str
    pytorch: str
    expects: str
    fused: bool            # True: takes logits and applies softmax/sigmoid inside


FRAMEWORK_LOSSES = (
    FrameworkLoss("categorical_cross_entropy(Y, softmax(z))", "CategoricalCrossentropy()",
                  "-", "probabilities, one-hot rows", False),
    FrameworkLoss("softmax_cross_entropy_with_logits(Y, z)", "CategoricalCrossentropy(from_logits=True)",
                  "CrossEntropyLoss() with probability rows", "logits, one-hot rows", True),
    FrameworkLoss("categorical_cross_entropy(labels, softmax(z))", "SparseCategoricalCrossentropy()",
                  "NLLLoss() on log(softmax(z))", "probabilities, integer labels", False),
    FrameworkLoss("softmax_cross_entropy_with_logits(labels, z)",
                  "SparseCategoricalCrossentropy(from_logits=True)", "CrossEntropyLoss()",
                  "logits, integer labels", True),
    FrameworkLoss("binary_cross_entropy(t, sigmoid(z))", "BinaryCrossentropy()", "BCELoss()",
                  "probabilities, targets in [0, 1]", False),
    FrameworkLoss("binary_cross_entropy_with_logits(t, z)", "BinaryCrossentropy(from_logits=True)",
                  "BCEWithLogitsLoss()", "logits, targets in [0, 1]", True),
    FrameworkLoss("mse(y, p)", "MeanSquaredError()", "MSELoss()", "values", False),
)


def _row_values(z: np.ndarray, labels: np.ndarray, t: np.ndarray, y: np.ndarray) -> list[tuple[float, float]]:
    """Per row of the table: (our function, the same quantity written out by hand)."""
    n, k = z.shape
    onehot = np.eye(k)[labels]
    p = softmax(z)
    log_p = log_softmax(z)
    q = sigmoid(z[:, 0])                             # one sigmoid output per sample
    by_hand_ce = float(-np.mean(log_p[np.arange(n), labels]))
    by_hand_bce = float(np.mean(np.maximum(z[:, 0], 0) - z[:, 0] * t + np.log1p(np.exp(-np.abs(z[:, 0])))))
    return [
        (float(losses.categorical_cross_entropy(onehot, p)),
         float(-np.mean(np.sum(onehot * np.log(p), axis=1)))),
        (float(losses.softmax_cross_entropy_with_logits(onehot, z)), by_hand_ce),
        (float(losses.categorical_cross_entropy(labels, p)),
         float(-np.mean(np.log(p[np.arange(n), labels])))),
        (float(losses.softmax_cross_entropy_with_logits(labels, z)), by_hand_ce),
        (float(losses.binary_cross_entropy(t, q)),
         float(-np.mean(t * np.log(q) + (1 - t) * np.log1p(-q)))),
        (float(losses.binary_cross_entropy_with_logits(t, z[:, 0])), by_hand_bce),
        (float(losses.mse(y, z[:, 0])), float(np.mean((z[:, 0] - y) ** 2))),
    ]


def framework_checks(seed: int = 0, n: int = 6, k: int = 4) -> list[tuple[FrameworkLoss, float, float]]:
    """Each row of :data:`FRAMEWORK_LOSSES` with two values on the same random numbers.

    The first value is nbsupport's function (fused forms from the logits), the second
    the textbook formula written out (-ln of softmax for the categorical rows, the
    sigmoid's cross-entropy for the binary rows): equal to rounding.
    """
    generator = as_rng(seed)
    z = generator.normal(0.0, 2.0, size=(n, k))
    labels = generator.integers(0, k, n)
    t = generator.uniform(0.0, 1.0, n)
    y = generator.normal(size=n)
    values = _row_values(z, labels, t, y)
    return [(row, ours, by_hand) for row, (ours, by_hand) in zip(FRAMEWORK_LOSSES, values)]


def largest_gap(checks: Sequence[tuple[FrameworkLoss, float, float]]) -> float:
    """The largest relative difference between the two values of any row."""
    return max(abs(a - b) / max(abs(a), abs(b)) for _, a, b in checks)


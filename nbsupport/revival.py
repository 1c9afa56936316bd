"""Do units pushed off by one large step come back? The dying-ReLU experiment of notebook 03.

A unit is *off* on a data set when it is dead there (:func:`nbsupport.diagnostics.dead_units`:
its pre-activation is <= 0 on every sample). For ReLU
an off unit gets no gradient at all; for Leaky ReLU with slope ``alpha`` it gets
``alpha`` times the gradient it would get if it were on. :func:`revival` takes one large
SGD step that pushes many first-layer units off, trains on with an ordinary learning
rate, and counts the off units before and after.

Examples
--------
>>> from nbsupport.data import load_digits
>>> d = load_digits(test_size=0.2, rng=3)
>>> r = revival(d.X_train, d.y_train, d.X_test, d.y_test, alpha=0.0, epochs=1)
>>> r.off_after_step == r.off_after_training   # ReLU: off units get no gradient
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import mlp
from .diagnostics import dead_units
from .optim import SGD

__all__ = ["Revival", "revival"]


@dataclass(frozen=True)
class Revival:
    """Counts of first-layer units that are off (z <= 0 on every sample of X_all)."""

    alpha: float
    off_at_start: int
    off_after_step: int
    off_after_training: int
    revived: int          # off after the step, on after training
    test_accuracy: float


def _first_layer_pre(net: mlp.MLP, X: np.ndarray) -> np.ndarray:
    W, b = net.params()[:2]
    return X @ W + b


def revival(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
            alpha: float, *, hidden: int = 100, kill_lr: float = 20.0, kill_batch: int = 128,
            bias_shift: float = 0.0, lr: float = 0.05, epochs: int = 20, seed: int = 3) -> Revival:
    """One SGD step of size ``kill_lr`` on the first ``kill_batch`` samples (or a shift of
    every first-layer bias by ``bias_shift``), then ordinary training.

    The network is ``MLP([d, hidden, k])`` with Leaky ReLU of slope ``alpha`` (``alpha = 0``
    is ReLU), float64, seeded. Off units are counted on all samples, train and test.

    Parameters
    ----------
    X_train, y_train, X_test, y_test : arrays
        Data (labels as integers).
    alpha : float
        Negative-side slope, 0 <= alpha <= 1.
    hidden, kill_lr, kill_batch, bias_shift, lr, epochs, seed
        Width of the hidden layer, the large step (0: none), the batch it is computed on,
        the shift added to every first-layer bias, the ordinary learning rate and epochs
        that follow, and the seed of weights and shuffles.
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    X_all = np.concatenate([X_train, X_test]).astype(np.float64)
    y_all = np.concatenate([y_train, y_test])
    activation = "relu" if alpha == 0 else "leaky_relu"
    params = {} if alpha == 0 else {"alpha": alpha}
    net = mlp.MLP([X_all.shape[1], hidden, int(y_all.max()) + 1], activations=activation,
                  activation_params=params, rng=seed, dtype=np.float64)
    off_start = dead_units(_first_layer_pre(net, X_all))
    if kill_lr > 0:
        net.forward(X_all[:kill_batch])
        net.backward(y_all[:kill_batch])
        SGD(kill_lr).step(net.params(), net.grads())
    net.params()[1][:] += bias_shift
    off_step = dead_units(_first_layer_pre(net, X_all))
    history = mlp.train(net, X_train, y_train, epochs=epochs, batch_size=32, optimizer=SGD(lr),
                        rng=seed, X_val=X_test, y_val=y_test)
    off_end = dead_units(_first_layer_pre(net, X_all))
    return Revival(alpha=alpha, off_at_start=int(off_start.sum()), off_after_step=int(off_step.sum()),
                   off_after_training=int(off_end.sum()), revived=int(np.sum(off_step & ~off_end)),
                   test_accuracy=float(history.val_acc[-1]))

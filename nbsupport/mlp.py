"""A multilayer perceptron in NumPy, written to be read in one sitting.

The network is a list of layers, each with a ``forward`` and a ``backward`` written side
by side (the style of *Deep Learning from Scratch*, ``common/layers.py``)::

    X -> Dense -> Activation -> Dense -> Activation -> ... -> Dense -> output head -> loss

API
---
``MLP(sizes, activations="relu", output="softmax", init="he_normal", rng=0,
dtype=np.float32, activation_params=None)``
    ``sizes = [n_inputs, hidden_1, ..., hidden_L, n_outputs]``.  ``activations`` is one
    name from :data:`nbsupport.activations.ACTIVATIONS` (``"none"`` means identity,
    ``"prelu"`` learns one slope per unit) or a list with one name per hidden layer.
    ``activation_params`` is a dict (for every hidden layer) or a list of dicts, e.g.
    ``{"alpha": 0.1}`` for leaky_relu or the initial alpha of prelu (default 0.25);
    rrelu runs in evaluation mode (the fixed slope (lower + upper) / 2).
    ``output`` is ``"softmax"`` (categorical cross-entropy; targets are integer labels
    or rows of probabilities), ``"sigmoid"`` (binary cross-entropy per output; targets in
    [0, 1]) or ``"linear"`` (mean squared error).  ``init`` is the name of an
    initializer in :mod:`nbsupport.init`, a float (the std of a normal), or a list with
    one of those per weight matrix.  Biases start at 0.  ``rng`` seeds everything.

``net.forward(X, record=False) -> outputs``
    Probabilities (softmax, sigmoid) or values (linear), shape (n, n_outputs).  X must
    be finite and within the range of ``dtype`` (NaN or inf is a ValueError naming X);
    a batch so large that it overflows ``dtype`` inside the network (float32 values
    near 1e38) runs without warnings, and non-finite outputs or gradients are a
    ValueError naming X.
``net.backward(y, record=False)``
    After ``forward``: fills the gradients of the mean loss of that batch.
``net.loss(X, y) -> float``, ``net.predict(X)``, ``net.accuracy(X, y)``
``net.params()``, ``net.grads()``
    Matching lists of arrays (W1, b1, [alpha1,] W2, b2, ...); update ``params`` in place.
    The layers themselves: ``net.dense[i]`` (``W, b, dW, db``), ``net.activations[i]``
    (a PReLU layer has ``alpha`` and ``dalpha``), ``net.head``.
``train(net, X, y, epochs, batch_size, optimizer, rng=0, X_val=None, y_val=None) -> History``
    Mini-batch training on a fresh seeded shuffle each epoch; after every batch it calls
    ``optimizer.step(net.params(), net.grads())`` with any optimizer of
    :mod:`nbsupport.optim` (SGD, Adagrad, RMSprop, Adam).  ``History`` holds per
    epoch the mean training loss and accuracy over that epoch's batches, and the
    validation loss and accuracy after the epoch.
``net.records``
    With ``record=True`` each Dense layer keeps a :class:`LayerRecord` of that batch
    (pre-activations, activations, their gradients, W and dW);
    :func:`nbsupport.diagnostics.layer_stats` turns them into one row per layer (mean,
    std, % saturated, % dead, grad:data and update:data ratios).

Example
-------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X, y = rng.normal(size=(200, 4)).astype(np.float32), rng.integers(0, 3, 200)
>>> net = MLP([4, 16, 3], activations="tanh", init="xavier_normal", rng=0)
>>> from nbsupport.optim import SGD
>>> history = train(net, X, y, epochs=5, batch_size=20, optimizer=SGD(0.1), rng=0)
>>> history.train_loss[-1] < history.train_loss[0]
True

Speed: everything stays in ``dtype`` (float32 by default, twice as fast as float64),
the batch is one matrix (no loop over samples), the first layer skips the gradient
with respect to the input (nobody needs it) and the weight gradients are written into
arrays that live as long as the network.  Import ``nbsupport`` (it limits BLAS to one
thread, which is what these small matrices want on a busy machine).
"""
from __future__ import annotations

import math
import numbers
import time
from dataclasses import dataclass, field

import numpy as np

from . import init as _init
from ._checks import (as_class_targets, as_float_array, as_rng, check_finite, check_in_unit_interval,
                      check_nonnegative, check_positive_int)
from .activations import ACTIVATIONS
from .losses import (logistic_terms, mse, mse_grad, negative_log_likelihood, sigmoid_minus_targets,
                     softmax_minus_targets)
from .normalizers import shifted_softmax
from .optim import DIVERGED_ERRSTATE, Optimizer, diverged

__all__ = ["MLP", "Dense", "Activation", "Identity", "ReLU", "LeakyReLU", "PReLU", "Sigmoid",
           "Tanh", "SoftmaxCrossEntropy", "SigmoidCrossEntropy", "LinearMSE",
           "History", "train", "train_step", "LayerRecord"]


# ----------------------------------------------------------------------------------------
# Layers: forward and backward side by side
# ----------------------------------------------------------------------------------------

class Dense:
    """Affine layer ``z = x W + b`` with W of shape (n_in, n_out).

    backward: dL/dW = x^T dL/dz, dL/db = column sums of dL/dz, dL/dx = dL/dz W^T.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray):
        self.W, self.b = W, b
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)
        self.x = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        z = x @ self.W
        z += self.b
        return z

    def backward(self, dz: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        np.matmul(self.x.T, dz, out=self.dW)
        np.add.reduce(dz, axis=0, out=self.db)          # = dz.sum(axis=0), a little faster
        return dz @ self.W.T if need_dx else None

    def params(self) -> list[np.ndarray]:
        return [self.W, self.b]

    def grads(self) -> list[np.ndarray]:
        return [self.dW, self.db]


class Activation:
    """Any activation of the registry: ``out = f(z)``, ``dL/dz = dL/dout * f'(z)``.

    Every forward pass calls the activation's formula in :mod:`nbsupport.activations`:
    its unchecked kernel (``ACTIVATIONS[name].kernel``), since z is a float array the
    network made and the settings were checked once, here, by the checked function.
    The subclasses below compute f' from what forward kept (the output or a mask), as
    *Deep Learning from Scratch* does; this general one calls the registry's derivative.
    """

    def __init__(self, name: str, **kwargs):
        self.spec = ACTIVATIONS[name]
        # the activation's settings (e.g. alpha), the registry's defaults where not given
        self.name, self.kwargs = name, {**self.spec.params, **kwargs}
        self.spec.fn(np.zeros(1), **self.kwargs)  # checks the settings once (ValueError naming them)
        self.z = None

    def forward(self, z: np.ndarray) -> np.ndarray:
        self.z = z
        return self.spec.kernel(z, **self.kwargs)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * self.spec.grad_kernel(self.z, **self.kwargs)

    def params(self) -> list[np.ndarray]:
        return []

    def grads(self) -> list[np.ndarray]:
        return []


class Identity(Activation):
    """f(z) = z, f'(z) = 1: a layer without a non-linearity."""

    def forward(self, z):
        self.z = z
        return z

    def backward(self, dout):
        return dout


class ReLU(Activation):
    """f(z) = max(z, 0); f'(z) = 1 where z > 0, else 0 (0 at the kink)."""

    def forward(self, z):
        self.z = z
        return self.spec.kernel(z)

    def backward(self, dout):
        return dout * (self.z > 0)


class LeakyReLU(Activation):
    """f(z) = max(z, alpha z) for 0 <= alpha <= 1; f'(z) = 1 where z > 0, else alpha."""

    def __init__(self, name: str, alpha: float):
        super().__init__(name, alpha=alpha)
        self.alpha = alpha

    def forward(self, z):
        self.z = z
        return self.spec.kernel(z, self.alpha)

    def backward(self, dout):
        slope = (self.z > 0).astype(dout.dtype)
        slope *= 1 - self.alpha
        slope += self.alpha                  # 1 where z > 0, alpha elsewhere
        return dout * slope


class Sigmoid(Activation):
    """f(z) = 1 / (1 + e^-z); f'(z) = f(z) (1 - f(z)), computed from the output."""

    def forward(self, z):
        self.z = z
        self.out = self.spec.kernel(z)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class Tanh(Activation):
    """f(z) = tanh z; f'(z) = 1 - f(z)^2, computed from the output.

    (For |z| > 9 in float32 tanh rounds to 1 and f' to 0 instead of a tiny number:
    harmless for learning; ``nbsupport.tanh_grad`` keeps those digits.)
    """

    def forward(self, z):
        self.z = z
        self.out = self.spec.kernel(z)
        return self.out

    def backward(self, dout):
        return dout * (1 - self.out * self.out)


class PReLU(Activation):
    """f(z) = z where z > 0, alpha_j z elsewhere, with one learnable alpha per unit j.

    backward: dL/dz = dL/dout * (1 or alpha_j), dL/dalpha_j = sum over the batch of
    dL/dout * min(z, 0) (``prelu_grad_alpha``).  The slopes may leave [0, 1] while
    learning, so the layer does not use the registry's checked ``prelu``.
    """

    def __init__(self, name: str, units: int, dtype, alpha: float = 0.25):
        super().__init__(name)
        self.alpha = np.full(units, alpha, dtype=dtype)
        self.dalpha = np.zeros_like(self.alpha)

    def forward(self, z):
        self.z = z
        self.negative = np.minimum(z, 0)     # = d out / d alpha
        return np.maximum(z, 0) + self.alpha * self.negative   # one term is always 0

    def backward(self, dout):
        np.sum(dout * self.negative, axis=0, out=self.dalpha)
        return np.where(self.z > 0, dout, self.alpha * dout)

    def params(self):
        return [self.alpha]

    def grads(self):
        return [self.dalpha]


_FAST_ACTIVATIONS = {"identity": Identity, "relu": ReLU, "leaky_relu": LeakyReLU,
                     "sigmoid": Sigmoid, "tanh": Tanh}


# ----------------------------------------------------------------------------------------
# Output heads: the last non-linearity fused with its loss (dL/dz has a simple form)
# ----------------------------------------------------------------------------------------

class SoftmaxCrossEntropy:
    """p = softmax(z); L = -mean over samples of sum_k y_k log p_k; dL/dz = (p - y) / n.

    Targets: integer labels (n,) or rows of probabilities (n, k).  The kernels:
    :func:`nbsupport.normalizers.shifted_softmax` (p and log p from s = z - max z, so
    that exp never overflows), :func:`nbsupport.losses.negative_log_likelihood` and
    :func:`nbsupport.losses.softmax_minus_targets`.  The mean is taken in float64.
    """

    def forward(self, z: np.ndarray) -> np.ndarray:
        self.p, self.log_p = shifted_softmax(z)
        return self.p

    def loss(self, y: np.ndarray) -> float:
        labels, rows = (y, None) if y.ndim == 1 else (None, y)
        return float(np.mean(negative_log_likelihood(labels, rows, self.log_p), dtype=np.float64))

    def backward(self, y: np.ndarray) -> np.ndarray:
        labels, rows = (y, None) if y.ndim == 1 else (None, y)
        dz = softmax_minus_targets(self.p, labels, rows)
        dz /= len(self.p)
        return dz

    def check_targets(self, y, n: int, k: int) -> np.ndarray:
        return _check_labels_or_rows(y, n, k)

    def predict(self, outputs: np.ndarray) -> np.ndarray:
        return outputs.argmax(axis=1)

    def correct(self, outputs: np.ndarray, y: np.ndarray) -> float:
        labels = y if y.ndim == 1 else y.argmax(axis=1)
        return float(np.count_nonzero(outputs.argmax(axis=1) == labels))


class SigmoidCrossEntropy:
    """p = sigmoid(z) per output; L = mean of max(z, 0) - z y + log(1 + e^-|z|);
    dL/dz = (p - y) / (number of elements).

    Targets in [0, 1], shape (n, k) or (n,) when k = 1.
    """

    def forward(self, z):
        self.z = z
        self.p = ACTIVATIONS["sigmoid"].kernel(z)
        return self.p

    def loss(self, y):
        return float(np.mean(logistic_terms(y, self.z), dtype=np.float64))

    def backward(self, y):
        return sigmoid_minus_targets(self.z, y, self.z.size)

    def check_targets(self, y, n, k):
        y = _check_rows(y, n, k)
        check_in_unit_interval(y, "y")
        return y

    def predict(self, outputs):
        return (outputs > 0.5).astype(np.int64)

    def correct(self, outputs, y):
        """Share of outputs on the right side of 0.5, times n (so /n gives accuracy)."""
        hits = np.count_nonzero((outputs > 0.5) == (y > 0.5))
        return float(hits) / outputs.shape[1]


class LinearMSE:
    """out = z; L = mean over all elements of (z - y)^2; dL/dz = 2 (z - y) / (number of elements)."""

    def forward(self, z):
        self.z = z
        return z

    def loss(self, y):
        return float(np.mean(mse(y, self.z, reduction="none"), dtype=np.float64))

    def backward(self, y):
        return mse_grad(y, self.z)

    def check_targets(self, y, n, k):
        y = _check_rows(y, n, k)
        check_finite(y, "y")
        return y

    def predict(self, outputs):
        return outputs

    def correct(self, outputs, y):
        return math.nan        # accuracy means nothing for regression


_HEADS = {"softmax": SoftmaxCrossEntropy, "sigmoid": SigmoidCrossEntropy, "linear": LinearMSE}


def _check_rows(y, n: int, k: int) -> np.ndarray:
    y = as_float_array(y, "y")
    if y.ndim == 1 and k == 1:
        y = y[:, None]
    if y.shape != (n, k):
        raise ValueError(f"y must have shape ({n}, {k}) to match the outputs, got {y.shape}")
    return y


def _check_labels_or_rows(y, n: int, k: int) -> np.ndarray:
    """Integer labels (n,) or probability rows (n, k), checked as the losses check them."""
    labels, rows = as_class_targets(y, (n, k), "y", "the outputs")
    return labels if rows is None else rows


# ----------------------------------------------------------------------------------------
# The network
# ----------------------------------------------------------------------------------------

@dataclass
class LayerRecord:
    """What ``record=True`` keeps for one Dense layer and the activation after it.

    ``pre`` = z = x W + b, ``act`` = f(z) (the head's outputs for the last layer),
    ``grad_act`` = dL/d act, ``grad_pre`` = dL/dz; ``W`` and ``dW`` the layer's weights
    and their gradient.  Arrays of shape (batch, units) except W, dW.
    """
    name: str
    pre: np.ndarray | None = None
    act: np.ndarray | None = None
    grad_act: np.ndarray | None = None
    grad_pre: np.ndarray | None = None
    W: np.ndarray | None = None
    dW: np.ndarray | None = None


class MLP:
    """Dense layers with an activation after each hidden one and a fused output head.

    See the module docstring for the arguments.

    Examples
    --------
    >>> net = MLP([2, 3, 2], activations="relu", rng=0)
    >>> net.forward(np.zeros((4, 2))).shape
    (4, 2)
    >>> [p.shape for p in net.params()]
    [(2, 3), (3,), (3, 2), (2,)]
    """

    def __init__(self, sizes, activations="relu", output: str = "softmax", init="he_normal",
                 rng=0, dtype=np.float32, activation_params=None):
        self.sizes = _check_sizes(sizes)
        n_hidden, n_dense = len(self.sizes) - 2, len(self.sizes) - 1
        self.dtype = np.dtype(dtype).newbyteorder("=")  # ">f4" is float32 in native order
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be np.float32 or np.float64, got {self.dtype}")
        names = _per_layer(activations, n_hidden, "activations", str)
        self.activation_names = [_canonical_activation(name) for name in names]
        params = _per_layer(activation_params, n_hidden, "activation_params", (dict, type(None)))
        inits = _per_layer(init, n_dense, "init", (str, numbers.Real))
        if output not in _HEADS:
            raise ValueError(f"output must be one of {sorted(_HEADS)}, got {output!r}")
        self.output = output
        generator = as_rng(rng)

        self.dense = [Dense(_initial_weights(inits[i], n_in, n_out, generator, self.dtype),
                            np.zeros(n_out, dtype=self.dtype))
                      for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]))]
        self.activations = [_make_activation(name, p or {}, units, self.dtype)
                            for name, p, units in zip(self.activation_names, params, self.sizes[1:-1])]
        self.head = _HEADS[output]()
        self.records: list[LayerRecord] = []
        self._recorded = False                   # was the last forward pass recorded?
        self._guarded = False                    # did the last forward batch come near the range?
        self._layers = [layer for pair in zip(self.dense, self.activations) for layer in pair]
        self._layers.append(self.dense[-1])

    # -- forward and backward ------------------------------------------------------------
    def forward(self, X, record: bool = False) -> np.ndarray:
        """Outputs of the network for a batch X of shape (n, sizes[0]).

        Inputs beyond the square root of the dtype's range (1.8e19 in float32) may
        overflow inside the network: such a batch runs without overflow warnings, and
        if its outputs (or, in ``backward``, its gradients) are not finite, that is a
        ValueError naming X.  Saturating layers (tanh, sigmoid) may still give finite
        outputs, the correct limits.
        """
        X, extent = self._checked_input(X)
        self._guarded = extent > math.sqrt(float(np.finfo(self.dtype).max))  # products may overflow
        if not self._guarded:
            return self._forward(X, record)
        with np.errstate(over="ignore", invalid="ignore"):
            outputs = self._forward(X, record)
        _check_finite_result(outputs, "outputs", self.dtype)
        return outputs

    def _forward(self, h: np.ndarray, record: bool = False) -> np.ndarray:
        """forward for a batch already checked by ``check_input`` (train checks X once)."""
        records = [LayerRecord(name) for name in self.activation_names + [self.output]] if record else []
        for i, (dense, act) in enumerate(zip(self.dense, self.activations)):
            z = dense.forward(h)
            h = act.forward(z)
            if record:
                records[i].pre, records[i].act = z, h
        logits = self.dense[-1].forward(h)
        outputs = self.head.forward(logits)
        if record:
            records[-1].pre, records[-1].act = logits, outputs
            self.records = records
        self._recorded = record
        return outputs

    def backward(self, y, record: bool = False) -> None:
        """Gradients of the mean loss of the last forward batch with respect to every parameter."""
        if self.dense[0].x is None:
            raise RuntimeError("call forward(X) before backward(y)")
        if record and not self._recorded:
            raise RuntimeError("backward(y, record=True) needs the batch of forward(X, record=True)")
        n = len(self.dense[0].x)
        targets = self.head.check_targets(y, n, self.sizes[-1])
        if not self._guarded:
            self._backward(targets, record)
            return
        with np.errstate(over="ignore", invalid="ignore"):
            self._backward(targets, record)
        for g in self.grads():
            _check_finite_result(g, "gradients", self.dtype)

    def _backward(self, y: np.ndarray, record: bool = False) -> None:
        dz = self.head.backward(y)                             # dL/dz of the last layer
        for i in range(len(self.dense) - 1, -1, -1):
            if record:
                self.records[i].grad_pre = dz
            dh = self.dense[i].backward(dz, need_dx=i > 0)     # nobody needs dL/dX
            if i > 0:
                dz = self.activations[i - 1].backward(dh)
                if record:
                    self.records[i - 1].grad_act = dh
        if record:                                             # snapshots: training changes them
            for rec, dense in zip(self.records, self.dense):
                rec.W, rec.dW = dense.W.copy(), dense.dW.copy()

    # -- conveniences ----------------------------------------------------------------------
    def loss(self, X, y) -> float:
        """Mean loss over the samples of X (cross-entropy or MSE, see ``output``)."""
        self.forward(X)
        return self.head.loss(self.head.check_targets(y, len(self.dense[0].x), self.sizes[-1]))

    def predict(self, X) -> np.ndarray:
        """Class labels (softmax), 0/1 per output (sigmoid) or values (linear)."""
        return self.head.predict(self.forward(X))

    def accuracy(self, X, y) -> float:
        """Share of correct predictions (NaN for a linear output)."""
        outputs = self.forward(X)
        return self.head.correct(outputs, self.head.check_targets(y, len(outputs), self.sizes[-1])) / len(outputs)

    def layers(self) -> list:
        """Dense 1, activation 1, Dense 2, ..., last Dense: the order of the forward pass."""
        return self._layers

    def params(self) -> list[np.ndarray]:
        """W1, b1, [alpha1], W2, b2, ...: the arrays the optimizer updates in place."""
        return [p for layer in self.layers() for p in layer.params()]

    def grads(self) -> list[np.ndarray]:
        """The gradients, in the order of ``params()``."""
        return [g for layer in self.layers() for g in layer.grads()]

    def check_input(self, X) -> np.ndarray:
        """X as a (n, sizes[0]) array of the network's dtype; NaN, inf or values beyond
        that dtype's range are a ValueError (they would poison every weight)."""
        return self._checked_input(X)[0]

    def _checked_input(self, X) -> tuple[np.ndarray, float]:
        """:meth:`check_input` and the largest |X| (found on the way)."""
        X = as_float_array(X, "X")
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (n, {self.sizes[0]}), got {X.shape}")
        if X.shape[0] == 0:
            raise ValueError("X must contain at least one sample")
        low, high = X.min(), X.max()  # NaN propagates into both; no temporary array
        if not (np.isfinite(low) and np.isfinite(high)):
            raise ValueError("X must be finite (no NaN or inf)")
        extent = float(max(-low, high))
        if extent > float(np.finfo(self.dtype).max):
            raise ValueError(f"X has values beyond the range of the network's dtype {self.dtype.name}")
        return X.astype(self.dtype, copy=False), extent

    def __repr__(self) -> str:
        return (f"MLP(sizes={self.sizes}, activations={self.activation_names}, "
                f"output={self.output!r}, dtype={self.dtype.name})")


def _trainable_input(net: MLP, X, name: str) -> np.ndarray:
    """``net``'s checked input, within the square root of its dtype's range."""
    X, extent = net._checked_input(X)
    limit = math.sqrt(float(np.finfo(net.dtype).max))
    if extent > limit:
        raise ValueError(f"{name} holds values up to {extent:.3g}; training needs |{name}| <= {limit:.3g} "
                         f"(the square root of {net.dtype.name}'s range), or the network overflows: scale it")
    return X


def _check_finite_result(a: np.ndarray, what: str, dtype: np.dtype) -> None:
    if not np.isfinite(a).all():
        raise ValueError(f"X is so large that the network's {what} overflow its dtype {dtype.name} "
                         "(scale X down, or build the MLP with dtype=np.float64)")


def _check_sizes(sizes) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer widths, got {type(sizes).__name__}")
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output width, got {list(sizes)}")
    return [check_positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes)]


def _per_layer(value, count: int, name: str, kinds) -> list:
    """One value for every layer, or a list with exactly ``count`` values."""
    values = list(value) if isinstance(value, (list, tuple)) else [value] * count
    if len(values) != count:
        raise ValueError(f"{name} needs {count} entries (one per layer), got {len(values)}")
    for v in values:
        if not isinstance(v, kinds) or isinstance(v, bool):
            raise TypeError(f"{name} entries must be {kinds}, got {type(v).__name__}")
    return values


def _canonical_activation(name: str) -> str:
    name = name.lower()
    if name == "none":
        return "identity"
    if name not in ACTIVATIONS:
        raise ValueError(f"activations must be names from ACTIVATIONS {sorted(ACTIVATIONS)} "
                         f"or 'none', got {name!r}")
    return name


def _make_activation(name: str, params: dict, units: int, dtype) -> Activation:
    spec = ACTIVATIONS[name]
    unknown = set(params) - set(spec.params)
    if unknown:
        raise ValueError(f"activation_params: {name} takes {sorted(spec.params) or 'no parameters'}, "
                         f"got {sorted(unknown)}")
    params = {**spec.params, **params}
    if name == "prelu":
        return PReLU(name, units, dtype, alpha=check_nonnegative(params["alpha"], "alpha"))
    if name == "leaky_relu" and 0 <= params["alpha"] <= 1:    # max(z, alpha z) needs alpha <= 1
        return LeakyReLU(name, **params)
    if name in _FAST_ACTIVATIONS and name != "leaky_relu":
        return _FAST_ACTIVATIONS[name](name)
    return Activation(name, **params)


def _initial_weights(how, n_in: int, n_out: int, rng: np.random.Generator, dtype) -> np.ndarray:
    if isinstance(how, str):
        if how not in _init.INITIALIZERS:
            raise ValueError(f"init must be one of {sorted(_init.INITIALIZERS)} or a float std, got {how!r}")
        return _init.INITIALIZERS[how](n_in, n_out, rng=rng, dtype=dtype)
    return _init.normal(n_in, n_out, std=how, rng=rng, dtype=dtype)  # checks std against dtype


# ----------------------------------------------------------------------------------------
# Training loop (the optimizers live in nbsupport.optim)
# ----------------------------------------------------------------------------------------

@dataclass
class History:
    """Per-epoch numbers of a training run (lists of floats, one entry per epoch).

    ``train_loss``/``train_acc`` are means over the epoch's mini-batches (computed while
    training, as Keras reports them); ``val_loss``/``val_acc`` are measured after the
    epoch (NaN without validation data); ``seconds`` is the wall time of each epoch.
    ``diverged_at`` is the mini-batch step (counted from 0 over the run) at which the run
    diverged (:func:`nbsupport.optim.diverged`), None if it did not; the lists then hold
    the epochs finished before it.
    """
    train_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_acc: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    diverged_at: int | None = None


def train(net: MLP, X, y, epochs: int, batch_size: int, optimizer: Optimizer, rng=0,
          X_val=None, y_val=None) -> History:
    """Train ``net`` in place with mini-batches of a seeded shuffle; return the History.

    The last batch of an epoch may be smaller.  X is converted to the net's dtype once.
    X (and X_val) must lie within the square root of the dtype's range (1.8e19 for
    float32): beyond it the products inside the network, and every gradient step,
    overflow (a ValueError naming X; scale the inputs).

    A run that diverges (:func:`nbsupport.optim.diverged`: a weight beyond 1.84e19 in
    float32 or 1.34e154 in float64, or a loss or value inside the network beyond the
    float range, as a learning rate far too large makes them) stops at that step without
    a warning: ``History.diverged_at`` says which, and the network keeps the weights from
    before it (the optimizer's state is not rolled back).  Validation data on which the
    weights overflow count as divergence at the step after that epoch.
    """
    X = _trainable_input(net, X, "X")
    n, k = len(X), net.sizes[-1]
    y = net.head.check_targets(y, n, k)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = min(check_positive_int(batch_size, "batch_size"), n)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an optimizer of nbsupport.optim (SGD, Adam, ...), "
                        f"got {type(optimizer).__name__}")
    validate = X_val is not None
    if validate:
        X_val = _trainable_input(net, X_val, "X_val")
        y_val = net.head.check_targets(y_val, len(X_val), k)
    generator = as_rng(rng)
    x_batch = np.empty((batch_size, X.shape[1]), dtype=net.dtype)

    history = History()
    before = [np.empty_like(p) for p in net.params()]   # the weights a diverged step rolls back to
    step = 0
    for _ in range(epochs):
        start_time = time.perf_counter()
        order = generator.permutation(n)
        loss_sum = correct = 0.0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            xb = np.take(X, idx, axis=0, out=x_batch[:len(idx)], mode="clip")
            done = train_step(net, optimizer, xb, y[idx], before)
            if done is None:
                history.diverged_at = step
                return history
            loss_sum += done[0] * len(idx)
            correct += done[1]
            step += 1
        if validate:
            try:
                with np.errstate(**DIVERGED_ERRSTATE):
                    outputs = net._forward(X_val)
                    val_loss = net.head.loss(y_val)
            except FloatingPointError:        # the weights overflow on the validation data
                val_loss = math.inf
            if diverged([], (val_loss,)):
                history.diverged_at = step
                return history
        history.train_loss.append(loss_sum / n)
        history.train_acc.append(correct / n)
        if validate:
            history.val_loss.append(val_loss)
            history.val_acc.append(net.head.correct(outputs, y_val) / len(X_val))
        else:
            history.val_loss.append(math.nan)
            history.val_acc.append(math.nan)
        history.seconds.append(time.perf_counter() - start_time)
    return history


def train_step(net: MLP, optimizer: Optimizer, xb: np.ndarray, yb,
               before: list[np.ndarray] | None = None) -> tuple[float, float] | None:
    """One training step on a batch: (mean loss, correct predictions), or None if it diverged.

    Forward, loss, backward and ``optimizer.step`` on a batch ``xb`` (already in the
    network's dtype) with targets ``yb``: checked ones (``net.head.check_targets``), or
    a function of the batch's outputs that returns the targets (checked here), for
    targets that depend on the prediction.  A step that diverges
    (:func:`nbsupport.optim.diverged`: a weight beyond the bound, or an overflow or
    invalid value anywhere in the step) is undone: the weights are copied back from
    ``before`` (arrays shaped like ``net.params()``, reused between calls; allocated if
    None), without a warning.

    Examples
    --------
    >>> from nbsupport.optim import SGD
    >>> net = MLP([2, 4, 2], rng=0)
    >>> X, y = np.ones((4, 2), np.float32), net.head.check_targets([0, 1, 0, 1], 4, 2)
    >>> train_step(net, SGD(0.1), X, y) is not None
    True
    >>> W = net.dense[0].W.copy()
    >>> train_step(net, SGD(1e30), X, y), bool((net.dense[0].W == W).all())   # undone
    (None, True)
    """
    params = net.params()
    if before is None:
        before = [np.empty_like(p) for p in params]
    for saved, p in zip(before, params):
        np.copyto(saved, p)
    try:
        with np.errstate(**DIVERGED_ERRSTATE):
            outputs = net._forward(xb)
            if callable(yb):
                yb = net.head.check_targets(yb(outputs), len(xb), net.sizes[-1])
            loss = net.head.loss(yb)
            correct = net.head.correct(outputs, yb)
            net._backward(yb)
            optimizer.step(params, net.grads())
    except FloatingPointError:
        loss = math.inf
    if not diverged(params, (loss,)):
        return loss, correct
    for saved, p in zip(before, params):
        np.copyto(p, saved)
    return None

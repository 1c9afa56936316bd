"""Backpropagation by hand: a small computational graph and its backward pass, node by node.

A :class:`Graph` is a list of scalar nodes in the order of the forward pass.  Each node
keeps its value and, for every node it was computed from, the *local* derivative
d(node)/d(input) with a short formula.  The backward pass visits the nodes from the loss
down and applies the chain rule

.. math:: \\frac{\\partial L}{\\partial a} = \\sum_{c \\text{ uses } a}
          \\frac{\\partial L}{\\partial c}\\,\\frac{\\partial c}{\\partial a},

one :class:`BackwardStep` per node (upstream gradient times local derivative, summed over
the nodes that use it).

- :func:`tiny_network`: the graph of a network with one sigmoid hidden layer, one sigmoid
  output and binary cross-entropy, built from ``nbsupport``'s kernels (``sigmoid``,
  ``sigmoid_grad``, ``binary_cross_entropy`` and its gradient), with the weights laid out
  as :class:`nbsupport.mlp.MLP` keeps them (``W`` of shape (inputs, outputs)).
- :func:`parameter_gradients`: the steps of that graph gathered into arrays shaped like
  the weights.
- :func:`batch_gradients`: the same network on a batch, in matrix form.
- :func:`multiply_adds`: the multiply-adds of a forward and a backward pass of an MLP.
- :func:`activation_chain`: one unit per layer, to see the factor each layer adds.

Example
-------
>>> import numpy as np
>>> graph = tiny_network([1.0, -1.0], 1.0, np.zeros((2, 2)), np.zeros(2), np.zeros((2, 1)), np.zeros(1))
>>> steps = graph.backward()
>>> [s.node for s in steps[:3]]
['L', 'p', 'u']
>>> round(steps[2].grad, 6)   # dL/du = p - y for a sigmoid output with cross-entropy
-0.5
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, check_finite, check_in_unit_interval, check_positive_int
from .activations import ACTIVATIONS, sigmoid, sigmoid_grad
from .losses import binary_cross_entropy, binary_cross_entropy_grad

__all__ = ["EXAMPLE", "Local", "Node", "BackwardStep", "Graph", "tiny_network", "parameter_gradients",
           "batch_gradients", "multiply_adds", "activation_chain", "subscript"]



def _frozen(values) -> np.ndarray:
    arr = np.array(values, dtype=np.float64)
    arr.setflags(write=False)
    return arr


#: The worked example of notebook 09: one sample, its target and the weights of a 2-2-1
#: network in :class:`nbsupport.mlp.MLP`'s layout (``W1[i, j]`` from input i to hidden unit j).
EXAMPLE = {"x": _frozen([1.0, 0.5]), "y": 1.0,
           "W1": _frozen([[0.6, -0.4], [0.3, 0.9]]), "b1": _frozen([0.1, -0.2]),
           "W2": _frozen([[1.5], [-1.1]]), "b2": _frozen([0.2])}

_KINDS = ("input", "param", "value", "loss")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(name: str) -> str:
    """``"w12"`` -> ``"w₁₂"``: the digits of a node name as Unicode subscripts.

    >>> subscript("z1")
    'z₁'
    """
    return name.translate(_SUBSCRIPTS)


@dataclass(frozen=True)
class Local:
    """The local derivative d(node)/d(input): its value and its formula in plain text."""

    value: float
    formula: str


@dataclass(frozen=True)
class Node:
    """One scalar of the forward pass.

    ``kind`` is ``"input"``, ``"param"``, ``"value"`` or ``"loss"``; ``inputs`` maps the name
    of each node this one is computed from to the :class:`Local` derivative; ``edge`` is the
    (from, to) pair of value nodes a weight sits on (``None`` for other nodes).
    """

    name: str
    value: float
    kind: str
    inputs: dict[str, Local] = field(default_factory=dict)
    edge: tuple[str, str] | None = None

    @property
    def label(self) -> str:
        return subscript(self.name)


@dataclass(frozen=True)
class BackwardStep:
    """One node of the backward pass: dL/d(node) = sum of upstream x local over its users.

    ``terms`` holds one (user, dL/d(user), Local) triple per node that uses this one;
    the loss itself has no terms and gradient 1.
    """

    node: str
    terms: tuple[tuple[str, float, Local], ...]
    grad: float


class Graph:
    """Scalar nodes in forward order; :meth:`backward` runs the chain rule over them.

    Examples
    --------
    >>> g = Graph()
    >>> g.add("a", 3.0, "input")
    >>> g.add("L", 9.0, "loss", {"a": Local(6.0, "2a")})   # L = a^2
    >>> g.backward()[-1].grad
    6.0
    """

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.order: list[str] | None = None   # a preferred backward order, set by builders

    def add(self, name: str, value: float, kind: str, inputs: dict[str, Local] | None = None,
            edge: tuple[str, str] | None = None) -> None:
        """Append a node computed from ``inputs`` (names of nodes added before)."""
        if name in self.nodes:
            raise ValueError(f"name {name!r} is already a node")
        if kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
        missing = set(inputs or {}) - set(self.nodes)
        if missing:
            raise ValueError(f"inputs of {name!r} must be added first, missing {sorted(missing)}")
        self.nodes[name] = Node(name, float(value), kind, dict(inputs or {}), edge)

    def users(self, name: str) -> list[str]:
        """The nodes computed from ``name``."""
        return [n for n, node in self.nodes.items() if name in node.inputs]

    @property
    def loss(self) -> str:
        """The last node added: where the backward pass starts."""
        return next(reversed(self.nodes))

    def backward(self, order: list[str] | None = None) -> list[BackwardStep]:
        """The chain rule, one node at a time, starting at the loss with dL/dL = 1.

        ``order`` (default: ``self.order``, else the reverse of the forward order) must
        list every node once, each after all the nodes that use it.
        """
        order = list(order or self.order or reversed(self.nodes))
        if sorted(order) != sorted(self.nodes) or order[0] != self.loss:
            raise ValueError("order must start at the loss and list every node exactly once")
        grads: dict[str, float] = {}
        steps = []
        for name in order:
            terms = []
            for user in self.users(name):
                if user not in grads:
                    raise ValueError(f"order visits {name!r} before {user!r}, which uses it")
                terms.append((user, grads[user], self.nodes[user].inputs[name]))
            grads[name] = sum(up * local.value for _, up, local in terms) if terms else 1.0
            steps.append(BackwardStep(name, tuple(terms), grads[name]))
        return steps


def _check_network(x, W1, b1, W2, b2) -> tuple[np.ndarray, ...]:
    arrays = [as_float_array(a, n).astype(np.float64) for a, n in
              ((x, "x"), (W1, "W1"), (b1, "b1"), (W2, "W2"), (b2, "b2"))]
    for arr, name in zip(arrays, ("x", "W1", "b1", "W2", "b2")):
        check_finite(arr, name)
    x, W1, b1, W2, b2 = arrays
    n_in, n_hidden = x.shape[-1], W1.shape[-1] if W1.ndim == 2 else -1
    if W1.shape != (n_in, n_hidden) or b1.shape != (n_hidden,):
        raise ValueError(f"W1 must have shape ({n_in}, hidden) and b1 (hidden,), got {W1.shape} and {b1.shape}")
    if W2.reshape(-1).shape != (n_hidden,) or b2.size != 1:
        raise ValueError(f"W2 must have {n_hidden} entries (one output) and b2 one, got {W2.shape} and {b2.shape}")
    return x, W1, b1, W2.reshape(n_hidden, 1), b2.reshape(1)


def tiny_network(x: ArrayLike, y: float, W1: ArrayLike, b1: ArrayLike, W2: ArrayLike,
                 b2: ArrayLike) -> Graph:
    """The graph of one sample through sigmoid hidden units, a sigmoid output and cross-entropy.

    .. math:: z_j = \\sum_i x_i w_{ij} + b_j,\\quad h_j = s(z_j),\\quad
              u = \\sum_j h_j v_j + c,\\quad p = s(u),\\quad L = -y\\ln p - (1-y)\\ln(1-p)

    with ``W1[i, j]`` = w_ij, ``b1[j]`` = b_j, ``W2[j, 0]`` = v_j, ``b2[0]`` = c (the layout of
    :class:`nbsupport.mlp.MLP`).  Node names: ``x1.., w11.., b1.., z1.., h1.., v1.., c, u, p, L``.
    ``graph.order`` goes backward layer by layer: L, p, u, the output weights, the hidden
    values, their pre-activations, the hidden weights unit by unit, the inputs.

    Examples
    --------
    >>> g = tiny_network([0.0, 0.0], 0.0, np.zeros((2, 2)), np.zeros(2), np.zeros(2), [0.0])
    >>> g.nodes["p"].value, round(g.nodes["L"].value, 6)
    (0.5, 0.693147)
    """
    x, W1, b1, W2, b2 = _check_network(x, W1, b1, W2, b2)
    if x.ndim != 1:
        raise ValueError(f"x must be one sample (1-D), got shape {x.shape}")
    y_arr = as_float_array(y, "y").reshape(-1)
    if y_arr.size != 1:
        raise ValueError(f"y must be one number, got shape {np.shape(y)}")
    check_in_unit_interval(y_arr, "y")
    n_in, n_hidden = W1.shape
    ins, hid = range(1, n_in + 1), range(1, n_hidden + 1)
    g = Graph()
    for i in ins:
        g.add(f"x{i}", x[i - 1], "input")
    z = x @ W1 + b1
    h = sigmoid(z)
    for j in hid:
        for i in ins:
            g.add(f"w{i}{j}", W1[i - 1, j - 1], "param", edge=(f"x{i}", f"z{j}"))
        g.add(f"b{j}", b1[j - 1], "param")
        inputs = {f"w{i}{j}": Local(x[i - 1], subscript(f"x{i}")) for i in ins}
        inputs.update({f"x{i}": Local(W1[i - 1, j - 1], subscript(f"w{i}{j}")) for i in ins})
        g.add(f"z{j}", z[j - 1], "value", {**inputs, f"b{j}": Local(1.0, "1")})
        g.add(f"h{j}", h[j - 1], "value",
              {f"z{j}": Local(float(sigmoid_grad(z[j - 1])), f"s'({subscript(f'z{j}')})")})
    for j in hid:
        g.add(f"v{j}", W2[j - 1, 0], "param", edge=(f"h{j}", "u"))
    g.add("c", b2[0], "param")
    u = float(h @ W2[:, 0] + b2[0])
    inputs = {f"v{j}": Local(h[j - 1], subscript(f"h{j}")) for j in hid}
    inputs.update({f"h{j}": Local(W2[j - 1, 0], subscript(f"v{j}")) for j in hid})
    g.add("u", u, "value", {**inputs, "c": Local(1.0, "1")})
    p = float(sigmoid(u))
    g.add("p", p, "value", {"u": Local(float(sigmoid_grad(u)), "s'(u)")})
    loss = float(binary_cross_entropy(y_arr, [p]))
    g.add("L", loss, "loss", {"p": Local(float(binary_cross_entropy_grad(y_arr, [p])[0]),
                                         "(p - y) / (p(1 - p))")})
    g.order = (["L", "p", "u"] + [f"v{j}" for j in hid] + ["c"] + [f"h{j}" for j in hid]
               + [f"z{j}" for j in hid]
               + [n for j in hid for n in [f"w{i}{j}" for i in ins] + [f"b{j}"]]
               + [f"x{i}" for i in ins])
    return g


def parameter_gradients(graph: Graph, steps: list[BackwardStep] | None = None) -> dict[str, np.ndarray]:
    """dL/dW1, dL/db1, dL/dW2, dL/db2 of a :func:`tiny_network` graph, shaped like the weights.

    >>> g = tiny_network([1.0, 2.0], 1.0, np.zeros((2, 3)), np.zeros(3), np.zeros(3), [0.0])
    >>> {k: v.shape for k, v in parameter_gradients(g).items()}
    {'W1': (2, 3), 'b1': (3,), 'W2': (3, 1), 'b2': (1,)}
    """
    grads = {s.node: s.grad for s in (steps or graph.backward())}
    n_in = sum(node.kind == "input" for node in graph.nodes.values())
    n_hidden = sum(name.startswith("h") for name in graph.nodes)
    return {"W1": np.array([[grads[f"w{i}{j}"] for j in range(1, n_hidden + 1)] for i in range(1, n_in + 1)]),
            "b1": np.array([grads[f"b{j}"] for j in range(1, n_hidden + 1)]),
            "W2": np.array([[grads[f"v{j}"]] for j in range(1, n_hidden + 1)]),
            "b2": np.array([grads["c"]])}


def batch_gradients(X: ArrayLike, y: ArrayLike, W1: ArrayLike, b1: ArrayLike, W2: ArrayLike,
                    b2: ArrayLike) -> dict[str, np.ndarray | float]:
    """The network of :func:`tiny_network` on a batch, forward and backward in matrix form.

    With the samples as rows of X (n, inputs) and L the mean cross-entropy over the batch:

    .. math:: Z = XW_1 + b_1,\\ H = s(Z),\\ u = HW_2 + b_2,\\ p = s(u);\\quad
              \\delta_u = \\frac{\\partial L}{\\partial p}\\odot s'(u),\\
              \\delta_Z = (\\delta_u W_2^\\top)\\odot s'(Z)

    and dL/dW2 = H^T delta_u, dL/db2 = sum of delta_u, dL/dW1 = X^T delta_Z, dL/db1 = sum
    of delta_Z.  Returns those four arrays, the two deltas and the loss.

    >>> out = batch_gradients(np.zeros((3, 2)), np.ones(3), np.zeros((2, 2)), np.zeros(2), np.zeros(2), [0.0])
    >>> round(float(out["b2"][0]), 6), out["delta_hidden"].shape
    (-0.5, (3, 2))
    """
    X, W1, b1, W2, b2 = _check_network(X, W1, b1, W2, b2)
    if X.ndim != 2:
        raise ValueError(f"X must be a batch of shape (n, {W1.shape[0]}), got {X.shape}")
    y = as_float_array(y, "y").astype(np.float64).reshape(-1, 1)
    if y.shape != (len(X), 1):
        raise ValueError(f"y must have one target per row of X ({len(X)}), got {y.size}")
    check_in_unit_interval(y, "y")
    Z = X @ W1 + b1
    H = sigmoid(Z)
    u = H @ W2 + b2
    p = sigmoid(u)
    delta_out = binary_cross_entropy_grad(y, p) * sigmoid_grad(u)
    delta_hidden = (delta_out @ W2.T) * sigmoid_grad(Z)
    return {"loss": float(binary_cross_entropy(y, p)),
            "W1": X.T @ delta_hidden, "b1": delta_hidden.sum(axis=0),
            "W2": H.T @ delta_out, "b2": delta_out.sum(axis=0),
            "delta_out": delta_out, "delta_hidden": delta_hidden}


def multiply_adds(sizes: list[int], batch: int) -> tuple[int, int]:
    """Multiply-adds of the matrix products of one forward and one backward pass of an MLP.

    A dense layer n_in -> n_out on a batch of B costs B n_in n_out forward (XW).  Backward
    it costs the same for dL/dW = X^T delta and again for dL/dX = delta W^T, except in the
    first layer, whose dL/dX nobody needs:

    .. math:: F = B\\sum_l n_l n_{l+1},\\qquad \\text{backward} = 2F - B\\,n_0 n_1 .

    (Activations and biases add O(B n) each, small beside these.)

    >>> multiply_adds([784, 100, 10], 32)
    (2540800, 2572800)
    """
    sizes = [check_positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output width, got {sizes}")
    batch = check_positive_int(batch, "batch")
    per_layer = [batch * a * b for a, b in zip(sizes[:-1], sizes[1:])]
    return sum(per_layer), 2 * sum(per_layer) - per_layer[0]


def activation_chain(depth: int, weight: float, bias: float, x: float, y: float,
                     activation: str = "sigmoid") -> Graph:
    """A chain of ``depth`` one-unit layers, h_l = f(w h_{l-1} + b), ending in a squared error.

    .. math:: z_l = w\\,h_{l-1} + b,\\quad h_l = f(z_l),\\quad h_0 = x,\\quad
              L = \\tfrac12 (h_D - y)^2

    Going down one layer multiplies dL/dz by w f'(z_l): for the sigmoid that factor is at
    most |w| / 4.  Each layer has its own weight node ``w{l}`` (all equal to ``weight``).

    >>> g = activation_chain(3, 1.0, 0.0, 0.0, 1.0)
    >>> [n for n in g.nodes if n.startswith("z")]
    ['z1', 'z2', 'z3']
    """
    depth = check_positive_int(depth, "depth")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be a name in ACTIVATIONS, got {activation!r}")
    spec = ACTIVATIONS[activation]
    for value, name in ((weight, "weight"), (bias, "bias"), (x, "x"), (y, "y")):
        check_finite(as_float_array(value, name), name)
    g = Graph()
    g.add("h0", x, "input")
    for layer in range(1, depth + 1):
        prev = f"h{layer - 1}"
        h_prev = g.nodes[prev].value
        g.add(f"w{layer}", weight, "param", edge=(prev, f"z{layer}"))
        z = weight * h_prev + bias
        g.add(f"z{layer}", z, "value", {f"w{layer}": Local(h_prev, subscript(prev)),
                                        prev: Local(weight, subscript(f"w{layer}"))})
        g.add(f"h{layer}", float(spec.fn(z)), "value",
              {f"z{layer}": Local(float(spec.grad(z)), f"f'({subscript(f'z{layer}')})")})
    out = g.nodes[f"h{depth}"].value
    g.add("L", 0.5 * (out - y) ** 2, "loss", {f"h{depth}": Local(out - y, f"h{subscript(str(depth))} - y")})
    return g

"""Gradient-descent optimizers with the meaning of ``torch.optim``'s classes of the same names.

Each optimizer is built once with its hyperparameters and then called on every batch::

    opt = Adam(0.01)
    for batch in batches:
        ...                          # fill the gradients
        opt.step(params, grads)      # params: a list of float arrays, updated in place

``step`` keeps each array's dtype and keeps the optimizer's state (momentum buffers,
running averages, the step count) between calls, one state per position in the list.
With g the gradient of one parameter array, all operations elementwise:

========================  ======================================================================
``SGD(lr)``               w <- w - lr g
``SGD(lr, momentum=mu)``  b <- mu b + g (the first step: b = g);  w <- w - lr b
``nesterov=True``         the same b;  w <- w - lr (g + mu b)  (the look-ahead step)
``Adagrad(lr, eps)``      s <- s + g^2;  w <- w - lr g / (sqrt(s) + eps)
``RMSprop(lr, alpha, eps)``  s <- alpha s + (1 - alpha) g^2;  w <- w - lr g / (sqrt(s) + eps)
``Adam(lr, betas, eps)``  m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  at step t
                          w <- w - lr m_hat / (sqrt(v_hat) + eps),
                          m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t)
========================  ======================================================================

Parameters must be writeable floating arrays (a read-only one is a ValueError naming
it) that share no memory with each other (the same array twice, or overlapping views,
would be updated twice: a ValueError naming both).  Subclasses of ndarray (``np.matrix``)
are updated through plain-ndarray views, so every operation stays elementwise.  The
state arrays have the parameter's dtype, float32 for float16 parameters; a gradient of a
wider dtype (float64 for float32 weights) is used as it is, but its finite values must
fit the state's dtype (a ValueError naming it otherwise: the state would round them to inf).
Steps follow IEEE arithmetic without warnings, as torch's do: NaN or inf in a
gradient propagates into its parameter, a step beyond the float range (a huge learning
rate) makes the parameter +-inf, and a gradient whose square overflows the state
(|g| > 1.3e154 in float64) gives that weight a step of 0 from then on.

(torch's defaults for the arguments not offered here: no weight decay, no dampening,
Adagrad without learning-rate decay and with accumulators starting at 0, RMSprop not
centred and without momentum, Adam without AMSGrad.)  ``benchmarks/optim_vs_torch.py``
compares 50 steps of each with PyTorch.

:func:`diverged` is the one rule every training loop of the package stops on: a
parameter beyond sqrt(largest float), or a loss, gradient or intermediate value beyond
the float range; the loops report the step (``diverged_at``) instead of warning.

The second half of the module holds the small test problems of notebook 10: quadratic
bowls ``0.5 * sum_i h_i w_i^2``, a 1-D curve with a shallow dip, and :func:`descend`,
which runs an optimizer on a gradient function and records the path.

>>> import numpy as np
>>> w = np.array([1.0, -2.0])
>>> opt = SGD(0.1, momentum=0.9)
>>> opt.step([w], [np.array([1.0, 1.0])]); w
array([ 0.9, -2.1])
>>> opt.step([w], [np.array([1.0, 1.0])]); w       # b = 0.9 * 1 + 1 = 1.9
array([ 0.71, -2.29])
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ._checks import (as_float_array, as_rng, check_finite, check_nonnegative, check_positive,
                      check_positive_int, check_scalar)

__all__ = ["Optimizer", "SGD", "Adagrad", "RMSprop", "Adam", "OPTIMIZERS",
           "divergence_bound", "diverged", "diverged_rows", "DIVERGED_ERRSTATE", "DescentRun", "descend_run",
           "Quadratic", "lr_threshold", "momentum_window", "momentum_weights",
           "dip_curve", "dip_curve_grad", "descend", "minibatch_gradient_noise", "steps_to_tolerance"]


# ----------------------------------------------------------------------------------------
# The optimizers
# ----------------------------------------------------------------------------------------

def _state(store: dict, index: int, like: np.ndarray) -> np.ndarray:
    """The state array kept for parameter ``index`` (zeros like it at the first step).

    float16 parameters keep their state in float32 (the contract's float16 rule):
    float16 squares overflow from |g| = 256 on.
    """
    array = store.get(index)
    if array is None:
        dtype = np.promote_types(like.dtype.newbyteorder("="), np.float32)
        array = store[index] = np.zeros(like.shape, dtype=dtype)
    return array


def _widened(g: np.ndarray, state: np.ndarray) -> np.ndarray:
    """g in the state's dtype if that is wider (float16 gradients are computed with in float32)."""
    return g.astype(state.dtype) if g.dtype.itemsize < state.dtype.itemsize else g


def _check_lr(lr: object) -> float:
    lr = check_positive(lr, "lr")
    if not math.isfinite(lr):
        raise ValueError(f"lr must be finite, got {lr!r}")
    return lr


def _check_decay(value: object, name: str, upper_included: bool = False) -> float:
    """A decay rate such as momentum or beta: in [0, 1) (or [0, 1])."""
    value = check_scalar(value, name)
    if not (0 <= value < 1 or (upper_included and value == 1)):
        raise ValueError(f"{name} must lie in [0, 1{']' if upper_included else ')'}, got {value!r}")
    return value


def _check_eps(eps: object) -> float:
    eps = check_nonnegative(eps, "eps")
    if not math.isfinite(eps):
        raise ValueError(f"eps must be finite, got {eps!r}")
    return eps


def _check_in_range(g: np.ndarray, dtype: np.dtype, index: int) -> None:
    """A gradient wider than its parameter must fit the state's dtype (float32 at least).

    Beyond it the state would round to inf, and Adam's inf / inf to NaN; +-inf and NaN
    themselves are gradients like any other (they propagate, see the module docstring).
    """
    largest = float(np.finfo(np.promote_types(dtype, np.float32)).max)
    with np.errstate(invalid="ignore"):
        beyond = np.isfinite(g) & (np.abs(g) > largest)
    if beyond.any():
        raise ValueError(f"grads[{index}] holds finite values beyond the range of params[{index}]'s "
                         f"dtype {dtype} (largest {largest:.4g}), e.g. {g[beyond].flat[0]!r}")


def _check_disjoint(params: Sequence[np.ndarray]) -> None:
    """No two parameter arrays may share memory: each would be updated twice per step."""
    for i in range(len(params)):
        for j in range(i):
            if np.may_share_memory(params[i], params[j]) and np.shares_memory(params[i], params[j]):
                raise ValueError(f"params[{j}] and params[{i}] share memory (the same array or "
                                 "overlapping views): each step would update it twice")


class Optimizer:
    """The shared part: checking ``params`` and ``grads`` and keeping per-array state.

    Subclasses implement ``_update(index, p, g)``, which changes ``p`` in place.
    """

    def __init__(self, lr: float) -> None:
        self.lr = _check_lr(lr)
        self.steps = 0                          # how many times step() has run
        self._shapes: list[tuple] | None = None  # shapes and dtypes seen at the first step
        self._ids: list[int] | None = None       # the arrays last checked for shared memory

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update every array of ``params`` in place from the matching array of ``grads``.

        Raises
        ------
        TypeError
            ``params`` or ``grads`` is not a list of floating arrays.
        ValueError
            Their lengths or shapes differ, or ``params`` differ from the first call's.
        """
        params, grads = self._checked(params, grads)
        self.steps += 1
        with np.errstate(over="ignore", invalid="ignore"):  # see the module docstring
            for i, (p, g) in enumerate(zip(params, grads)):
                self._update(i, p, g)

    def _update(self, index: int, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError

    def _checked(self, params, grads) -> tuple[list[np.ndarray], list[np.ndarray]]:
        for name, arrays in (("params", params), ("grads", grads)):
            if isinstance(arrays, np.ndarray) or not isinstance(arrays, (list, tuple)):
                raise TypeError(f"{name} must be a list of arrays, got {type(arrays).__name__}")
        if len(params) != len(grads):
            raise ValueError(f"params and grads must have the same length, got {len(params)} and {len(grads)}")
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                kind = p.dtype if isinstance(p, np.ndarray) else type(p).__name__
                raise TypeError(f"params[{i}] must be a floating NumPy array (updated in place), got {kind}")
            if not isinstance(g, np.ndarray) or g.dtype.kind != "f":
                kind = g.dtype if isinstance(g, np.ndarray) else type(g).__name__
                raise TypeError(f"grads[{i}] must be a floating NumPy array, got {kind}")
            if not p.flags.writeable:
                raise ValueError(f"params[{i}] is read-only: step updates every parameter in place")
            if g.shape != p.shape:
                raise ValueError(f"grads[{i}] has shape {g.shape} but params[{i}] has shape {p.shape}")
            if g.dtype.itemsize > max(p.dtype.itemsize, 4):
                _check_in_range(g, p.dtype, i)
        shapes = [(p.shape, p.dtype) for p in params]
        if self._shapes is None:
            for i, p in enumerate(params):
                if self.lr > float(np.finfo(p.dtype).max):
                    raise ValueError(f"lr={self.lr!r} is beyond the range of params[{i}]'s dtype {p.dtype}")
            self._shapes = shapes
        elif shapes != self._shapes:
            raise ValueError("params must be the same arrays (shapes and dtypes) at every step: "
                             f"first {self._shapes}, now {shapes}")
        ids = [id(p) for p in params]
        if ids != self._ids:  # a new list of arrays: check once that no two share memory
            _check_disjoint(params)
            self._ids = ids
        # base-class views: an ndarray subclass (np.matrix) would make g * g a matrix product
        return ([p if type(p) is np.ndarray else p.view(np.ndarray) for p in params],
                [g if type(g) is np.ndarray else g.view(np.ndarray) for g in grads])

    def _repr_args(self) -> str:
        return f"lr={self.lr}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._repr_args()})"


class SGD(Optimizer):
    """Gradient descent, optionally with momentum or Nesterov momentum (``torch.optim.SGD``).

    plain:     w <- w - lr g
    momentum:  b <- mu b + g  (b = g at the first step);  w <- w - lr b
    Nesterov:  b as above;  w <- w - lr (g + mu b)

    The buffer b is a running sum of past gradients with weights mu^k, so a steady
    gradient g builds up to b = g / (1 - mu).

    >>> w = np.array([1.0]); opt = SGD(0.1, momentum=0.5, nesterov=True)
    >>> opt.step([w], [np.array([2.0])]); w           # b = 2, step 0.1 * (2 + 0.5 * 2)
    array([0.7])
    """

    def __init__(self, lr: float, momentum: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(lr)
        self.momentum = _check_decay(momentum, "momentum")
        if not isinstance(nesterov, (bool, np.bool_)):
            raise TypeError(f"nesterov must be True or False, got {type(nesterov).__name__}")
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs momentum > 0")
        self.nesterov = bool(nesterov)
        self.buffers: dict[int, np.ndarray] = {}

    def _update(self, index, p, g):
        if self.momentum == 0:
            p -= self.lr * g
            return
        b = self.buffers.get(index)
        if b is None:
            b = self.buffers[index] = np.array(g, dtype=p.dtype)
        else:
            b *= self.momentum
            b += g
        p -= self.lr * (g + self.momentum * b if self.nesterov else b)

    def _repr_args(self):
        return f"lr={self.lr}, momentum={self.momentum}, nesterov={self.nesterov}"


class Adagrad(Optimizer):
    """A learning rate per weight from the sum of its squared gradients (``torch.optim.Adagrad``).

    s <- s + g^2 (s starts at 0);  w <- w - lr g / (sqrt(s) + eps)

    >>> w = np.array([1.0, 1.0]); opt = Adagrad(0.1)
    >>> opt.step([w], [np.array([4.0, 0.01])]); w      # both move by lr: g / |g| = 1
    array([0.9, 0.9])
    """

    def __init__(self, lr: float, eps: float = 1e-10) -> None:
        super().__init__(lr)
        self.eps = _check_eps(eps)
        self.sums: dict[int, np.ndarray] = {}

    def _update(self, index, p, g):
        s = _state(self.sums, index, p)
        g = _widened(g, s)
        s += (g * g)
        p -= self.lr * (g / (np.sqrt(s) + self.eps))

    def _repr_args(self):
        return f"lr={self.lr}, eps={self.eps}"


class RMSprop(Optimizer):
    """Adagrad with a running average instead of a sum (``torch.optim.RMSprop``).

    s <- alpha s + (1 - alpha) g^2 (s starts at 0);  w <- w - lr g / (sqrt(s) + eps)

    ``alpha`` in [0, 1] (1 never updates s; torch accepts larger values, whose "average"
    can turn negative).

    >>> w = np.array([1.0]); opt = RMSprop(0.01, alpha=0.99)
    >>> opt.step([w], [np.array([3.0])]); w.round(6)    # sqrt(0.01 * 9) = 0.3: a step of 0.1
    array([0.9])
    """

    def __init__(self, lr: float, alpha: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.alpha = _check_decay(alpha, "alpha", upper_included=True)
        self.eps = _check_eps(eps)
        self.averages: dict[int, np.ndarray] = {}

    def _update(self, index, p, g):
        s = _state(self.averages, index, p)
        g = _widened(g, s)
        s *= self.alpha
        s += (1 - self.alpha) * (g * g)
        p -= self.lr * (g / (np.sqrt(s) + self.eps))

    def _repr_args(self):
        return f"lr={self.lr}, alpha={self.alpha}, eps={self.eps}"


class Adam(Optimizer):
    """Momentum and RMSprop together, with bias-corrected averages (``torch.optim.Adam``).

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2  (both start at 0); at step t
    w <- w - lr m_hat / (sqrt(v_hat) + eps), m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t).

    The corrections undo the pull towards the zero start: after one step m_hat = g and
    v_hat = g^2, so the first step has length lr in every coordinate.

    >>> w = np.array([1.0, 1.0]); opt = Adam(0.1)
    >>> opt.step([w], [np.array([5.0, -0.2])]); w.round(6)
    array([0.9, 1.1])
    """

    def __init__(self, lr: float, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__(lr)
        if isinstance(betas, (str, bytes)) or not isinstance(betas, (tuple, list, np.ndarray)) \
                or np.shape(betas) != (2,):
            raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (_check_decay(betas[0], "betas[0]"), _check_decay(betas[1], "betas[1]"))
        self.eps = _check_eps(eps)
        self.m: dict[int, np.ndarray] = {}
        self.v: dict[int, np.ndarray] = {}

    def _update(self, index, p, g):
        beta1, beta2 = self.betas
        m, v = _state(self.m, index, p), _state(self.v, index, p)
        g = _widened(g, m)
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * (g * g)
        correction1 = 1 - beta1 ** self.steps
        correction2 = 1 - beta2 ** self.steps
        denominator = np.sqrt(v)
        denominator /= math.sqrt(correction2)
        denominator += self.eps                     # eps outside the root of v_hat
        step_size = self.lr / correction1
        if step_size <= np.finfo(m.dtype).max:
            p -= step_size * (m / denominator)
        else:  # lr / (1 - beta1^t) is beyond the state's dtype: inf * 0 would give NaN
            p -= self.lr * ((m / correction1) / denominator)

    def _repr_args(self):
        return f"lr={self.lr}, betas={self.betas}, eps={self.eps}"


#: The optimizers by name (the notebook's dropdowns and loops use these names).
OPTIMIZERS: dict[str, type[Optimizer]] = {"sgd": SGD, "adagrad": Adagrad, "rmsprop": RMSprop, "adam": Adam}


# ----------------------------------------------------------------------------------------
# Divergence: the one rule every training loop of the package stops on
# ----------------------------------------------------------------------------------------

#: How a training step is computed: an overflow, an invalid operation (inf - inf, 0 * inf)
#: or a division by zero raises FloatingPointError instead of warning: a divergence.
DIVERGED_ERRSTATE = {"over": "raise", "invalid": "raise", "divide": "raise"}


def divergence_bound(dtype=np.float64) -> float:
    """The largest parameter magnitude a run may reach: sqrt(largest float of ``dtype``).

    Beyond it the square of the parameter overflows (the squared error, Adam's g^2, the
    product of two such weights in consecutive layers), so a run that gets there cannot
    take another step without leaving the float range.

    >>> f"{divergence_bound():.3e}", f"{divergence_bound(np.float32):.3e}"
    ('1.341e+154', '1.845e+19')
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a floating dtype, got {dtype}")
    return math.sqrt(float(np.finfo(dtype).max))


def _within(a, limit: float) -> bool:
    """Whether every entry of ``a`` lies in [-limit, limit] (False where one is NaN)."""
    if isinstance(a, (float, int)):
        return -limit <= a <= limit
    a = np.asarray(a)
    if a.size <= 8:                                   # a point of a small path: Python is faster
        return all(-limit <= v <= limit for v in a.ravel().tolist())
    return a.size == 0 or bool(a.max() <= limit) and bool(a.min() >= -limit)   # NaN fails both


#: The largest finite float64: computed numbers must lie within it.
_FINITE = float(np.finfo(np.float64).max)


def diverged(params, computed=(), *, bound: float | None = None) -> bool:
    """Whether a training run has diverged: the one rule every loop of the package stops on.

    A run has diverged at a step when

    * a parameter is NaN, +-inf or larger in magnitude than ``bound`` (default:
      :func:`divergence_bound` of the parameters' dtype, sqrt(largest float): 1.34e154
      in float64, 1.84e19 in float32), or
    * a number computed in that step from the parameters (a loss, a gradient, a
      prediction) is NaN or +-inf (an overflow while computing it, which the loops see
      as a FloatingPointError under :data:`DIVERGED_ERRSTATE`, counts the same).

    The bound is meant for parameters in the units of the problem: a loop whose weights
    multiply data of any scale (a slope of 2e300 for targets near 2 and inputs near
    1e-300 is no divergence) passes them multiplied by a power of two near the largest
    input and divided by one near the size of the targets (or of the start's
    predictions, if larger); both are exact, so the same run diverges at the same step
    in any units.

    Parameters
    ----------
    params : array_like or sequence of array_like
        The parameters after the step (one array, or a list of arrays such as
        ``MLP.params()``).
    computed : sequence of array_like
        Numbers computed in the step (losses, gradients); only their finiteness counts.
    bound : float, optional
        The largest allowed parameter magnitude.

    Returns
    -------
    bool

    Examples
    --------
    >>> diverged([1.0, -3.0]), diverged([1e160, 0.0]), diverged([1.0], computed=[float("inf")])
    (False, True, True)
    >>> diverged([np.full(3, 1e20, np.float32)])     # beyond sqrt(3.4e38) in float32
    True
    """
    if bound is not None:
        bound = check_positive(bound, "bound")
    for a in params if isinstance(params, (list, tuple)) else [params]:
        limit = bound if bound is not None else _bound_of(a)
        if not _within(a, limit):
            return True
    return not all(_within(c, _FINITE) for c in computed)


def _bound_of(a) -> float:
    """:func:`divergence_bound` of ``a``'s dtype (float64 for Python numbers and integers)."""
    dtype = a.dtype if isinstance(a, np.ndarray) and a.dtype.kind == "f" else np.dtype(np.float64)
    bound = _BOUNDS.get(dtype)
    if bound is None:
        bound = _BOUNDS[dtype] = divergence_bound(dtype)
    return bound


_BOUNDS: dict[np.dtype, float] = {}


def diverged_rows(params, computed=(), *, bound: float | None = None) -> np.ndarray:
    """:func:`diverged` for m runs at once: one bool per run.

    Every array of ``params`` and ``computed`` holds the m runs along its first axis
    (shape (m,) or (m, ...)); run i has diverged when its parameters break the bound or
    its computed numbers are not finite, as :func:`diverged` says.

    >>> diverged_rows([np.array([1.0, 1e160, np.nan])]).tolist()
    [False, True, True]
    """
    arrays = [np.asarray(a) for a in params]
    runs = len(arrays[0]) if arrays else len(np.asarray(computed[0]))
    out = np.zeros(runs, dtype=bool)
    for a in arrays:
        limit = bound if bound is not None else _bound_of(a)
        out |= ~(np.abs(a) <= limit).reshape(runs, -1).all(axis=1)    # NaN fails the comparison
    for c in computed:
        out |= ~np.isfinite(np.asarray(c)).reshape(runs, -1).all(axis=1)
    return out


@dataclass(frozen=True)
class DescentRun:
    """The path of :func:`descend_run` and the step at which it diverged (None if it did not).

    ``path[k]`` is the point after k steps; from ``diverged_at`` on, the rows repeat the
    last point that had not diverged.
    """

    path: np.ndarray
    diverged_at: int | None


# ----------------------------------------------------------------------------------------
# Test problems: where each idea can be seen (notebook 10)
# ----------------------------------------------------------------------------------------

class Quadratic:
    """The bowl f(w) = 0.5 w^T H w with a symmetric positive definite H (minimum 0 at w = 0).

    gradient H w; L = the largest eigenvalue of H (the largest curvature, the Lipschitz
    constant of the gradient); condition number kappa = largest / smallest eigenvalue.
    Points are arrays whose last axis holds the coordinates.

    >>> q = Quadratic.valley(10.0)
    >>> q.curvatures, q.condition
    (array([ 1., 10.]), 10.0)
    """

    def __init__(self, H) -> None:
        H = np.atleast_2d(as_float_array(H, "H").astype(np.float64))
        check_finite(H, "H")
        if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.allclose(H, H.T):
            raise ValueError(f"H must be a symmetric square matrix, got shape {H.shape}")
        self.H = H
        self._diagonal = np.diag(H).copy() if np.count_nonzero(H - np.diag(np.diag(H))) == 0 else None
        self.curvatures = np.linalg.eigvalsh(H)
        if self.curvatures[0] <= 0:
            raise ValueError(f"H must be positive definite, got eigenvalues {self.curvatures}")

    @classmethod
    def valley(cls, condition: float, L: float | None = None, angle: float = 0.0) -> "Quadratic":
        """A 2-D valley: curvature ``L`` (default ``condition``) across, ``L / condition`` along.

        ``angle`` (radians) turns the valley's floor away from the first axis.
        """
        condition = check_positive(condition, "condition")
        if condition < 1:
            raise ValueError(f"condition must be >= 1, got {condition!r}")
        L = condition if L is None else check_positive(L, "L")
        c, s = math.cos(check_scalar(angle, "angle")), math.sin(angle)
        R = np.array([[c, -s], [s, c]])
        return cls(R @ np.diag([L / condition, L]) @ R.T)

    def __call__(self, w) -> np.ndarray:
        """f at ``w`` (+inf, silently, where the exact value overflows)."""
        w = np.asarray(w, dtype=float)
        return _homogeneous(lambda v: 0.5 * np.sum((v @ self.H) * v, axis=-1), w, 2)

    def grad(self, w) -> np.ndarray:
        """H w (for an array of points, one gradient per point; +-inf where it overflows)."""
        w = np.asarray(w, dtype=float)
        if self._diagonal is not None:             # axis-aligned: elementwise, 3x faster for one point
            with np.errstate(over="ignore"):
                return w * self._diagonal
        return _homogeneous(lambda v: v @ self.H, w, 1)

    @property
    def L(self) -> float:
        return float(self.curvatures[-1])

    @property
    def condition(self) -> float:
        return float(self.curvatures[-1] / self.curvatures[0])


def _homogeneous(fn: Callable[[np.ndarray], np.ndarray], w: np.ndarray, degree: int) -> np.ndarray:
    """fn(w) for fn homogeneous of ``degree`` in the last axis of w, without NaN from overflow.

    Where products overflow with opposite signs (inf - inf), fn is evaluated at
    u = w / s with s the power of two at or below max |w| and scaled back by s^degree
    (exact), which gives the value or +-inf where the exact value overflows.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        out = fn(w)
        lost = np.isnan(out) & ~np.isnan(w).any(axis=-1, keepdims=out.ndim == w.ndim)
        if not lost.any():
            return out
        scale = np.ldexp(1.0, np.frexp(np.abs(w).max(axis=-1, keepdims=True))[1] - 1)  # max |u| in [1, 2)
        rescaled = fn(w / scale)
        for _ in range(degree):
            rescaled = rescaled * (scale if out.ndim == w.ndim else scale[..., 0])
    return np.where(lost, rescaled, out)


def lr_threshold(L: float) -> float:
    """The largest learning rate for which gradient descent converges on curvature ``L``: 2 / L.

    One step on f = 0.5 L w^2 is w <- (1 - lr L) w; it shrinks w only when |1 - lr L| < 1,
    that is 0 < lr < 2 / L.

    >>> lr_threshold(4.0)
    0.5
    """
    return 2.0 / check_positive(L, "L")


def momentum_window(momentum: float) -> float:
    """The number of past gradients momentum effectively averages: 1 / (1 - mu).

    The weights mu^k of the gradient k steps back sum to 1 / (1 - mu).

    >>> momentum_window(0.75)
    4.0
    """
    return 1.0 / (1.0 - _check_decay(momentum, "momentum"))


def momentum_weights(momentum: float, steps: int) -> np.ndarray:
    """Weights of the gradients 0, 1, ..., steps - 1 steps back in the buffer b: mu^k.

    >>> momentum_weights(0.5, 3)
    array([1.  , 0.5 , 0.25])
    """
    return _check_decay(momentum, "momentum") ** np.arange(check_positive_int(steps, "steps"))


def dip_curve(x) -> np.ndarray:
    """A 1-D loss with a shallow local minimum on its way down: f(x) = x^2 / 4 + sin(2 x + 1) / 2.

    The bowl x^2 / 4 carries the ripple sin(2x + 1) / 2; from a start at the right, the
    first dip met (near x = 1.45) is a local minimum, the deeper one lies near x = -1.02.

    Any real array (float32 stays float32); +inf where x^2 / 4 overflows (|x| > 2.7e154 in float64).

    >>> float(dip_curve(0.0).round(4))
    0.4207
    """
    x = as_float_array(x, "x")
    with np.errstate(over="ignore"):
        return 0.25 * x * x + 0.5 * np.sin(_ripple_phase(x))


def dip_curve_grad(x) -> np.ndarray:
    """f'(x) = 0.5 x + cos(2 x + 1).

    >>> float(dip_curve_grad(-0.5))
    0.75
    """
    x = as_float_array(x, "x")
    return 0.5 * x + np.cos(_ripple_phase(x))


def _ripple_phase(x: np.ndarray) -> np.ndarray:
    """2 x + 1, with 0 where it overflows: there the ripple is far below the last digit of x^2/4."""
    with np.errstate(over="ignore"):
        phase = 2.0 * x + 1.0
    return np.where(np.isinf(phase), 0, phase)


def descend_run(grad: Callable[[np.ndarray], np.ndarray], start: Sequence[float], optimizer: Optimizer,
                steps: int) -> DescentRun:
    """Run ``optimizer`` from ``start`` for ``steps`` steps; the path and where it diverged.

    ``grad(w)`` returns the gradient at the point ``w`` (a float64 array of the same shape).
    A run that diverges (:func:`diverged`: a point beyond 1.34e154 in size, or a
    gradient or step that leaves the float range, as a learning rate far beyond the
    threshold makes it) stops there, without a warning: ``diverged_at`` is that step and
    the remaining rows of the path repeat the last point before it.

    >>> run = descend_run(Quadratic([[1.0]]).grad, [1.0], SGD(10.0), 400)   # lr > 2 / L
    >>> run.diverged_at, bool(abs(run.path[-1, 0]) <= divergence_bound())
    (162, True)
    """
    steps = check_positive_int(steps, "steps")
    w = np.array(as_float_array(start, "start"), dtype=float).ravel()
    check_finite(w, "start")
    path = np.empty((steps + 1, w.size))
    path[0] = w
    bound = _bound_of(w)
    for k in range(1, steps + 1):
        with np.errstate(over="ignore", invalid="ignore"):        # as in Optimizer.step
            g = np.asarray(grad(w), dtype=float)
            if k == 1:
                optimizer.step([w], [g])                           # checks the shapes once
            else:
                optimizer.steps += 1
                optimizer._update(0, w, g)                         # the checked step, unchecked
        if not _within(w, bound):      # diverged(w); a NaN or inf gradient makes w NaN or inf too
            path[k:] = path[k - 1]
            return DescentRun(path, k)
        path[k] = w
    return DescentRun(path, None)


def descend(grad: Callable[[np.ndarray], np.ndarray], start: Sequence[float], optimizer: Optimizer,
            steps: int) -> np.ndarray:
    """The path of :func:`descend_run` alone, shape (steps + 1, d).

    A path that diverges stops at the last point before it (at most 1.34e154 in size):
    the remaining rows repeat it, so nothing overflows.

    >>> descend(Quadratic([[1.0]]).grad, [1.0], SGD(0.5), 2)[:, 0]
    array([1.  , 0.5 , 0.25])
    """
    return descend_run(grad, start, optimizer, steps).path


def minibatch_gradient_noise(grad: Callable[[np.ndarray], np.ndarray], n: int, batch_sizes: Sequence[int],
                             draws: int = 200, rng=0) -> np.ndarray:
    """Mean squared distance E ||g_B - g||^2 between mini-batch and full-batch gradients.

    ``grad(indices)`` returns the mean gradient (any shape) over the samples ``indices``
    of a data set of ``n`` samples; g = grad(all indices).  For every batch size B,
    ``draws`` batches are drawn with replacement, so the samples are independent and
    the expectation is exactly sigma^2 / B, with sigma^2 = E ||g_i - g||^2 the spread of
    one sample's gradient.  Returns one value per batch size.

    >>> x = np.arange(10.0)                      # gradient of 0.5 (w - x_i)^2 at w = 0: -x_i
    >>> noise = minibatch_gradient_noise(lambda i: -x[i].mean(), 10, [1, 4], draws=4000)
    >>> bool(abs(noise[0] / noise[1] - 4) < 0.4)  # sigma^2 = 8.25; 8.25 and 2.06
    True
    """
    generator = as_rng(rng)
    n = check_positive_int(n, "n")
    full = np.asarray(grad(np.arange(n)), dtype=float)
    noise = []
    for B in batch_sizes:
        B = check_positive_int(B, "batch_sizes")
        total = 0.0
        for _ in range(check_positive_int(draws, "draws")):
            diff = np.asarray(grad(generator.integers(0, n, B)), dtype=float) - full
            total += float(np.sum(diff * diff))
        noise.append(total / draws)
    return np.array(noise)


def steps_to_tolerance(values: np.ndarray, tol: float) -> int | None:
    """The first index k from which ``values[k:]`` all stay below ``tol`` (None if never).

    >>> steps_to_tolerance(np.array([5.0, 0.5, 2.0, 0.1, 0.01]), 1.0)
    3
    """
    values = as_float_array(values, "values")
    above = np.flatnonzero(~(values < check_positive(tol, "tol")))
    if above.size == 0:
        return 0
    return None if above[-1] == len(values) - 1 else int(above[-1] + 1)

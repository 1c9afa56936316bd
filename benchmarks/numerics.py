"""Accuracy and speed of nbsupport's numerics: prints one table (not a test).

    .venv/bin/python benchmarks/numerics.py            # 10 million elements, 3 runs (~90 s of CPU)
    .venv/bin/python benchmarks/numerics.py --quick    # 1 million elements, 7 runs (~30 s)

For every activation and derivative, every loss and its gradient, and softmax,
log_softmax and logsumexp:

* ``max ulp``: the largest float64 error in ulps against mpmath (50 digits) on a fixed
  grid (activations: the ~2,100-point grid of ``tests/test_activations.py``, from -1e308
  to 1e308 with the whole exp range, tiny values and the roots of GELU' and SiLU'; the
  losses: one element at a time over a grid of targets and predictions; softmax: rows
  at logit scales 1 to 1e300).  ``/cond`` divides by max(1, conditioning) where the
  function has a root away from 0 (gelu_grad, silu_grad), else equals ``max ulp``.
* ``ns/el``: CPU nanoseconds per element on N elements (min of the runs; CPU time of this
  process, so other jobs on a shared machine do not inflate it), beside, in the same run
  and interleaved, ``scipy.special`` where it has the function (expit,
  softplus, logsumexp, softmax, log_softmax; entr and rel_entr for the entropies) and
  the naive textbook formula, with the ratios ours / theirs.

Goal (issue 2): max ulp within 4 (plus conditioning) and ours/scipy <= 1.5.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.special as sp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

A = importlib.import_module("nbsupport.activations")
L = importlib.import_module("nbsupport.losses")
S = importlib.import_module("nbsupport.normalizers")
from tests.test_activations import GRID, REFERENCES, rounded_with_residual, ulp_error  # noqa: E402,I001

SQRT2 = np.sqrt(2.0)
INV_SQRT2PI = 1 / np.sqrt(2 * np.pi)


@dataclass
class Row:
    name: str
    ulp: float = float("nan")
    ulp_cond: float = float("nan")
    ours: float = float("nan")
    scipy: float = float("nan")
    naive: float = float("nan")
    worst: str = ""  # where the largest error is


def max_ulp(got: np.ndarray, exact: list, inputs: list) -> tuple[float, str]:
    """Largest ulp error and the input (from ``inputs``) where it occurs."""
    rounded, residual = rounded_with_residual(exact)
    err = ulp_error(np.asarray(got, dtype=np.float64), rounded, residual)
    err = np.where(np.isnan(err), np.inf, err)
    i = int(np.argmax(err))
    return float(err[i]), str(inputs[i])


# ----------------------------------------------------------------- accuracy: activations

def activation_accuracy(step: int) -> dict[str, tuple[float, float, str]]:
    """name -> (max ulp, max ulp / max(1, cond), where) on the test grid (every step-th point)."""
    grid = GRID[::step]
    points = [mp.mpf(float(t)) for t in grid]
    out = {}
    for name, (fn, exact, derivative) in REFERENCES.items():
        values = [exact(t) for t in points]
        rounded, residual = rounded_with_residual(values)
        err = ulp_error(fn(grid), rounded, residual)
        err = np.where(np.isnan(err), np.inf, err)
        cond = np.ones_like(err)
        if derivative is not None:
            cond = np.array([max(1.0, float(abs(t * derivative(t) / v))) if abs(t) < 3 else 1.0
                             for t, v in zip(points, values)])
        worst = int(np.argmax(err / cond))
        out[name] = (float(err.max()), float((err / cond).max()), f"x = {grid[worst]!r}")
    return out


# ----------------------------------------------------------------- accuracy: losses

def _signed_grid() -> np.ndarray:
    wide = np.geomspace(1e-10, 1e100, 45)
    return np.unique(np.concatenate([np.linspace(-50, 50, 201), wide, -wide]))


def _probability_grid() -> np.ndarray:
    low = np.geomspace(1e-300, 0.5, 60)
    return np.unique(np.concatenate([low, 1 - np.geomspace(1e-16, 0.5, 60)]))


def _logit_grid() -> np.ndarray:
    tiny, huge = np.geomspace(1e-300, 1e-2, 20), np.geomspace(1e3, 1e300, 20)
    return np.unique(np.concatenate([np.linspace(-745, 745, 301), tiny, -tiny, huge, -huge]))


def _sign(v):
    return (v > 0) - (v < 0)


def _bce_grad(y, p):
    return (p - y) / (p * (1 - p))


def _sig(z):
    return 1 / (1 + mp.exp(-z))


# name -> (our loss, our gradient, exact term, exact d term / d prediction, targets, predictions)
ELEMENTWISE_LOSSES = {
    "mse": (L.mse, L.mse_grad, lambda y, p: (p - y) ** 2, lambda y, p: 2 * (p - y)),
    "half_mse": (L.half_mse, L.half_mse_grad, lambda y, p: (p - y) ** 2 / 2, lambda y, p: p - y),
    "sse": (L.sse, L.sse_grad, lambda y, p: (p - y) ** 2, lambda y, p: 2 * (p - y)),
    "mae": (L.mae, L.mae_grad, lambda y, p: abs(p - y), lambda y, p: _sign(p - y)),
    "mape": (L.mape, L.mape_grad, lambda y, p: 100 * abs(y - p) / abs(y),
             lambda y, p: 100 * _sign(p - y) / abs(y)),
    "msle": (L.msle, L.msle_grad, lambda y, p: (mp.log1p(p) - mp.log1p(y)) ** 2,
             lambda y, p: 2 * (mp.log1p(p) - mp.log1p(y)) / (1 + p)),
    "huber": (L.huber, L.huber_grad,
              lambda y, p: (p - y) ** 2 / 2 if abs(p - y) <= 1 else abs(p - y) - mp.mpf(1) / 2,
              lambda y, p: max(-1, min(1, p - y))),
    "binary_cross_entropy": (L.binary_cross_entropy, L.binary_cross_entropy_grad,
                             lambda y, p: -(y * mp.log(p) + (1 - y) * mp.log1p(-p)), _bce_grad),
    # written without cancellation, so 50 digits suffice for logits up to 1e300
    "binary_cross_entropy_with_logits": (
        L.binary_cross_entropy_with_logits, L.binary_cross_entropy_with_logits_grad,
        lambda y, z: ((1 - y) * z if z > 0 else -y * z) + mp.log1p(mp.exp(-abs(z))),
        lambda y, z: _sigmoid_minus(y, z)),
}


def _sigmoid_minus(y, z):
    """sigma(z) - y; near z = 0 as tanh(z/2)/2 + (1/2 - y), which does not cancel at y = 1/2."""
    if abs(z) < 1:
        return mp.tanh(z / 2) / 2 + (mp.mpf(1) / 2 - y)
    return (1 - y) * _sig(z) - y * _sig(-z)


def _loss_pairs(name: str, step: int) -> list[tuple[float, float]]:
    if name == "binary_cross_entropy":
        ys, ps = (0.0, 0.25, 1.0), _probability_grid()
    elif name == "binary_cross_entropy_with_logits":
        ys, ps = (0.0, 0.25, 0.5, 1.0), _logit_grid()
    elif name == "msle":
        ys, ps = (0.3, 12.5), np.concatenate([-1 + np.geomspace(1e-15, 1, 25), _signed_grid()[::2]])
        ps = ps[ps > -1]
    else:
        ys, ps = (-3.7, 0.3, 12.5), _signed_grid()
    return [(y, float(p)) for y in ys for p in ps[::step]]


def elementwise_loss_accuracy(step: int) -> dict[str, float]:
    out = {}
    for name, (loss, grad, term, dterm) in ELEMENTWISE_LOSSES.items():
        pairs = _loss_pairs(name, step)
        got = [float(loss(np.array([y]), np.array([p]))) for y, p in pairs]
        got_grad = [float(grad(np.array([y]), np.array([p]))[0]) for y, p in pairs]
        exact = [term(mp.mpf(y), mp.mpf(p)) for y, p in pairs]
        exact_grad = [mp.mpf(dterm(mp.mpf(y), mp.mpf(p))) for y, p in pairs]
        where = [f"y = {y!r}, p = {p!r}" for y, p in pairs]
        out[name] = max_ulp(got, exact, where)
        out[f"{name}_grad"] = max_ulp(got_grad, exact_grad, where)
    return out


def _rows(n_rows: int, width: int, seed: int) -> np.ndarray:
    """Distributions with entries from ~0.5 down to ~1e-30 (Dirichlet with small alpha)."""
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(width, 0.3), size=n_rows)
    p = np.maximum(p, 1e-30)
    return p / p.sum(axis=-1, keepdims=True)


def _logit_rows(n_rows: int, width: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    scales = np.array([1.0, 30.0, 1e3, 1e5, 1e300])
    return rng.normal(size=(n_rows, width)) * scales[np.arange(n_rows) % scales.size, None]


def _mp_shifted(row) -> tuple[list, mp.mpf]:
    """(z - max(z), log sum exp(z - max)): LSE(z) - z_i = (max - z_i) + log_sum, no cancellation.

    log_sum = log1p(sum of the other terms): 1 + 1e-58 would round to 1 at 50 digits.
    """
    top = max(range(len(row)), key=lambda j: row[j])
    shifted = [v - row[top] for v in row]
    return shifted, mp.log1p(mp.fsum(mp.exp(d) for j, d in enumerate(shifted) if j != top))


def _softmax_grad_row(shifted: list, log_sum: mp.mpf, label: int) -> list:
    """softmax(z) - onehot(label); at the label p - 1 = -(sum of the other p), no cancellation."""
    p = [mp.exp(d - log_sum) for d in shifted]
    return [-mp.fsum(p[:j] + p[j + 1:]) if j == label else p[j] for j in range(len(p))]


def class_loss_accuracy(n_rows: int) -> dict[str, tuple[float, str]]:
    out = {}
    p, q = _rows(n_rows, 4, 8), _rows(n_rows, 4, 9)
    labels = np.arange(n_rows) % 4
    mp_p = [[mp.mpf(float(v)) for v in row] for row in p]
    mp_q = [[mp.mpf(float(v)) for v in row] for row in q]
    rows = [f"row {i}" for i in range(n_rows)]

    got = [float(L.categorical_cross_entropy(labels[i:i + 1], p[i:i + 1])) for i in range(n_rows)]
    out["categorical_cross_entropy"] = max_ulp(got, [-mp.log(mp_p[i][labels[i]]) for i in range(n_rows)], rows)
    got = [L.categorical_cross_entropy_grad(labels[i:i + 1], p[i:i + 1])[0, labels[i]]
           for i in range(n_rows)]
    out["categorical_cross_entropy_grad"] = max_ulp(got, [-1 / mp_p[i][labels[i]] for i in range(n_rows)], rows)

    z = _logit_rows(n_rows, 4)
    shifted = [_mp_shifted([mp.mpf(float(v)) for v in row]) for row in z]
    got = [float(L.softmax_cross_entropy_with_logits(labels[i:i + 1], z[i:i + 1])) for i in range(n_rows)]
    exact = [log_sum - d[labels[i]] for i, (d, log_sum) in enumerate(shifted)]
    out["softmax_cross_entropy_with_logits"] = max_ulp(got, exact, rows)
    got = np.concatenate([L.softmax_cross_entropy_with_logits_grad(labels[i:i + 1], z[i:i + 1])[0]
                          for i in range(n_rows)])
    exact = [v for i, (d, log_sum) in enumerate(shifted) for v in _softmax_grad_row(d, log_sum, labels[i])]
    out["softmax_cross_entropy_with_logits_grad"] = max_ulp(got, exact, [r for r in rows for _ in range(4)])

    out["entropy"] = max_ulp(L.entropy(p), [-mp.fsum(v * mp.log(v) for v in row) for row in mp_p], rows)
    out["cross_entropy"] = max_ulp(L.cross_entropy(p, q), [-mp.fsum(a * mp.log(b) for a, b in zip(r, s))
                                                           for r, s in zip(mp_p, mp_q)], rows)
    out["kl_divergence"] = max_ulp(L.kl_divergence(p, q), [mp.fsum(a * mp.log(a / b) for a, b in zip(r, s))
                                                           for r, s in zip(mp_p, mp_q)], rows)
    return out


def softmax_accuracy(n_rows: int) -> dict[str, tuple[float, str]]:
    z = _logit_rows(n_rows, 8)
    shifted = [_mp_shifted([mp.mpf(float(v)) for v in row]) for row in z]
    rows = [f"row {i} (scale {np.abs(z[i]).max():.0e})" for i in range(n_rows)]
    elements = [r for r in rows for _ in range(z.shape[1])]
    return {
        "softmax": max_ulp(S.softmax(z).ravel(), [mp.exp(v - s) for d, s in shifted for v in d], elements),
        "log_softmax": max_ulp(S.log_softmax(z).ravel(), [v - s for d, s in shifted for v in d], elements),
        "logsumexp": max_ulp(S.logsumexp(z), [mp.mpf(float(row.max())) + s for row, (_, s) in zip(z, shifted)],
                             rows),
    }


# ----------------------------------------------------------------- speed

def _naive(fn: Callable) -> Callable:
    """A naive formula, run with its overflow warnings silenced (they are its point)."""
    def run(*args):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args)
    return run


def _naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _naive_gelu_cdf(x):
    return 0.5 * (1 + sp.erf(x / SQRT2))


RRELU_SLOPE = (1 / 8 + 1 / 3) / 2
# name -> (ours, scipy or None, naive formula), all functions of x
ACTIVATION_SPEED = {
    "identity": (A.identity, None, lambda x: x.copy()),
    "identity_grad": (A.identity_grad, None, np.ones_like),
    "sigmoid": (A.sigmoid, sp.expit, _naive_sigmoid),
    "sigmoid_grad": (A.sigmoid_grad, None, lambda x: _naive_sigmoid(x) * (1 - _naive_sigmoid(x))),
    "tanh": (A.tanh, None, lambda x: (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))),
    "tanh_grad": (A.tanh_grad, None, lambda x: 1 - np.tanh(x) ** 2),
    "relu": (A.relu, None, lambda x: x * (x > 0)),
    "relu_grad": (A.relu_grad, None, lambda x: (x > 0).astype(x.dtype)),
    "leaky_relu": (A.leaky_relu, None, lambda x: np.where(x > 0, x, 0.01 * x)),
    "leaky_relu_grad": (A.leaky_relu_grad, None, lambda x: np.where(x > 0, 1.0, 0.01)),
    "prelu": (lambda x: A.prelu(x, 0.25), None, lambda x: np.where(x > 0, x, 0.25 * x)),
    "prelu_grad": (lambda x: A.prelu_grad(x, 0.25), None, lambda x: np.where(x > 0, 1.0, 0.25)),
    "elu": (A.elu, None, lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    "elu_grad": (A.elu_grad, None, lambda x: np.where(x > 0, 1.0, np.exp(x))),
    "selu": (A.selu, None, lambda x: A.SELU_LAMBDA * np.where(x > 0, x, A.SELU_ALPHA * (np.exp(x) - 1))),
    "selu_grad": (A.selu_grad, None,
                  lambda x: A.SELU_LAMBDA * np.where(x > 0, 1.0, A.SELU_ALPHA * np.exp(x))),
    "softplus": (A.softplus, sp.softplus, lambda x: np.log(1 + np.exp(x))),
    "softplus_grad": (A.softplus_grad, sp.expit, _naive_sigmoid),
    "gelu": (A.gelu, None, lambda x: x * _naive_gelu_cdf(x)),
    "gelu_grad": (A.gelu_grad, None,
                  lambda x: _naive_gelu_cdf(x) + x * INV_SQRT2PI * np.exp(-x * x / 2)),
    "silu": (A.silu, None, lambda x: x / (1 + np.exp(-x))),
    "silu_grad": (A.silu_grad, None, lambda x: _naive_sigmoid(x) * (1 + x * (1 - _naive_sigmoid(x)))),
    "rrelu": (A.rrelu, None, lambda x: np.where(x > 0, x, RRELU_SLOPE * x)),
    "rrelu_grad": (A.rrelu_grad, None, lambda x: np.where(x > 0, 1.0, RRELU_SLOPE)),
}


def _time_all(candidates: list[Callable | None], args: tuple, repeats: int) -> list[float]:
    """Seconds (min over repeats) per candidate; the candidates take turns within each repeat."""
    best = [float("inf")] * len(candidates)
    for _ in range(repeats):
        for i, fn in enumerate(candidates):
            if fn is None:
                continue
            start = time.process_time()
            fn(*args)
            best[i] = min(best[i], time.process_time() - start)
    return [b if b != float("inf") else float("nan") for b in best]


def _speed(row: Row, candidates: tuple, args: tuple, n: int, repeats: int) -> None:
    ours, theirs, naive = candidates
    seconds = _time_all([ours, theirs, _naive(naive) if naive else None], args, repeats)
    row.ours, row.scipy, row.naive = (s / n * 1e9 for s in seconds)


def _regression_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    return rng.normal(size=n), rng.normal(size=n)


def _naive_bce(y, p):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def loss_speed_cases(n: int) -> dict[str, tuple]:
    """name -> ((ours, scipy, naive), args): 10 classes per row for the categorical ones."""
    rng = np.random.default_rng(2)
    y, p = _regression_data(n)
    y_pos, p_pos = np.abs(y), np.abs(p)
    y01 = (rng.random(n) < 0.5).astype(float)
    prob = rng.uniform(1e-6, 1 - 1e-6, n)
    z = rng.normal(scale=3, size=n)
    logits = rng.normal(scale=3, size=(n // 10, 10))
    labels = rng.integers(0, 10, n // 10)
    onehot = np.eye(10)[labels]
    probs = S.softmax(logits)
    q = S.softmax(rng.normal(size=(n // 10, 10)))

    def naive_huber(y, p):
        r = np.abs(p - y)
        return np.mean(np.where(r <= 1, r * r / 2, r - 0.5))

    return {
        "mse": ((L.mse, None, lambda y, p: np.mean((y - p) ** 2)), (y, p)),
        "mse_grad": ((L.mse_grad, None, lambda y, p: 2 * (p - y) / y.size), (y, p)),
        "half_mse": ((L.half_mse, None, lambda y, p: 0.5 * np.mean((y - p) ** 2)), (y, p)),
        "sse": ((L.sse, None, lambda y, p: np.sum((y - p) ** 2)), (y, p)),
        "mae": ((L.mae, None, lambda y, p: np.mean(np.abs(y - p))), (y, p)),
        "mae_grad": ((L.mae_grad, None, lambda y, p: np.sign(p - y) / y.size), (y, p)),
        "mape": ((L.mape, None, lambda y, p: 100 * np.mean(np.abs((y - p) / y))), (y, p)),
        "msle": ((L.msle, None, lambda y, p: np.mean((np.log(1 + p) - np.log(1 + y)) ** 2)), (y_pos, p_pos)),
        "huber": ((L.huber, None, naive_huber), (y, p)),
        "binary_cross_entropy": ((L.binary_cross_entropy, None, _naive_bce), (y01, prob)),
        "binary_cross_entropy_grad": ((L.binary_cross_entropy_grad, None,
                                       lambda y, p: (p - y) / (p * (1 - p)) / y.size), (y01, prob)),
        "binary_cross_entropy_with_logits": ((L.binary_cross_entropy_with_logits, None,
                                              lambda y, z: _naive_bce(y, _naive_sigmoid(z))), (y01, z)),
        "binary_cross_entropy_with_logits_grad": ((L.binary_cross_entropy_with_logits_grad,
                                                   lambda y, z: (sp.expit(z) - y) / y.size,
                                                   lambda y, z: (_naive_sigmoid(z) - y) / y.size), (y01, z)),
        "categorical_cross_entropy": ((L.categorical_cross_entropy, None,
                                       lambda y, p: -np.mean(np.sum(y * np.log(p), axis=-1))), (onehot, probs)),
        "softmax_cross_entropy_with_logits": (
            (L.softmax_cross_entropy_with_logits,
             lambda y, z: -np.mean(np.sum(y * sp.log_softmax(z, axis=-1), axis=-1)),
             lambda y, z: -np.mean(np.sum(y * np.log(S.naive_softmax(z)), axis=-1))), (onehot, logits)),
        "softmax_cross_entropy_with_logits_grad": (
            (L.softmax_cross_entropy_with_logits_grad,
             lambda y, z: (sp.softmax(z, axis=-1) - y) / len(y),
             lambda y, z: (S.naive_softmax(z) - y) / len(y)), (onehot, logits)),
        "entropy": ((L.entropy, lambda p: sp.entr(p).sum(axis=-1),
                     lambda p: -np.sum(p * np.log(p), axis=-1)), (probs,)),
        "cross_entropy": ((L.cross_entropy, None, lambda p, q: -np.sum(p * np.log(q), axis=-1)), (probs, q)),
        "kl_divergence": ((L.kl_divergence, lambda p, q: sp.rel_entr(p, q).sum(axis=-1),
                           lambda p, q: np.sum(p * np.log(p / q), axis=-1)), (probs, q)),
    }


def softmax_speed_cases(n: int) -> dict[str, tuple]:
    z = np.random.default_rng(3).normal(scale=3, size=(n // 10, 10))
    return {
        "softmax": ((S.softmax, lambda z: sp.softmax(z, axis=-1), S.naive_softmax), (z,)),
        "log_softmax": ((S.log_softmax, lambda z: sp.log_softmax(z, axis=-1),
                         lambda z: z - S.naive_logsumexp(z)[..., None]), (z,)),
        "logsumexp": ((S.logsumexp, lambda z: sp.logsumexp(z, axis=-1), S.naive_logsumexp), (z,)),
    }


# ----------------------------------------------------------------- table

def _ratio(a: float, b: float) -> str:
    return f"{a / b:7.2f}" if np.isfinite(a) and np.isfinite(b) else "      -"


def _num(v: float, fmt: str, width: int) -> str:
    return format(v, fmt) if np.isfinite(v) else ("inf" if v == np.inf else "-").rjust(width)


def _ulp_text(v: float, width: int) -> str:
    if not np.isfinite(v):
        return ("inf" if v == np.inf else "-").rjust(width)
    return f"{v:{width}.2f}" if v < 1e6 else f"{v:{width}.1e}"


def print_table(title: str, rows: list[Row]) -> None:
    print(f"\n{title}")
    print(f"{'function':40s} {'max ulp':>8s} {'/cond':>8s} {'ours':>8s} {'scipy':>8s} "
          f"{'o/scipy':>7s} {'naive':>8s} {'o/naive':>7s}")
    for r in rows:
        print(f"{r.name:40s} {_ulp_text(r.ulp, 8)} {_ulp_text(r.ulp_cond, 8)} "
              f"{_num(r.ours, '8.2f', 8)} {_num(r.scipy, '8.2f', 8)} {_ratio(r.ours, r.scipy)} "
              f"{_num(r.naive, '8.2f', 8)} {_ratio(r.ours, r.naive)}")
    for r in rows:
        misses = [f"{r.ulp_cond:.3g} ulp at {r.worst}"] if r.ulp_cond > 4 else []
        if r.ours > 1.5 * r.scipy:
            misses.append(f"{r.ours / r.scipy:.2f}x scipy")
        if misses:
            print(f"  misses the goal: {r.name}: {'; '.join(misses)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 million elements, 2 runs, a coarser grid")
    parser.add_argument("--n", type=int, default=None, help="elements for the timings (default 10,000,000)")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per function (default 3)")
    args = parser.parse_args()
    n = args.n or (1_000_000 if args.quick else 10_000_000)
    repeats = args.repeats or (7 if args.quick else 3)
    step, n_rows = (3, 60) if args.quick else (1, 200)
    mp.mp.dps = 50

    started = time.perf_counter()
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, mpmath {mp.__version__}; "
          f"N = {n:,} elements, min of {repeats} runs; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    print("ulp: float64 error against mpmath (50 digits); ours/scipy/naive: ns per element")

    accuracy = activation_accuracy(step)
    accuracy["softplus_grad"] = accuracy["sigmoid"]  # the same function
    x = np.random.default_rng(0).normal(scale=3, size=n)
    rows = []
    for name, candidates in ACTIVATION_SPEED.items():
        ulp, ulp_cond, worst = accuracy.get(name, (np.nan, np.nan, ""))
        row = Row(name, ulp, ulp_cond, worst=worst)
        _speed(row, candidates, (x,), n, repeats)
        rows.append(row)
    print_table("Activations (x ~ N(0, 3^2); ulp '-': the value is 1 or alpha, exact)", rows)
    del x

    loss_ulps = {**elementwise_loss_accuracy(step), **class_loss_accuracy(n_rows)}
    cases = loss_speed_cases(n)
    rows = []
    for name in dict.fromkeys([*loss_ulps, *cases]):
        ulp, worst = loss_ulps.get(name, (np.nan, ""))
        row = Row(name, ulp, ulp, worst=worst)
        if name in cases:
            candidates, data = cases[name]
            _speed(row, candidates, data, n, repeats)
        rows.append(row)
    del cases
    print_table("Losses (one element or row at a time for ulp; timings on N values, 10 classes a row)", rows)

    soft_ulps = softmax_accuracy(n_rows)
    rows = []
    for name, (candidates, data) in softmax_speed_cases(n).items():
        ulp, worst = soft_ulps[name]
        row = Row(name, ulp, ulp, worst=worst)
        _speed(row, candidates, data, n, repeats)
        rows.append(row)
    print_table("Softmax family (rows of 10 logits ~ N(0, 3^2) for timing)", rows)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

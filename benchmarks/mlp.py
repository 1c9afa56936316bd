"""Epoch time of nbsupport's NumPy MLP beside PyTorch's (CPU), measured in the same run.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/mlp.py [--quick] [--repeats N]

Shapes (SGD, learning rate 0.01, ReLU and tanh):
- 64-100-100-10 on scikit-learn's digits (1,797 samples), batch 32;
- 784-200-200-200-200-10 on MNIST-shaped data (60,000 random samples; ``--quick``
  uses 12,000), batch 100 and 200.

Both frameworks run on one thread (nbsupport limits BLAS to one thread on import;
``torch.set_num_threads(1)`` here) and do the same work per step: gather the batch,
forward, cross-entropy, backward, SGD update, and count the loss and correct answers.
The time of an epoch is the best of ``--repeats`` epochs after one warm-up epoch, the
two frameworks taking turns epoch by epoch (the machine is shared: a busy moment
should slow both).
Times are CPU seconds of the process (this machine is shared: wall time also counts
the moments another program had the CPU) with wall seconds beside them.
GFLOP/s counts 2 flops per multiply-add of the matrix products (forward, and backward
without the input gradient of the first layer) and is compared with a large float32
matrix product on the same thread.  PyTorch is optional: without it only nbsupport's
numbers are printed.
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, installed or not
import nbsupport  # noqa: F401  (limits BLAS to one thread)
from nbsupport.mlp import MLP, train  # noqa: E402
from nbsupport.optim import SGD  # noqa: E402

try:
    import torch
except ImportError:  # PyTorch is not a dependency of the project
    torch = None

LR = 0.01


def matmul_gflops(n: int = 2000, repeats: int = 5) -> float:
    """Best GFLOP/s of an n x n float32 matrix product (the machine's practical peak)."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    out = np.empty_like(a)
    best = math.inf
    for _ in range(repeats):
        start = time.process_time()
        np.matmul(a, b, out=out)
        best = min(best, time.process_time() - start)
    return 2 * n ** 3 / best / 1e9


def flops_per_epoch(sizes: list[int], n: int) -> float:
    """2 flops per multiply-add: forward (1x), backward dW (1x) and dX (1x, not for layer 1)."""
    macs = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
    return 2.0 * n * (3 * sum(macs) - macs[0])


def numpy_trainer(sizes, activation, X, y, batch_size):
    """A function that trains one epoch of nbsupport's MLP."""
    net = MLP(sizes, activations=activation, init="he_normal", rng=0)
    optimizer = SGD(LR)
    return lambda epoch: train(net, X, y, epochs=1, batch_size=batch_size, optimizer=optimizer, rng=epoch)


def torch_trainer(sizes, activation, X, y, batch_size):
    """A function that trains one epoch of the same network in PyTorch."""
    torch.manual_seed(0)
    act = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}[activation]
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(act())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def epoch(seed):
        order = torch.randperm(len(Xt), generator=torch.Generator().manual_seed(seed))
        loss_sum = correct = 0.0
        for first in range(0, len(Xt), batch_size):
            idx = order[first:first + batch_size]
            xb, yb = Xt.index_select(0, idx), yt.index_select(0, idx)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
    return epoch


def best_epoch_times(trainers, repeats: int) -> list[tuple[float, float]]:
    """(CPU seconds, wall seconds) of the best epoch of each trainer.

    Epochs alternate between the trainers so that a busy moment of the machine slows
    all of them alike; epoch 0 is a warm-up.  The CPU time of the process counts only
    the time the epoch actually ran, so it is the fairer measure on a shared machine.
    """
    best = [(float("inf"), float("inf"))] * len(trainers)
    for epoch in range(repeats + 1):
        for i, trainer in enumerate(trainers):
            cpu, wall = time.process_time(), time.perf_counter()
            trainer(epoch)
            seconds = (time.process_time() - cpu, time.perf_counter() - wall)
            if epoch > 0:
                best[i] = (min(best[i][0], seconds[0]), min(best[i][1], seconds[1]))
    return best


def datasets(quick: bool):
    from sklearn.datasets import load_digits
    digits = load_digits()
    rng = np.random.default_rng(0)
    n_mnist = 12_000 if quick else 60_000
    X_mnist = rng.random((n_mnist, 784), dtype=np.float32)
    y_mnist = rng.integers(0, 10, n_mnist)
    return {"digits": ((digits.data / 16).astype(np.float32), digits.target.astype(np.int64)),
            "mnist": (X_mnist, y_mnist)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="12,000 MNIST-shaped samples instead of 60,000")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed MNIST epochs per case, best kept (digits: 10x as many)")
    args = parser.parse_args()
    if torch is None:
        print("PyTorch is not installed: printing nbsupport's times only.")
    else:
        torch.set_num_threads(1)
        print(f"PyTorch {torch.__version__}, NumPy {np.__version__}, both on 1 thread")
    peak = matmul_gflops()
    print(f"large float32 matrix product (2000^3): {peak:.1f} GFLOP/s (CPU time, one thread)")
    print("times: best epoch in CPU seconds (wall seconds in brackets); ratio = nbsupport / PyTorch\n")
    # (data, layer sizes, batch size, goal for the time ratio, timed epochs)
    cases = [("digits", [64, 100, 100, 10], 32, 0.35, 10 * args.repeats),   # 20 ms epochs
             ("mnist", [784, 200, 200, 200, 200, 10], 100, 0.75, args.repeats),
             ("mnist", [784, 200, 200, 200, 200, 10], 200, 0.75, args.repeats)]
    data = datasets(args.quick)
    print(f"{'data':6} {'layers':22} {'act':4} {'batch':>5} {'nbsupport s':>17} {'PyTorch s':>17} "
          f"{'ratio':>11} {'goal':>5} {'GFLOP/s':>8} {'of peak':>7}")
    for data_name, sizes, batch_size, goal, repeats in cases:
        X, y = data[data_name]
        for activation in ("relu", "tanh"):
            trainers = [numpy_trainer(sizes, activation, X, y, batch_size)]
            if torch is not None:
                trainers.append(torch_trainer(sizes, activation, X, y, batch_size))
            times = best_epoch_times(trainers, repeats)
            (ours_cpu, ours_wall), (theirs_cpu, theirs_wall) = (times + [(math.nan, math.nan)])[:2]
            gflops = flops_per_epoch(sizes, len(X)) / ours_cpu / 1e9
            print(f"{data_name:6} {'-'.join(map(str, sizes)):22} {activation:4} {batch_size:5d} "
                  f"{ours_cpu:7.3f} ({ours_wall:7.3f}) {theirs_cpu:7.3f} ({theirs_wall:7.3f}) "
                  f"{ours_cpu / theirs_cpu:4.2f} ({ours_wall / theirs_wall:4.2f}) {goal:5.2f} "
                  f"{gflops:8.1f} {100 * gflops / peak:6.0f}%", flush=True)


if __name__ == "__main__":
    main()

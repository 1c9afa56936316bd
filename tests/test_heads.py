"""nbsupport.heads: regression heads, nominal targets, BCE on classes, the framework table."""
import math

import numpy as np
import pytest

from nbsupport import heads, losses
from nbsupport.activations import sigmoid


def test_sigmoid_mse_target_turns_the_linear_gradient_into_the_sigmoid_one():
    rng = np.random.default_rng(0)
    z, t = rng.normal(size=50), rng.uniform(size=50)
    linear_grad = 2 * (z - heads.sigmoid_mse_target(z, t)) / z.size
    p = sigmoid(z)
    numeric = (losses.mse(t, sigmoid(z + 1e-6)) - losses.mse(t, sigmoid(z - 1e-6))) / 2e-6  # sum of partials
    assert np.allclose(linear_grad, 2 * (p - t) * p * (1 - p) / z.size)
    assert linear_grad.sum() == pytest.approx(numeric, rel=1e-5)


def test_the_sigmoid_head_stays_inside_the_training_range_and_the_linear_one_does_not():
    x, y = heads.regression_data(200, rng=1)
    far = np.array([[3.0], [-3.0]], dtype=np.float32)
    sig = heads.fit_regression(x, y, "sigmoid", epochs=60)
    lin = heads.fit_regression(x, y, "linear", epochs=60)
    assert np.all(sig.predict(far) < y.max()) and np.all(sig.predict(far) > y.min())
    assert lin.predict(far).max() > y.max()
    assert np.sqrt(np.mean((lin.predict(x) - y) ** 2)) < 1.0          # it fits the cubic
    with pytest.raises(ValueError, match="head"):
        heads.fit_regression(x, y, "softmax")


def test_decode_codes_picks_the_nearest():
    assert heads.decode_codes(np.array([0.74, 0.76, -3.0]), [1.0, 0.5, 0.0]).tolist() == [1, 0, 2]


def test_an_ordinal_coding_invents_the_middle_colour_between_its_neighbours():
    x, labels = heads.nominal_data(rng=0)
    gap = np.linspace(-1.3, -0.7, 61, dtype=np.float32)[:, None]
    coded = heads.fit_nominal(x, labels, (1.0, 0.0, 0.5), epochs=120)
    onehot = heads.fit_nominal(x, labels, None, epochs=120)
    assert np.mean(coded.predict(x) == labels) > 0.95 and np.mean(onehot.predict(x) == labels) > 0.95
    assert np.mean(coded.predict(gap) == 2) > 0.3            # yellow where no yellow input lies
    assert np.mean(onehot.predict(gap) == 2) == 0
    assert np.allclose(onehot.outputs(gap).sum(axis=1), 1)
    with pytest.raises(ValueError, match="one number per colour"):
        heads.fit_nominal(x, labels, (1.0, 0.0))


def test_bce_on_classes_splits_into_categorical_and_the_other_classes():
    rng = np.random.default_rng(2)
    p = rng.dirichlet(np.ones(5), size=40)
    labels = rng.integers(0, 5, 40)
    parts = heads.bce_on_classes(labels, p)
    assert parts["bce"] == pytest.approx((parts["categorical"] + parts["others"]) / 5)
    by_hand = -np.mean(np.log(p[np.arange(40), labels]))
    assert parts["categorical"] == pytest.approx(by_hand)


def test_binary_accuracy_rewards_saying_no_to_every_class():
    onehot = np.eye(10)[np.arange(10)]
    assert heads.binary_accuracy(onehot, np.zeros((10, 10))) == pytest.approx(0.9)
    assert heads.binary_accuracy(onehot, onehot) == 1.0


def test_every_framework_row_agrees_with_its_formula_and_names_are_right():
    checks = heads.framework_checks(seed=3)
    assert len(checks) == len(heads.FRAMEWORK_LOSSES)
    assert heads.largest_gap(checks) < 1e-12
    assert all(math.isfinite(a) for _, a, _ in checks)
    fused = {row.keras for row, _, _ in checks if row.fused}
    assert all("from_logits=True" in name for name in fused)
    by_torch = {row.pytorch: row for row, _, _ in checks}
    assert by_torch["BCEWithLogitsLoss()"].fused and not by_torch["BCELoss()"].fused

import numpy as np
import pytest
from scipy import integrate, optimize

from nbsupport.activations import ACTIVATIONS
from nbsupport.calculus import bisect, normal_mean


def _quad_mean(f):
    density = lambda t: np.exp(-t * t / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    return integrate.quad(lambda t: float(f(t)) * density(t), -np.inf, np.inf)[0]


@pytest.mark.parametrize("f, exact", [
    (lambda t: np.ones_like(t), 1.0),
    (lambda t: t, 0.0),
    (lambda t: t * t, 1.0),
    (lambda t: t ** 4, 3.0),
    (lambda t: np.maximum(t, 0.0), 1 / np.sqrt(2 * np.pi)),
    (lambda t: np.maximum(t, 0.0) ** 2, 0.5),
    (np.abs, np.sqrt(2 / np.pi)),
    (np.cos, np.exp(-0.5)),  # E[cos z] = e^(-1/2)
])
def test_normal_mean_matches_closed_forms(f, exact):
    assert normal_mean(f) == pytest.approx(exact, rel=1e-13, abs=1e-14)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_normal_mean_matches_adaptive_quadrature_on_every_activation(name):
    spec = ACTIVATIONS[name]
    f = (lambda t: spec.fn(t)) if not spec.params else \
        (lambda t: spec.fn(t, **{p: v for p, v in dict(spec.params).items()}))
    assert normal_mean(f) == pytest.approx(_quad_mean(f), rel=1e-12, abs=1e-13)


def test_normal_mean_refuses_a_function_that_is_not_vectorised():
    with pytest.raises(ValueError, match="one value per point"):
        normal_mean(lambda t: float(np.sum(t)))


@pytest.mark.parametrize("nodes", [1, 0, 2.5])
def test_normal_mean_refuses_bad_node_counts(nodes):
    with pytest.raises(ValueError, match="nodes"):
        normal_mean(np.abs, nodes=nodes)


@pytest.mark.parametrize("g, lo, hi", [
    (lambda t: t * t - 2.0, 0.0, 2.0),
    (np.cos, 0.0, 3.0),
    (lambda t: np.tanh(t - 0.3), -10.0, 10.0),
    (lambda t: 1e-3 - t, -1e8, 1e8),
])
def test_bisect_finds_the_root_brentq_finds(g, lo, hi):
    assert bisect(g, lo, hi) == pytest.approx(optimize.brentq(g, lo, hi, xtol=1e-14), abs=1e-9)


def test_bisect_finds_the_minimum_of_gelu_through_its_derivative():
    gelu = ACTIVATIONS["gelu"]
    x = bisect(gelu.grad, -3.0, 0.0)
    found = optimize.minimize_scalar(lambda t: float(gelu.fn(t)), bounds=(-3, 0), method="bounded",
                                     options={"xatol": 1e-10})
    assert x == pytest.approx(found.x, abs=1e-6)


def test_bisect_returns_an_end_that_is_a_root():
    assert bisect(lambda t: t, 0.0, 1.0) == 0.0


@pytest.mark.parametrize("lo, hi", [(1.0, 2.0), (2.0, 1.0)])
def test_bisect_refuses_an_interval_without_a_sign_change_or_reversed(lo, hi):
    with pytest.raises(ValueError, match="sign|below"):
        bisect(lambda t: t * t + 1.0, lo, hi)

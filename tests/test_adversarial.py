"""Defect classes found by the adversarial probe (``benchmarks/adversarial.py``), one section each.

Each section states the class, then tests every function it applies to, so that a
new instance of the class fails here and not only the example that revealed it.
"""
import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbsupport import losses as L

# ------------------------------------------------------------------ cancellation near 1/2


def _sigmoid_minus_y(y: float, z: float) -> mpmath.mpf:
    """sigma(z) - y to 80 digits, written so that mpmath itself does not cancel."""
    with mpmath.workdps(80):
        y, z = mpmath.mpf(y), mpmath.mpf(z)
        if abs(z) < 1:
            return mpmath.tanh(z / 2) / 2 + (mpmath.mpf(1) / 2 - y)
        return (1 - y) / (1 + mpmath.exp(-z)) - y / (1 + mpmath.exp(z))


def _ulps_over_conditioning(got: float, y: float, z: float, dtype) -> float:
    """|got - exact| in ulps of the exact value, divided by max(1, the conditioning in z)."""
    exact = _sigmoid_minus_y(y, z)
    with mpmath.workdps(80):
        if exact == 0:
            return 0.0 if got == 0 else math.inf
        rounded = dtype(float(exact))
        ulp = float(np.spacing(np.abs(rounded))) or float(np.finfo(dtype).smallest_subnormal)
        s = 1 / (1 + mpmath.exp(-mpmath.mpf(z)))
        cond = max(1, abs(mpmath.mpf(z) * s * (1 - s) / exact))
        return float(abs(mpmath.mpf(float(got)) - exact) / ulp / cond)


TARGETS = [0.0, 0.5, 1.0, 0.25, 0.75, 0.1, 0.2, 0.3, 0.9, 0.5 - 2 ** -54, 0.5 + 2 ** -53, 2 ** -60]


def test_bce_logits_grad_at_target_one_half_keeps_every_digit_of_a_tiny_logit():
    # sigma(z) - 1/2 = tanh(z/2)/2 = z/4 (1 - z^2/12 + ...): 0.5 + z/4 rounds to 0.5
    for z in (1e-20, -1e-20, 1e-300, 5e-324 * 8, 1e-8):
        g = L.binary_cross_entropy_with_logits_grad([0.5], [z], reduction="sum")
        assert g[0] == pytest.approx(math.tanh(z / 2) / 2, rel=4e-16, abs=0)


@settings(max_examples=300)
@given(y=st.sampled_from(TARGETS),
       z=st.one_of(st.floats(-40, 40), st.floats(-1e-5, 1e-5), st.floats(-800, 800),
                   st.sampled_from([1.0986122886681098, -1.0986122886681098, 0.0, -0.0])))
def test_bce_logits_grad_is_within_a_few_ulps_times_its_conditioning(y, z):
    for dtype in (np.float64, np.float32):
        zz, yy = np.array([z], dtype=dtype), np.array([y], dtype=dtype)
        g = L.binary_cross_entropy_with_logits_grad(yy, zz, reduction="sum")
        assert g.dtype == dtype
        assert _ulps_over_conditioning(g[0], float(yy[0]), float(zz[0]), dtype) <= 4


def test_mlp_sigmoid_head_shares_the_split():
    z = np.array([[1e-20, -3e-19]])
    np.testing.assert_array_equal(L.sigmoid_minus_targets(z, np.full_like(z, 0.5)), z / 4)

"""Shared test settings.

Hypothesis runs without deadlines: this is a 2-core machine shared with notebook
kernels, and a test must fail on a wrong answer, never on a slow moment.
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile("course", deadline=None, max_examples=150,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "course"))

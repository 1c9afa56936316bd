"""Shared test settings.

Hypothesis runs without deadlines: this is a 2-core machine shared with notebook
kernels, and a test must fail on a wrong answer, never on a slow moment.  Under CI
(``CI`` set) it draws the same examples on every run, so a clean clone's result does not
depend on luck; locally it explores new examples each run, and a failure it finds
becomes an explicit test.
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile("course", deadline=None, max_examples=150,
                          suppress_health_check=[HealthCheck.too_slow],
                          derandomize=bool(os.environ.get("CI")))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "course"))

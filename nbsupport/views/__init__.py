"""Figure views, one module per notebook topic.

A view builds its figure once (``nbsupport.plotting.new_figure``) and changes its
artists' data in ``update(**params)``; ``nbsupport.widgets.interactive_view`` binds
it to the controls it declares (``nbsupport.controls``).  Views import matplotlib but
never ipywidgets; what a view must provide is listed in ``nbsupport.widgets``.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def as_scores(scores: ArrayLike) -> np.ndarray:
    """A score vector as a 1-D float64 array of at least 2 numbers (ValueError otherwise)."""
    arr = np.asarray(scores, dtype=np.float64)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"scores must be a 1-D array of at least 2 numbers, got shape {arr.shape}")
    return arr

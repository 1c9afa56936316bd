"""Declarations of a view's controls: what a slider or dropdown offers, with no widget made.

A view lists its controls once, as a class (or instance) attribute ``controls``;
:func:`nbsupport.widgets.interactive_view` builds the widgets from it.  The view reads
its ranges from the same declarations (e.g. an x axis that spans a slider's range), so
a range is typed in one place.  Pure Python: views import this module, not ipywidgets.

>>> FloatControl("w", 1.0, 0.25, 8.0, 0.25, "weight w").span
(0.25, 8.0)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

__all__ = ["FloatControl", "IntControl", "ChoiceControl", "Control", "control_named"]


def _check_range(name: str, value: float, lo: float, hi: float, step: float) -> None:
    if not lo < hi:
        raise ValueError(f"control {name!r}: min must be below max, got {lo} and {hi}")
    if not lo <= value <= hi:
        raise ValueError(f"control {name!r}: value {value} lies outside [{lo}, {hi}]")
    if not step > 0:
        raise ValueError(f"control {name!r}: step must be positive, got {step}")


@dataclass(frozen=True)
class FloatControl:
    """A float slider: ``value`` in [``min``, ``max``] by ``step``, labelled ``label``.

    ``live=False``: the view is updated only where the slider is let go (for an update
    that takes longer than a frame).
    """
    name: str
    value: float
    min: float
    max: float
    step: float
    label: str
    live: bool = True
    readout_format: str = ".2f"

    def __post_init__(self) -> None:
        _check_range(self.name, self.value, self.min, self.max, self.step)

    @property
    def span(self) -> tuple[float, float]:
        return (self.min, self.max)


@dataclass(frozen=True)
class IntControl:
    """An integer slider from ``min`` to ``max`` (see :class:`FloatControl`)."""
    name: str
    value: int
    min: int
    max: int
    label: str
    step: int = 1
    live: bool = True

    def __post_init__(self) -> None:
        _check_range(self.name, self.value, self.min, self.max, self.step)

    @property
    def span(self) -> tuple[int, int]:
        return (self.min, self.max)


@dataclass(frozen=True)
class ChoiceControl:
    """A choice among ``options``: a dropdown, or toggle buttons with ``toggle=True``."""
    name: str
    value: Any
    options: Sequence[Any]
    label: str
    toggle: bool = False

    def __post_init__(self) -> None:
        if self.value not in list(self.options):
            raise ValueError(f"control {self.name!r}: value {self.value!r} is not among the options")


Control = FloatControl | IntControl | ChoiceControl


def control_named(controls: Sequence[Control], name: str) -> Control:
    """The declaration called ``name`` in ``controls``.

    >>> control_named((IntControl("depth", 5, 1, 20, "depth"),), "depth").max
    20
    """
    for control in controls:
        if control.name == name:
            return control
    raise KeyError(f"no control named {name!r}")

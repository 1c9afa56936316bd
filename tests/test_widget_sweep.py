"""Drive every slider, dropdown and toggle of every notebook through its range.

Each notebook is executed in a fresh kernel with one extra cell at the end. That cell
finds every live control, sets it to its ends, its middle and a few steps (every
option of a dropdown or toggle), then restores it, with all warnings recorded.
Then it moves every enabled control of every live figure once more and checks that the
picture changed. The test fails on any exception in a callback, any warning, any error
output, an enabled control that changes nothing, or a notebook with no control at all.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

SWEEP = r'''
import json as _json, warnings as _warnings
import numpy as _np
import ipywidgets as _w
from ipywidgets.widgets.widget import _instances as _all_widgets

def _values_to_try(control):
    if isinstance(control, (_w.FloatSlider, _w.IntSlider)):
        lo, hi, step = control.min, control.max, control.step
        mid = lo + round((hi - lo) / 2 / step) * step
        values = [lo, lo + step, mid, hi - step, hi]
        if isinstance(control, _w.IntSlider):
            values = [int(v) for v in values]
        return [v for v in values if lo <= v <= hi]
    if isinstance(control, (_w.Dropdown, _w.ToggleButtons, _w.RadioButtons, _w.Select)):
        return [o[1] if isinstance(o, tuple) else o for o in control.options]
    if isinstance(control, (_w.Checkbox, _w.ToggleButton)):
        return [not control.value, control.value]
    return []

_moves, _kinds = 0, {}
with _warnings.catch_warnings(record=True) as _caught:
    _warnings.simplefilter("always")
    for _control in [c for c in list(_all_widgets.values()) if _values_to_try(c)]:
        _original = _control.value
        for _value in _values_to_try(_control) + [_original]:
            _control.value = _value
            _moves += 1
        _kinds[type(_control).__name__] = _kinds.get(type(_control).__name__, 0) + 1

    # Every enabled control of a live figure must change the picture (disabled ones do nothing
    # at the current settings, by design).
    _still = []
    for _box in [b for b in list(_all_widgets.values()) if hasattr(b, "live") and hasattr(b, "controls")]:
        for _name, _control in _box.controls.items():
            if _control.disabled:
                continue
            _original, _before = _control.value, _box.live.widget.value
            _other = [v for v in _values_to_try(_control) if v != _original]
            _control.value = _other[-1]
            if _box.live.widget.value == _before:
                _still.append(f"{_name} = {_other[-1]!r}")
            _control.value = _original
print(_json.dumps({"moves": _moves, "controls": _kinds, "unchanged": _still,
                   "warnings": [f"{w.category.__name__}: {w.message}" for w in _caught]}))
'''


def error_outputs(nb) -> list[str]:
    problems = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {index}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {index} stderr: {out.text[:300]}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_control_sweeps_without_errors_or_warnings(path):
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(SWEEP))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()

    assert error_outputs(nb) == []
    report = json.loads(nb.cells[-1].outputs[-1]["text"])
    assert report["warnings"] == []
    assert report["unchanged"] == [], "enabled controls that left the picture as it was"
    assert sum(report["controls"].values()) >= 1, f"{path.name} has no interactive control"
    assert report["moves"] >= 3 * sum(report["controls"].values())

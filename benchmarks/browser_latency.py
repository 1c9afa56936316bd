"""Slider -> picture latency of every live figure, measured in JupyterLab in headless Chromium.

    .venv/bin/python benchmarks/browser_latency.py [notebooks/NN_x.ipynb ...] [--steps 15]
        [--drags 1] [--naive] [--before REF] [--mouse [--burn]] [--json FILE]

The same JupyterLab and Chromium as the browser test (tests/browser/). Each notebook is run
top to bottom in the page; then for every enabled slider of every live figure, in the page's
own clock (``performance.now()``):

- step: a key press on the slider -> the figure's ``<img>`` gets a new picture (``src`` set),
  and -> that picture is decoded; one press at a time, the kernel idle between presses;
- drag: 40 pointer moves at 60 per second towards the farther end of the track, all inside
  it, so the value changes up to the end of the drag (a drag that reached the end of the
  track early drew its last picture before the release and reported no lag, whatever the
  latency); how many pictures were shown during the drag, and the lag from the release to
  the last picture (0 when the last picture came before it). ``--drags N``: N drags per
  slider, lag = their median, max = the worst.

``--naive``: then each figure's first slider again, driving the usual way for comparison:
ipywidgets' ``interactive`` with the inline backend, the whole figure displayed anew as a PNG
on every change (kind ``naive``).

``--before REF``: the same measurement on the notebooks and package of git revision REF (a
second JupyterLab whose kernels import that revision's nbsupport), notebook by notebook just
before the current ones: an A/B in one run on a machine whose load drifts.

``--mouse``: a cross-check by a second, independent driver and observer
(``benchmarks/browser_observer.js``, not the browser test's hooks): per slider, clicks on the
track (a jump) and drags of the handle at 30, 60 and 120 pointer moves a second and in a burst
with no wait; a MutationObserver on the ``<img>`` and ``requestAnimationFrame`` after
``img.decode()`` time when each picture is painted. After every gesture the kernel's value is
compared with the slider's readout and aria-valuenow, the last picture with the values it was
drawn for (recorded in the kernel) and with the view drawn in full at the final value.
``--burn``: the gestures again beside a CPU-bound process. Printed as a second table.

Goals: median step <= 33 ms for function figures and <= 50 ms for histogram figures; lag
after a drag <= 50 ms. A slider that updates only on release (a training run) has the kernel
benchmark's goal for training. Needs Debian's chromium (``python3 tasks.py test-browser``
installs it). Prints tables with the load average beside them; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.latency import KIND, percentile  # noqa: E402
from tests.browser.conftest import (CHROMIUM, CHROMIUM_ARGS, LAB_DRIVER, TOKEN,  # noqa: E402
                                    lab_environment, start_lab, stop)
from tests.browser.test_jupyterlab import open_notebook, run_all_cells, wait_for_widgets  # noqa: E402

GOAL_STEP_MS = {"function": 33.0, "histogram": 50.0, "network": 50.0, "contours": 50.0,
                "training": 3000.0}
GOAL_LAG_MS = {"function": 50.0, "histogram": 50.0, "network": 50.0, "contours": 50.0,
               "training": 3000.0}
PARTS = ("in", "wait", "draw", "send", "out", "show", "decode")
DRAG_MOVES, DRAG_DX, DRAG_PERIOD_MS = 40, 4, 1000 / 60

# Run in the kernel: for each displayed widget (model ids in page order), the first live
# figure in its tree and its sliders (description, enabled, live while dragging, kind).
FIGURES = KIND + r'''
import json as _json
import ipywidgets as _w
from ipywidgets.widgets.widget import _instances

def _first_box(widget):
    if hasattr(widget, "live") and hasattr(widget, "view"):
        return widget
    for child in getattr(widget, "children", ()):
        found = _first_box(child)
        if found is not None:
            return found
    return None

_figures = []
for _index, _id in enumerate(MODEL_IDS):
    _box = _first_box(_instances[_id]) if _id in _instances else None
    if _box is None:
        continue
    _sliders = [{"label": c.description, "enabled": not c.disabled,
                 "continuous": bool(c.continuous_update), "kind": _kind(_box.view, name)}
                for name, c in _box.controls.items()
                if isinstance(c, (_w.FloatSlider, _w.IntSlider))]
    _figures.append({"output": _index, "model_id": _id, "view": type(_box.view).__name__, "sliders": _sliders})
print(_json.dumps(_figures))
'''


def figures_of(page, name: str) -> list[dict]:
    ids = page.evaluate("p => window.nbsTest.widgetModelIds(p)", name)
    code = FIGURES.replace("MODEL_IDS", json.dumps(ids))
    out = page.evaluate("([p, c]) => window.nbsTest.kernelOutput(p, c)", [name, code])
    return json.loads(out.strip().splitlines()[-1])


# Run in the kernel: the live figure's timeline (widgets.interactive_view's box.timeline),
# wall-clock seconds per frame: (first change drawn, update starts, PNG ready, sent).
TIMELINE = r'''
import json as _json
from ipywidgets.widgets.widget import _instances
print(_json.dumps(list(_first_box(_instances[MODEL_ID]).timeline)))
'''


# Run in the kernel: the naive way for the same view, ipywidgets' ``interactive`` with the
# inline backend: each change calls view.update and displays the whole figure again as a new
# PNG (the inline backend's savefig, bbox_inches="tight") in an Output area. Copies of the
# live figure's sliders drive it.
NAIVE = r'''
import ipywidgets as _w
from IPython.display import display as _display
from ipywidgets.widgets.widget import _instances
_box = _first_box(_instances[MODEL_ID])

def _copy(control):
    if isinstance(control, (_w.FloatSlider, _w.IntSlider)):
        return type(control)(value=control.value, min=control.min, max=control.max,
                             step=control.step, description=control.description,
                             continuous_update=control.continuous_update)
    return _w.Dropdown(options=control.options, value=control.value,
                       description=control.description)

def _show(**values):
    _box.view.update(**values)
    _display(_box.view.fig)

_naive = _w.interactive(_show, **{name: _copy(c) for name, c in _box.controls.items()})
_display(_naive)
'''


def timeline_of(page, name: str, model_id: str) -> list[list[float]]:
    code = TIMELINE.replace("MODEL_ID", json.dumps(model_id))
    out = page.evaluate("([p, c]) => window.nbsTest.kernelOutput(p, c)", [name, code])
    return json.loads(out.strip().splitlines()[-1])


def breakdown(clock: dict, timeline: list[list[float]]) -> dict[str, float]:
    """Where one step's time went, in ms: the last key press against the kernel's frame for it.

    in: key press -> the kernel sees the change; wait: -> the frame starts (coalescing);
    draw: view.update + Agg + PNG; send: -> the message is sent; out: -> the page has the
    message; show: -> the new src; decode: -> the picture is decoded.
    """
    key = clock["origin"] + clock["keys"][-1]  # ms since the epoch
    frames = [f for f in timeline if 1e3 * f[0] >= key - 1.0]
    if not frames or not clock["received"]:
        return {}
    change, start, encoded, sent = (1e3 * t for t in frames[0])
    received = clock["origin"] + clock["received"][-1]
    src = clock["origin"] + clock["frames"][-1]
    decoded = clock["origin"] + clock["decoded"][-1]
    return {"in": change - key, "wait": start - change, "draw": encoded - start,
            "send": sent - encoded, "out": received - sent, "show": src - received,
            "decode": decoded - src}


def wait_quiet(page, name: str, quiet_ms: int = 1000, pictures: str = "window.nbsClock.frames",
               idle: str = "window.nbsTest.kernelIdle") -> None:
    """Wait until the kernel is idle and no new picture arrived for quiet_ms (``pictures``: the
    page's list of picture times; ``idle``: a page function of the notebook's path)."""
    count_js, idle_js = f"() => {pictures}.length", f"p => {idle}(p)"
    while True:
        page.wait_for_function(idle_js, arg=name, timeout=300_000)
        count = page.evaluate(count_js)
        page.wait_for_timeout(quiet_ms)
        if page.evaluate(count_js) == count and page.evaluate(idle_js, name):
            return


def measure_steps(page, name: str, handle, steps: int,
                  model_id: str | None) -> tuple[list[float], list[float], dict[str, list[float]]]:
    """Key presses one at a time: ms to the new src, to the decoded picture, and where it went."""
    to_src, to_decoded, parts = [], [], {}
    direction = "ArrowRight"
    for _ in range(steps):
        if handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax"):
            direction = "ArrowLeft"
        elif handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemin"):
            direction = "ArrowRight"
        frames = page.evaluate("() => window.nbsClock.frames.length")
        decoded = page.evaluate("() => window.nbsClock.decoded.length")
        handle.focus()
        page.keyboard.press(direction)
        page.wait_for_function("([f, d]) => window.nbsClock.frames.length > f && "
                               "window.nbsClock.decoded.length > d", arg=[frames, decoded],
                               timeout=300_000)
        clock = page.evaluate("() => window.nbsClock")
        key = clock["keys"][-1]
        to_src.append(clock["frames"][frames] - key)
        to_decoded.append(clock["decoded"][decoded] - key)
        wait_quiet(page, name, quiet_ms=150)
        clock = page.evaluate("() => window.nbsClock")
        if model_id is not None and len(clock["frames"]) == frames + 1:  # one picture: line it up
            for part, ms in breakdown(clock, timeline_of(page, name, model_id)).items():
                parts.setdefault(part, []).append(ms)
    return to_src, to_decoded, parts


def measure_drag(page, name: str, handle) -> tuple[int, float]:
    """A drag of DRAG_MOVES pointer moves at 60 per second: pictures during it, lag after it.

    The drag heads for the farther end of the track and its moves (at most DRAG_DX pixels)
    stay inside it, so the value changes up to the release (see the module docstring).
    """
    box = handle.bounding_box()
    track = handle.locator("xpath=ancestor::*[contains(@class, 'noUi-target')][1]").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    left, right = track["x"], track["x"] + track["width"]
    room = max(right - x, x - left) - 2
    dx = (1 if right - x >= x - left else -1) * min(DRAG_DX, room / (DRAG_MOVES + 1))
    frames_before = page.evaluate("() => window.nbsClock.frames.length")
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, DRAG_MOVES + 1):
        page.mouse.move(x + k * dx, y)
        page.wait_for_timeout(DRAG_PERIOD_MS)
    page.mouse.up()
    wait_quiet(page, name)
    clock = page.evaluate("() => window.nbsClock")
    down, up = clock["downs"][-1], clock["ups"][-1]
    frames = clock["frames"][frames_before:]
    during = sum(down <= t <= up for t in frames)
    lag = max(0.0, max(frames) - up) if frames else float("nan")
    return during, lag


def measure_naive(page, name: str, figure: dict, steps: int) -> dict | None:
    """The figure's first live slider again, driving ipywidgets' interact + the inline backend."""
    sliders = [s for s in figure["sliders"] if s["enabled"] and s["continuous"]]
    if not sliders:
        return None
    code = NAIVE.replace("MODEL_ID", json.dumps(figure["model_id"]))
    index = page.evaluate("([p, c]) => window.nbsTest.appendAndRun(p, c)", [name, code])
    cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(index)
    output = cell.locator(".jupyter-widgets .widget-output")
    output.locator("img").first.wait_for()
    wait_quiet(page, name)
    cell.scroll_into_view_if_needed()
    page.evaluate("node => window.nbsTest.watchOutput(node)", output.element_handle())
    row = cell.locator(".widget-slider").filter(
        has=page.get_by_text(sliders[0]["label"], exact=True)).first
    handle = row.locator(".noUi-handle")
    to_src, to_decoded, _ = measure_steps(page, name, handle, steps, model_id=None)
    during, lag = measure_drag(page, name, handle)
    return {"steps": to_src, "decoded": to_decoded, "drag_frames": during, "lag": lag, "lag_max": lag,
            "control": f"{figure['view']}.{sliders[0]['label']}"}


# --mouse: a second, independent way of driving and measuring (see check_slider).
OBSERVER = Path(__file__).with_name("browser_observer.js")
MOUSE_RATES = (30.0, 60.0, 120.0, None)  # pointer moves a second; None: a burst with no wait
MOUSE_MOVES, MOUSE_CLICKS = 40, 3

# Run in the kernel once per figure: record, for every picture the live figure sends, the
# values view.update was last called with and the picture's SHA-256 (box.xcheck["pictures"]).
XCHECK_RECORD = r"""
import hashlib as _xh, time as _xt
from ipywidgets.widgets.widget import _instances as _xi
_xbox = _first_box  # defined by FIGURES, run first
_xb = _xbox(_xi[MODEL_ID])
if not hasattr(_xb, "xcheck"):
    _xb.xcheck = {"update": _xb.view.update, "drawing": None, "pictures": []}
    def _xupdate(**values):
        _xb.xcheck["drawing"] = dict(values)
        return _xb.xcheck["update"](**values)
    _xb.view.update = _xupdate
    def _xpicture(change):
        _xb.xcheck["pictures"].append((_xt.time(), _xb.xcheck["drawing"],
                                       _xh.sha256(change["new"]).hexdigest()))
    _xb.live.widget.observe(_xpicture, "value")
print("recording")
"""

# Run in the kernel after a drag or click, the kernel idle: the slider's value, whether it
# matches the page: the slider's readout (the value formatted with readout_format) and its
# aria-valuenow (which the page rounds to one decimal: within 0.05 and half a step), the
# values the last picture was drawn
# for, the hash of the last picture sent, and the truth: the view at the current values drawn
# in full (LiveFigure.render_png(restart=True)), as PNG. The view is updated again only if its
# last update was for other values: an update need not be idempotent (08's training view moves
# "this run" to "previous run" on every update).
XCHECK_FINAL = r"""
import base64 as _xb64, json as _xjson
_xb = _xbox(_xi[MODEL_ID])
_xname = next(n for n, c in _xb.controls.items() if c.description == LABEL)
_xc = _xb.controls[_xname]
_xvalues = {n: c.value for n, c in _xb.controls.items()}
_xlast = _xb.xcheck["pictures"][-1] if _xb.xcheck["pictures"] else (0, None, "")
_xsent = _xh.sha256(_xb.live.widget.value).hexdigest()
if _xlast[1] != _xvalues:  # (a problem reported below) bring the view to the final values
    _xb.xcheck["update"](**_xvalues)
_xtruth = _xb.live.render_png(restart=True)  # every artist drawn afresh, none blitted
def _xreads(value, text):
    try:
        return format(value, _xc.readout_format) == text
    except ValueError:  # a format Python does not share with the page: within half a step
        return abs(value - float(text)) <= _xc.step / 2 + 1e-9
print(_xjson.dumps({"value": float(_xc.value),
                    "matches_page": _xreads(_xc.value, READOUT) and abs(_xc.value - ARIA) <= 0.05 + _xc.step / 2 + 1e-9,
                    "drawn_for_value": _xlast[1] == _xvalues, "last_sent_hash": _xlast[2] == _xsent,
                    "sent": _xsent, "truth": _xb64.b64encode(_xtruth).decode()}))
"""


def _kernel_json(page, name: str, code: str) -> dict:
    out = page.evaluate("([p, c]) => window.xcheck.run(p, c)", [name, code])
    return json.loads(out.strip().splitlines()[-1])


def _x_quiet(page, name: str, quiet_ms: int = 1000) -> None:
    """Until the kernel is idle and no new picture came for quiet_ms (the observer's own log)."""
    wait_quiet(page, name, quiet_ms, pictures="window.xcheck.log.src", idle="window.xcheck.idle")


def _pixels_differ(png_a: bytes, png_b: bytes) -> float:
    """Share of pixels that differ between two PNGs (1.0 when the sizes differ)."""
    import io

    import numpy as np
    from PIL import Image

    a = np.asarray(Image.open(io.BytesIO(png_a)).convert("RGBA"))
    b = np.asarray(Image.open(io.BytesIO(png_b)).convert("RGBA"))
    return 1.0 if a.shape != b.shape else float(np.any(a != b, axis=2).mean())


def _x_final(page, name: str, model_id: str, label: str, row, handle) -> dict:
    """After a gesture: does the last picture shown match the slider's final value?"""
    import base64
    import hashlib

    aria = float(handle.get_attribute("aria-valuenow"))
    readout = row.locator(".widget-readout").first.inner_text().strip().replace("\u2212", "-")
    code = XCHECK_FINAL.replace("MODEL_ID", json.dumps(model_id)).replace(
        "LABEL", json.dumps(label)).replace("ARIA", repr(aria)).replace("READOUT", json.dumps(readout))
    kernel = _kernel_json(page, name, code)
    shown = base64.b64decode(page.evaluate("() => window.xcheck.shownBytes()"))
    differ = _pixels_differ(shown, base64.b64decode(kernel["truth"]))
    problems = [what for what, ok in (
        ("kernel value != page", kernel["matches_page"]),
        ("last picture drawn for other values", kernel["drawn_for_value"]),
        ("page shows a picture other than the last sent",
         hashlib.sha256(shown).hexdigest() == kernel["sent"]),
        (f"shown vs full draw: {differ:.1%} of pixels differ", differ <= 0.01)) if not ok]
    return {"aria": aria, "readout": readout, "value": kernel["value"], "differ": differ, "problems": problems}


def _x_geometry(row, handle) -> tuple[float, float, float, float]:
    """(handle x, y, track left, track right) in page pixels."""
    hb = handle.bounding_box()
    tb = row.locator(".noUi-target").first.bounding_box()
    return hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2, tb["x"], tb["x"] + tb["width"]


def _x_gesture(page, name: str) -> dict:
    """What the observer saw of the last gesture: pictures set and painted while the pointer
    was down, lag from the release to the last painted picture, pointer moves a second."""
    log = page.evaluate("() => window.xcheck.log")
    down, up = log["downs"][-1], log["ups"][-1]
    moves = [t for t in log["moves"] if down <= t <= up]
    painted = [t for _, t in log["painted"] if t >= down]
    values = [v for v in log["values"] if v[0] >= down]
    return {"sent": [v[3] for v in values if v[1] == "send"][-3:],
            "received": [v[3] for v in values if v[1] == "recv"][-3:],
            "set": sum(down <= t <= up for t in log["src"]),
            "painted": sum(t <= up for t in painted),
            "lag": max(0.0, max(painted) - up) if painted else float("nan"),
            "first": min(painted) - down if painted else float("nan"),
            "rate": (len(moves) - 1) / (moves[-1] - moves[0]) * 1e3 if len(moves) > 2 else float("nan")}


def _x_drag(page, row, handle, rate: float | None) -> None:
    """MOUSE_MOVES pointer moves of the handle at ``rate`` a second (None: no wait), towards
    the farther end of the track."""
    x, y, left, right = _x_geometry(row, handle)
    room = max(right - x, x - left) - 2
    dx = (1 if right - x >= x - left else -1) * min(4.0, room / (MOUSE_MOVES + 1))
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, MOUSE_MOVES + 1):
        page.mouse.move(x + k * dx, y)
        if rate:
            page.wait_for_timeout(1000 / rate)
    page.mouse.up()


def _x_click(page, row, handle, k: int) -> None:
    """A click on the track at a quarter or three quarters of its length (the farther one)."""
    x, y, left, right = _x_geometry(row, handle)
    target = left + (0.25 if x - left > right - x else 0.75) * (right - left)
    page.mouse.click(target, y)


def check_slider(page, name: str, model_id: str, row, handle, label: str) -> list[dict]:
    """Drive one slider with real pointer gestures, measured by the independent observer:
    clicks on the track, then drags at each of MOUSE_RATES; after each, the final check."""
    results = []
    gestures = [("click", k) for k in range(MOUSE_CLICKS)] + [("drag", r) for r in MOUSE_RATES]
    for kind, arg in gestures:
        _x_quiet(page, name, quiet_ms=300)
        if kind == "click":
            _x_click(page, row, handle, arg)
        else:
            _x_drag(page, row, handle, arg)
        _x_quiet(page, name)
        seen = _x_gesture(page, name)
        final = _x_final(page, name, model_id, label, row, handle)
        mode = "click" if kind == "click" else ("burst" if arg is None else f"{arg:.0f}/s")
        results.append({"gesture": mode, **seen, **final})
    return results


class Burner:
    """A CPU-bound process beside the benchmark (``python3 -c 'while True: pass'``), stopped by
    its own process id."""

    def __enter__(self):
        import subprocess

        self.process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        return self

    def __exit__(self, *exc) -> None:
        self.process.kill()
        self.process.wait()


def measure_notebook(browser, url: str, name: str, steps: int, naive: bool = False,
                     mouse: bool = False, burn: bool = False, drags: int = 1) -> list[dict]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    page.add_init_script(path=str(LAB_DRIVER))
    if mouse:
        page.add_init_script(path=str(OBSERVER))
    rows = []
    try:
        open_notebook(page, url, name)
        run_all_cells(page, name)
        wait_for_widgets(page, name)
        outputs = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output")
        widget_outputs = outputs.filter(has=page.locator(":scope > .jupyter-widgets"))
        for figure in figures_of(page, name):
            element = widget_outputs.nth(figure["output"])
            element.scroll_into_view_if_needed()
            image = element.locator("img").first
            page.evaluate("img => window.nbsTest.watch(img)", image.element_handle())
            page.evaluate("p => window.nbsTest.watchKernel(p)", name)
            if mouse:
                page.evaluate("img => window.xcheck.watch(img)", image.element_handle())
                page.evaluate("p => window.xcheck.watchValues(p)", name)
                page.evaluate("([p, c]) => window.xcheck.run(p, c)",
                              [name, XCHECK_RECORD.replace("MODEL_ID", json.dumps(figure["model_id"]))])
            for slider in figure["sliders"]:
                if not slider["enabled"]:
                    continue
                row = element.locator(".widget-slider").filter(
                    has=page.get_by_text(slider["label"], exact=True)).first
                handle = row.locator(".noUi-handle")
                kind = slider["kind"] if slider["continuous"] else "training"
                n = steps if slider["continuous"] else 2
                to_src, to_decoded, parts = measure_steps(page, name, handle, n, figure["model_id"])
                dragged = [measure_drag(page, name, handle) for _ in range(drags)]
                lags = [lag for _, lag in dragged]
                row_ = {"notebook": name, "control": f"{figure['view']}.{slider['label']}",
                        "kind": kind, "steps": to_src, "decoded": to_decoded,
                        "drag_frames": round(median(d for d, _ in dragged)), "lag": median(lags),
                        "lag_max": max(lags), "lags": lags, "parts": parts}
                if mouse:
                    row_["mouse"] = check_slider(page, name, figure["model_id"], row, handle,
                                                 slider["label"])
                    if burn:
                        with Burner():
                            row_["mouse_load"] = check_slider(page, name, figure["model_id"], row,
                                                              handle, slider["label"])
                rows.append(row_)
        if naive:
            for figure in figures_of(page, name):
                measured = measure_naive(page, name, figure, steps)
                if measured is not None:
                    rows.append({"notebook": name, "kind": "naive", "parts": {}, **measured})
    finally:
        for session in page.request.get(f"{url}/api/sessions?token={TOKEN}").json():
            if session["path"].endswith(name):
                page.request.delete(f"{url}/api/sessions/{session['id']}?token={TOKEN}")
        page.close()
    return rows


def _nagle() -> str:
    """Whether the served JupyterLab sends kernel messages without Nagle's delay (the
    nbsupport.server extension, enabled by ``python3 tasks.py setup``): drags depend on it."""
    config = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d" / "nbsupport.json"
    return ("kernel websockets without Nagle's delay (nbsupport.server enabled)" if config.exists()
            else "nbsupport.server NOT enabled: kernel messages may wait 40 ms (Nagle)")


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def print_cross_check(rows: list[dict]) -> None:
    """Our driver (key presses, nbsClock) beside the independent one (pointer gestures,
    browser_observer.js), per slider and pass (quiet, and beside a CPU-bound process)."""
    gestures = ["30/s", "60/s", "120/s", "burst"]
    header = (f"{'notebook':<20} {'figure.slider':<36} {'pass':<5} {'ours':>5} {'lag':>4} | "
              f"{'click':>5} " + " ".join(f"{'lag' + g.split('/')[0]:>6}" for g in gestures)
              + f" {'pic60':>5} {'rate60':>6} {'differ':>6} {'load':>5}  ok   problems")
    print("\nCross-check: the same sliders driven by real pointer gestures, measured by an "
          "independent observer (benchmarks/browser_observer.js)")
    print(header)
    print("-" * len(header))
    bad = 0
    for row in rows:
        for pass_, results in (("quiet", row.get("mouse")), ("load", row.get("mouse_load"))):
            if not results:
                continue
            goal = GOAL_LAG_MS[row["kind"]]
            by = {r["gesture"]: r for r in results if r["gesture"] != "click"}
            clicks = [r for r in results if r["gesture"] == "click"]
            problems = sorted({p for r in results for p in r["problems"]})
            slow = [g for g in gestures if by[g]["lag"] > goal or by[g]["lag"] != by[g]["lag"]]
            ok = not problems and not slow
            bad += not ok
            print(f"{Path(row['notebook']).stem[:20]:<20} {row['control'][:36]:<36} {pass_:<5} "
                  f"{median(row['steps']):5.0f} {row['lag']:4.0f} | "
                  f"{median(r['first'] for r in clicks):5.0f} "
                  + " ".join(f"{by[g]['lag']:6.0f}" for g in gestures)
                  + f" {by['60/s']['painted']:5d} {by['60/s']['rate']:6.0f} "
                  f"{max(r['differ'] for r in results):6.2%} {row['load'].split()[0]:>5}  "
                  f"{'yes' if ok else 'NO ':3}  " + "; ".join(problems + [f"lag {g} > {goal:.0f} ms" for g in slow]),
                  flush=True)
    print(f"\nours = our median step (key press -> new src) and lag after our 60/s drag. "
          f"click = pointer down on the track -> the first new picture painted (median of "
          f"{MOUSE_CLICKS}; painted = decoded and past the next animation frame); lag30 ... "
          f"lagburst = release -> last picture painted after {MOUSE_MOVES} pointer moves of the "
          f"handle at 30, 60 and 120 a second and with no wait; pic60 = pictures painted during "
          f"the 60/s drag; rate60 = pointer moves a second the page received; differ = worst "
          f"share of pixels by which the last picture shown differs from the view drawn in full "
          f"at the slider's final value. ok: every lag within the goal, and after every gesture "
          f"the kernel's value equals the page's aria-valuenow, the last picture was drawn for "
          f"it, the page shows the last picture sent and it differs from a full draw in <= 1% "
          f"of its pixels. {len(rows) and sum(1 for r in rows for _ in ('mouse', 'mouse_load') if r.get(_)) - bad} "
          f"of {sum(1 for r in rows for _ in ('mouse', 'mouse_load') if r.get(_))} slider passes pass.")


def print_row(row: dict, label: str) -> bool:
    """One line of the main table; True when the slider meets its goals."""
    step = median(row["steps"])
    name = f"{label}{Path(row['notebook']).stem}"[:28]
    if row["kind"] == "naive":
        print(f"{name:<28} {row['control'][:44]:<44} {'naive':<9} "
              f"{step:6.0f} {percentile(row['steps'], 90):6.0f} "
              f"{median(row['decoded']):6.0f} {row['drag_frames']:4d} "
              f"{row['lag']:6.0f} {row['lag_max']:5.0f}   (interact + inline backend)", flush=True)
        return False
    goal_step, goal_lag = GOAL_STEP_MS[row["kind"]], GOAL_LAG_MS[row["kind"]]
    ok = step <= goal_step and not row["lag"] > goal_lag
    print(f"{name:<28} {row['control'][:44]:<44} {row['kind']:<9} "
          f"{step:6.0f} {percentile(row['steps'], 90):6.0f} "
          f"{median(row['decoded']):6.0f} {row['drag_frames']:4d} {row['lag']:6.0f} "
          f"{row['lag_max']:5.0f} {goal_step:4.0f}/{goal_lag:<4.0f}  {'yes' if ok else 'NO ':3}  "
          + " ".join(f"{median(row['parts'][p]):5.1f}" if row["parts"].get(p)
                     else f"{'-':>5}" for p in PARTS) + f"  {_load().split()[0]}", flush=True)
    return ok


def serve_revision(ref: str, work: Path) -> tuple:
    """JupyterLab on the notebooks of git revision ``ref``, its kernels importing that
    revision's nbsupport (PYTHONPATH comes before the editable install)."""
    from benchmarks.latency import export_revision

    folder = export_revision(ref, work / "before")
    env = lab_environment(work / "jupyter-before")
    env["PYTHONPATH"] = str(folder) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return start_lab(folder / "notebooks", env)


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--steps", type=int, default=15)
    parser.add_argument("--drags", type=int, default=1,
                        help="drags per slider (lag: their median; max: the worst)")
    parser.add_argument("--naive", action="store_true",
                        help="also drive each figure's first slider through interact + the inline "
                             "backend (the usual way), printed as kind 'naive'")
    parser.add_argument("--before", metavar="REF",
                        help="the same measurement on the notebooks and package of git revision "
                             "REF, notebook by notebook just before the current ones (rows "
                             "marked 'before:')")
    parser.add_argument("--mouse", action="store_true",
                        help="cross-check every slider with real pointer gestures (track clicks, "
                             "drags at 30/60/120 moves a second and a burst) measured by an "
                             "independent observer, and check the last picture against the "
                             "slider's final value; printed as a second table")
    parser.add_argument("--burn", action="store_true",
                        help="with --mouse: repeat the gestures beside a CPU-bound process")
    parser.add_argument("--json", type=Path, help="also write every row, gestures included, here")
    args = parser.parse_args()
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    work = Path(tempfile.mkdtemp(prefix="browser-latency-"))
    served = work / "notebooks"
    shutil.copytree(ROOT / "notebooks", served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    labs = [("", *start_lab(served, lab_environment(work / "jupyter")))]
    header = (f"{'notebook':<28} {'figure.slider':<44} {'kind':<9} {'step':>6} {'p90':>6} "
              f"{'decode':>6} {'drag':>4} {'lag':>6} {'max':>5} {'goal':>9}  met  "
              + " ".join(f"{part:>5}" for part in PARTS) + "  load")
    met = total = 0
    rows = []
    try:
        if args.before:
            labs.insert(0, ("before:", *serve_revision(args.before, work)))
        print(f"load average at the start: {_load()}; {_nagle()}")
        print(header)
        print("-" * len(header), flush=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for path in paths:
                for label, _, url in labs:
                    for row in measure_notebook(browser, url, path.name, args.steps, args.naive,
                                                args.mouse and not label, args.burn, args.drags):
                        row.update(label=label, load=_load())
                        rows.append(row)
                        ok = print_row(row, label)
                        if not label and row["kind"] != "naive":
                            met, total = met + ok, total + 1
            browser.close()
    finally:
        for _, process, _ in labs:
            stop(process)
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nms in the page's clock: step = key press -> new picture (median, p90), decode = "
          f"key press -> picture decoded (median), drag = pictures shown during a "
          f"{DRAG_MOVES}-move drag at 60/s, lag = release -> last picture (median of "
          f"{args.drags} drag(s); max = the worst); goal = step/lag. "
          f"Where a step goes (medians, page and kernel clocks lined up): in = key press -> "
          f"kernel has the change, wait = -> frame starts, draw = update + Agg + PNG, "
          f"send = -> message sent, out = -> page has it, show = -> new src, "
          f"decode = -> picture decoded; load = 1-minute load average after the row. "
          f"{met} of {total} sliders meet their goals. Load average at the end: {_load()}.")
    checked = [row for row in rows if "mouse" in row]
    if checked:
        print_cross_check(checked)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=str))


if __name__ == "__main__":
    main()

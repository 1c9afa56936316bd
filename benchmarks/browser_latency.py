"""Slider -> picture latency of every live figure, measured in JupyterLab in headless Chromium.

    .venv/bin/python benchmarks/browser_latency.py [notebooks/NN_x.ipynb ...] [--steps 15] [--naive]

The same JupyterLab and Chromium as the browser test (tests/browser/). Each notebook is run
top to bottom in the page; then for every enabled slider of every live figure, in the page's
own clock (``performance.now()``):

- step: a key press on the slider -> the figure's ``<img>`` gets a new picture (``src`` set),
  and -> that picture is decoded; one press at a time, the kernel idle between presses;
- drag: 40 pointer moves at 60 per second; how many pictures were shown during the drag, and
  the lag from the release to the last picture (0 when the last picture came before it).

``--naive``: then each figure's first slider again, driving the usual way for comparison:
ipywidgets' ``interactive`` with the inline backend, the whole figure displayed anew as a PNG
on every change (kind ``naive``).

Goals: median step <= 33 ms for function figures and <= 50 ms for histogram figures; lag
after a drag <= 50 ms. A slider that updates only on release (a training run) has the kernel
benchmark's goal for training. Needs Debian's chromium (``python3 tasks.py test-browser``
installs it). Prints a table; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
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


def wait_quiet(page, name: str, quiet_ms: int = 1000) -> None:
    """Wait until the kernel is idle and no new picture arrived for quiet_ms."""
    while True:
        page.wait_for_function("p => window.nbsTest.kernelIdle(p)", arg=name, timeout=300_000)
        count = page.evaluate("() => window.nbsClock.frames.length")
        page.wait_for_timeout(quiet_ms)
        if page.evaluate("() => window.nbsClock.frames.length") == count and \
                page.evaluate("p => window.nbsTest.kernelIdle(p)", name):
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
    """A drag of DRAG_MOVES pointer moves at 60 per second: pictures during it, lag after it."""
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    dx = -DRAG_DX if at_max else DRAG_DX
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
    return {"steps": to_src, "decoded": to_decoded, "drag_frames": during, "lag": lag,
            "control": f"{figure['view']}.{sliders[0]['label']}"}


def measure_notebook(browser, url: str, name: str, steps: int, naive: bool = False) -> list[dict]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    page.add_init_script(path=str(LAB_DRIVER))
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
            for slider in figure["sliders"]:
                if not slider["enabled"]:
                    continue
                row = element.locator(".widget-slider").filter(
                    has=page.get_by_text(slider["label"], exact=True)).first
                handle = row.locator(".noUi-handle")
                kind = slider["kind"] if slider["continuous"] else "training"
                n = steps if slider["continuous"] else 2
                to_src, to_decoded, parts = measure_steps(page, name, handle, n, figure["model_id"])
                during, lag = measure_drag(page, name, handle)
                rows.append({"notebook": name, "control": f"{figure['view']}.{slider['label']}",
                             "kind": kind, "steps": to_src, "decoded": to_decoded,
                             "drag_frames": during, "lag": lag, "parts": parts})
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


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--steps", type=int, default=15)
    parser.add_argument("--naive", action="store_true",
                        help="also drive each figure's first slider through interact + the inline "
                             "backend (the usual way), printed as kind 'naive'")
    args = parser.parse_args()
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    work = Path(tempfile.mkdtemp(prefix="browser-latency-"))
    served = work / "notebooks"
    shutil.copytree(ROOT / "notebooks", served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    process, url = start_lab(served, lab_environment(work / "jupyter"))
    header = (f"{'notebook':<28} {'figure.slider':<44} {'kind':<9} {'step':>6} {'p90':>6} "
              f"{'decode':>6} {'drag':>4} {'lag':>6} {'goal':>9}  met  "
              + " ".join(f"{part:>5}" for part in PARTS))
    print(header)
    print("-" * len(header))
    met = total = 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for path in paths:
                for row in measure_notebook(browser, url, path.name, args.steps, args.naive):
                    step = median(row["steps"])
                    if row["kind"] == "naive":
                        print(f"{path.stem[:28]:<28} {row['control'][:44]:<44} {'naive':<9} "
                              f"{step:6.0f} {percentile(row['steps'], 90):6.0f} "
                              f"{median(row['decoded']):6.0f} {row['drag_frames']:4d} "
                              f"{row['lag']:6.0f}   (interact + inline backend)", flush=True)
                        continue
                    goal_step, goal_lag = GOAL_STEP_MS[row["kind"]], GOAL_LAG_MS[row["kind"]]
                    ok = step <= goal_step and not row["lag"] > goal_lag
                    met += ok
                    total += 1
                    print(f"{path.stem[:28]:<28} {row['control'][:44]:<44} {row['kind']:<9} "
                          f"{step:6.0f} {percentile(row['steps'], 90):6.0f} "
                          f"{median(row['decoded']):6.0f} {row['drag_frames']:4d} {row['lag']:6.0f} "
                          f"{goal_step:4.0f}/{goal_lag:<4.0f}  {'yes' if ok else 'NO ':3}  "
                          + " ".join(f"{median(row['parts'][p]):5.1f}" if row["parts"].get(p)
                                     else f"{'-':>5}" for p in PARTS), flush=True)
            browser.close()
    finally:
        stop(process)
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nms in the page's clock: step = key press -> new picture (median, p90), decode = "
          f"key press -> picture decoded (median), drag = pictures shown during a "
          f"{DRAG_MOVES}-move drag at 60/s, lag = release -> last picture; goal = step/lag. "
          f"Where a step goes (medians, page and kernel clocks lined up): in = key press -> "
          f"kernel has the change, wait = -> frame starts, draw = update + Agg + PNG, "
          f"send = -> message sent, out = -> page has it, show = -> new src, "
          f"decode = -> picture decoded. "
          f"{met} of {total} sliders meet their goals.")


if __name__ == "__main__":
    main()

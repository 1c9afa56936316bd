"""Every notebook opened, run and driven in JupyterLab in headless Chromium.

For each notebook: clear its outputs, Run All Cells through JupyterLab's command registry
(the start confirmed by the kernel's state, and retried if it never starts), check that no cell shows an
error or a warning and that every widget rendered, then for every interactive figure
move its first enabled slider (or, where every slider is greyed out, pick another option
of its dropdown) and check that the picture really changed. Screenshots go to
``artifacts/screenshots/`` for a person to look at.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import LAB_DRIVER, NOTEBOOKS, TOKEN

pytestmark = pytest.mark.browser

NB = ".jp-NotebookPanel:not(.lm-mod-hidden)"
IDLE = f'{NB} .jp-Notebook-ExecutionIndicator[data-status="idle"]'
STDERR = f'{NB} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
# An interactive figure = the outermost widget box holding a slider and an image.
BOXES_JS = """() => [...document.querySelectorAll('NB .widget-vbox')]
  .filter(b => b.querySelector('.widget-slider') && b.querySelector('img')
               && !b.parentElement.closest('.widget-vbox')).length""".replace("NB", NB)
BOX = f"xpath=//div[contains(@class,'jp-NotebookPanel') and not(contains(@class,'lm-mod-hidden'))]" \
      "//div[contains(@class,'widget-vbox') and .//div[contains(@class,'widget-slider')] and .//img " \
      "and not(ancestor::div[contains(@class,'widget-vbox')])]"
START_ATTEMPTS = 3


def notebook_names() -> list[str]:
    return sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def cell_count(name: str) -> int:
    return len(json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"])


def open_notebook(page, base_url: str, name: str) -> None:
    """Open the notebook and wait until its cells are loaded and its kernel is idle."""
    page.goto(f"{base_url}/lab/tree/{name}?token={TOKEN}&reset")
    page.wait_for_function("([p, n]) => window.nbsTest.ready(p, n)", arg=[name, cell_count(name)],
                           timeout=300_000)


def run_all_cells(page, name: str) -> None:
    """Clear the outputs, run every cell through JupyterLab's command registry, wait for the end.

    A start is confirmed by a state (kernel busy, a cell queued or counted); a start that shows
    none of these within a minute is tried again, up to START_ATTEMPTS times.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # the browser extra only

    for attempt in range(1, START_ATTEMPTS + 1):
        page.wait_for_function("([p, n]) => window.nbsTest.ready(p, n)",
                               arg=[name, cell_count(name)], timeout=300_000)
        state = page.evaluate("p => window.nbsTest.startRunAll(p)", name)
        if state != "started":
            continue
        try:
            page.wait_for_function("p => window.nbsTest.runStarted(p)", arg=name, timeout=60_000)
            break
        except PlaywrightTimeout:
            continue
    else:
        pytest.fail(f"{name}: Run All Cells did not start in {START_ATTEMPTS} attempts "
                    f"(last state: {state})")
    page.wait_for_function("p => window.nbsTest.runFinished(p)", arg=name, timeout=900_000)
    run = page.evaluate("() => window.nbsRun")
    counts = page.evaluate("p => window.nbsTest.executionCounts(p)", name)
    assert run["ok"], f"{name}: the run stopped early ({run}); execution counts {counts}"
    assert all(c is not None for c in counts), f"{name}: cells left unrun: {counts}"


def wait_for_widgets(page, name: str) -> None:
    """Wait until every widget output of the notebook has been rendered."""
    page.wait_for_function(
        "p => { const s = window.nbsTest.widgetOutputs(p); "
        "return !s.loading && s.rendered >= s.expected; }", arg=name, timeout=120_000)


def enabled_sliders(page, box):
    """The box's sliders that are not greyed out (a view disables those that do nothing now)."""
    return box.locator(".widget-slider").filter(has=page.locator(".noUi-target:not([disabled])"))


def move_first_slider(page, box) -> tuple[str, str]:
    """Press an arrow key on the box's first enabled slider three times; return the readouts."""
    slider = enabled_sliders(page, box).first
    handle, readout = slider.locator(".noUi-handle"), slider.locator(".widget-readout")
    before = readout.inner_text()
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    page.wait_for_function("([el, text]) => el.innerText !== text",
                           arg=[readout.element_handle(), before], timeout=60_000)
    return before, readout.inner_text()


def pick_next_option(box) -> tuple[str, str]:
    """Choose the next option of the box's first dropdown; return the old and new choice."""
    select = box.locator("select").first
    index = select.evaluate("s => s.selectedIndex")
    before = select.evaluate("s => s.options[s.selectedIndex].text")
    select.select_option(index=(index + 1) % select.locator("option").count())
    return before, select.evaluate("s => s.options[s.selectedIndex].text")


def move_a_control(page, box) -> tuple[str, str]:
    """Move the first enabled slider; where the view greyed out every slider (the explorer on
    plain ReLU, which has no parameter), pick the next option of its first dropdown."""
    if enabled_sliders(page, box).count() > 0:
        return move_first_slider(page, box)
    assert box.locator("select").count() > 0, "every slider is disabled and there is no dropdown"
    return pick_next_option(box)


def wait_until_steady(page, image, quiet_ms: int = 1500, timeout_ms: int = 30_000) -> None:
    """Wait until the image has stopped changing (the kernel has drawn the last slider value)."""
    src, waited = image.get_attribute("src"), 0
    while waited < timeout_ms:
        page.wait_for_timeout(quiet_ms)
        waited += quiet_ms
        now = image.get_attribute("src")
        if now == src:
            return
        src = now
    raise AssertionError(f"the figure was still changing after {timeout_ms / 1000:.0f} s")


def shut_down_kernel(page, base_url: str, name: str) -> None:
    for session in page.request.get(f"{base_url}/api/sessions?token={TOKEN}").json():
        if session["path"].endswith(name):
            page.request.delete(f"{base_url}/api/sessions/{session['id']}?token={TOKEN}")


@pytest.mark.parametrize("name", notebook_names())
def test_notebook_runs_and_its_sliders_redraw_the_figures(name, browser, lab_url, screenshots):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    page.add_init_script(path=str(LAB_DRIVER))
    stem = Path(name).stem
    try:
        open_notebook(page, lab_url, name)
        run_all_cells(page, name)
        wait_for_widgets(page, name)
        assert page.get_by_text("Error displaying widget").count() == 0
        stderr = page.locator(STDERR)
        assert stderr.count() == 0, f"{name}: error or warning output:\n" + "\n---\n".join(
            stderr.all_inner_texts())

        n_boxes = page.evaluate(BOXES_JS)
        assert n_boxes >= 1, f"{name}: no interactive figure (slider + image) rendered"
        for k in range(n_boxes):
            box = page.locator(BOX).nth(k)
            box.scroll_into_view_if_needed()
            image = box.locator("img").first
            image.wait_for(state="visible", timeout=30_000)
            before_src = image.get_attribute("src")
            before, after = move_a_control(page, box)
            assert before != after, f"{name}, figure {k}: the control did not move"
            page.wait_for_function("([el, src]) => el.getAttribute('src') !== src",
                                   arg=[image.element_handle(), before_src], timeout=120_000)
            page.wait_for_selector(IDLE, timeout=120_000)
            wait_until_steady(page, image)
            box.screenshot(path=str(screenshots / f"{stem}_widget{k}.png"))
        assert stderr.count() == 0, f"{name}: a slider move printed an error:\n" + "\n".join(
            stderr.all_inner_texts())
        page.locator(f"{NB} .jp-Cell").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / f"{stem}.png"))
    except Exception:
        page.screenshot(path=str(screenshots / f"{stem}_FAILED.png"))
        raise
    finally:
        shut_down_kernel(page, lab_url, name)
        page.close()

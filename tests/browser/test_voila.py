"""Lecture mode: a notebook served by Voila as a clean page of sliders and plots.

The same notebook is served twice, once as usual and once with NBSUPPORT_LECTURE=1
(what `python3 tasks.py lecture NB` sets). Both pages must render their widgets with no
error, a slider must redraw the figure, and the lecture page's figures and slider labels
must be larger.
"""
from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import BIN, NOTEBOOKS, TOKEN, free_port, stop, wait_for_http

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tasks import VOILA_NO_DELAY  # noqa: E402  (Voila launched as `tasks.py lecture` launches it)

pytestmark = pytest.mark.browser

NOTEBOOK = "01_sigmoid_saturation.ipynb"


@contextmanager
def voila(served_notebooks, env, lecture: bool):
    port = free_port()
    env = dict(env, NBSUPPORT_LECTURE="1" if lecture else "0")
    process = subprocess.Popen(
        [str(BIN / "voila"), NOTEBOOK, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
         f"--token={TOKEN}", "--show_tracebacks=True", VOILA_NO_DELAY],
        cwd=served_notebooks, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/?token={TOKEN}"
    try:
        wait_for_http(url, process, timeout=300)
        yield url
    finally:
        stop(process)


def render(browser, url: str, screenshot_path) -> tuple[int, float]:
    """Open the Voila page, move a slider, check the figure changed; return the image width
    and the font size (px) of the first slider's label."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(url, timeout=180_000)
        page.wait_for_selector(".widget-slider .noUi-handle", timeout=180_000)
        image = page.locator(".widget-vbox img").first
        image.wait_for(state="visible", timeout=60_000)
        assert page.get_by_text("Error displaying widget").count() == 0
        assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        before = image.get_attribute("src")
        page.locator(".widget-slider .noUi-handle").first.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("([el, src]) => el.getAttribute('src') !== src",
                               arg=[image.element_handle(), before], timeout=120_000)
        page.screenshot(path=str(screenshot_path))
        label = page.locator(".widget-slider .widget-label").first
        font_px = float(label.evaluate("(el) => getComputedStyle(el).fontSize").removesuffix("px"))
        return page.evaluate("(el) => el.naturalWidth", image.element_handle()), font_px
    finally:
        page.close()


def test_voila_serves_the_notebook_and_lecture_mode_enlarges_its_figures(
        browser, served_notebooks, server_env, screenshots):
    assert (NOTEBOOKS / NOTEBOOK).exists()
    with voila(served_notebooks, server_env, lecture=False) as url:
        normal_width, normal_font = render(browser, url, screenshots / "voila_notebook_mode.png")
    with voila(served_notebooks, server_env, lecture=True) as url:
        lecture_width, lecture_font = render(browser, url, screenshots / "voila_lecture_mode.png")
    assert lecture_width > normal_width > 0
    assert lecture_font >= 20 > normal_font  # slider labels readable from the back row

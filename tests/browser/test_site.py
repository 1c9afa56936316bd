"""The static site (`python3 tasks.py site`) read from disk with the network cut off.

The site is built into a temporary folder once per session (about 20 s). Every page is opened
from a file:// address while every other request is aborted; each must load all its images,
show its math as laid-out MathML with no TeX left in its prose, and raise no script error,
console error or network request.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# TeX left as text: a $...$ pair, \( or \[, or any backslash command such as \frac.
RAW_TEX = re.compile(r"\$[^$\s][^$]*\$|\\[(\[]|\\[A-Za-z]+")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site.build(out)
    return out


@pytest.fixture
def offline_page(browser):
    """A page whose every non-file request is aborted and recorded, with errors recorded."""
    context = browser.new_context()
    seen = {"remote": [], "errors": []}

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            seen["remote"].append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda error: seen["errors"].append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(f"console: {m.text}"))
    try:
        yield page, seen
    finally:
        context.close()


def test_index_links_every_notebook_and_each_link_exists(site, offline_page):
    page, seen = offline_page
    page.goto((site / "index.html").as_uri())
    hrefs = page.eval_on_selector_all("a[href$='.html']", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [f"{nb.stem}.html" for nb in NOTEBOOKS]
    assert all((site / href).exists() for href in hrefs)
    assert seen == {"remote": [], "errors": []}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_page_renders_offline(site, offline_page, notebook):
    page, seen = offline_page
    page.goto((site / f"{notebook.stem}.html").as_uri(), wait_until="load")

    images = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.alt])")
    assert images, "a page with no figure"
    broken = [alt for complete, width, alt in images if not (complete and width > 0)]
    assert not broken, f"{len(broken)} of {len(images)} images did not load"

    prose = page.eval_on_selector_all(".jp-MarkdownCell .jp-RenderedMarkdown", "cells => cells.map(c => c.innerText)")
    assert prose
    raw = [m.group(0) for text in prose for m in RAW_TEX.finditer(text)]
    assert not raw, f"TeX left as text: {raw[:5]}"
    assert page.locator("math").count() > 0, "no formula rendered"
    assert page.locator("merror").count() == 0
    # MathML is laid out by the browser: a visible formula has a size (those inside a closed
    # <details> hint are not visible).
    sizes = page.eval_on_selector_all(
        "math", "ms => ms.filter(m => m.checkVisibility()).map(m => m.getBoundingClientRect().width)")
    assert sizes and min(sizes) > 0

    assert page.locator(".static-widget img").count() >= 1, "no saved live figure"
    assert seen == {"remote": [], "errors": []}

"""Build the course as static HTML in site/: an index page and every notebook with its outputs.

    python3 tasks.py site                    # site/ next to this repository
    .venv/bin/python tools/build_site.py OUT  # another folder

The pages open from disk with no network and run no script: figures are embedded PNGs; the
math is converted to MathML at build time (``latex2mathml``), which browsers draw natively
(a MathJax copy loaded from file:// would need web fonts, and Chromium refuses fonts from
file:// pages); every live figure is shown as its saved widget state (the last picture and its
sliders, drawn as plain HTML) instead of loading the ipywidgets JavaScript from a CDN. The
build fails if a page would still load anything from the network.
"""
from __future__ import annotations

import base64
import html
import json
import re
import sys
from pathlib import Path

import nbformat
from latex2mathml.converter import convert as tex_to_mathml
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# Code (fenced blocks, then inline spans) is left alone; then display math, then inline math.
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|\\\[(?P<bracket>.+?)\\\]"
                  r"|(?P<env>\\begin\{(?P<name>[a-z]+\*?)\}.+?\\end\{(?P=name)\})"
                  r"|(?<![\\$])\$(?P<inline>(?:[^$\n]|\n(?!\n))+?)\$|\\\((?P<paren>.+?)\\\)", re.DOTALL)
TOKEN = "MATHTOKEN{}X"
STATIC_NOTE = ("Saved picture of a live figure: open the notebook in JupyterLab, Binder or Colab "
               "to move its controls.")
STYLE = """
.static-widget { border: 1px solid #ccc; border-radius: 4px; padding: 6px; margin: 4px 0; }
.static-widget img { max-width: 100%; height: auto; display: block; }
.static-widget .static-control { font-size: 14px; margin: 2px 0; }
.static-widget .static-note { color: #555; font-size: 12px; font-style: italic; }
"""


def _ref(value: str) -> str:
    return value[len("IPY_MODEL_"):] if isinstance(value, str) and value.startswith("IPY_MODEL_") else value


def _image(model: dict) -> str:
    for buffer in model.get("buffers", []):
        if buffer["path"] == ["value"]:
            data = buffer["data"] if buffer.get("encoding") == "base64" else \
                base64.b64encode(buffer["data"].encode("latin-1")).decode()
            fmt = model["state"].get("format", "png")
            return f'<img src="data:image/{fmt};base64,{data}" alt="saved live figure">'
    return ""


def _slider(state: dict) -> str:
    value, fmt = state["value"], state.get("readout_format", ".2f")
    try:
        readout = format(value, fmt)
    except (TypeError, ValueError):
        readout = str(value)
    return (f'<div class="static-control"><label>{html.escape(state.get("description", ""))} '
            f'<input type="range" disabled min="{state["min"]}" max="{state["max"]}" '
            f'step="{state.get("step", 1)}" value="{value}"></label> {html.escape(readout)}</div>')


def _choice(state: dict) -> str:
    labels, index = state.get("_options_labels", []), state.get("index")
    chosen = labels[index] if isinstance(index, int) and 0 <= index < len(labels) else ""
    return (f'<div class="static-control"><label>{html.escape(state.get("description", ""))} '
            f'<select disabled><option selected>{html.escape(str(chosen))}</option></select>'
            f'</label></div>')


def render_widget(model_id: str, models: dict) -> str:
    """Static HTML for a widget and its children from the notebook's saved widget state."""
    model = models.get(_ref(model_id))
    if model is None:
        return ""
    name, state = model["model_name"], model["state"]
    if name in ("VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel"):
        direction = "row" if name == "HBoxModel" else "column"
        inner = "".join(render_widget(child, models) for child in state.get("children", []))
        return f'<div style="display:flex;flex-direction:{direction};gap:4px">{inner}</div>'
    if name == "ImageModel":
        return _image(model)
    if "Slider" in name and "value" in state and "min" in state:
        return _slider(state)
    if name in ("DropdownModel", "ToggleButtonsModel", "RadioButtonsModel", "SelectModel"):
        return _choice(state)
    if name in ("LabelModel", "HTMLModel", "HTMLMathModel"):
        value = state.get("value", "")
        return f"<div>{value if name != 'LabelModel' else html.escape(value)}</div>"
    return ""


def freeze_widgets(nb) -> None:
    """Replace every widget view by static HTML of its saved state; drop the state itself."""
    models = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                continue
            body = render_widget(view["model_id"], models)
            output["data"] = {"text/html": f'<div class="static-widget">{body}'
                                           f'<div class="static-note">{STATIC_NOTE}</div></div>'}
    nb.metadata.pop("widgets", None)


def math_to_tokens(source: str, found: list[str]) -> str:
    """Replace every TeX formula of a markdown source by a token; append its MathML to `found`."""
    def replace(match: re.Match) -> str:
        display = match.group("inline") is None and match.group("paren") is None
        tex = next(g for g in (match.group("display"), match.group("bracket"), match.group("env"),
                               match.group("inline"), match.group("paren")) if g is not None)
        found.append(tex_to_mathml(tex.strip(), display="block" if display else "inline"))
        return TOKEN.format(len(found) - 1)

    parts, last = [], 0
    for code in CODE.finditer(source):
        parts += [MATH.sub(replace, source[last:code.start()]), code.group(0)]
        last = code.end()
    return "".join(parts + [MATH.sub(replace, source[last:])])


def tokens_to_mathml(page: str, found: list[str]) -> str:
    return re.sub(r"MATHTOKEN(\d+)X", lambda m: found[int(m.group(1))], page)


def remote_loads(page: str) -> list[str]:
    """Every address the page would load from the network (scripts, styles, images, imports)."""
    tags = re.findall(r'<(?:script|img|link|iframe)\b[^>]*?(?:src|href)="(https?:[^"]*)"', page)
    imports = re.findall(r'import\(\s*"(https?:[^"]*)"', page)
    return tags + imports


def offline_html(page: str) -> str:
    """Remove require.js, MathJax and the mermaid loader (all from a CDN; no page here needs
    them) and add the style of the saved widgets."""
    page = re.sub(r'<script src="https?://[^"]*require[^"]*"></script>', "", page)
    page = re.sub(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*?</script>',
                  "", page, flags=re.DOTALL)
    page = re.sub(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", "", page,
                  flags=re.DOTALL)
    return page.replace("</head>", f"<style>{STYLE}</style>\n</head>", 1)


def notebook_title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def convert(path: Path, exporter: HTMLExporter) -> tuple[str, str]:
    nb = nbformat.read(path, as_version=4)
    title = notebook_title(nb) or path.stem
    freeze_widgets(nb)
    found: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = math_to_tokens(cell.source, found)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": plain_text(title)}})
    return title, tokens_to_mathml(offline_html(body), found)


def plain_text(markdown: str) -> str:
    """A title without TeX markup, for the browser tab: "$\\log \\sum e^{z}$" -> "log sum e^z"."""
    return re.sub(r"[${}]", "", re.sub(r"\\([A-Za-z]+)", r"\1", markdown))


def title_html(markdown: str) -> str:
    found: list[str] = []
    return tokens_to_mathml(html.escape(math_to_tokens(markdown, found)), found)


def index_page(entries: list[tuple[str, str]]) -> str:
    items = "\n".join(f'<li><a href="{html.escape(href)}">{title_html(title)}</a></li>'
                      for href, title in entries)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Activation and loss functions</title>
<style>body {{ font-family: sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
line-height: 1.5; }} li {{ margin: 0.4em 0; }}</style></head>
<body><h1>Activation and loss functions</h1>
<p>A static copy of the course: every notebook with its outputs, figures and math. The
figures with sliders show their last picture here; to move the sliders, open the notebooks in
JupyterLab (<code>python3 tasks.py lab</code>), on Binder or on Colab. Read them in order.</p>
<ol>
{items}
</ol>
<p>Code: MIT licence. Prose and figures: CC BY 4.0.</p>
</body></html>
"""


def build(out: Path, notebooks: list[Path] | None = None) -> list[Path]:
    """Write index.html and one page per notebook into `out`."""
    notebooks = notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    entries, pages = [], []
    for path in notebooks:
        title, page = convert(path, exporter)
        remote = remote_loads(page)
        if remote:
            raise RuntimeError(f"{path.name}: the page would load from the network: {remote[:3]}")
        target = out / f"{path.stem}.html"
        target.write_text(page, encoding="utf-8")
        entries.append((target.name, title))
        pages.append(target)
        print(f"  {target.relative_to(out.parent) if out.parent in target.parents else target}",
              flush=True)
    (out / "index.html").write_text(index_page(entries), encoding="utf-8")
    return [out / "index.html", *pages]


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "site"
    print(f"Building the static course into {out} ...", flush=True)
    pages = build(out)
    print(f"Done: {len(pages)} pages. Open {out / 'index.html'} in a browser (no server needed).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

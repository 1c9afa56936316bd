"""The course's public address and everything made from it: badges and the Colab install cell.

    python3 tasks.py colab-cell           # put the install cell first in every notebook and
                                          # point README's Binder/Colab badges at the repository
    python3 tasks.py colab-cell --check   # only report what is missing or out of date

The address lives in one place, ``[project.urls] Repository`` in pyproject.toml. The install
cell installs the course package only where it is missing (Colab, a bare Jupyter) and prints
nothing otherwise, so strict nbval still passes. Standard library only.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
PLACEHOLDER = "https://github.com/OWNER/REPOSITORY"
CELL_ID = "colab-install"
FIRST_LINE = "# Colab, or any Jupyter without the course package: install it; elsewhere this does nothing."
BINDER = re.compile(r"https://mybinder\.org/v2/gh/[^/\s)]+/[^/\s)]+/")
COLAB = re.compile(r"https://colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+/")


def repository_url(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """``[project.urls] Repository`` of pyproject.toml (read without tomllib: Python 3.10)."""
    match = re.search(r'^Repository\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"),
                      re.MULTILINE)
    if match is None:
        raise ValueError("pyproject.toml has no [project.urls] Repository")
    return match.group(1).rstrip("/")


def github_slug(url: str) -> str:
    """"OWNER/NAME" of https://github.com/OWNER/NAME."""
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?", url)
    if match is None:
        raise ValueError(f"Repository must be https://github.com/OWNER/NAME, got {url!r}")
    return f"{match.group(1)}/{match.group(2)}"


def binder_url(slug: str) -> str:
    return f"https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=lab/tree/notebooks"


def colab_url(slug: str, notebook: str) -> str:
    return f"https://colab.research.google.com/github/{slug}/blob/main/notebooks/{notebook}.ipynb"


def install_cell_source(url: str) -> str:
    return (f"{FIRST_LINE}\n"
            "import importlib.util\n"
            "if importlib.util.find_spec(\"nbsupport\") is None:\n"
            f"    %pip install --quiet \"nbsupport @ git+{url}\"")


def first_code_cell(nb: dict) -> int | None:
    return next((i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"), None)


def has_install_cell(nb: dict, url: str) -> bool:
    i = first_code_cell(nb)
    return i is not None and "".join(nb["cells"][i]["source"]) == install_cell_source(url)


def add_install_cell(nb: dict, url: str) -> dict:
    """Put the install cell before the first code cell (or refresh it); idempotent."""
    cell = {"cell_type": "code", "execution_count": None, "id": CELL_ID, "metadata": {},
            "outputs": [], "source": install_cell_source(url).splitlines(keepends=True)}
    i = first_code_cell(nb)
    if i is not None and "".join(nb["cells"][i]["source"]).startswith(FIRST_LINE):
        nb["cells"][i] = cell
    else:
        nb["cells"].insert(len(nb["cells"]) if i is None else i, cell)
    return nb


def sync_readme(text: str, slug: str) -> str:
    """README with every Binder and Colab address pointing at `slug`."""
    text = BINDER.sub(f"https://mybinder.org/v2/gh/{slug}/", text)
    return COLAB.sub(f"https://colab.research.google.com/github/{slug}/", text)


def problems(url: str) -> list[str]:
    slug, found = github_slug(url), []
    readme = README.read_text(encoding="utf-8")
    if sync_readme(readme, slug) != readme or binder_url(slug) not in readme:
        found.append(f"README.md: Binder/Colab badges do not point at {url}")
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        if colab_url(slug, path.stem) not in readme:
            found.append(f"README.md: no Colab badge for {path.stem}")
        if not has_install_cell(json.loads(path.read_text(encoding="utf-8")), url):
            found.append(f"{path.relative_to(ROOT)}: first code cell is not the install cell")
    return found


def apply(url: str) -> None:
    slug = github_slug(url)
    README.write_text(sync_readme(README.read_text(encoding="utf-8"), slug), encoding="utf-8")
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = add_install_cell(json.loads(path.read_text(encoding="utf-8")), url)
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"  {path.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    url = repository_url()
    if url == PLACEHOLDER:
        print(f"Note: pyproject.toml's Repository is still the placeholder {PLACEHOLDER}; "
              "set it to the course's GitHub address.", file=sys.stderr)
    if "--check" in argv:
        found = problems(url)
        print("\n".join(found) or "every notebook and badge agrees with " + url)
        return 1 if found else 0
    apply(url)
    print("Done. Re-execute the notebooks (python3 tasks.py execute) and commit them.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Set up and run the course with one command each (standard library only).

    python3 tasks.py lab            # set up .venv, then open JupyterLab on notebooks/
    python3 tasks.py test           # set up .venv, then unit tests + strict nbval of every notebook
    python3 tasks.py test-browser   # set up .venv + Chromium, then drive every notebook in JupyterLab
    python3 tasks.py lecture NB     # present one notebook with Voila in projector style
    python3 tasks.py execute [NB..] # maintainers: re-execute notebooks in place (default: all)

The virtual environment lives in ``.venv`` next to this file.  It is created on first
use and re-installed only when ``pyproject.toml`` changes.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-from"

NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "nbval_sanitize.cfg"]


def run(*cmd: str | Path, env: dict | None = None) -> None:
    """Run a command from the project root; stop with its exit code if it fails."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)
    if code != 0:
        sys.exit(code)


def requirements_fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def setup() -> None:
    """Create .venv and install the package with its test extra, once per pyproject change."""
    if sys.version_info < (3, 10):
        sys.exit(f"Python 3.10 or newer is needed, this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        run(sys.executable, "-m", "venv", VENV)
    if STAMP.exists() and STAMP.read_text() == requirements_fingerprint():
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[test]")
    STAMP.write_text(requirements_fingerprint())


def kernel_env() -> dict:
    """Environment for notebooks and tests: one BLAS thread (small matrices), no display."""
    env = dict(os.environ)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("MKL_NUM_THREADS", "1")
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("MPLBACKEND", "Agg")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def ensure_chromium() -> None:
    """Install Debian's chromium (for Playwright) when it is missing."""
    if Path("/usr/bin/chromium").exists():
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        sys.exit("The browser tests need Debian's chromium at /usr/bin/chromium: "
                 "run `sudo apt-get install chromium` once, then try again.")
    run("apt-get", "update", "-qq")
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium")


def lab() -> None:
    run(BIN / "jupyter", "lab", "notebooks/", env=kernel_env())


def test() -> None:
    run(PYTHON, "-m", "pytest", "-m", "not browser", "tests", "notebooks", *NBVAL, env=kernel_env())


def test_browser() -> None:
    ensure_chromium()
    run(PYTHON, "-m", "pytest", "-m", "browser", "tests", env=kernel_env())


def lecture(notebook: str) -> None:
    env = kernel_env()
    env["NBSUPPORT_LECTURE"] = "1"
    run(BIN / "voila", notebook, env=env)


def execute(notebooks: list[str]) -> None:
    """Re-execute notebooks in place, with outputs and widget state, without timing metadata.

    Timestamps are dropped so that a re-run changes a notebook only where its results change.
    """
    paths = [Path(nb) for nb in notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            cell.get("metadata", {}).pop("execution", None)
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        run(BIN / "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
            "--ExecutePreprocessor.record_timing=False", "--ExecutePreprocessor.timeout=900",
            path, env=kernel_env())


def main(argv: list[str]) -> None:
    tasks = {"setup": setup, "lab": lab, "test": test, "test-browser": test_browser}
    if len(argv) == 2 and argv[0] == "lecture":
        setup()
        lecture(argv[1])
    elif argv and argv[0] == "execute":
        setup()
        execute(argv[1:])
    elif len(argv) == 1 and argv[0] in tasks:
        setup()
        if argv[0] != "setup":
            tasks[argv[0]]()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

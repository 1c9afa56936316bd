"""Peak resident memory and run time of a kernel that runs each notebook top to bottom.

    .venv/bin/python benchmarks/memory.py            # every notebook
    .venv/bin/python benchmarks/memory.py 03 07      # some (number prefixes)

Each notebook runs in a fresh kernel (as a student's would on a shared server); a last cell
added here reads the kernel's own peak resident set size (``getrusage`` ru_maxrss: Linux's
VmHWM). A bare kernel that only imports the course package is measured first for reference.
Sizing a server: peak per notebook x students at once, plus the server itself
(docs/teaching_a_class.md). POSIX only (``resource``).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PEAK = ("import resource as _r, sys as _s\n"
        "print(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss * (1 if _s.platform == 'darwin' else 1024))")


def run(nb) -> tuple[float, float]:
    """(seconds, peak MB) of a fresh kernel running `nb` plus the peak cell."""
    nb.cells.append(nbformat.v4.new_code_cell(PEAK))
    client = NotebookClient(nb, timeout=1800, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return seconds, int(text.split()[-1]) / 2**20


def main(argv: list[str]) -> None:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if argv:
        paths = [p for p in paths if any(p.stem.startswith(a) for a in argv)]
    bare = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "%matplotlib inline\nimport nbsupport, nbsupport.widgets, matplotlib.pyplot")])
    seconds, peak = run(bare)
    print(f"{'notebook':34s} {'run time':>9s} {'peak RSS':>9s}")
    print(f"{'(bare kernel + imports)':34s} {seconds:8.1f}s {peak:6.0f} MB", flush=True)
    worst = 0.0
    for path in paths:
        seconds, peak = run(nbformat.read(path, as_version=4))
        worst = max(worst, peak)
        print(f"{path.stem:34s} {seconds:8.1f}s {peak:6.0f} MB", flush=True)
    print(f"largest peak: {worst:.0f} MB (goal: 200 MB a kernel)")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Read notebooks as text for the truth tests: their prose, outputs and exercises.

Shared by ``test_notebook_prose.py`` and ``test_notebook_exercises.py``. Pure parsing:
nothing here runs a notebook.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

sys.path.insert(0, str(ROOT / "tools"))
from colab_cell import FIRST_LINE as COLAB_FIRST_LINE  # noqa: E402

# A number as people write it: 4.59, 20,000, 1e-2, 20_000 (code), 3.8\times10^{-6} (LaTeX,
# rewritten to 3.8e-6 first). Not part of an identifier (float32, W1) or a longer number.
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?![\d])|\d+)(\.\d+)?(?:[eE]([+-]?\d+))?(?![\w])")


@dataclass(frozen=True)
class Number:
    """A number found in text, with the precision it was written at."""

    value: float
    text: str
    decimals: int          # digits after the point (0 for integers and for 1e-2)
    significant: int       # significant digits written
    scientific: bool       # written with an exponent

    def rounds_to_me(self, other: float) -> bool:
        """True when ``other``, rounded to the digits written here, gives this number."""
        a, b = abs(other), abs(self.value)
        if self.scientific:
            if a == 0 or b == 0:
                return a == b
            exponent = _floor_log10(b)
            half = 0.5 * 10.0 ** (exponent - self.significant + 1)
        else:
            half = 0.5 * 10.0 ** -self.decimals
        return abs(a - b) <= half * (1 + 1e-9) + 1e-15


def _floor_log10(x: float) -> int:
    import math
    return math.floor(math.log10(x))


def numbers_in(text: str) -> list[Number]:
    """Every number in ``text`` (signs dropped: a dash is often a hyphen or a range)."""
    found = []
    for match in NUMBER.finditer(text):
        integer, fraction, exponent = match.group(1), match.group(2) or "", match.group(3)
        digits = integer.replace(",", "") + fraction[1:]
        significant = len(digits.lstrip("0")) or 1
        literal = integer.replace(",", "") + fraction + (f"e{exponent}" if exponent else "")
        found.append(Number(float(literal), match.group(0), len(fraction[1:]) if fraction else 0,
                            significant, exponent is not None))
    return found


def code_numbers_text(source: str) -> str:
    """Code with digit separators removed, so 20_000 reads as 20000."""
    return re.sub(r"(?<=\d)_(?=\d)", "", source)


def outputs_text(cell: dict) -> str:
    """What a code cell printed or displayed as text."""
    parts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            parts.append("".join(output["text"]))
        data = output.get("data", {})
        if "text/plain" in data and "image/png" not in data and not _is_widget(data):
            parts.append("".join(data["text/plain"]))
    return "\n".join(parts)


def _is_widget(data: dict) -> bool:
    return "application/vnd.jupyter.widget-view+json" in data


SOLUTION = re.compile(r"<details>\s*<summary>\s*Solution.*?</details>", re.S | re.I)


def without_solutions(markdown: str) -> str:
    """Markdown with its ``<details><summary>Solution</summary> ... </details>`` blocks cut."""
    return SOLUTION.sub(" ", markdown)


@dataclass
class Notebook:
    """One notebook's cells as plain strings."""

    path: Path
    cells: list[dict]

    @property
    def name(self) -> str:
        return self.path.stem

    def source(self, i: int) -> str:
        return "".join(self.cells[i]["source"])

    def kind(self, i: int) -> str:
        return self.cells[i]["cell_type"]

    def exercise_module(self) -> str | None:
        """The ``X`` of ``from nbsupport.exercises import X as ex`` in the notebook."""
        for i, cell in enumerate(self.cells):
            if cell["cell_type"] == "code":
                found = re.search(r"from nbsupport\.exercises import (\w+) as ex\b", self.source(i))
                if found:
                    return found.group(1)
        return None

    def exercise_cells(self) -> list[tuple[int, str]]:
        """(cell index, exercise name) for every ``ex.NAME.check(answer)`` cell."""
        found = []
        for i, cell in enumerate(self.cells):
            if cell["cell_type"] == "code":
                match = re.search(r"\bex\.(\w+)\.check\(\s*answer\s*\)", self.source(i))
                if match:
                    found.append((i, match.group(1)))
        return found

    def solution_after(self, i: int) -> str | None:
        """The Solution block that follows cell ``i``, before the next exercise cell."""
        for j in range(i + 1, len(self.cells)):
            if self.kind(j) == "code" and ".check(answer)" in self.source(j):
                return None
            if self.kind(j) == "markdown":
                block = SOLUTION.search(self.source(j))
                if block:
                    return block.group(0)
        return None

    def question_before(self, i: int) -> str:
        """The markdown cells between the previous code cell and cell ``i``: the question."""
        parts = []
        j = i - 1
        while j >= 0 and self.kind(j) == "markdown":
            parts.insert(0, without_solutions(self.source(j)))
            j -= 1
        return "\n".join(parts)

    def text_up_to(self, i: int, include_own_output: bool = True) -> list[str]:
        """Everything a reader has seen on reaching cell ``i``: markdown (solutions too)
        and the outputs of code cells before it, and the output of cell ``i`` itself."""
        seen = []
        for j in range(i):
            seen.append(self.source(j) if self.kind(j) == "markdown" else outputs_text(self.cells[j]))
        if include_own_output and self.kind(i) == "code":
            seen.append(outputs_text(self.cells[i]))
        return seen

    def all_outputs(self) -> list[str]:
        return [outputs_text(c) for c in self.cells if c["cell_type"] == "code"]

    def import_namespace(self) -> dict[str, Any]:
        """The namespace of the notebook's imports cell, IPython magics cut.

        That is its first code cell, after the cell that installs the package on Colab
        (``tools/colab_cell.py``), which is skipped.
        """
        for i, cell in enumerate(self.cells):
            if cell["cell_type"] == "code" and not self.source(i).startswith(COLAB_FIRST_LINE):
                code = "\n".join(line for line in self.source(i).splitlines()
                                 if not line.lstrip().startswith(("%", "!")))
                namespace: dict[str, Any] = {}
                exec(compile(code, f"{self.name}[{i}]", "exec"), namespace)  # noqa: S102
                return namespace
        return {}


def load(path: Path) -> Notebook:
    return Notebook(path, json.loads(path.read_text(encoding="utf-8"))["cells"])

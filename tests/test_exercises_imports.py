"""Exercises import numerics only: checking an answer must not pull in matplotlib or views."""
import pkgutil
import subprocess
import sys

import pytest

import nbsupport.exercises

MODULES = sorted(m.name for m in pkgutil.iter_modules(nbsupport.exercises.__path__))


def test_every_exercise_module_is_found():
    assert {"relu", "sigmoid", "initialization"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_importing_an_exercise_module_imports_no_matplotlib(module):
    code = (f"import sys, nbsupport.exercises.{module}\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'"
            " or m.startswith('nbsupport.views') or m == 'ipywidgets')\n"
            "assert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]

"""Self-checking exercises: a notebook cell says at once whether an answer is right.

Each topic module (``nbsupport.exercises.sigmoid`` ...) defines :class:`Exercise`
objects whose expected answers are *computed* by nbsupport, never typed in.  A
notebook cell reads::

    answer = None          # replace None with your answer
    ex.peak_slope.check(answer)

and prints one line: a tick with a short explanation, or a cross with a hint aimed
at the usual mistake.  ``evaluate`` returns the same verdict as a value, for tests.

Every exercise also carries machine-readable metadata that the notebook tests read:
the digits the question asks for (``decimals`` or ``significant``), what kind of
thinking it asks for (``kind``), and, for "write this function" exercises, the
library functions that would be a shortcut (``forbidden``).

>>> ex = Exercise(prompt="Where does s' fall to 0.01? Two decimals.", solution=lambda: 4.5849,
...               explanation="Right.", hint="Solve u(1 - u) = 0.01.", decimals=2)
>>> ex.evaluate(4.59).correct, ex.evaluate(4.58).correct, ex.evaluate(4.5).correct
(True, True, False)
>>> print(ex.evaluate(4.6))
❌ Not yet. Right as far as it goes, but 4.6 has 1 decimal and the question asks for 2.
"""
from __future__ import annotations

import builtins
import importlib
import math
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import numpy as np

__all__ = ["Feedback", "Exercise", "KINDS", "ShortcutUsed"]

#: What an exercise asks for: a computation with the notebook's tools, a derivation on
#: paper whose result no cell prints, or a prediction made before a cell shows the answer.
KINDS = ("compute", "derivation", "prediction")


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer."""

    correct: bool
    message: str

    def __str__(self) -> str:
        return ("✅ Correct. " if self.correct else "❌ Not yet. ") + self.message


class ShortcutUsed(Exception):
    """Raised by a forbidden library function while a student's function is checked."""


def resolve(dotted: str) -> Any:
    """The object named by a dotted path such as ``"nbsupport.normalizers.softmax"``.

    >>> resolve("numpy.abs") is np.abs
    True
    """
    module_name, _, attribute = dotted.rpartition(".")
    if not module_name:
        raise ValueError(f"forbidden name {dotted!r} must be a dotted path like 'numpy.abs'")
    return getattr(importlib.import_module(module_name), attribute)


def decimals_written(value: float) -> int:
    """How many decimals a typed number carries: 4.6 -> 1, 4.585 -> 3, 3.0 -> 0.

    >>> decimals_written(4.58), decimals_written(2.0)
    (2, 0)
    """
    for k in range(16):
        if round(value, k) == value:
            return k
    return 16


def significant_written(value: float) -> int:
    """How many significant digits a typed number carries: 9.5e-07 -> 2, 0.137 -> 3.

    >>> significant_written(9.5e-07), significant_written(-0.137)
    (2, 3)
    """
    if value == 0:
        return 1
    mantissa = np.format_float_scientific(abs(value)).split("e")[0].replace(".", "").rstrip("0")
    return max(len(mantissa), 1)


def _unit(target: float, decimals: int | None, significant: int | None) -> float:
    """One unit in the last place asked for: 10^-decimals, or relative to ``target``."""
    if decimals is not None:
        return 10.0 ** -decimals
    exponent = math.floor(math.log10(abs(target))) if target != 0 else 0
    return 10.0 ** (exponent - significant + 1)


@dataclass
class Exercise:
    """A question with a computed answer, a tolerance and hints.

    Parameters
    ----------
    prompt : str
        One sentence that restates the question (shown when no answer is given).
    solution : value, array or callable
        The right answer. When it is a callable and ``inputs`` is given, the answer
        must be a function too and is compared with ``solution`` on ``inputs``.
    explanation : str
        Shown with a correct answer: why it is right.
    hint : str
        Shown with a wrong answer that matches no known mistake.
    mistakes : list of (value, message)
        Known wrong answers (e.g. a common misquote of 0.3) with a hint for each.
    rtol, atol : float
        Tolerances of :func:`numpy.allclose` when the question asks for no digits.
    inputs : array_like, optional
        Test inputs for function answers.
    decimals, significant : int, optional
        The digits the question asks for ("two decimals", "three significant digits").
        An answer is accepted when it is within one unit of that last place of the exact
        value, |answer - exact| <= 10^-decimals, so both the rounded and the truncated
        value pass; a value that is right but carries fewer digits gets a hint saying so.
    kind : {"compute", "derivation", "prediction"}
        "derivation": worked out on paper, its result printed by no cell.
        "prediction": answered before a later cell runs the experiment that shows it.
    forbidden : tuple of str
        Dotted names of library functions that the student is asked to write, e.g.
        ``("nbsupport.activations.sigmoid_grad",)``. A function answer that *is* one of
        them, or calls one of them, is rejected.
    """

    prompt: str
    solution: Any
    explanation: str
    hint: str
    mistakes: list[tuple[Any, str]] = field(default_factory=list)
    rtol: float = 1e-6
    atol: float = 1e-12
    inputs: Any = None
    decimals: int | None = None
    significant: int | None = None
    kind: str = "compute"
    forbidden: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if self.decimals is not None and self.significant is not None:
            raise ValueError("give decimals or significant, not both")
        if self.forbidden and self.inputs is None:
            raise ValueError("forbidden applies to function answers: give inputs too")
        for name in self.forbidden:
            resolve(name)  # fail at import time on a misspelt name

    @property
    def asks_for_function(self) -> bool:
        """True when the answer is a function compared with ``solution`` on ``inputs``."""
        return self.inputs is not None

    def expected(self) -> Any:
        """The exact answer (for value exercises)."""
        if callable(self.solution) and self.inputs is None:
            return self.solution()
        return self.solution

    def tolerance(self, target: Any) -> np.ndarray:
        """The largest accepted |answer - target|, element by element."""
        t = np.asarray(target, dtype=float)
        if self.decimals is None and self.significant is None:
            return self.atol + self.rtol * np.abs(t)
        units = np.vectorize(lambda v: _unit(float(v), self.decimals, self.significant))(t)
        return np.asarray(units, dtype=float) * (1 + 1e-9)

    def _close(self, answer: Any, target: Any) -> bool:
        a, t = real_numbers(answer), real_numbers(target)
        if a is None or t is None or a.shape != t.shape:
            return False
        with np.errstate(invalid="ignore", over="ignore"):  # inf - inf: compared by ==
            near = np.abs(a - t) <= self.tolerance(t)
        return bool(np.all(np.where(np.isfinite(t), near, a == t)))

    def _too_few_digits(self, answer: Any, target: Any) -> Feedback | None:
        """A hint when ``answer`` is right to the digits it carries but carries too few."""
        if self.decimals is None and self.significant is None:
            return None
        a, t = real_numbers(answer), real_numbers(target)
        if a is None or t is None or a.shape != t.shape:
            return None
        a, t = np.atleast_1d(a), np.atleast_1d(t)
        if self.decimals is not None:
            written = min(decimals_written(float(v)) for v in a)
            asked, unit_name = self.decimals, "decimal"
            loose = [_unit(float(v), written, None) for v in t]
        else:
            written = min(significant_written(float(v)) for v in a)
            asked, unit_name = self.significant, "significant digit"
            loose = [_unit(float(v), None, written) for v in t]
        if not np.all(np.isfinite(a)) or written >= asked:
            return None
        if not np.all(np.abs(a - t) <= np.asarray(loose) * (1 + 1e-9)):
            return None
        shown = answer if np.ndim(answer) else f"{float(answer):g}"
        plural = "" if written == 1 else "s"
        return Feedback(False, f"Right as far as it goes, but {shown} has {written} "
                               f"{unit_name}{plural} and the question asks for {asked}.")

    def evaluate(self, answer: Any) -> Feedback:
        """Judge ``answer`` without printing."""
        if answer is None or answer is Ellipsis:
            return Feedback(False, f"No answer yet. {self.prompt}")
        if self.asks_for_function:
            return self._evaluate_function(answer)
        if isinstance(answer, (str, bytes)):
            return Feedback(False, f"Give the answer as a number, not as text ({answer!r}): "
                                   "write it without quotes.")
        target = self.expected()
        if self._close(answer, target):
            return Feedback(True, self.explanation)
        for wrong, message in self.mistakes:
            if self._close(answer, wrong):
                return Feedback(False, message)
        return self._too_few_digits(answer, target) or Feedback(False, self.hint)

    def shortcut_in(self, answer: Any) -> str | None:
        """The forbidden name that ``answer`` is, if any."""
        for name in self.forbidden:
            if answer is resolve(name):
                return name
        return None

    def _evaluate_function(self, answer: Any) -> Feedback:
        if not callable(answer):
            return Feedback(False, f"Give a function (for example a lambda), got {type(answer).__name__}. "
                                   f"{self.prompt}")
        shortcut = self.shortcut_in(answer)
        if shortcut:
            return Feedback(False, f"That is {shortcut} itself, the function this exercise asks "
                                   f"you to write. {self.hint}")
        x = np.asarray(self.inputs, dtype=float)
        try:
            with self._forbidden_raise(answer):
                result = answer(x.copy())
        except ShortcutUsed as used:
            return Feedback(False, f"Your function calls {used}, the function this exercise "
                                   f"asks you to write. {self.hint}")
        except Exception as err:  # the student's code: report, never crash the cell
            return Feedback(False, f"Your function raised {type(err).__name__}: {err}")
        got = real_numbers(result)
        if got is None:
            return Feedback(False, f"Your function returned {type(result).__name__} "
                                   f"{_kind_of(result)}, expected real numbers. {self.hint}")
        want = np.asarray(self.solution(x.copy()), dtype=float)
        if got.shape != want.shape:
            return Feedback(False, f"Your function returned shape {got.shape}, expected {want.shape}.")
        if np.allclose(got, want, rtol=self.rtol, atol=self.atol):
            return Feedback(True, self.explanation)
        worst = int(np.argmax(np.abs(got - want)))
        return Feedback(False, f"At x = {x.flat[worst]:.4g} your function gives {got.flat[worst]:.6g}, "
                               f"expected {want.flat[worst]:.6g}. {self.hint}")

    @contextmanager
    def _forbidden_raise(self, answer: Callable) -> Iterator[None]:
        """Replace every binding of a forbidden function by one that raises, then restore.

        Covers the module attributes of nbsupport, numpy and builtins, the globals of
        the answer itself (a notebook's ``from nbsupport import softmax``) and its default
        arguments and closure (``lambda z, f=nbs.softmax: f(z)``).
        """
        targets = {id(resolve(name)): name for name in self.forbidden}
        namespaces = [vars(module) for name, module in list(sys.modules.items())
                      if module is not None and name.split(".")[0] in ("nbsupport", "numpy")]
        namespaces.append(vars(builtins))
        namespaces.append(getattr(answer, "__globals__", {}))
        saved = []
        for namespace in namespaces:
            for key, value in list(namespace.items()):
                if id(value) in targets:
                    saved.append((namespace, key, value))
                    namespace[key] = _raiser(targets[id(value)])
        defaults = getattr(answer, "__defaults__", None)
        if defaults:
            answer.__defaults__ = tuple(_raiser(targets[id(v)]) if id(v) in targets else v
                                        for v in defaults)
        cells = []
        for cell in getattr(answer, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:  # a cell not yet filled
                continue
            if id(value) in targets:
                cells.append((cell, value))
                cell.cell_contents = _raiser(targets[id(value)])
        try:
            yield
        finally:
            for namespace, key, value in reversed(saved):
                namespace[key] = value
            if defaults:
                answer.__defaults__ = defaults
            for cell, value in cells:
                cell.cell_contents = value

    def check(self, answer: Any) -> None:
        """Print the verdict on ``answer`` (one line)."""
        print(self.evaluate(answer))


def real_numbers(value: Any) -> np.ndarray | None:
    """``value`` as a float array if it holds real numbers only, else None.

    Text (``"4.59"``, even though NumPy would read it), complex numbers, dates and
    objects that are not numbers give None, as do ints beyond the float range.
    Fractions and Decimals count.
    """
    if isinstance(value, (str, bytes)):
        return None
    try:
        arr = np.asarray(value)
        if arr.dtype.kind not in "biufO" or arr.dtype.kind == "O" and any(
                isinstance(v, (str, bytes, complex)) for v in arr.ravel().tolist()):
            return None
        return arr.astype(float)
    except (TypeError, ValueError, OverflowError):
        return None


def _kind_of(value: Any) -> str:
    try:
        return f"of dtype {np.asarray(value).dtype}"
    except (TypeError, ValueError):
        return ""


def _raiser(name: str) -> Callable:
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise ShortcutUsed(name)
    return forbidden

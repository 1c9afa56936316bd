"""Self-checking exercises: a notebook cell says at once whether an answer is right.

Each topic module (``nbsupport.exercises.sigmoid`` ...) defines :class:`Exercise`
objects whose expected answers are *computed* by nbsupport, never typed in.  A
notebook cell reads::

    answer = None          # replace None with your answer
    ex.peak_slope.check(answer)

and prints one line: a tick with a short explanation, or a cross with a hint aimed
at the usual mistake.  ``evaluate`` returns the same verdict as a value, for tests.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

__all__ = ["Feedback", "Exercise"]


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer."""

    correct: bool
    message: str

    def __str__(self) -> str:
        return ("✅ Correct. " if self.correct else "❌ Not yet. ") + self.message


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
        Known wrong answers (e.g. a seed note's 0.3) with a hint for each.
    rtol, atol : float
        Tolerances of :func:`numpy.allclose`.
    inputs : array_like, optional
        Test inputs for function answers.
    """

    prompt: str
    solution: Any
    explanation: str
    hint: str
    mistakes: list[tuple[Any, str]] = field(default_factory=list)
    rtol: float = 1e-6
    atol: float = 1e-12
    inputs: Any = None

    def expected(self) -> Any:
        if callable(self.solution) and self.inputs is None:
            return self.solution()
        return self.solution

    def _close(self, answer: Any, target: Any) -> bool:
        try:
            a = np.asarray(answer, dtype=float)
            t = np.asarray(target, dtype=float)
        except (TypeError, ValueError):
            return False
        return a.shape == t.shape and bool(np.allclose(a, t, rtol=self.rtol, atol=self.atol))

    def evaluate(self, answer: Any) -> Feedback:
        """Judge ``answer`` without printing."""
        if answer is None or answer is Ellipsis:
            return Feedback(False, f"No answer yet. {self.prompt}")
        if self.inputs is not None:
            return self._evaluate_function(answer)
        for wrong, message in self.mistakes:
            if self._close(answer, wrong):
                return Feedback(False, message)
        if self._close(answer, self.expected()):
            return Feedback(True, self.explanation)
        return Feedback(False, self.hint)

    def _evaluate_function(self, answer: Any) -> Feedback:
        if not callable(answer):
            return Feedback(False, f"Give a function (for example a lambda), got {type(answer).__name__}. "
                                   f"{self.prompt}")
        x = np.asarray(self.inputs, dtype=float)
        try:
            got = np.asarray(answer(x.copy()), dtype=float)
        except Exception as err:  # the student's code: report, never crash the cell
            return Feedback(False, f"Your function raised {type(err).__name__}: {err}")
        want = np.asarray(self.solution(x.copy()), dtype=float)
        if got.shape != want.shape:
            return Feedback(False, f"Your function returned shape {got.shape}, expected {want.shape}.")
        if np.allclose(got, want, rtol=self.rtol, atol=self.atol):
            return Feedback(True, self.explanation)
        worst = int(np.argmax(np.abs(got - want)))
        return Feedback(False, f"At x = {x.flat[worst]:.4g} your function gives {got.flat[worst]:.6g}, "
                               f"expected {want.flat[worst]:.6g}. {self.hint}")

    def check(self, answer: Any) -> None:
        """Print the verdict on ``answer`` (one line)."""
        print(self.evaluate(answer))
